"""The register frames kept on disk between commands, for as long as the data is unchanged.

Reading the register is most of what a command such as ``talentboard stats`` spends on a
large database. A snapshot is the five register frames written as Arrow IPC files, under a
name made from the database's data stamp and write mark (``db.stamp``); the next command
on unchanged data reads the files instead of the database. Any committed write changes
the stamp or the mark, so the snapshot no longer matches and the register is read again
(and a new snapshot written in place of the old one).

The snapshots hold personal data (names, ethnic category, sex, disability, appointment
histories), so they are written for their owner alone (folders 0700, files 0600) in a
per-user cache folder: ``$TALENTBOARD_SNAPSHOT_DIR``, else
``$XDG_CACHE_HOME/talentboard/snapshots``, else ``~/.cache/talentboard/snapshots``. Each
database's folder is named by a hash of its URL (password left out), never the URL itself.
Deleting the folder is always safe; ``talentboard cache clear`` does it.
``TALENTBOARD_SNAPSHOT=off`` turns snapshots off. See docs/access.md and ``frames.kept``
(the layout, and the answers kept beside a snapshot).

The frames are written uncompressed and read memory-mapped: reading a snapshot then costs
about nothing until a column is used. A snapshot holds the columns read so far, not
necessarily every column: a command reads only the columns it needs (``register(session,
columns)``), taken from the snapshot when it holds them all; when it lacks some, the
register is read from the database with the snapshot's columns and the missing ones, and
that snapshot replaces the old one under the same key (its kept answers moved over, as the
data is the same). Likewise for rows: a snapshot of the board rows alone (``rows="board"``,
as ``stats`` reads) serves only such reads; one of every row serves both (a read of the
board rows then gets every row, which the board figures select from anyway).

Each snapshot records the write mark its key was taken with; on SQLite, where the mark
(the file's signature) changes with every committed write, a snapshot whose mark is the
file's mark now is current without the data stamp's query (which counts and sums over
every row of the large tables). On PostgreSQL a snapshot also records the change hint
(``db.stamp.change_hint``, the server's transaction snapshot and start time) read before
its key was taken: while the server's hint reads the same, nothing has been committed since, and the
snapshot is current without the mark's and the stamp's queries.

A snapshot is looked up and read through a ``RegisterSource``: a session, or a plain
connection made without SQLAlchemy (``frames.plain``); both find the same snapshot.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from talentboard.db.stamp import REGISTER_TABLES, change_hint, data_stamp, write_mark
from talentboard.frames.kept import (
    ANSWERS,
    MARK_FILE,
    database_folder_for,
    mark_text,
    snapshot_dir,
    snapshots_enabled,
)
from talentboard.frames.register import (
    APPOINTMENTS_SCHEMA,
    ORGANISATIONS_SCHEMA,
    PEOPLE_SCHEMA,
    POSTS_SCHEMA,
    RATINGS_SCHEMA,
    Columns,
    RegisterFrames,
    Rows,
    load_register,
    reader_for,
    wanted_schemas,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "Place",
    "RegisterSource",
    "clear",
    "locate",
    "register",
    "register_kept",
    "snapshot_dir",
    "snapshots_enabled",
]

log = logging.getLogger(__name__)

# Raised when the files' layout changes, so older snapshots are simply not found.
FORMAT = 3
_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "organisations": ORGANISATIONS_SCHEMA,
    "ratings": RATINGS_SCHEMA,
    "posts": POSTS_SCHEMA,
    "people": PEOPLE_SCHEMA,
    "appointments": APPOINTMENTS_SCHEMA,
}
_PREFIX = "register-"
_ROWS_FILE = "rows"
# The change hint (``db.stamp.change_hint``, PostgreSQL) read before the key was taken.
_HINT_FILE = "hint"


class RegisterSource(abc.ABC):
    """A database the register is read from and its snapshot looked up for: a session
    (``locate(session)``), or a connection made without SQLAlchemy (``frames.plain``)."""

    dialect: str

    @abc.abstractmethod
    def arrow_reads_all(self) -> bool:
        """Whether the Arrow reader sees all the source sees (``frames.register.reader_for``):
        only then is a snapshot kept or used."""

    @abc.abstractmethod
    def identity(self) -> str:
        """The database's URL, password left out (a SQLite file's path made absolute and
        real): what names its snapshot folder."""

    @abc.abstractmethod
    def write_mark(self) -> Any:
        """``db.stamp.write_mark`` of the register tables (None when there is none)."""

    @abc.abstractmethod
    def register_stamp(self) -> tuple[Any, ...]:
        """``db.stamp.data_stamp`` of the register tables."""

    def change_hint(self) -> Any:
        """On PostgreSQL, ``db.stamp.change_hint``: while it reads as it did before a key
        was taken, no write has been committed since and the key still holds. None where
        there is none."""
        return None

    @abc.abstractmethod
    def end_reads(self) -> None:
        """End the read transaction the mark and stamp were read in, if any."""

    @abc.abstractmethod
    def load(self, columns: Columns | None, rows: Rows) -> RegisterFrames:
        """``frames.register.load_register`` with these columns and rows."""


class _SessionSource(RegisterSource):
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def arrow_reads_all(self) -> bool:
        return reader_for(self.session) == "arrow"

    def identity(self) -> str:
        from sqlalchemy import Connection, make_url

        bind = self.session.get_bind()
        url = bind.engine.url if isinstance(bind, Connection) else bind.url
        identity: str = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite" and url.database:
            # The same file named two ways is one database.
            identity = str(make_url(identity).set(database=os.path.realpath(url.database)))
        return identity

    def write_mark(self) -> Any:
        return write_mark(self.session)

    def register_stamp(self) -> tuple[Any, ...]:
        return data_stamp(self.session, REGISTER_TABLES).of(REGISTER_TABLES)

    def change_hint(self) -> Any:
        return change_hint(self.session) if self.dialect == "postgresql" else None

    def end_reads(self) -> None:
        # Only reads were made: ending them leaves the session as it was given.
        self.session.rollback()

    def load(self, columns: Columns | None, rows: Rows) -> RegisterFrames:
        return load_register(self.session, columns=columns, rows=rows)


def _source(session: Session | RegisterSource) -> RegisterSource:
    return session if isinstance(session, RegisterSource) else _SessionSource(session)


def _layout() -> str:
    schemas = {name: {c: str(t) for c, t in s.items()} for name, s in _SCHEMAS.items()}
    return repr((FORMAT, schemas))


def _key(source: RegisterSource, mark: Any) -> str:
    """The name of the snapshot that matches the data now (``mark``, its write mark)."""
    text = repr((_layout(), source.register_stamp(), mark))
    layout = hashlib.sha256(_layout().encode()).hexdigest()[:8]
    return f"{_PREFIX}{hashlib.sha256(text.encode()).hexdigest()[:32]}-{layout}"


def _kept_by(database: Path, file: str, value: Any) -> Path | None:
    """The snapshot folder whose ``file`` records ``value`` (``mark_text``), if any: on
    SQLite the one taken under this very write mark, on PostgreSQL the one whose key was
    taken after this very change hint. Its name ends with the layout's hash, so a
    snapshot of another layout is not taken."""
    layout = hashlib.sha256(_layout().encode()).hexdigest()[:8]
    try:
        kept = [child for child in database.iterdir() if child.name.endswith(f"-{layout}")]
    except OSError:
        return None
    for child in kept:
        try:
            if (child / file).read_text(encoding="utf-8") == mark_text(value):
                return child
        except OSError:
            continue
    return None


def _record_hint(folder: Path, hint: Any) -> None:
    """Record in ``folder`` the change hint read before its key was confirmed, written
    whole (for the owner alone) or not at all: it only saves the next command time."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=".hint-", dir=folder)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(mark_text(hint))
        os.replace(name, folder / _HINT_FILE)
    except OSError as exc:
        log.info("change hint not recorded in %s: %s", folder, exc)


def _private_folder(path: Path) -> None:
    """``path`` and any folder made on the way to it, for their owner alone."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)


def _wanted(columns: Columns | None) -> dict[str, list[str]]:
    """The column names ``columns`` asks for, by frame, in each frame's schema order."""
    return {name: list(schema) for name, schema in wanted_schemas(columns).items()}


def _held(folder: Path) -> tuple[dict[str, list[str]], Rows] | None:
    """The columns the snapshot in ``folder`` holds, by frame (only those whose type is the
    schema's), and its rows; None when it cannot be read."""
    held = {}
    try:
        rows = (folder / _ROWS_FILE).read_text(encoding="utf-8")
        for name, schema in _SCHEMAS.items():
            kept = pl.read_ipc_schema(folder / f"{name}.arrow")
            held[name] = [c for c, dtype in schema.items() if kept.get(c) == dtype]
    except (OSError, pl.exceptions.PolarsError) as exc:
        log.info("register snapshot %s unreadable (%s): reading the database", folder, exc)
        return None
    if rows == "all":
        return held, "all"
    if rows == "board":
        return held, "board"
    return None


def _read(folder: Path, wanted: dict[str, list[str]]) -> RegisterFrames | None:
    """The ``wanted`` columns from the snapshot in ``folder``, or None when it lacks any."""
    try:
        frames = {
            name: pl.read_ipc(folder / f"{name}.arrow", columns=columns)
            for name, columns in wanted.items()
        }
    except (OSError, pl.exceptions.PolarsError) as exc:
        log.info("register snapshot %s unreadable (%s): reading the database", folder, exc)
        return None
    for name, columns in wanted.items():
        if dict(frames[name].schema) != {column: _SCHEMAS[name][column] for column in columns}:
            return None
    return RegisterFrames(**frames)


def _write(
    database: Path, key: str, mark: str, hint: Any, frames: RegisterFrames, rows: Rows
) -> None:
    """Write the snapshot beside any older ones, then remove those: a folder is renamed into
    place whole, so a reader never sees one half written. A snapshot already under ``key``
    (the same data, fewer columns) is replaced, its kept answers moved into the new one."""
    _private_folder(database)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=database))
    target = database / key
    try:
        for name in _SCHEMAS:
            descriptor = os.open(building / f"{name}.arrow", os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                getattr(frames, name).write_ipc(stream, compression="uncompressed")
        recorded = [(_ROWS_FILE, rows), (MARK_FILE, mark)]
        if hint is not None:
            recorded.append((_HINT_FILE, mark_text(hint)))
        for file, text in recorded:
            descriptor = os.open(building / file, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(text)
        if target.is_dir():
            with contextlib.suppress(OSError):
                (target / ANSWERS).rename(building / ANSWERS)
            target.rename(Path(tempfile.mkdtemp(prefix=".replaced-", dir=database)) / key)
        building.rename(target)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        if not target.is_dir():
            raise
    for older in database.iterdir():
        if older.name != key:
            shutil.rmtree(older, ignore_errors=True)


def register(
    session: Session, columns: Columns | None = None, rows: Rows = "all"
) -> RegisterFrames:
    """The register frames as ``load_register(session, columns=columns, rows=rows)`` reads
    them, from the snapshot when one matches the data and holds those columns and rows (a
    snapshot of every row gives every row), else from the database (keeping a snapshot for
    next time)."""
    return register_kept(session, columns=columns, rows=rows)[0]


@dataclass(frozen=True)
class Place:
    """Where the snapshot matching the data now is (or would be written): the database's
    folder, the snapshot's folder in it, the write mark its key was taken with (as
    recorded, ``mark_text``), and the change hint read before it (None when none)."""

    database: Path
    folder: Path
    mark: str
    hint: Any = None


def locate(session: Session | RegisterSource) -> Place | None:
    """Where the snapshot matching the data now is kept (it may not exist yet), or None
    when the session gets no snapshot (snapshots off, a session that may have written, a
    database with no write mark). Ends the session's read transaction.

    On PostgreSQL the change hint is read first: a snapshot whose key was taken after the
    very same hint still matches (no write has been committed since, anywhere on the
    server), and is taken without the write mark's and the data stamp's queries, which
    read every row of the register. A snapshot found by its key has the new hint recorded.
    """
    source = _source(session)
    if not snapshots_enabled() or not source.arrow_reads_all():
        return None
    database = database_folder_for(source.identity())
    hint = source.change_hint()
    if hint is not None:
        folder = _kept_by(database, _HINT_FILE, hint)
        if folder is not None:
            try:
                recorded = (folder / MARK_FILE).read_text(encoding="utf-8")
            except OSError:
                recorded = None
            if recorded is not None:
                source.end_reads()
                return Place(database, folder, recorded, hint)
    mark = source.write_mark()
    if mark is None:
        source.end_reads()
        return None
    folder = None
    if source.dialect == "sqlite":
        folder = _kept_by(database, MARK_FILE, mark)
    if folder is None:
        folder = database / _key(source, mark)
        if hint is not None and folder.is_dir():
            _record_hint(folder, hint)
    source.end_reads()
    return Place(database, folder, mark_text(mark), hint)


def register_kept(
    session: Session | RegisterSource,
    place: Place | Literal["locate"] | None = "locate",
    columns: Columns | None = None,
    rows: Rows = "all",
) -> tuple[RegisterFrames, Path | None]:
    """``register(session)``, and the snapshot folder the frames match (read from it or
    just written), where answers worked out from them may be kept (``frames.kept``); None
    when there is none. ``place`` is ``locate(session)``'s answer when the caller has it.

    The key is taken before the register is read: a write in between leaves a snapshot
    whose key no later reading matches, never a stale one under a current key. A session
    that may have written reads the database as before (a snapshot holds committed data
    only, as the Arrow reader sees it).
    """
    source = _source(session)
    if place == "locate":
        place = locate(source)
    if place is None:
        return source.load(columns, rows), None
    wanted = _wanted(columns)
    reading, reading_rows = wanted, rows
    if place.folder.is_dir():
        held = _held(place.folder)
        if held is not None:
            held_columns, held_rows = held
            if (held_rows == "all" or held_rows == rows) and all(
                set(wanted[name]) <= set(held_columns[name]) for name in wanted
            ):
                kept = _read(place.folder, wanted)
                if kept is not None:
                    log.info("register read from the snapshot %s", place.folder)
                    return kept, place.folder
            else:
                # Read what the snapshot holds as well, so that the new one holds both.
                reading = {name: held_columns[name] + wanted[name] for name in wanted}
                reading_rows = "all" if "all" in (rows, held_rows) else rows
    frames = source.load(reading, reading_rows)
    try:
        _write(place.database, place.folder.name, place.mark, place.hint, frames, reading_rows)
    except OSError as exc:
        # A snapshot only saves time: a command still works without one.
        log.warning("register snapshot not written to %s: %s", place.database, exc)
        return _selected(frames, wanted), None
    return _selected(frames, wanted), place.folder


def _selected(frames: RegisterFrames, wanted: dict[str, list[str]]) -> RegisterFrames:
    return RegisterFrames(
        **{
            name: frame if frame.columns == columns else frame.select(columns)
            for name, columns in wanted.items()
            for frame in [getattr(frames, name)]
        }
    )


def clear() -> tuple[Path, int]:
    """Remove every snapshot: where they were kept, and how many databases had one."""
    folder = snapshot_dir()
    if not folder.is_dir():
        return folder, 0
    count = sum(1 for child in folder.iterdir() if child.is_dir())
    shutil.rmtree(folder)
    return folder, count
