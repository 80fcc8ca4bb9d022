"""The data pages: a file with errors is refused with every error listed, nothing saved;
the corrected file is checked, confirmed and loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from talentboard.db.models import AuditEvent, Person, PersonOrigin, User
from tests.web.conftest import ClientFor, make_app, session_cookie
from tests.web.world import World, password_hash

HEADER = (
    "person_id,given_name,family_name,ethnic_category,sex,disability,"
    "professional_background,birth_year\n"
)
# Row 2 is fine; row 3 has an unknown ethnic category and an impossible birth year; row 4
# has no family name.
WITH_ERRORS = HEADER + (
    "P-NEW1,Fatima,Farah,H,female,no,nursing,1975\n"
    "P-NEW2,George,Green,X,male,no,finance,1850\n"
    "P-NEW3,Hana,,A,female,no,medical,1980\n"
)
FIXED = HEADER + (
    "P-NEW1,Fatima,Farah,H,female,no,nursing,1975\n"
    "P-NEW2,George,Green,A,male,no,finance,1965\n"
    "P-NEW3,Hana,Hughes,A,female,no,medical,1980\n"
)


def people_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def upload(client: TestClient, text: str, name: str = "people.csv") -> object:
    return client.post(
        "/data/upload",
        data={"csrf_token": client.csrf, "kind": "people"},  # type: ignore[attr-defined]
        files={"file": (name, text.encode(), "text/csv")},
    )


def test_a_file_with_errors_is_refused_with_every_error_then_the_fixed_file_loads(
    session: Session, world: World, tmp_path: Path
) -> None:
    app: FastAPI = make_app(session, upload_dir=tmp_path)
    client = TestClient(app)
    client.csrf = "token"  # type: ignore[attr-defined]
    client.cookies.set("talentboard_session", session_cookie(world, "national", "token"))
    before = people_count(session)

    refused = upload(client, WITH_ERRORS)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert "There is a problem" in text
    assert 'class="nhsuk-error-summary"' in text
    for row, column in (("3", "ethnic_category"), ("3", "birth_year"), ("4", "family_name")):
        assert f"Row {row}, column {column}" in text
    assert "Row 2," not in text
    assert "3 rows were checked: 3 problems on 2 rows." in text
    assert people_count(session) == before
    assert not list(tmp_path.iterdir()), "a refused file is not kept"

    checked = upload(client, FIXED)
    assert checked.status_code == 200  # type: ignore[attr-defined]
    assert "All 3 rows passed every check" in checked.text  # type: ignore[attr-defined]
    assert people_count(session) == before, "nothing is saved before confirmation"
    upload_id = checked.text.split('name="upload_id" value="')[1].split('"')[0]  # type: ignore[attr-defined]

    done = client.post("/data/confirm", data={"csrf_token": "token", "upload_id": upload_id})
    assert done.status_code == 200
    assert "people.csv imported" in done.text
    assert people_count(session) == before + 3
    again = client.post("/data/confirm", data={"csrf_token": "token", "upload_id": upload_id})
    assert again.status_code == 400, "an upload is imported once"
    stages = [
        e.detail["stage"]
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import").order_by(AuditEvent.id)
        )
    ]
    assert stages == ["validated", "validated", "loaded"]


def test_templates_download(client_for: ClientFor) -> None:
    client = client_for("national")
    csv = client.get("/data/templates/people.csv")
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith(HEADER.strip())
    assert client.get("/data/templates/nothing.csv").status_code == 404


def test_an_org_admins_templates_name_their_own_organisation(client_for: ClientFor) -> None:
    """Barts (R1H) has a chief executive post R1H-CEO and board post R1H-FD: its
    administrator's appointments template appoints its example people to those, where the
    national template names the reference trust's posts (RJ1-DON, RJ1-CEO)."""

    def rows(role: str, kind: str) -> list[list[str]]:
        text = client_for(role).get(f"/data/templates/{kind}.csv").content.decode("utf-8-sig")
        return [line.split(",") for line in text.splitlines()[1:]]

    assert [r[:2] for r in rows("org_admin", "appointments")] == [
        ["R1H-P0001", "R1H-FD"],
        ["R1H-P0002", "R1H-CEO"],
    ]
    assert [r[:2] for r in rows("national", "appointments")] == [
        ["P0001", "RJ1-DON"],
        ["P0002", "RJ1-CEO"],
    ]
    assert [r[0] for r in rows("org_admin", "posts")] == ["R1H-CEO", "R1H-FD"]
    assert {r[2] for r in rows("org_admin", "opportunities")} == {"R1H"}
    # Organisations are the national team's to load: their template keeps the reference rows.
    assert [r[0] for r in rows("org_admin", "organisations")] == ["QKK", "QOP"]


def test_an_org_admin_imports_and_exports_only_their_organisations_rows(
    session: Session, world: World, tmp_path: Path
) -> None:
    """org_admin (R1H) sees Alice and Erin: a people file changing Carol (Bristol) is
    refused whole, naming her row; one changing Erin loads; the export holds Alice and Erin."""
    app: FastAPI = make_app(session, upload_dir=tmp_path)
    client = TestClient(app)
    client.csrf = "token"  # type: ignore[attr-defined]
    client.cookies.set("talentboard_session", session_cookie(world, "org_admin", "token"))
    page = client.get("/data").text
    assert 'value="people"' in page
    assert 'value="organisations"' not in page

    refused = upload(
        client,
        HEADER
        + "P-ERIN,Erin,Evans-Ward,N,female,no,nursing,1975\n"
        + "P-CAROL,Carol,Changed,H,female,no,medical,1970\n",
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "outside your organisation" in refused.text  # type: ignore[attr-defined]
    assert "Row 3" in refused.text  # type: ignore[attr-defined]
    session.expire_all()
    assert world.people["P-CAROL"].family_name == "Clark"
    assert world.people["P-ERIN"].family_name == "Evans"

    checked = upload(client, HEADER + "P-ERIN,Erin,Evans-Ward,N,female,no,nursing,1975\n")
    assert checked.status_code == 200, checked.text  # type: ignore[attr-defined]
    assert "The one row passed every check" in checked.text  # type: ignore[attr-defined]
    upload_id = checked.text.split('name="upload_id" value="')[1].split('"')[0]  # type: ignore[attr-defined]
    done = client.post("/data/confirm", data={"csrf_token": "token", "upload_id": upload_id})
    assert done.status_code == 200, done.text
    session.expire_all()
    assert world.people["P-ERIN"].family_name == "Evans-Ward"

    exported = client.get("/data/exports/people.csv").text.splitlines()
    assert [line.split(",")[0] for line in exported[1:]] == ["P-ALICE", "P-ERIN"]


def _client_as(app: FastAPI, world: World, role: str) -> TestClient:
    client = TestClient(app)
    client.csrf = "token"  # type: ignore[attr-defined]
    client.cookies.set("talentboard_session", session_cookie(world, role, "token"))
    return client


def _import(client: TestClient, text: str) -> object:
    checked = upload(client, text)
    assert checked.status_code == 200, checked.text  # type: ignore[attr-defined]
    upload_id = checked.text.split('name="upload_id" value="')[1].split('"')[0]  # type: ignore[attr-defined]
    return client.post("/data/confirm", data={"csrf_token": "token", "upload_id": upload_id})


def test_a_person_an_org_admin_imports_is_theirs_to_see_before_any_appointment(
    session: Session, world: World, tmp_path: Path
) -> None:
    """Barts' administrator imports Fatima, who has no appointment yet: her record is
    recorded as added under Barts (R1H), so Barts' administrator and the London regional
    lead see her page; Bristol's administrator (RA7) gets the same 404 as for anyone
    unknown, and cannot overwrite her record by importing her ID."""
    bristol = User(
        username="bristol-admin",
        password_hash=password_hash(),
        role="org_admin",
        ods_code="RA7",
        active=True,
        failed_logins=0,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(bristol)
    session.flush()
    world.users["bristol_admin"] = bristol
    app: FastAPI = make_app(session, upload_dir=tmp_path)
    barts = _client_as(app, world, "org_admin")
    done = _import(barts, HEADER + "P-FATIMA,Fatima,Farah,H,female,no,nursing,1975\n")
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]
    fatima = session.scalar(select(Person).where(Person.person_id == "P-FATIMA"))
    assert fatima is not None
    origin = session.get(PersonOrigin, fatima.id)
    assert origin is not None
    assert (origin.ods_code, origin.region_code) == ("R1H", None)

    page = barts.get("/people/P-FATIMA")
    assert page.status_code == 200
    assert "Fatima Farah" in page.text
    assert _client_as(app, world, "regional").get("/people/P-FATIMA").status_code == 200
    other = _client_as(app, world, "bristol_admin")
    assert other.get("/people/P-FATIMA").status_code == 404

    refused = upload(other, HEADER + "P-FATIMA,Fatima,Changed,H,female,no,nursing,1975\n")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "outside your organisation" in refused.text  # type: ignore[attr-defined]
    # Her own administrators export her too, though no appointment places her yet.
    exported = barts.get("/data/exports/people.csv").text.splitlines()
    assert [line.split(",")[0] for line in exported[1:]] == ["P-ALICE", "P-ERIN", "P-FATIMA"]


def test_a_regional_import_adds_people_under_the_region(
    session: Session, world: World, tmp_path: Path
) -> None:
    app: FastAPI = make_app(session, upload_dir=tmp_path)
    regional = _client_as(app, world, "regional")
    done = _import(regional, HEADER + "P-GEORGE,George,Green,A,male,no,finance,1965\n")
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]
    george = session.scalar(select(Person).where(Person.person_id == "P-GEORGE"))
    assert george is not None
    origin = session.get(PersonOrigin, george.id)
    assert origin is not None
    assert (origin.ods_code, origin.region_code) == (None, "Y56")
    assert regional.get("/people/P-GEORGE").status_code == 200
    assert _client_as(app, world, "org_admin").get("/people/P-GEORGE").status_code == 404
