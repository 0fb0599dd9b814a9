"""Shared fixtures. Real-pipeline fixtures are session-scoped: the model loads once per run.

Numerical libraries run single-threaded in tests (this process through threadpoolctl, the command
line and worker processes the tests start through the environment): the suite runs many processes
at once on few cores, and BLAS threads competing for them made it several times slower.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
threadpool_limits(1)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_ae4ada093007424f.txt"
SAMPLE = ROOT / "corpora" / "sample" / "articles"


@pytest.fixture(scope="session", autouse=True)
def training_cache(tmp_path_factory):
    """Derived training data (news statistics) cached in this run's folder, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYZER_CACHE", str(tmp_path_factory.mktemp("analyzer_cache")))
        yield


@lru_cache(maxsize=1)
def shared_analyzer():
    """One Analyzer on the default pipeline (en_core_web_sm 3.8.0) for the whole run."""
    from analyzer import Analyzer

    az = Analyzer()
    az.nlp  # noqa: B018  (load now, once)
    return az


@pytest.fixture(scope="session")
def analyzer_full():
    """The shared real-pipeline Analyzer, as a session-scoped fixture."""
    return shared_analyzer()


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The sample corpus through ``analyze_corpus`` once per run: (BatchResult, output folder)."""
    from analyzer import read_corpus

    out = tmp_path_factory.mktemp("batch") / "run"
    result = shared_analyzer().analyze_corpus(read_corpus(SAMPLE), out, part_size=10, quiet=True)
    return result, out


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED} (../shared is not part of the repository)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_result(analyzer_full, seed_text):
    return analyzer_full.analyze(seed_text, outlet="seed", doc_id="seed")


@pytest.fixture()
def vocab():
    return spacy.blank("en").vocab


def make_doc(
    vocab, words, *, heads=None, deps=None, pos=None, lemmas=None, ents=None, tags=None, spaces=None
):
    """A hand-built Doc: heads are absolute token indices (a root points at itself)."""
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        tags=tags,
        lemmas=lemmas or [w.lower() for w in words],
        ents=ents,
        sent_starts=[True] + [False] * (len(words) - 1) if heads is None else None,
    )
