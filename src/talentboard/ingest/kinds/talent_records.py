"""Talent records: Scope for Growth conversations, Fit and Proper Person checks, appraisals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from talentboard import rules, vocab
from talentboard.db.models import (
    AppraisalRecord,
    CareerConversation,
    DevelopmentAction,
    FitAndProperCheck,
    Person,
)
from talentboard.ingest.agreement import disagreeing
from talentboard.ingest.cells import Boolean, CellType, Code, CodeList, Date, Integer, Text
from talentboard.ingest.kinds.register import PERSON
from talentboard.ingest.report import Problem, TableCounts
from talentboard.ingest.schema import ROW, Batch, Column, Kind, RuleContext
from talentboard.ingest.tables import OneTable, ParentChildMapping, TableMapping
from talentboard.reference import framework, programmes

PROGRAMME_CODES = tuple(p.code for p in programmes())
LCF_DOMAINS = framework("lcf2024").domain_codes
NO_ACTION = ""
ACTION_MAX = 1000


# Conversations -----------------------------------------------------------------------

CONVERSATION_FIELDS = ("held_with", "impact", "growth", "growth_wanted", "summary")
ACTION_FIELDS = ("opportunity_kind", "programme_code", "due_on", "status")


def one_conversation_per_date(context: RuleContext) -> Iterable[Problem]:
    """Rows of one person's conversation on one date describe that conversation alike."""
    return disagreeing(
        context,
        ["person_id", "held_on"],
        dict.fromkeys(
            CONVERSATION_FIELDS,
            "a conversation has one placement, one growth wanted and one summary",
        ),
        named="person_id and held_on",
    )


CONVERSATIONS = Kind(
    name="conversations",
    summary=(
        "Scope for Growth career conversations and their development plans: one row per "
        "action agreed (or one row for a conversation with no action)."
    ),
    columns=(
        Column("person_id", Text(64), "The person the conversation was with.", required=True),
        Column("held_on", Date(), "The date of the conversation.", required=True),
        Column("held_with", Text(200), "Who held it (normally the line manager)."),
        Column("impact", Code(vocab.AXIS_LEVELS), "Where the person sits on the impact axis."),
        Column("growth", Code(vocab.AXIS_LEVELS), "Where the person sits on the growth axis."),
        Column("growth_wanted", Code(vocab.GROWTH_WANTED), "The growth the person wants."),
        Column("summary", Text(4000), "A summary of the conversation."),
        Column(
            "action",
            Text(ACTION_MAX),
            "One action of the aspirational development plan.",
            when_empty=NO_ACTION,
            empty_means="no action: a conversation without a plan",
        ),
        Column(
            "opportunity_kind",
            Code(vocab.OPPORTUNITY_KINDS),
            "The kind of opportunity the action is (secondment, board shadowing, ...).",
        ),
        Column(
            "programme_code",
            Code(PROGRAMME_CODES, noun="programme code"),
            "The programme the action is, from the programme catalogue.",
        ),
        Column("due_on", Date(), "When the action is due."),
        Column(
            "status",
            Code(vocab.PLAN_ACTION_STATUSES),
            "The action's status.",
            when_empty="planned",
            empty_means="`planned`",
        ),
    ),
    key=("person_id", "held_on", "action"),
    references=(PERSON,),
    requires=rules.DEVELOPMENT_ACTION.requires,
    rules=(one_conversation_per_date,),
    rule_docs=(
        "`held_with`, `impact`, `growth`, `growth_wanted` and `summary` describe the "
        "conversation: rows of the same person and `held_on` must agree on them. An action "
        "is named once per conversation; importing it again updates its kind, programme, "
        "due date and status.",
    ),
    mapping=ParentChildMapping(
        parent=TableMapping(
            CareerConversation,
            key=("person_ref", "held_on"),
            columns=CONVERSATION_FIELDS,
            references=(PERSON,),
        ),
        child=TableMapping(
            DevelopmentAction, key=("conversation_ref", "action"), columns=ACTION_FIELDS
        ),
        link="conversation_ref",
        no_child={"action": NO_ACTION},
    ),
)


# Fit and Proper Person checks --------------------------------------------------------

FPPT = Kind(
    name="fppt",
    summary=(
        "Fit and Proper Person Test checks of board members (NHS England framework, 2023): "
        "one row per check done."
    ),
    columns=(
        Column("person_id", Text(64), "The board member (or candidate) checked.", required=True),
        Column(
            "check_type", Code(vocab.FPPT_CHECKS, noun="check type"), "The check.", required=True
        ),
        Column("outcome", Code(vocab.FPPT_OUTCOMES), "What the check found.", required=True),
        Column("checked_on", Date(), "The date of the check.", required=True),
        Column(
            "next_due_on",
            Date(),
            "When the check is next due.",
            empty_means="the framework's renewal period after `checked_on`",
        ),
        Column("checked_by", Text(200), "Who did the check."),
        Column("notes", Text(), "Notes, such as the mitigation agreed for a concern."),
    ),
    key=("person_id", "check_type", "checked_on"),
    references=(PERSON,),
    orders=rules.FPPT_CHECK.orders,
    rule_docs=(
        "A check done again on another date is a new row: the history is kept, and the "
        "latest row is the check's current state.",
    ),
    mapping=OneTable(FitAndProperCheck),
)


# Appraisals --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextList(CellType):
    """Free-text items separated by ``;`` (each item's surrounding spaces removed)."""

    dtype: pl.DataType = field(default=pl.List(pl.String()), init=False)

    def parse(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        items = (
            raw.str.split(";")
            .list.eval(pl.element().str.strip_chars())
            .list.eval(pl.element().filter(pl.element() != ""))
        )
        values = pl.select(pl.when(items.list.len() > 0).then(items).otherwise(None)).to_series()
        return values.alias(raw.name), pl.Series(raw.name, [None] * len(raw), dtype=pl.String)

    def describe(self) -> str:
        return "text items separated by `;`"

    def to_text(self, values: pl.Series) -> pl.Series:
        return values.list.join(";").fill_null("")

    def to_cell(self, value: Any) -> Any:
        return ";".join(value) if value is not None else None


APPRAISAL_FIELDS = (
    "period_start",
    "appraised_on",
    "appraiser",
    "multi_source_feedback",
    "domain_ratings",
    "objectives",
    "edi_objective",
    "development_needs",
    "programmes_attended",
    "year_count",
)
APPRAISAL_EXTRA_DEFAULTS = {"year_count": None}


def edi_objective_when_appraised(context: RuleContext) -> Iterable[Problem]:
    """A completed appraisal (with an appraisal date) has an equality, diversity and
    inclusion objective, as the 2025 framework requires."""
    missing = context.frame.filter(
        pl.col("appraised_on").is_not_null() & pl.col("edi_objective").is_null()
    ).select(
        ROW,
        pl.lit(
            "a completed appraisal (with appraised_on) needs an equality, diversity and "
            "inclusion objective"
        ).alias("reason"),
    )
    return context.problems(missing, "edi_objective")


def _appraisal_values(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "person_ref": row["person_ref"],
        "period_end": row["period_end"],
        "period_start": row["period_start"],
        "appraised_on": row["appraised_on"],
        "appraiser": row["appraiser"],
        "multi_source_feedback": bool(row["multi_source_feedback"]),
        "domain_ratings": {d: row[d] for d in LCF_DOMAINS if row[d] is not None},
        "objectives": list(row["objectives"] or []),
        "edi_objective": row["edi_objective"],
        "development_needs": row["development_needs"],
        "programmes_attended": list(row["programmes_attended"] or []),
        "year_count": row["year_count"],
    }


@dataclass(frozen=True)
class AppraisalMapping:
    """One appraisal per person and period end; the six LCF domain columns become the
    record's domain ratings."""

    @property
    def tables(self) -> tuple[str, ...]:
        return ("appraisal_records",)

    def load(self, session: Session, batch: Batch) -> dict[str, TableCounts]:
        rows, present = batch.rows, batch.present
        people = sorted(set(rows["person_ref"].to_list()))
        stored: dict[tuple[int, dt.date], AppraisalRecord] = {}
        for start in range(0, len(people), 1000):
            chunk = people[start : start + 1000]
            for record in session.scalars(
                select(AppraisalRecord).where(AppraisalRecord.person_ref.in_(chunk))
            ):
                stored[(record.person_ref, record.period_end)] = record
        compared = [f for f in APPRAISAL_FIELDS if f != "year_count" or "year_count" in present]
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        unchanged = 0
        for row in rows.iter_rows(named=True):
            values = _appraisal_values(row)
            existing = stored.get((values["person_ref"], values["period_end"]))
            if existing is None:
                if "year_count" not in present:
                    values["year_count"] = APPRAISAL_EXTRA_DEFAULTS["year_count"]
                new.append(values)
            elif any(getattr(existing, f) != values[f] for f in compared):
                changed.append({"id": existing.id, **{f: values[f] for f in compared}})
            else:
                unchanged += 1
        if batch.write and (new or changed):
            batch.progress.start("Writing appraisal_records", len(new) + len(changed))
            if new:
                session.execute(insert(AppraisalRecord), new)
            if changed:
                session.execute(update(AppraisalRecord), changed)
            batch.progress.advance(len(new) + len(changed))
        return {"appraisal_records": TableCounts(len(new), len(changed), unchanged)}

    def export(self, session: Session) -> pl.DataFrame:
        rows = []
        for record, person_id in session.execute(
            select(AppraisalRecord, Person.person_id).join(
                Person, Person.id == AppraisalRecord.person_ref
            )
        ):
            ratings = record.domain_ratings or {}
            rows.append(
                {
                    "person_id": person_id,
                    "period_start": record.period_start,
                    "period_end": record.period_end,
                    "appraised_on": record.appraised_on,
                    "appraiser": record.appraiser,
                    "multi_source_feedback": record.multi_source_feedback,
                    **{d: ratings.get(d) for d in LCF_DOMAINS},
                    "objectives": record.objectives or None,
                    "edi_objective": record.edi_objective,
                    "development_needs": record.development_needs,
                    "programmes_attended": record.programmes_attended or None,
                    "year_count": record.year_count,
                }
            )
        schema = {c.name: c.type.dtype for c in APPRAISALS.columns}
        return pl.DataFrame(rows, schema=schema)


APPRAISALS = Kind(
    name="appraisals",
    summary=(
        "Board member appraisals (national board member appraisal framework, 2025): one row "
        "per person and appraisal period."
    ),
    columns=(
        Column("person_id", Text(64), "The board member appraised.", required=True),
        Column("period_start", Date(), "The first day of the period appraised.", required=True),
        Column("period_end", Date(), "The last day of the period appraised.", required=True),
        Column("appraised_on", Date(), "The date of the appraisal meeting."),
        Column("appraiser", Text(200), "Who appraised (the chair, for most members)."),
        Column(
            "multi_source_feedback",
            Boolean(),
            "Whether multi-source (360) feedback informed the appraisal.",
            when_empty=False,
            empty_means="`false`",
        ),
        *(
            Column(
                domain,
                Integer(1, 4),
                f"The rating agreed for the LCF domain '{framework('lcf2024').domains[i].name}': "
                "1 rarely or never to 4 almost always.",
                empty_means="not rated",
            )
            for i, domain in enumerate(LCF_DOMAINS)
        ),
        Column("objectives", TextList(), "The objectives agreed, separated by `;`."),
        Column(
            "edi_objective",
            Text(),
            "The objective on equality, diversity and inclusion.",
        ),
        Column("development_needs", Text(), "The development needs agreed."),
        Column(
            "programmes_attended",
            CodeList(PROGRAMME_CODES, noun="programme code"),
            "Programmes attended in the period.",
            when_empty=[],
            empty_means="none",
        ),
        Column(
            "year_count",
            Integer(minimum=1),
            "Which year of the member's term the period is.",
            extra=True,
        ),
    ),
    key=("person_id", "period_end"),
    references=(PERSON,),
    orders=rules.APPRAISAL.orders,
    rules=(edi_objective_when_appraised,),
    rule_docs=(
        "A completed appraisal, one with an `appraised_on` date, needs an `edi_objective`. "
        "The six domain columns (`outcomes` to `partnerships`) are the LCF 2024 domains; "
        "an empty one is not rated.",
    ),
    mapping=AppraisalMapping(),
)
