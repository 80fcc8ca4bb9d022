"""OpenID Connect providers the single sign-on tests run on free localhost ports.

- ``oidc-provider-mock``: a real provider (Authlib's authorisation server in Flask) that
  signs honest ID tokens for the users the test sets with ``set_user``;
- :class:`Forger`: a small provider of the test's own, for the tokens an honest provider
  never sends: it publishes one key and, from its token endpoint, returns whatever ID
  token the test gave it (signed with its key, with another key, for another audience,
  expired...). It records each token request, so PKCE and client authentication can be
  checked.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import app as provider_app
from werkzeug.wrappers import Request, Response

CLIENT_ID = "talentboard-test-client"
CLIENT_SECRET = "a-client-secret-for-the-tests-of-single-sign-on"


@dataclass
class MockProvider:
    """The running ``oidc-provider-mock``."""

    issuer: str

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        response = httpx.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def authorise(self, authorisation_url: str, sub: str) -> str:
        """Sign in at the provider as ``sub`` (what its form does); the address it sends the
        browser back to."""
        response = httpx.post(authorisation_url, data={"sub": sub}, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["location"]

    def deny(self, authorisation_url: str) -> str:
        response = httpx.post(authorisation_url, data={"action": "deny"}, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["location"]


@contextmanager
def mock_provider(users: Sequence[ProviderUser] = ()) -> Iterator[MockProvider]:
    """The mock on a free port, in a thread (as its ``run_server_in_thread`` does, with more
    time to stop on a busy machine); ``users`` are offered on its sign-in page."""
    app = provider_app(require_nonce=True, user_claims=users)
    with _serving(app, "localhost") as port:
        yield MockProvider(f"http://localhost:{port}")


@contextmanager
def _serving(app: Any, host: str) -> Iterator[int]:
    server = werkzeug.serving.make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=30)
        server.server_close()


@dataclass
class Forger:
    """A provider whose token endpoint answers with the ID token the test chose."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "forger-1"}))
    id_token: str = ""
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    # What its UserInfo endpoint answers (None: it has none).
    userinfo: dict[str, Any] | None = None

    def claims(self, sent_nonce: str, /, **changes: Any) -> dict[str, Any]:
        """Honest claims for the nonce sent, with ``changes`` (None removes a claim)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "forged-subject-1",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": sent_nonce,
            "email": "frances.forde@nhs.net",
            "email_verified": True,
        }
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not None}

    def sign(
        self, claims: dict[str, Any], key: RSAKey | OctKey | None = None, kid: str = ""
    ) -> str:
        """An RS256 token over ``claims``, with this provider's key unless told otherwise;
        HS256 with a shared key (``OctKey``)."""
        signing = key or self.key
        if isinstance(signing, OctKey):
            return jwt.encode({"alg": "HS256", "kid": "forger-1"}, claims, signing)
        header = {"alg": "RS256", "kid": kid or str(signing.kid)}
        return jwt.encode(header, claims, signing)

    def app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body: Any
        if request.path == "/.well-known/openid-configuration":
            body = {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
            if self.userinfo is not None:
                body["userinfo_endpoint"] = f"{self.issuer}/userinfo"
        elif request.path == "/jwks":
            body = KeySet([self.key]).as_dict(private=False)
        elif request.path == "/userinfo" and self.userinfo is not None:
            if request.headers.get("Authorization") != "Bearer forged-access":
                return Response("unauthorised", status=401)(environ, start_response)
            body = self.userinfo
        elif request.path == "/token" and request.method == "POST":
            self.token_requests.append(
                {**request.form.to_dict(), "authorization": request.headers.get("Authorization")}
            )
            body = {"access_token": "forged-access", "token_type": "Bearer"}
            body["id_token"] = self.id_token
        else:
            return Response("not found", status=404)(environ, start_response)
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


@contextmanager
def forger() -> Iterator[Forger]:
    provider = Forger()
    with _serving(provider.app, "127.0.0.1") as port:
        provider.issuer = f"http://127.0.0.1:{port}"
        yield provider


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def unsigned(claims: dict[str, Any]) -> str:
    """A token with ``alg: none`` and no signature."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'kid': 'forger-1'})}.{part(claims)}."
