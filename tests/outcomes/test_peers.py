"""The peer comparison, against figures worked out by hand.

Five acute trusts and a mental health trust; staff engagement as at T = 2026-09-30:

    A1 6.0 (and 9.0 for a period ending after T, not used)    A2 7.0    A3 7.0
    A4 8.0    A5 no value    M1 5.0

A2's peers are A1, A3, A4 (A5 has no value, M1 is another kind): one lower (6.0), one
equal (7.0), so its percentile is (1 + 0.5) / 3 = 0.5; their median is 7.0.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from talentboard.frames.outcomes import VALUES_SCHEMA, catalogue_frame
from talentboard.outcomes.peers import exposure_peers, indicator_peers
from talentboard.web.presenters.outcomes import ordinal

T = dt.date(2026, 9, 30)
SURVEY = (dt.date(2025, 9, 1), dt.date(2025, 11, 30))
LATER = (dt.date(2026, 9, 1), dt.date(2026, 11, 30))

ORGANISATIONS = pl.DataFrame(
    {
        "ods_code": ["A1", "A2", "A3", "A4", "A5", "M1"],
        "kind": ["acute"] * 5 + ["mental_health"],
    }
)
VALUES = pl.DataFrame(
    [
        ("A1", "staff_engagement", *SURVEY, 6.0, None),
        ("A1", "staff_engagement", *LATER, 9.0, None),
        ("A2", "staff_engagement", *SURVEY, 7.0, None),
        ("A3", "staff_engagement", *SURVEY, 7.0, None),
        ("A4", "staff_engagement", *SURVEY, 8.0, None),
        ("M1", "staff_engagement", *SURVEY, 5.0, None),
    ],
    schema=VALUES_SCHEMA,
    orient="row",
)


def test_percentile_and_median_among_the_same_kind() -> None:
    found = indicator_peers(ORGANISATIONS, VALUES, catalogue_frame(), "A2", T)
    assert found["code"].to_list() == ["staff_engagement"]
    row = found.row(0, named=True)
    assert (row["value"], row["peers"], row["peer_median"]) == (7.0, 3, 7.0)
    assert row["percentile"] == pytest.approx(0.5)
    assert row["period_end"] == SURVEY[1]


def test_the_lowest_and_an_organisation_without_a_value() -> None:
    """A1's peers A2, A3, A4 are all higher: percentile 0, median 7.0. A5 has no value,
    so no percentile; its peers are A1..A4, median (6 + 7 + 7 + 8) / 4 -> 7.0."""
    a1 = indicator_peers(ORGANISATIONS, VALUES, catalogue_frame(), "A1", T).row(0, named=True)
    assert (a1["percentile"], a1["peer_median"]) == (0.0, 7.0)
    a5 = indicator_peers(ORGANISATIONS, VALUES, catalogue_frame(), "A5", T).row(0, named=True)
    assert (a5["value"], a5["percentile"], a5["peers"], a5["peer_median"]) == (None, None, 4, 7.0)
    m1 = indicator_peers(ORGANISATIONS, VALUES, catalogue_frame(), "M1", T).row(0, named=True)
    assert (m1["peers"], m1["percentile"], m1["peer_median"]) == (0, None, None)


def test_exposures_beside_the_peers() -> None:
    """Chief executive changes: A1 2, A2 0, A3 1, A4 1, A5 none: A1's peers 0, 1, 1 are all
    lower (percentile 1.0), median 1."""
    exposures = pl.DataFrame(
        {
            "ods_code": ["A1", "A2", "A3", "A4", "A5"],
            "ceo_changes_3y": [2, 0, 1, 1, None],
            "exec_vacancy_share": [0.5, 0.0, 0.25, None, None],
            "exec_interim_share": [0.0] * 5,
            "exec_mean_time_in_post_years": [1.0] * 5,
            "board_bme_gap_pp": [None] * 5,
        }
    )
    rows = {
        r["name"]: r for r in exposure_peers(ORGANISATIONS, exposures, "A1").iter_rows(named=True)
    }
    ceo = rows["ceo_changes_3y"]
    assert (ceo["value"], ceo["peers"], ceo["percentile"], ceo["peer_median"]) == (2, 3, 1.0, 1.0)
    vacancy = rows["exec_vacancy_share"]
    assert (vacancy["peers"], vacancy["peer_median"]) == (2, 0.125)
    assert rows["board_bme_gap_pp"]["peers"] == 0


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (53, "53rd"), (100, "100th")],
)
def test_ordinals(number: int, text: str) -> None:
    assert ordinal(number) == text
