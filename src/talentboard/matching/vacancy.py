"""Vacancy shortlists: who is ready for a post's role, ranked by framework fit and breadth.

For a post at date ``t`` the shortlist holds the talent-pool members whose current
readiness for the post's role is ``ready_now`` or ``ready_1_2y``, except the person who
holds the post now and anyone the move would go against the wishes of: the post's
organisation must be in a region they will work in, and another organisation than their
own needs their consent to be considered across organisations.

Each is ranked by a score of whole points:

- ``fit`` (0-100): the share of the role's expected framework level the person has shown,
  ``100 * sum(expected - gap) / sum(expected)`` over the role's domains in every framework
  they have been assessed on (:func:`talentboard.talent.assessments.development_gaps`),
  rounded half up; 0 when never assessed;
- ``breadth`` (0-50): 5 points per organisation worked in beyond the first (at most 20),
  10 per kind of organisation beyond the first (at most 20), and 10 for having worked in
  an organisation while it was challenged (oversight segment 3 or worse).

Ties: ``ready_now`` before ``ready_1_2y``, then by person_id. Protected characteristics
(ethnicity, sex, disability) are not an input of this module, and positive action is
never used here: it is for development opportunities only (Equality Act 2010 s.158).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.matching.eligibility import region_name
from talentboard.matching.explain import READINESS_WORDS, role_label

SHORTLISTED = ("ready_now", "ready_1_2y")
ORGANISATION_POINTS, ORGANISATION_CAP = 5, 20
KIND_POINTS, KIND_CAP = 10, 20
CHALLENGED_POINTS = 10

SHORTLIST_SCHEMA: dict[str, pl.DataType] = {
    "rank": pl.Int64(),
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "readiness": pl.String(),
    "fit": pl.Int64(),
    "breadth": pl.Int64(),
    "score": pl.Int64(),
    "reasons": pl.List(pl.String()),
}
EXCLUDED_SCHEMA: dict[str, pl.DataType] = {
    "person_ref": pl.Int64(),
    "person_id": pl.String(),
    "reason": pl.String(),
}


@dataclass(frozen=True)
class VacancyPost:
    """The post a shortlist is for."""

    post_ref: int
    post_id: str
    title: str
    role_code: str
    ods_code: str
    region_code: str | None


@dataclass(frozen=True)
class Shortlist:
    """Ranked candidates with reasons, and ready people left off with the reason why."""

    post: VacancyPost
    as_at: dt.date
    candidates: pl.DataFrame
    excluded: pl.DataFrame
    not_ready: int

    def to_json(self) -> dict[str, Any]:
        return {
            "post_id": self.post.post_id,
            "role_code": self.post.role_code,
            "ods_code": self.post.ods_code,
            "as_at": self.as_at.isoformat(),
            "shortlist": self.candidates.select(
                "rank", "person_id", "readiness", "score", "fit", "breadth", "reasons"
            ).to_dicts(),
            "excluded": self.excluded.select("person_id", "reason").to_dicts(),
            "not_ready": self.not_ready,
        }


def framework_fit(gaps: pl.DataFrame, role_code: str) -> pl.DataFrame:
    """[person_ref, fit, expected_total, shown_total, short_domains] for one role.

    ``fit`` is ``100 * shown / expected`` rounded half up, where ``shown`` adds
    ``expected - gap`` over the role's domains; ``short_domains`` lists the domains with
    a gap, largest first.
    """
    rows = gaps.filter(pl.col("target_role_code") == role_code)
    return (
        rows.sort(["person_ref", "gap", "domain_code"], descending=[False, True, False])
        .group_by("person_ref", maintain_order=True)
        .agg(
            pl.col("expected").sum().alias("expected_total"),
            (pl.col("expected") - pl.col("gap")).sum().alias("shown_total"),
            pl.col("domain_code").filter(pl.col("gap") > 0).alias("short_domains"),
        )
        .with_columns(
            pl.when(pl.col("expected_total") > 0)
            .then((100 * pl.col("shown_total") / pl.col("expected_total") + 0.5).floor())
            .otherwise(0)
            .cast(pl.Int64)
            .alias("fit")
        )
    )


def _breadth_points(row: dict[str, Any]) -> tuple[int, list[str]]:
    organisations = row["organisations"] or 1
    kinds = row["kinds"] or []
    org_points = min(ORGANISATION_POINTS * (organisations - 1), ORGANISATION_CAP)
    kind_points = min(KIND_POINTS * max(len(kinds) - 1, 0), KIND_CAP)
    challenged = CHALLENGED_POINTS if row["challenged"] else 0
    words = [
        f"{organisations} organisation{'s' if organisations != 1 else ''} worked in "
        f"(+{org_points})",
        f"{len(kinds)} kind{'s' if len(kinds) != 1 else ''} of organisation "
        f"({', '.join(k.replace('_', ' ') for k in kinds) or 'none recorded'}) (+{kind_points})",
        (
            f"has worked in a challenged organisation (+{challenged})"
            if challenged
            else "no record of work in a challenged organisation (+0)"
        ),
    ]
    return org_points + kind_points + challenged, words


def vacancy_shortlist(
    post: VacancyPost,
    candidates: pl.DataFrame,
    targets: pl.DataFrame,
    gaps: pl.DataFrame,
    experience: pl.DataFrame,
    at: dt.date,
    holders: Iterable[int] = (),
) -> Shortlist:
    """The shortlist for ``post`` (see the module docstring).

    ``candidates``: :data:`~talentboard.matching.inputs.CANDIDATE_SCHEMA`; ``targets``:
    [person_ref, target_role_code, readiness]; ``gaps``: development gaps [person_ref,
    target_role_code, domain_code, expected, gap]; ``experience``:
    :data:`~talentboard.matching.inputs.EXPERIENCE_SCHEMA`; ``holders``: person_refs
    holding the post at ``at``.
    """
    aiming = targets.filter(pl.col("target_role_code") == post.role_code)
    ready = aiming.filter(pl.col("readiness").is_in(SHORTLISTED))
    pool = candidates.join(ready.select("person_ref", "readiness"), on="person_ref")
    kept_rows, excluded = _kept_and_excluded(post, pool, set(holders))
    scored = _scored_candidates(post, kept_rows, gaps, experience)
    return Shortlist(
        post=post,
        as_at=at,
        candidates=_rows_frame(_ranked(scored), SHORTLIST_SCHEMA),
        excluded=_rows_frame(excluded, EXCLUDED_SCHEMA),
        not_ready=aiming.join(candidates.select("person_ref"), on="person_ref", how="semi")
        .filter(~pl.col("readiness").is_in(SHORTLISTED))
        .height,
    )


def _kept_and_excluded(
    post: VacancyPost, pool: pl.DataFrame, holding: set[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ready people by person_id, split into those kept and those left off, with why."""
    kept_rows, excluded = [], []
    for row in pool.sort("person_id").iter_rows(named=True):
        reason = _exclusion(post, row, holding)
        if reason is None:
            kept_rows.append(row)
        else:
            excluded.append(
                {"person_ref": row["person_ref"], "person_id": row["person_id"], "reason": reason}
            )
    return kept_rows, excluded


def _exclusion(post: VacancyPost, row: dict[str, Any], holding: set[int]) -> str | None:
    """Why a ready person is left off the shortlist, or None when they are on it."""
    if row["person_ref"] in holding:
        return "holds this post now"
    if post.region_code not in (row["willing_regions"] or []):
        willing = ", ".join(region_name(r) for r in row["willing_regions"] or [])
        return (
            f"the post is in {region_name(post.region_code)}, not a region the person will "
            f"work in ({willing or 'none recorded'})"
        )
    if row["ods_code"] != post.ods_code and not row["cross_org_consent"]:
        return (
            f"the post is in another organisation ({post.ods_code}) and the person has "
            "not consented to be considered across organisations"
        )
    return None


def _scored_candidates(
    post: VacancyPost,
    kept_rows: list[dict[str, Any]],
    gaps: pl.DataFrame,
    experience: pl.DataFrame,
) -> list[dict[str, Any]]:
    """Each kept candidate's fit, breadth and score, with the reasons in words."""
    fit = {r["person_ref"]: r for r in framework_fit(gaps, post.role_code).iter_rows(named=True)}
    experience_of = {r["person_ref"]: r for r in experience.iter_rows(named=True)}
    role = role_label(post.role_code)
    scored = []
    for row in kept_rows:
        ref = row["person_ref"]
        fit_row = fit.get(ref)
        fit_points = fit_row["fit"] if fit_row else 0
        empty = {"organisations": 1, "kinds": [], "challenged": False}
        breadth, breadth_words = _breadth_points(experience_of.get(ref, empty))
        scored.append(
            {
                "person_ref": ref,
                "person_id": row["person_id"],
                "readiness": row["readiness"],
                "fit": fit_points,
                "breadth": breadth,
                "score": fit_points + breadth,
                "reasons": [
                    f"score {fit_points + breadth} = framework fit {fit_points} + breadth "
                    f"{breadth}",
                    f"readiness: {READINESS_WORDS[row['readiness']]} for {role}",
                    _fit_words(fit_row, fit_points, role),
                    "breadth: " + "; ".join(breadth_words),
                ],
            }
        )
    return scored


def _fit_words(fit_row: dict[str, Any] | None, fit_points: int, role: str) -> str:
    """The framework fit reason: what has been shown of the level expected of the role."""
    if fit_row is None:
        return f"framework fit: not yet assessed against the level expected of a {role} (+0)"
    short = ", ".join(d.replace("_", " ") for d in fit_row["short_domains"]) or "none"
    return (
        f"framework fit: has shown {fit_row['shown_total']:.2f} of the "
        f"{fit_row['expected_total']:g} expected of a {role} (+{fit_points}); "
        f"domains still short: {short}"
    )


def _ranked(scored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The candidates in shortlist order (see the module docstring), each with its rank."""
    order = {r: i for i, r in enumerate(SHORTLISTED)}
    ranked = sorted(scored, key=lambda r: (-r["score"], order[r["readiness"]], r["person_id"]))
    return [{**row, "rank": rank} for rank, row in enumerate(ranked, start=1)]


def _rows_frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A frame of ``rows`` with ``schema``, which an empty list of rows still has."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
