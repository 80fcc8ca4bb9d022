"""The canonical files of DESIGN section 6 import cleanly, re-import changes nothing, and
export then import is the identity, in CSV and in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import (
    Appointment,
    Assessment,
    Opportunity,
    Organisation,
    Person,
    Post,
    ReadinessReview,
    SuccessionPlan,
    Successor,
    TalentProfile,
)
from talentboard.ingest import KINDS, TableCounts, export_kind, import_file, write_template
from talentboard.ingest.read import read_table
from talentboard.ingest.scope import AddedUnder, ImportScope
from talentboard.ingest.templates import own_organisation
from talentboard.reference import reference_organisations, reference_performance
from tests.ingest.helpers import SECTION_6_KINDS, canonical, kinds_with_files, load, snapshot

# What each canonical file does to a database holding only the reference trusts: RJ1 is
# one of them, so the organisations file updates it (bme_staff_share was empty).
EXPECTED = {
    "organisations": {"organisations": TableCounts(2, 1, 0)},
    "performance": {"performance_ratings": TableCounts(3, 0, 0)},
    "posts": {"posts": TableCounts(5, 0, 0)},
    "people": {"people": TableCounts(5, 0, 0)},
    "appointments": {"appointments": TableCounts(7, 0, 0)},
    # P001 has three rows and P003 one: two profiles, four readiness reviews.
    "talent": {"talent_profiles": TableCounts(2, 0, 0), "readiness_reviews": TableCounts(4, 0, 0)},
    "assessments": {"assessments": TableCounts(4, 0, 0)},
    # Two posts have successors: TST01-CEO (two) and TST01-CFO (one).
    "succession": {"succession_plans": TableCounts(2, 0, 0), "successors": TableCounts(3, 0, 0)},
    "opportunities": {"opportunities": TableCounts(3, 0, 0)},
    # P001's conversation has two actions; P003's has none.
    "conversations": {
        "career_conversations": TableCounts(2, 0, 0),
        "development_actions": TableCounts(2, 0, 0),
    },
    "fppt": {"fit_and_proper_checks": TableCounts(3, 0, 0)},
    "appraisals": {"appraisal_records": TableCounts(2, 0, 0)},
}


def _unchanged(counts: dict[str, TableCounts]) -> dict[str, TableCounts]:
    return {
        table: TableCounts(0, 0, c.inserted + c.updated + c.unchanged)
        for table, c in counts.items()
    }


def test_each_canonical_file_imports_cleanly(session: Session) -> None:
    results = load(session, *SECTION_6_KINDS)
    for kind, result in results.items():
        assert result.counts == EXPECTED[kind], kind
        assert result.report.warnings == ()
        assert result.report.encoding == "utf-8"
    assert session.scalar(select(func.count()).select_from(Organisation)) == (
        len(reference_organisations()) + 2
    )


def test_stored_values(session: Session) -> None:
    """Values worked out by hand from the canonical files."""
    load(session, *SECTION_6_KINDS)
    rj1 = session.get(Organisation, "RJ1")
    assert rj1 is not None
    # The file's share replaces the empty one; opened_on, not in the file, is kept.
    assert (rj1.bme_staff_share, rj1.opened_on) == (0.41, dt.date(1993, 4, 1))
    posts = {p.post_id: p for p in session.scalars(select(Post))}
    # Empty executive/voting cells take the role catalogue's values; yes/no are booleans.
    assert (posts["TST01-CFO"].executive, posts["TST01-CFO"].voting) == (True, True)
    assert (posts["TST01-DOS"].executive, posts["TST01-DOS"].voting) == (True, False)
    assert posts["RJ1-WM7"].established_from is None
    people = {p.person_id: p for p in session.scalars(select(Person))}
    assert people["P004"].given_name == "Siân"
    assert (people["P005"].ethnic_category, people["P005"].birth_year) == ("99", None)
    ceo = session.scalars(
        select(Appointment).where(
            Appointment.person_ref == people["P002"].id,
            Appointment.post_ref == posts["TST01-CEO"].id,
        )
    ).one()
    assert (ceo.start_date, ceo.end_date, ceo.end_reason) == (dt.date(2019, 10, 1), None, None)
    profiles = {p.person_ref: p for p in session.scalars(select(TalentProfile))}
    amara = profiles[people["P001"].id]
    assert (amara.willing_regions, amara.cross_org_consent, amara.reviewed_on) == (
        ["Y56", "Y61"],
        True,
        dt.date(2025, 5, 14),
    )
    priya = profiles[people["P003"].id]
    assert (priya.willing_regions, priya.cross_org_consent) == ([], False)
    history = session.execute(
        select(ReadinessReview.reviewed_on, ReadinessReview.readiness)
        .where(
            ReadinessReview.profile_ref == amara.id,
            ReadinessReview.target_role_code == "chief_executive",
        )
        .order_by(ReadinessReview.reviewed_on)
    ).all()
    assert [tuple(r) for r in history] == [
        (dt.date(2024, 5, 14), "ready_1_2y"),
        (dt.date(2025, 5, 14), "ready_now"),
    ]
    equality = session.scalars(select(Assessment).where(Assessment.domain_code == "equality")).one()
    assert (equality.score, equality.rater_id) == (None, "")
    plans = dict(
        session.execute(
            select(Post.post_id, SuccessionPlan.reviewed_on).join(
                SuccessionPlan, SuccessionPlan.post_ref == Post.id
            )
        ).all()
    )
    # TST01-CEO's entries were reviewed on 2025-05-14 and 2025-01-20: the latest counts.
    assert plans == {"TST01-CEO": dt.date(2025, 5, 14), "TST01-CFO": dt.date(2024, 11, 1)}
    cover = session.scalars(select(Successor.emergency_cover).order_by(Successor.reviewed_on))
    assert list(cover) == [False, False, True]
    opportunities = {o.opportunity_id: o for o in session.scalars(select(Opportunity))}
    # Codes are kept in the catalogue's order; an empty capacity is 1, the status open.
    assert opportunities["OPP-001"].develops == ["strategy", "governance"]
    assert (opportunities["OPP-002"].capacity, opportunities["OPP-002"].status) == (1, "open")
    assert opportunities["OPP-003"].develops == []
    assert opportunities["OPP-003"].levels == ["senior", "middle", "frontline"]


def test_reimport_changes_nothing(session: Session) -> None:
    first = load(session)
    before = snapshot(session)
    for kind in kinds_with_files():
        again = import_file(session, kind, canonical(kind))
        assert again.counts == _unchanged(dict(first[kind].counts)), kind
        assert not again.written
    assert snapshot(session) == before


def test_export_then_import_is_the_identity(session: Session, tmp_path: Path) -> None:
    load(session)
    before = snapshot(session)
    for kind in kinds_with_files():
        path = tmp_path / f"{kind}.csv"
        rows = export_kind(session, kind, path)
        result = import_file(session, kind, path)
        assert result.ok, (kind, result.report.problems)
        assert sum(c.inserted + c.updated for c in result.counts.values()) == 0, kind
        assert result.report.rows == rows
        again = tmp_path / f"{kind}-again.csv"
        export_kind(session, kind, again)
        assert again.read_bytes() == path.read_bytes(), kind
    assert snapshot(session) == before


def test_exported_csv_text(session: Session, tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark, CRLF line ends, rows sorted by key, canonical forms."""
    load(session, *SECTION_6_KINDS)
    path = tmp_path / "posts.csv"
    assert export_kind(session, "posts", path) == 5
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines == [
        "post_id,ods_code,role_code,title,level,executive,voting,established_from,established_to",
        "RJ1-WM7,RJ1,ward_manager,Ward Manager (Ward 7),frontline,false,false,,",
        "TST01-CEO,TST01,chief_executive,Chief Executive,board,true,true,2010-04-01,",
        "TST01-CFO,TST01,finance_director,Director of Finance,board,true,true,2010-04-01,",
        "TST01-CHAIR,TST01,chair,Chair,board,false,true,2010-04-01,",
        "TST01-DOS,TST01,strategy_director,Director of Strategy,board,true,false,2012-01-01,"
        "2024-03-31",
        "",
    ]
    export_kind(session, "opportunities", tmp_path / "opportunities.csv")
    text = (tmp_path / "opportunities.csv").read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[-2:] == ["status", "description"]
    assert rows[0][4:7] == ["strategy;governance", "senior", "2"]


def test_xlsx_round_trip(session: Session, tmp_path: Path) -> None:
    """An Excel export reads back as the same text as the CSV export, and imports unchanged."""
    load(session)
    before = snapshot(session)
    for kind in kinds_with_files():
        workbook = tmp_path / f"{kind}.xlsx"
        export_kind(session, kind, workbook)
        export_kind(session, kind, tmp_path / f"{kind}.csv")
        from_xlsx = read_table(workbook)
        from_csv = read_table(tmp_path / f"{kind}.csv")
        assert (from_xlsx.header, from_xlsx.rows) == (from_csv.header, from_csv.rows), kind
        result = import_file(session, kind, workbook)
        assert result.ok, (kind, result.report.problems)
        assert sum(c.inserted + c.updated for c in result.counts.values()) == 0, kind
    assert snapshot(session) == before
    sheet = openpyxl.load_workbook(tmp_path / "appointments.xlsx").active
    assert sheet.title == "appointments"
    # Dates are date cells; identifiers stay text.
    assert isinstance(sheet["C2"].value, dt.datetime)
    assert sheet["A2"].data_type == "s"


def test_templates_import_in_order(session: Session, tmp_path: Path) -> None:
    """Each kind's template holds two example rows that import into the reference data."""
    performance = len(reference_performance())
    for kind in KINDS:
        for suffix in ("csv", "xlsx"):
            write_template(kind, tmp_path / f"{kind}.{suffix}")
        result = import_file(session, kind, tmp_path / f"{kind}.csv")
        assert result.ok, (kind, result.report.problems)
        assert result.report.rows == 2
        assert sum(c.inserted + c.updated for c in result.counts.values()) >= 1, kind
        workbook = import_file(session, kind, tmp_path / f"{kind}.xlsx")
        assert sum(c.inserted + c.updated for c in workbook.counts.values()) == 0, kind
    assert session.scalar(select(func.count()).select_from(Appointment)) == 2
    assert (
        session.scalar(select(func.count()).select_from(Organisation))
        == len(reference_organisations()) + 2
    )
    assert performance + 2 == len(snapshot(session)["performance_ratings"])


# The kinds only the national team imports keep the reference examples.
NATIONAL_KINDS = ("organisations", "performance", "indicator-definitions")


def test_templates_in_an_organisation_import_inside_its_scope(
    session: Session, tmp_path: Path
) -> None:
    """Templates written for Manchester University (R0A, no posts yet) name it: its posts
    template adds R0A-CEO and R0A-DON, and every later template refers to those posts and
    to people R0A-P0001 and R0A-P0002, so each imports within the organisation's scope as
    an organisation administrator's import, in the order above. Then its posts template
    holds its two stored posts, and importing it again changes nothing."""
    scope = ImportScope(frozenset({"R0A"}), added_under=AddedUnder(ods_code="R0A"))
    for kind in KINDS:
        if kind in NATIONAL_KINDS:
            continue
        path = tmp_path / f"{kind}.csv"
        write_template(kind, path, own_organisation(session, "R0A"))
        result = import_file(session, kind, path, scope=scope)
        assert result.ok, (kind, result.report.problems)
        assert sum(c.inserted + c.updated for c in result.counts.values()) >= 1, kind
    posts = session.scalars(select(Post.post_id).where(Post.ods_code == "R0A")).all()
    assert sorted(posts) == ["R0A-CEO", "R0A-DON"]
    appointed = session.execute(
        select(Person.person_id, Post.post_id)
        .join(Appointment, Appointment.person_ref == Person.id)
        .join(Post, Post.id == Appointment.post_ref)
        .order_by(Person.person_id)
    ).all()
    assert [tuple(row) for row in appointed] == [
        ("R0A-P0001", "R0A-DON"),
        ("R0A-P0002", "R0A-CEO"),
    ]
    again = tmp_path / "posts-again.csv"
    write_template("posts", again, own_organisation(session, "R0A"))
    assert [row[0] for row in read_table(again).rows] == ["R0A-CEO", "R0A-DON"]
    counts = import_file(session, "posts", again, scope=scope).counts
    assert sum(c.inserted + c.updated for c in counts.values()) == 0


def test_a_template_names_the_organisations_real_posts(session: Session, tmp_path: Path) -> None:
    """Once Guy's and St Thomas' (RJ1) has posts, a template written for another
    organisation with posts refers to that organisation's posts, never RJ1's: Barts (R1H)
    with a chief executive post R1H-CEO and a finance director post R1H-FIN gets R1H-CEO
    for the example chief executive and R1H-FIN (its other post) for the example chief
    nurse."""
    session.add_all(
        [
            Post(
                post_id=post_id,
                ods_code="R1H",
                role_code=role,
                title=title,
                level="board",
                executive=True,
                voting=True,
            )
            for post_id, role, title in (
                ("R1H-CEO", "chief_executive", "Chief Executive"),
                ("R1H-FIN", "finance_director", "Chief Finance Officer"),
            )
        ]
    )
    session.flush()
    own = own_organisation(session, "R1H")
    path = tmp_path / "appointments.csv"
    write_template("appointments", path, own)
    rows = read_table(path).rows
    assert [(row[0], row[1]) for row in rows] == [
        ("R1H-P0001", "R1H-FIN"),
        ("R1H-P0002", "R1H-CEO"),
    ]
    write_template("succession", path, own)
    assert {row[0] for row in read_table(path).rows} == {"R1H-CEO"}
