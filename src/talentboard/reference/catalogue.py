"""Roles, regions, ethnic categories, frameworks and programmes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from talentboard.reference._files import as_bool, list_json, read_csv, read_json


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    label: str
    level: str
    executive: bool
    voting: bool
    group: str


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class EthnicCategory:
    """An NHS Data Dictionary ethnic category; ``bme`` is None for not stated or not known."""

    code: str
    label: str
    group: str
    bme: bool | None


@dataclass(frozen=True, slots=True)
class FrameworkDomain:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Framework:
    code: str
    name: str
    version: str
    units: str
    domains: tuple[FrameworkDomain, ...]
    scale: tuple[tuple[int | None, str], ...]

    @property
    def domain_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains)

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(sorted(s for s, _ in self.scale if s is not None))


@dataclass(frozen=True, slots=True)
class Programme:
    code: str
    name: str
    provider: str
    target_level: str
    target_roles: tuple[str, ...]
    positive_action: bool
    description: str


@cache
def roles() -> tuple[Role, ...]:
    return tuple(
        Role(
            r["role_code"],
            r["label"],
            r["level"],
            as_bool(r["executive"]),
            as_bool(r["voting"]),
            r["group"],
        )
        for r in read_csv("roles.csv")
    )


@cache
def regions() -> tuple[Region, ...]:
    return tuple(Region(r["region_code"], r["name"]) for r in read_csv("regions.csv"))


@cache
def ethnic_categories() -> tuple[EthnicCategory, ...]:
    return tuple(
        EthnicCategory(r["code"], r["label"], r["group"], as_bool(r["bme"]) if r["bme"] else None)
        for r in read_csv("ethnic_categories.csv")
    )


@cache
def frameworks() -> dict[str, Framework]:
    result = {}
    for name in list_json("frameworks"):
        raw = read_json(name)
        result[raw["code"]] = Framework(
            code=raw["code"],
            name=raw["name"],
            version=raw["version"],
            units=raw["units"],
            domains=tuple(FrameworkDomain(d["code"], d["name"]) for d in raw["domains"]),
            scale=tuple((s["score"], s["label"]) for s in raw["scale"]),
        )
    return result


def framework(code: str) -> Framework:
    return frameworks()[code]


@cache
def programmes() -> tuple[Programme, ...]:
    return tuple(
        Programme(
            r["programme_code"],
            r["name"],
            r["provider"],
            r["target_level"],
            tuple(x for x in r["target_roles"].split(";") if x),
            as_bool(r["positive_action"]),
            r["description"],
        )
        for r in read_csv("programmes.csv")
    )


ROLE_CODES: tuple[str, ...] = tuple(r.code for r in roles())
REGION_CODES: tuple[str, ...] = tuple(r.code for r in regions())
ETHNIC_CODES: tuple[str, ...] = tuple(c.code for c in ethnic_categories())
BME_CODES: frozenset[str] = frozenset(c.code for c in ethnic_categories() if c.bme)
