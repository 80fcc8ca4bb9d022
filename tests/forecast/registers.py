"""Small registers written out by hand for the forecast tests.

``world()`` builds, for ``posts`` executive finance director posts spread over three
organisations (``TSTA`` segment 2, ``TSTB`` segment 4, ``TSTC`` segment 1), a history of
substantive spells from 2010-01-01: spell ``k`` of post ``i`` lasts
``SPELL_DAYS[(i + k) % 5]`` days, and each is followed by a vacancy of ``gap_days`` (a
handover when 0), until ``until``; the spell then running is the current holder's, with
no end date. Each executive post has a voting non-executive post beside it whose holders
alternate between a BME (``M``) and a white (``A``) ethnic category.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.talent.schemas import SUCCESSORS, frame
from tests.frames.registers import RegisterBuilder

AS_AT = dt.date(2026, 9, 30)
START = dt.date(2010, 1, 1)
SPELL_DAYS = (300, 700, 1100, 1500, 1900)
ORGS = (("TSTA", "Y56", 2), ("TSTB", "Y58", 4), ("TSTC", "Y56", 1))


class World(RegisterBuilder):
    """A register builder that also holds successor entries."""

    def __init__(self) -> None:
        super().__init__()
        self.successors: list[dict[str, object]] = []

    def new_person(self, ethnic_category: str | None = "A") -> str:
        person_id = f"PER{len(self.people) + 1:05d}"
        self.person(person_id, ethnic_category)
        return person_id

    def name(self, person_id: str, post_id: str, readiness: str, reviewed: dt.date) -> None:
        self.successors.append(
            {
                "plan_ref": 1,
                "post_ref": self.post_ref(post_id),
                "person_ref": self.person_ref(person_id),
                "readiness": readiness,
                "emergency_cover": False,
                "reviewed_on": reviewed,
            }
        )

    def post_ref(self, post_id: str) -> int:
        return int(next(p["post_ref"] for p in self.posts if p["post_id"] == post_id))

    def person_ref(self, person_id: str) -> int:
        return int(next(p["person_ref"] for p in self.people if p["person_id"] == person_id))

    def successor_frame(self) -> pl.DataFrame:
        return frame(SUCCESSORS, self.successors)


def history(
    w: World,
    post_id: str,
    offset: int,
    gap_days: int,
    categories: tuple[str, ...] = ("A",),
    until: dt.date = AS_AT,
) -> None:
    """Spells of ``post_id`` from START to ``until`` as the module docstring says."""
    day, k = START, 0
    while day <= until:
        length = SPELL_DAYS[(offset + k) % len(SPELL_DAYS)]
        end = day + dt.timedelta(days=length)
        person = w.new_person(categories[k % len(categories)])
        w.appoint(person, post_id, day.isoformat(), None if end > until else end.isoformat())
        day, k = end + dt.timedelta(days=gap_days), k + 1


def world(
    posts: int = 30,
    gap_days: int = 400,
    *,
    with_voting: bool = True,
    until: dt.date = AS_AT,
) -> World:
    w = World()
    for ods, region, segment in ORGS:
        w.org(ods, region=region, segment=segment, rated_from="2009-01-01")
    for i in range(posts):
        ods = ORGS[i % len(ORGS)][0]
        w.post(f"{ods}-FD{i}", ods, "finance_director")
        history(w, f"{ods}-FD{i}", i, gap_days, until=until)
        if with_voting:
            w.post(f"{ods}-NED{i}", ods, "non_executive_director")
            history(w, f"{ods}-NED{i}", i + 2, 0, ("M", "A"), until=until)
    return w
