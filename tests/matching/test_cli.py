"""``talentboard match``: the JSON contract of DESIGN section 6, key by key, and the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentboard.db import make_engine
from tests.cli_run import run_captured as run
from tests.matching.world import build_world


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'match.db'}"
    assert run(["init", "--db", url], capsys)[0] == 0
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        build_world(session)
    engine.dispose()
    return url


def test_opportunities_json_contract(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["match", "opportunities", "--db", db, "--at", "30/09/2026", "--format", "json"], capsys
    )
    assert code == 0, err
    document = json.loads(out)
    assert list(document) == ["assignments", "total_score", "unassigned"]
    assert document["total_score"] == 110
    for item in document["assignments"]:
        assert list(item) == ["person_id", "opportunity_id", "score", "reasons"]
        assert isinstance(item["score"], int)
        assert all(isinstance(reason, str) for reason in item["reasons"])
    assert [(a["person_id"], a["opportunity_id"], a["score"]) for a in document["assignments"]] == [
        ("P1", "OPP-1", 80),
        ("P2", "OPP-3", 25),
        ("P3", "OPP-3", 5),
    ]
    assert document["unassigned"] == []
    assert "Stored as run 1." in err


def test_opportunities_all_pairs(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "match",
            "opportunities",
            "--db",
            db,
            "--at",
            "2026-09-30",
            "--format",
            "json",
            "--all-pairs",
            "--dry-run",
        ],
        capsys,
    )
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["assignments", "total_score", "unassigned", "eligible_pairs"]
    for item in document["eligible_pairs"]:
        assert list(item) == ["person_id", "opportunity_id", "score"]
    assert len(document["eligible_pairs"]) == 6
    assigned = {(a["person_id"], a["opportunity_id"]): a["score"] for a in document["assignments"]}
    listed = {(p["person_id"], p["opportunity_id"]): p["score"] for p in document["eligible_pairs"]}
    assert all(listed[key] == score for key, score in assigned.items())
    # --dry-run stored nothing: there are no proposals to list.
    code, out, _ = run(["match", "proposals", "--db", db, "--format", "json"], capsys)
    assert (code, json.loads(out)) == (0, [])


def test_table_and_decide(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["match", "opportunities", "--db", db, "--at", "2026-09-30"], capsys)
    assert code == 0
    assert "3 assignment(s), total score 110" in out
    assert "Stored as run 1" in out
    assert "score 80 = gaps 20 + readiness 30 + aspirations 10 + breadth 20" in out
    code, out, _ = run(["match", "proposals", "--db", db, "--format", "json"], capsys)
    proposals = json.loads(out)
    first = next(p for p in proposals if p["person_id"] == "P1")
    assert first["status"] == "proposed"
    code, out, _ = run(
        ["match", "decide", str(first["proposal_ref"]), "accept", "--by", "lead", "--db", db],
        capsys,
    )
    assert (code, out.strip()) == (0, f"Proposal {first['proposal_ref']} is now accepted.")
    code, out, _ = run(
        ["match", "opportunities", "--db", db, "--at", "2026-09-30", "--format", "json"], capsys
    )
    kept = next(a for a in json.loads(out)["assignments"] if a["person_id"] == "P1")
    assert kept["reasons"][0].startswith(f"kept: proposal {first['proposal_ref']} was accepted")


def test_bad_input_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["match", "opportunities", "--db", db, "--at", "31/02/2026"], capsys)[0] == 2
    code, _, err = run(["match", "decide", "12345", "accept", "--db", db], capsys)
    assert (code, err.strip()) == (2, "Error: there is no proposal 12345")
    code, _, err = run(["match", "vacancy", "NOPE", "--db", db, "--at", "2026-09-30"], capsys)
    assert (code, err.strip()) == (2, "Error: there is no post 'NOPE'")
    code, _, err = run(["match", "opportunities", "--db", db, "--positive-action", "tall"], capsys)
    assert code == 2
    assert "unknown group 'tall'" in err
    code, _, err = run(["match", "opportunities", "--db", db, "--min-share", "bme"], capsys)
    assert code == 2
    assert "use GROUP=SHARE" in err
    assert run(["match", "buddies", "--db", db, "--region", "Y99"], capsys)[0] == 2


def test_vacancy_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["match", "vacancy", "TSTA-FD", "--db", db, "--at", "2026-09-30", "--format", "json"],
        capsys,
    )
    assert code == 0
    document = json.loads(out)
    assert [(c["rank"], c["person_id"], c["score"]) for c in document["shortlist"]] == [
        (1, "P1", 10),
        (2, "P2", 0),
    ]
    assert document["excluded"][0]["person_id"] == "P3"


def test_positive_action_is_shown_when_used(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "match",
            "opportunities",
            "--db",
            db,
            "--at",
            "2026-09-30",
            "--format",
            "json",
            "--dry-run",
            "--positive-action",
            "bme",
        ],
        capsys,
    )
    assert code == 0
    for item in json.loads(out)["assignments"]:
        assert item["reasons"][1].endswith("+ positive action 0")
        assert any(
            reason.startswith("positive action (Equality Act 2010 s.158)")
            for reason in item["reasons"]
        )


def test_buddies_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["match", "buddies", "--db", db, "--at", "2026-09-30", "--format", "json", "--dry-run"],
        capsys,
    )
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["pairs", "total_score", "unpaired"]
    # The shipped trusts have no board register: no strong organisation has a stable board.
    assert document["pairs"] == []
    assert all(item["reason"] for item in document["unpaired"])
