"""The backtest: forecast from the register as it stood at past dates, and compare.

At each origin the register is **blinded** (:func:`blind`): every fact recorded after the
origin is taken away, so the forecast knows only what was known then. The forecast of the
blinded register is compared with what the full register shows happened, per measure and
group (region by default, and all organisations):

- ``actual``: exec_departures, the executive spells that ended in (origin, origin + H
  months]; exec_vacancy_rate, interim_cover_share and bme_share_board_voting at origin + H
  months, exactly as ``talentboard stats`` computes them (docs/metrics.md);
- ``mean``, ``p05``, ``p95`` of the forecast, and ``covered``: the actual lies in the 90%
  interval ``[p05, p95]``;
- ``naive``: the last H months repeated: the departures of (origin - H months, origin], and
  a rate's value at the origin (a series repeating its last 12 months is, H months on,
  where it was at the origin when H is 12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.forecast.run import prepare, run_forecast
from talentboard.forecast.scenario import BASELINE
from talentboard.forecast.summary import COUNT_MEASURES
from talentboard.frames.register import RegisterFrames, spells
from talentboard.stability.board import board_figures, board_figures_by
from talentboard.stability.calendar import shift_months
from talentboard.stability.disclosure import disclose_count

__all__ = ["BACKTEST_MEASURES", "BacktestResult", "actuals", "backtest", "blind"]

BACKTEST_MEASURES = (
    "exec_departures",
    "exec_vacancy_rate",
    "interim_cover_share",
    "bme_share_board_voting",
)
ALL = "all"
_BY_COLUMN = {"region": "region_code", "org": "ods_code", "role": "role_code"}


def blind(
    register: RegisterFrames, successors: pl.DataFrame, origin: dt.date
) -> tuple[RegisterFrames, pl.DataFrame]:
    """The register and successor entries as they stood at ``origin``.

    Appointments starting later and posts established later are removed, later end dates
    (and their end reasons) and later abolition dates cleared, later performance ratings
    and successor reviews removed, and people left with no appointment and no successor
    entry removed.
    """
    later = pl.col("end_date") > origin
    appointments = register.appointments.filter(pl.col("start_date") <= origin).with_columns(
        pl.when(later).then(None).otherwise(pl.col("end_reason")).alias("end_reason"),
        pl.when(later).then(None).otherwise(pl.col("end_date")).alias("end_date"),
    )
    posts = register.posts.filter(
        pl.col("established_from").is_null() | (pl.col("established_from") <= origin)
    ).with_columns(
        pl.when(pl.col("established_to") > origin)
        .then(None)
        .otherwise(pl.col("established_to"))
        .alias("established_to")
    )
    appointments = appointments.join(posts.select("post_ref"), on="post_ref", how="semi")
    known_successors = successors.filter(
        pl.col("reviewed_on").is_not_null() & (pl.col("reviewed_on") <= origin)
    ).join(posts.select("post_ref"), on="post_ref", how="semi")
    people_seen = pl.concat(
        [appointments.select("person_ref"), known_successors.select("person_ref")]
    ).unique()
    people = register.people.join(people_seen, on="person_ref", how="semi")
    ratings = register.ratings.filter(pl.col("effective_from") <= origin)
    blinded = RegisterFrames(
        organisations=register.organisations,
        ratings=ratings,
        posts=posts,
        people=people,
        appointments=appointments,
    )
    return blinded, known_successors


def _departures(
    register: RegisterFrames, start: dt.date, end: dt.date, by: str | None
) -> dict[str, int]:
    """Executive spells ending in ``(start, end]``, overall and per group."""
    executive = register.posts.filter((pl.col("level") == "board") & pl.col("executive"))
    ended = (
        spells(register.appointments.join(executive.select("post_ref"), on="post_ref", how="semi"))
        .filter((pl.col("end_date") > start) & (pl.col("end_date") <= end))
        .join(executive.select("post_ref", "ods_code", "role_code"), on="post_ref")
        .join(register.organisations.select("ods_code", "region_code"), on="ods_code", how="left")
    )
    result = {ALL: ended.height}
    if by in _BY_COLUMN:
        for code, count in ended.group_by(_BY_COLUMN[by]).len().iter_rows():
            result[str(code)] = int(count)
    return result


def _rates(register: RegisterFrames, at: dt.date, by: str | None) -> dict[str, dict[str, Any]]:
    figures = {ALL: board_figures(register, at)}
    if by is not None:
        figures |= board_figures_by(register, at, by)
    return {
        code: {
            name: getattr(value, name)
            for name in ("exec_vacancy_rate", "interim_cover_share", "bme_share_board_voting")
        }
        for code, value in figures.items()
    }


def actuals(
    register: RegisterFrames, origin: dt.date, horizon_months: int, by: str | None
) -> dict[str, dict[str, Any]]:
    """What happened in the ``horizon_months`` after ``origin``: ``{group: {measure: value}}``."""
    end = shift_months(origin, horizon_months)
    rates = _rates(register, end, by)
    departures = _departures(register, origin, end, by)
    return {
        code: {"exec_departures": departures.get(code, 0), **values}
        for code, values in rates.items()
    }


def naive(
    register: RegisterFrames, origin: dt.date, horizon_months: int, by: str | None
) -> dict[str, dict[str, Any]]:
    """The last ``horizon_months`` repeated (see the module docstring)."""
    rates = _rates(register, origin, by)
    departures = _departures(register, shift_months(origin, -horizon_months), origin, by)
    return {
        code: {"exec_departures": departures.get(code, 0), **values}
        for code, values in rates.items()
    }


@dataclass(frozen=True)
class BacktestResult:
    origins: list[dt.date]
    horizon_months: int
    replications: int
    seed: int
    by: str
    rows: pl.DataFrame

    def coverage(self) -> dict[str, float | None]:
        """Share of group-by-origin cells (groups, not the total) whose interval covers."""
        cells = self.rows.filter((pl.col("group") != ALL) & pl.col("covered").is_not_null())
        result: dict[str, float | None] = {}
        for measure in BACKTEST_MEASURES:
            mine = cells.filter(pl.col("measure") == measure)
            result[measure] = float(mine["covered"].mean()) if mine.height else None  # type: ignore[arg-type]
        result["all"] = float(cells["covered"].mean()) if cells.height else None  # type: ignore[arg-type]
        return result

    def mae(self, measure: str = "exec_departures") -> dict[str, float | None]:
        """Mean absolute error of the forecast mean and of the naive forecast, over the
        group-by-origin cells, and how much lower the forecast's is (a fraction)."""
        cells = self.rows.filter(
            (pl.col("group") != ALL)
            & (pl.col("measure") == measure)
            & pl.col("error").is_not_null()
            & pl.col("naive_error").is_not_null()
        )
        if cells.height == 0:
            return {"forecast": None, "naive": None, "reduction": None}
        model = float(cells["error"].mean())  # type: ignore[arg-type]
        baseline = float(cells["naive_error"].mean())  # type: ignore[arg-type]
        return {
            "forecast": model,
            "naive": baseline,
            "reduction": None if baseline == 0 else 1.0 - model / baseline,
        }

    def to_json(self, *, exact: bool = True) -> dict[str, Any]:
        """``{"origins", "horizon_months", "replications", "seed", "by", "rows",
        "coverage", "mae", "exact"}``. Published (``exact=False``), the counts of
        ``exec_departures`` rows (actual, forecast, interval, naive, errors) are rounded to
        whole numbers and disclosed as counts (``talentboard.stability.disclosure``)."""
        rows = []
        for row in self.rows.iter_rows(named=True):
            shown = {**row, "origin": row["origin"].isoformat()}
            if not exact and row["measure"] in COUNT_MEASURES:
                for key in ("actual", "mean", "p05", "p95", "naive", "error", "naive_error"):
                    value = row[key]
                    shown[key] = None if value is None else disclose_count(round(value))
            rows.append(shown)
        return {
            "origins": [o.isoformat() for o in self.origins],
            "horizon_months": self.horizon_months,
            "replications": self.replications,
            "seed": self.seed,
            "by": self.by,
            "rows": rows,
            "coverage": self.coverage(),
            "mae": self.mae(),
            "exact": exact,
        }


def _origin_rows(
    register: RegisterFrames,
    successors: pl.DataFrame,
    origin: dt.date,
    horizon_months: int,
    replications: int,
    seed: int,
    by: str,
    level: str,
) -> list[dict[str, Any]]:
    blinded, known = blind(register, successors, origin)
    setup = prepare(blinded, known, origin, horizon_months, by=by, level=level)
    document = run_forecast(setup, replications, seed, BASELINE).to_json(exact=True)
    forecasts = {ALL: document["measures"]} | {
        str(group["key"][by]): group["measures"] for group in document["groups"]
    }
    happened = actuals(register, origin, horizon_months, by)
    repeated = naive(blinded, origin, horizon_months, by)
    rows = []
    for code in sorted(set(forecasts) | set(happened), key=lambda c: (c != ALL, c)):
        for measure in BACKTEST_MEASURES:
            figures = forecasts.get(code, {}).get(measure, {})
            actual = happened.get(code, {}).get(measure)
            guess = repeated.get(code, {}).get(measure)
            mean, low, high = figures.get("mean"), figures.get("p05"), figures.get("p95")
            known_all = actual is not None and low is not None and high is not None
            rows.append(
                {
                    "origin": origin,
                    "measure": measure,
                    "group": code,
                    "actual": None if actual is None else float(actual),
                    "mean": mean,
                    "p05": low,
                    "p95": high,
                    "covered": bool(low <= actual <= high) if known_all else None,
                    "naive": None if guess is None else float(guess),
                    "error": None if actual is None or mean is None else abs(mean - actual),
                    "naive_error": None if actual is None or guess is None else abs(guess - actual),
                }
            )
    return rows


ROW_SCHEMA = {
    "origin": pl.Date,
    "measure": pl.String,
    "group": pl.String,
    "actual": pl.Float64,
    "mean": pl.Float64,
    "p05": pl.Float64,
    "p95": pl.Float64,
    "covered": pl.Boolean,
    "naive": pl.Float64,
    "error": pl.Float64,
    "naive_error": pl.Float64,
}


def backtest(
    register: RegisterFrames,
    successors: pl.DataFrame,
    *,
    origins: Sequence[dt.date],
    horizon_months: int = 12,
    replications: int = 1000,
    seed: int = 1,
    by: str = "region",
    level: str = "board",
) -> BacktestResult:
    """Blind, forecast and compare at each origin (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    for origin in sorted(origins):
        rows.extend(
            _origin_rows(
                register, successors, origin, horizon_months, replications, seed, by, level
            )
        )
    return BacktestResult(
        origins=sorted(origins),
        horizon_months=horizon_months,
        replications=replications,
        seed=seed,
        by=by,
        rows=pl.DataFrame(rows, schema=ROW_SCHEMA, orient="row"),
    )
