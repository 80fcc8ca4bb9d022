"""Register-shaped frames for pure-function tests, with the schemas of frames.register."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from talentboard.frames.register import APPOINTMENTS_SCHEMA, PEOPLE_SCHEMA, POSTS_SCHEMA
from talentboard.reference import roles
from talentboard.talent.schemas import frame

ROLE = {r.code: r for r in roles()}

POSTS = POSTS_SCHEMA
PEOPLE = PEOPLE_SCHEMA
APPOINTMENTS = APPOINTMENTS_SCHEMA


def posts(*rows: tuple[int, str, str, str] | dict[str, Any]) -> pl.DataFrame:
    """Posts from (post_ref, post_id, ods_code, role_code) or full dicts; level, executive
    and voting default to the role catalogue's."""
    out = []
    for row in rows:
        data = (
            dict(row)
            if isinstance(row, dict)
            else dict(zip(("post_ref", "post_id", "ods_code", "role_code"), row, strict=True))
        )
        role = ROLE[data["role_code"]]
        data.setdefault("title", role.label)
        data.setdefault("level", role.level)
        data.setdefault("executive", role.executive)
        data.setdefault("voting", role.voting)
        out.append(data)
    return frame(POSTS, out)


def appointments(
    *rows: tuple[int, int, dt.date, dt.date | None] | tuple[int, int, dt.date, dt.date | None, str],
) -> pl.DataFrame:
    """Appointments from (person_ref, post_ref, start, end[, type]); numbered from 1."""
    out = []
    for index, row in enumerate(rows, start=1):
        kind = row[4] if len(row) == 5 else "substantive"
        out.append(
            {
                "appointment_ref": index,
                "person_ref": row[0],
                "post_ref": row[1],
                "start_date": row[2],
                "end_date": row[3],
                "appointment_type": kind,
            }
        )
    return frame(APPOINTMENTS, out)


def people(*rows: dict[str, Any]) -> pl.DataFrame:
    return frame(PEOPLE, rows)
