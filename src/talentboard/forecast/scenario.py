"""Scenarios: what-if changes to the calibrated model, read from small TOML files.

A scenario file (docs/forecast.md, "Scenarios") holds any of these keys; a key left out
keeps what the history shows:

- ``name``: a label;
- ``turnover_multiplier``: multiplies the departure hazard (a proportional change:
  survival ``S`` becomes ``S ** m``); ``[turnover_multiplier_by_segment]`` sets it per
  oversight segment (keys ``"1"`` to ``"5"``, ``"unrated"``), over the general one;
- ``time_to_fill_multiplier``: stretches (above 1) or shortens vacancy durations;
- ``talent_pool_growth``: more ready-now successors: 0.5 is half as many again, added as
  new named successors on critical posts at random, each post's chance being
  ``growth x ready-now successors / critical posts``;
- ``pool_appointment_share``: the chance that a vacancy with a ready-now successor
  available is filled by them (1 as the model stands);
- ``bme_share_external``: the BME share among external appointees whose ethnic group is
  known; ``bme_share_appointments``: the same among all appointees not named on a plan
  (internal and external; ``bme_share_external`` wins for external ones).

A sweep file holds several scenarios as ``[[scenario]]`` tables with the same keys.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = ["BASELINE", "Scenario", "ScenarioError", "load_scenario", "load_sweep"]

SEGMENT_KEYS = ("1", "2", "3", "4", "5", "unrated")
MULTIPLIER_LIMITS = (0.0, 20.0)


class ScenarioError(ValueError):
    """A scenario file or key that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Scenario:
    """The levers of a scenario (see the module docstring); defaults are the baseline."""

    name: str = "baseline"
    turnover_multiplier: float = 1.0
    turnover_multiplier_by_segment: Mapping[str, float] = field(default_factory=dict)
    time_to_fill_multiplier: float = 1.0
    talent_pool_growth: float = 0.0
    pool_appointment_share: float = 1.0
    bme_share_external: float | None = None
    bme_share_appointments: float | None = None

    def turnover_for(self, segment: int | None) -> float:
        key = "unrated" if segment is None else str(segment)
        return float(self.turnover_multiplier_by_segment.get(key, self.turnover_multiplier))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["turnover_multiplier_by_segment"] = dict(self.turnover_multiplier_by_segment)
        return data

    def with_values(self, **values: Any) -> Scenario:
        return replace(self, **values)


BASELINE = Scenario()

_NUMBERS: dict[str, tuple[float, float]] = {
    "turnover_multiplier": MULTIPLIER_LIMITS,
    "time_to_fill_multiplier": MULTIPLIER_LIMITS,
    "talent_pool_growth": (0.0, 10.0),
    "pool_appointment_share": (0.0, 1.0),
    "bme_share_external": (0.0, 1.0),
    "bme_share_appointments": (0.0, 1.0),
}


def _number(where: str, key: str, value: object, limits: tuple[float, float]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: key {key!r} must be a number, not {value!r}")
    number = float(value)
    low, high = limits
    if not math.isfinite(number) or number < low or number > high:
        raise ScenarioError(
            f"{where}: key {key!r} must be between {low:g} and {high:g}, not {value}"
        )
    if key.endswith("multiplier") and number == 0.0 and key == "time_to_fill_multiplier":
        raise ScenarioError(f"{where}: key {key!r} must be above 0")
    return number


def scenario_from_mapping(data: Mapping[str, Any], where: str = "scenario") -> Scenario:
    """A scenario from parsed TOML; unknown keys and bad values are named."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "name":
            if not isinstance(value, str) or not value.strip():
                raise ScenarioError(f"{where}: key 'name' must be a non-empty text")
            values["name"] = value.strip()
        elif key in _NUMBERS:
            values[key] = _number(where, key, value, _NUMBERS[key])
        elif key == "turnover_multiplier_by_segment":
            if not isinstance(value, Mapping):
                raise ScenarioError(f"{where}: key {key!r} must be a table of segment = number")
            by_segment = {}
            for segment, multiplier in value.items():
                if str(segment) not in SEGMENT_KEYS:
                    raise ScenarioError(
                        f"{where}: key '{key}.{segment}': not an oversight segment "
                        f"({', '.join(SEGMENT_KEYS)})"
                    )
                by_segment[str(segment)] = _number(
                    where, f"{key}.{segment}", multiplier, MULTIPLIER_LIMITS
                )
            values[key] = by_segment
        else:
            raise ScenarioError(f"{where}: unknown key {key!r}")
    return Scenario(**values)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from exc


def load_scenario(path: str | Path) -> Scenario:
    """The scenario in a TOML file, or a :class:`ScenarioError` naming the bad key."""
    file = Path(path)
    return scenario_from_mapping(_read(file), str(file))


def load_sweep(path: str | Path) -> list[Scenario]:
    """The ``[[scenario]]`` tables of a sweep file, in order, with distinct names."""
    file = Path(path)
    data = _read(file)
    unknown = sorted(set(data) - {"scenario"})
    if unknown:
        raise ScenarioError(
            f"{file}: unknown key {unknown[0]!r} (a sweep holds [[scenario]] tables)"
        )
    tables = data.get("scenario")
    if not isinstance(tables, list) or not tables:
        raise ScenarioError(f"{file}: key 'scenario' must hold at least one [[scenario]] table")
    scenarios = []
    for number, table in enumerate(tables, start=1):
        scenario = scenario_from_mapping(table, f"{file}, scenario {number}")
        if "name" not in table:
            scenario = scenario.with_values(name=f"scenario {number}")
        scenarios.append(scenario)
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScenarioError(f"{file}: key 'name' {duplicates[0]!r} is used by two scenarios")
    return scenarios
