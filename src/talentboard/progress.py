"""Progress reporting for long work: a Rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Reporter(Protocol):
    def start(self, task: str, total: int | None = None) -> None: ...
    def advance(self, amount: int = 1) -> None: ...


class _Silent:
    def start(self, task: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


class _Lines:
    """One line per task, and a line at each further tenth of its total."""

    def __init__(self) -> None:
        self._task = ""
        self._total: int | None = None
        self._done = 0
        self._next_tenth = 1

    def start(self, task: str, total: int | None = None) -> None:
        self._task, self._total, self._done, self._next_tenth = task, total, 0, 1
        print(f"{task}" + (f" ({total:,})" if total else ""), file=sys.stderr, flush=True)

    def advance(self, amount: int = 1) -> None:
        self._done += amount
        if self._total and self._done * 10 >= self._next_tenth * self._total:
            self._next_tenth = self._done * 10 // self._total + 1
            print(f"{self._task}: {self._done:,} of {self._total:,}", file=sys.stderr, flush=True)


class _Bar:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task_id: TaskID | None = None

    def start(self, task: str, total: int | None = None) -> None:
        if self._task_id is not None:
            self._progress.update(self._task_id, visible=False)
        self._task_id = self._progress.add_task(task, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task_id is not None:
            self._progress.advance(self._task_id, amount)


SILENT: Reporter = _Silent()


@contextmanager
def reporter(enabled: bool = True) -> Iterator[Reporter]:
    """A progress reporter suited to where output is going."""
    if not enabled:
        yield SILENT
    elif sys.stderr.isatty():
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as progress:
            yield _Bar(progress)
    else:
        yield _Lines()
