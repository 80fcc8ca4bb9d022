"""``talentboard demo`` on a fresh database of each backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talentboard.cli import main
from talentboard.db import make_engine
from tests.demo.conftest import BACKENDS
from tests.demo.queries import run


def _talentboard(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("backend", BACKENDS)
def test_demo_command_loads_refuses_and_replaces(
    backend: str, new_database: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = new_database(backend)
    assert _talentboard(["init", "--db", url], capsys)[0] == 0

    code, out, _ = _talentboard(
        ["demo", "--db", url, "--scale", "region", "--region", "Y58", "--seed", "3"], capsys
    )
    assert code == 0
    assert "Demo data (region Y58, seed 3) as at 2026-09-30: 18 organisations" in out
    engine = make_engine(url)
    try:
        people = run(engine, "SELECT COUNT(*) FROM people")[0][0]
        assert people > 500
        assert str(f"{people:,} people") in out

        code, _, err = _talentboard(
            ["demo", "--db", url, "--scale", "region", "--region", "Y58"], capsys
        )
        assert code == 1
        assert err.startswith("Error: the database already holds")
        assert "--replace" in err
        assert run(engine, "SELECT COUNT(*) FROM people")[0][0] == people

        code, out, _ = _talentboard(
            ["demo", "--db", url, "--scale", "region", "--region", "Y63", "--replace"], capsys
        )
        assert code == 0
        regions = run(
            engine,
            "SELECT DISTINCT o.region_code FROM posts p "
            "JOIN organisations o ON o.ods_code = p.ods_code",
        )
        assert regions == [("Y63",)]
        assert run(engine, "SELECT value FROM settings WHERE key = 'demo_as_at'") == [
            ("2026-09-30",)
        ]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "county"], "--scale must be one of region, national, all-levels"),
        (
            ["--scale", "national", "--region", "Y58"],
            "--region can only be used with --scale region",
        ),
        (["--scale", "region", "--region", "Y99"], "--region 'Y99' is not an NHS England region"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = tmp_path / "unused.db"
    code, _, err = _talentboard(["demo", "--db", f"sqlite:///{database}", *args], capsys)
    assert code == 2
    assert err.startswith(f"Error: {message}")
    assert err.count("\n") == 1
    assert not database.exists()


def test_demo_needs_an_initialised_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _talentboard(["demo", "--db", f"sqlite:///{tmp_path}/empty.db"], capsys)
    assert code == 1
    assert "run 'talentboard init' first" in err
