"""The talent commands on the hand-worked world (tests/talent/world.py), in a SQLite file:
the commands commit, so they get a database of their own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_organisations
from tests.cli_run import run_captured as run
from tests.talent.world import build_world

AT = ["--at", "2026-09-30"]


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'world.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        build_world(session)
    engine.dispose()
    return url


def as_json(argv: list[str], db: str, capsys: pytest.CaptureFixture[str]) -> Any:
    code, out, err = run([*argv, *AT, "--format", "json", "--db", db], capsys)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_talent_pool(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = as_json(["talent", "--willing-region", "Y60", "--exact"], db, capsys)
    assert document["as_at"] == "2026-09-30"
    assert document["filters"] == {"willing_region": ["Y60"]}
    assert [m["person_id"] for m in document["members"]] == ["P05", "P06"]
    assert document["members"][0]["targets"] == [
        {"target_role_code": "finance_director", "readiness": "ready_1_2y"}
    ]
    assert document["figures"]["women"] == {"count": 2, "known": 2, "share": 1.0}
    code, out, _ = run(["talent", *AT, "--exact", "--db", db], capsys)
    assert code == 0
    assert "4 people in the pool." in out
    assert "bme       2      3      66.7%" in out
    # Without --exact, counts from 1 to 7 are suppressed, and shares built on them too.
    disclosed = as_json(["talent"], db, capsys)
    assert disclosed["exact"] is False
    assert disclosed["figures"]["women"] == {"count": "*", "known": "*", "share": "*"}
    _, out, _ = run(["talent", *AT, "--db", db], capsys)
    assert "Group figures (after disclosure control):" in out
    assert "bme       *      *      *" in out


def test_bad_options_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["talent", "--readiness", "soon", "--db", db], capsys)
    assert (code, err.strip()) == (2, "Error: --readiness 'soon': not one of the known values")
    code, _, err = run(["board-skills", "XXX", *AT, "--db", db], capsys)
    assert (code, err.strip()) == (2, "Error: no organisation with ODS code 'XXX'")
    code, _, err = run(["succession", "--region", "Y99", *AT, "--db", db], capsys)
    assert (code, err.strip()) == (2, "Error: no NHS England region with code 'Y99'")
    code, _, err = run(["fppt", "due", "--at", "31/02/2026", "--db", db], capsys)
    assert code == 2
    assert "not a date" in err


def test_succession_contract(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Key by key: as_at, coverage_share (2 of 7), and each post's nine keys."""
    document = as_json(["succession"], db, capsys)
    assert list(document) == ["as_at", "coverage_share", "posts"]
    assert document["as_at"] == "2026-09-30"
    assert document["coverage_share"] == pytest.approx(2 / 7)
    keys = [
        "post_id",
        "ods_code",
        "role_code",
        "ready_now",
        "ready_1_2y",
        "ready_3_5y",
        "covered",
        "risk",
        "reasons",
    ]
    assert all(list(p) == keys for p in document["posts"])
    posts = {p["post_id"]: p for p in document["posts"]}
    assert list(posts) == ["R0A-CEO", "RJ1-CEO", "RJ1-COO", "RJ1-DD", "RJ1-FD", "RJ1-MD", "RRK-MD"]
    assert posts["RJ1-FD"] == {
        "post_id": "RJ1-FD",
        "ods_code": "RJ1",
        "role_code": "finance_director",
        "ready_now": 0,
        "ready_1_2y": 1,
        "ready_3_5y": 0,
        "covered": False,
        "risk": 0.9,
        "reasons": [
            "no substantive holder: the post needs filling (+0.40)",
            "no ready-now successor in post (+0.30)",
            "post held on an interim, acting or secondment basis (+0.20)",
        ],
    }
    assert posts["RJ1-CEO"]["covered"] is True
    assert isinstance(posts["RJ1-CEO"]["risk"], float)
    rrk = as_json(["succession", "--org", "RRK"], db, capsys)
    assert [p["post_id"] for p in rrk["posts"]] == ["RRK-MD"]
    assert rrk["coverage_share"] == 1.0
    rollup = as_json(["succession", "rollup", "--by", "region"], db, capsys)
    assert rollup["by"]["region_code"]["Y56"]["critical_posts"] == 5
    assert rollup["by"]["region_code"]["Y60"]["coverage_share"] == 1.0
    flags = as_json(["succession", "flags", "--max-plans", "1"], db, capsys)
    assert flags["people"] == [{"person_id": "P02", "plans": 2, "post_ids": ["RJ1-CEO", "RRK-MD"]}]
    _, out, _ = run(["succession", *AT, "--db", db], capsys)
    assert "Coverage: 28.6% of 7 critical posts covered at 2026-09-30." in out


def test_board_skills(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = as_json(["board-skills", "RJ1"], db, capsys)
    assert [m["person_id"] for m in document["members"]] == [
        "P01",
        "P04",
        "P11",
        "P02",
        "P09",
        "P08",
    ]
    assert [d["status"] for d in document["domains"]] == [
        "covered",
        "covered",
        "gap",
        "covered",
        "thin",
        "covered",
    ]
    assert document["next_appointment"][-2:] == [
        "a nursing background",
        "a non-executive with a clinical background",
    ]
    code, out, _ = run(["board-skills", "rj1", *AT, "--db", db], capsys)
    assert code == 0
    assert "The next appointment should bring:" in out


def test_fppt_due_and_reference(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = as_json(["fppt", "due", "--org", "RJ1"], db, capsys)
    assert len(document["checks"]) == 47
    assert document["checks"][-1]["status"] == "due"
    assert [r["person_id"] for r in document["references_missing"]] == ["P10"]
    code, out, _ = run(
        [
            "fppt",
            "reference",
            "P10",
            "RJ1-MD",
            "--written-on",
            "2026-04-15",
            "--by",
            "Chair",
            "--db",
            db,
        ],
        capsys,
    )
    assert code == 0
    assert out.strip() == "Recorded the board member reference for P10 (RJ1-MD), 2026-04-15."
    assert as_json(["fppt", "due", "--org", "RJ1"], db, capsys)["references_missing"] == []
    code, _, err = run(
        ["fppt", "reference", "P01", "RJ1-CEO", "--written-on", "2026-04-15", "--db", db],
        capsys,
    )
    assert (code, err.strip()) == (
        2,
        "Error: the appointment of P01 to RJ1-CEO has not ended by 2026-04-15",
    )


def test_person_grid_diversity_appraisals(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    person = as_json(["talent", "person", "P05"], db, capsys)
    assert person["placement"][0]["box"] == 9
    assert [g["gap"] for g in person["gaps"]] == [0.5, 1.0, 0.0, 2.0, 0.0, 3.0]
    assert person["development_needs"][0].startswith(
        "Building a trusted relationship with partners and communities"
    )
    grid = as_json(["talent", "grid"], db, capsys)
    assert {g["box"]: g["people"] for g in grid["grid"]}[9] == 1
    assert grid["plans"]["actions_overdue"] == 1
    assert grid["plans"]["conversations_due"] == 3
    diversity = as_json(["talent", "diversity", "--exact"], db, capsys)
    assert diversity["rungs"][0]["bme_share"] == 0.25
    assert len(diversity["drops"]) == 3
    # Disclosed: 8 board members round to 10; 2 BME of 8 is suppressed, as is every step.
    disclosed = as_json(["talent", "diversity"], db, capsys)
    assert (disclosed["rungs"][0]["people"], disclosed["rungs"][0]["bme_share"]) == (10, "*")
    assert disclosed["drops"] == []
    appraisals = as_json(["talent", "appraisals", "--org", "RJ1"], db, capsys)
    assert [m["status"] for m in appraisals["members"]] == [
        "complete",
        "missing",
        "missing",
        "overdue",
        "missing",
        "incomplete",
    ]
    code, _, err = run(["talent", "person", "NOBODY", *AT, "--db", db], capsys)
    assert (code, err.strip()) == (2, "Error: no person with id 'NOBODY'")


def test_exits_and_recording(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = as_json(["talent", "exits"], db, capsys)
    assert document["summary"]["forced_share"] == 0.5
    assert [r["person_id"] for r in document["records"]] == ["P03", "P10"]
    code, out, _ = run(
        [
            "talent",
            "record-exit",
            "P13",
            "RJ1-WM",
            "--on",
            "2026-09-01",
            "--reason",
            "retired",
            "--notes",
            "Retired after 8 years",
            "--db",
            db,
        ],
        capsys,
    )
    assert code == 0
    assert out.strip() == "Recorded the exit of P13 from RJ1-WM on 2026-09-01 (retired)."
    after = as_json(["talent", "exits"], db, capsys)
    assert after["records"][0]["exit_notes"] == "Retired after 8 years"
    assert after["summary"]["ended"] == 3
    code, _, err = run(
        [
            "talent",
            "record-exit",
            "P13",
            "RJ1-WM",
            "--on",
            "2026-09-01",
            "--reason",
            "sacked",
            "--db",
            db,
        ],
        capsys,
    )
    assert code == 2
    assert "end reason 'sacked' is not one of" in err
