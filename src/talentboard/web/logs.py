"""Logs as JSON lines, one per request, and the request id that ties a page to its line.

Every request gets an id: the ``X-Request-ID`` a proxy sent (when it looks like one:
letters, digits, ``.``, ``_`` and ``-``, at most 64), otherwise a new random one. It is
sent back in the ``X-Request-ID`` header and shown on error pages, so a user reporting a
problem can quote it and an operator can find the request's log line.

The request line holds the request id, method, route template (never the address, which
may name a person's record), status, duration and the signed-in user's id: no names, no
addresses, nothing a form or query carried.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentboard.web import metrics

REQUEST_ID_HEADER = "X-Request-ID"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_log = logging.getLogger("talentboard.request")

# LogRecord attributes every record has; anything else was passed in ``extra``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD and name not in line:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """A readable line for a terminal, with the record's extras as ``name=value``."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{name}={value}" for name, value in record.__dict__.items() if name not in _STANDARD
        )
        line = super().format(record)
        return f"{line} {extras}" if extras else line


def log_config(log_format: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server: every logger (the application's and
    uvicorn's) writes to standard error, as JSON lines unless ``log_format`` is "text"."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"}
        if log_format == "json"
        else {
            "()": f"{__name__}.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
            "uvicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # Migration checks (GET /health/ready) would otherwise log each plugin loaded.
            "alembic": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


def route_of(scope: Scope) -> str:
    """The route template that answered (``/people/{person_id}``), never the address."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path or "/"
    return "unmatched"


def _user_id(scope: Scope) -> int | None:
    principal = scope.get("state", {}).get("principal")
    user_id = getattr(principal, "user_id", None)
    return user_id if isinstance(user_id, int) else None


class RequestLog:
    """ASGI middleware: the request id, the request's log line and its metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.lower().encode(), b"")
        text = given.decode("latin-1")
        request_id = text if _GIVEN_ID.fullmatch(text) else secrets.token_hex(16)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        except Exception:
            status = 500
            raise
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            metrics.observe_request(scope["method"], route, status, seconds)
            request_log.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": _user_id(scope),
                },
            )
