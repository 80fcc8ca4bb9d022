"""Buddying: pairing challenged organisations with strong ones, with the reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import or_, select

from talentboard.db.models import BuddyPairing, MatchRun, Organisation
from talentboard.matching.services import run_buddying
from talentboard.matching.store import DecisionError, decide_pairing
from talentboard.web import audit
from talentboard.web.analysis import shown_date
from talentboard.web.csrf import FIELD, csrf_token
from talentboard.web.deps import FormDep, SessionDep, client_address, requires
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    can,
    host_in_scope,
    organisation_filter,
)
from talentboard.web.presenters.formatting import date
from talentboard.web.presenters.opportunities import pairing_rows
from talentboard.web.queries import organisation_names
from talentboard.web.templating import flash, render

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
                pairings, organisation_names(session), FIELD, csrf_token(request), True
            ),
            "head": [{"text": h} for h in head],
            "can_run": can_run,
        },
    )


@router.post("/run")
def run(request: Request, session: SessionDep, principal: Runner) -> Response:
    as_at = shown_date(request, session)
    result, run_ref = run_buddying(session, as_at, created_by=principal.username)
    audit.record(
        session,
        username=principal.username,
        action="run",
        entity="buddy_run",
        key=str(run_ref),
        source=client_address(request),
        detail={"as_at": as_at.isoformat(), "pairs": result.pairs.height},
    )
    session.commit()
    flash(
        request,
        f"Buddying proposed {result.pairs.height} pairing(s); "
        f"{result.unpaired.height} organisation(s) were left unpaired.",
    )
    return RedirectResponse("/buddying", status_code=303)


@router.post("/pairings/{pairing_id}/decide")
def decide(
    request: Request, pairing_id: int, session: SessionDep, principal: Buddying, form: FormDep
) -> Response:
    pairing = session.get(BuddyPairing, pairing_id)
    if pairing is None or not (
        host_in_scope(session, principal, pairing.challenged_ods_code)
        or host_in_scope(session, principal, pairing.strong_ods_code)
    ):
        raise NotFoundError
    try:
        decided = decide_pairing(
            session, pairing_id, str(form.get("decision", "")), decided_by=principal.username
        )
    except DecisionError as exc:
        flash(request, f"The decision was not recorded: {exc}.")
        return RedirectResponse("/buddying", status_code=303)
    audit.record(
        session,
        username=principal.username,
        action="decide",
        entity="buddy_pairing",
        key=str(pairing_id),
        source=client_address(request),
        detail={"status": decided.status},
    )
    session.commit()
    flash(
        request,
        f"Pairing {decided.challenged_ods_code} with {decided.strong_ods_code}: {decided.status}.",
    )
    return RedirectResponse("/buddying", status_code=303)
