"""Fictitious names drawn from common given and family names of the NHS workforce.

``data/given_names.csv`` and ``data/family_names.csv`` list common names by origin;
``data/name_origins.csv`` says which origins fit each NHS ethnic category. Names are
combined at random, so every person is fictitious.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from talentboard.demo.rng import Weighted

_DATA = resources.files("talentboard.demo") / "data"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((_DATA / name).read_text(encoding="utf-8"))))


@dataclass(frozen=True, slots=True)
class NameBook:
    given: dict[tuple[str, str], tuple[str, ...]]
    family: dict[str, tuple[str, ...]]
    given_origins: dict[str, Weighted[str]]
    family_origins: dict[str, Weighted[str]]

    def draw(self, rng: random.Random, ethnic_code: str, sex: str) -> tuple[str, str]:
        """A given and family name for someone of this ethnic category and sex."""
        name_sex = sex if sex in ("female", "male") else rng.choice(("female", "male"))
        given = self.given[(self.given_origins[ethnic_code].draw(rng), name_sex)]
        family = self.family[self.family_origins[ethnic_code].draw(rng)]
        return rng.choice(given), rng.choice(family)


@cache
def name_book() -> NameBook:
    given: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows("given_names.csv"):
        given[(row["origin"], row["sex"])].append(row["given_name"])
    family: dict[str, list[str]] = defaultdict(list)
    for row in _rows("family_names.csv"):
        family[row["origin"]].append(row["family_name"])
    origins: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for row in _rows("name_origins.csv"):
        origins[(row["ethnic_code"], row["part"])].append((row["origin"], float(row["weight"])))
    codes = sorted({code for code, _ in origins})
    return NameBook(
        given={key: tuple(names) for key, names in given.items()},
        family={key: tuple(names) for key, names in family.items()},
        given_origins={code: Weighted(origins[(code, "given")]) for code in codes},
        family_origins={code: Weighted(origins[(code, "family")]) for code in codes},
    )
