"""Talent pool and succession pages: tables, the 3x3 grid and the risk heat map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from markupsafe import Markup
from starlette.requests import Request

from talentboard import vocab
from talentboard.reference import programmes, regions, roles
from talentboard.talent import succession
from talentboard.web.presenters.formatting import label, percentage, region_name
from talentboard.web.presenters.organisations import link, tag

GROUP_LABELS = {
    "members": "Members",
    "women": "Women",
    "bme": "From Black and minority ethnic groups",
    "disabled": "Disabled people",
}
STATE_COLOURS = {
    "substantive": "nhsuk-tag--green",
    "interim": "nhsuk-tag--yellow",
    "vacant": "nhsuk-tag--red",
}


def options(
    items: Sequence[tuple[str, str]], selected: Sequence[str], anything: str
) -> list[dict[str, Any]]:
    chosen = selected[0] if selected else ""
    return [{"value": "", "text": anything}] + [
        {"value": code, "text": text, "selected": code == chosen} for code, text in items
    ]


def pool_filter_options(chosen: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        "target_roles": options(
            [(r.code, r.label) for r in roles() if r.level == "board"],
            chosen.get("target_role_code", ()),
            "Any target role",
        ),
        "readiness": options(
            [(r, label(r)) for r in vocab.READINESS], chosen.get("readiness", ()), "Any readiness"
        ),
        "levels": options(
            [(lv, label(lv)) for lv in vocab.POST_LEVELS], chosen.get("level", ()), "Any level"
        ),
        "willing_regions": options(
            [(r.code, r.name) for r in regions()],
            chosen.get("willing_region", ()),
            "Any region",
        ),
        "programmes": options(
            [(p.code, p.name) for p in programmes()],
            chosen.get("programme_code", ()),
            "Any programme",
        ),
    }


def _targets(targets: Sequence[Mapping[str, str]]) -> str:
    return "; ".join(
        f"{label(t['target_role_code'])}: {label(t['readiness']).lower()}" for t in targets
    )


def pool_rows(
    members: pl.DataFrame, organisations: Mapping[str, str]
) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for m in members.iter_rows(named=True):
        rows.append(
            [
                {"html": link(f"/people/{m['person_id']}", m["name"] or m["person_id"])},
                {"text": organisations.get(m["ods_code"] or "", "Not in post")},
                {"text": label(m["role_code"]) if m["role_code"] else "Not in post"},
                {"text": _targets(m["targets"]) or "None recorded"},
                {"text": ", ".join(region_name(r) for r in m["willing_regions"] or [])},
                {"text": f"Box {m['box']}" if m["box"] else "Not placed"},
            ]
        )
    return rows


def figure_rows(figures: pl.DataFrame) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": GROUP_LABELS.get(r["group"], r["group"])},
            {"text": f"{r['count']:,}"},
            {"text": "" if r["group"] == "members" else percentage(r["share"])},
        ]
        for r in figures.iter_rows(named=True)
    ]


def grid_rows(grid: pl.DataFrame) -> list[dict[str, Any]]:
    """The 3x3 grid as rows (growth high at the top) of cells (impact low to high)."""
    by_cell = {(r["impact"], r["growth"]): r for r in grid.iter_rows(named=True)}
    rows = []
    for growth in reversed(vocab.AXIS_LEVELS):
        cells = []
        for impact in vocab.AXIS_LEVELS:
            r = by_cell[(impact, growth)]
            cells.append(
                {
                    "box": r["box"],
                    "people": f"{r['people']:,}",
                    "focus": r["focus"] or "",
                    "label": f"Impact {impact}, growth {growth}",
                }
            )
        rows.append({"growth": f"Growth: {growth}", "cells": cells})
    return rows


def risk_band(risk: float | None) -> tuple[str, str]:
    """The heat map cell's colour class and words: the bands of ``talent.succession``."""
    if risk is None:
        return "none", "No figure"
    band = succession.risk_band(risk)
    return band.code, band.label


def region_options(selected: str | None) -> list[dict[str, Any]]:
    return options([(r.code, r.name) for r in regions()], [selected] if selected else [], "England")


def succession_rows(
    posts: pl.DataFrame, organisations: Mapping[str, str], *, limit: int
) -> list[list[dict[str, Any]]]:
    """The critical posts, highest risk first (then by post id), at most ``limit``."""
    rows: list[list[dict[str, Any]]] = []
    ranked = posts.sort(["risk", "post_id"], descending=[True, False]).head(limit)
    for p in ranked.iter_rows(named=True):
        rows.append(
            [
                {"html": link(f"/succession/posts/{p['post_id']}", label(p["role_code"]))},
                {"text": organisations.get(p["ods_code"], p["ods_code"])},
                {"html": tag(label(p["state"]), STATE_COLOURS.get(p["state"], ""))},
                {"text": str(p["ready_now"])},
                {"text": str(p["ready_1_2y"])},
                {"text": str(p["emergency_cover"])},
                {"text": f"{p['risk']:.2f}"},
                {"html": Markup("<br>").join(p["reasons"])},
            ]
        )
    return rows


def heat_map(posts: pl.DataFrame, organisations: Mapping[str, str]) -> dict[str, Any]:
    """Organisations down, executive roles across; each cell the post's risk and its band."""
    executive = [r for r in roles() if r.level == "board" and r.executive]
    present = set(posts["role_code"].to_list())
    columns = [r for r in executive if r.code in present]
    cells = {(p["ods_code"], p["role_code"]): p for p in posts.iter_rows(named=True)}
    rows = []
    for ods_code in sorted(
        {p["ods_code"] for p in cells.values()}, key=lambda c: organisations.get(c, c)
    ):
        row_cells = []
        for role in columns:
            post = cells.get((ods_code, role.code))
            band, text = risk_band(post["risk"] if post else None)
            row_cells.append(
                {
                    "band": band,
                    "value": f"{post['risk']:.2f}" if post else "–",
                    "text": text if post else "No such post",
                }
            )
        rows.append({"name": organisations.get(ods_code, ods_code), "cells": row_cells})
    return {"columns": [r.label for r in columns], "rows": rows, "key": risk_key()}


def risk_key() -> str:
    """The bands in words, as the heat map's key says them."""
    low, medium, high = succession.RISK_BANDS
    return (
        f"{low.label.lower()} below {medium.lower:.2f}, {medium.label.lower()} from "
        f"{medium.lower:.2f} to below {high.lower:.2f}, {high.label.lower()} from {high.lower:.2f}"
    )


def rollup_rows(
    rollup: pl.DataFrame, names: Mapping[str, str], key: str
) -> list[list[dict[str, Any]]]:
    """The coverage roll-up, weakest cover first (then most higher risk posts, then by
    name); each organisation links to its page, each region to its succession view."""
    ranked = rollup.with_columns(
        pl.col(key).replace_strict(names, default=pl.col(key)).alias("_name")
    ).sort(
        ["coverage_share", "high_risk_posts", "_name"],
        descending=[False, True, False],
        nulls_last=True,
    )
    rows: list[list[dict[str, Any]]] = []
    for r in ranked.iter_rows(named=True):
        name = names.get(r[key], r[key])
        target = f"/organisations/{r[key]}" if key == "ods_code" else f"/succession?region={r[key]}"
        rows.append(
            [
                {"html": link(target, name)},
                {"text": str(r["critical_posts"])},
                {"text": str(r["covered_posts"])},
                {"text": percentage(r["coverage_share"])},
                {"text": str(r["vacant_or_interim"])},
                {"text": str(r["high_risk_posts"])},
            ]
        )
    return rows


def successor_rows(
    entries: Sequence[Mapping[str, Any]], post_id: str, editable: bool
) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for e in entries:
        who: dict[str, Any] = (
            {"html": link(f"/people/{e['person_id']}", e["name"])}
            if e["visible"]
            else {"text": "A candidate outside the organisations you can see"}
        )
        row = [
            who,
            {"text": label(e["readiness"])},
            {"text": "Yes" if e["emergency_cover"] else "No"},
            {"text": e["reviewed_on"]},
        ]
        if editable and e["visible"]:
            row.append(
                {
                    "html": link(
                        f"/succession/posts/{post_id}/successors/{e['ref']}/edit", "Change"
                    )
                    + Markup('<span class="nhsuk-u-visually-hidden"> entry for {}</span>').format(
                        e["name"]
                    )
                }
            )
        elif editable:
            row.append({"text": ""})
        rows.append(row)
    return rows


def pagination(request: Request, page: int, total: int, size: int) -> dict[str, Any] | None:
    """Previous and next links for the NHS.UK pagination component (None on one page)."""
    pages = max(1, -(-total // size))
    if pages == 1:
        return None

    def href(number: int) -> str:
        url = request.url.include_query_params(page=number)
        return f"{url.path}?{url.query}"

    result: dict[str, Any] = {}
    if page > 1:
        result["previous"] = {"href": href(page - 1), "labelText": f"Page {page - 1} of {pages}"}
    if page < pages:
        result["next"] = {"href": href(page + 1), "labelText": f"Page {page + 1} of {pages}"}
    return result
