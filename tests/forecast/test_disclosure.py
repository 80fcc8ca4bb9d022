"""Group forecasts published through the stability figures' disclosure control."""

from __future__ import annotations

from typing import Any

from talentboard.forecast import forecast_frames
from talentboard.forecast.summary import published
from talentboard.stability.disclosure import disclose_count
from tests.forecast.registers import AS_AT, history, world


def _forecast(exact: bool) -> dict[str, Any]:
    """Thirty executive posts in TSTA, TSTB and TSTC (ten each) and three in TSTD."""
    w = world(30, gap_days=60)
    w.org("TSTD", region="Y60", segment=2)
    for i in range(3):
        w.post(f"TSTD-FD{i}", "TSTD", "finance_director")
        history(w, f"TSTD-FD{i}", i, 60)
    return forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=24,
        replications=200,
        seed=2,
        by="org",
        exact=exact,
    )


def test_a_small_group_is_suppressed_and_counts_are_rounded() -> None:
    exact, shown = _forecast(True), _forecast(False)
    assert shown["exact"] is False
    groups = {g["key"]["org"]: g["measures"] for g in shown["groups"]}
    exact_groups = {g["key"]["org"]: g["measures"] for g in exact["groups"]}
    # Three executive posts: every figure of TSTD is suppressed.
    assert all(value == "*" for measure in groups["TSTD"].values() for value in measure.values())
    # Ten posts: counts are rounded as counts; shares are shown as they are.
    for org in ("TSTA", "TSTB", "TSTC"):
        for key, value in groups[org]["exec_departures"].items():
            assert value == disclose_count(round(exact_groups[org]["exec_departures"][key]))
        for key, value in groups[org]["exec_vacancy_rate"].items():
            exact_value = exact_groups[org]["exec_vacancy_rate"][key]
            count = round(exact_value * 10)  # the posts vacant the share stands for
            assert value == ("*" if 1 <= count <= 7 else exact_value)
    # The exact view shows the small group's figures.
    assert isinstance(exact_groups["TSTD"]["exec_departures"]["mean"], float)
    # The overall counts are rounded to fives too.
    assert shown["measures"]["exec_departures"]["p50"] % 5 == 0


def test_published_rule() -> None:
    figures = {"mean": 12.4, "p05": 6.0, "p50": 12.0, "p95": 18.0}
    assert published(figures, "exec_departures", 10) == {
        "mean": 10,
        "p05": "*",
        "p50": 10,
        "p95": 20,
    }
    # Of 40 posts: 10, 4, 10 and 16 posts vacant; the 4 are withheld.
    shares = {"mean": 0.25, "p05": 0.1, "p50": 0.25, "p95": 0.4}
    assert published(shares, "exec_vacancy_rate", 40) == {
        "mean": 0.25,
        "p05": "*",
        "p50": 0.25,
        "p95": 0.4,
    }
    none = {"mean": 0.0, "p05": 0.0, "p50": 0.0, "p95": 0.0}
    assert published(none, "exec_vacancy_rate", 10) == none
    assert published(shares, "exec_vacancy_rate", 7) == dict.fromkeys(shares, "*")
    assert published({"mean": None}, "exec_vacancy_rate", 0) == {"mean": None}
