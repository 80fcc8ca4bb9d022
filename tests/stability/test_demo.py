"""The national demo at its as-at date, through these analytics, gives the published figures.

The demo (``talentboard.demo``) is calibrated to DESIGN section 1: 37% of trusts with an
executive vacancy, 8% of executive posts vacant or interim, 54% of executive directors
appointed in the last three years, a BME share of voting board members of 7-10% against
about a quarter of the workforce, and the most challenged trusts worst. This checks that
the figures computed here, from the database the demo writes, land within tolerance.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.frames.register import load_register
from talentboard.stability.board import board_figures, board_figures_by

pytestmark = pytest.mark.slow


def test_national_demo_gives_the_published_figures(session: Session) -> None:
    generate_demo(session, "national", seed=1)
    frames = load_register(session)
    figures = board_figures(frames, DEMO_AS_AT)
    assert figures.orgs_with_exec_vacancy_share == pytest.approx(0.37, abs=0.03)
    assert figures.exec_vacancy_rate == pytest.approx(0.08, abs=0.015)
    assert figures.appointed_within_3y_share == pytest.approx(0.54, abs=0.03)
    assert figures.bme_share_board_voting is not None
    assert 0.07 <= figures.bme_share_board_voting <= 0.10
    assert figures.bme_share_workforce == pytest.approx(0.245, abs=0.02)
    assert figures.wres9_gap_pp is not None
    assert figures.wres9_gap_pp < -10

    # The most challenged trusts are worst: more vacancies, more trusts with one, and
    # shorter tenure, with a log-rank test that says the difference is not chance.
    by_segment = board_figures_by(frames, DEMO_AS_AT, "segment")
    best, worst = by_segment["1"], by_segment["4"]
    assert worst.exec_vacancy_rate is not None
    assert best.exec_vacancy_rate is not None
    assert worst.exec_vacancy_rate > 2 * best.exec_vacancy_rate
    assert worst.orgs_with_exec_vacancy_share is not None
    assert best.orgs_with_exec_vacancy_share is not None
    assert worst.orgs_with_exec_vacancy_share > best.orgs_with_exec_vacancy_share
    assert worst.median_tenure_years is not None
    assert best.median_tenure_years is not None
    assert worst.median_tenure_years < best.median_tenure_years
    test = figures.tenure_logrank_challenged
    assert test is not None
    assert test.p_value < 0.001
