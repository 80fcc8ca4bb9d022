"""``talentboard import``, stopped in the middle of writing, for the tests to kill.

Run as ``python -m tests.reliability.paused_import ARGS...`` with the arguments of
``talentboard import``. Once the first rows are written inside the import's transaction
(the first step of its progress while writing), it prints ``PAUSED`` on standard output
and waits, without committing, until it is killed. On SQLite the page cache is made tiny,
so the rows written so far are already in the database's write-ahead log on disk.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from talentboard import progress
from talentboard.cli import main
from talentboard.ingest import service


class _PauseWhileWriting:
    def __init__(self) -> None:
        self.task = ""

    def start(self, task: str, total: int | None = None) -> None:
        self.task = task

    def advance(self, amount: int = 1) -> None:
        if self.task.startswith("Writing"):
            print("PAUSED", flush=True)
            threading.Event().wait()  # until killed


@contextmanager
def _pausing(enabled: bool = True) -> Iterator[progress.Reporter]:
    yield _PauseWhileWriting()


if __name__ == "__main__":
    service.SQLITE_CACHE_KIB = 64
    progress.reporter = _pausing
    main(["import", *sys.argv[1:]])
