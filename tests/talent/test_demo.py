"""The demo's talent data make every talent command show something meaningful.

The region-scale demo (Midlands, seed 1) is generated in the test session's transaction
(on SQLite and PostgreSQL) for the services, and committed to a SQLite file for the
commands. "Meaningful" is checked against the demo's own rows, not against fixed figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy.orm import Session

from talentboard.cli import main
from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.talent import services
from tests.talent.test_cli import run


def test_services_on_the_demo(session: Session) -> None:
    generate_demo(session, "region", 1)
    context = services.load_context(session, DEMO_AS_AT)
    pool = services.talent_pool(context)
    assert pool.members.height == context.talent.profiles.height > 0
    figures = dict(pool.figures.select("group", "share").rows())
    assert 0 < figures["women"] < 1
    assert pool.readiness["readiness"].n_unique() >= 3

    view = services.succession_view(context)
    posts = view.report.posts
    share = view.report.coverage_share
    assert share is not None
    assert 0 < share < 1
    assert set(posts["state"]) >= {"substantive", "vacant"} or set(posts["state"]) >= {
        "substantive",
        "interim",
    }
    assert posts["risk"].min() < 0.5 < posts["risk"].max()
    assert posts["basis"].drop_nulls().str.starts_with("Kaplan-Meier of").all()

    boards = [services.board_skills_view(context, ods) for ods in posts["ods_code"].unique()]
    assert all(b.members.height >= 8 for b in boards)
    assert all((b.domains["assessed"] > 0).all() for b in boards)
    # Some boards are short of a domain or a background; the words say what to look for.
    assert any(b.next_appointment for b in boards)

    fppt = services.fppt_view(context)
    assert fppt.status.height > 0
    assert (fppt.status["status"] == "ok").any()
    assert fppt.attention.height + fppt.missing_references.height > 0

    exits = services.exit_view(context, executive_only=True)
    assert exits.summary.ended > 0
    appraisals = services.appraisal_view(context)
    assert (appraisals["status"] == "complete").any()
    ladder = services.pipeline_diversity(context)
    board = ladder.filter(pl.col("rung") == "board").row(0, named=True)
    assert board["people"] > 0
    assert board["bme_share"] is not None


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / 'demo.db'}"
    for argv in (["init", "--db", url], ["demo", "--scale", "region", "--db", url]):
        assert invoke(argv) == 0, argv
    return url


def invoke(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def command(argv: list[str], url: str, capsys: pytest.CaptureFixture[str]) -> Any:
    code, out, err = run([*argv, "--at", "demo", "--format", "json", "--db", url], capsys)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_commands_on_the_demo(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    pool = command(["talent"], demo_db, capsys)
    assert len(pool["members"]) > 0
    assert any(m["box"] for m in pool["members"])
    succession = command(["succession"], demo_db, capsys)
    assert 0 < succession["coverage_share"] < 1
    assert any(p["reasons"] for p in succession["posts"])
    ods = succession["posts"][0]["ods_code"]
    skills = command(["board-skills", ods], demo_db, capsys)
    assert len(skills["members"]) > 0
    assert any(d["assessed"] for d in skills["domains"])
    due = command(["fppt", "due"], demo_db, capsys)
    assert due["checks"] or due["references_missing"]
    grid = command(["talent", "grid"], demo_db, capsys)
    assert sum(g["people"] for g in grid["grid"]) > 0
    exits = command(["talent", "exits"], demo_db, capsys)
    assert exits["summary"]["ended"] > 0
