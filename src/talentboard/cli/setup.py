"""``talentboard init``: create or migrate the database and load the NHS organisations."""

from __future__ import annotations

import typer

from talentboard.cli.app import app
from talentboard.cli.options import DbOption


@app.command()
def init(db: DbOption = None) -> None:
    """Create or migrate the database, and load the NHS trusts of England and their
    published staff survey and sickness absence figures."""
    from talentboard.db import make_engine, session_factory, upgrade
    from talentboard.db.seed import load_reference_indicators, load_reference_organisations

    engine = make_engine(db)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        result = load_reference_organisations(session)
        indicators = load_reference_indicators(session)
    typer.echo(
        f"Database ready at {engine.url.render_as_string(hide_password=True)}: "
        f"{result.organisations_added} organisations and {result.ratings_added} "
        f"oversight ratings added; {indicators.values_added:,} published indicator values "
        f"added, with the {indicators.organisations_added} closed trusts they cover."
    )


__all__ = ["init"]
