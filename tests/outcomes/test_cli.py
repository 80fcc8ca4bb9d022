"""``talentboard outcomes``: the JSON contract, the same figures as the library, exit 2."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.models import IndicatorValue
from talentboard.frames.outcomes import IndicatorFrames, catalogue_frame
from talentboard.outcomes import PANEL, OutcomeInputs, exposure_names, fit_outcome
from tests.conftest import Run
from tests.outcomes.registers import T, generated_builder, generated_register, indicator_rows

KEYS = [
    "indicator",
    "exposure",
    "as_at",
    "model",
    "n_orgs",
    "n_excluded",
    "coefficient",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "r_squared",
    "adjusted_for",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The generated register and its staff engagement rows, in a SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('outcomes') / 'tb.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        generated_builder().save(session)
        session.execute(insert(IndicatorValue), indicator_rows().to_dicts())
    engine.dispose()
    return url


def _library(exposure: str, model: str = "ols_hc3") -> dict[str, object]:
    inputs = OutcomeInputs(
        generated_register(), IndicatorFrames(catalogue_frame(), indicator_rows())
    )
    return fit_outcome(inputs, "staff_engagement", exposure, T, model).as_dict()


def test_json_is_the_contract_with_the_library_figures(run: Run, database: str) -> None:
    argv = ["--indicator", "staff_engagement", "--at", "2026-09-30", "--format", "json"]
    code, out, _ = run("outcomes", *argv, "--exposure", "exec_vacancy_share", "--db", database)
    assert code == 0
    printed = json.loads(out)
    assert list(printed) == KEYS
    assert printed == _library("exec_vacancy_share")
    assert printed["model"] == "ols_hc3"
    assert printed["adjusted_for"] == ["kind", "log_staff_headcount"]
    code, out, _ = run(
        "outcomes", *argv, "--exposure", "exec_vacancy_share", "--model", "panel", "--db", database
    )
    assert code == 0
    panel = json.loads(out)
    assert list(panel) == KEYS
    assert panel["model"] == "twoway_fe_cluster"
    assert panel == _library("exec_vacancy_share", PANEL)


def test_all_exposures_is_a_list_one_object_each(run: Run, database: str) -> None:
    """The generated register has no ethnicity or workforce shares, so the board BME gap
    has no value: that object says why and carries no figures."""
    code, out, _ = run(
        "outcomes",
        "--indicator",
        "staff_engagement",
        "--exposure",
        "all",
        "--at",
        "2026-09-30",
        "--format",
        "json",
        "--db",
        database,
    )
    assert code == 0
    printed = json.loads(out)
    assert [p["exposure"] for p in printed] == list(exposure_names())
    by_name = {p["exposure"]: p for p in printed}
    assert by_name["exec_vacancy_share"] == _library("exec_vacancy_share")
    gap = by_name["board_bme_gap_pp"]
    assert gap["coefficient"] is None
    assert gap["reason"].startswith("too few organisations to fit: 0")
    assert all(list(p)[: len(KEYS)] == KEYS for p in printed)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--indicator", "staff_happiness", "--exposure", "exec_vacancy_share"],
            "Error: unknown indicator 'staff_happiness': use one of staff_engagement, morale,",
        ),
        (
            ["--indicator", "morale", "--exposure", "churn"],
            "Error: unknown exposure 'churn': use one of ceo_changes_3y, exec_vacancy_share,",
        ),
        (
            ["--indicator", "morale", "--exposure", "exec_vacancy_share"],
            "Error: morale on exec_vacancy_share: too few organisations to fit: 0 with both",
        ),
        (
            [
                "--indicator",
                "staff_engagement",
                "--exposure",
                "exec_vacancy_share",
                "--at",
                "2024-12-31",
                "--model",
                "panel",
            ],
            "Error: staff_engagement on exec_vacancy_share: the panel model needs "
            "staff_engagement in two or more periods",
        ),
    ],
)
def test_bad_choices_and_too_little_data_exit_2(
    run: Run, database: str, argv: list[str], message: str
) -> None:
    code, out, err = run("outcomes", *argv, "--format", "json", "--db", database)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_the_exposures_written_out_for_help_match_the_library() -> None:
    from talentboard.cli.outcomes import EXPOSURE_NAMES

    assert exposure_names() == EXPOSURE_NAMES


def test_outcomes_help_imports_no_heavy_library() -> None:
    from tests.cli.test_startup import HEAVY, RUN_HELP, _loaded

    assert _loaded(RUN_HELP.format(argv=["outcomes", "--help"], heavy=set(HEAVY))) == []


def test_table_output_states_an_association(run: Run, database: str) -> None:
    code, out, _ = run(
        "outcomes",
        "--indicator",
        "staff_engagement",
        "--exposure",
        "exec_vacancy_share",
        "--at",
        "2026-09-30",
        "--db",
        database,
    )
    assert code == 0
    text = " ".join(out.split())
    assert "After adjusting for organisation kind and size" in text
    assert "This is an association, not evidence that one causes the other" in text
