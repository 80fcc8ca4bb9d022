"""A small report document written out by hand, for the renderer tests."""

from __future__ import annotations

import datetime as dt

from talentboard.reports.methods import CONVENTIONS, DEFINITIONS
from talentboard.reports.model import SUPPRESSED, Column, Headline, Report, Section, Table
from tests.reports.samples import sample_charts

BY_ROLE = Table(
    name="by_role",
    caption="Executive posts by role",
    sheet="By role",
    columns=(
        Column("role", "Role", "text"),
        Column("posts", "Executive posts", "count"),
        Column("vacant", "Vacant posts", "count"),
        Column("exec_vacancy_rate", "Vacancy rate", "share"),
        Column("median_tenure_years", "Median tenure (years)", "years"),
    ),
    rows=(
        ("Director of finance", 45, 10, 0.2222, 2.4),
        ("Director of operations", 40, SUPPRESSED, SUPPRESSED, None),
    ),
    notes=("Posts rounded to the nearest 5.",),
)


def sample_report() -> Report:
    charts = tuple(sample_charts())
    headlines = (
        Headline(
            metric="orgs_with_exec_vacancy_share",
            label="Organisations with an executive vacancy",
            value=0.3,
            kind="share",
            sentence="3 in 10 trusts have at least one executive director post without a "
            "substantive holder.",
            definition=DEFINITIONS[0].text,
            numerator=15,
            denominator=50,
        ),
        Headline(
            metric="median_tenure_years",
            label="Median tenure",
            value=2.14,
            kind="years",
            sentence="Half of executive spells end within 2.1 years.",
            definition=DEFINITIONS[3].text,
        ),
        Headline(
            metric="forced_exit_share_12m",
            label="Forced exits",
            value=SUPPRESSED,
            kind="share",
            sentence="Too few forced exits to publish.",
            definition=DEFINITIONS[7].text,
            numerator=SUPPRESSED,
            denominator=20,
        ),
    )
    return Report(
        title="Leadership stability report",
        as_at=dt.date(2026, 9, 30),
        scope="England",
        region_code=None,
        summary=("3 in 10 trusts have an executive vacancy.",),
        sections=(
            Section("headline-figures", "Headline figures", ("Figures at the date.",), headlines),
            Section("trends", "Trends", charts=charts[:1]),
            Section("tenure", "Tenure", charts=charts[1:2]),
            Section("roles", "Vacancy by role", charts=charts[2:3], tables=(BY_ROLE,)),
            Section("diversity", "Diversity", charts=charts[3:]),
        ),
        methods=(*CONVENTIONS, *DEFINITIONS),
        disclosure=("Counts of 1 to 7 are withheld.", "Other counts are rounded to 5."),
        workbook=(BY_ROLE, charts[0].table),
    )
