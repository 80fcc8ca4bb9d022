"""The board skills matrix: an organisation's board as a team, against the LCF 2024.

Definitions at a date ``t``:

- **Board members**: people with an appointment of any type covering ``t`` to a
  board-level post of the organisation, except the company secretary (who serves the
  board but is not a member). Executive and non-executive, voting or not.
- A member's **level** in an LCF domain is, in this order of preference: the others'
  mean of their latest LCF round (multi-source feedback); the rating agreed at their
  latest appraisal (period ended on or before ``t``); their own self-assessment score.
  ``source`` says which (``others``, ``appraisal``, ``self``).
- A member is a **strength** in a domain at level 3 ("frequently") or above.
- A domain is ``covered`` with at least two strengths, ``thin`` with one, a ``gap`` with
  none. It is **at risk** when members whose appointment ends within 12 months of ``t``
  take it from covered to thin, or from thin to a gap.
- **Professional backgrounds**: the members' ``professional_background``. The board
  lacks a required background when no member has it: ``medical``, ``nursing`` and
  ``finance`` (NHS trust boards need a medical director, a nurse director and a finance
  director). Advisory: at least one non-executive with a clinical background (medical,
  nursing, allied health or other clinical) and one with a finance background (for the
  audit committee).
- **What the next appointment should bring**: the gap domains, lowest team mean first;
  then the domains at risk; then the thin domains; then each missing required
  background; then each missing advisory background. Members with no LCF evidence at
  all are listed among the gaps, as a gap in the evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import polars as pl

from talentboard.reference import framework
from talentboard.talent.assessments import assessment_summary
from talentboard.talent.schemas import require
from talentboard.talent.timing import covers, shift_months

LCF = "lcf2024"
STRENGTH = 3.0
COVERED_AT = 2
REQUIRED_BACKGROUNDS = ("medical", "nursing", "finance")
CLINICAL_BACKGROUNDS = ("medical", "nursing", "ahp", "other_clinical")
SECRETARY_ROLES = ("company_secretary",)


@dataclass(frozen=True)
class BoardSkills:
    """The skills matrix of one board at one date (see the module docstring)."""

    ods_code: str
    as_at: dt.date
    members: pl.DataFrame
    levels: pl.DataFrame
    domains: pl.DataFrame
    backgrounds: pl.DataFrame
    gaps: list[str]
    next_appointment: list[str]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary: members with their levels, domains, backgrounds, words."""
        levels = {(r["person_ref"], r["domain_code"]): r for r in self.levels.iter_rows(named=True)}
        codes = framework(LCF).domain_codes
        return {
            "ods_code": self.ods_code,
            "as_at": self.as_at.isoformat(),
            "members": [
                {
                    "person_id": m["person_id"],
                    "name": m["name"],
                    "role_code": m["role_code"],
                    "executive": m["executive"],
                    "voting": m["voting"],
                    "professional_background": m["professional_background"],
                    "ends_on": m["ends_on"].isoformat() if m["ends_on"] else None,
                    "levels": {
                        code: _level_json(levels.get((m["person_ref"], code))) for code in codes
                    },
                }
                for m in self.members.iter_rows(named=True)
            ],
            "domains": [
                {k: v for k, v in row.items() if k != "domain_order"}
                for row in self.domains.iter_rows(named=True)
            ],
            "backgrounds": self.backgrounds.to_dicts(),
            "gaps": self.gaps,
            "next_appointment": self.next_appointment,
        }


def _level_json(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None or row["level"] is None:
        return None
    return {"level": round(row["level"], 4), "source": row["source"]}


def board_members(
    posts: pl.DataFrame,
    appointments: pl.DataFrame,
    people: pl.DataFrame,
    at: dt.date,
    ods_codes: Collection[str] | None = None,
) -> pl.DataFrame:
    """[ods_code, person_ref, person_id, name, role_code, executive, voting,
    professional_background, ends_on]: the boards at ``at`` (of ``ods_codes`` when given),
    one row per organisation and member (their earliest-starting board appointment there),
    by organisation, executives first."""
    require(posts, ("post_ref", "ods_code", "role_code", "level", "executive", "voting"), "posts")
    board_posts = posts.filter(
        (pl.col("level") == "board") & ~pl.col("role_code").is_in(list(SECRETARY_ROLES))
    )
    if ods_codes is not None:
        board_posts = board_posts.filter(pl.col("ods_code").is_in(list(ods_codes)))
    return (
        appointments.filter(covers(at))
        .join(
            board_posts.select("post_ref", "ods_code", "role_code", "executive", "voting"),
            on="post_ref",
            how="inner",
        )
        .sort(["ods_code", "person_ref", "start_date"])
        .group_by(["ods_code", "person_ref"], maintain_order=True)
        .first()
        .join(
            people.select(
                "person_ref",
                "person_id",
                pl.concat_str("given_name", "family_name", separator=" ").alias("name"),
                "professional_background",
            ),
            on="person_ref",
            how="left",
        )
        .select(
            "ods_code",
            "person_ref",
            "person_id",
            "name",
            "role_code",
            "executive",
            "voting",
            "professional_background",
            pl.col("end_date").alias("ends_on"),
        )
        .sort(
            ["ods_code", "executive", "role_code", "person_id"],
            descending=[False, True, False, False],
        )
    )


def member_levels(
    members: pl.DataFrame,
    assessments: pl.DataFrame,
    appraisals: pl.DataFrame,
    appraisal_ratings: pl.DataFrame,
    at: dt.date,
) -> pl.DataFrame:
    """[person_ref, domain_code, level, source]: each member's LCF level per domain (see the
    module docstring); a domain with no evidence has no row."""
    require(appraisals, ("appraisal_ref", "person_ref", "period_end"), "appraisals")
    require(appraisal_ratings, ("appraisal_ref", "domain_code", "score"), "appraisal_ratings")
    people = members.select("person_ref")
    summary = assessment_summary(
        assessments.filter(pl.col("framework") == LCF).join(people, on="person_ref", how="semi")
    )
    evidence = [
        summary.select(
            "person_ref", "domain_code", pl.col("others_mean").alias("level"), pl.lit(0).alias("p")
        ),
        summary.select(
            "person_ref", "domain_code", pl.col("self_score").alias("level"), pl.lit(2).alias("p")
        ),
    ]
    latest_appraisal = (
        appraisals.filter(pl.col("period_end") <= at)
        .join(people, on="person_ref", how="semi")
        .sort(["person_ref", "period_end"])
        .group_by("person_ref", maintain_order=True)
        .last()
        .select("appraisal_ref")
    )
    evidence.append(
        appraisal_ratings.join(latest_appraisal, on="appraisal_ref", how="semi").select(
            "person_ref",
            "domain_code",
            pl.col("score").cast(pl.Float64).alias("level"),
            pl.lit(1).alias("p"),
        )
    )
    sources = {0: "others", 1: "appraisal", 2: "self"}
    return (
        pl.concat([e.with_columns(pl.col("p").cast(pl.Int64)) for e in evidence])
        .filter(
            pl.col("level").is_not_null()
            & pl.col("domain_code").is_in(list(framework(LCF).domain_codes))
        )
        .sort(["person_ref", "domain_code", "p"])
        .group_by(["person_ref", "domain_code"], maintain_order=True)
        .first()
        .with_columns(pl.col("p").replace_strict(sources, return_dtype=pl.String).alias("source"))
        .select("person_ref", "domain_code", "level", "source")
    )


def board_skills(
    ods_code: str,
    posts: pl.DataFrame,
    appointments: pl.DataFrame,
    people: pl.DataFrame,
    assessments: pl.DataFrame,
    appraisals: pl.DataFrame,
    appraisal_ratings: pl.DataFrame,
    at: dt.date,
) -> BoardSkills:
    """The board skills matrix of ``ods_code`` at ``at`` (see the module docstring)."""
    members = board_members(posts, appointments, people, at, [ods_code])
    levels = member_levels(members, assessments, appraisals, appraisal_ratings, at)
    horizon = shift_months(at, 12)
    leaving = members.filter(
        pl.col("ends_on").is_not_null() & (pl.col("ends_on") <= horizon)
    ).select("person_ref")
    fw = framework(LCF)
    rows = []
    for order, domain in enumerate(fw.domains):
        here = levels.filter(pl.col("domain_code") == domain.code)
        strong = here.filter(pl.col("level") >= STRENGTH)
        staying = strong.join(leaving, on="person_ref", how="anti").height
        status = _status(strong.height)
        rows.append(
            {
                "domain_order": order,
                "domain_code": domain.code,
                "domain_name": domain.name,
                "assessed": here.height,
                "strengths": strong.height,
                "mean_level": here["level"].mean() if here.height else None,
                "status": status,
                "at_risk": _status(staying) != status,
                "strengths_staying": staying,
            }
        )
    domains = pl.DataFrame(rows)
    backgrounds = (
        members.group_by("professional_background")
        .agg(pl.len().cast(pl.Int64).alias("members"))
        .sort("professional_background", nulls_last=True)
    )
    gaps, wanted = _words(domains, members, levels)
    return BoardSkills(ods_code, at, members, levels, domains, backgrounds, gaps, wanted)


def _status(strengths: int) -> str:
    if strengths >= COVERED_AT:
        return "covered"
    return "thin" if strengths == 1 else "gap"


def _words(
    domains: pl.DataFrame, members: pl.DataFrame, levels: pl.DataFrame
) -> tuple[list[str], list[str]]:
    gaps: list[str] = []
    wanted: list[str] = []
    if members.height == 0:
        return ["no board members in post"], []
    by_mean = domains.sort(["mean_level", "domain_order"], nulls_last=False)
    for row in by_mean.filter(pl.col("status") == "gap").iter_rows(named=True):
        gaps.append(f"{row['domain_name']}: no board member at strength")
        wanted.append(f"strength in {row['domain_name'].lower()}")
    for row in domains.filter(pl.col("at_risk")).iter_rows(named=True):
        gaps.append(
            f"{row['domain_name']}: {row['strengths'] - row['strengths_staying']} of its "
            f"{row['strengths']} strengths leave within 12 months"
        )
        wanted.append(f"strength in {row['domain_name'].lower()}, to replace leavers")
    for row in domains.filter((pl.col("status") == "thin") & ~pl.col("at_risk")).iter_rows(
        named=True
    ):
        gaps.append(f"{row['domain_name']}: only one board member at strength")
        wanted.append(f"depth in {row['domain_name'].lower()}")
    present = set(members["professional_background"].drop_nulls().to_list())
    for background in REQUIRED_BACKGROUNDS:
        if background not in present:
            gaps.append(f"no board member with a {background} background")
            wanted.append(f"a {background} background")
    non_executive = members.filter(~pl.col("executive"))
    ned_backgrounds = set(non_executive["professional_background"].drop_nulls().to_list())
    if not ned_backgrounds & set(CLINICAL_BACKGROUNDS):
        gaps.append("no non-executive with a clinical background")
        wanted.append("a non-executive with a clinical background")
    if "finance" not in ned_backgrounds:
        gaps.append("no non-executive with a finance background")
        wanted.append("a non-executive with a finance background (audit committee)")
    unassessed = members.join(levels, on="person_ref", how="anti")["person_id"].to_list()
    if unassessed:
        gaps.append(f"no LCF evidence for {len(unassessed)} member(s): {', '.join(unassessed)}")
    return gaps, wanted
