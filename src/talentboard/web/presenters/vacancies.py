"""Vacancy shortlists as the pages and the API show them: only people the caller may see
are named; the others are counted."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from markupsafe import Markup

from talentboard.matching.vacancy import Shortlist
from talentboard.web.presenters.formatting import label
from talentboard.web.presenters.organisations import link


@dataclass(frozen=True)
class ShortlistView:
    """The shortlist cut to what the caller may see."""

    candidates: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    candidates_hidden: int
    excluded_hidden: int
    not_ready: int


def shortlist_view(
    shortlist: Shortlist, visible: Collection[int], names: Mapping[int, str]
) -> ShortlistView:
    """``shortlist`` with only the people whose ``person_ref`` is in ``visible``; ranks are
    the shortlist's own, so a gap in them is a hidden candidate."""

    def shown(frame: pl.DataFrame) -> list[dict[str, Any]]:
        return [
            {**row, "name": names.get(row["person_ref"], row["person_id"])}
            for row in frame.iter_rows(named=True)
            if row["person_ref"] in visible
        ]

    candidates = shown(shortlist.candidates)
    excluded = shown(shortlist.excluded)
    return ShortlistView(
        candidates=candidates,
        excluded=excluded,
        candidates_hidden=shortlist.candidates.height - len(candidates),
        excluded_hidden=shortlist.excluded.height - len(excluded),
        not_ready=shortlist.not_ready,
    )


def _reasons(reasons: list[str]) -> Markup:
    items = Markup("").join(Markup("<li>{}</li>").format(r) for r in reasons)
    return Markup('<ul class="nhsuk-list nhsuk-list--bullet">{}</ul>').format(items)


def candidate_rows(view: ShortlistView) -> list[list[dict[str, Any]]]:
    """Rank, person, readiness, framework fit, breadth, score and the reasons in words."""
    return [
        [
            {"text": str(c["rank"])},
            {"html": link(f"/people/{c['person_id']}", c["name"])},
            {"text": label(c["readiness"])},
            {"text": f"{c['fit']} of 100"},
            {"text": f"{c['breadth']} of 50"},
            {"text": str(c["score"])},
            {"html": _reasons(list(c["reasons"]))},
        ]
        for c in view.candidates
    ]


def excluded_rows(view: ShortlistView) -> list[list[dict[str, Any]]]:
    return [
        [{"html": link(f"/people/{e['person_id']}", e["name"])}, {"text": e["reason"]}]
        for e in view.excluded
    ]


def hidden_note(count: int, what: str) -> str:
    """A sentence counting people the caller may not see, or nothing."""
    if not count:
        return ""
    people = "person" if count == 1 else "people"
    return (
        f"{count} {what} {people} outside the organisations you can see "
        f"{'is' if count == 1 else 'are'} counted but not named."
    )


def shortlist_json(shortlist: Shortlist, view: ShortlistView) -> dict[str, Any]:
    """The shortlist's JSON (``Shortlist.to_json``) with only the people the caller sees."""
    body = shortlist.to_json()
    shown = {c["person_id"] for c in view.candidates}
    left = {e["person_id"] for e in view.excluded}
    body["shortlist"] = [c for c in body["shortlist"] if c["person_id"] in shown]
    body["excluded"] = [e for e in body["excluded"] if e["person_id"] in left]
    body["shortlist_not_shown"] = view.candidates_hidden
    body["excluded_not_shown"] = view.excluded_hidden
    return body
