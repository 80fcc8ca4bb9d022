"""Buddying: pairing challenged organisations with strong ones, with the reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import or_, select

from talentboard.db.models import BuddyPairing, MatchRun, Organisation
from talentboard.matching.services import run_buddying
from talentboard.matching.store import decide_pairing
from talentboard.web.analysis import shown_date
from talentboard.web.csrf import FIELD, csrf_token
from talentboard.web.deps import SessionDep, requires
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    can,
    host_in_scope,
    ods_codes_in_scope,
    organisation_filter,
)
from talentboard.web.presenters.formatting import counted, date
from talentboard.web.presenters.opportunities import pairing_rows
from talentboard.web.queries import organisation_names
from talentboard.web.records import AuditEntry, DecisionKind, Edit, acted, mount_decision
from talentboard.web.templating import render

router = APIRouter(prefix="/buddying", include_in_schema=False)

Buddying = Annotated[Principal, Depends(requires(Capability.BUDDYING))]
Runner = Annotated[Principal, Depends(requires(Capability.RUN_BUDDYING))]


@router.get("", response_class=HTMLResponse)
def buddying(request: Request, session: SessionDep, principal: Buddying) -> Response:
    run = session.scalar(
        select(MatchRun).where(MatchRun.kind == "buddies").order_by(MatchRun.id.desc())
    )
    in_scope = select(Organisation.ods_code).where(organisation_filter(principal))
    pairings = (
        session.scalars(
            select(BuddyPairing)
            .where(
                BuddyPairing.run_ref == run.id,
                or_(
                    BuddyPairing.challenged_ods_code.in_(in_scope),
                    BuddyPairing.strong_ods_code.in_(in_scope),
                ),
            )
            .order_by(BuddyPairing.score.desc(), BuddyPairing.id)
        ).all()
        if run
        else []
    )
    can_run = can(principal, Capability.RUN_BUDDYING)
    head = ["Challenged organisation", "Buddy", "Score", "Why", "Status", "Decision"]
    return render(
        request,
        "buddying/index.jinja",
        {
            "title": "Buddying",
            "as_at": date(shown_date(request, session)),
            "latest": (
                f"The latest pairing ran on {date(run.created_at)} for {date(run.as_at)}."
                if run
                else "Buddying has not been run yet."
            ),
            "rows": pairing_rows(
                pairings,
                organisation_names(session),
                FIELD,
                csrf_token(request),
                True,
                ods_codes_in_scope(session, principal),
            ),
            "head": [{"text": h} for h in head],
            "can_run": can_run,
        },
    )


@router.post("/run")
def run(request: Request, session: SessionDep, principal: Runner) -> Response:
    as_at = shown_date(request, session)
    result, run_ref = run_buddying(session, as_at, created_by=principal.username)
    return acted(
        request,
        session,
        principal,
        (
            "run",
            AuditEntry(
                "buddy_run",
                str(run_ref),
                {"as_at": as_at.isoformat(), "pairs": result.pairs.height},
            ),
        ),
        f"Buddying proposed {counted(result.pairs.height, 'pairing', 'pairings')}; "
        f"{counted(result.unpaired.height, 'organisation was', 'organisations were')} "
        "left unpaired.",
        "/buddying",
    )


def _pairing(edit: Edit) -> BuddyPairing:
    """The pairing, if either of its organisations is in the caller's scope."""
    pairing = edit.session.get(BuddyPairing, edit.path["pairing_id"])
    if pairing is None or not (
        host_in_scope(edit.session, edit.principal, pairing.challenged_ods_code)
        or host_in_scope(edit.session, edit.principal, pairing.strong_ods_code)
    ):
        raise NotFoundError
    return pairing


PAIRING_DECISION = DecisionKind[BuddyPairing](
    noun="buddy pairing",
    capability=Capability.BUDDYING,
    path="/pairings/{pairing_id}/decide",
    back="/buddying",
    entity="buddy_pairing",
    find=_pairing,
    decide=decide_pairing,
    detail=lambda edit, decided: {"status": decided.status},
    told=lambda edit, decided: (
        f"Pairing {decided.challenged_ods_code} with {decided.strong_ods_code}: {decided.status}."
    ),
)
mount_decision(router, PAIRING_DECISION)
