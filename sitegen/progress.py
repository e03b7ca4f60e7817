"""A progress bar for long builds, shown only in a terminal and not with ``-q``."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

MIN_ITEMS = 200   # shorter steps finish before a bar would help


class Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    @contextmanager
    def step(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        """Yields ``advance(n)``; draws a bar on stderr when enabled and the step is long."""
        if not self.enabled or total < MIN_ITEMS:
            yield lambda n: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn
        from rich.console import Console
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)


def for_terminal(quiet: bool) -> Progress:
    return Progress(enabled=not quiet and sys.stderr.isatty())
