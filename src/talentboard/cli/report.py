"""``talentboard report``: the board report as HTML, PDF or XLSX (format from the extension)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from talentboard.cli.app import CliError, DbOption, app, engine_for
from talentboard.reference import REGION_CODES, regions

__all__ = ["FORMATS", "parse_as_at", "report"]

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx"}


def parse_as_at(text: str | None) -> dt.date:
    """``--at``: ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``demo`` (the demo's date) or today."""
    if text is None:
        return dt.date.today()
    if text.strip().lower() == "demo":
        from talentboard.demo.calibration import DEMO_AS_AT

        return DEMO_AS_AT
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise CliError(f"--at {text!r}: not a date (use YYYY-MM-DD or DD/MM/YYYY)", exit_code=2)


def _write_atomically(path: Path, content: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@app.command()
def report(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The file to write: FILE.html, FILE.pdf or FILE.xlsx (format from the extension).",
            show_default=False,
        ),
    ],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="The date figures are taken at: YYYY-MM-DD, DD/MM/YYYY or 'demo' (default today).",
            show_default=False,
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="Restrict the report to one NHS England region, by its code (e.g. Y56 London).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the board report on leadership stability, with disclosure control applied."""
    from talentboard.db import session_factory
    from talentboard.frames import load_register
    from talentboard.progress import reporter
    from talentboard.reports import build_report, render

    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise CliError(
            f"--out {out}: unknown format {out.suffix or '(no extension)'!r}; "
            "use .html, .pdf or .xlsx",
            exit_code=2,
        )
    if out.parent != Path() and not out.parent.is_dir():
        raise CliError(f"--out {out}: the folder {out.parent} does not exist", exit_code=2)
    region_code = region.strip().upper() if region else None
    if region_code is not None and region_code not in REGION_CODES:
        known = ", ".join(f"{r.code} {r.name}" for r in regions())
        raise CliError(f"--region {region}: not an NHS England region code ({known})", exit_code=2)
    as_at = parse_as_at(at)
    engine = engine_for(db)
    with reporter() as progress:
        progress.start("Reading the register", total=1)
        with session_factory(engine)() as session:
            frames = load_register(session)
        progress.advance()
        document = build_report(frames, as_at, region_code=region_code, progress=progress)
        progress.start(f"Writing {kind.upper()}", total=1)
        content = render(document, kind)
        _write_atomically(out, content)
        progress.advance()
    typer.echo(f"Report written to {out} ({document.scope}, as at {as_at.isoformat()}).")
