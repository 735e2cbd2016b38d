"""The one progress bar of the CLI: Rich, on stderr, transient, started lazily."""
from __future__ import annotations

import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """A progress bar that appears only once a run has lasted ``delay`` seconds (and, with
    ``terminal_only``, only on a terminal), so quick runs and piped output stay clean.

    Use as a context manager; call :meth:`update` with the work done so far.
    """

    def __init__(self, label: str, total: int | None = None, delay: float = 0.0, terminal_only: bool = False,
                 eta: bool = False):
        from rich.console import Console

        self.label, self.total, self.delay, self.terminal_only = label, total, delay, terminal_only
        self.eta = eta
        self.console = Console(stderr=True)
        self._bar = None
        self._task = None
        self._done = 0
        self._t0 = time.perf_counter()

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, done: int | None = None, total: int | None = None, label: str | None = None,
               advance: int = 0) -> None:
        """Record progress: ``done`` so far (or ``advance`` by some), the ``total``, a new label."""
        self._done = self._done + advance if done is None else done
        self.total = total if total is not None else self.total
        self.label = label or self.label
        if self._bar is None:
            if time.perf_counter() - self._t0 < self.delay or (self.terminal_only and not self.console.is_terminal):
                return
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
            if self.eta:
                columns.append(TimeRemainingColumn())
            self._bar = Progress(*columns, console=self.console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        self._bar.update(self._task, completed=self._done, total=self.total, description=self.label)
