"""The departure hazard model: what is associated with executive spells ending sooner.

A Cox proportional hazards model (``stability.cox``, Efron ties) of the executive spells of
the tenure estimate (docs/metrics.md, "Departure hazard model"): duration from the start of
the spell to its end or to the as-at date, with the organisation's oversight segment at the
date, the role, the region, the organisation kind and the holder's professional background
as categorical factors. Missing values form their own level (``unrated``,
``not_recorded``). Each factor's reference level is its most common level; levels with
fewer than ``min_departures`` departures are pooled into the reference (a level with no
departure has no finite hazard ratio) and are listed in the result. A level that the other
factors already determine (with few organisations, region, kind and segment can say the same
thing) cannot be told apart from them: it is left out of the design and listed as aliased.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from talentboard.frames.register import RegisterFrames
from talentboard.stability.board import tenure_sample
from talentboard.stability.cox import CoxFitError, fit_cox
from talentboard.stability.groups import BoardRegister, posts_at, prepare_board

__all__ = ["FACTORS", "HazardModel", "HazardRatio", "departure_model", "model_sample"]

FACTORS = ("segment", "role", "region", "org_kind", "professional_background")
MISSING_LEVEL = {"segment": "unrated", "professional_background": "not_recorded"}


@dataclass(frozen=True)
class HazardRatio:
    factor: str
    level: str
    reference: str
    hazard_ratio: float
    lower: float
    upper: float
    p_value: float
    spells: int
    departures: int


@dataclass(frozen=True)
class HazardModel:
    as_at: dt.date
    observed_from: dt.date | None
    spells: int
    departures: int
    log_likelihood: float
    ratios: tuple[HazardRatio, ...]
    references: dict[str, str]
    pooled: dict[str, tuple[str, ...]] = field(default_factory=dict)
    aliased: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_at": self.as_at.isoformat(),
            "observed_from": None if self.observed_from is None else self.observed_from.isoformat(),
            "spells": self.spells,
            "departures": self.departures,
            "log_likelihood": self.log_likelihood,
            "references": dict(self.references),
            "pooled_into_reference": {k: list(v) for k, v in self.pooled.items()},
            "aliased": {k: list(v) for k, v in self.aliased.items()},
            "hazard_ratios": [
                {
                    "factor": r.factor,
                    "level": r.level,
                    "reference": r.reference,
                    "hazard_ratio": r.hazard_ratio,
                    "ci": [r.lower, r.upper],
                    "p_value": r.p_value,
                    "spells": r.spells,
                    "departures": r.departures,
                }
                for r in self.ratios
            ],
        }


def model_sample(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    observed_from: dt.date | None = None,
) -> pl.DataFrame:
    """The spells the model is fitted to: ``days``, ``ended``, ``entry_days`` and one string
    column per factor (the tenure sample of docs/metrics.md with its covariates)."""
    board = frames if isinstance(frames, BoardRegister) else prepare_board(frames)
    posts = posts_at(board, at)
    sample = tenure_sample(board.executive_spells, at, observed_from)
    facts = posts.select(
        "post_ref",
        pl.col("oversight_segment").cast(pl.String).alias("segment"),
        pl.col("role_code").alias("role"),
        pl.col("region_code").alias("region"),
        pl.col("kind").alias("org_kind"),
    )
    people = board.frames.people.select("person_ref", "professional_background")
    return (
        sample.select("post_ref", "person_ref", "days", "ended", "entry_days")
        .join(facts, on="post_ref", how="left")
        .join(people, on="person_ref", how="left")
        .with_columns(
            pl.col(factor).fill_null(MISSING_LEVEL.get(factor, "unknown")) for factor in FACTORS
        )
        .sort("post_ref", "person_ref", "days")
    )


def _design(
    sample: pl.DataFrame, min_departures: int
) -> tuple[
    np.ndarray[Any, np.dtype[np.float64]],
    list[tuple[str, str]],
    dict[str, str],
    dict[str, tuple[str, ...]],
]:
    columns: list[np.ndarray[Any, np.dtype[np.float64]]] = []
    terms: list[tuple[str, str]] = []
    references: dict[str, str] = {}
    pooled: dict[str, tuple[str, ...]] = {}
    for factor in FACTORS:
        levels = (
            sample.group_by(factor)
            .agg(spells=pl.len(), departures=pl.col("ended").sum())
            .sort(["spells", factor], descending=[True, False])
        )
        reference = str(levels[factor][0])
        references[factor] = reference
        sparse = levels.filter(
            (pl.col(factor) != reference) & (pl.col("departures") < min_departures)
        )[factor].to_list()
        if sparse:
            pooled[factor] = tuple(sorted(sparse))
        values = sample[factor].to_numpy()
        for level in sorted(levels[factor].to_list()):
            if level == reference or level in sparse:
                continue
            columns.append((values == level).astype(np.float64))
            terms.append((factor, level))
    matrix = np.column_stack(columns) if columns else np.empty((sample.height, 0), dtype=np.float64)
    return matrix, terms, references, pooled


def _independent(
    matrix: np.ndarray[Any, np.dtype[np.float64]], terms: list[tuple[str, str]]
) -> tuple[
    np.ndarray[Any, np.dtype[np.float64]], list[tuple[str, str]], dict[str, tuple[str, ...]]
]:
    """Drop the columns that earlier columns (and a constant) already determine.

    In a QR decomposition of the centred design, a column whose diagonal entry of R is
    negligible lies in the span of the columns before it.
    """
    if not terms:
        return matrix, terms, {}
    centred = matrix - matrix.mean(axis=0)
    diagonal = np.abs(np.diag(np.linalg.qr(centred, mode="r")))
    scale = np.linalg.norm(centred, axis=0)
    keep = diagonal > 1e-8 * np.maximum(scale, 1.0)
    aliased: dict[str, list[str]] = {}
    for (factor, level), kept in zip(terms, keep, strict=True):
        if not kept:
            aliased.setdefault(factor, []).append(level)
    return (
        matrix[:, keep],
        [t for t, kept in zip(terms, keep, strict=True) if kept],
        {k: tuple(v) for k, v in aliased.items()},
    )


def departure_model(
    frames: RegisterFrames | BoardRegister,
    at: dt.date,
    *,
    observed_from: dt.date | None = None,
    min_departures: int = 5,
) -> HazardModel:
    """Fit the departure hazard model at ``at`` (see module docstring).

    Raises ``CoxFitError`` (a ``ValueError``) when there is nothing to fit.
    """
    sample = model_sample(frames, at, observed_from=observed_from)
    if sample.height == 0 or not sample["ended"].any():
        raise CoxFitError("there are no executive departures to model at this date")
    matrix, terms, references, pooled = _design(sample, min_departures)
    matrix, terms, aliased = _independent(matrix, terms)
    if not terms:
        raise CoxFitError("every factor has a single level: there is nothing to compare")
    durations = sample["days"].to_numpy().astype(np.float64)
    events = sample["ended"].to_numpy()
    entry = None
    if observed_from is not None:
        raw = sample["entry_days"].to_numpy().astype(np.float64)
        entry = np.where(raw > 0, raw, -1.0)
    fit = fit_cox(matrix, durations, events, entry)
    lower, upper = fit.confidence_intervals()
    ratios = fit.hazard_ratios()
    p_values = fit.p_values()
    result = []
    for k, (factor, level) in enumerate(terms):
        in_level = matrix[:, k] == 1
        result.append(
            HazardRatio(
                factor=factor,
                level=level,
                reference=references[factor],
                hazard_ratio=float(ratios[k]),
                lower=float(lower[k]),
                upper=float(upper[k]),
                p_value=float(p_values[k]),
                spells=int(in_level.sum()),
                departures=int(events[in_level].sum()),
            )
        )
    return HazardModel(
        as_at=at,
        observed_from=observed_from,
        spells=fit.subjects,
        departures=fit.events,
        log_likelihood=fit.log_likelihood,
        ratios=tuple(result),
        references=references,
        pooled=pooled,
        aliased=aliased,
    )
