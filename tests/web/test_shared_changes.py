"""The change counters that make an edit through one server process known to the others
(``web.shared``), on SQLite and PostgreSQL. ``test_serving.py`` runs real processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from talentboard.db.models import Appointment, Person, User
from talentboard.web import shared
from talentboard.web.cache import AnalysisCache, watch_sessions
from tests.web.world import World


@pytest.fixture
def sharing(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    """The test's session, sharing what it writes as a server's request sessions do; the
    world is committed before, and this process has made no counted commit yet."""
    shared.listen()
    watch_sessions()
    session.commit()
    monkeypatch.setattr(shared, "_own", {})
    session.info[shared.SHARE] = True
    yield session
    session.info.pop(shared.SHARE, None)


def _raised_elsewhere(session: Session, table: str, value: int) -> None:
    """Another process's commits have brought ``table``'s counter to ``value``."""
    settings = shared._SETTINGS
    session.execute(
        update(settings).where(settings.c.key == shared.PREFIX + table).values(value=str(value))
    )


def test_each_commit_raises_the_counter_of_each_table_it_wrote(
    sharing: Session, world: World
) -> None:
    """Alice's name saved (people 1); her family name and her appointment's version saved
    in one commit by UPDATE statements (people 2, appointments 1); a change to her rolled
    back, then a user's failed sign-ins saved (no analysed table): nothing more."""
    alice = world.people["P-ALICE"]
    alice.given_name = "Alicia"
    sharing.commit()
    assert shared.read_counters(sharing) == {"people": 1}

    sharing.execute(update(Person).where(Person.id == alice.id).values(family_name="Adamson"))
    appointment = world.appointments["P-ALICE"].id
    sharing.execute(update(Appointment).where(Appointment.id == appointment).values(version=9))
    sharing.commit()
    assert shared.read_counters(sharing) == {"people": 2, "appointments": 1}

    alice.given_name = "Not saved"
    sharing.flush()
    sharing.rollback()
    # The rolled-back write to people is forgotten: this commit raises nothing.
    national = sharing.get(User, world.users["national"].id)
    assert national is not None
    national.failed_logins = 1
    sharing.commit()
    assert shared.read_counters(sharing) == {"people": 2, "appointments": 1}


def test_a_process_counts_only_the_changes_it_did_not_make(sharing: Session, world: World) -> None:
    """This process's commits brought people to 1 and 2: nothing changed elsewhere. Then
    another process's commit brings it to 3: people changed elsewhere."""
    alice = world.people["P-ALICE"]
    for name in ("One", "Two"):
        alice.given_name = name
        sharing.commit()
    counters = shared.read_counters(sharing)
    assert counters == {"people": 2}
    assert shared.changed_elsewhere(sharing, {}, counters) == []
    _raised_elsewhere(sharing, "people", 3)
    assert shared.changed_elsewhere(sharing, counters, shared.read_counters(sharing)) == ["people"]


def test_the_cache_forgets_only_what_another_process_changed(
    sharing: Session, world: World
) -> None:
    """Values kept over people and over posts; another process changes people: the people
    value is computed again at the next lookup, the posts value kept. The stamp is read
    once an hour, so only the counters can have told."""
    world.people["P-ALICE"].given_name = "Alicia"
    sharing.commit()
    cache = AnalysisCache(share=True, stamp_seconds=3600)
    computed: list[str] = []

    def lookup(name: str) -> str:
        def compute() -> str:
            computed.append(name)
            return name

        return cache.get(name, cache.stamp(sharing).of((name,)), compute)

    lookup("people")
    lookup("posts")
    lookup("people")
    assert computed == ["people", "posts"]
    _raised_elsewhere(sharing, "people", 2)
    lookup("people")
    lookup("posts")
    assert computed == ["people", "posts", "people"]
