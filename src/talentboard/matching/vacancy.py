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
            "shortlist": [
                {
                    "rank": r["rank"],
                    "person_id": r["person_id"],
                    "readiness": r["readiness"],
                    "score": r["score"],
                    "fit": r["fit"],
                    "breadth": r["breadth"],
                    "reasons": list(r["reasons"]),
                }
                for r in self.candidates.iter_rows(named=True)
            ],
            "excluded": [
                {"person_id": r["person_id"], "reason": r["reason"]}
                for r in self.excluded.iter_rows(named=True)
            ],
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
    holding = set(holders)
    role = role_label(post.role_code)
    kept_rows, excluded = [], []
    for row in pool.sort("person_id").iter_rows(named=True):
        reason = None
        if row["person_ref"] in holding:
            reason = "holds this post now"
        elif post.region_code not in (row["willing_regions"] or []):
            willing = ", ".join(region_name(r) for r in row["willing_regions"] or [])
            reason = (
                f"the post is in {region_name(post.region_code)}, not a region the person will "
                f"work in ({willing or 'none recorded'})"
            )
        elif row["ods_code"] != post.ods_code and not row["cross_org_consent"]:
            reason = (
                f"the post is in another organisation ({post.ods_code}) and the person has "
                "not consented to be considered across organisations"
            )
        if reason is None:
            kept_rows.append(row)
        else:
            excluded.append(
                {"person_ref": row["person_ref"], "person_id": row["person_id"], "reason": reason}
            )
    fit = {r["person_ref"]: r for r in framework_fit(gaps, post.role_code).iter_rows(named=True)}
    experience_of = {r["person_ref"]: r for r in experience.iter_rows(named=True)}
    scored = []
    for row in kept_rows:
        ref = row["person_ref"]
        fit_row = fit.get(ref)
        fit_points = fit_row["fit"] if fit_row else 0
        empty = {"organisations": 1, "kinds": [], "challenged": False}
        breadth, breadth_words = _breadth_points(experience_of.get(ref, empty))
        if fit_row is None:
            fit_words = (
                f"framework fit: not yet assessed against the level expected of a {role} (+0)"
            )
        else:
            short = ", ".join(d.replace("_", " ") for d in fit_row["short_domains"]) or "none"
            fit_words = (
                f"framework fit: has shown {fit_row['shown_total']:.2f} of the "
                f"{fit_row['expected_total']:g} expected of a {role} (+{fit_points}); "
                f"domains still short: {short}"
            )
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
                    fit_words,
                    "breadth: " + "; ".join(breadth_words),
                ],
            }
        )
    order = {r: i for i, r in enumerate(SHORTLISTED)}
    scored.sort(key=lambda r: (-r["score"], order[r["readiness"]], r["person_id"]))
    for rank, row in enumerate(scored, start=1):
        row["rank"] = rank
    return Shortlist(
        post=post,
        as_at=at,
        candidates=pl.DataFrame(scored, schema=SHORTLIST_SCHEMA, orient="row")
        if scored
        else pl.DataFrame(schema=SHORTLIST_SCHEMA),
        excluded=pl.DataFrame(excluded, schema=EXCLUDED_SCHEMA, orient="row")
        if excluded
        else pl.DataFrame(schema=EXCLUDED_SCHEMA),
        not_ready=aiming.join(candidates.select("person_ref"), on="person_ref", how="semi")
        .filter(~pl.col("readiness").is_in(SHORTLISTED))
        .height,
    )
