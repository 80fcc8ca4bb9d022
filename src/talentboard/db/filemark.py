"""The write mark of a SQLite database file, from the file alone (no library beyond the
standard one, so that a command can check it before loading SQLAlchemy).

``db.stamp.write_mark`` gives it for a SQLite session; ``frames.kept`` reads it before any
connection is opened.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["sqlite_file_mark"]


def sqlite_file_mark(path: str) -> tuple[Any, ...]:
    """The signature of the SQLite file at ``path`` and of its write-ahead log: inode, size,
    modification time and header of each (None for a log that is missing or empty).

    Every committed write changes it: the header holds the change counter a commit raises
    outside WAL mode; a log's header holds the salts a checkpoint that restarts it changes;
    appended commits grow it.
    """
    signature: list[Any] = []
    for name, header in ((path, 100), (f"{path}-wal", 32)):
        try:
            status = os.stat(name)
            with open(name, "rb") as stream:
                start = stream.read(header)
        except FileNotFoundError:
            signature.append(None)
            continue
        if name != path and status.st_size == 0:
            # An empty log is the same as none: readers create one and remove it.
            signature.append(None)
            continue
        signature.append((status.st_ino, status.st_size, status.st_mtime_ns, start.hex()))
    return tuple(signature)
