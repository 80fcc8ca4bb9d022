"""The Jinja environment on the NHS.UK frontend templates, and page rendering.

Configured as nhsuk-frontend-jinja asks: ``ChainableUndefined`` (a component parameter
left out is simply absent) and a ``ChoiceLoader`` of our templates before the package's.
Because a misspelt key then renders as nothing, tests render every page and check what
each must show.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi.responses import RedirectResponse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from talentboard.web.csrf import FIELD as CSRF_FIELD
from talentboard.web.csrf import csrf_token
from talentboard.web.presenters.layout import navigation

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


class ComponentMemo:
    """NHS.UK components rendered once for each set of parameters they are given.

    A component's macro is a pure function of its parameters, and the header and footer
    of every page are the same for a user on a section, yet rendering the header alone
    took a third of a page's rendering time. ``component(name, params)`` in a template
    renders ``nhsuk/components/{name}`` as its macro would, from the most recently used
    ``max_entries`` renderings.
    """

    def __init__(self, env: Environment, max_entries: int = 2048) -> None:
        self._env = env
        self.max_entries = max_entries
        self._rendered: OrderedDict[str, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, name: str, params: dict[str, Any]) -> Markup:
        key = name + "\n" + json.dumps(params, sort_keys=True, default=str)
        with self._lock:
            found = self._rendered.get(key)
            if found is not None:
                self._rendered.move_to_end(key)
                return found
        first, *rest = name.split("-")
        macro_name = first + "".join(part.capitalize() for part in rest)
        module = self._env.get_template(f"nhsuk/components/{name}/macro.jinja").module
        rendered = Markup(getattr(module, macro_name)(params))  # noqa: S704 (the macro's own output)
        with self._lock:
            self._rendered[key] = rendered
            while len(self._rendered) > self.max_entries:
                self._rendered.popitem(last=False)
        return rendered


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
    env.globals["component"] = ComponentMemo(env)
    return env


def _common(request: Request) -> dict[str, Any]:
    principal = getattr(request.state, "principal", None)
    return {
        "cspNonce": getattr(request.state, "csp_nonce", ""),
        "request_id": getattr(request.state, "request_id", ""),
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


def told(request: Request, message: str, to: str) -> RedirectResponse:
    """Go to ``to``, showing ``message`` there (after an action: a decision, a run)."""
    flash(request, message)
    return RedirectResponse(to, status_code=303)


def fragment(name: str, macro: str, *arguments: Any) -> Markup:
    """One macro of template ``name`` rendered on its own, outside any request.

    For a part of a page that depends on the data alone (no CSRF token, nonce or user in
    it): rendered once and kept with the data (``analysis.cached``) rather than rendered
    again for every request.
    """
    rendered = getattr(templates.env.get_template(name).module, macro)(*arguments)
    if not isinstance(rendered, Markup):  # with autoescape on, a macro returns Markup
        raise TypeError(f"{name} {macro} did not render to markup")
    return rendered


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
