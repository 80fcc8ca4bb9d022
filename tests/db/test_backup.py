"""``talentboard backup`` and ``restore``: SQLite to PostgreSQL and back with nothing lost,
from one consistent snapshot, and a damaged, truncated or newer archive refused whole.

The source is the demo at region scale (about 30,000 rows) with users, audit events and
values chosen to be hard to keep: a formula-like name, a float that is not a short decimal,
a subnormal float, JSON with nulls and non-ASCII text, times with microseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from talentboard.cli.data import KIND_NAMES
from talentboard.db import head_revision, make_engine, upgrade
from talentboard.db.backup import take_backup
from talentboard.db.models import (
    AuditEvent,
    Base,
    MatchRun,
    Organisation,
    Person,
    Setting,
)
from talentboard.db.seed import load_reference_organisations
from talentboard.web.accounts import sign_in
from tests.cli_run import exit_code as cli
from tests.conftest import Run
from tests.db.conftest import NewDatabase

NOW = dt.datetime(2026, 11, 3, 9, 15, 42, 123456, tzinfo=dt.UTC)


def _hard_values(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        session.add(Person(person_id="X-FORMULA", given_name="=cmd|calc!A1", family_name="Ünal"))
        org = session.get(Organisation, "RJ1")
        assert org is not None
        org.bme_staff_share = 0.1 + 0.2
        session.add(
            MatchRun(
                kind="buddies",
                as_at=dt.date(2026, 9, 30),
                created_at=NOW,
                created_by="analyst",
                settings={"weights": {"gap": 0.5}, "note": "naïve café", "list": [1, None]},
                total_score=5e-324,
            )
        )
        session.add(Setting(key="empty", value=""))
        session.add(
            AuditEvent(
                at=NOW,
                username="analyst",
                action="view",
                entity="person",
                entity_key="X-FORMULA",
                source="127.0.0.1",
                detail={"fields": ["given_name"], "reason": None},
            )
        )
    engine.dispose()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with the region demo, two users (whose adding is audited) and the
    hard values."""
    folder = tmp_path_factory.mktemp("source")
    url = f"sqlite:///{folder / 'source.db'}"
    assert cli("init", "--db", url) == 0
    assert cli("demo", "--scale", "region", "--db", url) == 0
    password = folder / "password.txt"
    password.write_text("correct horse battery staple\n")
    common = ("--password-file", str(password), "--db", url)
    assert cli("users", "add", "analyst", "--role", "national", *common) == 0
    assert cli("users", "add", "midlands", "--role", "regional", "--region", "Y60", *common) == 0
    _hard_values(url)
    return url


@pytest.fixture(scope="module")
def archive(source: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "backup.zip"
    assert cli("backup", str(path), "--db", source) == 0
    return path


def tables_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("tables/")}


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        document: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return document


def exports(run: Run, url: str, folder: Path) -> dict[str, bytes]:
    """Every kind's CSV export, as written."""
    folder.mkdir()
    files = {}
    for kind in KIND_NAMES:
        assert run("export", kind, str(folder / f"{kind}.csv"), "--db", url)[0] == 0
        files[kind] = (folder / f"{kind}.csv").read_bytes()
    return files


def audit_log(run: Run, url: str) -> list[dict[str, Any]]:
    code, out, _ = run("audit", "--format", "json", "--db", url)
    assert code == 0
    events: list[dict[str, Any]] = json.loads(out)
    return events


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }
    engine.dispose()
    return found


def test_the_manifest_lists_every_table_with_counts_and_checksums(
    source: str, archive: Path
) -> None:
    manifest = manifest_of(archive)
    assert manifest["format"] == "talentboard-backup"
    assert manifest["schema_revision"] == head_revision()
    assert manifest["source"] == "sqlite"
    listed = [t["name"] for t in manifest["tables"]]
    assert listed == [t.name for t in Base.metadata.sorted_tables]
    assert {"users", "audit_events", "people"} <= set(listed)
    files = tables_of(archive)
    expected = counts(source)
    for table in manifest["tables"]:
        data = files[table["file"]]
        assert table["sha256"] == hashlib.sha256(data).hexdigest()
        assert table["rows"] == data.count(b"\n") == expected[table["name"]]
    assert expected["people"] == 2735
    assert expected["users"] == 2
    assert expected["audit_events"] == 3
    assert archive.stat().st_mode & 0o077 == 0


def test_values_are_written_exactly(archive: Path) -> None:
    files = tables_of(archive)
    runs = [json.loads(line) for line in files["tables/match_runs.jsonl"].splitlines()]
    assert runs == [
        [
            1,
            "buddies",
            "2026-09-30",
            "2026-11-03T09:15:42.123456+00:00",
            "analyst",
            '{"weights": {"gap": 0.5}, "note": "na\\u00efve caf\\u00e9", "list": [1, null]}',
            5e-324,
        ]
    ]
    organisations = [json.loads(x) for x in files["tables/organisations.jsonl"].splitlines()]
    assert next(o for o in organisations if o[0] == "RJ1")[6] == 0.30000000000000004
    settings = [json.loads(x) for x in files["tables/settings.jsonl"].splitlines()]
    assert ["empty", ""] in settings


def test_sqlite_to_postgresql_and_back_keeps_every_export_and_the_audit_log(
    source: str, archive: Path, new_postgres: NewDatabase, tmp_path: Path, run: Run
) -> None:
    postgres = new_postgres()
    code, out, err = run("restore", str(archive), "--db", postgres)
    assert code == 0, err
    assert f"Restored {len(Base.metadata.sorted_tables)} tables" in out
    assert counts(postgres) == counts(source)
    assert exports(run, postgres, tmp_path / "pg") == exports(run, source, tmp_path / "sqlite")
    assert audit_log(run, postgres) == audit_log(run, source)

    # The PostgreSQL database backs up to the same bytes, table by table.
    again = tmp_path / "from-postgresql.zip"
    assert run("backup", str(again), "--db", postgres)[0] == 0
    assert manifest_of(again)["source"] == "postgresql"
    assert tables_of(again) == tables_of(archive)

    # And back to SQLite.
    back = f"sqlite:///{tmp_path / 'back.db'}"
    code, _, err = run("restore", str(again), "--db", back)
    assert code == 0, err
    assert exports(run, back, tmp_path / "back") == exports(run, source, tmp_path / "sqlite-2")
    assert audit_log(run, back) == audit_log(run, source)
    final = tmp_path / "final.zip"
    assert run("backup", str(final), "--db", back)[0] == 0
    assert tables_of(final) == tables_of(archive)
    _signs_in(back)

    # New rows on the restored PostgreSQL database get ids after the restored ones.
    engine = make_engine(postgres)
    with Session(engine) as session, session.begin():
        person = Person(person_id="X-NEW", given_name="New", family_name="Starter")
        session.add(person)
        session.flush()
        assert person.id == highest_person_id(source) + 1
    engine.dispose()


def _signs_in(url: str) -> None:
    """Password hashes come back byte for byte: the restored users are the same users."""
    engine = make_engine(url)
    with Session(engine) as session:
        signed_in = sign_in(
            session,
            "analyst",
            "correct horse battery staple",
            max_failures=5,
            lockout=dt.timedelta(minutes=15),
        )
        assert signed_in.user is not None
        assert signed_in.user.role == "national"
    engine.dispose()
    path = url.removeprefix("sqlite:///")
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def highest_person_id(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        highest = conn.execute(select(func.max(Person.id))).scalar_one()
    engine.dispose()
    assert isinstance(highest, int)
    return highest


class _WriteWhenReading:
    """A progress reporter that, when the backup starts reading ``table``, commits rows to
    tables read before and after it from another connection."""

    def __init__(self, url: str, table: str) -> None:
        self.url = url
        self.table = table
        self.done = False

    def start(self, task: str, total: int | None = None) -> None:
        if task == f"Backing up {self.table}":
            engine = make_engine(self.url)
            with Session(engine) as session, session.begin():
                session.add(Setting(key="concurrent", value="written during the backup"))
                session.add(AuditEvent(at=NOW, action="view", entity="person", detail={}))
            engine.dispose()
            self.done = True

    def advance(self, amount: int = 1) -> None:
        pass


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_backup_is_one_snapshot_whatever_is_written_meanwhile(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.db'}"
    else:
        url = request.getfixturevalue("new_postgres")()
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_reference_organisations(session)
    before = counts(url)
    writer = _WriteWhenReading(url, "people")
    manifest = take_backup(engine, tmp_path / "live.zip", progress=writer)
    engine.dispose()
    assert writer.done
    rows = {t.name: t.rows for t in manifest.tables}
    # audit_events is read before people, settings after: neither has the new row.
    assert rows["audit_events"] == before["audit_events"] == 0
    assert rows["settings"] == before["settings"]
    after = counts(url)
    assert after["settings"] == before["settings"] + 1
    assert after["audit_events"] == 1


# Refusals: each leaves the target as it was.


def _rewrite(archive: Path, out: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(archive) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    change(entries)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out


def _manifest_change(**fields: Any) -> Callable[[dict[str, bytes]], None]:
    def change(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        manifest.update(fields)
        entries["manifest.json"] = json.dumps(manifest).encode()

    return change


def _edit_row(entries: dict[str, bytes]) -> None:
    data = entries["tables/people.jsonl"]
    assert b',"female",' in data
    entries["tables/people.jsonl"] = data.replace(b',"female",', b',"male",', 1)


def _drop_last_row(entries: dict[str, bytes]) -> None:
    lines = entries["tables/successors.jsonl"].splitlines(keepends=True)
    entries["tables/successors.jsonl"] = b"".join(lines[:-1])


def _damaged_archives(archive: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    truncated = folder / "truncated.zip"
    data = archive.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    flipped = folder / "flipped.zip"
    raw = bytearray(data)
    raw[len(raw) // 3] ^= 0xFF
    flipped.write_bytes(bytes(raw))
    return {
        "truncated": (truncated, "damaged or truncated"),
        "flipped byte": (flipped, "is damaged (Bad CRC-32"),
        "edited row": (
            _rewrite(archive, folder / "edited.zip", _edit_row),
            "tables/people.jsonl does not match its SHA-256 checksum",
        ),
        "missing rows": (
            _rewrite(archive, folder / "short.zip", _drop_last_row),
            "tables/successors.jsonl does not match its SHA-256 checksum",
        ),
        "newer schema": (
            _rewrite(archive, folder / "newer.zip", _manifest_change(schema_revision="9999")),
            "schema revision 9999, which this talentboard does not know",
        ),
        "newer format": (
            _rewrite(archive, folder / "format.zip", _manifest_change(format_version=2)),
            "archive format version 2 is newer",
        ),
        "not a backup": (
            _rewrite(archive, folder / "other.zip", _manifest_change(format="something")),
            "not a talentboard backup",
        ),
    }


def test_a_damaged_truncated_or_newer_archive_is_refused_with_nothing_written(
    source: str, archive: Path, tmp_path: Path, run: Run
) -> None:
    for name, (bad, reason) in _damaged_archives(archive, tmp_path).items():
        target = tmp_path / f"{name}.db"
        code, out, err = run("restore", str(bad), "--db", f"sqlite:///{target}")
        assert code == 2, (name, err)
        assert reason in err, (name, err)
        assert "nothing was restored" in err
        assert out == ""
        assert not target.exists(), name
        code, out, err = run("restore", "--check", str(bad))
        assert code == 2, (name, err)
        assert reason in err, (name, err)
    code, out, _ = run("restore", "--check", str(archive))
    assert code == 0
    total = sum(counts(source).values())
    tables = len(Base.metadata.sorted_tables)
    assert out.endswith(f"{tables} tables, {total:,} rows; every checksum matches.\n")


def test_a_database_that_is_not_empty_is_refused_as_it_was(
    archive: Path, tmp_path: Path, run: Run
) -> None:
    target = f"sqlite:///{tmp_path / 'used.db'}"
    assert cli("init", "--db", target) == 0
    before = counts(target)
    code, _, err = run("restore", str(archive), "--db", target)
    assert code == 2
    assert "the target database is not empty (table " in err
    assert counts(target) == before


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rows_the_database_refuses_roll_back_the_schema_too(
    backend: str, archive: Path, tmp_path: Path, run: Run, request: pytest.FixtureRequest
) -> None:
    """An appraisal naming a person the archive does not hold: the checksums agree (the
    archive was made so), the database refuses the row, and nothing at all is left behind."""

    def dangling(entries: dict[str, bytes]) -> None:
        name = "tables/appraisal_records.jsonl"
        lines = entries[name].splitlines(keepends=True)
        row = json.loads(lines[-1])
        row[1] = 999_999
        lines[-1] = json.dumps(row, separators=(",", ":")).encode() + b"\n"
        entries[name] = b"".join(lines)
        manifest = json.loads(entries["manifest.json"])
        entry = next(t for t in manifest["tables"] if t["file"] == name)
        assert entry["columns"][1]["name"] == "person_ref"
        entry["sha256"] = hashlib.sha256(entries[name]).hexdigest()
        entries["manifest.json"] = json.dumps(manifest).encode()

    crafted = _rewrite(archive, tmp_path / "dangling.zip", dangling)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'target.db'}"
    else:
        url = request.getfixturevalue("new_postgres")()
    code, _, err = run("restore", str(crafted), "--db", url)
    assert code == 2, err
    assert "the database refused the archive's rows" in err
    engine = make_engine(url)
    with engine.connect() as conn:
        if backend == "sqlite":
            tables = conn.execute(text("SELECT name FROM sqlite_master")).all()
        else:
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).all()
    engine.dispose()
    assert tables == []


def test_backup_refuses_to_overwrite_without_force(archive: Path, source: str, run: Run) -> None:
    copy = archive.with_name("copy.zip")
    shutil.copy(archive, copy)
    code, _, err = run("backup", str(copy), "--db", source)
    assert code == 2
    assert "exists already" in err
    assert copy.read_bytes() == archive.read_bytes()


def test_a_database_without_the_schema_is_not_backed_up(tmp_path: Path, run: Run) -> None:
    code, _, err = run(
        "backup", str(tmp_path / "none.zip"), "--db", f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert code == 1
    assert "the database has no talentboard schema to back up" in err
    assert list(tmp_path.glob("*.zip")) == []
    assert list(tmp_path.glob(".*partial")) == []
