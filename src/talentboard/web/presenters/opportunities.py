"""Opportunities, match proposals and buddy pairings as the pages show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from talentboard import vocab
from talentboard.db.models import BuddyPairing, MatchProposal, Opportunity, Person
from talentboard.reference import frameworks, regions
from talentboard.web.presenters.formatting import date, label
from talentboard.web.presenters.organisations import link
from talentboard.web.presenters.talent import options

STATUS_COLOURS = {
    "proposed": "nhsuk-tag--blue",
    "accepted": "nhsuk-tag--green",
    "declined": "nhsuk-tag--grey",
    "open": "nhsuk-tag--green",
    "closed": "nhsuk-tag--grey",
    "filled": "nhsuk-tag--blue",
    "withdrawn": "nhsuk-tag--grey",
}


def status_tag(status: str) -> Markup:
    return Markup('<strong class="nhsuk-tag {}">{}</strong>').format(
        STATUS_COLOURS.get(status, ""), label(status)
    )


def domain_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for fw in frameworks().values():
        for d in fw.domains:
            names.setdefault(d.code, d.name)
    return names


def opportunity_filter_options(
    kind: str | None, region_code: str | None, status: str | None
) -> dict[str, list[dict[str, Any]]]:
    """The choices of the opportunity filters, with the chosen ones selected."""
    return {
        "kinds": options(
            [(k, label(k)) for k in vocab.OPPORTUNITY_KINDS], [kind] if kind else [], "Any kind"
        ),
        "regions": options(
            [(r.code, r.name) for r in regions()],
            [region_code] if region_code else [],
            "Any region",
        ),
        "statuses": options(
            [(s, label(s)) for s in vocab.OPPORTUNITY_STATUSES],
            [status] if status else [],
            "Any status",
        ),
    }


def opportunity_rows(
    opportunities: Sequence[Opportunity], organisations: Mapping[str, str]
) -> list[list[dict[str, Any]]]:
    return [
        [
            {"html": link(f"/opportunities/{o.opportunity_id}", o.title)},
            {"text": label(o.kind)},
            {"text": organisations.get(o.host_ods_code, o.host_ods_code)},
            {"text": ", ".join(label(level) for level in o.levels)},
            {"text": str(o.capacity)},
            {"html": status_tag(o.status)},
        ]
        for o in opportunities
    ]


def opportunity_summary(o: Opportunity, host: str) -> list[dict[str, Any]]:
    names = domain_names()
    rows = [
        ("Opportunity ID", o.opportunity_id),
        ("Kind", label(o.kind)),
        ("Host organisation", host),
        ("Develops", ", ".join(names.get(d, d) for d in o.develops) or "Not recorded"),
        ("Open to levels", ", ".join(label(level) for level in o.levels)),
        ("Places", str(o.capacity)),
        ("Starts", date(o.starts_on)),
        ("Ends", date(o.ends_on, "No end date")),
        ("Status", label(o.status)),
        ("Description", o.description or ""),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def decision_buttons(action: str, field: str, token: str, who: str) -> Markup:
    """Accept and decline buttons posting to ``action``."""
    parts = []
    for decision, text, style in (
        ("accept", "Accept", ""),
        ("decline", "Decline", " nhsuk-button--secondary"),
    ):
        parts.append(
            Markup(
                '<form class="app-inline-form" method="post" action="{action}">'
                '<input type="hidden" name="{field}" value="{token}">'
                '<input type="hidden" name="decision" value="{decision}">'
                '<button class="nhsuk-button nhsuk-button--small{style}">{text}'
                '<span class="nhsuk-u-visually-hidden"> {who}</span></button></form>'
            ).format(
                action=escape(action),
                field=escape(field),
                token=escape(token),
                decision=decision,
                style=style,
                text=text,
                who=escape(who),
            )
        )
    return Markup("").join(parts)


def proposal_rows(
    rows: Sequence[tuple[MatchProposal, Person, Opportunity]],
    field: str,
    token: str,
    can_decide: bool,
) -> list[list[dict[str, Any]]]:
    table: list[list[dict[str, Any]]] = []
    for proposal, person, opportunity in rows:
        name = f"{person.given_name} {person.family_name}"
        table.append(
            _proposed_row(
                {"html": link(f"/people/{person.person_id}", name)},
                {"html": link(f"/opportunities/{opportunity.opportunity_id}", opportunity.title)},
                proposal,
                (
                    f"/matching/proposals/{proposal.id}/decide",
                    field,
                    token,
                    f"{name} for {opportunity.title}",
                )
                if can_decide
                else None,
            )
        )
    return table


def _proposed_row(
    first: dict[str, Any],
    second: dict[str, Any],
    proposed: MatchProposal | BuddyPairing,
    decision: tuple[str, str, str, str] | None,
) -> list[dict[str, Any]]:
    """A proposal's row: what is paired, its score, reasons and status, and, given the
    ``decision_buttons`` arguments, the buttons to decide it while it is still proposed."""
    cells: list[dict[str, Any]] = [
        first,
        second,
        {"text": f"{proposed.score:g}"},
        {"html": Markup("<br>").join(proposed.reasons)},
        {"html": status_tag(proposed.status)},
    ]
    if decision is not None:
        buttons = decision_buttons(*decision) if proposed.status == "proposed" else Markup("")
        cells.append({"html": buttons})
    return cells


def pairing_rows(
    pairings: Sequence[BuddyPairing],
    names: Mapping[str, str],
    field: str,
    token: str,
    can_decide: bool,
    in_scope: frozenset[str] | None = None,
) -> list[list[dict[str, Any]]]:
    """The pairings; an organisation outside the caller's scope (``in_scope``, None for
    every organisation) is named without a link to a page the caller could not open."""

    def named(code: str, name: str) -> dict[str, Any]:
        if in_scope is None or code in in_scope:
            return {"html": link(f"/organisations/{code}", name)}
        return {"text": name}

    table: list[list[dict[str, Any]]] = []
    for p in pairings:
        challenged = names.get(p.challenged_ods_code, p.challenged_ods_code)
        strong = names.get(p.strong_ods_code, p.strong_ods_code)
        table.append(
            _proposed_row(
                named(p.challenged_ods_code, challenged),
                named(p.strong_ods_code, strong),
                p,
                (f"/buddying/pairings/{p.id}/decide", field, token, f"{challenged} with {strong}")
                if can_decide
                else None,
            )
        )
    return table
