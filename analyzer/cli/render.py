"""Terminal rendering of results with rich: colours by category and by voice."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..records import ArticleAnalysis

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
}
VOICE_STYLES = {"author": "bold", "quoted": "green", "attributed": "cyan"}


def print_article(result: ArticleAnalysis, source: str = "", console: Console | None = None) -> None:
    """Print an entity table and a framing table for one article."""
    console = console or Console()
    names = {e.id: e.name for e in result.entities}
    console.print(
        f"[bold]{source or result.doc_id}[/bold]  outlet={result.outlet or '-'}  tokens={result.n_tokens}  "
        f"sentences={result.n_sentences}  framing hits={len(result.framing)}  "
        f"loaded per 1k tokens={result.scores.get('loaded_per_1k', 0.0)}"
    )
    entities = Table(title="Entities", show_lines=False)
    for column in ("id", "name", "label", "count", "aliases"):
        entities.add_column(column)
    for entity in result.entities:
        entities.add_row(entity.id, entity.name, entity.label, str(entity.count), ", ".join(entity.aliases))
    console.print(entities)
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
