"""Direct SQL for the demo tests: the DESIGN section 5 definitions, written out by hand.

Deliberately independent of any analytics module, so the tests check the generated data
against the definitions themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Date, Engine, Row, bindparam, text

from talentboard.demo import DemoSummary

AS_AT = dt.date(2026, 9, 30)
THREE_YEARS_BEFORE = dt.date(2023, 9, 30)
TWELVE_MONTHS_BEFORE = dt.date(2025, 9, 30)
BME = ["D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"]


@dataclass(frozen=True)
class LoadedDemo:
    """A database holding a committed demo, and what the generator reported."""

    engine: Engine
    summary: DemoSummary


COVERS = """a.start_date <= :t AND (a.end_date IS NULL OR :t < a.end_date)"""
EXISTS_AT = """(p.established_from IS NULL OR p.established_from <= :t)
    AND (p.established_to IS NULL OR :t < p.established_to)"""
EXECUTIVE = """p.level = 'board' AND p.executive = :yes"""


def run(engine: Engine, sql: str, **params: Any) -> list[Row[Any]]:
    """Rows of ``sql``; dates and booleans bound with their types, lists expanded."""
    binds = []
    for name, value in params.items():
        if isinstance(value, bool):
            binds.append(bindparam(name, value, type_=Boolean))
        elif isinstance(value, dt.date):
            binds.append(bindparam(name, value, type_=Date))
        elif isinstance(value, list):
            binds.append(bindparam(name, value, expanding=True))
        else:
            binds.append(bindparam(name, value))
    with engine.connect() as connection:
        return list(connection.execute(text(sql).bindparams(*binds)).all())


def as_date(value: Any) -> dt.date | None:
    """A date from a result column (SQLite returns text for untyped columns)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def day_gap(engine: Engine, later: str, earlier: str) -> str:
    if engine.dialect.name == "sqlite":
        return f"(julianday({later}) - julianday({earlier}))"
    return f"({later} - {earlier})"


def spells_sql(engine: Engine, where: str = EXECUTIVE) -> str:
    """Substantive spells: consecutive substantive or joint appointments of one person to
    one post merged when the gap between them is at most one day."""
    gap = day_gap(engine, "start_date", "previous_end")
    return f"""
    WITH contracts AS (
        SELECT a.person_ref, a.post_ref, a.start_date, a.end_date,
               LAG(a.end_date) OVER (
                   PARTITION BY a.person_ref, a.post_ref ORDER BY a.start_date
               ) AS previous_end
        FROM appointments a JOIN posts p ON p.id = a.post_ref
        WHERE {where} AND a.appointment_type IN ('substantive', 'joint')
    ), marked AS (
        SELECT person_ref, post_ref, start_date, end_date,
               CASE WHEN previous_end IS NOT NULL AND {gap} <= 1 THEN 0 ELSE 1 END AS opens
        FROM contracts
    ), numbered AS (
        SELECT person_ref, post_ref, start_date, end_date,
               SUM(opens) OVER (
                   PARTITION BY person_ref, post_ref ORDER BY start_date
                   ROWS UNBOUNDED PRECEDING
               ) AS spell_number
        FROM marked
    )
    SELECT n.person_ref, n.post_ref, p.role_code, p.ods_code,
           MIN(n.start_date) AS start_date,
           CASE WHEN COUNT(n.end_date) = COUNT(*) THEN MAX(n.end_date) END AS end_date,
           COUNT(*) AS contracts,
           MAX(n.start_date) AS last_start
    FROM numbered n JOIN posts p ON p.id = n.post_ref
    GROUP BY n.person_ref, n.post_ref, p.role_code, p.ods_code, n.spell_number
    """


SEGMENTS_AT = """
    SELECT r.ods_code, r.oversight_segment
    FROM performance_ratings r
    JOIN (
        SELECT ods_code, MAX(effective_from) AS effective_from
        FROM performance_ratings WHERE effective_from <= :t GROUP BY ods_code
    ) latest ON latest.ods_code = r.ods_code AND latest.effective_from = r.effective_from
"""

EXECUTIVE_POSTS_AT = f"""
    SELECT p.id, p.ods_code, p.role_code,
           CASE WHEN EXISTS (
               SELECT 1 FROM appointments a
               WHERE a.post_ref = p.id AND a.appointment_type IN ('substantive', 'joint')
                 AND {COVERS}
           ) THEN 0 ELSE 1 END AS vacant,
           CASE WHEN EXISTS (
               SELECT 1 FROM appointments a
               WHERE a.post_ref = p.id AND a.appointment_type IN ('interim', 'acting', 'secondment')
                 AND {COVERS}
           ) THEN 1 ELSE 0 END AS covered
    FROM posts p
    WHERE {EXECUTIVE} AND {EXISTS_AT}
"""
