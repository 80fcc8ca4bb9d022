"""The data pages: import kinds, the validation report in the NHS error-summary pattern."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from markupsafe import Markup, escape

from talentboard.ingest import KINDS, Problem, TableCounts, ValidationReport
from talentboard.web.presenters.formatting import counted

SUMMARY_LIMIT = 50
# What each import kind is called on screen, where its name alone is not plain English.
KIND_TITLES = {
    "performance": "Organisational performance",
    "talent": "Talent profiles and readiness",
    "succession": "Succession plans",
    "conversations": "Career conversations",
    "fppt": "Fit and proper person checks",
}


def kind_title(name: str) -> str:
    return KIND_TITLES.get(name, name.replace("_", " ").capitalize())


def kind_items(
    selected: str | None = None, allowed: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Radio items for the import kinds (those in ``allowed``), in the order they load."""
    return [
        {
            "value": kind.name,
            "text": kind_title(kind.name),
            "hint": {"text": kind.summary},
            "checked": kind.name == selected,
        }
        for kind in KINDS.values()
        if allowed is None or kind.name in allowed
    ]


def kind_rows() -> list[list[dict[str, Any]]]:
    """Each kind with links to its template and its export, in CSV and Excel."""
    rows: list[list[dict[str, Any]]] = []
    for kind in KINDS.values():
        name = kind.name
        rows.append(
            [
                {"text": kind_title(name)},
                {
                    "html": Markup(", ").join(
                        Markup("<code>{}</code>").format(column) for column in kind.canonical
                    )
                },
                {
                    "html": _links(
                        (f"/data/templates/{name}.csv", f"CSV template for {name}"),
                        (f"/data/templates/{name}.xlsx", f"Excel template for {name}"),
                    )
                },
                {
                    "html": _links(
                        (f"/data/exports/{name}.csv", f"CSV export of {name}"),
                        (f"/data/exports/{name}.xlsx", f"Excel export of {name}"),
                    )
                },
            ]
        )
    return rows


def _links(*links: tuple[str, str]) -> Markup:
    return Markup("<br>").join(
        Markup('<a href="{}">{}</a>').format(escape(href), escape(text)) for href, text in links
    )


def _where(problem: Problem) -> str:
    parts = []
    if problem.row is not None:
        parts.append(f"Row {problem.row}")
    if problem.column is not None:
        parts.append(f"column {problem.column}" if parts else f"Column {problem.column}")
    return ", ".join(parts) if parts else "The file"


def problem_text(problem: Problem) -> str:
    value = f" ({problem.value!r})" if problem.value else ""
    return f"{_where(problem)}{value}: {problem.reason}"


def validation_page(report: ValidationReport) -> dict[str, Any]:
    """The error summary (the first problems, linked) and a table of every problem."""
    problems = list(report.problems)
    summary = [
        {"text": problem_text(p), "href": f"#problem-{i}"}
        for i, p in enumerate(problems[:SUMMARY_LIMIT], start=1)
    ]
    if len(problems) > SUMMARY_LIMIT:
        summary.append(
            {
                "text": f"and {len(problems) - SUMMARY_LIMIT:,} more problems in the table below",
                "href": "#problems",
            }
        )
    rows = [
        [
            {"html": _anchor(i, p)},
            {"text": p.column or ""},
            {"text": p.value or ""},
            {"text": p.reason},
        ]
        for i, p in enumerate(problems, start=1)
    ]
    return {
        "errors": summary,
        "problem_rows": rows,
        "checked": counted(report.rows, "row was", "rows were"),
        "problems": counted(len(problems), "problem", "problems"),
        "bad_rows": counted(report.bad_rows, "row", "rows"),
        "warnings": [problem_text(w) for w in report.warnings],
    }


def _anchor(index: int, problem: Problem) -> Markup:
    text = str(problem.row) if problem.row is not None else "Whole file"
    return Markup('<span id="problem-{}">{}</span>').format(index, text)


def counts_rows(counts: Mapping[str, TableCounts]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": table.replace("_", " ")},
            {"text": f"{c.inserted:,}"},
            {"text": f"{c.updated:,}"},
            {"text": f"{c.unchanged:,}"},
        ]
        for table, c in counts.items()
    ]
