"""One rich progress bar per phase of the demo."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mgi_cli.console import console


@contextmanager
def phase(description: str, total: int) -> Iterator[Callable[[], None]]:
    """Yields `advance()`, one step done; the bar stays on screen once the phase is done."""
    columns = (TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)
