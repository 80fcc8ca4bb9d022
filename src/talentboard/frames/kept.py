"""Where register snapshots are kept, and the answers kept beside them; no library beyond
the standard one, so that a command can find a kept answer before it loads Polars or
SQLAlchemy.

Layout, under ``snapshot_dir()``: one folder per database (a hash of its URL, password
left out), holding at most one snapshot folder (``register-<key>``, see
``frames.snapshot``). A snapshot folder holds the five frames, the write mark the key was
taken with (``mark``), and ``answers/``: the printed output of commands worked out from
that snapshot (``talentboard stats`` as JSON or CSV), one file per question, named by a
hash of the command's options and of the package's source files (so that another version
of the code never reuses an answer). A write to the database gives a new snapshot key and
the old folder, answers and all, is removed when the next snapshot is written.

On SQLite the write mark is the database file's signature (``db.filemark``), which every
committed write changes and which is read from the file alone: a snapshot whose recorded
mark is the file's mark now is current, and its answers can be printed without opening
the database. Elsewhere answers are not looked up without the database.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import talentboard
from talentboard.db.filemark import sqlite_file_mark

__all__ = [
    "ANSWERS",
    "MARK_FILE",
    "answer",
    "current_sqlite_snapshot",
    "database_folder_for",
    "keep_answer",
    "mark_text",
    "snapshot_dir",
    "snapshots_enabled",
    "sqlite_path",
]

MARK_FILE = "mark"
ANSWERS = "answers"
_SQLITE_PREFIX = "sqlite:///"


def snapshot_dir() -> Path:
    """Where snapshots are kept: ``$TALENTBOARD_SNAPSHOT_DIR``, else
    ``$XDG_CACHE_HOME/talentboard/snapshots``, else ``~/.cache/talentboard/snapshots``."""
    configured = os.environ.get("TALENTBOARD_SNAPSHOT_DIR")
    if configured:
        return Path(configured).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "talentboard" / "snapshots"


def snapshots_enabled() -> bool:
    """False when ``TALENTBOARD_SNAPSHOT`` is ``off``, ``0`` or ``no``."""
    return os.environ.get("TALENTBOARD_SNAPSHOT", "").strip().lower() not in ("off", "0", "no")


def database_folder_for(identity: str) -> Path:
    """The folder of the database whose URL, password left out (a SQLite file's path made
    absolute and real), is ``identity``."""
    return snapshot_dir() / hashlib.sha256(identity.encode()).hexdigest()[:32]


def mark_text(mark: Any) -> str:
    """How a write mark is recorded in a snapshot folder (``repr`` of plain values)."""
    return repr(mark)


def sqlite_path(url: str) -> str | None:
    """The file of a plain SQLite URL (``sqlite:///PATH``, no query), else None."""
    if not url.startswith(_SQLITE_PREFIX) or "?" in url:
        return None
    path = url[len(_SQLITE_PREFIX) :]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


def current_sqlite_snapshot(path: str) -> Path | None:
    """The snapshot folder of the SQLite file at ``path`` whose recorded write mark is the
    file's mark now, if there is one."""
    real = os.path.realpath(path)
    if not os.path.exists(real):
        return None
    folder = database_folder_for(_SQLITE_PREFIX + real)
    try:
        kept = [child for child in folder.iterdir() if child.name.startswith("register-")]
    except OSError:
        return None
    now = mark_text(sqlite_file_mark(real))
    for child in kept:
        try:
            if (child / MARK_FILE).read_text(encoding="utf-8") == now:
                return child
        except OSError:
            continue
    return None


def _code_fingerprint() -> tuple[Any, ...]:
    """The package's version and every source file's name, size and modification time."""
    root = Path(talentboard.__file__).parent
    files = []
    for folder, children, names in os.walk(root):
        children[:] = sorted(child for child in children if child != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                status = os.stat(os.path.join(folder, name))
                relative = os.path.relpath(os.path.join(folder, name), root)
                files.append((relative, status.st_size, status.st_mtime_ns))
    return (talentboard.__version__, tuple(files))


def _answer_file(snapshot: Path, question: tuple[Any, ...]) -> Path:
    text = repr((_code_fingerprint(), question))
    return snapshot / ANSWERS / (hashlib.sha256(text.encode()).hexdigest()[:32] + ".txt")


def answer(snapshot: Path, question: tuple[Any, ...]) -> str | None:
    """The output kept in ``snapshot`` for ``question`` (a command and its options, plain
    values), or None."""
    try:
        return _answer_file(snapshot, question).read_text(encoding="utf-8")
    except OSError:
        return None


def keep_answer(snapshot: Path, question: tuple[Any, ...], output: str) -> None:
    """Keep ``output`` as the answer to ``question`` in ``snapshot``, written whole (for
    the owner alone) or not at all. A snapshot removed meanwhile keeps nothing."""
    target = _answer_file(snapshot, question)
    try:
        target.parent.mkdir(mode=0o700, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".answer-", dir=target.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(output)
            os.replace(name, target)
        except BaseException:
            os.unlink(name)
            raise
    except OSError:
        # An answer only saves time: the command has printed its output already.
        return
