"""Import, export and templates: the functions the CLI and the web upload page call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import polars as pl
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from talentboard.ingest.kinds import get_kind
from talentboard.ingest.mapping.apply import (
    MappedTable,
    ignored_warnings,
    map_table,
    relabel,
    unmapped_problems,
)
from talentboard.ingest.mapping.model import ColumnMap, check_mapping
from talentboard.ingest.read import WINDOWS_1252, RawTable, ReadError, read_table
from talentboard.ingest.report import ImportResult, Problem, ValidationReport
from talentboard.ingest.schema import Batch, Kind
from talentboard.ingest.scope import (
    ImportScope,
    people_in_scope,
    record_origins,
    scope_problems,
    scoped_frame,
)
from talentboard.ingest.templates import OwnOrganisation, own_examples
from talentboard.ingest.validate import Checked, check_table
from talentboard.ingest.write import file_format, write_mapped, write_rows
from talentboard.progress import SILENT, Reporter

SQLITE_CACHE_KIB = 65536
# The PostgreSQL advisory lock imports take in turn ("tbim").
IMPORT_LOCK = 0x7462696D


def _check(
    session: Session,
    kind: Kind,
    path: Path,
    progress: Reporter,
    scope: ImportScope | None = None,
    mapping: ColumnMap | None = None,
) -> Checked:
    if mapping is not None:
        check_mapping(mapping, kind)
    progress.start(f"Reading {path.name}")
    try:
        table = read_table(path, sheet=(mapping.sheet if mapping else None) or kind.name)
    except ReadError as exc:
        problem = Problem(path.name, None, None, None, str(exc))
        return Checked(ValidationReport(path.name, kind.name, None, 0, (problem,)))
    mapped = map_table(mapping, kind, table, path.name) if mapping else None
    if mapped is not None:
        table = mapped.table
    progress.start(f"Checking {len(table.rows):,} rows of {path.name}")
    checked = check_table(session, kind, path.name, table)
    if scope is not None:
        checked = _within(session, kind, path.name, table, checked, scope)
    if mapping is not None and mapped is not None:
        checked = _as_mapped(checked, mapped, mapping, path.name)
    if table.encoding == WINDOWS_1252:
        note = Problem(
            path.name,
            None,
            None,
            None,
            "not UTF-8: read as Windows-1252, the encoding of Excel's 'CSV (Comma delimited)'",
        )
        warnings = (note, *checked.report.warnings)
        checked = replace(checked, report=replace(checked.report, warnings=warnings))
    return checked


def _within(
    session: Session, kind: Kind, file: str, table: RawTable, checked: Checked, scope: ImportScope
) -> Checked:
    """``checked`` with a problem for every cell outside ``scope``; such a file loads nothing."""
    if any(p.row is None for p in checked.report.problems):
        # The header is wrong, so the cells cannot be placed in their columns.
        return checked
    outside = scope_problems(session, kind, file, table, scope)
    if not outside:
        return checked
    order = {name: i for i, name in enumerate(kind.column_names)}
    problems = sorted(
        dict.fromkeys((*checked.report.problems, *outside)),
        key=lambda p: (p.row or 0, order.get(p.column or "", len(order)), p.reason),
    )
    return Checked(replace(checked.report, problems=tuple(problems)))


def _as_mapped(checked: Checked, mapped: MappedTable, mapping: ColumnMap, file: str) -> Checked:
    """``checked`` with its columns named as the file names them, the values that do not
    map listed first, and a warning for each of the file's columns left unread."""
    report = checked.report
    unmapped = unmapped_problems(mapped, mapping, file)
    problems = (*unmapped, *relabel(report.problems, mapped)) if report.problems else ()
    ignored = ignored_warnings(mapped, mapping, file)
    warnings = (*ignored, *relabel(report.warnings, mapped))
    return replace(checked, report=replace(report, problems=problems, warnings=warnings))


@contextmanager
def _page_cache(session: Session, *, enlarge: bool) -> Iterator[None]:
    """On SQLite, a larger page cache while loading, then the one there was.

    A large load would otherwise spill SQLite's default 2 MB cache to disk before the
    commit, which makes it several times slower.
    """
    if not enlarge or session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def validate_file(
    session: Session,
    kind: str,
    path: str | Path,
    *,
    scope: ImportScope | None = None,
    mapping: ColumnMap | None = None,
) -> ValidationReport:
    """Check every row of the file at ``path`` as a file of ``kind``; write nothing.

    With ``scope``, every cell naming an organisation, post or person outside it is a
    problem too (:mod:`talentboard.ingest.scope`). With ``mapping``, the file is read
    through it (:mod:`talentboard.ingest.mapping`). Raises ``UnknownKindError`` for a kind
    that does not exist, ``MappingError`` for a mapping that cannot be used; every problem
    with the file itself is in the report.
    """
    return _check(session, get_kind(kind), Path(path), SILENT, scope, mapping).report


def import_file(
    session: Session,
    kind: str,
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: Reporter | None = None,
    scope: ImportScope | None = None,
    mapping: ColumnMap | None = None,
) -> ImportResult:
    """Validate the file at ``path`` and, when every row is valid, load it in one transaction.

    Rows are upserted on the kind's key: new keys inserted, changed rows updated, the rest
    left alone and counted as unchanged. Nothing is written when any row is invalid, nor
    on a dry run (which still counts what would change); with ``scope``, a row naming
    anything outside it is invalid; with ``mapping``, the file is read through it (see
    :func:`validate_file`). On success the session is
    committed; if the database refuses the data, everything the import wrote is rolled
    back and ``failure`` says why.
    """
    progress = progress or SILENT
    chosen = get_kind(kind)
    if not dry_run:
        _one_import_at_a_time(session)
    checked = _check(session, chosen, Path(path), progress, scope, mapping)
    if checked.rows is None:
        return ImportResult(checked.report, dry_run=dry_run)
    added = _people_added(session, chosen, checked.rows, scope)
    try:
        with _page_cache(session, enlarge=not dry_run):
            batch = Batch(checked.rows, checked.present, write=not dry_run, progress=progress)
            counts = chosen.mapping.load(session, batch)
        if added and not dry_run and scope is not None and scope.added_under is not None:
            record_origins(session, added, scope.added_under)
        if not dry_run:
            session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        return ImportResult(checked.report, dry_run=dry_run, failure=database_refusal(exc))
    except BaseException:
        session.rollback()
        raise
    return ImportResult(checked.report, counts, dry_run=dry_run)


def _people_added(
    session: Session, kind: Kind, rows: pl.DataFrame, scope: ImportScope | None
) -> list[str]:
    """The people a scoped import of people adds (those not in the database yet), so that
    where they were added is recorded with them."""
    if kind.name != "people" or scope is None or scope.added_under is None:
        return []
    named = rows.get_column("person_id").drop_nulls().unique().to_list()
    existing, _ = people_in_scope(session, scope, named, unplaced=False)
    return sorted(set(named) - existing)


def _one_import_at_a_time(session: Session) -> None:
    """Wait until no other import is loading, and keep others waiting until this one ends.

    Two imports naming the same new rows would otherwise both find them missing and both
    insert them, and the second would fail on the first's rows. SQLite lets one writer in
    at a time anyway (the importer's transaction takes the write lock when it begins); on
    PostgreSQL a transaction-scoped advisory lock does the same for imports, so each
    checks and loads its file against everything loaded before it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def database_refusal(exc: SQLAlchemyError) -> str:
    """One line saying why the database refused the data, without the SQL statement."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    detail = lines[0] if lines else type(cause).__name__
    if isinstance(exc, OperationalError) and ("locked" in detail or "busy" in detail):
        return (
            "the database was busy with other changes for longer than the import could wait, "
            f"so nothing was imported: try again ({detail})"
        )
    return f"the database refused the data, so nothing was imported: {detail}"


def export_frame(session: Session, kind: str, *, scope: ImportScope | None = None) -> pl.DataFrame:
    """Every stored row of ``kind`` in its columns, sorted by its key: what ``export`` writes.

    With ``scope``, only the rows inside it (:func:`talentboard.ingest.scope.scoped_frame`).
    """
    chosen = get_kind(kind)
    frame = chosen.mapping.export(session).select(chosen.column_names)
    if scope is not None:
        frame = scoped_frame(session, frame, scope)
    return frame.sort(list(chosen.key), maintain_order=True)


def export_kind(
    session: Session,
    kind: str,
    path: str | Path,
    *,
    scope: ImportScope | None = None,
    mapping: ColumnMap | None = None,
) -> int:
    """Write every stored row of ``kind`` to ``path`` (CSV or XLSX by its extension).

    The columns are the kind's canonical columns followed by its optional extra ones, the
    rows sorted by the kind's key, so importing the file changes nothing and exporting
    again gives the same file. With ``scope``, only the rows inside it. With ``mapping``,
    in the file's own layout instead: its headers, its values, its date format, so that
    importing with the same mapping changes nothing. Returns the number of rows written.
    """
    chosen = get_kind(kind)
    target = Path(path)
    file_format(target)
    if mapping is not None:
        check_mapping(mapping, chosen)
    frame = export_frame(session, chosen.name, scope=scope)
    if mapping is not None:
        write_mapped(chosen, mapping, frame, target)
    else:
        write_rows(chosen, frame, target)
    return frame.height


def template_frame(kind: str, own: OwnOrganisation | None = None) -> pl.DataFrame:
    """The kind's two example rows, parsed; with ``own``, in that organisation
    (``ingest.templates``)."""
    chosen = get_kind(kind)
    examples = chosen.examples if own is None else own_examples(chosen, own)
    columns = {}
    for column in chosen.columns:
        text = pl.Series(
            column.name, [row.get(column.name, "") for row in examples], dtype=pl.String
        ).replace("", None)
        values, reasons = column.type.parse(text)
        if reasons.drop_nulls().len():
            reason = reasons.drop_nulls()[0]
            raise ValueError(f"the {chosen.name} example's {column.name} is wrong: {reason}")
        columns[column.name] = values
    return pl.DataFrame(columns)


def write_template(kind: str, path: str | Path, own: OwnOrganisation | None = None) -> None:
    """Write the header and two example rows of ``kind`` to ``path`` (CSV or XLSX); with
    ``own``, example rows in that organisation (``ingest.templates``)."""
    chosen = get_kind(kind)
    target = Path(path)
    file_format(target)
    write_rows(chosen, template_frame(chosen.name, own), target)
