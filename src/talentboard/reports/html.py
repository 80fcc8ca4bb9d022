"""The report as one self-contained HTML page: inline CSS and SVG, no external assets.

A presenter turns the report model into display values (formatted cells, numbered
figures and tables, rendered SVG), so the Jinja template holds no logic. The page has
one ``h1``, a ``h2`` per section, tables with captions and header scopes, and every
chart carries its description and a link to the table of its data.

The page a browser shows has each chart as inline SVG, labelled as one image by its
description. The page the PDF is made from has each chart as an ``<img>`` of a ``data:``
SVG URL with the description as its alternative text: WeasyPrint draws the same SVG
either way, but lays out and paints the page faster when the chart's thousands of SVG
elements are not part of the HTML document.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from talentboard import __version__
from talentboard.reports.model import ChartSpec, Report, Suppressed, Table
from talentboard.reports.presenters import format_cell, format_date, format_headline, is_numeric
from talentboard.reports.svg import render_svg

__all__ = ["ChartsAs", "render_html"]

ChartsAs = Literal["svg", "image"]
"""How the page carries its charts: inline SVG (for a browser) or ``<img>`` elements of
``data:`` SVG URLs (for the PDF)."""


@dataclass(frozen=True)
class _Cell:
    text: str
    numeric: bool
    suppressed: bool


@dataclass(frozen=True)
class _Column:
    label: str
    numeric: bool


@dataclass(frozen=True)
class _Table:
    id: str
    number: str
    caption: str
    columns: tuple[_Column, ...]
    rows: tuple[tuple[_Cell, ...], ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Headline:
    id: str
    label: str
    value: str
    sentence: str
    definition: str


@dataclass(frozen=True)
class _Chart:
    id: str
    number: int
    title: str
    description: str
    svg: Markup | None
    image: str | None
    table_id: str
    table_number: str


@dataclass(frozen=True)
class _Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...]
    headlines: tuple[_Headline, ...]
    charts: tuple[_Chart, ...]
    tables: tuple[_Table, ...]


@dataclass(frozen=True)
class _ContentsItem:
    id: str
    heading: str


@dataclass(frozen=True)
class _Page:
    title: str
    description: str
    scope: str
    as_at: str
    summary: tuple[str, ...]
    disclosure_flag: str
    contents: tuple[_ContentsItem, ...]
    sections: tuple[_Section, ...]
    methods: tuple[object, ...]
    disclosure: tuple[str, ...]
    chart_tables: tuple[_Table, ...]


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("talentboard.reports", "templates"),
        autoescape=select_autoescape(["html", "jinja"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _present_table(table: Table, *, id: str, number: str, printed: bool = False) -> _Table:
    columns = tuple(_Column(c.label, is_numeric(c.kind)) for c in table.columns)
    shown = table.rows
    notes = table.notes
    if printed and table.printed is not None:
        shown = tuple(table.rows[i] for i in table.printed.rows)
        notes = (*notes, table.printed.note)
    rows = tuple(
        tuple(
            _Cell(
                text=format_cell(value, column.kind),
                numeric=is_numeric(column.kind),
                suppressed=isinstance(value, Suppressed),
            )
            for value, column in zip(row, table.columns, strict=True)
        )
        for row in shown
    )
    return _Table(id, number, table.caption, columns, rows, notes)


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _svg(chart: ChartSpec, drawn: Mapping[str, str]) -> str:
    """The chart's SVG: from ``drawn`` (SVGs already rendered, by chart name), else
    rendered now."""
    return drawn[chart.name] if chart.name in drawn else render_svg(chart)


def _inline_svg(chart: ChartSpec, drawn: Mapping[str, str]) -> Markup:
    """The chart's SVG, its internal ids made unique within the page."""
    svg = _svg(chart, drawn)
    svg = svg.removeprefix('<?xml version="1.0" encoding="utf-8"?>').strip()
    for found in set(_SVG_ID.findall(svg)):
        unique = f"{chart.name}-{found}"
        svg = svg.replace(f'id="{found}"', f'id="{unique}"')
        svg = svg.replace(f"url(#{found})", f"url(#{unique})")
        svg = svg.replace(f'href="#{found}"', f'href="#{unique}"')
    # The figure around it is the image, labelled with the chart's description; the
    # drawing's own marks are hidden from assistive technology rather than read one by one.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    # vl-convert escapes the text it draws, so the SVG is safe to embed as markup.
    return Markup(svg)  # noqa: S704


def _svg_image(chart: ChartSpec, drawn: Mapping[str, str]) -> str:
    """The chart's SVG as a ``data:`` URL: a document of its own, so its ids need no
    renaming."""
    svg = _svg(chart, drawn)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _present_chart(
    chart: ChartSpec, number: int, charts: ChartsAs, drawn: Mapping[str, str]
) -> _Chart:
    return _Chart(
        id=f"figure-{chart.name}",
        number=number,
        title=chart.title,
        description=chart.description,
        svg=_inline_svg(chart, drawn) if charts == "svg" else None,
        image=_svg_image(chart, drawn) if charts == "image" else None,
        table_id=f"data-{chart.name}",
        table_number=f"C{number}",
    )


def _present(report: Report, charts_as: ChartsAs, printed: bool, drawn: Mapping[str, str]) -> _Page:
    sections: list[_Section] = []
    chart_tables: list[_Table] = []
    figure = 0
    table_number = 0
    for section in report.sections:
        charts: list[_Chart] = []
        for chart in section.charts:
            figure += 1
            shown = _present_chart(chart, figure, charts_as, drawn)
            chart_tables.append(
                _present_table(chart.table, id=shown.table_id, number=shown.table_number)
            )
            charts.append(shown)
        tables: list[_Table] = []
        for table in section.tables:
            table_number += 1
            tables.append(
                _present_table(table, id=table.name, number=str(table_number), printed=printed)
            )
        headlines = tuple(
            _Headline(
                id=f"headline-{h.metric}",
                label=h.label,
                value=format_headline(h.value, h.kind),
                sentence=h.sentence,
                definition=h.definition,
            )
            for h in section.headlines
        )
        sections.append(
            _Section(
                id=section.name,
                heading=section.heading,
                paragraphs=section.paragraphs,
                headlines=headlines,
                charts=tuple(charts),
                tables=tuple(tables),
            )
        )
    contents = (
        _ContentsItem("summary", "Summary"),
        *(_ContentsItem(s.id, s.heading) for s in sections),
        _ContentsItem("methods", "Appendix A: methods and definitions"),
        _ContentsItem("disclosure", "Appendix B: disclosure control"),
        _ContentsItem("chart-data", "Appendix C: the data behind the charts"),
    )
    as_at = format_date(report.as_at)
    return _Page(
        title=report.title,
        description=f"{report.title}: {report.scope}, as at {as_at}.",
        scope=report.scope,
        as_at=as_at,
        summary=report.summary,
        disclosure_flag=(
            "Figures are published with disclosure control: * marks a value withheld "
            "because it rests on a small count (appendix B)."
        ),
        contents=contents,
        sections=tuple(sections),
        methods=report.methods,
        disclosure=report.disclosure,
        chart_tables=tuple(chart_tables),
    )


def render_html(
    report: Report,
    *,
    charts: ChartsAs = "svg",
    printed: bool = False,
    drawn: Mapping[str, str] | None = None,
) -> str:
    """The report as a self-contained HTML document, its charts as ``charts`` says.

    ``printed``: the page the PDF is made from, where a long table shows the rows its
    ``printed`` rule picks (model.Table) and says so. ``drawn``: charts already rendered
    to SVG, by name; the others are rendered here.
    """
    css = files("talentboard.reports").joinpath("templates/report.css").read_text("utf-8")
    template = _environment().get_template("report.html.jinja")
    page = _present(report, charts, printed, drawn or {})
    return template.render(page=page, css=Markup(css), version=__version__)  # noqa: S704
