"""What a request that fails answers: a page in the service's style, never a traceback.

- The database is busy (SQLite's write lock still held by another writer after the busy
  timeout): 503 "try again", with ``Retry-After``.
- The change clashed with another made at the same moment (PostgreSQL broke a deadlock or
  refused a serialisation; two forms added the same record): 409 "try again". The
  transaction was rolled back whole, so nothing of it was saved.
- The database cannot be reached (stopped, restarting, the network gone): 503 "service
  unavailable". Connections broken this way are discarded, and the pool checks the ones
  it keeps before use, so the service recovers by itself when the database is back.
- Anything else: 500 "there is a problem with the service".

Every such answer carries a reference, also written to the log beside the error, so a
user reporting it can be matched to what happened. The JSON API answers the same status
with ``{"detail", "reference"}``.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from talentboard.web.csrf import API_PREFIX
from talentboard.web.logs import REQUEST_ID_HEADER
from talentboard.web.templating import render

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class Failure:
    """How one kind of failure is answered."""

    status: int
    title: str
    message: str
    kind: str


BUSY = Failure(
    503,
    "The service is busy",
    "Other changes were being saved at the same moment and yours could not wait any longer. "
    "Nothing was saved: try again in a few seconds.",
    "busy",
)
CLASH = Failure(
    409,
    "Your change was not saved",
    "It clashed with another change made at the same moment, so nothing of it was saved. "
    "Go back, reload the page to see the record as it now stands, and try again.",
    "clash",
)
UNAVAILABLE = Failure(
    503,
    "Sorry, the service is unavailable",
    "The database cannot be reached at the moment. Nothing you were saving has been "
    "half-written: the change was either saved whole or not at all. Try again later.",
    "unavailable",
)
PROBLEM = Failure(
    500,
    "Sorry, there is a problem with the service",
    "Try again later. Nothing you were saving has been half-written: the change was either "
    "saved whole or not at all.",
    "error",
)

# SQLSTATE classes: 40 transaction rollback (deadlock, serialisation), 23 integrity.
_CLASH_STATES = ("40", "23")


def classify(exc: BaseException) -> Failure:
    """The answer to ``exc`` (one of the database errors above, or anything else)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(exc, PoolTimeoutError):
        return BUSY
    if isinstance(original, sqlite3.OperationalError):
        text = str(original).lower()
        return BUSY if "locked" in text or "busy" in text else UNAVAILABLE
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return UNAVAILABLE
    state = getattr(original, "sqlstate", None) or ""
    if isinstance(exc, IntegrityError) or state.startswith(_CLASH_STATES):
        return CLASH
    if isinstance(exc, OperationalError):
        return UNAVAILABLE
    return PROBLEM


def reference_for(request: Request) -> str:
    """The request's id when one was given to it, else a new short reference."""
    given = getattr(request.state, "request_id", None)
    return str(given) if given else secrets.token_hex(4).upper()


def answer(request: Request, exc: BaseException) -> Response:
    """The page (or JSON) for a failed request, logged with its reference."""
    failure = classify(exc)
    reference = reference_for(request)
    where = f"{request.method} {request.url.path}"
    if failure is PROBLEM:
        log.error("%s failed (reference %s)", where, reference, exc_info=exc)
    else:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        log.warning(
            "%s: database %s (reference %s): %s",
            where,
            failure.kind,
            reference,
            first[0] if first else type(exc).__name__,
        )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if failure.status == 503 else {}
    if getattr(request.state, "request_id", None):
        # An error answer leaves the request log's middleware early: say the id here too.
        headers[REQUEST_ID_HEADER] = reference
    if request.url.path.startswith(API_PREFIX):
        body = {"detail": f"{failure.title}. {failure.message}", "reference": reference}
        return JSONResponse(body, status_code=failure.status, headers=headers)
    context = {"title": failure.title, "message": failure.message, "reference": reference}
    try:
        response: Response = render(request, "errors/500.jinja", context, failure.status)
    except Exception:  # the page itself failed: answer plainly
        log.exception("the error page for reference %s could not be drawn", reference)
        response = HTMLResponse(_plain(failure, reference), status_code=failure.status)
    response.headers.update(headers)
    return response


def _plain(failure: Failure, reference: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{failure.title}</title></head>"
        f"<body><main><h1>{failure.title}</h1><p>{failure.message}</p>"
        f"<p>Reference: {reference}</p></main></body></html>"
    )


def add_failure_handlers(app: FastAPI) -> None:
    """Answer database failures and unexpected errors with :func:`answer`."""

    async def handle(request: Request, exc: Exception) -> Response:
        return answer(request, exc)

    for kind in (DBAPIError, PoolTimeoutError, sqlite3.Error, Exception):
        app.add_exception_handler(kind, handle)
