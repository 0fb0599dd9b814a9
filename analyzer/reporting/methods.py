"""The methods paragraph of a report: what was run, with which versions, models and parameters, on
how many articles, and what was left out, in prose a researcher can paste into a paper.

Model metrics come from each model's ``model.json`` (checked against its sidecar), found where the
run took the model from (the run's ``models`` configuration, else the shipped folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..classify.artifacts.files import read_metadata
from ..classify.author import DEFAULT_RULE
from ..classify.model import shipped_folder
from ..errors import AnalyzerError

TASK_NAMES = {
    "sentence_bias": "sentence bias",
    "entity_stance": "entity stance",
    "entity_stance_encoder": "entity stance with the fine-tuned encoder",
    "topic_stance": "topic stance",
    "leaning": "article leaning",
    "loaded_words": "loaded words",
}
METRIC_NAMES = {"macro_f1": "macro-F1", "f_avg": "F_avg"}


def _model_sentence(task: str, folder: Path) -> str | None:
    try:
        sidecar = read_metadata(folder)
    except AnalyzerError:
        return None
    metrics = sidecar.get("metrics") or []
    if not metrics:
        return None
    best = metrics[0]
    split = best.get("split") or ("cross-validation" if best.get("model") == "cross-validation" else "dev")
    data = (sidecar.get("training_data") or {}).get("dataset", "?")
    if task == "loaded_words":
        return (
            f"loaded words (trained on {data}; token-level F1 {best['model']['f1']:.3f} for the model, "
            f"{best['combined']['f1']:.3f} with the lexicon, {split}; threshold {sidecar.get('threshold')})"
        )
    metric = METRIC_NAMES.get(best.get("metric"), best.get("metric"))
    return f"{TASK_NAMES.get(task, task)} (trained on {data}; {metric} {best['score']:.3f}, {split})"


def model_sentences(versions: dict[str, Any], config: dict[str, Any]) -> list[str]:
    """One phrase per classifier used: task, training data, its dev/CV metric and split. Task names
    come from the run's manifest, so only known ones are looked up (never a folder ``"../.."``)."""
    custom = config.get("models") or {}
    out = []
    for task in versions.get("models") or {}:
        if task not in TASK_NAMES:
            continue
        sentence = _model_sentence(task, Path(custom.get(task, shipped_folder(task))))
        if sentence:
            out.append(sentence)
    return out


def methods_paragraph(corpus: dict[str, Any], parameters: dict[str, Any], manifest: dict[str, Any]) -> str:
    """The paragraph (plain text; the template escapes it)."""
    versions = manifest.get("versions") or {}
    config = manifest.get("config") or {}
    excluded = (
        ", ".join(f"{count} ({reason})" for reason, count in corpus["excluded"].items() if count) or "none"
    )
    dates = f" published between {corpus['dates'][0]} and {corpus['dates'][1]}" if corpus.get("dates") else ""
    parts = [
        f"We analyzed {corpus['articles']:,} articles{dates} from {len(corpus['groups'])} groups "
        f"(by {corpus['by']}) with analyzer {versions.get('analyzer', '?')} and the spaCy pipeline "
        f"{versions.get('spacy_model', '?')} ({config.get('profile', 'full')} profile).",
        f"Articles left out of the comparison: {excluded}; records that could not be analyzed: "
        f"{corpus.get('failures', 0)} (listed with reasons in the run's manifest).",
        f"Framing terms were matched with the lexicon {versions.get('lexicon', '?')}, and each hit was "
        + (
            "assigned a voice (the author's or quoted, from quotation marks), a target entity, and "
            "negation and hedge flags by rules over word windows (no dependency parse)."
            if config.get("profile") == "fast"
            else "assigned a voice (the author's, quoted, or attributed reported speech), a target entity, "
            "and negation and hedge flags by rules over the dependency parse."
        ),
    ]
    if "loaded_words" in (versions.get("models") or {}):
        threshold = (versions["models"]["loaded_words"] or {}).get("threshold")
        at = f"a probability of {threshold}" if threshold is not None else "its threshold"
        parts.append(
            "Framing hits also include content words that a logistic-regression model trained on BABE's "
            f"expert-annotated biased words scored at or above {at} (marked as model hits, with "
            "the nearest lexicon category; neighbouring such words form one hit)."
        )
    models = model_sentences(versions, config)
    if models:
        # Runs recorded before the setting existed gave the encoder every entity named twice.
        count = config.get("encoder_entities")
        scored = (
            "for every entity named at least twice"
            if count is None
            else f"for each article's {count} most mentioned entities"
        )
        parts.append(
            "Classifiers (linear models over word and character n-grams, lexicon and embedding features; "
            f"{scored} in the full profile, a fine-tuned all-MiniLM-L6-v2 "
            "encoder; scores on the datasets' dev splits or in cross-validation, as stated) gave: "
            + "; ".join(models)
            + "."
        )
        rule = DEFAULT_RULE
        parts.append(
            "An entity's stance in an article is the author's attitude as a rule reads it: the sum over "
            "its mentions of P(favor) − P(against), weighted by voice (the author's words 1, reported "
            f"speech {rule.attributed:g}, quotations {rule.quoted:g}), plus the polarity of the framing hits "
            f"aimed at it; against at or below −{rule.against:g}, favor at or above {rule.favor:g}, "
            "neutral between (weights and band chosen by event-grouped cross-validation on the BASIL "
            "development half)."
        )
    parts.append(
        "Rates are framing hits per 1,000 tokens (a ratio of sums over articles) with 95 % percentile "
        f"bootstrap intervals from {parameters['n_boot']:,} resamples of whole articles within each group; "
        "distinctive terms are log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & "
        "Quinn 2008) with z-scores and Benjamini–Hochberg false-discovery-rate control; differences "
        f"across groups were tested with permutation tests ({parameters['n_perm']:,} permutations; effect "
        "size η²) or chi-square tests (effect size Cramér's V), Holm-adjusted over all tests "
        f"(random seed {parameters['seed']})."
    )
    if parameters.get("exclude_duplicates"):
        parts.append("Near-duplicate articles (MinHash, Jaccard ≥ 0.5 on word 5-shingles) were counted once.")
    return " ".join(parts)
