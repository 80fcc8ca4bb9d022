"""The figure declarations (``stability.metrics``) agree with what computes, documents and
withholds the figures."""

from __future__ import annotations

from pathlib import Path

from talentboard.stability.board import ARM_COLUMNS, COUNT_COLUMNS, figures_frame
from talentboard.stability.metrics import (
    FIGURE_BASIS,
    METRICS,
    SERIES_METRICS,
    SHARES,
    frame_columns,
)
from tests.stability.fixtures import T, board_register

METRICS_DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_figures_frame_has_the_declared_columns_in_order() -> None:
    frame = figures_frame(board_register().frames(), T)
    assert frame.columns == ["group", "label", *COUNT_COLUMNS, *frame_columns(), *ARM_COLUMNS]


def test_every_figure_rests_on_counts_the_frame_has() -> None:
    assert set(FIGURE_BASIS) == set(frame_columns())
    for column, basis in FIGURE_BASIS.items():
        assert set(basis) <= set(COUNT_COLUMNS), column


def test_every_figure_is_defined_in_the_metrics_document() -> None:
    text = METRICS_DOC.read_text()
    missing = [m.name for m in METRICS if f"`{m.name}`" not in text]
    assert not missing


def test_charted_figures_have_a_direction_and_shares_a_share_unit() -> None:
    assert SERIES_METRICS == {
        "exec_vacancy_rate": False,
        "interim_cover_share": False,
        "turnover_rate_12m": False,
        "bme_share_board_voting": True,
    }
    assert "wres9_gap_pp" not in SHARES
    assert "bme_share_workforce" in SHARES
