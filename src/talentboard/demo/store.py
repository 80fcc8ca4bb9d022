"""Writing the demo to the database: the emptiness check, ``--replace``, bulk inserts.

Rows are inserted with explicit ids through SQLAlchemy Core ``executemany`` in chunks,
which is what makes a national demo take seconds rather than minutes; PostgreSQL's id
sequences are moved past the inserted ids afterwards so later inserts do not collide.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import JSON, Connection, Date, Table, bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    AppraisalRecord,
    Assessment,
    BoardMemberReference,
    BuddyPairing,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    MatchProposal,
    MatchRun,
    Opportunity,
    Organisation,
    PerformanceRating,
    Person,
    Post,
    ReadinessReview,
    Setting,
    SuccessionPlan,
    Successor,
    TalentProfile,
    User,
)
from talentboard.progress import SILENT, Reporter
from talentboard.reference import reference_organisations, reference_performance

CHUNK = 20_000

# Children before parents, so a table is emptied before the tables it refers to.
CLEARED_TABLES: tuple[type, ...] = (
    MatchProposal,
    BuddyPairing,
    MatchRun,
    DevelopmentAction,
    CareerConversation,
    ReadinessReview,
    TalentProfile,
    Assessment,
    Successor,
    SuccessionPlan,
    FitAndProperCheck,
    BoardMemberReference,
    AppraisalRecord,
    Appointment,
    Opportunity,
    Post,
    Person,
)
# Tables whose ids the generator assigns.
ID_TABLES = (
    "performance_ratings",
    "posts",
    "people",
    "appointments",
    "talent_profiles",
    "readiness_reviews",
    "career_conversations",
    "development_actions",
    "assessments",
    "succession_plans",
    "successors",
    "opportunities",
    "fit_and_proper_checks",
    "board_member_references",
    "appraisal_records",
)


class DemoRefusedError(Exception):
    """The database is not in a state the demo may be loaded into."""


def _table(model: type) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(_table(model))) or 0


def holdings(session: Session) -> dict[str, int]:
    """How many people, posts and opportunities the database holds."""
    return {
        "people": _count(session, Person),
        "posts": _count(session, Post),
        "opportunities": _count(session, Opportunity),
    }


def clear_demo_tables(session: Session) -> None:
    """Empty the register and talent tables and undo the demo's edits to organisations.

    Organisations and the shipped performance ratings stay (with the shipped values put
    back); users stay, unlinked from people. Refuses while an ``individual`` user account
    belongs to a person, since such an account cannot exist without its person.
    """
    linked = session.scalars(
        select(User.username).where(User.role == "individual", User.person_ref.is_not(None))
    ).all()
    if linked:
        names = ", ".join(sorted(linked)[:5])
        raise DemoRefusedError(
            f"--replace would delete the people that {len(linked)} individual user "
            f"account(s) belong to ({names}); disable or remove those accounts first"
        )
    session.execute(update(_table(User)).values(person_ref=None))
    for model in CLEARED_TABLES:
        session.execute(delete(_table(model)))
    _restore_reference_organisations(session)


def _restore_reference_organisations(session: Session) -> None:
    shipped = {(p.ods_code, p.effective_from): p.cqc_rating for p in reference_performance()}
    codes = {o.ods_code for o in reference_organisations()}
    ratings = _table(PerformanceRating)
    stale: list[int] = []
    restore: list[dict[str, object]] = []
    query = select(ratings.c.id, ratings.c.ods_code, ratings.c.effective_from)
    for rating_id, ods_code, effective in session.execute(query):
        if ods_code not in codes:
            continue
        if (ods_code, effective) in shipped:
            restore.append({"b_id": rating_id, "b_cqc": shipped[(ods_code, effective)]})
        else:
            stale.append(rating_id)
    for start in range(0, len(stale), 500):
        session.execute(delete(ratings).where(ratings.c.id.in_(stale[start : start + 500])))
    if restore:
        session.execute(
            update(ratings)
            .where(ratings.c.id == bindparam("b_id"))
            .values(cqc_rating=bindparam("b_cqc")),
            restore,
        )
    organisations = _table(Organisation)
    session.execute(
        update(organisations)
        .where(organisations.c.ods_code == bindparam("b_ods"))
        .values(bme_staff_share=bindparam("b_share")),
        [{"b_ods": o.ods_code, "b_share": o.bme_staff_share} for o in reference_organisations()],
    )


def first_ids(session: Session) -> dict[str, int]:
    """The first free id of each table the generator writes to."""
    from talentboard.db.models import Base

    result = {}
    for name in ID_TABLES:
        table = Base.metadata.tables[name]
        result[name] = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return result


def insert_rows(
    session: Session,
    model: type,
    rows: Sequence[dict[str, object]],
    progress: Reporter = SILENT,
    label: str | None = None,
) -> None:
    """Insert ``rows`` in chunks with ``executemany``, advancing ``progress`` per chunk.

    Rows become tuples in column order, dates and JSON converted here, and go to
    the driver's ``executemany`` through the session's connection: SQLAlchemy's per-row
    parameter processing costs more than SQLite's insert itself at a million rows. On
    PostgreSQL psycopg would run an ``executemany`` as one INSERT per row, so the rows go
    through ``COPY`` on the same connection and transaction instead.
    """
    if not rows:
        return
    table = _table(model)
    if label:
        progress.start(label, len(rows))
    connection = session.connection()
    dialect = connection.dialect.name
    columns = [c for c in table.columns if c.name in rows[0]]
    names = [c.name for c in columns]
    extract = itemgetter(*names)
    json_at = [i for i, c in enumerate(columns) if isinstance(c.type, JSON)]
    # SQLAlchemy stores SQLite dates as ISO 8601 text; psycopg's COPY takes dates as they are.
    date_at = [i for i, c in enumerate(columns) if isinstance(c.type, Date)]
    if dialect != "sqlite":
        date_at = []
    marks = ", ".join("?" for _ in names)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = [list(extract(row)) for row in chunk]
        for row_values in values:
            for index in json_at:
                row_values[index] = json.dumps(row_values[index])
            for index in date_at:
                day = row_values[index]
                if isinstance(day, dt.date):
                    row_values[index] = day.isoformat()
        if dialect == "sqlite":
            connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
                [tuple(row_values) for row_values in values],
            )
        elif dialect == "postgresql":
            _copy_rows(connection, table.name, names, values)
        else:
            connection.execute(table.insert(), list(chunk))
        if label:
            progress.advance(len(chunk))


def _copy_rows(
    connection: Connection, table_name: str, names: list[str], values: list[list[object]]
) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = f"COPY {table_name} ({', '.join(names)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def update_organisations(
    session: Session, shares: dict[str, float], cqc_updates: list[tuple[int, str]]
) -> None:
    organisations = _table(Organisation)
    if shares:
        session.execute(
            update(organisations)
            .where(organisations.c.ods_code == bindparam("b_ods"))
            .values(bme_staff_share=bindparam("b_share")),
            [{"b_ods": code, "b_share": share} for code, share in shares.items()],
        )
    ratings = _table(PerformanceRating)
    if cqc_updates:
        session.execute(
            update(ratings)
            .where(ratings.c.id == bindparam("b_id"))
            .values(cqc_rating=bindparam("b_cqc")),
            [{"b_id": rating_id, "b_cqc": cqc} for rating_id, cqc in cqc_updates],
        )


def reset_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT MAX(id) FROM {name}))"
            )
        )


@contextmanager
def bulk_loading(session: Session) -> Iterator[None]:
    """A large SQLite page cache while loading (index inserts at a million rows thrash the
    default 2 MB cache), put back afterwards."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def write_settings(session: Session, values: dict[str, str]) -> None:
    settings = _table(Setting)
    session.execute(delete(settings).where(settings.c.key.in_(list(values))))
    session.execute(settings.insert(), [{"key": k, "value": v} for k, v in values.items()])
