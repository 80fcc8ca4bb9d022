"""``talentboard match``: development opportunities, vacancy shortlists, buddying, decisions.

Thin commands: parse the options, call :mod:`talentboard.matching.services` or
:mod:`talentboard.matching.store`, print a table or JSON. ``match opportunities`` and
``match buddies`` store their run (unless ``--dry-run``), so that people can accept or
decline each proposal with ``match decide``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from talentboard.cli.app import CliError, DbOption, app, engine_for
from talentboard.cli.report import parse_as_at
from talentboard.db import session_factory
from talentboard.reference import REGION_CODES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from talentboard.db.models import BuddyPairing, MatchProposal

__all__ = ["match_app"]

match_app = typer.Typer(
    name="match",
    help="Match people to development opportunities, shortlist for vacancies, pair buddies.",
    no_args_is_help=True,
)
app.add_typer(match_app, name="match")


class Format(StrEnum):
    table = "table"
    json = "json"


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="The date: YYYY-MM-DD, DD/MM/YYYY or 'demo' (default today).",
        show_default=False,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="One NHS England region (e.g. Y56).", show_default=False),
]
AllPairsOption = Annotated[
    bool,
    typer.Option("--all-pairs", help="Also list every eligible pair with its score."),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show the result without storing the run.")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who is running or deciding, for the record.", show_default=False),
]


def _region(region: str | None) -> str | None:
    if region is not None and region not in REGION_CODES:
        raise CliError(
            f"--region {region!r}: not an NHS England region code ({', '.join(REGION_CODES)})",
            exit_code=2,
        )
    return region


def _print_json(document: Any) -> None:
    typer.echo(json.dumps(document, indent=2))


def _indent(lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"    {line}")


def _parse_share(text: str) -> tuple[str, Fraction]:
    """``GROUP=SHARE`` with SHARE a fraction (0.3), a percentage (30%) or a ratio (3/10)."""
    group, sep, value = text.partition("=")
    if not sep:
        raise CliError(f"--min-share {text!r}: use GROUP=SHARE, e.g. bme=0.3", exit_code=2)
    value = value.strip()
    try:
        share = Fraction(value[:-1]) / 100 if value.endswith("%") else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise CliError(f"--min-share {text!r}: {value!r} is not a share", exit_code=2) from None
    return group.strip(), share


@match_app.command("opportunities")
def opportunities_command(
    at: AtOption = None,
    output: FormatOption = Format.table,
    all_pairs: AllPairsOption = False,
    region: RegionOption = None,
    source_limit: Annotated[
        int | None,
        typer.Option(
            "--source-limit",
            help="At most N people from one source organisation at one host organisation.",
            show_default=False,
        ),
    ] = None,
    min_share: Annotated[
        str | None,
        typer.Option(
            "--min-share",
            help="A minimum share of places for a group: GROUP=SHARE (bme, disabled, women).",
            show_default=False,
        ),
    ] = None,
    positive_action: Annotated[
        str | None,
        typer.Option(
            "--positive-action",
            help=(
                "Positive action (Equality Act 2010 s.158) for under-represented groups, "
                "comma-separated: bme, disabled, women. Off unless given; always shown."
            ),
            show_default=False,
        ),
    ] = None,
    positive_action_points: Annotated[
        int,
        typer.Option("--positive-action-points", help="Points positive action adds."),
    ] = 10,
    dry_run: DryRunOption = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Propose development opportunities to people: the exact best allocation, with reasons."""
    from talentboard.matching.assignment import InfeasibleAllocationError
    from talentboard.matching.opportunities import MatchSettings, MinShare
    from talentboard.matching.scoring import PositiveAction, ScoringWeights
    from talentboard.matching.services import run_opportunity_match
    from talentboard.progress import reporter

    day = parse_as_at(at)
    try:
        action = None
        if positive_action:
            groups = tuple(g.strip() for g in positive_action.split(",") if g.strip())
            action = PositiveAction(groups=groups, points=positive_action_points)
        share = None
        if min_share:
            share = MinShare(*_parse_share(min_share))
        settings = MatchSettings(
            weights=ScoringWeights(positive_action=action),
            source_limit=source_limit,
            min_share=share,
        )
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    engine = engine_for(db)
    with session_factory(engine).begin() as session, reporter() as progress:
        try:
            result, run_ref = run_opportunity_match(
                session,
                day,
                settings,
                region=_region(region),
                save=not dry_run,
                created_by=by,
                progress=progress,
            )
        except InfeasibleAllocationError as exc:
            raise CliError(str(exc)) from exc
        proposal_ids: dict[tuple[int, int], int] = {}
        if run_ref is not None:
            from talentboard.db.models import MatchProposal

            for proposal in session.query(MatchProposal).filter_by(run_ref=run_ref):
                proposal_ids[(proposal.person_ref, proposal.opportunity_ref)] = proposal.id
    if output is Format.json:
        _print_json(result.to_json(all_pairs=all_pairs))
        if run_ref is not None:
            typer.echo(f"Stored as run {run_ref}.", err=True)
        return
    assignments = result.assignments
    typer.echo(
        f"Development opportunities at {day.isoformat()}: {assignments.height} assignment(s), "
        f"total score {result.total_score} (exact optimum, method: "
        f"{result.method.replace('_', ' ')}); {result.unassigned.height} candidate(s) "
        "unassigned."
    )
    if run_ref is not None:
        typer.echo(
            f"Stored as run {run_ref}: record decisions with "
            "'talentboard match decide PROPOSAL accept|decline'."
        )
    if assignments.height:
        typer.echo("")
        typer.echo(f"{'PROPOSAL':<9}{'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}  STATUS")
    for row in assignments.iter_rows(named=True):
        key = (row["person_ref"], row["opportunity_ref"])
        ident = row["proposal_ref"] if row["kept"] else proposal_ids.get(key)
        status = "accepted (kept)" if row["kept"] else "proposed"
        typer.echo(
            f"{ident if ident is not None else '-'!s:<9}{row['person_id']:<14}"
            f"{row['opportunity_id']:<16}{row['score']:>6}  {status}"
        )
        _indent(list(row["reasons"]))
    if result.unassigned.height:
        typer.echo("")
        typer.echo("Unassigned:")
        for row in result.unassigned.iter_rows(named=True):
            typer.echo(f"  {row['person_id']}: {row['reason']}")
    if all_pairs:
        typer.echo("")
        typer.echo(f"Eligible pairs ({result.eligible_pairs.height}):")
        typer.echo(f"  {'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}")
        for person_id, opportunity_id, score in result.eligible_pairs.select(
            "person_id", "opportunity_id", "score"
        ).iter_rows():
            typer.echo(f"  {person_id:<14}{opportunity_id:<16}{score:>6}")


@match_app.command("vacancy")
def vacancy_command(
    post_id: Annotated[str, typer.Argument(help="The post's external id (post_id).")],
    at: AtOption = None,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Shortlist people ready for a post's role, ranked by framework fit and breadth."""
    from talentboard.matching.services import UnknownPostError, shortlist_for_post

    day = parse_as_at(at)
    engine = engine_for(db)
    with session_factory(engine)() as session:
        try:
            shortlist = shortlist_for_post(session, post_id, day)
        except UnknownPostError as exc:
            raise CliError(str(exc), exit_code=2) from exc
    if output is Format.json:
        _print_json(shortlist.to_json())
        return
    post = shortlist.post
    typer.echo(
        f"Shortlist for {post.post_id} ({post.title}, {post.ods_code}) at {day.isoformat()}: "
        f"{shortlist.candidates.height} ready now or within 1-2 years."
    )
    for row in shortlist.candidates.iter_rows(named=True):
        typer.echo(f"{row['rank']:>3}. {row['person_id']:<14} score {row['score']}")
        _indent(list(row["reasons"]))
    for row in shortlist.excluded.iter_rows(named=True):
        typer.echo(f"  not shortlisted: {row['person_id']}: {row['reason']}")
    if shortlist.not_ready:
        typer.echo(f"  {shortlist.not_ready} more aim for this role but are not yet ready.")


@match_app.command("buddies")
def buddies_command(
    at: AtOption = None,
    region: RegionOption = None,
    capacity: Annotated[
        int, typer.Option("--capacity", help="Buddying places per strong organisation.")
    ] = 1,
    output: FormatOption = Format.table,
    all_pairs: AllPairsOption = False,
    dry_run: DryRunOption = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Pair challenged organisations with strong ones that have stable boards."""
    from talentboard.matching.buddying import BuddySettings
    from talentboard.matching.services import run_buddying

    day = parse_as_at(at)
    try:
        settings = BuddySettings(capacity=capacity, region=_region(region))
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        result, run_ref = run_buddying(session, day, settings, save=not dry_run, created_by=by)
        pairing_ids: dict[str, int] = {}
        if run_ref is not None:
            from talentboard.db.models import BuddyPairing

            for pairing in session.query(BuddyPairing).filter_by(run_ref=run_ref):
                pairing_ids[pairing.challenged_ods_code] = pairing.id
    if output is Format.json:
        _print_json(result.to_json(all_pairs=all_pairs))
        if run_ref is not None:
            typer.echo(f"Stored as run {run_ref}.", err=True)
        return
    typer.echo(
        f"Buddying at {day.isoformat()}: {result.pairs.height} pair(s), total score "
        f"{result.total_score} (exact optimum)."
    )
    if run_ref is not None:
        typer.echo(
            f"Stored as run {run_ref}: record decisions with "
            "'talentboard match decide-pairing PAIRING accept|decline'."
        )
    for row in result.pairs.iter_rows(named=True):
        ident = pairing_ids.get(row["challenged_ods_code"], "-")
        typer.echo(
            f"{ident!s:<6}{row['challenged_ods_code']} with {row['strong_ods_code']}: "
            f"score {row['score']}"
        )
        _indent(list(row["reasons"]))
    if result.unpaired.height:
        typer.echo("")
        typer.echo("Unpaired:")
        for row in result.unpaired.iter_rows(named=True):
            typer.echo(f"  {row['ods_code']} ({row['side']}): {row['reason']}")
    if all_pairs:
        typer.echo("")
        typer.echo(f"Eligible pairs ({result.eligible_pairs.height}):")
        for c, s, score in result.eligible_pairs.select(
            "challenged_ods_code", "strong_ods_code", "score"
        ).iter_rows():
            typer.echo(f"  {c} with {s}: {score}")


DecisionArgument = Annotated[str, typer.Argument(help="accept, decline or reopen.")]


def _decide(
    db: str | None,
    decide: Callable[[Session, int, str, str | None], BuddyPairing | MatchProposal],
    ref: int,
    decision: str,
    by: str | None,
) -> str:
    """Record the decision in one transaction; the row's status after it."""
    from talentboard.matching.store import DecisionError

    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            row = decide(session, ref, decision.strip().lower(), by)
        except DecisionError as exc:
            raise CliError(str(exc), exit_code=exc.exit_code) from exc
        return row.status


@match_app.command("decide")
def decide_command(
    proposal: Annotated[int, typer.Argument(help="The proposal's number.")],
    decision: DecisionArgument,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Accept or decline a proposed opportunity (reopen puts it back to proposed)."""
    from talentboard.matching.store import decide_proposal

    status = _decide(db, decide_proposal, proposal, decision, by)
    typer.echo(f"Proposal {proposal} is now {status}.")


@match_app.command("decide-pairing")
def decide_pairing_command(
    pairing: Annotated[int, typer.Argument(help="The buddy pairing's number.")],
    decision: DecisionArgument,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Accept or decline a proposed buddy pairing."""
    from talentboard.matching.store import decide_pairing

    status = _decide(db, decide_pairing, pairing, decision, by)
    typer.echo(f"Buddy pairing {pairing} is now {status}.")


@match_app.command("proposals")
def proposals_command(
    run: Annotated[
        int | None, typer.Option("--run", help="Only this run.", show_default=False)
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="proposed, accepted or declined.", show_default=False),
    ] = None,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """List stored proposals with their status."""
    from talentboard import vocab
    from talentboard.matching.store import list_proposals

    if status is not None and status not in vocab.PROPOSAL_STATUSES:
        raise CliError(
            f"--status {status!r}: use {', '.join(vocab.PROPOSAL_STATUSES)}", exit_code=2
        )
    engine = engine_for(db)
    with session_factory(engine)() as session:
        frame = list_proposals(session, run, status)
    if output is Format.json:
        _print_json(
            [{**row, "as_at": row["as_at"].isoformat()} for row in frame.iter_rows(named=True)]
        )
        return
    typer.echo(f"{'PROPOSAL':<9}{'RUN':<5}{'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}  STATUS")
    for row in frame.iter_rows(named=True):
        typer.echo(
            f"{row['proposal_ref']!s:<9}{row['run_ref']!s:<5}{row['person_id']:<14}"
            f"{row['opportunity_id']:<16}{row['score']:>6}  {row['status']}"
        )
