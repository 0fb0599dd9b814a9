"""``analyzer.report``: the researcher report of a comparison, as one self-contained HTML file (or
a Markdown summary), plus CSV/Parquet exports of every table.

The HTML inlines its plots (PNG data URIs) and styles, loads nothing from the network and runs no
script, so it opens offline and can be archived with a paper. Article text reaches it only through
Jinja2's autoescaping and displaCy's escaping: markup inside an article shows as text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, select_autoescape

from .. import __version__
from ..comparison import Comparison, compare
from ..comparison.data import load_tables
from ..comparison.measures import framing_rates, stance
from ..errors import OutputError, ParameterError
from . import plots
from .evidence import EvidenceLimits, article_views, pick_hits, snippets
from .methods import methods_paragraph

FORMATS = ("html", "md")
TABLE_ROWS = 200
TOP_TARGETS = 15


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True)
    env.filters["num"] = lambda value, digits=2: "–" if pd.isna(value) else f"{value:,.{digits}f}"
    return env


def _template(name: str):
    text = resources.files(__package__).joinpath(f"templates/{name}").read_text(encoding="utf-8")
    return _environment().from_string(text)


def _records(table: pd.DataFrame, rows: int = TABLE_ROWS) -> list[dict]:
    return table.head(rows).to_dict("records") if not table.empty else []


def _top(table: pd.DataFrame, key: str, weight: str, order: list[str]) -> pd.DataFrame:
    """Rows of the ``TOP_TARGETS`` values of ``key`` with the largest total ``weight``."""
    if table.empty:
        return table
    top = table.groupby(key)[weight].sum().nlargest(TOP_TARGETS).index
    return table[table[key].isin(top)].sort_values(order, kind="stable")


def _plots(comparison: Comparison, time: str | None) -> dict[str, str | None]:
    """The HTML report's figures (the timeline from the same documents, split by ``time``)."""
    ct, tables = comparison.data, comparison.tables
    timeline = stance_timeline = None
    if time:
        by_period = load_tables(ct.tables | {"documents": ct.documents}, ct.by, time)
        n_boot = comparison.parameters["n_boot"]
        timeline = plots.over_time(framing_rates(by_period, n_boot, detail=False))
        stance_timeline = plots.stance_over_time(stance(by_period, n_boot, top=1))
    return {
        "framing": plots.framing_by_group(tables["framing_rates"]),
        "categories": plots.categories_by_group(tables["framing_rates"]),
        "terms": plots.distinctive_terms(tables["distinctive_terms"]),
        "stance": plots.stance_by_group(tables["stance"]),
        "bias": plots.bias_and_leaning(tables["sentence_bias"], tables["leaning"]),
        "time": timeline,
        "stance_time": stance_timeline,
    }


def _evidence(comparison: Comparison, limits: EvidenceLimits) -> dict[str, Any]:
    """The HTML report's snippets and annotated views; texts are read only for the quoted hits."""
    ct, tables = comparison.data, comparison.tables
    entities = ct.table("entities")
    names = {
        (d, e): n for d, e, n in zip(entities["doc_id"], entities["entity_id"], entities["name"], strict=True)
    }
    hits = pick_hits(tables["distinctive_terms"], ct.table("framing"), limits)
    texts = ct.texts_for(hits["doc_id"])
    quoted = snippets(hits, texts, names)
    views = article_views([s["doc_id"] for s in quoted], ct.documents, ct.tables, texts, limits)
    linked = {v["doc_id"] for v in views}
    for item in quoted:
        item["linked"] = item["doc_id"] in linked
    return {"snippets": quoted, "views": views, "has_texts": bool(texts)}


def _context(comparison: Comparison, limits: EvidenceLimits) -> dict[str, Any]:
    """Everything both templates show, computed once."""
    ct = comparison.data
    tables = comparison.tables
    rates = tables["framing_rates"]
    return {
        "corpus": comparison.corpus,
        "parameters": comparison.parameters,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "rates": _records(rates[rates["level"] == "all"]),
        "terms": _records(
            tables["distinctive_terms"].query("versus == '(rest)' and z > 0").groupby("group").head(10)
        )
        if not tables["distinctive_terms"].empty
        else [],
        "labels": _records(_top(tables["entity_labels"], "entity", "count", ["entity", "group"])),
        "stance": _records(_top(tables["stance"], "target", "articles", ["target", "group"])),
        "bias": _records(tables["sentence_bias"]),
        "leaning": _records(tables["leaning"]),
        "tests": _records(tables["tests"]),
        "limits": limits,
        "top": TOP_TARGETS,
        "methods": methods_paragraph(comparison.corpus, comparison.parameters, ct.manifest),
    }


def report(
    results: Any,
    path: str | Path,
    by: str = "outlet",
    format: str = "html",
    time: str | None = None,
    exclude_duplicates: bool = False,
    tables: str | None = "csv",
    limits: EvidenceLimits | None = None,
    **compare_options: Any,
) -> Path:
    """Write the report of ``results`` (a batch output folder, ``BatchResult``, or a
    :class:`~analyzer.comparison.Comparison` already computed) to ``path``.

    ``format`` ``html`` (self-contained) or ``md``; ``tables`` ``csv``/``parquet`` also exports every
    comparison table into ``<path stem>_tables/`` (None: no export); ``limits`` caps the evidence;
    other options go to :func:`analyzer.compare`. Returns the report's path."""
    if format not in FORMATS:
        raise ParameterError("format", " or ".join(FORMATS), format)
    comparison = (
        results
        if isinstance(results, Comparison)
        else compare(results, by=by, exclude_duplicates=exclude_duplicates, **compare_options)
    )
    context = _context(comparison, limits or EvidenceLimits())
    if format == "html":
        context.update(plots=_plots(comparison, time), **_evidence(comparison, context["limits"]))
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_template(f"report.{format}.j2").render(**context), encoding="utf-8")
        if tables:
            comparison.save(out.parent / f"{out.stem}_tables", format=tables)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the report ({exc.strerror})") from exc
    return out
