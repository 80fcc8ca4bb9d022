"""docs/talent.md's worked example of the succession risk, reproduced exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentboard.db import make_engine, upgrade
from talentboard.db.seed import load_reference_organisations
from talentboard.talent import services
from tests.talent.test_cli import run
from tests.talent.worked_example import AT, build_worked_example, documented_post


def test_services_reproduce_the_worked_example(session: Session) -> None:
    """L = 1 - 0.64 / 0.8 = 0.2; risk = 0.4 x 0.2 + 0.3 + 0.1 = 0.48."""
    build_worked_example(session)
    view = services.succession_view(services.load_context(session, AT), ods_code="RRK")
    document = view.report.to_json()
    assert document["posts"] == [documented_post()]
    assert view.report.posts["leave_chance"][0] == pytest.approx(0.2)


def test_command_prints_the_worked_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'example.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
        build_worked_example(session)
    engine.dispose()
    code, out, err = run(
        ["succession", "--at", "2026-09-30", "--org", "RRK", "--format", "json", "--db", url],
        capsys,
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "as_at": "2026-09-30",
        "coverage_share": 0.0,
        "posts": [documented_post()],
    }
