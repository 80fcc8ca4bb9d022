"""The application factory: middleware, static files, error pages and the routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from talentboard import __version__
from talentboard.db import make_engine, reading, session_factory, writing
from talentboard.reports.chart_process import KeptChartProcess
from talentboard.web import metrics, shared
from talentboard.web.cache import AnalysisCache, NoteChanges, keep_out_of_collections
from talentboard.web.csrf import API_PREFIX, CsrfError, verify_csrf
from talentboard.web.deps import SignInRequiredError
from talentboard.web.failures import add_failure_handlers
from talentboard.web.logs import RequestLog
from talentboard.web.oidc import OidcClient
from talentboard.web.permissions import NotFoundError
from talentboard.web.ratelimit import RateLimiter
from talentboard.web.routes import ROUTERS
from talentboard.web.security import SecurityHeaders
from talentboard.web.settings import WebSettings
from talentboard.web.templating import STATIC, render

log = logging.getLogger(__name__)

SESSION_COOKIE = "talentboard_session"
NHSUK_ASSETS = STATIC / "nhsuk"
VENDOR = STATIC / "vendor"


def create_app(
    settings: WebSettings | None = None, engine: Engine | None = None, *, serving: bool = False
) -> FastAPI:
    """A configured application; ``engine`` defaults to one for ``settings.database_url``.

    ``serving``: the application is the whole life of this process (``talentboard
    serve``), so what it keeps for good is left out of garbage collections
    (``cache.keep_out_of_collections``).
    """
    settings = settings or WebSettings()
    # Statement parameters stay out of error messages and logs: they may be personal data.
    engine = engine or make_engine(
        settings.database_url, hide_parameters=True, **settings.engine_options()
    )
    app = FastAPI(
        title="talentboard",
        version=__version__,
        description=(
            "Leadership stability analytics and talent management for the NHS in England. "
            "Every endpoint needs a bearer token (`talentboard users token NAME`); records "
            "outside the token holder's scope answer 404, as missing ones do."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(verify_csrf)],
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    # Pages that only show data read without SQLite's write lock; requests that change
    # data take it when they begin (``db.engine``), so concurrent writers wait their turn.
    app.state.session_factory = session_factory(reading(engine))
    app.state.writing_session_factory = session_factory(writing(engine))
    app.state.sign_in_limiter = RateLimiter(settings.login_attempts_per_minute, 60.0)
    app.state.analysis_cache = AnalysisCache(
        settings.analysis_cache_seconds,
        stamp_seconds=settings.analysis_stamp_seconds,
        freeze=serving,
        share=settings.share_changes,
    )
    if settings.share_changes:
        shared.listen()
        app.state.session_factory.configure(info={shared.SHARE: True})
        app.state.writing_session_factory.configure(info={shared.SHARE: True})
    if serving:
        metrics.instrument_pool(engine)
    app.state.oidc = OidcClient(settings) if settings.single_sign_on else None
    # Board reports' charts render in a process of their own, started at the first report.
    app.state.chart_process = KeptChartProcess()

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.https,
    )
    app.add_middleware(SecurityHeaders, https=settings.https)
    app.add_middleware(NoteChanges, cache=app.state.analysis_cache)
    app.add_middleware(RequestLog)

    if not (NHSUK_ASSETS / "nhsuk-frontend.min.css").exists():
        log.warning("NHS.UK frontend assets missing from %s: run 'make setup'", NHSUK_ASSETS)
    app.mount("/assets", StaticFiles(directory=NHSUK_ASSETS, check_dir=False), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    for router in ROUTERS:
        app.include_router(router)
    _add_error_handlers(app)
    # Database failures and unexpected errors: a styled page (or JSON) with the reference
    # that is in the log beside the error (``web.failures``; the request id when set).
    add_failure_handlers(app)
    if serving:
        keep_out_of_collections()
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.chart_process.close()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == API_PREFIX.rstrip("/")


def _not_found(request: Request) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    return render(request, "errors/404.jinja", {"title": "Page not found"}, status_code=404)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, _exc: NotFoundError) -> Response:
        return _not_found(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _not_found(request)
        if _is_api(request) or exc.status_code == 401:
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        if exc.status_code == 405:
            return _not_found(request)
        return render(
            request,
            "errors/400.jinja",
            {"title": "There is a problem", "message": str(exc.detail)},
            status_code=exc.status_code,
        )

    @app.exception_handler(SignInRequiredError)
    async def sign_in_required(request: Request, _exc: SignInRequiredError) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        location = "/sign-in" if target == "/" else f"/sign-in?next={_quote(target)}"
        return RedirectResponse(location, status_code=303)

    @app.exception_handler(CsrfError)
    async def csrf_rejected(request: Request, _exc: CsrfError) -> Response:
        return render(
            request, "errors/403.jinja", {"title": "Request not accepted"}, status_code=403
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return render(
            request,
            "errors/400.jinja",
            {"title": "There is a problem with the address", "message": problems},
            status_code=400,
        )


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
