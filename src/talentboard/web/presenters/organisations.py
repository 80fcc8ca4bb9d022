"""Organisation pages: the list with filters, and one organisation's board and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import polars as pl
from markupsafe import Markup, escape

from talentboard import vocab
from talentboard.db.models import Appointment, Organisation, Person, Post
from talentboard.reference import regions
from talentboard.web.presenters.formatting import date, label, percentage, region_name, years

STATE_TAGS = {
    "substantive": ("Substantive", "nhsuk-tag--green"),
    "interim": ("Interim", "nhsuk-tag--yellow"),
    "vacant": ("Vacant", "nhsuk-tag--red"),
}


def link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(escape(href), escape(text))


def tag(text: str, colour: str) -> Markup:
    return Markup('<strong class="nhsuk-tag {}">{}</strong>').format(escape(colour), escape(text))


def segment_text(segment: int | None) -> str:
    return "Not rated" if segment is None else f"Segment {segment}"


def filter_options(
    selected_region: str | None, selected_kind: str | None, selected_segment: int | None
) -> dict[str, Any]:
    return {
        "regions": [{"value": "", "text": "Any region"}]
        + [
            {"value": r.code, "text": r.name, "selected": r.code == selected_region}
            for r in regions()
        ],
        "kinds": [{"value": "", "text": "Any kind"}]
        + [{"value": k, "text": label(k), "selected": k == selected_kind} for k in vocab.ORG_KINDS],
        "segments": [{"value": "", "text": "Any segment"}]
        + [
            {"value": str(s), "text": f"Segment {s}", "selected": s == selected_segment}
            for s in vocab.OVERSIGHT_SEGMENTS
        ],
    }


# The list's columns: (sort key, heading). The last three are the dashboard's figures.
LIST_COLUMNS = (
    ("name", "Name"),
    ("ods_code", "ODS code"),
    ("kind", "Kind"),
    ("region", "Region"),
    ("segment", "Oversight segment"),
    ("exec_vacancy_rate", "Executive vacancy rate"),
    ("interim_cover_share", "Interim cover"),
    ("median_tenure_years", "Median executive tenure"),
)
FIGURE_COLUMNS = ("exec_vacancy_rate", "interim_cover_share", "median_tenure_years")
FIRST_DESCENDING = ("exec_vacancy_rate", "interim_cover_share")
WITHHELD = "Withheld"
Stability = dict[str, dict[str, tuple[float | None, bool]]]


def _sort_value(column: str, o: Organisation, segment: int | None, stability: Stability) -> Any:
    if column in FIGURE_COLUMNS:
        return stability.get(o.ods_code, {}).get(column, (None, False))[0]
    return {
        "name": o.name,
        "ods_code": o.ods_code,
        "kind": label(o.kind),
        "region": region_name(o.region_code),
        "segment": segment,
    }.get(column, o.name)


def sort_organisations(
    found: Sequence[tuple[Organisation, int | None]],
    stability: Stability,
    column: str,
    descending: bool,
) -> list[tuple[Organisation, int | None]]:
    """The organisations ordered by ``column`` (by name within ties); those without the
    figure (withheld, not available or not rated) last in either direction."""
    by_name = sorted(found, key=lambda pair: (pair[0].name, pair[0].ods_code))

    def value(pair: tuple[Organisation, int | None]) -> Any:
        return _sort_value(column, pair[0], pair[1], stability)

    known = [p for p in by_name if value(p) is not None]
    unknown = [p for p in by_name if value(p) is None]
    known.sort(key=value, reverse=descending)
    return known + unknown


def sort_head(column: str, descending: bool, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The organisations list's sorting headings (``sortable_head``): rates highest first
    and tenure shortest first, the least stable first."""
    return sortable_head(
        LIST_COLUMNS,
        column,
        descending,
        lambda key: "descending" if key in FIRST_DESCENDING else "ascending",
        lambda order_by: "/organisations?" + urlencode({**query, **order_by}),
    )


def sortable_head(
    headings: Iterable[tuple[str, str]],
    column: str,
    descending: bool,
    first_order: Callable[[str], str],
    link: Callable[[dict[str, str]], str],
) -> list[dict[str, Any]]:
    """Column headings that sort a table: a link per column (the current column's link
    reverses it, another column starts in ``first_order``), with ``aria-sort`` on the
    sorted column. ``link`` makes a heading's address from its ``sort`` and ``order``."""
    head = []
    for key, heading in headings:
        current = key == column
        reversed_order = "ascending" if descending else "descending"
        order = reversed_order if current else first_order(key)
        cell: dict[str, Any] = {
            "text": heading,
            "html": Markup(
                '<a href="{}">{}<span class="nhsuk-u-visually-hidden">, sort {}</span></a>'
            ).format(link({"sort": key, "order": order}), heading, order),
        }
        if current:
            cell["ariaSort"] = "descending" if descending else "ascending"
        head.append(cell)
    return head


def _figure_cell(column: str, value: tuple[float | None, bool] | None) -> dict[str, Any]:
    if value is None:
        return {"text": "No executive posts"}
    figure, withheld = value
    if withheld:
        return {"text": WITHHELD}
    if column == "median_tenure_years":
        return {"text": years(figure)}
    return {"text": percentage(figure, 1)}


def organisation_rows(
    found: Sequence[tuple[Organisation, int | None]],
    stability: Stability | None = None,
) -> list[list[dict[str, Any]]]:
    stability = stability or {}
    rows: list[list[dict[str, Any]]] = [
        [
            {"html": link(f"/organisations/{o.ods_code}", o.name)},
            {"text": o.ods_code},
            {"text": label(o.kind)},
            {"text": region_name(o.region_code)},
            {"text": segment_text(s)},
            *[
                _figure_cell(c, stability[o.ods_code][c] if o.ods_code in stability else None)
                for c in FIGURE_COLUMNS
            ],
        ]
        for o, s in found
    ]
    return rows


def organisation_summary(organisation: Organisation, segment: int | None) -> list[dict[str, Any]]:
    rows = [
        ("ODS code", organisation.ods_code),
        ("Kind", label(organisation.kind)),
        ("Region", region_name(organisation.region_code)),
        ("Oversight segment", segment_text(segment)),
        (
            "Staff headcount",
            f"{organisation.staff_headcount:,}" if organisation.staff_headcount else "Not recorded",
        ),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def board_rows(
    posts: Sequence[Post],
    states: dict[int, str],
    holders: dict[int, list[tuple[Person, Appointment]]],
) -> list[list[dict[str, Any]]]:
    """Today's board: each post, its state and who holds it, with their appointment type;
    a vacant or interim-covered post links to its vacancy shortlist."""
    rows: list[list[dict[str, Any]]] = []
    for post in posts:
        text, colour = STATE_TAGS[states.get(post.id, "vacant")]
        people = holders.get(post.id, [])
        who: Markup = Markup("<br>").join(
            link(f"/people/{p.person_id}", f"{p.given_name} {p.family_name}")
            + Markup(" ({}, since {})").format(
                label(a.appointment_type).lower(), date(a.start_date)
            )
            for p, a in people
        ) or Markup("No one")
        if states.get(post.id, "vacant") in ("vacant", "interim"):
            who += Markup("<br>") + link(
                f"/vacancies/{post.post_id}", f"Shortlist for {post.title}"
            )
        rows.append([{"text": post.title}, {"html": tag(text, colour)}, {"html": who}])
    return rows


def history_items(rows: Sequence[tuple[Appointment, Person, Post]]) -> list[dict[str, str]]:
    """The board's history, newest first: appointments and departures with their reasons."""
    events: list[tuple[dt.date, int, dict[str, str]]] = []
    for appointment, person, post in rows:
        who = f"{person.given_name} {person.family_name}"
        kind = label(appointment.appointment_type).lower()
        events.append(
            (
                appointment.start_date,
                1,
                {
                    "date": date(appointment.start_date),
                    "text": f"{who} started as {post.title.lower()} ({kind})",
                },
            )
        )
        if appointment.end_date is not None:
            reason = (
                label(appointment.end_reason).lower()
                if appointment.end_reason
                else "reason not recorded"
            )
            events.append(
                (
                    appointment.end_date,
                    0,
                    {
                        "date": date(appointment.end_date),
                        "text": f"{who} left the post of {post.title.lower()}: {reason}",
                    },
                )
            )
    events.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [e[2] for e in events]


FPPT_STATUS = {
    "missing": ("Missing", "nhsuk-tag--red"),
    "not_satisfactory": ("Not satisfactory", "nhsuk-tag--red"),
    "concern": ("Concern", "nhsuk-tag--orange"),
    "pending": ("Pending", "nhsuk-tag--yellow"),
    "overdue": ("Overdue", "nhsuk-tag--red"),
    "due": ("Due soon", "nhsuk-tag--yellow"),
    "ok": ("Up to date", "nhsuk-tag--green"),
    "not_applicable": ("Not applicable", "nhsuk-tag--grey"),
}
DOMAIN_STATUS = {
    "covered": ("Covered", "nhsuk-tag--green"),
    "thin": ("Thin", "nhsuk-tag--yellow"),
    "gap": ("Gap", "nhsuk-tag--red"),
}


def fppt_rows(attention: pl.DataFrame) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for r in attention.iter_rows(named=True):
        text, colour = FPPT_STATUS.get(r["status"], (label(r["status"]), "nhsuk-tag--grey"))
        rows.append(
            [
                {"html": link(f"/people/{r['person_id']}", r["name"])},
                {"text": r["label"]},
                {"html": tag(text, colour)},
                {"text": date(r["due_on"], "No date")},
            ]
        )
    return rows


def skills_rows(domains: pl.DataFrame) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for r in domains.iter_rows(named=True):
        text, colour = DOMAIN_STATUS[r["status"]]
        risk = " (at risk: strengths leave within 12 months)" if r["at_risk"] else ""
        rows.append(
            [
                {"text": r["domain_name"]},
                {"text": f"{r['strengths']} of {r['assessed']} assessed"},
                {"text": "No evidence" if r["mean_level"] is None else f"{r['mean_level']:.1f}"},
                {"html": tag(text, colour) + Markup("{}").format(risk)},
            ]
        )
    return rows


def coverage_rows(posts: pl.DataFrame) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for p in posts.sort("post_id").iter_rows(named=True):
        state_text, colour = STATE_TAGS[p["state"]]
        rows.append(
            [
                {"html": link(f"/succession/posts/{p['post_id']}", label(p["role_code"]))},
                {"html": tag(state_text, colour)},
                {"text": "Yes" if p["covered"] else "No"},
                {"text": str(p["ready_now"])},
                {"text": f"{p['risk']:.2f}"},
            ]
        )
    return rows


def buddy_items(pairings: Sequence[tuple[Any, str, str]], ods_code: str) -> list[str]:
    """Buddy pairings of the organisation, in words."""
    items = []
    for pairing, challenged, strong in pairings:
        other = strong if pairing.challenged_ods_code == ods_code else challenged
        side = "buddied by" if pairing.challenged_ods_code == ods_code else "buddy to"
        items.append(f"{side.capitalize()} {other} ({label(pairing.status).lower()})")
    return items
