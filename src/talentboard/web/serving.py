"""``talentboard serve``: the web application in one or several worker processes.

Uvicorn runs the workers: with ``--workers N`` above one, a supervising process binds the
port, starts N workers (each builds its own application with ``served_app``, from the
settings in its environment), restarts a worker that dies, and on SIGTERM or SIGINT tells
every worker to stop. A stopping worker accepts no new connection and lets the requests in
flight finish (up to ``graceful_shutdown_seconds``) before it exits.

What the workers must agree on is put in their environment before they start: the
database, the key that signs session cookies (made here when none is configured, so a
cookie one worker set is good at every other), that changes are shared (``web.shared``)
and where the metrics of every worker are kept (``web.metrics``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

from fastapi import FastAPI

from talentboard.web.logs import log_config
from talentboard.web.metrics import MULTIPROC_ENV
from talentboard.web.settings import WebSettings

ENV_PREFIX = "TALENTBOARD_"


def served_app() -> FastAPI:
    """The application of one worker process (uvicorn's application factory)."""
    from talentboard.web.app import create_app

    return create_app(WebSettings(), serving=True)


def worker_environment(settings: WebSettings, database_url: str) -> dict[str, str]:
    """The variables every worker needs to agree with the others."""
    environment = {f"{ENV_PREFIX}DATABASE_URL": database_url}
    if "share_changes" not in settings.model_fields_set:
        environment[f"{ENV_PREFIX}SHARE_CHANGES"] = "true"
    if "secret_key" not in settings.model_fields_set:
        environment[f"{ENV_PREFIX}SECRET_KEY"] = secrets.token_urlsafe(32)
    return environment


def metrics_folder(settings: WebSettings) -> tuple[Path, bool]:
    """The folder the workers keep their metrics in, emptied of an earlier run's files,
    and whether it was made here (and is to be removed at the end)."""
    configured = settings.metrics_dir or (
        Path(os.environ[MULTIPROC_ENV]) if os.environ.get(MULTIPROC_ENV) else None
    )
    if configured is None:
        return Path(tempfile.mkdtemp(prefix="talentboard-metrics-")), True
    configured.mkdir(parents=True, exist_ok=True)
    for stale in configured.glob("*.db"):
        stale.unlink()
    return configured, False


def run(settings: WebSettings, database_url: str, host: str, port: int, workers: int) -> None:
    """Serve until told to stop (SIGTERM or SIGINT), then finish the requests in flight."""
    import uvicorn

    os.environ.update(worker_environment(settings, database_url))
    folder: Path | None = None
    made = False
    if workers > 1:
        folder, made = metrics_folder(settings)
        os.environ[MULTIPROC_ENV] = str(folder)
    try:
        uvicorn.run(
            f"{__name__}:served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
            log_config=log_config(settings.log_format),
            access_log=False,
            server_header=False,
        )
    finally:
        if made and folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
