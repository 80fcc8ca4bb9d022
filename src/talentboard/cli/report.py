"""``talentboard report``: the board report as HTML, PDF or XLSX (format from the extension)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from talentboard.cli.app import CliError, app, end_process, engine_for
from talentboard.cli.options import DbOption, at_option, parse_as_at, region_option
from talentboard.reference import REGION_CODES, regions
from talentboard.reports.chart_process import ChartProcess

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from talentboard.progress import Reporter
    from talentboard.reports.model import Report
    from talentboard.reports.outlook import Outlook

__all__ = ["FORMATS", "report"]

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx"}


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


def _outlook(
    session: Session, as_at: dt.date, region_code: str | None, progress: Reporter
) -> Outlook:
    from talentboard.forecast import ForecastInputError
    from talentboard.reports.outlook import outlook_for

    progress.start("Forecasting the outlook", total=1)
    try:
        found = outlook_for(session, as_at, region_code=region_code)
    except ForecastInputError as exc:
        raise CliError(f"--outlook: {exc}", exit_code=2) from exc
    progress.advance()
    return found


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
        at_option(
            "The date figures are taken at: YYYY-MM-DD, DD/MM/YYYY or 'demo' (default today)."
        ),
    ] = None,
    region: Annotated[
        str | None,
        region_option(
            "Restrict the report to one NHS England region, by its code (e.g. Y56 London)."
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="A report for one organisation, by its ODS code (e.g. RJ1): for the "
            "organisation's own use, with its exact figures (nothing withheld or rounded; not "
            "for publication).",
            show_default=False,
        ),
    ] = None,
    outlook: Annotated[
        bool,
        typer.Option(
            "--outlook",
            help="Add the Outlook section: a 36-month forecast and its backtest "
            "(takes seconds more; docs/forecast.md).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Write the board report on leadership stability, with disclosure control applied
    (for England or a region); a report for one organisation (--org) has its exact figures."""
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
    ods_code = org.strip().upper() if org else None
    if ods_code is not None and region_code is not None:
        raise CliError("--org and --region: a report is for a region or for one organisation", 2)
    if ods_code is not None and outlook:
        raise CliError("--outlook: the outlook is forecast for England or a region, not --org", 2)
    as_at = parse_as_at(at)
    document = _write(out, kind, as_at, region_code, ods_code, outlook, db)
    typer.echo(f"Report written to {out} ({document.scope}, as at {as_at.isoformat()}).")
    end_process()


def _write(
    out: Path,
    kind: str,
    as_at: dt.date,
    region_code: str | None,
    ods_code: str | None,
    outlook: bool,
    db: str | None,
) -> Report:
    """Build the report and write it to ``out``: ``talentboard report`` once its options
    are checked."""
    from talentboard.db import session_factory
    from talentboard.db.models import Organisation, Setting
    from talentboard.frames import snapshot
    from talentboard.frames.outcomes import load_indicators
    from talentboard.progress import reporter
    from talentboard.reports import build_report, render

    engine = engine_for(db)
    if ods_code is not None:
        with session_factory(engine)() as session:
            if session.get(Organisation, ods_code) is None:
                raise CliError(f"--org {ods_code}: no organisation with this ODS code", exit_code=2)
    # The charts' renderer starts once the libraries are loaded (started before, it slows
    # their loading more than it gains), and is ready by the time the report is built.
    drawing = ChartProcess.start() if kind in ("html", "pdf") else nullcontext()
    with drawing as charts, reporter() as progress:
        progress.start("Reading the register", total=1)
        with session_factory(engine)() as session:
            frames = snapshot.register(session)
            indicators = load_indicators(session)
            demo = session.get(Setting, "demo_as_at") is not None
            progress.advance()
            ahead = _outlook(session, as_at, region_code, progress) if outlook else None
        document = build_report(
            frames,
            as_at,
            region_code=region_code,
            ods_code=ods_code,
            progress=progress,
            indicators=indicators,
            demo=demo,
            outlook=ahead,
        )
        progress.start(f"Writing {kind.upper()}", total=1)
        content = render(document, kind, charts)
        _write_atomically(out, content)
        progress.advance()
    engine.dispose()
    return document
