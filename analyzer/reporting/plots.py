"""The report's plots: matplotlib figures drawn off-screen (no pyplot state, no display) and
inlined as PNG data URIs, so the report is one file that opens offline.

Each function takes a comparison table (computed without ``time``, so one period, except for
:func:`over_time`) and returns a data URI, or None when the table has nothing to draw (e.g. no
classifier columns in a run made with ``--no-classifiers``).
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

MAX_GROUPS = 12
TOP_TERMS = 6
TOP_ENTITIES = 8
DPI = 110
COLOURS = {"all": "#7f8fa6", "author": "#c0392b", "left": "#2e86de", "center": "#95a5a6", "right": "#e74c3c"}


def _uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _errors(mid: pd.Series, low: pd.Series, high: pd.Series) -> np.ndarray:
    """Error-bar lengths below and above ``mid``; never negative (a point estimate can sit a
    rounding error outside its own percentile interval when every resample gives the same value)."""
    return np.clip(np.vstack([mid - low, high - mid]).astype(float), 0, None)


def _period_positions(axes, periods: pd.Series) -> dict[str, int]:
    """Periods placed in calendar order on the x axis (as categories, matplotlib would order them
    by first appearance across the lines)."""
    order = sorted(periods.unique())
    step = max(1, len(order) // 24)
    axes.set_xticks(range(0, len(order), step), order[::step], rotation=45, fontsize=7)
    return {period: i for i, period in enumerate(order)}


def _groups(table: pd.DataFrame) -> list[str]:
    return sorted(table["group"].unique())[:MAX_GROUPS]


def framing_by_group(rates: pd.DataFrame) -> str | None:
    """Framing hits per 1,000 tokens per group, all voices and author voice, with 95 % intervals."""
    rows = rates[rates["level"] == "all"]
    if rows.empty:
        return None
    groups = _groups(rows)
    figure = Figure(figsize=(7, 0.5 * len(groups) + 1.2))
    axes = figure.subplots()
    y = np.arange(len(groups))
    for offset, voice in ((-0.2, "all"), (0.2, "author")):
        part = rows[rows["voice"] == voice].set_index("group").reindex(groups)
        errors = _errors(part["per_1k"], part["per_1k_low"], part["per_1k_high"])
        label = "all voices" if voice == "all" else "author voice"
        axes.barh(
            y + offset, part["per_1k"], height=0.38, xerr=errors, color=COLOURS[voice], label=label, capsize=2
        )
    axes.set_yticks(y, groups)
    axes.invert_yaxis()
    axes.set_xlabel("framing hits per 1,000 tokens (95 % bootstrap interval)")
    axes.legend(loc="lower right", fontsize=8)
    return _uri(figure)


def categories_by_group(rates: pd.DataFrame) -> str | None:
    """Heat map: hits per 1,000 tokens by category (columns) and group (rows), all voices."""
    rows = rates[(rates["level"] == "category") & (rates["voice"] == "all")]
    if rows.empty:
        return None
    grid = rows.pivot_table(index="group", columns="item", values="per_1k", aggfunc="mean")
    grid = grid.loc[_groups(rows)]
    figure = Figure(figsize=(1.0 + 0.75 * grid.shape[1], 0.45 * grid.shape[0] + 1.8))
    axes = figure.subplots()
    image = axes.imshow(grid.to_numpy(), cmap="Reds", aspect="auto")
    axes.set_xticks(
        range(grid.shape[1]), [c.replace("_", " ") for c in grid.columns], rotation=40, ha="right"
    )
    axes.set_yticks(range(grid.shape[0]), grid.index)
    for (i, j), value in np.ndenumerate(grid.to_numpy()):
        axes.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=7)
    figure.colorbar(image, ax=axes, label="per 1,000 tokens")
    return _uri(figure)


def distinctive_terms(terms: pd.DataFrame) -> str | None:
    """Per group, the framing terms with the highest z-scores against the rest."""
    if terms.empty:
        return None
    rows = terms[(terms["versus"] == "(rest)") & (terms["z"] > 0)]
    groups = _groups(rows) if not rows.empty else []
    if not groups:
        return None
    columns = min(3, len(groups))
    lines = int(np.ceil(len(groups) / columns))
    figure = Figure(figsize=(4.2 * columns, 2.3 * lines))
    axes = np.atleast_1d(figure.subplots(lines, columns)).ravel()
    for ax, group in zip(axes, groups, strict=False):
        top = rows[rows["group"] == group].nlargest(TOP_TERMS, "z").iloc[::-1]
        colours = ["#c0392b" if s else "#e6b0aa" for s in top["significant"]]
        ax.barh(top["term"], top["z"], color=colours)
        ax.set_title(group, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in axes[len(groups) :]:
        ax.set_visible(False)
    figure.supxlabel(
        "z-score, log-odds with informative Dirichlet prior vs the rest (dark: q < 0.05)", fontsize=8
    )
    return _uri(figure)


def stance_by_group(stance: pd.DataFrame) -> str | None:
    """Mean author-stance score toward the most-covered entities, per group (mention units: the
    analysis labels an entity against at or below minus the neutral band, favor at or above it)."""
    if stance.empty:
        return None
    coverage = stance.groupby("target")["articles"].sum().nlargest(TOP_ENTITIES)
    rows = stance[stance["target"].isin(coverage.index) & stance["group"].isin(_groups(stance))]
    groups = sorted(rows["group"].unique())
    figure = Figure(figsize=(7, 0.45 * len(coverage) + 1.4))
    axes = figure.subplots()
    y = np.arange(len(coverage))
    width = 0.8 / max(len(groups), 1)
    for k, group in enumerate(groups):
        part = rows[rows["group"] == group].set_index("target").reindex(coverage.index)
        errors = _errors(part["score"], part["score_low"], part["score_high"])
        axes.errorbar(
            part["score"], y - 0.4 + width * (k + 0.5), xerr=errors, fmt="o", ms=4, capsize=2, label=group
        )
    axes.axvline(0, color="#888", lw=0.8)
    axes.set_yticks(y, coverage.index)
    axes.invert_yaxis()
    reach = np.nanmax(np.abs(rows[["score", "score_low", "score_high"]].to_numpy(dtype=float)), initial=1.0)
    axes.set_xlim(-1.05 * reach, 1.05 * reach)
    axes.set_xlabel("author-stance score, mean over articles (95 % interval)")
    axes.legend(fontsize=7, loc="best")
    return _uri(figure)


def bias_and_leaning(bias: pd.DataFrame, leaning: pd.DataFrame) -> str | None:
    """Share of biased sentences per group (with intervals) and the leaning labels' shares."""
    if bias.empty and leaning.empty:
        return None
    figure = Figure(figsize=(10, 0.45 * len(_groups(bias if not bias.empty else leaning)) + 1.6))
    left, right = figure.subplots(1, 2)
    if not bias.empty:
        rows = bias.groupby("group").first().reindex(_groups(bias))
        errors = _errors(rows["biased_share"], rows["biased_share_low"], rows["biased_share_high"])
        left.barh(rows.index, rows["biased_share"], xerr=errors, color="#8e44ad", capsize=2)
        left.invert_yaxis()
        left.set_xlabel("share of sentences with P(biased) ≥ 0.5")
    if not leaning.empty:
        shares = leaning.pivot_table(index="group", columns="leaning", values="share", aggfunc="mean")
        shares = shares.reindex(_groups(leaning))[[c for c in ("left", "center", "right") if c in shares]]
        start = np.zeros(len(shares))
        for label in shares.columns:
            right.barh(shares.index, shares[label], left=start, color=COLOURS[label], label=label)
            start += shares[label].to_numpy()
        right.invert_yaxis()
        right.set_xlabel("share of articles by predicted leaning")
        right.legend(fontsize=7, loc="lower right")
    return _uri(figure)


def _timeline(rows: pd.DataFrame, column: str) -> tuple[Figure, object]:
    """One line per group of ``column`` over the periods (calendar order), its ``_low``/``_high``
    interval shaded."""
    figure = Figure(figsize=(8, 3.6))
    axes = figure.subplots()
    x = _period_positions(axes, rows["period"])
    for group in _groups(rows):
        part = rows[rows["group"] == group].sort_values("period")
        where = part["period"].map(x)
        axes.plot(where, part[column], marker="o", label=group)
        axes.fill_between(where, part[f"{column}_low"], part[f"{column}_high"], alpha=0.15)
    return figure, axes


def over_time(rates: pd.DataFrame) -> str | None:
    """Framing hits per 1,000 tokens per period and group (only with ``--time``)."""
    rows = rates[(rates["level"] == "all") & (rates["voice"] == "all")]
    if rows.empty or rows["period"].nunique() < 2:
        return None
    figure, axes = _timeline(rows, "per_1k")
    axes.set_ylabel("framing hits per 1,000 tokens")
    axes.legend(fontsize=7)
    return _uri(figure)


def stance_over_time(stance: pd.DataFrame) -> str | None:
    """Mean stance score per period and group toward the target scored in the most articles
    (only with ``--time``), with 95 % intervals shaded."""
    if stance.empty or stance["period"].nunique() < 2:
        return None
    target = stance.groupby("target")["articles"].sum().idxmax()
    rows = stance[stance["target"] == target]
    figure, axes = _timeline(rows, "score")
    axes.axhline(0, color="#888", lw=0.8)
    axes.set_ylim(-1, 1)
    axes.set_ylabel(f"stance toward {target}")
    axes.legend(fontsize=7)
    return _uri(figure)
