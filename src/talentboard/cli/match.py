"""``talentboard match``: development opportunities, vacancy shortlists, buddying, decisions.

Thin commands: parse the options, call :mod:`talentboard.matching.services` or
:mod:`talentboard.matching.store`, print a table or JSON. ``match opportunities`` and
``match buddies`` store their run (unless ``--dry-run``), so that people can accept or
decline each proposal with ``match decide``.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import (
    AtOption,
    DbOption,
    Format,
    FormatOption,
    RegionOption,
    check_region,
    parse_as_at,
    print_json,
)

if TYPE_CHECKING:
    import datetime as dt

    import polars as pl
    from sqlalchemy.orm import Session

    from talentboard.db.models import BuddyPairing, MatchProposal
    from talentboard.matching.buddying import BuddyResult
    from talentboard.matching.opportunities import MatchResult, MatchSettings

__all__ = ["match_app"]

match_app = typer.Typer(
    name="match",
    help="Match people to development opportunities, shortlist for vacancies, pair buddies.",
    no_args_is_help=True,
)
app.add_typer(match_app, name="match")


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
SourceLimitOption = Annotated[
    int | None,
    typer.Option(
        "--source-limit",
        help="At most N people from one source organisation at one host organisation.",
        show_default=False,
    ),
]
MinShareOption = Annotated[
    str | None,
    typer.Option(
        "--min-share",
        help="A minimum share of places for a group: GROUP=SHARE (bme, disabled, women).",
        show_default=False,
    ),
]
PositiveActionOption = Annotated[
    str | None,
    typer.Option(
        "--positive-action",
        help=(
            "Positive action (Equality Act 2010 s.158) for under-represented groups, "
            "comma-separated: bme, disabled, women. Off unless given; always shown."
        ),
        show_default=False,
    ),
]
PositiveActionPointsOption = Annotated[
    int, typer.Option("--positive-action-points", help="Points positive action adds.")
]


def _indent(lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"    {line}")


def _section(*lines: str) -> None:
    """Lines set off by a blank line before them."""
    for line in ("", *lines):
        typer.echo(line)


def _rows(title: str, frame: pl.DataFrame, line: str, *header: str) -> None:
    """A section: ``title``, ``header``, then each row as ``line``, formatted by column."""
    _section(title, *header, *(line.format(**row) for row in frame.iter_rows(named=True)))


def _stored_ids(
    session: Session, model: type[Any], run_ref: int | None, key: Callable[[Any], Any]
) -> dict[Any, int]:
    """The stored rows of the run, by ``key``, so that the printed table can number them."""
    if run_ref is None:
        return {}
    return {key(row): row.id for row in session.query(model).filter_by(run_ref=run_ref)}


def _print_run_json(
    result: MatchResult | BuddyResult, all_pairs: bool, run_ref: int | None
) -> None:
    print_json(result.to_json(all_pairs=all_pairs))
    if run_ref is not None:
        typer.echo(f"Stored as run {run_ref}.", err=True)


def _print_stored(run_ref: int | None, decide: str) -> None:
    if run_ref is not None:
        typer.echo(
            f"Stored as run {run_ref}: record decisions with "
            f"'talentboard match {decide} accept|decline'."
        )


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


def _match_settings(
    source_limit: int | None,
    min_share: str | None,
    positive_action: str | None,
    positive_action_points: int,
) -> MatchSettings:
    from talentboard.matching.opportunities import MatchSettings, MinShare
    from talentboard.matching.scoring import PositiveAction, ScoringWeights

    try:
        action = None
        if positive_action:
            groups = tuple(g.strip() for g in positive_action.split(",") if g.strip())
            action = PositiveAction(groups=groups, points=positive_action_points)
        share = None
        if min_share:
            share = MinShare(*_parse_share(min_share))
        return MatchSettings(
            weights=ScoringWeights(positive_action=action),
            source_limit=source_limit,
            min_share=share,
        )
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc


def _print_opportunities(
    day: dt.date,
    result: MatchResult,
    run_ref: int | None,
    proposal_ids: dict[tuple[int, int], int],
    all_pairs: bool,
) -> None:
    assignments = result.assignments
    typer.echo(
        f"Development opportunities at {day.isoformat()}: {assignments.height} assignment(s), "
        f"total score {result.total_score} (exact optimum, method: "
        f"{result.method.replace('_', ' ')}); {result.unassigned.height} candidate(s) "
        "unassigned."
    )
    _print_stored(run_ref, "decide PROPOSAL")
    if assignments.height:
        _section(f"{'PROPOSAL':<9}{'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}  STATUS")
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
        _rows("Unassigned:", result.unassigned, "  {person_id}: {reason}")
    if all_pairs:
        _rows(
            f"Eligible pairs ({result.eligible_pairs.height}):",
            result.eligible_pairs,
            "  {person_id:<14}{opportunity_id:<16}{score:>6}",
            f"  {'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}",
        )


@match_app.command("opportunities")
def opportunities_command(
    at: AtOption = None,
    output: FormatOption = Format.table,
    all_pairs: AllPairsOption = False,
    region: RegionOption = None,
    source_limit: SourceLimitOption = None,
    min_share: MinShareOption = None,
    positive_action: PositiveActionOption = None,
    positive_action_points: PositiveActionPointsOption = 10,
    dry_run: DryRunOption = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Propose development opportunities to people: the exact best allocation, with reasons."""
    from talentboard.db.models import MatchProposal
    from talentboard.matching.assignment import InfeasibleAllocationError
    from talentboard.matching.services import run_opportunity_match
    from talentboard.progress import reporter

    day = parse_as_at(at)
    settings = _match_settings(source_limit, min_share, positive_action, positive_action_points)
    engine = engine_for(db)
    with session_factory(engine).begin() as session, reporter() as progress:
        try:
            result, run_ref = run_opportunity_match(
                session,
                day,
                settings,
                region=check_region(region),
                save=not dry_run,
                created_by=by,
                progress=progress,
            )
        except InfeasibleAllocationError as exc:
            raise CliError(str(exc)) from exc
        proposal_ids = _stored_ids(
            session, MatchProposal, run_ref, lambda p: (p.person_ref, p.opportunity_ref)
        )
    if output is Format.json:
        _print_run_json(result, all_pairs, run_ref)
    else:
        _print_opportunities(day, result, run_ref, proposal_ids, all_pairs)


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
        print_json(shortlist.to_json())
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


def _print_buddies(
    day: dt.date,
    result: BuddyResult,
    run_ref: int | None,
    pairing_ids: dict[str, int],
    all_pairs: bool,
) -> None:
    typer.echo(
        f"Buddying at {day.isoformat()}: {result.pairs.height} pair(s), total score "
        f"{result.total_score} (exact optimum)."
    )
    _print_stored(run_ref, "decide-pairing PAIRING")
    for row in result.pairs.iter_rows(named=True):
        ident = pairing_ids.get(row["challenged_ods_code"], "-")
        typer.echo(
            f"{ident!s:<6}{row['challenged_ods_code']} with {row['strong_ods_code']}: "
            f"score {row['score']}"
        )
        _indent(list(row["reasons"]))
    if result.unpaired.height:
        _rows("Unpaired:", result.unpaired, "  {ods_code} ({side}): {reason}")
    if all_pairs:
        _rows(
            f"Eligible pairs ({result.eligible_pairs.height}):",
            result.eligible_pairs,
            "  {challenged_ods_code} with {strong_ods_code}: {score}",
        )


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
    from talentboard.db.models import BuddyPairing
    from talentboard.matching.buddying import BuddySettings
    from talentboard.matching.services import run_buddying

    day = parse_as_at(at)
    try:
        settings = BuddySettings(capacity=capacity, region=check_region(region))
    except ValueError as exc:
        raise CliError(str(exc), exit_code=2) from exc
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        result, run_ref = run_buddying(session, day, settings, save=not dry_run, created_by=by)
        pairing_ids = _stored_ids(session, BuddyPairing, run_ref, lambda p: p.challenged_ods_code)
    if output is Format.json:
        _print_run_json(result, all_pairs, run_ref)
    else:
        _print_buddies(day, result, run_ref, pairing_ids, all_pairs)


def _add_decide_command(name: str, metavar: str, label: str, decider: str, doc: str) -> None:
    """Add ``match NAME``: accept, decline or reopen a stored ``label`` by its number.

    Proposals and buddy pairings are decided alike. The number is declared as a default,
    not in an annotation: annotations are read in the module's namespace, where this
    command's name and help for it are not.
    """

    @match_app.command(name, help=doc)
    def command(
        ref: int = typer.Argument(metavar=metavar, help=f"The {label}'s number."),
        decision: str = typer.Argument(help="accept, decline or reopen."),
        by: ByOption = None,
        db: DbOption = None,
    ) -> None:
        from talentboard.matching import store

        decide: Callable[..., BuddyPairing | MatchProposal] = getattr(store, decider)
        engine = engine_for(db)
        with session_factory(engine).begin() as session:
            try:
                row = decide(session, ref, decision.strip().lower(), by)
            except store.DecisionError as exc:
                raise CliError(str(exc), exit_code=exc.exit_code) from exc
            status = row.status
        typer.echo(f"{label.capitalize()} {ref} is now {status}.")


_add_decide_command(
    "decide",
    "proposal",
    "proposal",
    "decide_proposal",
    "Accept or decline a proposed opportunity (reopen puts it back to proposed).",
)
_add_decide_command(
    "decide-pairing",
    "pairing",
    "buddy pairing",
    "decide_pairing",
    "Accept or decline a proposed buddy pairing.",
)


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
        print_json(
            [{**row, "as_at": row["as_at"].isoformat()} for row in frame.iter_rows(named=True)]
        )
        return
    typer.echo(f"{'PROPOSAL':<9}{'RUN':<5}{'PERSON':<14}{'OPPORTUNITY':<16}{'SCORE':>6}  STATUS")
    for row in frame.iter_rows(named=True):
        typer.echo(
            f"{row['proposal_ref']!s:<9}{row['run_ref']!s:<5}{row['person_id']:<14}"
            f"{row['opportunity_id']:<16}{row['score']:>6}  {row['status']}"
        )
