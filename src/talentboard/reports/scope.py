"""The scope of a report: all of England, the organisations of one NHS England region, or
one organisation.

A regional report is the national one over a smaller register: the region's
organisations, their ratings and posts, the appointments to those posts and the people
who hold them. Each figure is then its definition restricted to the region's posts and
organisations (DESIGN section 5), as for any group.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from talentboard.frames import RegisterFrames
from talentboard.reference import REGION_CODES, regions

__all__ = [
    "Scope",
    "organisation_scope",
    "restrict_to_organisation",
    "restrict_to_region",
    "scope_for",
]


@dataclass(frozen=True)
class Scope:
    """What a report covers: its name ("England", "London region") and the phrase used in
    sentences ("in England", "in the London region")."""

    region_code: str | None
    name: str
    where: str
    ods_code: str | None = None


def scope_for(region_code: str | None) -> Scope:
    """The scope of a report for ``region_code`` (None: England)."""
    if region_code is None:
        return Scope(None, "England", "in England")
    if region_code not in REGION_CODES:
        raise ValueError(f"{region_code!r} is not an NHS England region code")
    name = {r.code: r.name for r in regions()}[region_code]
    return Scope(region_code, f"{name} region", f"in the {name} region")


def restrict_to_region(frames: RegisterFrames, region_code: str) -> RegisterFrames:
    """The part of the register that belongs to the region's organisations."""
    organisations = frames.organisations.filter(pl.col("region_code") == region_code)
    codes = organisations["ods_code"].implode()
    posts = frames.posts.filter(pl.col("ods_code").is_in(codes))
    appointments = frames.appointments.filter(pl.col("post_ref").is_in(posts["post_ref"].implode()))
    people = frames.people.filter(pl.col("person_ref").is_in(appointments["person_ref"].implode()))
    return RegisterFrames(
        organisations=organisations,
        ratings=frames.ratings.filter(pl.col("ods_code").is_in(codes)),
        posts=posts,
        people=people,
        appointments=appointments,
    )


def organisation_scope(frames: RegisterFrames, ods_code: str) -> Scope:
    """The scope of a report for one organisation of the register."""
    found = frames.organisations.filter(pl.col("ods_code") == ods_code)
    if found.height == 0:
        raise ValueError(f"{ods_code!r} is not an organisation in the register")
    name = str(found["name"][0])
    return Scope(found["region_code"][0], name, f"at {name}", ods_code=ods_code)


def restrict_to_organisation(frames: RegisterFrames, ods_code: str) -> RegisterFrames:
    """The part of the register that belongs to one organisation."""
    organisations = frames.organisations.filter(pl.col("ods_code") == ods_code)
    posts = frames.posts.filter(pl.col("ods_code") == ods_code)
    appointments = frames.appointments.filter(pl.col("post_ref").is_in(posts["post_ref"].implode()))
    people = frames.people.filter(pl.col("person_ref").is_in(appointments["person_ref"].implode()))
    return RegisterFrames(
        organisations=organisations,
        ratings=frames.ratings.filter(pl.col("ods_code") == ods_code),
        posts=posts,
        people=people,
        appointments=appointments,
    )
