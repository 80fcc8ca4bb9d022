"""generate_demo is reproducible, refuses to mix with existing data, and replaces cleanly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from talentboard.db.models import Base, Organisation, PerformanceRating, Person, Post, User
from talentboard.demo import DemoRefusedError, generate_demo
from talentboard.reference import reference_performance

SKIPPED = {"users", "api_tokens", "audit_events", "alembic_version"}
SOUTH_WEST = "Y58"
EAST = "Y61"


def _dump(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the demo writes, in primary key order."""
    session.flush()
    dump = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED:
            continue
        order = ", ".join(c.name for c in table.primary_key.columns)
        rows = session.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}")).all()
        dump[table.name] = [tuple(row) for row in rows]
    return dump


def test_same_seed_gives_the_same_database_and_another_seed_does_not(session: Session) -> None:
    generate_demo(session, "region", 7, SOUTH_WEST)
    first = _dump(session)
    generate_demo(session, "region", 7, SOUTH_WEST, replace=True)
    assert _dump(session) == first
    generate_demo(session, "region", 8, SOUTH_WEST, replace=True)
    other = _dump(session)
    assert other["people"] != first["people"]
    assert other["appointments"] != first["appointments"]
    assert len(first["posts"]) > 250
    assert len(first["appointments"]) > 1500


def test_region_scale_covers_one_region(session: Session) -> None:
    summary = generate_demo(session, "region", 2)
    assert summary.region_code == "Y60"
    regions = session.execute(
        select(Organisation.region_code)
        .join(Post, Post.ods_code == Organisation.ods_code)
        .distinct()
    ).all()
    assert regions == [("Y60",)]
    assert summary.organisations == 40


def test_refuses_a_database_that_holds_people_or_posts(session: Session) -> None:
    generate_demo(session, "region", 3, SOUTH_WEST)
    before = _dump(session)
    with pytest.raises(DemoRefusedError, match=r"already holds .* people, .* posts"):
        generate_demo(session, "region", 4, SOUTH_WEST)
    assert _dump(session) == before


def test_refuses_to_replace_people_that_user_accounts_belong_to(session: Session) -> None:
    generate_demo(session, "region", 3, SOUTH_WEST)
    person = session.scalars(select(Person).order_by(Person.id).limit(1)).one()
    session.add(
        User(
            username="someone",
            password_hash="x",
            role="individual",
            person_ref=person.id,
            created_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        )
    )
    session.flush()
    before = _dump(session)
    with pytest.raises(DemoRefusedError, match="individual user"):
        generate_demo(session, "region", 4, SOUTH_WEST, replace=True)
    assert _dump(session) == before


def test_replace_keeps_users_and_restores_the_shipped_organisation_data(session: Session) -> None:
    generate_demo(session, "region", 5, SOUTH_WEST)
    person = session.scalars(select(Person).order_by(Person.id).limit(1)).one()
    session.add(
        User(
            username="regional-lead",
            password_hash="x",
            role="regional",
            region_code=SOUTH_WEST,
            person_ref=person.id,
            created_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        )
    )
    session.flush()
    generate_demo(session, "region", 5, EAST, replace=True)
    user = session.scalars(select(User).where(User.username == "regional-lead")).one()
    session.refresh(user)
    assert user.person_ref is None
    south_west = select(Organisation.ods_code).where(Organisation.region_code == SOUTH_WEST)
    shares = session.scalars(
        select(Organisation.bme_staff_share).where(Organisation.ods_code.in_(south_west))
    ).all()
    assert shares
    assert all(share is None for share in shares)
    ratings = session.execute(
        select(
            PerformanceRating.ods_code,
            PerformanceRating.effective_from,
            PerformanceRating.cqc_rating,
        ).where(PerformanceRating.ods_code.in_(south_west))
    ).all()
    shipped = {
        (r.ods_code, r.effective_from, r.cqc_rating)
        for r in reference_performance()
        if r.ods_code in set(session.scalars(south_west))
    }
    assert set(ratings) == shipped
    posts_by_region = session.execute(
        select(Organisation.region_code, func.count())
        .join(Post, Post.ods_code == Organisation.ods_code)
        .group_by(Organisation.region_code)
    ).all()
    assert [region for region, _ in posts_by_region] == [EAST]


def test_bad_arguments_are_refused_before_anything_is_written(session: Session) -> None:
    before = _dump(session)
    with pytest.raises(ValueError, match="scale must be one of"):
        generate_demo(session, "county", 1)
    with pytest.raises(ValueError, match="unknown NHS England region 'Y99'"):
        generate_demo(session, "region", 1, "Y99")
    with pytest.raises(ValueError, match="only be given with the 'region' scale"):
        generate_demo(session, "national", 1, "Y58")
    assert _dump(session) == before
