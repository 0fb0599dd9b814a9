"""Terminal rendering of results with rich: colours by category and by voice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..records import ArticleAnalysis

if TYPE_CHECKING:
    from ..comparison import Comparison

CATEGORY_STYLES = {
    "delegitimizing": "bold red",
    "legitimizing": "bold green",
    "violence_threat": "red",
    "derogatory_label": "magenta",
    "ideological_label": "yellow",
    "hedge": "cyan",
    "intensifier": "bright_yellow",
    "loaded_saying_verb": "blue",
    "moral_judgement": "bright_magenta",
    "crisis_alarm": "bright_red",
    "scare_quote": "italic white",
    "uncategorized": "dim",
}
VOICE_STYLES = {"author": "bold", "quoted": "green", "attributed": "cyan"}
STANCE_STYLES = {"against": "red", "neutral": "", "none": "", "favor": "green"}


def print_explanations(explanations: dict, result: ArticleAnalysis, console: Console | None = None) -> None:
    """Print the features that pushed the leaning, the most biased sentences and each stance."""
    console = console or Console()

    def terms(features: list) -> str:
        return ", ".join(f"{name} {value:+.2f}" for name, value in features) or "(no features)"

    leaning = result.scores.get("leaning") or {}
    console.print(f"[bold]Why leaning = {leaning.get('label')}:[/bold] {terms(explanations['leaning'])}")
    for item in explanations["sentences"]:
        console.print(
            f"[bold]Sentence {item['sentence']} bias {item['bias']:.2f}:[/bold] {terms(item['features'])}"
        )
    for entity_id, item in explanations["entities"].items():
        console.print(
            f"[bold]{entity_id} {item['name']} → {item['label']}[/bold] (mention {item['mention']!r}): "
            f"{terms(item['features'])}"
        )


def print_article(result: ArticleAnalysis, source: str = "", console: Console | None = None) -> None:
    """Print an entity table and a framing table for one article."""
    console = console or Console()
    names = {e.id: e.name for e in result.entities}
    console.print(
        f"[bold]{source or result.doc_id}[/bold]  outlet={result.outlet or '-'}  tokens={result.n_tokens}  "
        f"sentences={result.n_sentences}  framing hits={len(result.framing)}  "
        f"loaded per 1k tokens={result.scores.get('loaded_per_1k', 0.0)}"
    )
    leaning = result.scores.get("leaning")
    if leaning:
        shown = "  ".join(f"{k} {v:.2f}" for k, v in leaning["probs"].items())
        console.print(
            f"leaning: [bold]{leaning['label']}[/bold] ({shown})   mean sentence bias: {result.scores['bias']}"
        )
    entities = Table(title="Entities", show_lines=False)
    for column in ("id", "name", "label", "count", "stance", "aliases"):
        entities.add_column(column)
    for entity in result.entities:
        stance = entity.stance
        shown = (
            Text(f"{stance['label']} {stance['score']:+.2f}", style=STANCE_STYLES[stance["label"]])
            if stance
            else ""
        )
        entities.add_row(
            entity.id, entity.name, entity.label, str(entity.count), shown, ", ".join(entity.aliases)
        )
    console.print(entities)
    if result.targets:
        targets = Table(title="Targets")
        for column in ("target", "stance", "probabilities", "scored by", "mentions"):
            targets.add_column(column)
        for name, value in result.targets.items():
            value = value or {}
            probs = "  ".join(f"{k} {v:.2f}" for k, v in (value.get("probs") or {}).items())
            targets.add_row(
                name,
                str(value.get("label") or "not found"),
                probs,
                str(value.get("source") or ""),
                str(value.get("mentions", "")),
            )
        console.print(targets)
    framing = Table(title="Framing hits")
    for column in ("sent", "text", "category", "voice", "speaker", "target", "negated", "hedged"):
        framing.add_column(column)
    for hit in result.framing:
        framing.add_row(
            str(hit.sentence),
            Text(hit.text, style=CATEGORY_STYLES.get(hit.category, "")),
            Text(hit.category, style=CATEGORY_STYLES.get(hit.category, "")),
            Text(hit.voice, style=VOICE_STYLES.get(hit.voice, "")),
            names.get(hit.speaker or "", "") if hit.speaker else "",
            names.get(hit.target or "", "") if hit.target else "",
            "yes" if hit.negated else "",
            "yes" if hit.hedged else "",
        )
    console.print(framing)


SHOWN_TERMS = 5


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    """The headline tables of a comparison: framing rates, distinctive terms, tests."""
    console = console or Console()
    corpus = comparison.corpus
    console.print(
        f"[bold]{corpus['articles']} articles in {len(corpus['groups'])} groups by {corpus['by']}[/bold]"
        f" (excluded: {', '.join(f'{k} {v}' for k, v in corpus['excluded'].items()) or 'none'})"
    )
    rates = comparison["framing_rates"].query("level == 'all'")
    table = Table("group", "period", "voice", "articles", "per 1k tokens [95 % CI]")
    for row in rates.itertuples():
        interval = f"{row.per_1k:.1f} [{row.per_1k_low:.1f}, {row.per_1k_high:.1f}]"
        table.add_row(row.group, row.period, row.voice, str(row.articles), interval)
    console.print(table)
    terms = comparison["distinctive_terms"]
    if not terms.empty:
        top = terms[terms["versus"] == "(rest)"].groupby("group").head(SHOWN_TERMS)
        table = Table("group", "most distinctive framing terms vs the rest (z; * q < 0.05)")
        for group, rows in top.groupby("group"):
            cells = [f"{r.term} ({r.z:.1f}{'*' if r.significant else ''})" for r in rows.itertuples()]
            table.add_row(group, ", ".join(cells))
        console.print(table)
    tests = comparison["tests"]
    if not tests.empty:
        table = Table("measure", "test", "p", "p (Holm)", "effect")
        for row in tests.itertuples():
            table.add_row(
                row.measure,
                row.test,
                f"{row.p:.3g}",
                f"{row.p_holm:.3g}",
                f"{row.effect_name} {row.effect:.3f}",
            )
        console.print(table)
