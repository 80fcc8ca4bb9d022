"""Pipeline diversity: where the representation of under-represented groups drops.

The ladder at a date ``t``, from the top: ``board``, ``ready_now_board`` (people whose
current readiness for a board role is ``ready_now``, wherever they work), ``senior``,
``middle``, ``frontline``, and the ``workforce``. A level's people are those whose
position at ``t`` is at that level (:func:`talentboard.frames.register.positions_at`).

For each rung and each group (``bme``, ``women``, ``disabled``, known as in
:mod:`talentboard.talent.pool`): the count, how many have the characteristic known, and
the share among the known. ``<group>_step_pp`` = 100 * (share - the share of the rung
below), in percentage points: negative where representation drops going up.
``bme_vs_workforce_pp`` = 100 * (share - the workforce BME share), the workforce share
being the staff-headcount-weighted mean of ``bme_staff_share`` over the organisations of
the people counted at every level, those with both figures known (as DESIGN section 5's
``bme_share_workforce``). The workforce has no figure for women or disabled staff.
These are exact figures: :func:`disclosed_ladder` is what may be shown to anyone without
access to personal data.
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl

from talentboard.reference import BME_CODES
from talentboard.stability.disclosure import (
    DEFAULT_RULE,
    DisclosureRule,
    disclose_count,
    disclose_share,
)
from talentboard.talent.pool import KNOWN_DISABILITY, KNOWN_ETHNIC_CODES, KNOWN_SEXES
from talentboard.talent.schemas import require

RUNGS = ("board", "ready_now_board", "senior", "middle", "frontline", "workforce")
GROUPS = ("bme", "women", "disabled")
RUNG_LABELS = {
    "board": "board level",
    "ready_now_board": "the ready-now pool for board roles",
    "senior": "senior level",
    "middle": "middle level",
    "frontline": "frontline level",
    "workforce": "the workforce",
}


def _group_columns(data: pl.DataFrame) -> dict[str, int]:
    checks = {
        "bme": (
            pl.col("ethnic_category").is_in(list(BME_CODES)),
            pl.col("ethnic_category").is_in(list(KNOWN_ETHNIC_CODES)),
        ),
        "women": (pl.col("sex") == "female", pl.col("sex").is_in(list(KNOWN_SEXES))),
        "disabled": (
            pl.col("disability") == "yes",
            pl.col("disability").is_in(list(KNOWN_DISABILITY)),
        ),
    }
    values: dict[str, int] = {}
    for group, (hit, known) in checks.items():
        counted = data.select(
            (hit.fill_null(False) & known.fill_null(False)).sum().alias("hit"),
            known.fill_null(False).sum().alias("known"),
        ).row(0)
        values[group] = int(counted[0])
        values[f"{group}_known"] = int(counted[1])
    return values


def pipeline_diversity(
    positions: pl.DataFrame,
    people: pl.DataFrame,
    targets: pl.DataFrame,
    organisations: pl.DataFrame,
    board_roles: tuple[str, ...],
) -> pl.DataFrame:
    """One row per rung (see the module docstring), top first.

    Inputs: ``positions`` (positions_at t: person_ref, ods_code, level); ``people``;
    ``targets`` (current readiness per person and target role at t); ``organisations``
    [ods_code, staff_headcount, bme_staff_share]; ``board_roles`` the board role codes.
    """
    require(positions, ("person_ref", "ods_code", "level"), "positions")
    require(people, ("person_ref", "sex", "ethnic_category", "disability"), "people")
    require(organisations, ("ods_code", "staff_headcount", "bme_staff_share"), "organisations")
    traits = people.select("person_ref", "sex", "ethnic_category", "disability")
    ready_now = (
        targets.filter(
            pl.col("target_role_code").is_in(list(board_roles))
            & (pl.col("readiness") == "ready_now")
        )
        .select("person_ref")
        .unique()
    )
    members = {
        level: positions.filter(pl.col("level") == level).select("person_ref").unique()
        for level in ("board", "senior", "middle", "frontline")
    }
    members["ready_now_board"] = ready_now
    rows = []
    for rung in RUNGS[:-1]:
        data = members[rung].join(traits, on="person_ref", how="left")
        rows.append({"rung": rung, "people": data.height, **_group_columns(data)})
    counted_orgs = organisations.join(
        positions.select("ods_code").unique(), on="ods_code", how="semi"
    ).filter(pl.col("staff_headcount").is_not_null() & pl.col("bme_staff_share").is_not_null())
    staff = int(counted_orgs["staff_headcount"].sum()) if counted_orgs.height else 0
    workforce_bme = (
        float((counted_orgs["staff_headcount"] * counted_orgs["bme_staff_share"]).sum()) / staff
        if staff
        else None
    )
    rows.append({"rung": "workforce", "people": staff or None})
    frame = pl.DataFrame(
        rows,
        schema={
            "rung": pl.String,
            "people": pl.Int64,
            **{name: pl.Int64 for g in GROUPS for name in (g, f"{g}_known")},
        },
    )
    shares = [
        pl.when(pl.col(f"{g}_known") > 0)
        .then(pl.col(g) / pl.col(f"{g}_known"))
        .otherwise(None)
        .alias(f"{g}_share")
        for g in GROUPS
    ]
    frame = frame.with_columns(shares).with_columns(
        pl.when(pl.col("rung") == "workforce")
        .then(pl.lit(workforce_bme, dtype=pl.Float64))
        .otherwise(pl.col("bme_share"))
        .alias("bme_share")
    )
    steps = [
        (100 * (pl.col(f"{g}_share") - pl.col(f"{g}_share").shift(-1))).alias(f"{g}_step_pp")
        for g in GROUPS
    ]
    vs_workforce = (100 * (pl.col("bme_share") - pl.lit(workforce_bme, dtype=pl.Float64))).alias(
        "bme_vs_workforce_pp"
    )
    return frame.with_columns(*steps, vs_workforce).with_columns(
        pl.when(pl.col("rung") == "workforce")
        .then(None)
        .otherwise(pl.col("bme_vs_workforce_pp"))
        .alias("bme_vs_workforce_pp")
    )


def disclosed_ladder(
    diversity: pl.DataFrame, rule: DisclosureRule = DEFAULT_RULE
) -> list[dict[str, Any]]:
    """The ladder after disclosure control: counts suppressed (``*``) or rounded, a share
    suppressed when its count or denominator is, and a step or a gap to the workforce
    suppressed when a share it compares is. The workforce row's figures are published
    staff statistics and stay as they are."""
    rows = diversity.to_dicts()
    hidden: list[dict[str, bool]] = []
    for row in rows:
        hidden.append(
            {
                g: row["rung"] != "workforce"
                and (rule.suppressed(row[g] or 0) or rule.suppressed(row[f"{g}_known"] or 0))
                for g in GROUPS
            }
        )
    result = []
    for index, row in enumerate(rows):
        if row["rung"] == "workforce":
            result.append(dict(row))
            continue
        shown: dict[str, Any] = {"rung": row["rung"], "people": disclose_count(row["people"], rule)}
        below = hidden[index + 1] if index + 1 < len(rows) else None
        for g in GROUPS:
            shown[g] = disclose_count(row[g], rule)
            shown[f"{g}_known"] = disclose_count(row[f"{g}_known"], rule)
            shown[f"{g}_share"] = disclose_share(row[g], row[f"{g}_known"], rule)
            step_hidden = hidden[index][g] or (below is not None and below[g])
            shown[f"{g}_step_pp"] = rule.symbol if step_hidden else row[f"{g}_step_pp"]
        shown["bme_vs_workforce_pp"] = (
            rule.symbol if hidden[index]["bme"] else row["bme_vs_workforce_pp"]
        )
        result.append(shown)
    return result


def where_it_drops(
    diversity: pl.DataFrame,
    *,
    threshold_pp: float = 0.0,
    rule: DisclosureRule | None = None,
) -> list[str]:
    """Sentences naming each step up the ladder where a group's share falls by more than
    ``threshold_pp`` percentage points; with a disclosure ``rule``, only the steps whose
    shares may be shown."""
    rows = diversity.to_dicts()
    if rule is not None:
        for row, shown in zip(rows, disclosed_ladder(diversity, rule), strict=True):
            for g in GROUPS:
                if shown[f"{g}_step_pp"] == rule.symbol:
                    row[f"{g}_step_pp"] = None
    words = {
        "bme": "The BME share",
        "women": "The share of women",
        "disabled": "The share of disabled people",
    }
    found = []
    for upper, lower in itertools.pairwise(rows):
        for group in GROUPS:
            step = upper[f"{group}_step_pp"]
            if step is None or step >= -threshold_pp:
                continue
            found.append(
                f"{words[group]} falls from {100 * lower[f'{group}_share']:.0f}% at "
                f"{RUNG_LABELS[lower['rung']]} to {100 * upper[f'{group}_share']:.0f}% at "
                f"{RUNG_LABELS[upper['rung']]} ({step:+.1f} pp)"
            )
    return found
