"""Progress on a terminal for commands that take a while; nothing at all when the output is
not a terminal (cron, a pipe), so that logs hold only the result."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from plaintes_tui.i18n import tr

Report = Callable[[str, int, int], None]


@contextmanager
def progress_bar(description: str) -> Iterator[Report]:
    """A callback (stage, done, total) drawing a Rich progress bar on stderr when it is a
    terminal; a callback that does nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def report(stage: str, done: int, total: int) -> None:
            if stage == "cases":
                bar.update(task, description=description, completed=done, total=total)
            else:  # a step of unknown length: the bar pulses
                bar.update(task, description=tr(f"progress.{stage}"), completed=0, total=None)

        yield report


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with ``description`` while a single long step runs, on a terminal only."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(description):
        yield
