"""What operators and their tools ask of a running server: health checks and metrics.

No sign-in and no personal data: ``/health/live`` says the process answers,
``/health/ready`` whether the database is reachable and its schema at the migration head
(503 with the reason otherwise), and ``/metrics`` gives the Prometheus metrics to the
networks or the token the settings allow (docs/deploying.md).
"""

from __future__ import annotations

import logging

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from talentboard.db import current_revision, head_revision
from talentboard.web import metrics
from talentboard.web.deps import SettingsDep, client_address

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/health/live")
async def live() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _database_problem(engine: Engine) -> str | None:
    """Why the application cannot serve from its database now, or None."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        # The driver's message may name hosts and users: it goes to the log, not the answer.
        log.warning("readiness: database unreachable: %s", exc.__class__.__name__, exc_info=exc)
        return "database unreachable"
    head = head_revision()
    if current is None:
        return "database has no talentboard schema (run 'talentboard init')"
    if current != head:
        return f"database schema at revision {current}, expected {head} (run 'talentboard init')"
    return None


@router.get("/health/ready")
async def ready(request: Request, settings: SettingsDep) -> JSONResponse:
    engine: Engine = request.app.state.engine
    seconds = settings.health_timeout_seconds
    problem: str | None
    try:
        with anyio.fail_after(seconds):
            problem = await anyio.to_thread.run_sync(
                _database_problem, engine, abandon_on_cancel=True
            )
    except TimeoutError:
        problem = f"database did not answer within {seconds:g} seconds"
    if problem is not None:
        return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/metrics")
async def scrape(request: Request, settings: SettingsDep) -> Response:
    authorization = request.headers.get("authorization")
    if not metrics.may_scrape(settings, client_address(request), authorization):
        return PlainTextResponse("Forbidden\n", status_code=403)
    body, content_type = await anyio.to_thread.run_sync(metrics.exposition)
    return Response(body, media_type=content_type)
