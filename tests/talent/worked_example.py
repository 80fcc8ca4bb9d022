"""The worked example of docs/talent.md ("Succession risk"), as database rows.

RRK-FD's substantive holder started on 2025-03-31; the 19 other finance director spells
are at trusts T01-T19 in segments 3 to 5: 4 of 365 days (ended), 3 of 730 days (ended)
and 12 serving since 2023-01-01. One successor, ready in 1-2 years, in post at RRK.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, PerformanceRating
from tests.talent import factories as f

AT = dt.date(2026, 9, 30)
DOC = Path(__file__).resolve().parents[2] / "docs" / "talent.md"


def documented_post() -> dict[str, Any]:
    """The JSON post object between the worked-example markers of docs/talent.md."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- worked-example:start -->\s*```json\n(.*?)```\s*<!-- worked-example:end -->",
        text,
        re.DOTALL,
    )
    assert block is not None, "docs/talent.md has no worked example block"
    result: dict[str, Any] = json.loads(block.group(1))
    return result


def build_worked_example(session: Session) -> None:
    holder = f.person(session, "HOLDER")
    successor = f.person(session, "SUCCESSOR")
    post = f.post(session, "RRK-FD", "RRK", "finance_director")
    f.appoint(session, holder, post, dt.date(2025, 3, 31))
    deputy = f.post(session, "RRK-DEP", "RRK", "associate_director")
    f.appoint(session, successor, deputy, dt.date(2022, 1, 1))
    f.plan(session, post, [(successor, "ready_1_2y", True)], dt.date(2026, 6, 1))
    for i in range(19):
        code = f"T{i + 1:02d}"
        session.add(
            Organisation(ods_code=code, name=f"Test trust {code}", kind="acute", region_code="Y60")
        )
        session.add(
            PerformanceRating(
                ods_code=code, effective_from=dt.date(2026, 3, 1), oversight_segment=3 + i % 3
            )
        )
        session.flush()
        other = f.post(session, f"{code}-FD", code, "finance_director")
        person = f.person(session, f"FD{i + 1:02d}")
        if i < 4:
            start, end = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
        elif i < 7:
            start, end = dt.date(2021, 1, 1), dt.date(2023, 1, 1)
        else:
            start, end = dt.date(2023, 1, 1), None
        f.appoint(session, person, other, start, end)
    session.flush()
