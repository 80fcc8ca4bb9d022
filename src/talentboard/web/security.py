"""Security headers on every response, with a fresh CSP nonce per request.

The Content-Security-Policy allows scripts only from this site's own files or carrying the
request's nonce, so no injected inline script runs. Pages are never framed
(``frame-ancestors 'none'``), never sniffed, and carry no referrer off the site. Pages
that may hold personal data are not stored by the browser's cache.

A request that came over HTTPS (directly, or through a proxy whose ``X-Forwarded-Proto``
is believed: ``forwarded_allow_ips``) gets HSTS and only Secure cookies, as does every
request when the ``https`` setting says the service is only reached over HTTPS.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHEABLE_PREFIXES = ("/static/", "/assets/")


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            # Vega's SVG renderer sets style attributes on chart elements; style elements
            # and every kind of script stay restricted.
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware adding the headers; the nonce is in ``request.state.csp_nonce``."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        path: str = scope.get("path", "")
        https = self.https or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A response may set a stricter policy of its own (a stand-alone report).
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = content_security_policy(nonce)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "DENY"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if not path.startswith(CACHEABLE_PREFIXES):
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                    _secure_cookies(message)
            await send(message)

        await self.app(scope, receive, with_headers)


def _secure_cookies(message: Message) -> None:
    """Mark every cookie the response sets Secure: the browser then never sends it over
    plain HTTP."""
    raw: list[tuple[bytes, bytes]] = list(message.get("headers", []))
    for index, (name, value) in enumerate(raw):
        if name.lower() == b"set-cookie":
            attributes = {part.strip().lower() for part in value.split(b";")[1:]}
            if b"secure" not in attributes:
                raw[index] = (name, value + b"; secure")
    message["headers"] = raw
