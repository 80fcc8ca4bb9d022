"""``talentboard users``, ``audit`` and the API against the CLI, on a database file.

These commands commit, so they run on a fresh SQLite file of their own rather than inside
the rolled-back test session; the account rules themselves are tested on both backends in
``test_accounts.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db import make_engine
from talentboard.db.models import Setting
from talentboard.web.accounts import token_hash
from talentboard.web.app import create_app
from talentboard.web.settings import WebSettings
from tests.cli_run import run_captured
from tests.web.world import build_world


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_captured(argv, capsys)


@pytest.fixture
def database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'talentboard.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    engine = make_engine(url)
    with Session(engine) as session:
        build_world(session)
        session.commit()
    engine.dispose()
    return url


def test_users_add_list_token_disable(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "password"
    secret.write_text("a long enough password\n")
    code, out, _ = run(
        capsys,
        "users", "add", "lead", "--role", "regional", "--region", "Y56",
        "--password-file", str(secret), "--db", database,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "Added lead (regional).")
    code, out, _ = run(capsys, "users", "list", "--db", database)
    assert "lead\tregional\tY56\t\t\tyes\tpassword" in out.splitlines()
    code, out, _ = run(capsys, "users", "token", "lead", "--db", database)
    token = out.strip().splitlines()[-1]
    assert token.startswith("tb_")
    engine = make_engine(database)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM api_tokens").scalars().all()
    assert stored == [token_hash(token)], "only the hash is stored"
    code, out, _ = run(capsys, "users", "disable", "lead", "--db", database)
    assert code == 0
    code, out, _ = run(capsys, "users", "list", "--db", database)
    assert "lead\tregional\tY56\t\t\tno\tpassword" in out.splitlines()
    code, out, _ = run(capsys, "audit", "--format", "json", "--db", database)
    events = json.loads(out)
    assert [(e["action"], e["key"]) for e in events] == [
        ("user_disabled", "lead"),
        ("token_created", "lead"),
        ("user_created", "lead"),
    ]
    assert all(e["username"].startswith("cli:") and e["source"] == "cli" for e in events)
    engine.dispose()


def test_users_add_refuses_bad_input(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "password"
    secret.write_text("a long enough password\n")
    short = tmp_path / "short"
    short.write_text("short\n")
    cases = [
        (("--role", "regional"), "a regional user needs --region"),
        (("--role", "org_admin", "--org", "NOPE"), "no organisation with ODS code 'NOPE'"),
        (("--role", "chief"), "unknown role 'chief'"),
        (("--role", "individual", "--person", "P-NOBODY"), "no person with id 'P-NOBODY'"),
    ]
    for options, message in cases:
        code, _, err = run(
            capsys, "users", "add", "x", *options, "--password-file", str(secret), "--db", database
        )
        assert code == 2
        assert message in err
    code, _, err = run(
        capsys, "users", "add", "x", "--role", "national", "--password-file", str(short),
        "--db", database,
    )  # fmt: skip
    assert (code, "at least 12 characters" in err) == (2, True)
    code, _, err = run(
        capsys, "users", "add", "national-user", "--role", "national",
        "--password-file", str(secret), "--db", database,
    )  # fmt: skip
    assert (code, "already exists" in err) == (2, True)


@pytest.mark.parametrize("by", [None, "region", "org"])
def test_api_stats_equal_the_cli(
    database: str, capsys: pytest.CaptureFixture[str], by: str | None
) -> None:
    """``GET /api/stats`` for a national token is the JSON ``talentboard stats`` prints."""
    options = ["--by", by] if by else []
    code, out, err = run(
        capsys, "stats", "--db", database, "--at", "2026-09-30", "--format", "json", *options
    )
    assert code == 0, err
    code, token_out, _ = run(capsys, "users", "token", "national-user", "--db", database)
    token = token_out.strip().splitlines()[-1]
    engine = make_engine(database)
    app = create_app(WebSettings(database_url=database, secret_key="x" * 32), engine)
    params = {"at": "2026-09-30"} | ({"by": by} if by else {})
    with TestClient(app) as client:
        response = client.get(
            "/api/stats", params=params, headers={"Authorization": f"Bearer {token}"}
        )
    engine.dispose()
    assert response.status_code == 200
    assert response.json() == json.loads(out)


def test_a_regional_token_gets_its_region_only(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two London trusts: R1H's two executive posts (one vacant) and R1K's one (held), so
    the London executive vacancy rate is 1/3; Bristol's posts are not counted."""
    token = run(capsys, "users", "token", "regional-user", "--db", database)[1].split()[-1]
    engine = make_engine(database)
    app = create_app(WebSettings(database_url=database, secret_key="x" * 32), engine)
    with TestClient(app) as client:
        body = client.get(
            "/api/stats",
            params={"at": "2026-09-30"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    engine.dispose()
    assert body["exec_vacancy_rate"] == pytest.approx(1 / 3)
    assert body["orgs_with_exec_vacancy_share"] == pytest.approx(1 / 2)


def test_users_demo_needs_demo_data(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "users", "demo", "--db", database)
    assert code == 1
    assert "no demo data" in err
    engine = make_engine(database)
    with Session(engine) as session:
        session.add(Setting(key="demo_as_at", value="2026-09-30"))
        session.commit()
    engine.dispose()
    code, out, _ = run(capsys, "users", "demo", "--db", database)
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines[1:]] == [
        "national",
        "regional",
        "org_admin",
        "viewer",
        "individual",
    ]
    # The only succession plans are on R1H (London) and RA7: the first by ODS code is R1H.
    assert "(organisation R1H)" in lines[3]
    assert "(region Y56)" in lines[2]


@pytest.mark.parametrize(
    ("region", "organisation"),
    [
        # `talentboard demo --scale national` records no region (an empty setting).
        ("", "R1H"),
        # A regional demo of the South West: its organisation user is at RA7.
        ("Y58", "RA7"),
    ],
)
def test_users_demo_follows_the_demo_region(
    database: str, capsys: pytest.CaptureFixture[str], region: str, organisation: str
) -> None:
    engine = make_engine(database)
    with Session(engine) as session:
        session.add_all(
            [
                Setting(key="demo_as_at", value="2026-09-30"),
                Setting(key="demo_region", value=region),
            ]
        )
        session.commit()
    engine.dispose()
    code, out, err = run(capsys, "users", "demo", "--db", database)
    assert code == 0, err
    assert f"(organisation {organisation})" in out.strip().splitlines()[3]
