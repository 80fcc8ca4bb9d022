"""The work of ``talentboard stats`` once its options are checked: read, compute, print.

Imported by the command when it runs, not when the application is built for ``--help``.
The register is read (or a kept answer found) while the figures' module, with the analysis
libraries it loads (NumPy, SciPy), is imported on another thread: the read spends most of
its time in the database drivers, outside Python's lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import typer

from talentboard.cli.app import engine_for
from talentboard.cli.stats import OutputFormat
from talentboard.config import database_url
from talentboard.frames import kept, plain, snapshot
from talentboard.frames.register import RegisterFrames
from talentboard.stability.groups import BOARD_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["run"]

_FIGURES = "talentboard.cli._stats_figures"


class _Preload(threading.Thread):
    """Imports a module on a thread of its own once started; ``module()`` waits for it."""

    def __init__(self, name: str) -> None:
        super().__init__(name=f"import {name}")
        self._name = name

    def run(self) -> None:
        with contextlib.suppress(Exception):
            # An error is raised again where the module is used (``module``).
            importlib.import_module(self._name)

    def module(self) -> ModuleType:
        if self.is_alive() or self.ident is not None:
            self.join()
        return importlib.import_module(self._name)


def _columns(*, model: bool) -> dict[str, tuple[str, ...]]:
    """The register columns the figures read (the hazard model: professional background);
    they read the board rows alone (``rows="board"``)."""
    if not model:
        return BOARD_COLUMNS
    return BOARD_COLUMNS | {"people": (*BOARD_COLUMNS["people"], "professional_background")}


def _load_frames(
    db: str | None,
    question: tuple[Any, ...] | None,
    columns: dict[str, tuple[str, ...]],
    preload: _Preload,
) -> tuple[RegisterFrames | None, Path | None, str | None]:
    """The register and the snapshot folder it matches (None when there is none); or, when
    an answer to ``question`` is kept in the snapshot matching the data, that answer alone
    (the frames are not read). ``preload`` is started once the frames are to be read.

    A plain database URL is read without SQLAlchemy (``frames.plain``); any other, or one
    that cannot be opened so or whose schema is not current, through a session, which
    reports what is wrong."""
    source = plain.open_source(database_url(db))
    if source is not None:
        with source:
            if source.schema_is_current():
                return _frames_from(source, question, columns, preload)
    from sqlalchemy.orm import Session

    engine = engine_for(db)
    try:
        with Session(engine) as session:
            return _frames_from(session, question, columns, preload)
    finally:
        engine.dispose()


def _frames_from(
    source: snapshot.RegisterSource | Session,
    question: tuple[Any, ...] | None,
    columns: dict[str, tuple[str, ...]],
    preload: _Preload,
) -> tuple[RegisterFrames | None, Path | None, str | None]:
    place = snapshot.locate(source)
    if place is not None and question is not None:
        answer = kept.answer(place.folder, question)
        if answer is not None:
            return None, place.folder, answer
    preload.start()
    frames, folder = snapshot.register_kept(source, place, columns, rows="board")
    return frames, folder, None


def run(
    db: str | None,
    as_at: dt.date,
    truncation: dt.date | None,
    dimension: str | None,
    output: OutputFormat,
    *,
    model: bool,
    series: bool,
    question: tuple[Any, ...] | None = None,
) -> None:
    """Read the register, work the figures out and print them in ``output``'s format.

    JSON and CSV output is kept beside the register's snapshot as the answer to
    ``question`` (``frames.kept``), for the next run over the same data.
    """
    preload = _Preload(_FIGURES)
    asked = question if output is not OutputFormat.table else None
    frames, folder, text = _load_frames(db, asked, _columns(model=model), preload)
    if text is None:
        assert frames is not None
        figures = preload.module()
        text = figures.answer(
            frames, as_at, truncation, dimension, output, model=model, series=series
        )
        if text is None:
            return
        if folder is not None and question is not None:
            kept.keep_answer(folder, question, text)
    typer.echo(text, nl=False)
