"""CSRF protection: a random token kept in the signed session, required on every form.

The token is compared in constant time. The JSON API is exempt: it authenticates with a
bearer token in a header, which a browser never adds to a cross-site request by itself,
and it ignores the session cookie.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/"
_SESSION_KEY = "csrf"


class CsrfError(Exception):
    """A state-changing request came without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get(_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


def renew_csrf_token(request: Request) -> str:
    request.session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return str(request.session[_SESSION_KEY])


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a form submission whose token does not match the session's."""
    if request.method in SAFE_METHODS or request.url.path.startswith(API_PREFIX):
        return
    expected = request.session.get(_SESSION_KEY)
    form = await request.form()
    supplied = form.get(FIELD)
    if (
        not isinstance(expected, str)
        or not isinstance(supplied, str)
        or not hmac.compare_digest(expected.encode(), supplied.encode())
    ):
        raise CsrfError
