"""Talent-pool group figures and the diversity ladder after disclosure control.

The rule (talentboard.stability.disclosure): counts 1-7 suppressed (``*``), others
rounded to the nearest 5; a share is suppressed when its count or denominator is, and
otherwise computed from the exact counts.
"""

from __future__ import annotations

import polars as pl
import pytest

from talentboard.stability.disclosure import DEFAULT_RULE
from talentboard.talent.diversity import disclosed_ladder, pipeline_diversity, where_it_drops
from talentboard.talent.pool import disclosed_figures


def test_pool_figures_disclosed() -> None:
    """40 members; women 22 of 38 known -> 20 of 40 shown, share 22/38 exact; BME 5 of 36
    -> suppressed, share too; disabled 9 of 30 -> 10 of 30, share 0.3."""
    figures = pl.DataFrame(
        {
            "group": ["members", "women", "bme", "disabled"],
            "count": [40, 22, 5, 9],
            "known": [40, 38, 36, 30],
            "share": [None, 22 / 38, 5 / 36, 0.3],
        }
    )
    assert disclosed_figures(figures) == [
        {"group": "members", "count": 40, "known": 40, "share": None},
        {"group": "women", "count": 20, "known": 40, "share": pytest.approx(22 / 38)},
        {"group": "bme", "count": "*", "known": 35, "share": "*"},
        {"group": "disabled", "count": 10, "known": 30, "share": pytest.approx(0.3)},
    ]


def ladder() -> pl.DataFrame:
    """Board: 20 people, 8 BME. Ready-now pool for board roles: 10 people (all on the
    board), 3 BME. Senior: 40 people, 16 BME. Nobody at middle or frontline level.
    Everyone's sex and disability unrecorded; all ethnic categories known."""
    rows = []
    people = []
    for ref in range(1, 21):
        rows.append({"person_ref": ref, "ods_code": "AAA", "level": "board"})
        people.append({"person_ref": ref, "ethnic_category": "H" if ref <= 8 else "A"})
    for ref in range(21, 61):
        rows.append({"person_ref": ref, "ods_code": "AAA", "level": "senior"})
        people.append({"person_ref": ref, "ethnic_category": "N" if ref <= 36 else "A"})
    # Ready now: refs 6-15 (BME: 6, 7, 8).
    targets = pl.DataFrame(
        {
            "person_ref": list(range(6, 16)),
            "target_role_code": ["chief_executive"] * 10,
            "readiness": ["ready_now"] * 10,
        }
    )
    traits = pl.DataFrame(people).with_columns(
        pl.lit(None, dtype=pl.String).alias("sex"),
        pl.lit(None, dtype=pl.String).alias("disability"),
    )
    organisations = pl.DataFrame(
        {"ods_code": ["AAA"], "staff_headcount": [1000], "bme_staff_share": [0.3]}
    )
    return pipeline_diversity(
        pl.DataFrame(rows), traits, targets, organisations, ("chief_executive",)
    )


def test_ladder_disclosed() -> None:
    """Exact: board 8/20 = 40%, ready-now 3/10 = 30%, senior 16/40 = 40%. The step from
    the ready-now pool to the board (+10 pp) and from senior to the pool (-10 pp) both
    involve the suppressed 3, so they are suppressed; the board's gap to the workforce
    (40% - 30% = +10 pp) is shown."""
    exact = ladder()
    assert exact["bme_share"].to_list()[:3] == pytest.approx([0.4, 0.3, 0.4])
    shown = disclosed_ladder(exact, DEFAULT_RULE)
    board, ready, senior = shown[0], shown[1], shown[2]
    assert (board["people"], board["bme"], board["bme_known"]) == (20, 10, 20)
    assert board["bme_share"] == pytest.approx(0.4)
    assert board["bme_step_pp"] == "*"
    assert board["bme_vs_workforce_pp"] == pytest.approx(10.0)
    assert (ready["people"], ready["bme"], ready["bme_share"], ready["bme_step_pp"]) == (
        10,
        "*",
        "*",
        "*",
    )
    assert (senior["bme"], senior["bme_share"]) == (15, pytest.approx(0.4))
    assert shown[-1]["rung"] == "workforce"
    assert where_it_drops(exact) == [
        "The BME share falls from 40% at senior level to 30% at the ready-now pool for board "
        "roles (-10.0 pp)"
    ]
    assert where_it_drops(exact, rule=DEFAULT_RULE) == []
