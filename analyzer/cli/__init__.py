"""The ``analyzer`` command line: one thin command per job over the Python API.

Errors a user can cause print one line (``error: [CODE] message``) and exit with status 2;
``--debug`` anywhere on the command line (or ``ANALYZER_DEBUG=1``) shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

import click
import typer

from ..errors import AnalyzerError
from . import analyze, batch, compare, demo, lexicon, report, train

app = typer.Typer(
    name="analyzer",
    help="Media-bias and stance analysis: entities, loaded framing terms with voice and target.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("analyze")(analyze.analyze_command)
app.command("batch")(batch.batch_command)
app.command("compare")(compare.compare_command)
app.command("report")(report.report_command)
app.command("demo")(demo.demo_command)
app.command("train")(train.train_command)
app.command("evaluate")(train.evaluate_command)
app.add_typer(lexicon.app, name="lexicon")


@app.callback()
def _root() -> None:
    """Global flag: --debug (anywhere) shows tracebacks."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``analyzer`` console script and ``python -m analyzer``."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("ANALYZER_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    try:
        status = app(args=args, prog_name="analyzer", standalone_mode=False)
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AnalyzerError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        typer.echo(
            f"error: unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            err=True,
        )
        sys.exit(1)
