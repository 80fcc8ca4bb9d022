"""Development opportunities offered across organisations."""

from __future__ import annotations

from talentboard import rules, vocab
from talentboard.db.models import Opportunity, Organisation
from talentboard.ingest.cells import Code, CodeList, Date, Integer, Text
from talentboard.ingest.kinds.talent import DOMAIN_CODES
from talentboard.ingest.schema import Column, Kind, Reference
from talentboard.ingest.tables import OneTable

HOST = Reference("host_ods_code", Organisation, "ods_code", "organisation", "organisations")

OPPORTUNITIES = Kind(
    name="opportunities",
    summary="Secondments, stretch assignments, board shadowing, projects and programme places.",
    columns=(
        Column("opportunity_id", Text(64), "A stable identifier.", required=True),
        Column("kind", Code(vocab.OPPORTUNITY_KINDS), "The kind of opportunity.", required=True),
        Column("host_ods_code", Text(12), "The organisation offering it.", required=True),
        Column("title", Text(200), "A short title.", required=True),
        Column(
            "develops",
            CodeList(DOMAIN_CODES, noun="framework domain code"),
            "The framework domains (lcf2024) or dimensions (hlm) it develops.",
            when_empty=[],
            empty_means="none named",
        ),
        Column(
            "levels",
            CodeList(vocab.POST_LEVELS, noun="post level"),
            "The post levels eligible.",
            required=True,
        ),
        Column(
            "capacity",
            Integer(1, 10_000),
            "How many people it can take.",
            when_empty=1,
            empty_means="1",
        ),
        Column("starts_on", Date(), "The first day."),
        Column("ends_on", Date(), "The last day."),
        Column(
            "status",
            Code(vocab.OPPORTUNITY_STATUSES),
            "Whether it is open.",
            extra=True,
            when_empty="open",
            empty_means="`open`",
        ),
        Column("description", Text(4000), "A longer description.", extra=True),
    ),
    key=("opportunity_id",),
    references=(HOST,),
    orders=rules.OPPORTUNITY.orders,
    mapping=OneTable(Opportunity),
)
