"""Match runs, proposals and buddy pairings in the database, and the decisions on them.

A run stores the settings it used and its total score; each new assignment becomes a
proposal (status ``proposed``) with its score breakdown and reasons, each buddy pair a
pairing. People then accept or decline: :func:`decide_proposal` and
:func:`decide_pairing` record who decided and when. Accepted proposals are kept by later
runs (:func:`kept_proposals`); declined pairs are not proposed again
(:func:`declined_pairs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import BuddyPairing, MatchProposal, MatchRun, Opportunity, Person
from talentboard.matching.buddying import BuddyResult
from talentboard.matching.opportunities import (
    DECLINED_SCHEMA,
    KEPT_SCHEMA,
    MatchResult,
)

DECISIONS = {"accept": "accepted", "decline": "declined", "reopen": "proposed"}
"""Decision words and the status each sets (``reopen`` puts a decision back to proposed)."""

PROPOSAL_LIST_SCHEMA: dict[str, pl.DataType] = {
    "proposal_ref": pl.Int64(),
    "run_ref": pl.Int64(),
    "as_at": pl.Date(),
    "person_id": pl.String(),
    "opportunity_id": pl.String(),
    "score": pl.Int64(),
    "status": pl.String(),
    "decided_by": pl.String(),
}


class DecisionError(ValueError):
    """A decision that cannot be recorded, with the reason.

    ``exit_code`` follows the CLI's convention: 2 for bad input (an unknown proposal or
    decision word), 1 for a decision refused by the rules.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class StoredRun:
    """The id of a stored run and of each proposal or pairing it made, in output order."""

    run_ref: int
    item_refs: tuple[int, ...]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def save_opportunity_run(
    session: Session, result: MatchResult, created_by: str | None = None
) -> StoredRun:
    """Store a run and one proposal per new assignment (kept ones are already stored)."""
    run = _add_run(session, "opportunities", result, created_by)
    proposals = [
        MatchProposal(
            **_proposed(run, row),
            person_ref=row["person_ref"],
            opportunity_ref=row["opportunity_ref"],
            breakdown={
                "target_role_code": row["target_role_code"],
                "readiness": row["readiness"],
                "gaps": row["gaps"],
                "readiness_points": row["readiness_points"],
                "aspirations": row["aspirations"],
                "breadth": row["breadth"],
                "positive_action": row["positive_action"],
            },
        )
        for row in result.assignments.filter(~pl.col("kept")).iter_rows(named=True)
    ]
    return _stored(session, run, proposals)


def save_buddy_run(
    session: Session, result: BuddyResult, created_by: str | None = None
) -> StoredRun:
    """Store a buddying run and one pairing per pair."""
    run = _add_run(session, "buddies", result, created_by)
    pairings = [
        BuddyPairing(
            **_proposed(run, row),
            challenged_ods_code=row["challenged_ods_code"],
            strong_ods_code=row["strong_ods_code"],
        )
        for row in result.pairs.iter_rows(named=True)
    ]
    return _stored(session, run, pairings)


def _add_run(
    session: Session, kind: str, result: MatchResult | BuddyResult, created_by: str | None
) -> MatchRun:
    """A new run of ``kind`` with the settings, method and total score of ``result``; flushed,
    so its proposals or pairings can refer to its id."""
    run = MatchRun(
        kind=kind,
        as_at=result.as_at,
        created_at=_now(),
        created_by=created_by,
        settings={**result.settings.to_json(), "method": result.method},
        total_score=float(result.total_score),
    )
    session.add(run)
    session.flush()
    return run


def _proposed(run: MatchRun, row: dict[str, Any]) -> dict[str, Any]:
    """What every proposal or pairing starts with: its run, score and reasons, undecided."""
    return {
        "run_ref": run.id,
        "score": float(row["score"]),
        "reasons": list(row["reasons"]),
        "status": "proposed",
    }


def _stored(
    session: Session, run: MatchRun, items: Sequence[MatchProposal] | Sequence[BuddyPairing]
) -> StoredRun:
    """Add a run's proposals or pairings, in output order, and flush to give them ids."""
    session.add_all(items)
    session.flush()
    return StoredRun(run.id, tuple(item.id for item in items))


def kept_proposals(session: Session, at: dt.date) -> pl.DataFrame:
    """Accepted proposals for opportunities not ended at ``at`` (``KEPT_SCHEMA``).

    When one pair was accepted in several runs, the latest acceptance is kept.
    """
    rows = session.execute(
        select(
            MatchProposal.id,
            MatchProposal.person_ref,
            MatchProposal.opportunity_ref,
            Opportunity.opportunity_id,
            MatchProposal.score,
            MatchProposal.reasons,
            MatchProposal.decided_at,
        )
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .where(
            MatchProposal.status == "accepted",
            (Opportunity.ends_on.is_(None)) | (Opportunity.ends_on > at),
        )
        .order_by(MatchProposal.id)
    ).all()
    frame = pl.DataFrame(
        [
            {
                "proposal_ref": r.id,
                "person_ref": r.person_ref,
                "opportunity_ref": r.opportunity_ref,
                "opportunity_id": r.opportunity_id,
                "score": round(r.score),
                "reasons": list(r.reasons or []),
                "decided_on": r.decided_at.date() if r.decided_at else None,
            }
            for r in rows
        ],
        schema=KEPT_SCHEMA,
        orient="row",
    )
    return frame.unique(["person_ref", "opportunity_ref"], keep="last", maintain_order=True)


def declined_pairs(session: Session) -> pl.DataFrame:
    """Every (person, opportunity) pair a person has declined (``DECLINED_SCHEMA``)."""
    rows = session.execute(
        select(MatchProposal.person_ref, MatchProposal.opportunity_ref, MatchProposal.decided_at)
        .where(MatchProposal.status == "declined")
        .order_by(MatchProposal.id)
    ).all()
    return pl.DataFrame(
        [
            {
                "person_ref": r.person_ref,
                "opportunity_ref": r.opportunity_ref,
                "decided_on": r.decided_at.date() if r.decided_at else None,
            }
            for r in rows
        ],
        schema=DECLINED_SCHEMA,
        orient="row",
    ).unique(["person_ref", "opportunity_ref"], keep="last", maintain_order=True)


def _status(decision: str) -> str:
    try:
        return DECISIONS[decision]
    except KeyError:
        raise DecisionError(
            f"unknown decision {decision!r}: use {', '.join(sorted(DECISIONS))}", exit_code=2
        ) from None


def decide_proposal(
    session: Session,
    proposal_ref: int,
    decision: str,
    decided_by: str | None = None,
    today: dt.date | None = None,
) -> MatchProposal:
    """Record a decision on a proposal.

    Accepting is refused when the opportunity's places are all held by accepted
    proposals, or when the person already holds an accepted place in an opportunity that
    has not ended (one opportunity per person at a time).
    """
    status = _status(decision)
    proposal = session.get(MatchProposal, proposal_ref)
    if proposal is None:
        raise DecisionError(f"there is no proposal {proposal_ref}", exit_code=2)
    if status == "accepted" and proposal.status != "accepted":
        today = today or _now().date()
        opportunity = session.get(Opportunity, proposal.opportunity_ref)
        assert opportunity is not None
        held = session.scalar(
            select(func.count())
            .select_from(MatchProposal)
            .where(
                MatchProposal.opportunity_ref == opportunity.id,
                MatchProposal.status == "accepted",
            )
        )
        if (held or 0) >= opportunity.capacity:
            raise DecisionError(
                f"{opportunity.opportunity_id} has no place left: its {opportunity.capacity} "
                "place(s) are held by accepted proposals"
            )
        other = session.execute(
            select(Opportunity.opportunity_id)
            .join(MatchProposal, MatchProposal.opportunity_ref == Opportunity.id)
            .where(
                MatchProposal.person_ref == proposal.person_ref,
                MatchProposal.status == "accepted",
                MatchProposal.id != proposal.id,
                (Opportunity.ends_on.is_(None)) | (Opportunity.ends_on > today),
            )
        ).first()
        if other is not None:
            person = session.get(Person, proposal.person_ref)
            who = person.person_id if person else str(proposal.person_ref)
            raise DecisionError(
                f"{who} already holds an accepted place in {other[0]}, which has not ended"
            )
    proposal.status = status
    proposal.decided_at = None if status == "proposed" else _now()
    proposal.decided_by = None if status == "proposed" else decided_by
    session.flush()
    return proposal


def decide_pairing(
    session: Session, pairing_ref: int, decision: str, decided_by: str | None = None
) -> BuddyPairing:
    """Record a decision on a buddy pairing."""
    status = _status(decision)
    pairing = session.get(BuddyPairing, pairing_ref)
    if pairing is None:
        raise DecisionError(f"there is no buddy pairing {pairing_ref}", exit_code=2)
    pairing.status = status
    pairing.decided_at = None if status == "proposed" else _now()
    pairing.decided_by = None if status == "proposed" else decided_by
    session.flush()
    return pairing


def list_proposals(
    session: Session, run_ref: int | None = None, status: str | None = None
) -> pl.DataFrame:
    """Stored proposals, newest run first (``PROPOSAL_LIST_SCHEMA``)."""
    query = (
        select(
            MatchProposal.id,
            MatchProposal.run_ref,
            MatchRun.as_at,
            Person.person_id,
            Opportunity.opportunity_id,
            MatchProposal.score,
            MatchProposal.status,
            MatchProposal.decided_by,
        )
        .join(MatchRun, MatchRun.id == MatchProposal.run_ref)
        .join(Person, Person.id == MatchProposal.person_ref)
        .join(Opportunity, Opportunity.id == MatchProposal.opportunity_ref)
        .order_by(MatchProposal.run_ref.desc(), Person.person_id, MatchProposal.id)
    )
    if run_ref is not None:
        query = query.where(MatchProposal.run_ref == run_ref)
    if status is not None:
        query = query.where(MatchProposal.status == status)
    return pl.DataFrame(
        [
            {
                "proposal_ref": r.id,
                "run_ref": r.run_ref,
                "as_at": r.as_at,
                "person_id": r.person_id,
                "opportunity_id": r.opportunity_id,
                "score": round(r.score),
                "status": r.status,
                "decided_by": r.decided_by,
            }
            for r in session.execute(query)
        ],
        schema=PROPOSAL_LIST_SCHEMA,
        orient="row",
    )
