"""Fit and Proper Person Test records (framework 2023) and board member references.

Everyone on a board at the as-at date has the pre-appointment checks dated just before
they started (identity and right to work, DBS, insolvency and bankruptcy, disqualified
directors, employment history and references, qualifications for executives, professional
registration for clinicians, social media), and then yearly searches, self-attestation and
chair's sign-off on each anniversary (the last three), with DBS renewed every three
years. About one in ten has missed the latest yearly round, so their checks are overdue.
A board member reference is written for most board members who left since April 2024.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from talentboard.demo.history import Spell
from talentboard.demo.people import Person
from talentboard.demo.posts import AS_AT
from talentboard.demo.rng import date_of, stream, weighted

OVERDUE_SHARE = 0.1
REFERENCES_FROM = dt.date(2024, 4, 1).toordinal()
_CLINICAL = ("medical", "nursing", "ahp", "other_clinical")
_PRE_APPOINTMENT_OUTCOME = weighted({"satisfactory": 0.985, "concern": 0.015})
_YEARLY = ("insolvency_bankruptcy", "disqualified_directors", "self_attestation", "chair_sign_off")


@dataclass(slots=True)
class GovernanceRows:
    checks: list[dict[str, object]]
    references: list[dict[str, object]]


@dataclass(slots=True)
class _Checks:
    """The FPPT check rows, numbered from ``first_id`` in the order they are added."""

    first_id: int
    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self, person_ref: int, check: str, outcome: str, on: int, due: int | None, by: str
    ) -> None:
        self.rows.append(
            {
                "id": self.first_id + len(self.rows),
                "person_ref": person_ref,
                "check_type": check,
                "outcome": outcome,
                "checked_on": date_of(on),
                "next_due_on": date_of(due) if due is not None else None,
                "checked_by": by,
                "notes": None,
            }
        )


def _first_board_spells(spells: list[Spell]) -> dict[int, Spell]:
    """Each serving board member's earliest current board spell, by person."""
    first_board_start: dict[int, Spell] = {}
    for spell in spells:
        if spell.end is None and spell.post.level == "board":
            held = first_board_start.get(spell.person)
            if held is None or (spell.start, spell.post.ref) < (held.start, held.post.ref):
                first_board_start[spell.person] = spell
    return first_board_start


def _pre_appointment_checks(
    checks: _Checks, rng: random.Random, person_ref: int, person: Person, spell: Spell
) -> None:
    checked = spell.start - rng.randint(10, 60)
    pending = AS_AT - spell.start < 30
    types = [
        "identity_right_to_work",
        "dbs",
        "insolvency_bankruptcy",
        "disqualified_directors",
        "employment_history_references",
        "social_media",
    ]
    if spell.post.executive:
        types.append("qualifications")
    if person.professional_background in _CLINICAL:
        types.append("professional_registration")
    for check in types:
        outcome = (
            "pending"
            if pending and check == "employment_history_references"
            else (_PRE_APPOINTMENT_OUTCOME.draw(rng))
        )
        due = checked + 3 * 365 if check == "dbs" else (
            checked + 365 if check in _YEARLY else None
        )  # fmt: skip
        checks.add(person_ref, check, outcome, checked, due, "Company secretary")


def _yearly_checks(checks: _Checks, rng: random.Random, person_ref: int, spell: Spell) -> None:
    anniversaries = [
        spell.start + 365 * year for year in range(1, 40) if spell.start + 365 * year <= AS_AT
    ][-3:]
    if anniversaries and rng.random() < OVERDUE_SHARE:
        anniversaries = anniversaries[:-1]
    for when in anniversaries:
        for check in _YEARLY:
            by = "Chair" if check == "chair_sign_off" else "Company secretary"
            checks.add(person_ref, check, "satisfactory", when, when + 365, by)
        if (when - spell.start) // 365 % 3 == 0:
            checks.add(person_ref, "dbs", "satisfactory", when, when + 3 * 365, "Company secretary")


def _references(
    spells: list[Spell], rng: random.Random, last_appointment: dict[int, int], first_id: int
) -> list[dict[str, object]]:
    references: list[dict[str, object]] = []
    for spell in spells:
        if (
            spell.post.level == "board"
            and spell.substantive
            and spell.end is not None
            and REFERENCES_FROM <= spell.end <= AS_AT
            and spell.end_reason != "death"
            and rng.random() < 0.8
        ):
            forced = spell.end_reason == "dismissed_or_forced"
            concerns = rng.random() < (0.3 if forced else 0.01)
            references.append(
                {
                    "id": first_id + len(references),
                    "appointment_ref": last_appointment[id(spell)],
                    "written_on": date_of(min(AS_AT, spell.end + rng.randint(0, 60))),
                    "written_by": "Chair" if spell.post.executive else "Chief executive",
                    "concerns_raised": concerns,
                    "summary": (
                        "Reference records concerns about conduct in the role."
                        if concerns
                        else "Reference confirms the period of service and raises no concerns."
                    ),
                }
            )
    return references


def build_governance(
    spells: list[Spell],
    people: dict[int, Person],
    last_appointment: dict[int, int],
    seed: int,
    ids: dict[str, int],
) -> GovernanceRows:
    """FPPT checks for serving board members; references for recent board leavers.

    ``last_appointment`` maps ``id(spell)`` to the id of the spell's last appointment.
    """
    rng = stream(seed, "governance")
    checks = _Checks(ids["fit_and_proper_checks"])
    for person_ref, spell in sorted(_first_board_spells(spells).items()):
        _pre_appointment_checks(checks, rng, person_ref, people[person_ref], spell)
        _yearly_checks(checks, rng, person_ref, spell)
    references = _references(spells, rng, last_appointment, ids["board_member_references"])
    return GovernanceRows(checks.rows, references)
