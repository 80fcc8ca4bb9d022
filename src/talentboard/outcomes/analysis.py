"""Fits of outcome indicators on exposures, from the register and indicator frames.

The one entry point the CLI, the web pages, the API and the board report share: they name
an indicator, an exposure (or all), a date and a model, and get ``OutcomeFit`` values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from talentboard.frames.outcomes import IndicatorFrames
from talentboard.frames.register import RegisterFrames
from talentboard.outcomes.exposures import EXPOSURES, exposure_names, exposures_at
from talentboard.outcomes.models import (
    CROSS_SECTION,
    PANEL,
    FitError,
    OutcomeFit,
    cross_section,
    cross_section_sample,
    latest_values,
    panel,
    panel_sample,
)
from talentboard.stability.groups import BoardRegister, prepare_board

__all__ = ["MODELS", "OutcomeInputs", "UnknownChoiceError", "fit_outcome", "fit_table"]

MODELS = (CROSS_SECTION, PANEL)


class UnknownChoiceError(ValueError):
    """An indicator, exposure or model name that does not exist."""


@dataclass
class OutcomeInputs:
    """The register and indicators, with exposures computed once per date."""

    register: RegisterFrames
    indicators: IndicatorFrames
    _board: BoardRegister | None = None
    _exposures: dict[dt.date, pl.DataFrame] = field(default_factory=dict)
    _latest: dict[tuple[str, dt.date], pl.DataFrame] = field(default_factory=dict)

    @property
    def board(self) -> BoardRegister:
        if self._board is None:
            self._board = prepare_board(self.register)
        return self._board

    def exposures(self, at: dt.date) -> pl.DataFrame:
        if at not in self._exposures:
            self._exposures[at] = exposures_at(self.board, at)
        return self._exposures[at]

    def latest(self, indicator: str, at: dt.date) -> pl.DataFrame:
        """``models.latest_values`` of ``indicator`` at ``at``, worked out once: every
        exposure's fit against the indicator reads it."""
        key = (indicator, at)
        if key not in self._latest:
            self._latest[key] = latest_values(self.indicators.values, indicator, at)
        return self._latest[key]

    def exposures_by_period(self, indicator: str, at: dt.date) -> pl.DataFrame:
        values = self.indicators.values
        periods = (
            values.filter((pl.col("indicator_code") == indicator) & (pl.col("period_end") <= at))
            .get_column("period_end")
            .unique()
            .sort()
            .to_list()
        )
        frames = [
            self.exposures(p).with_columns(pl.lit(p, dtype=pl.Date).alias("period_end"))
            for p in periods
        ]
        if not frames:
            return self.exposures(at).clear().with_columns(period_end=pl.lit(None, pl.Date))
        return pl.concat(frames)


def check_choices(inputs: OutcomeInputs, indicator: str, exposure: str, model: str) -> None:
    """Refuse an unknown indicator, exposure (``all`` allowed) or model, naming the choices."""
    codes = inputs.indicators.codes()
    if indicator not in codes:
        raise UnknownChoiceError(f"unknown indicator {indicator!r}: use one of {', '.join(codes)}")
    if exposure != "all" and exposure not in exposure_names():
        raise UnknownChoiceError(
            f"unknown exposure {exposure!r}: use one of {', '.join(exposure_names())} or all"
        )
    if model not in MODELS:
        raise UnknownChoiceError(f"unknown model {model!r}: use one of {', '.join(MODELS)}")


def fit_outcome(
    inputs: OutcomeInputs, indicator: str, exposure: str, at: dt.date, model: str = CROSS_SECTION
) -> OutcomeFit:
    """One fit; ``FitError`` when the data cannot support it."""
    check_choices(inputs, indicator, exposure, model)
    organisations = inputs.register.organisations
    values = inputs.indicators.values
    if model == PANEL:
        by_period = inputs.exposures_by_period(indicator, at)
        sample = panel_sample(organisations, by_period, values, indicator, exposure, at)
        return panel(sample, indicator, exposure, at)
    sample = cross_section_sample(
        organisations,
        inputs.exposures(at),
        values,
        indicator,
        exposure,
        at,
        latest=inputs.latest(indicator, at),
    )
    return cross_section(sample, indicator, exposure, at)


@dataclass(frozen=True)
class TableCell:
    indicator: str
    exposure: str
    fit: OutcomeFit | None
    reason: str | None


def fit_table(inputs: OutcomeInputs, at: dt.date, model: str = CROSS_SECTION) -> list[TableCell]:
    """Every exposure against every indicator: the fit, or why there is none."""
    cells = []
    for indicator in inputs.indicators.codes():
        for exposure in EXPOSURES:
            try:
                fit = fit_outcome(inputs, indicator, exposure.name, at, model)
            except FitError as exc:
                cells.append(TableCell(indicator, exposure.name, None, str(exc)))
            else:
                cells.append(TableCell(indicator, exposure.name, fit, None))
    return cells
