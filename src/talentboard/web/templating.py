"""The Jinja environment on the NHS.UK frontend templates, and page rendering.

Configured as nhsuk-frontend-jinja asks: ``ChainableUndefined`` (a component parameter
left out is simply absent) and a ``ChoiceLoader`` of our templates before the package's.
Because a misspelt key then renders as nothing, tests render every page and check what
each must show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from talentboard.web.csrf import FIELD as CSRF_FIELD
from talentboard.web.csrf import csrf_token
from talentboard.web.presenters.layout import navigation

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(TEMPLATES)), PackageLoader("nhsuk_frontend_jinja")]
        ),
        undefined=ChainableUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship with the package and do not change while the server runs;
        # checking each one's file on every render cost a tenth of a page's time.
        auto_reload=False,
    )
    return env


def _common(request: Request) -> dict[str, Any]:
    principal = getattr(request.state, "principal", None)
    return {
        "cspNonce": getattr(request.state, "csp_nonce", ""),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "principal": principal,
        "navigation": navigation(principal, request.url.path),
        "service_name": request.app.state.settings.service_name,
        "assetPath": "/assets",
        "flash": request.session.pop("flash", None),
    }


templates = Jinja2Templates(env=environment(), context_processors=[_common])


def flash(request: Request, message: str) -> None:
    """A message for the next page shown to this browser (after a redirect)."""
    request.session["flash"] = message


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
