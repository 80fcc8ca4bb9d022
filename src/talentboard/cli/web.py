"""``talentboard serve``: run the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from talentboard.cli.app import app, engine_for
from talentboard.cli.options import DbOption


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web application (and its JSON API under /api)."""
    import uvicorn

    from talentboard.config import database_url
    from talentboard.web.app import create_app
    from talentboard.web.settings import WebSettings

    settings = WebSettings(database_url=database_url(db))
    engine = engine_for(db, **settings.engine_options())
    typer.echo(f"Serving talentboard at http://{host}:{port} (Ctrl+C to stop).")
    uvicorn.run(
        create_app(settings, engine, serving=True), host=host, port=port, log_level="warning"
    )
