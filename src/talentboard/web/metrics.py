"""Metrics in the Prometheus format (``GET /metrics``, docs/deploying.md).

Requests are counted and timed by route template (``/organisations/{ods_code}``, never the
address itself, so no identifier reaches the metrics), the analysis cache counts its hits
and misses by kind of value, and the database pool reports its connections.

With several worker processes each keeps its figures in files of the folder named by
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode, set by
``talentboard serve`` before the workers start), and whichever worker answers the scrape
adds up every worker's files: counts and histograms over every process that has run since
the server started, pool gauges over the processes alive.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Hashable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import Engine, event

from talentboard.web.settings import WebSettings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "talentboard_http_requests",
    "Requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "talentboard_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CACHE = Counter(
    "talentboard_analysis_cache_lookups",
    "Analysis cache lookups, by kind of value and outcome (hit or miss).",
    ["kind", "outcome"],
)
POOL_IN_USE = Gauge(
    "talentboard_db_pool_connections_in_use",
    "Database connections lent to requests now.",
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "talentboard_db_pool_connections_open",
    "Database connections open now, in use or idle in the pool.",
    multiprocess_mode="livesum",
)
POOL_CAPACITY = Gauge(
    "talentboard_db_pool_capacity",
    "The most connections the pools may open (pool size plus overflow).",
    multiprocess_mode="livesum",
)

# Kinds of cached value are the first item of their keys; anything else is counted as
# "other" so that no value from the data becomes a label.
_KIND = re.compile(r"[a-z_]{1,40}")


def cache_kind(key: Hashable) -> str:
    kind = key[0] if isinstance(key, tuple) and key else key
    return kind if isinstance(kind, str) and _KIND.fullmatch(kind) else "other"


def cache_lookup(kind: str, *, hit: bool) -> None:
    CACHE.labels(kind, "hit" if hit else "miss").inc()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def instrument_pool(engine: Engine) -> None:
    """Keep the pool gauges of this process up to date with ``engine``'s pool."""
    pool = engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):
        POOL_CAPACITY.set(size() + max(overflow, 0))

    @event.listens_for(engine, "checkout")
    def _checkout(*_args: object) -> None:
        POOL_IN_USE.inc()

    @event.listens_for(engine, "checkin")
    def _checkin(*_args: object) -> None:
        POOL_IN_USE.dec()

    @event.listens_for(engine, "connect")
    def _connect(*_args: object) -> None:
        POOL_OPEN.inc()

    @event.listens_for(engine, "close")
    def _close(*_args: object) -> None:
        POOL_OPEN.dec()

    @event.listens_for(engine, "close_detached")
    def _close_detached(*_args: object) -> None:
        POOL_OPEN.dec()


def may_scrape(settings: WebSettings, client: str | None, authorization: str | None) -> bool:
    """Whether a client may read the metrics: from an allowed network, or with the token."""
    token = settings.metrics_token
    if token is not None and authorization is not None:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(
            given.strip().encode(), token.get_secret_value().encode()
        ):
            return True
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_networks())


def exposition() -> tuple[bytes, str]:
    """The metrics text and its content type: every worker's, in multiprocess mode."""
    folder = os.environ.get(MULTIPROC_ENV)
    if not folder:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    _forget_dead_workers(Path(folder))
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def _forget_dead_workers(folder: Path) -> None:
    """Drop the live gauges of worker processes that have ended (a worker that crashed
    or was replaced), so the pool gauges add up the processes alive only."""
    for file in folder.glob("gauge_live*_*.db"):
        pid = int(file.stem.rsplit("_", 1)[1])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]
        except PermissionError:
            continue
