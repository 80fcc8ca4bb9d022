"""``talentboard init`` creates the schema, loads the real trusts, and is safe to run again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from talentboard.db import current_revision, head_revision, make_engine
from talentboard.db.models import Organisation, PerformanceRating
from tests.cli_run import run_captured as run


def test_init_creates_schema_and_loads_trusts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'tb.db'}"
    code, out, _ = run(["init", "--db", url], capsys)
    assert code == 0
    assert "202 organisations and 148 oversight ratings added" in out
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    with Session(engine) as session:
        # The 202 open trusts, and the 4 closed trusts the shipped indicator figures cover.
        assert session.scalar(select(func.count()).select_from(Organisation)) == 206
        assert session.scalar(select(func.count()).select_from(PerformanceRating)) == 148


def test_init_again_keeps_local_edits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'tb.db'}"
    run(["init", "--db", url], capsys)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Organisation).where(Organisation.ods_code == "RJ1").values(bme_staff_share=0.51)
        )
    code, out, _ = run(["init", "--db", url], capsys)
    assert code == 0
    assert "0 organisations and 0 oversight ratings added" in out
    with Session(engine) as session:
        assert session.get(Organisation, "RJ1").bme_staff_share == 0.51  # type: ignore[union-attr]


def test_unreachable_database_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["init", "--db", "postgresql://nobody@127.0.0.1:1/none"], capsys)
    assert code == 1
    assert err.startswith("Error: the database could not be used:")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_command_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["no-such-command"], capsys)
    assert code == 2
