"""``talentboard forecast``: the JSON contract, the exit-2 rules, the subcommands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentboard.forecast import forecast_frames
from talentboard.forecast.simulate import MEASURES
from tests.conftest import Run
from tests.forecast.registers import AS_AT, world
from tests.stability.test_cli import database

CONTRACT = [
    "as_at",
    "horizon_months",
    "replications",
    "seed",
    "scenario",
    "measures",
    "monthly",
    "groups",
]
FIGURES = ["mean", "p05", "p25", "p50", "p75", "p95"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return database(tmp_path_factory.mktemp("forecast") / "forecast.db", world(12, gap_days=90))


def _json(run: Run, *argv: str) -> dict[str, object]:
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), err
    document: dict[str, object] = json.loads(out)
    return document


def test_json_is_the_contract(run: Run, db: str) -> None:
    document = _json(
        run,
        "forecast",
        "--db",
        db,
        "--at",
        "2026-09-30",
        "--horizon-months",
        "6",
        "--replications",
        "100",
        "--seed",
        "3",
        "--format",
        "json",
        "--by",
        "region",
    )
    assert list(document)[: len(CONTRACT)] == CONTRACT
    assert document["as_at"] == "2026-09-30"
    assert (document["horizon_months"], document["replications"], document["seed"]) == (6, 100, 3)
    assert document["scenario"]["name"] == "baseline"
    measures = document["measures"]
    assert isinstance(measures, dict)
    assert list(measures) == list(MEASURES)
    assert all(list(figures) == FIGURES for figures in measures.values())
    monthly = document["monthly"]
    assert isinstance(monthly, list)
    assert [m["month"] for m in monthly] == [
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    assert monthly[-1] == {"month": "2027-03", **measures}  # the horizon is the last month
    groups = document["groups"]
    assert isinstance(groups, list)
    assert [g["key"] for g in groups] == [{"region": "Y56"}, {"region": "Y58"}]
    # The command prints what the library computes on the same register.
    w = world(12, gap_days=90)
    expected = forecast_frames(
        w.frames(),
        w.successor_frame(),
        as_at=AS_AT,
        horizon_months=6,
        replications=100,
        seed=3,
        by="region",
        exact=True,
    )
    assert document == expected


def test_table(run: Run, db: str) -> None:
    code, out, _ = run("forecast", "--db", db, "--at", "2026-09-30", "--replications", "100")
    assert code == 0
    assert "Executive vacancy rate" in out
    assert "95th" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--at", "2001-01-01"], "before the first record (2010-01-01)"),
        (["--horizon-months", "0"], "--horizon-months 0: must be between 1 and 120"),
        (["--horizon-months", "121"], "--horizon-months 121"),
        (["--replications", "99"], "--replications 99: must be between 100 and 1,000,000"),
        (["--replications", "1000001"], "--replications 1000001"),
        (["--at", "31/02/2026"], "--at"),
    ],
)
def test_bad_input_exits_2(run: Run, db: str, argv: list[str], message: str) -> None:
    code, out, err = run("forecast", "--db", db, "--replications", "100", *argv)
    assert code == 2
    assert message in err
    assert out == ""


def test_a_bad_scenario_file_names_the_key(run: Run, db: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    path.write_text("turnover_multiplier = 1.2\ntime_to_fil_multiplier = 2\n")
    code, _, err = run("forecast", "--db", db, "--at", "2026-09-30", "--scenario", str(path))
    assert code == 2
    assert "'time_to_fil_multiplier'" in err
    assert str(path) in err


def test_a_scenario_changes_the_forecast(run: Run, db: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    path.write_text('name = "Slower appointments"\ntime_to_fill_multiplier = 3\n')
    base = [
        "forecast",
        "--db",
        db,
        "--at",
        "2026-09-30",
        "--replications",
        "100",
        "--format",
        "json",
    ]
    baseline = _json(run, *base)
    scenario = _json(run, *base, "--scenario", str(path))
    assert scenario["scenario"]["name"] == "Slower appointments"  # type: ignore[index]
    rate = "exec_vacancy_rate"
    assert scenario["measures"][rate]["mean"] > baseline["measures"][rate]["mean"]  # type: ignore[index]


def test_target_and_backtest(run: Run, db: str) -> None:
    target = _json(
        run,
        "forecast",
        "target",
        "bme_share_board_voting",
        "--value",
        "0.4",
        "--by",
        "2028-09-30",
        "--db",
        db,
        "--at",
        "2026-09-30",
        "--replications",
        "100",
        "--format",
        "json",
    )
    assert target["lever"] == "bme_share_appointments"
    assert [a["probability"] for a in target["answers"]] == [0.5, 0.8]  # type: ignore[union-attr]
    backtest = _json(
        run,
        "forecast",
        "backtest",
        "--origins",
        "2020-06-30,2022-06-30",
        "--horizon-months",
        "12",
        "--db",
        db,
        "--replications",
        "100",
        "--format",
        "json",
    )
    assert backtest["origins"] == ["2020-06-30", "2022-06-30"]
    assert set(backtest["coverage"]) == {*MEASURES[:3], "bme_share_board_voting", "all"} - {  # type: ignore[arg-type]
        "appointments_needed"
    }
    code, _, err = run(
        "forecast",
        "target",
        "exec_vacancy_rate",
        "--value",
        "1.5",
        "--by",
        "2028-09-30",
        "--db",
        db,
    )
    assert code == 2
    assert "--value" in err


def test_sweep_on_a_cluster_address(run: Run, db: str, tmp_path: Path) -> None:
    """``forecast sweep --cluster`` sends the tasks to a scheduler (here one in this
    process, over TCP) and prints every scenario's forecast."""
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "sweep.toml"
    path.write_text(
        '[[scenario]]\nname = "baseline"\n[[scenario]]\nname = "more"\nturnover_multiplier = 1.5\n'
    )
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None
    ) as cluster:
        document = _json(
            run,
            "forecast",
            "sweep",
            str(path),
            "--cluster",
            cluster.scheduler_address,
            "--db",
            db,
            "--at",
            "2026-09-30",
            "--horizon-months",
            "12",
            "--replications",
            "200",
            "--format",
            "json",
        )
    scenarios = document["scenarios"]
    assert [s["scenario"]["name"] for s in scenarios] == ["baseline", "more"]  # type: ignore[union-attr]
    single = _json(
        run,
        "forecast",
        "--db",
        db,
        "--at",
        "2026-09-30",
        "--horizon-months",
        "12",
        "--replications",
        "200",
        "--format",
        "json",
    )
    assert scenarios[0] == single  # type: ignore[index]


def test_names_written_out_for_help_match_their_sources() -> None:
    import talentboard.forecast as forecast
    from talentboard.cli import forecast as command
    from talentboard.forecast.model import DIMENSIONS, LEVELS
    from talentboard.forecast.target import LEVERS

    assert command.MIN_REPLICATIONS == forecast.MIN_REPLICATIONS
    assert command.MAX_REPLICATIONS == forecast.MAX_REPLICATIONS
    assert command.MAX_HORIZON_MONTHS == forecast.MAX_HORIZON_MONTHS
    assert tuple(command.By) == DIMENSIONS
    assert tuple(command.Level) == LEVELS
    assert tuple(command.TargetMeasure) == tuple(LEVERS)


def test_help_loads_no_heavy_library() -> None:
    from tests.cli.test_startup import HEAVY, RUN_HELP, _loaded

    assert _loaded(RUN_HELP.format(argv=["forecast", "--help"], heavy=set(HEAVY))) == []


def test_successors_are_read_alone_as_load_talent_reads_them(session: Session) -> None:
    """On each backend: the forecast reads the successor entries by themselves, the same
    rows ``load_talent`` gives (reviewed on or before the date)."""
    import datetime as dt

    from talentboard.frames.talent import load_successors, load_talent
    from tests.talent import factories

    first = factories.post(session, "RRK-FD", "RRK", "finance_director")
    second = factories.post(session, "RRK-MD", "RRK", "medical_director")
    one, two = factories.person(session, "P1"), factories.person(session, "P2")
    factories.plan(session, first, [(one, "ready_now", False)], dt.date(2026, 1, 1))
    factories.plan(session, second, [(two, "ready_1_2y", True)], dt.date(2026, 6, 1))
    alone = load_successors(session, dt.date(2026, 3, 1))
    assert alone.equals(load_talent(session, dt.date(2026, 3, 1)).successors)
    assert alone["readiness"].to_list() == ["ready_now"]
    assert load_successors(session, dt.date(2026, 9, 30)).height == 2
