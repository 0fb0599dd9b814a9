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
