"""A generated register and indicator rows whose exposures are known by construction.

Organisation ``G01``..``G24`` (kinds acute, mental_health, community in turn; headcount
``1000 + 137 i``) has four executive posts. At period A (ending 2024-11-30)
``(i // 3) % 3`` of them have no substantive holder, at period B (ending 2025-11-30) and
at T (2026-09-30) ``(i // 2 + 1) % 3``: ``exec_vacancy_share`` is that number over 4.
Besides them: ``GAMB`` the only ambulance trust (a kind no other organisation shares),
``GNOP`` with indicator values but no posts, ``GNOV`` with posts but no indicator value,
``GLATE`` whose only value ends after T, and ``GSIZE`` with no headcount.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from talentboard.frames.outcomes import VALUES_SCHEMA
from talentboard.frames.register import RegisterFrames
from tests.frames.registers import RegisterBuilder

T = dt.date(2026, 9, 30)
PERIOD_A = (dt.date(2023, 12, 1), dt.date(2024, 11, 30))
PERIOD_B = (dt.date(2024, 12, 1), dt.date(2025, 11, 30))
AFTER_T = (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
KINDS = ("acute", "mental_health", "community")
ROLES = ("chief_executive", "finance_director", "medical_director", "nursing_director")
COUNT = 24


def code(i: int) -> str:
    return f"G{i:02d}"


def vacant_at_a(i: int) -> int:
    return (i // 3) % 3


def vacant_at_b(i: int) -> int:
    return (i // 2 + 1) % 3


def headcount(i: int) -> int:
    return 1000 + 137 * i


def outcome(i: int, share: float, period: int) -> float:
    """An indicator value: a size effect, a kind effect, the exposure and fixed noise."""
    kind_effect = {"acute": 0.0, "mental_health": 0.4, "community": -0.2}[KINDS[i % 3]]
    return (
        6.0
        + 0.2 * math.log(headcount(i))
        + kind_effect
        - 0.8 * share
        + 0.05 * period
        + 0.3 * math.sin(3.7 * i + period)
    )


def _board(builder: RegisterBuilder, ods: str, vacant: tuple[int, int], serial: list[int]) -> None:
    """Four executive posts; post k is vacant at A when k < vacant[0], at B when k < vacant[1]."""
    for k, role in enumerate(ROLES):
        post = f"{ods}-{k}"
        builder.post(post, ods, role)
        at_a, at_b = k >= vacant[0], k >= vacant[1]
        if not (at_a or at_b):
            continue
        serial[0] += 1
        person = f"p{serial[0]}"
        builder.person(person)
        if at_a and at_b:
            builder.appoint(person, post, "2020-01-01")
        elif at_a:
            builder.appoint(person, post, "2020-01-01", "2025-06-30")
        else:
            builder.appoint(person, post, "2025-01-01")


def generated_register() -> RegisterFrames:
    return generated_builder().frames()


def generated_builder() -> RegisterBuilder:
    builder = RegisterBuilder()
    serial = [0]
    for i in range(1, COUNT + 1):
        builder.org(code(i), kind=KINDS[i % 3], headcount=headcount(i))
        _board(builder, code(i), (vacant_at_a(i), vacant_at_b(i)), serial)
    builder.org("GAMB", kind="ambulance", headcount=4000)
    _board(builder, "GAMB", (1, 1), serial)
    builder.org("GNOP", kind="acute", headcount=3000)
    builder.org("GNOV", kind="acute", headcount=3000)
    _board(builder, "GNOV", (0, 0), serial)
    builder.org("GLATE", kind="acute", headcount=3000)
    _board(builder, "GLATE", (0, 0), serial)
    builder.org("GSIZE", kind="acute", headcount=None)
    _board(builder, "GSIZE", (0, 0), serial)
    return builder


def indicator_rows() -> pl.DataFrame:
    """``staff_engagement`` for A and B (and after T for most), as an import would give."""
    rows = []
    for i in range(1, COUNT + 1):
        for period, (start, end), vacant in (
            (0, PERIOD_A, vacant_at_a(i)),
            (1, PERIOD_B, vacant_at_b(i)),
        ):
            rows.append(
                (code(i), "staff_engagement", start, end, outcome(i, vacant / 4, period), None)
            )
        rows.append((code(i), "staff_engagement", *AFTER_T, 9.9, None))
    for ods in ("GAMB", "GNOP", "GSIZE"):
        rows.append((ods, "staff_engagement", *PERIOD_B, 6.5, None))
    rows.append(("GLATE", "staff_engagement", *AFTER_T, 6.5, None))
    return pl.DataFrame(rows, schema=VALUES_SCHEMA, orient="row")
