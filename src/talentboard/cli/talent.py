"""Talent commands: ``talent`` (the pool and more), ``succession``, ``board-skills``, ``fppt``.

Each command loads the register and talent data as at ``--at``, calls the talent services
and prints a table or JSON. Errors in options exit with code 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from talentboard import vocab
from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import (
    AtOption,
    DbOption,
    Format,
    FormatOption,
    Scope,
    check_codes,
    org_option,
    parse_as_at,
    print_json,
    region_option,
    scope_options,
)
from talentboard.reference import REGION_CODES, ROLE_CODES, programmes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from talentboard.talent import services
    from talentboard.talent.pool import PoolFilter

__all__ = ["board_skills_command", "fppt_app", "succession_app", "talent_app"]

# ``talentboard.talent.succession.MAX_PLANS``, the default of --max-plans, named here so
# that ``--help`` need not load the analysis (tests/cli/test_startup.py checks it).
MAX_PLANS = 3


class RollupBy(StrEnum):
    org = "org"
    region = "region"


ExactOption = Annotated[
    bool,
    typer.Option(
        "--exact",
        help="Exact group figures, without disclosure control (administrators only).",
    ),
]
MaxPlansOption = Annotated[
    int, typer.Option("--max-plans", min=1, help="Flag people named on more plans.")
]


def _print_json(document: Any) -> None:
    from talentboard.talent import present

    print_json(present.json_value(document))


@contextmanager
def _context(db: str | None, at: str | None) -> Iterator[tuple[Session, services.TalentContext]]:
    from talentboard.talent import services

    day = parse_as_at(at)
    engine = engine_for(db)
    with session_factory(engine)() as session:
        yield session, services.load_context(session, day)


def _scoped(call: Any, *args: Any, **kwargs: Any) -> Any:
    from talentboard.talent import services

    try:
        return call(*args, **kwargs)
    except services.UnknownScopeError as exc:
        raise CliError(str(exc), exit_code=2) from exc


def _scoped_view(call: Any, scope: Scope, db: str | None, **options: Any) -> tuple[dt.date, Any]:
    """The date and what ``call`` gives for the scope's organisation or region then."""
    with _context(db, scope.at) as (_, context):
        return context.at, _scoped(call, context, scope.org, scope.region, **options)


# talentboard talent ------------------------------------------------------------------

talent_app = typer.Typer(
    name="talent",
    help="The talent pool (with filters), and people's assessments, plans and exits.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(talent_app, name="talent")

ManyOption = list[str] | None


@talent_app.callback()
def talent_pool_command(
    ctx: typer.Context,
    at: AtOption = None,
    region: Annotated[ManyOption, region_option("Current NHS England region (repeatable).")] = None,
    org: Annotated[ManyOption, org_option("Current organisation, ODS code (repeatable).")] = None,
    willing_region: Annotated[
        ManyOption,
        typer.Option("--willing-region", help="A region the person will work in (repeatable)."),
    ] = None,
    target: Annotated[
        ManyOption, typer.Option("--target", help="A target role code (repeatable).")
    ] = None,
    readiness: Annotated[
        ManyOption,
        typer.Option("--readiness", help="Current readiness for a target role (repeatable)."),
    ] = None,
    level: Annotated[
        ManyOption, typer.Option("--level", help="Current post level (repeatable).")
    ] = None,
    programme: Annotated[
        ManyOption, typer.Option("--programme", help="A programme attended (repeatable).")
    ] = None,
    output: FormatOption = Format.table,
    exact: ExactOption = False,
    db: DbOption = None,
) -> None:
    """List the talent pool: people with a talent profile, filtered; with group figures."""
    from talentboard.talent import present, services
    from talentboard.talent.pool import PoolFilter

    if ctx.invoked_subcommand is not None:
        return
    filters = PoolFilter(
        region_code=check_codes(region, REGION_CODES, "--region"),
        ods_code=tuple(o.strip().upper() for o in org or []),
        willing_region=check_codes(willing_region, REGION_CODES, "--willing-region"),
        target_role_code=check_codes(target, ROLE_CODES, "--target"),
        readiness=check_codes(readiness, vocab.READINESS, "--readiness"),
        level=check_codes(level, vocab.POST_LEVELS, "--level"),
        programme_code=check_codes(programme, tuple(p.code for p in programmes()), "--programme"),
    )
    with _context(db, at) as (_, context):
        view = services.talent_pool(context, filters)
    if output is Format.json:
        _print_json(present.pool_json(view, context.at, filters.__dict__, exact=exact))
    else:
        typer.echo(present.pool_text(view, exact=exact))


@talent_app.command("person")
def talent_person(
    person_id: Annotated[str, typer.Argument(help="The person's id.")],
    at: AtOption = None,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """One person's targets, placement, assessments, gaps, needs and development plan."""
    from talentboard.reference.expected import expected_frame
    from talentboard.talent import present
    from talentboard.talent.assessments import (
        assessment_summary,
        development_gaps,
        development_needs,
    )
    from talentboard.talent.conversations import development_plans, placements

    with _context(db, at) as (_, context):
        people = context.register.people
        found = people.filter(people["person_id"] == person_id)
        if found.height == 0:
            raise CliError(f"no person with id {person_id!r}", exit_code=2)
        ref = found["person_ref"][0]
        talent = context.talent

        def mine(frame: Any) -> Any:
            return frame.filter(frame["person_ref"] == ref)

        ratings = mine(talent.assessments)
        targets = mine(talent.targets)
        gaps = development_gaps(ratings, targets, expected_frame())
        document = {
            "as_at": context.at,
            "person_id": person_id,
            "targets": present.records(targets, ["target_role_code", "readiness", "reviewed_on"]),
            "readiness_history": present.records(
                mine(talent.readiness), ["target_role_code", "readiness", "reviewed_on"]
            ),
            "placement": present.records(
                placements(mine(talent.profiles), mine(talent.conversations), context.at).drop(
                    "person_ref"
                )
            ),
            "assessments": present.records(assessment_summary(ratings).drop("person_ref")),
            "gaps": present.records(gaps.drop("person_ref")),
            "development_needs": development_needs(gaps)["need"].to_list(),
            "plan": present.records(
                development_plans(mine(talent.conversations), talent.actions, context.at).drop(
                    "person_ref"
                )
            ),
            "actions": present.records(
                mine(talent.actions),
                ["action", "opportunity_kind", "programme_code", "due_on", "status"],
            ),
        }
    if output is Format.json:
        _print_json(document)
        return
    for key, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            typer.echo(f"\n{key.replace('_', ' ').capitalize()}:")
            typer.echo(present.text_table(list(value[0]), [list(v.values()) for v in value]))
        elif isinstance(value, list):
            typer.echo(f"\n{key.replace('_', ' ').capitalize()}:")
            typer.echo("\n".join(f"  {v}" for v in value) or "  none")
        else:
            typer.echo(f"{key}: {present.cell(present.json_value(value))}")


@talent_app.command("grid")
@scope_options
def talent_grid(scope: Scope, output: FormatOption = Format.table, db: DbOption = None) -> None:
    """The 3x3 talent grid from Scope for Growth conversations, plans and conversations due."""
    from talentboard.talent import present, services
    from talentboard.talent.conversations import (
        conversations_due,
        development_plans,
        grid_counts,
        placements,
    )

    with _context(db, scope.at) as (_, context):
        view = _scoped(services.talent_pool, context, _scope_filter(scope))
        people = view.members.select("person_ref")
        talent = context.talent
        profiles = talent.profiles.join(people, on="person_ref", how="semi")
        chats = talent.conversations.join(people, on="person_ref", how="semi")
        grid = grid_counts(placements(profiles, chats, context.at))
        plans = development_plans(chats, talent.actions, context.at)
        due = conversations_due(profiles, chats, context.at)
    summary = {
        "people_with_plans": plans.height,
        "actions": int(plans["actions"].sum()),
        "actions_done": int(plans["done"].sum()),
        "actions_overdue": int(plans["overdue"].sum()),
        "conversations_due": due.height,
        "growth_wanted": {
            str(k): int(v)
            for k, v in plans.group_by("growth_wanted").len().sort("growth_wanted").rows()
        },
    }
    if output is Format.json:
        _print_json({"as_at": context.at, "grid": present.records(grid), "plans": summary})
        return
    typer.echo(present.frame_table(grid, ["box", "impact", "growth", "people", "focus"]))
    typer.echo("")
    for key, value in summary.items():
        typer.echo(f"{key.replace('_', ' ')}: {present.cell(value)}")


def _scope_filter(scope: Scope) -> PoolFilter:
    from talentboard.talent.pool import PoolFilter

    return PoolFilter(
        ods_code=(scope.org.strip().upper(),) if scope.org else (),
        region_code=check_codes([scope.region] if scope.region else None, REGION_CODES, "--region"),
    )


@talent_app.command("diversity")
@scope_options
def talent_diversity(
    scope: Scope,
    output: FormatOption = Format.table,
    exact: ExactOption = False,
    db: DbOption = None,
) -> None:
    """Pipeline diversity: BME, women and disabled shares up the ladder, and where they drop."""
    from talentboard.stability.disclosure import DEFAULT_RULE
    from talentboard.talent import present, services
    from talentboard.talent.diversity import where_it_drops

    as_at, ladder = _scoped_view(services.pipeline_diversity, scope, db)
    rows = present.ladder_rows(ladder, exact=exact)
    drops = where_it_drops(ladder, rule=None if exact else DEFAULT_RULE)
    if output is Format.json:
        _print_json({"as_at": as_at, "exact": exact, "rungs": rows, "drops": drops})
        return
    typer.echo(present.ladder_text(rows))
    typer.echo("")
    typer.echo("\n".join(drops) if drops else "No drop in representation shown up the ladder.")


@talent_app.command("exits")
@scope_options
def talent_exits(
    scope: Scope,
    months: Annotated[int, typer.Option("--months", min=1, help="The window, in months.")] = 12,
    executive: Annotated[
        bool, typer.Option("--executive", help="Executive board posts only.")
    ] = False,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Exit records: spells that ended in the window, why, and the exit-conversation notes."""
    from talentboard.talent import present, services

    as_at, view = _scoped_view(
        services.exit_view, scope, db, months=months, executive_only=executive
    )
    columns = [
        "person_id",
        "post_id",
        "ods_code",
        "role_code",
        "start_date",
        "end_date",
        "end_reason",
        "exit_notes",
    ]
    if output is Format.json:
        _print_json(
            {
                "as_at": as_at,
                "months": months,
                "summary": view.summary.to_json(),
                "records": present.records(view.records, columns),
            }
        )
        return
    typer.echo(present.frame_table(view.records, columns))
    summary = view.summary
    typer.echo(
        f"\n{summary.ended} spells ended; {summary.forced} forced exits "
        f"({present.share_text(summary.forced_share) or 'none'}); "
        f"{summary.not_recorded} without a recorded reason."
    )


@talent_app.command("record-exit")
def talent_record_exit(
    person_id: Annotated[str, typer.Argument(help="The person who left.")],
    post_id: Annotated[str, typer.Argument(help="The post they left.")],
    on: Annotated[str, typer.Option("--on", help="The day the appointment ended.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why: " + ", ".join(vocab.END_REASONS) + ".")
    ],
    notes: Annotated[
        str | None, typer.Option("--notes", help="Notes from the exit conversation.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record an exit: the appointment's end date, structured reason and notes."""
    from talentboard.talent import services

    ended_on = parse_as_at(on)
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            services.record_exit(session, person_id, post_id, ended_on, reason, notes)
        except services.RecordError as exc:
            raise CliError(str(exc), exit_code=2) from exc
    typer.echo(f"Recorded the exit of {person_id} from {post_id} on {ended_on} ({reason}).")


@talent_app.command("appraisals")
@scope_options
def talent_appraisals(
    scope: Scope, output: FormatOption = Format.table, db: DbOption = None
) -> None:
    """Board member appraisals: each member's latest appraisal and what it lacks."""
    from talentboard.talent import present, services

    as_at, status = _scoped_view(services.appraisal_view, scope, db)
    columns = [
        "ods_code",
        "person_id",
        "name",
        "role_code",
        "period_end",
        "appraised_on",
        "domains_rated",
        "multi_source_feedback",
        "edi_objective",
        "status",
        "issues",
    ]
    if output is Format.json:
        _print_json({"as_at": as_at, "members": present.records(status, columns)})
        return
    typer.echo(present.frame_table(status, columns))


# talentboard succession --------------------------------------------------------------

succession_app = typer.Typer(
    name="succession",
    help="Succession for critical posts: bench strength, coverage and risk.",
    invoke_without_command=True,
)
app.add_typer(succession_app, name="succession")


@succession_app.callback()
@scope_options
def succession_command(
    ctx: typer.Context,
    scope: Scope,
    output: FormatOption = Format.table,
    max_plans: MaxPlansOption = MAX_PLANS,
    db: DbOption = None,
) -> None:
    """Critical posts with their successors by readiness, coverage and succession risk."""
    from talentboard.talent import present, services

    if ctx.invoked_subcommand is not None:
        return
    _, view = _scoped_view(services.succession_view, scope, db, max_plans=max_plans)
    if output is Format.json:
        _print_json(view.report.to_json())
    else:
        typer.echo(present.succession_text(view))


@succession_app.command("rollup")
@scope_options
def succession_rollup_command(
    by: Annotated[RollupBy, typer.Option("--by", help="Roll up by organisation or region.")],
    scope: Scope,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Succession rolled up by organisation or region."""
    from talentboard.talent import present, services

    _, view = _scoped_view(services.succession_view, scope, db)
    key = "ods_code" if by is RollupBy.org else "region_code"
    if output is Format.json:
        _print_json(present.rollup_json(view, key))
        return
    frame = view.by_organisation if key == "ods_code" else view.by_region
    typer.echo(present.frame_table(frame, [key, *present.ROLLUP_COLUMNS]))


@succession_app.command("flags")
@scope_options
def succession_flags_command(
    scope: Scope,
    max_plans: MaxPlansOption = MAX_PLANS,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """People named as successor on more than --max-plans plans."""
    from talentboard.talent import present, services

    _, view = _scoped_view(services.succession_view, scope, db, max_plans=max_plans)
    if output is Format.json:
        _print_json(present.flags_json(view))
        return
    typer.echo(present.frame_table(view.flags, ["person_id", "plans", "post_ids"]))


# talentboard board-skills ------------------------------------------------------------


@app.command("board-skills")
def board_skills_command(
    ods_code: Annotated[str, typer.Argument(metavar="ODS", help="The organisation's ODS code.")],
    at: AtOption = None,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """The board as a team: LCF domain coverage, backgrounds, gaps, the next appointment."""
    from talentboard.talent import present, services

    with _context(db, at) as (_, context):
        skills = _scoped(services.board_skills_view, context, ods_code.strip().upper())
    document = skills.to_json()
    if output is Format.json:
        _print_json(document)
        return
    codes = [d["domain_code"] for d in document["domains"]]
    typer.echo(
        present.text_table(
            ["person_id", "name", "role_code", "background", *codes],
            [
                [
                    m["person_id"],
                    m["name"],
                    m["role_code"],
                    m["professional_background"],
                    *[
                        f"{lv['level']:.1f} {lv['source'][0]}" if lv else "-"
                        for lv in m["levels"].values()
                    ],
                ]
                for m in document["members"]
            ],
        )
    )
    typer.echo("\nLevels: o others' mean, a appraisal, s self-assessment.\n")
    typer.echo(
        present.text_table(
            ["domain", "assessed", "strengths", "mean", "status", "at risk"],
            [
                (
                    d["domain_code"],
                    d["assessed"],
                    d["strengths"],
                    d["mean_level"],
                    d["status"],
                    d["at_risk"],
                )
                for d in document["domains"]
            ],
        )
    )
    typer.echo("\nGaps:")
    typer.echo("\n".join(f"  {g}" for g in document["gaps"]) or "  none")
    typer.echo("\nThe next appointment should bring:")
    typer.echo("\n".join(f"  {w}" for w in document["next_appointment"]) or "  nothing missing")


# talentboard fppt --------------------------------------------------------------------

fppt_app = typer.Typer(name="fppt", help="Fit and Proper Person Test records (2023 framework).")
app.add_typer(fppt_app, name="fppt")


@fppt_app.command("due")
@scope_options
def fppt_due(
    scope: Scope,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Also list checks due within this many days.")
    ] = 30,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Checks missing, overdue, due soon or with a concern, and leavers without a reference."""
    from talentboard.talent import present, services

    as_at, view = _scoped_view(services.fppt_view, scope, db, within_days=within)
    if output is Format.json:
        _print_json(present.fppt_json(view, as_at))
        return
    typer.echo(present.frame_table(view.attention, present.FPPT_COLUMNS))
    typer.echo(f"\n{view.attention.height} checks need attention.")
    if view.missing_references.height:
        typer.echo("\nBoard member references not yet written for leavers:")
        typer.echo(present.frame_table(view.missing_references, present.REFERENCE_COLUMNS))


@fppt_app.command("reference")
def fppt_reference(
    person_id: Annotated[str, typer.Argument(help="The board member who left.")],
    post_id: Annotated[str, typer.Argument(help="The board post they left.")],
    written_on: Annotated[str, typer.Option("--written-on", help="The date it was written.")],
    written_by: Annotated[
        str | None, typer.Option("--by", help="Who wrote it (normally the chair).")
    ] = None,
    concerns: Annotated[
        bool, typer.Option("--concerns", help="The reference raises concerns.")
    ] = False,
    summary: Annotated[str | None, typer.Option("--summary", help="Its summary.")] = None,
    db: DbOption = None,
) -> None:
    """Record the board member reference written when someone left a board."""
    from talentboard.talent import services

    day = parse_as_at(written_on)
    engine = engine_for(db)
    with session_factory(engine).begin() as session:
        try:
            services.write_board_member_reference(
                session,
                person_id,
                post_id,
                day,
                written_by=written_by,
                concerns_raised=concerns,
                summary=summary,
            )
        except services.RecordError as exc:
            raise CliError(str(exc), exit_code=2) from exc
    typer.echo(f"Recorded the board member reference for {person_id} ({post_id}), {day}.")
