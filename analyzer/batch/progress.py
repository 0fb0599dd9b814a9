"""A progress bar for long runs: documents done, documents per second and time left.

Shown on a terminal only (a log file or a pipe gets nothing) and never with ``quiet``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)


@contextmanager
def progress_bar(total: int | None, done: int = 0, quiet: bool = False) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; ``total`` may be unknown (no bar length, no time left)."""
    console = Console(file=sys.stderr)
    if quiet or not console.is_terminal:
        yield lambda n: None
        return
    columns = [
        TextColumn("[bold]analyzing"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("batch", total=total, completed=done, rate="-")
        fresh = 0

        def advance(n: int) -> None:
            nonlocal fresh
            fresh += n
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{fresh / elapsed:.1f}" if elapsed > 0 else "-"
            progress.update(task, advance=n, rate=rate)

        yield advance
