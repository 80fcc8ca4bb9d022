"""The data page's mapping step: an ESR-style file is matched column by column, its
values chosen, imported, and the choices saved for the organisation and reused; another
organisation's user can neither see nor use them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import AuditEvent, Person, SavedMapping, User
from talentboard.ingest.mapping import read_mapping
from tests.web.conftest import make_app, session_cookie
from tests.web.world import World

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "esr-style"
PEOPLE = (EXAMPLE / "people.csv").read_bytes()
SAVED = select(SavedMapping).where(SavedMapping.name == "ESR people export")
HIDDEN_FROM = re.compile(r'name="(from-[a-z_]+-\d+)" value="([^"]*)"')


def _client(app: FastAPI, world: World, role: str) -> TestClient:
    client = TestClient(app)
    client.csrf = f"csrf-{role}"  # type: ignore[attr-defined]
    client.cookies.set("talentboard_session", session_cookie(world, role, f"csrf-{role}"))
    return client


def _upload(client: TestClient, content: bytes, saved: str = "") -> object:
    return client.post(
        "/data/upload",
        data={"csrf_token": client.csrf, "kind": "people", "saved_mapping": saved},  # type: ignore[attr-defined]
        files={"file": ("people.csv", content, "text/csv")},
    )


def _upload_id(html: str) -> str:
    return html.split('name="upload_id" value="')[1].split('"')[0]


def _choices(html: str) -> dict[str, str]:
    """The step's form filled in as the example mapping says."""
    example = read_mapping(EXAMPLE / "people.toml")
    form = {f"column-{c}": f"file:{h}" for c, h in example.columns.items()}
    for field, value in HIDDEN_FROM.findall(html):
        column = field.removeprefix("from-").rpartition("-")[0]
        form[field] = value.replace("&#39;", "'").replace("&amp;", "&")
        form["value" + field.removeprefix("from")] = example.values[column][form[field]]
    return form


def _people(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def _other_organisation_user(session: Session, world: World) -> None:
    spare = world.users["spare"]
    user = User(
        username="other-org-user",
        password_hash=spare.password_hash,
        role="org_admin",
        ods_code="R1K",
        active=True,
        failed_logins=0,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(user)
    session.flush()
    world.users["other_org"] = user


def test_match_columns_choose_values_save_and_reuse(
    session: Session, world: World, tmp_path: Path
) -> None:
    app = make_app(session, upload_dir=tmp_path)
    client = _client(app, world, "org_admin")
    before = _people(session)

    step = _upload(client, PEOPLE)
    html = step.text  # type: ignore[attr-defined]
    assert step.status_code == 200  # type: ignore[attr-defined]
    assert "Match the columns of people.csv" in html
    # The suggestion fills in every column: "Employee Number" holds person_id.
    assert re.search(
        r'<select[^>]*name="column-person_id"[^>]*>.*?<option value="file:Employee Number" '
        r"selected",
        html,
        re.S,
    )
    # Each value that does not map by itself has a choice of allowed values.
    assert sorted(v for _, v in HIDDEN_FROM.findall(html)) == [
        "Add Prof Scientific and Technic",
        "Administrative and Clerical",
        "Allied Health Professionals",
        "Medical and Dental",
        "Nursing and Midwifery Registered",
        "Undefined",
    ]
    assert "Ethnic Origin: &#39;Undefined&#39; (1 row)" in html
    assert _people(session) == before

    form = _choices(html) | {
        "csrf_token": client.csrf,  # type: ignore[attr-defined]
        "upload_id": _upload_id(html),
        "mapping_name": "ESR people export",
    }
    confirm = client.post("/data/mapping", data=form)
    assert confirm.status_code == 200, confirm.text
    assert "All 8 rows passed every check" in confirm.text
    assert "read with your saved column choices &#39;ESR people export&#39;" in confirm.text
    done = client.post(
        "/data/confirm",
        data={"csrf_token": client.csrf, "upload_id": _upload_id(confirm.text)},  # type: ignore[attr-defined]
    )
    assert "people.csv imported" in done.text
    assert _people(session) == before + 8
    stored = session.scalar(select(Person).where(Person.person_id == "10234615"))
    assert stored is not None
    assert (stored.ethnic_category, stored.professional_background) == ("99", "general_management")

    saved = session.scalars(SAVED).all()
    assert [(m.owner, m.kind, m.name) for m in saved] == [
        ("org:R1H", "people", "ESR people export")
    ]
    audited = session.scalars(select(AuditEvent).where(AuditEvent.entity == "mapping")).all()
    assert [(e.action, e.entity_key, e.username) for e in audited] == [
        ("create", "ESR people export", "org_admin-user")
    ]

    # Next time: the saved choices are offered on the data page and read the file at once.
    page = client.get("/data")
    assert f'<option value="{saved[0].id}">ESR people export (people)</option>' in page.text
    again = _upload(client, PEOPLE, str(saved[0].id))
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert "All 8 rows passed every check" in again.text  # type: ignore[attr-defined]
    cells = re.findall(r"<td[^>]*>\s*(?:<span[^>]*>[^<]*</span>)?\s*([^<]*?)\s*</td>", again.text)  # type: ignore[attr-defined]
    assert cells[:4] == ["people", "0", "0", "8"], "re-importing changes nothing"
    # A file the saved choices do not fit goes back to the step, saying what does not fit.
    misfit = _upload(client, PEOPLE.replace(b"Ethnic Origin", b"Ethnicity"), str(saved[0].id))
    assert misfit.status_code == 400  # type: ignore[attr-defined]
    assert "Match the columns of people.csv" in misfit.text  # type: ignore[attr-defined]
    assert (
        "saved mapping &#39;ESR people export&#39;: columns.ethnic_category: &#39;Ethnic "
        "Origin&#39; is not a column of people.csv"
    ) in misfit.text  # type: ignore[attr-defined]


def test_another_organisation_cannot_see_or_use_saved_choices(
    session: Session, world: World, tmp_path: Path
) -> None:
    app = make_app(session, upload_dir=tmp_path)
    owner = _client(app, world, "org_admin")
    step = _upload(owner, PEOPLE)
    form = _choices(step.text) | {  # type: ignore[attr-defined]
        "csrf_token": owner.csrf,  # type: ignore[attr-defined]
        "upload_id": _upload_id(step.text),  # type: ignore[attr-defined]
        "mapping_name": "ESR people export",
    }
    assert owner.post("/data/mapping", data=form).status_code == 200
    (saved,) = session.scalars(SAVED).all()

    _other_organisation_user(session, world)
    for role in ("other_org", "regional", "national"):
        other = _client(app, world, role)
        assert "ESR people export" not in other.get("/data").text, role
        refused = _upload(other, PEOPLE, str(saved.id))
        assert refused.status_code == 400, role  # type: ignore[attr-defined]
        assert "Select one of your saved column choices" in refused.text  # type: ignore[attr-defined]
    # Only the owner's upload, waiting for confirmation, is kept: the refused ones are not.
    assert len(list(tmp_path.glob("*/people.csv"))) == 1


def test_a_required_column_left_unmatched_is_an_error_on_its_field(
    session: Session, world: World, tmp_path: Path
) -> None:
    app = make_app(session, upload_dir=tmp_path)
    client = _client(app, world, "national")
    step = _upload(client, PEOPLE)
    form = _choices(step.text) | {  # type: ignore[attr-defined]
        "csrf_token": client.csrf,  # type: ignore[attr-defined]
        "upload_id": _upload_id(step.text),  # type: ignore[attr-defined]
        "column-family_name": "",
    }
    refused = client.post("/data/mapping", data=form)
    assert refused.status_code == 400
    assert 'href="#column-family_name"' in refused.text
    assert "Choose the column of the file that holds family_name" in refused.text
    # Nothing was saved: only the written-out world's choices are there.
    assert len(session.scalars(select(SavedMapping)).all()) == len(world.mappings)


def test_saved_choices_download_as_a_mapping_file_and_delete_within_the_organisation(
    session: Session, world: World, tmp_path: Path
) -> None:
    app = make_app(session, upload_dir=tmp_path)
    owner = _client(app, world, "org_admin")
    step = _upload(owner, PEOPLE)
    form = _choices(step.text) | {  # type: ignore[attr-defined]
        "csrf_token": owner.csrf,  # type: ignore[attr-defined]
        "upload_id": _upload_id(step.text),  # type: ignore[attr-defined]
        "mapping_name": "ESR people export",
    }
    assert owner.post("/data/mapping", data=form).status_code == 200
    (saved,) = session.scalars(SAVED).all()

    _other_organisation_user(session, world)
    other = _client(app, world, "other_org")
    assert other.get(f"/data/mappings/{saved.id}.toml").status_code == 404
    refused = other.post(f"/data/mappings/{saved.id}/delete", data={"csrf_token": other.csrf})  # type: ignore[attr-defined]
    assert refused.status_code == 404

    download = owner.get(f"/data/mappings/{saved.id}.toml")
    assert download.status_code == 200
    assert 'filename="esr-people-export.toml"' in download.headers["content-disposition"]
    from talentboard.ingest.mapping import parse_mapping

    example = read_mapping(EXAMPLE / "people.toml")
    written = parse_mapping(download.text)
    assert (written.columns, written.values) == (example.columns, example.values)

    deleted = owner.post(
        f"/data/mappings/{saved.id}/delete",
        data={"csrf_token": owner.csrf},  # type: ignore[attr-defined]
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert session.scalars(SAVED).all() == []
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "mapping").order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete"]
