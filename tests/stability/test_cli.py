"""``talentboard stats``: options, the JSON contract of DESIGN section 6, table and CSV.

The command reads a database through its URL, so these tests commit the hand-worked
register to a SQLite file of their own (the shared test databases are never committed to);
load_register itself is tested on both backends in tests/frames.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.stability.board import FIGURE_NAMES, board_figures, board_figures_by
from tests.conftest import Run
from tests.frames.registers import RegisterBuilder
from tests.stability.fixtures import T, board_register
from tests.stability.generated import random_register


def database(path: Path, builder: RegisterBuilder | None) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    if builder is not None:
        with Session(engine) as session:
            builder.save(session)
            session.commit()
    engine.dispose()
    return url


@pytest.fixture
def hand_worked(tmp_path: Path) -> str:
    return database(tmp_path / "board.db", board_register())


def test_json_is_the_contract(run: Run, hand_worked: str) -> None:
    code, out, err = run("stats", "--db", hand_worked, "--at", "2026-09-30", "--format", "json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert list(payload) == ["as_at", *FIGURE_NAMES]
    assert payload == board_figures(board_register().frames(), T).as_dict()
    assert payload["as_at"] == "2026-09-30"
    assert payload["exec_vacancy_rate"] == pytest.approx(1 / 3)
    assert len(payload["median_tenure_ci"]) == 2
    assert set(payload["tenure_logrank_challenged"]) == {"statistic", "p_value"}


def test_uk_dates_are_accepted(run: Run, hand_worked: str) -> None:
    iso = run("stats", "--db", hand_worked, "--at", "2026-09-30", "--format", "json")
    uk = run("stats", "--db", hand_worked, "--at", "30/09/2026", "--format", "json")
    assert uk == iso


def test_json_by_dimension(run: Run, hand_worked: str) -> None:
    code, out, _ = run(
        "stats", "--db", hand_worked, "--at", "30/09/2026", "--by", "org", "--format", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["as_at", *FIGURE_NAMES, "by"]
    assert list(payload["by"]) == ["org"]
    assert list(payload["by"]["org"]) == ["TSA", "TSB", "TSC"]
    expected = board_figures_by(board_register().frames(), T, "org")
    for code_, figures in payload["by"]["org"].items():
        assert list(figures) == list(FIGURE_NAMES)
        assert figures == expected[code_].figures()
    assert payload["by"]["org"]["TSC"]["turnover_rate_12m"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--at", "31/02/2026"], "--at: '31/02/2026' is not a date"),
        (["--at", "2026-9-30"], "--at: '2026-9-30' is not a date"),
        (["--observed-from", "yesterday"], "--observed-from: 'yesterday' is not a date"),
        (["--at", "2026-01-01", "--observed-from", "2026-02-01"], "is after --at"),
    ],
)
def test_bad_dates_exit_2(run: Run, hand_worked: str, argv: list[str], message: str) -> None:
    code, out, err = run("stats", "--db", hand_worked, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_database_without_the_schema(run: Run, tmp_path: Path) -> None:
    code, _, err = run("stats", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1
    assert "run 'talentboard init' first" in err


def test_table_is_plain_english(run: Run, hand_worked: str) -> None:
    code, out, _ = run("stats", "--db", hand_worked, "--at", "30/09/2026", "--by", "region")
    assert code == 0
    assert "Board stability as at 30 September 2026" in out
    assert "Executive posts with no substantive holder" in out
    assert "33.3%" in out  # 2 of 6 executive posts
    assert "+10.0 percentage points" in out  # WRES 9 gap
    assert "North West" in out
    assert "The Kaplan-Meier median counts every spell" in " ".join(out.split())


def test_csv_one_row_per_group(run: Run, hand_worked: str) -> None:
    code, out, _ = run(
        "stats", "--db", hand_worked, "--at", "2026-09-30", "--by", "segment", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["dimension"], r["group"]) for r in rows] == [
        ("all", "all"),
        ("segment", "2"),
        ("segment", "4"),
        ("segment", "unrated"),
    ]
    assert float(rows[0]["exec_vacancy_rate"]) == pytest.approx(1 / 3)
    assert rows[3]["turnover_rate_12m"] == ""  # null: no holders in TSC
    assert rows[1]["label"] == "Segment 2"


def test_model_and_series(run: Run, tmp_path: Path) -> None:
    frames = random_register(3, organisations=12)
    builder = RegisterBuilder(
        organisations=frames.organisations.to_dicts(),
        ratings=frames.ratings.to_dicts(),
        posts=frames.posts.to_dicts(),
        people=frames.people.to_dicts(),
        appointments=frames.appointments.to_dicts(),
    )
    url = database(tmp_path / "random.db", builder)
    code, out, err = run(
        "stats", "--db", url, "--at", "2026-09-30", "--model", "--series", "--format", "json"
    )
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["hazard_model"]["departures"] > 0
    assert set(payload["series"]) == {
        "exec_vacancy_rate",
        "interim_cover_share",
        "turnover_rate_12m",
        "bme_share_board_voting",
    }
    points = payload["series"]["exec_vacancy_rate"]["points"]
    assert len(points) == 24
    assert points[-1]["as_at"] == "2026-09-30"
    assert points[-1]["value"] == pytest.approx(payload["exec_vacancy_rate"])
    code, out, _ = run("stats", "--db", url, "--at", "2026-09-30", "--model")
    assert code == 0
    assert "Departure hazard model" in out
    code, _, err = run("stats", "--db", url, "--model", "--series", "--format", "csv")
    assert code == 2
    assert "use --model or --series" in err


def test_model_with_nothing_to_fit(run: Run, hand_worked: str) -> None:
    """Eight spells in three organisations: every level has fewer than five departures."""
    code, _, err = run("stats", "--db", hand_worked, "--at", "2026-09-30", "--model")
    assert code == 1
    assert "the departure hazard model cannot be fitted" in err


def test_at_demo_is_the_demo_date(run: Run, hand_worked: str) -> None:
    code, out, _ = run("stats", "--db", hand_worked, "--at", "demo", "--format", "json")
    assert code == 0
    assert json.loads(out)["as_at"] == "2026-09-30"
