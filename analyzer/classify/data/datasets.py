"""Labelled data for training and evaluation, read from the public files exactly as distributed.

Every reader returns a :class:`LabeledData`: a tidy DataFrame with ``text`` and ``label`` (and,
where the task has them, ``target``, ``target_start``/``target_end``, ``group``) plus the SHA-256
of the files read, so a model's sidecar can name its training data precisely.

Readers: ``babe`` (BABE ``final_labels_SG2.csv``; "No agreement" rows dropped; groups = article
link), ``semeval`` (TweetEval-format SemEval-2016 CSV), ``newsmtsc`` (NewsMTSC JSONL, one row per
target), ``csv`` and ``jsonl`` (generic, with column options).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import InputError, InputNotFoundError, ParameterError
from ..text import ARTICLE_CHARS

NEWSMTSC_POLARITY = {2.0: "against", 4.0: "neutral", 6.0: "favor"}
BABE_LABELS = {"Biased": "biased", "Non-biased": "non-biased"}
DATASETS = ("babe", "semeval", "newsmtsc", "allsides", "csv", "jsonl")
ALLSIDES_TRAIN = tuple(f"articles_media_train_part{i}of3.jsonl.gz" for i in (1, 2, 3))


@dataclass
class LabeledData:
    """A labelled dataset: ``frame`` has at least ``text`` and ``label``."""

    name: str
    frame: pd.DataFrame
    sources: list[str]
    sha256: str
    group_source: str = ""

    def __len__(self) -> int:
        return len(self.frame)


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _require(frame: pd.DataFrame, columns: dict[str, str | None], path: Path) -> None:
    for option, column in columns.items():
        if column is not None and column not in frame.columns:
            found = ", ".join(map(str, frame.columns))
            raise InputError(f"{path}: column {column!r} ({option}) not found; columns found: {found}")


def _file(path: str | Path, default_name: str | None = None) -> Path:
    file = Path(path)
    if file.is_dir() and default_name:
        file = file / default_name
    if not file.is_file():
        raise InputNotFoundError(file, "dataset file")
    return file


def _fill_groups(groups: pd.Series) -> pd.Series:
    """Rows without a group get a group of their own."""
    missing = groups.isna() | (groups.astype(str).str.strip() == "")
    return groups.astype(object).where(~missing, [f"row-{i}" for i in range(len(groups))])


def read_babe(path: str | Path) -> LabeledData:
    """BABE (``final_labels_SG2.csv`` or its folder): sentence -> biased / non-biased."""
    file = _file(path, "final_labels_SG2.csv")
    raw = pd.read_csv(file)
    _require(raw, {"text": "text", "label": "label_bias", "group": "news_link"}, file)
    raw = raw[raw["label_bias"].isin(BABE_LABELS)].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "text": raw["text"].astype(str),
            "label": raw["label_bias"].map(BABE_LABELS),
            "group": _fill_groups(raw["news_link"]),
            "biased_words": raw.get("biased_words", pd.Series([""] * len(raw))).map(_word_list),
            "outlet": raw.get("outlet"),
        }
    )
    return LabeledData("babe", frame, [str(file)], _sha256([file]), "news_link")


def _word_list(value: object) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return []
    return [str(w) for w in parsed] if isinstance(parsed, list | tuple) else []


def read_semeval(path: str | Path) -> LabeledData:
    """SemEval-2016 Task 6 in the TweetEval CSV form: tweet + target -> against / none / favor.

    A file is read as it is; the folder means its ``train.csv`` and ``val.csv`` together (the
    development data: the test file is never read from a folder).
    """
    base = Path(path)
    files = [base / "train.csv", base / "val.csv"] if base.is_dir() else [_file(base)]
    parts = []
    for file in files:
        if not file.is_file():
            raise InputNotFoundError(file, "dataset file")
        raw = pd.read_csv(file)
        _require(raw, {"text": "text", "label": "label", "target": "target"}, file)
        part = pd.DataFrame(
            {
                "text": raw["text"].astype(str),
                "label": raw["label"].astype(str),
                "target": raw["target"].astype(str),
            }
        )
        part["group"] = raw["target_key"] if "target_key" in raw else part["target"]
        parts.append(part)
    name = "semeval" if len(files) == 1 else "semeval-train+val"
    return LabeledData(
        name, pd.concat(parts, ignore_index=True), [str(f) for f in files], _sha256(files), "target_key"
    )


def read_newsmtsc(path: str | Path) -> LabeledData:
    """NewsMTSC JSONL: one row per target mention -> against / neutral / favor.

    ``further_mentions`` lists the record's other mentions of the same target (coreferent names
    and pronouns) as ``(start, end, mention)``; the rows are the main mentions only, and the
    ``entity_stance`` task's ``further_mentions`` option trains on the others as well.
    """
    file = _file(path, "train.jsonl")
    rows = []
    with file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                for target in record["targets"]:
                    rows.append(
                        {
                            "text": record["sentence_normalized"],
                            "target": target["mention"],
                            "target_start": int(target["from"]),
                            "target_end": int(target["to"]),
                            "label": NEWSMTSC_POLARITY[float(target["polarity"])],
                            "group": record["primary_gid"],
                            "further_mentions": [
                                (int(m["from"]), int(m["to"]), str(m["mention"]))
                                for m in target.get("further_mentions") or []
                            ],
                        }
                    )
            except (KeyError, ValueError, TypeError) as exc:
                raise InputError(
                    f"{file}:{number}: not a NewsMTSC record ({type(exc).__name__}: {exc})"
                ) from exc
    return LabeledData("newsmtsc", pd.DataFrame(rows), [str(file)], _sha256([file]), "primary_gid")


def read_allsides(path: str | Path) -> LabeledData:
    """AllSides (Baly et al. 2020) gzip JSONL: article -> left / center / right.

    A file is read as it is; the folder means the three media-split training shards. The text is
    the title and the first 6,000 characters of ``content_original``; groups are the outlet
    (``source_url``, else ``source``), so no outlet is on both sides of a split.
    """
    base = Path(path)
    files = [base / name for name in ALLSIDES_TRAIN] if base.is_dir() else [_file(base)]
    parts = []
    for file in files:
        if not file.is_file():
            raise InputNotFoundError(file, "dataset file")
        try:
            raw = pd.read_json(file, lines=True)
        except ValueError as exc:
            raise InputError(f"{file}: not JSON lines ({exc})") from exc
        _require(raw, {"text": "content_original", "label": "bias_text", "group": "source"}, file)
        title = raw["title"].fillna("").astype(str) if "title" in raw else ""
        outlet = (
            raw["source_url"].where(raw["source_url"].fillna("") != "", raw["source"])
            if "source_url" in raw
            else raw["source"]
        )
        parts.append(
            pd.DataFrame(
                {
                    "text": title
                    + ". "
                    + raw["content_original"].fillna("").astype(str).str.slice(0, ARTICLE_CHARS),
                    "label": raw["bias_text"].astype(str),
                    "group": outlet.astype(str),
                    "outlet": raw["source"].astype(str),
                }
            )
        )
    name = "allsides" if len(files) == 1 else "allsides-media-train"
    return LabeledData(
        name, pd.concat(parts, ignore_index=True), [str(f) for f in files], _sha256(files), "source_url"
    )


def read_table(
    path: str | Path,
    kind: str,
    text_col: str = "text",
    label_col: str = "label",
    target_col: str | None = None,
    group_col: str | None = None,
) -> LabeledData:
    """A generic CSV or JSONL file with the given columns."""
    file = _file(path)
    try:
        raw = pd.read_csv(file) if kind == "csv" else pd.read_json(file, lines=True)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"{file}: cannot be read as {kind} ({exc})") from exc
    columns = {
        "--text-col": text_col,
        "--label-col": label_col,
        "--target-col": target_col,
        "--group-col": group_col,
    }
    _require(raw, columns, file)
    frame = pd.DataFrame({"text": raw[text_col].astype(str), "label": raw[label_col].astype(str)})
    if target_col:
        frame["target"] = raw[target_col].astype(str)
    # without --group-col every row is its own group: cross-validation and calibration split rows
    frame["group"] = _fill_groups(raw[group_col] if group_col else pd.Series([None] * len(raw), dtype=object))
    return LabeledData(file.stem, frame, [str(file)], _sha256([file]), group_col or "")


def combine(parts: list[LabeledData]) -> LabeledData:
    """Several datasets of the same reader as one (e.g. AllSides train and valid for grouped CV)."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat([part.frame for part in parts], ignore_index=True)
    sources = [source for part in parts for source in part.sources]
    digest = hashlib.sha256("".join(part.sha256 for part in parts).encode()).hexdigest()
    return LabeledData("+".join(part.name for part in parts), frame, sources, digest, parts[0].group_source)


def read_dataset(name: str, path: str | Path, **columns: str | None) -> LabeledData:
    """Read ``path`` with the reader ``name`` (one of :data:`DATASETS`)."""
    if name == "babe":
        return read_babe(path)
    if name == "semeval":
        return read_semeval(path)
    if name == "newsmtsc":
        return read_newsmtsc(path)
    if name == "allsides":
        return read_allsides(path)
    if name in ("csv", "jsonl"):
        return read_table(path, name, **{k: v for k, v in columns.items() if v is not None})
    raise ParameterError("dataset", f"one of {', '.join(DATASETS)}", name)
