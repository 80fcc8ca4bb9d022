"""The board and leadership register: organisations, performance, posts, people, appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select

from talentboard import rules, vocab
from talentboard.db.models import Appointment, Organisation, Person, Post
from talentboard.db.models.register import PerformanceRating
from talentboard.ingest.cells import Boolean, Code, Date, Fraction, Integer, Text
from talentboard.ingest.report import Problem
from talentboard.ingest.schema import ROW, Column, Kind, Reference, RuleContext
from talentboard.ingest.tables import OneTable, query_frame_in
from talentboard.reference import ETHNIC_CODES, REGION_CODES, ROLE_CODES, ethnic_categories, roles

ORGANISATION = Reference("ods_code", Organisation, "ods_code", "organisation", "organisations")
PERSON = Reference("person_id", Person, "person_id", "person", "people", into="person_ref")
POST = Reference("post_id", Post, "post_id", "post", "posts", into="post_ref")

ORGANISATIONS = Kind(
    name="organisations",
    summary="NHS organisations: trusts, integrated care boards and others, by ODS code.",
    columns=(
        Column("ods_code", Text(12), "The organisation's ODS code, e.g. `RJ1`.", required=True),
        Column("name", Text(200), "The organisation's name.", required=True),
        Column("kind", Code(vocab.ORG_KINDS), "The kind of organisation.", required=True),
        Column(
            "region_code",
            Code(REGION_CODES, noun="region code"),
            "The NHS England region's ODS code.",
            required=True,
        ),
        Column("icb_code", Text(12), "The ODS code of the integrated care board (system)."),
        Column("staff_headcount", Integer(0, 2_000_000), "Staff headcount."),
        Column("bme_staff_share", Fraction(), "Share of staff from a BME background."),
        Column("opened_on", Date(), "The date the organisation opened.", extra=True),
        Column("closed_on", Date(), "The date the organisation closed.", extra=True),
    ),
    key=("ods_code",),
    mapping=OneTable(Organisation),
    orders=rules.ORGANISATION.orders,
)

PERFORMANCE = Kind(
    name="performance",
    summary="Each organisation's dated performance history: oversight segment and CQC rating.",
    columns=(
        Column("ods_code", Text(12), "The organisation rated.", required=True),
        Column("effective_from", Date(), "The date the rating took effect.", required=True),
        Column(
            "oversight_segment",
            Integer(min(vocab.OVERSIGHT_SEGMENTS), max(vocab.OVERSIGHT_SEGMENTS)),
            "NHS Oversight Framework segment, 1 (best) to 5 (most challenged).",
        ),
        Column(
            "cqc_rating",
            Code(vocab.CQC_RATINGS),
            "The Care Quality Commission's overall rating.",
        ),
    ),
    key=("ods_code", "effective_from"),
    references=(ORGANISATION,),
    mapping=OneTable(PerformanceRating),
)


def _role_default(attribute: str) -> pl.Expr:
    """The role catalogue's value of ``attribute`` for each row's role code."""
    table = {r.code: getattr(r, attribute) for r in roles()}
    return pl.col("role_code").replace_strict(table, default=None, return_dtype=pl.Boolean)


POSTS = Kind(
    name="posts",
    summary="Posts in organisations: board seats and leadership roles at every level.",
    columns=(
        Column("post_id", Text(64), "A stable identifier for the post.", required=True),
        Column("ods_code", Text(12), "The organisation the post is in.", required=True),
        Column(
            "role_code",
            Code(ROLE_CODES, noun="role code"),
            "The role, from the role catalogue.",
            required=True,
        ),
        Column("title", Text(200), "The post's title as the organisation uses it.", required=True),
        Column("level", Code(vocab.POST_LEVELS), "The level of the post.", required=True),
        Column(
            "executive",
            Boolean(),
            "Whether it is an executive post.",
            when_empty=_role_default("executive"),
            empty_means="the role catalogue's value for the role",
        ),
        Column(
            "voting",
            Boolean(),
            "Whether the post holder votes on the board.",
            when_empty=_role_default("voting"),
            empty_means="the role catalogue's value for the role",
        ),
        Column("established_from", Date(), "The date the post was established."),
        Column("established_to", Date(), "The date the post was disestablished."),
    ),
    key=("post_id",),
    references=(ORGANISATION,),
    orders=rules.POST.orders,
    mapping=OneTable(Post),
)

PEOPLE = Kind(
    name="people",
    summary=(
        "People who hold or may hold posts. Ethnicity and disability are special category data."
    ),
    columns=(
        Column("person_id", Text(64), "A stable identifier for the person.", required=True),
        Column("given_name", Text(100), "Given name.", required=True),
        Column("family_name", Text(100), "Family name.", required=True),
        Column(
            "ethnic_category",
            Code(
                ETHNIC_CODES,
                noun="NHS Data Dictionary ethnic category code or label",
                aliases={c.label: c.code for c in ethnic_categories()},
            ),
            "NHS Data Dictionary ethnic category: the code or its label.",
        ),
        Column("sex", Code(vocab.SEXES), "Sex."),
        Column("disability", Code(vocab.DISABILITY), "Whether the person declares a disability."),
        Column(
            "professional_background",
            Code(vocab.PROFESSIONAL_BACKGROUNDS),
            "Professional background.",
        ),
        Column("birth_year", Integer(1900, 2100), "Year of birth."),
        Column("employee_number", Text(32), "ESR employee number.", extra=True),
    ),
    key=("person_id",),
    mapping=OneTable(Person),
)


@dataclass(frozen=True, slots=True)
class _Spell:
    start: dt.date
    end: dt.date | None
    kind: str
    row: int | None

    def ends_after(self, other: _Spell) -> bool:
        return other.end is not None and (self.end is None or self.end > other.end)

    def describe(self) -> str:
        where = f"row {self.row}" if self.row is not None else "already in the database"
        return (
            f"overlaps the {self.kind} appointment to this post from {self.start} "
            f"to {self.end or 'open'} ({where})"
        )


def overlapping_substantive(context: RuleContext) -> Iterable[Problem]:
    """A person may not hold two substantive (or joint) appointments to one post at once.

    Appointments are intervals ``[start_date, end_date)``, an empty end meaning still open.
    The file's rows are checked against each other and against the appointments already
    stored for the same people (a stored appointment with the same key as a file row is
    replaced by it, so it is left out). The later-starting appointment of a pair is
    reported, or the file's row when the other is already stored.
    """
    columns = ["person_ref", "post_ref", "start_date", "end_date", "appointment_type"]
    key = ["person_ref", "post_ref", "start_date"]
    substantive = pl.col("appointment_type").is_in(vocab.SUBSTANTIVE_TYPES)
    # Rows with an unreadable end date, or a duplicate key, have their own problem.
    readable = context.raw.select(ROW, pl.col("end_date").is_null().alias("_no_end"))
    rows = (
        context.frame.join(readable, on=ROW)
        .filter(
            pl.all_horizontal(pl.col(c).is_not_null() for c in key)
            & substantive
            & (pl.col("_no_end") | pl.col("end_date").is_not_null())
        )
        .select(*columns, ROW)
        .unique(subset=key, keep="first", maintain_order=True)
    )
    if rows.is_empty():
        return []
    stored = (
        query_frame_in(
            context.session,
            select(Appointment.id, *(getattr(Appointment, c) for c in columns)),
            Appointment.person_ref,
            rows["person_ref"].unique().to_list(),
        )
        .filter(substantive & ~pl.col("id").is_in(list(context.replacing)))
        .drop("id")
    )
    stored = stored.join(rows, on=key, how="anti").with_columns(
        pl.lit(None, dtype=pl.Int64).alias(ROW)
    )
    spells = pl.concat([rows, stored])
    groups = spells.filter(pl.len().over("person_ref", "post_ref") > 1).sort(key)
    found: list[tuple[int, str]] = []
    group: tuple[int, int] | None = None
    latest = _Spell(dt.date.min, None, "", None)
    for person, post, start, end, kind, row in groups.iter_rows():
        spell = _Spell(start, end, kind, row)
        if (person, post) != group:
            group, latest = (person, post), spell
            continue
        if latest.end is None or spell.start < latest.end:
            if spell.row is not None:
                found.append((spell.row, latest.describe()))
            elif latest.row is not None:
                found.append((latest.row, spell.describe()))
        if spell.ends_after(latest):
            latest = spell
    frame = pl.DataFrame(found, schema={ROW: pl.Int64, "reason": pl.String}, orient="row")
    return context.problems(frame, "start_date")


APPOINTMENTS = Kind(
    name="appointments",
    summary="Who held which post, from when to when, and on what basis.",
    columns=(
        Column("person_id", Text(64), "The person appointed.", required=True),
        Column("post_id", Text(64), "The post.", required=True),
        Column("start_date", Date(), "The first day in post.", required=True),
        Column("end_date", Date(), "The day the appointment ended; empty while serving."),
        Column(
            "appointment_type",
            Code(vocab.APPOINTMENT_TYPES),
            "The basis of the appointment.",
            required=True,
        ),
        Column("end_reason", Code(vocab.END_REASONS), "Why the appointment ended."),
        Column("exit_notes", Text(4000), "Notes from the exit conversation.", extra=True),
    ),
    key=("person_id", "post_id", "start_date"),
    references=(PERSON, POST),
    orders=rules.APPOINTMENT.orders,
    requires=rules.APPOINTMENT.requires,
    rules=(overlapping_substantive,),
    rule_docs=(
        "A person may not hold two substantive (or joint) appointments to the same post at "
        "the same time: appointments are the intervals [start_date, end_date), an empty "
        "end_date meaning still serving, checked across the file and the appointments "
        "already in the database.",
    ),
    mapping=OneTable(Appointment),
)
