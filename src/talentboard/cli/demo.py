"""``talentboard demo``: load the synthetic, calibrated demo workforce."""

from __future__ import annotations

from typing import Annotated

import typer

from talentboard.cli.app import CliError, app, engine_for, session_factory
from talentboard.cli.options import DbOption, region_option
from talentboard.reference import REGION_CODES

# As ``talentboard.demo`` has them, named here so that ``--help`` need not load the
# generator (tests/cli/test_startup.py checks them against it).
SCALES = ("region", "national", "all-levels")
DEFAULT_REGION = "Y60"


@app.command()
def demo(
    scale: Annotated[
        str,
        typer.Option(
            help="region (one NHS England region), national (all trusts, board posts) or "
            "all-levels (national plus senior, middle and frontline leadership posts)."
        ),
    ] = "national",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
    region: Annotated[
        str | None,
        region_option(f"Region code for --scale region (default {DEFAULT_REGION} Midlands)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Clear the people, posts, appointments and talent data already there first.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Load synthetic people and appointment history over the real NHS trusts.

    The data are fictitious and calibrated to published NHS leadership figures at the
    as-at date 2026-09-30 (stored as the setting demo_as_at).
    """
    if scale not in SCALES:
        raise CliError(f"--scale must be one of {', '.join(SCALES)}, not {scale!r}", 2)
    if region is not None and scale != "region":
        raise CliError("--region can only be used with --scale region", 2)
    if region is not None and region not in REGION_CODES:
        raise CliError(
            f"--region {region!r} is not an NHS England region code "
            f"(one of {', '.join(REGION_CODES)})",
            2,
        )
    from talentboard.demo import DemoRefusedError, generate_demo
    from talentboard.progress import reporter

    engine = engine_for(db)
    try:
        with reporter() as progress, session_factory(engine).begin() as session:
            summary = generate_demo(
                session, scale, seed, region, replace=replace, progress=progress
            )
    except DemoRefusedError as exc:
        raise CliError(str(exc)) from exc
    finally:
        engine.dispose()
    scope = f"region {summary.region_code}" if summary.region_code else summary.scale
    typer.echo(
        f"Demo data ({scope}, seed {summary.seed}) as at {summary.as_at}: "
        f"{summary.organisations:,} organisations, {summary.posts:,} posts, "
        f"{summary.people:,} people, {summary.appointments:,} appointments; "
        f"{summary.talent_profiles:,} talent-pool members, {summary.assessments:,} "
        f"assessment ratings, {summary.succession_plans:,} succession plans, "
        f"{summary.opportunities:,} opportunities. All people are fictitious."
    )
