"""``talentboard serve``: run the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from talentboard.cli.app import CliError, app, engine_for
from talentboard.cli.options import DbOption


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: the workers setting, 1 unless set)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web application (and its JSON API under /api).

    Settings come from TALENTBOARD_* environment variables or the TOML file named by
    TALENTBOARD_SETTINGS_FILE (docs/deploying.md). SIGTERM or Ctrl+C stops the server once
    the requests in flight have finished.
    """
    from pydantic import ValidationError

    from talentboard.config import database_url
    from talentboard.web.serving import run
    from talentboard.web.settings import WebSettings

    try:
        settings = WebSettings(database_url=db) if db else WebSettings()
    except (ValidationError, ValueError) as exc:
        raise CliError(f"settings: {exc}", exit_code=2) from exc
    url = database_url(settings.database_url)
    engine_for(url).dispose()
    count = workers or settings.workers
    if settings.log_format == "text":
        # As JSON lines, everything on standard error is a log line; uvicorn's say the same.
        plural = "es" if count > 1 else ""
        typer.echo(
            f"Serving talentboard at http://{host}:{port} with {count} worker process{plural} "
            "(Ctrl+C to stop).",
            err=True,
        )
    run(settings, url, host, port, count)
