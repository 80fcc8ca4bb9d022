"""Sign-in through an OpenID Connect provider: the authorisation code flow with PKCE.

The provider is found from its issuer URL (the discovery document at
``/.well-known/openid-configuration``). A sign-in starts by storing, in the user's signed
session cookie, a random ``state``, ``nonce`` and PKCE code verifier; the browser goes to
the provider with the state, the nonce and the verifier's S256 challenge. When it comes
back, the state must be one this session started and has not used (each is used once and
lasts 10 minutes); the code is exchanged with the verifier; the ID token's signature is
checked against the provider's published keys (JWKS, fetched again once when a token names
a key not yet seen, as after a key rotation) with asymmetric algorithms only; its issuer
must be the configured one, its audience this client, its nonce the one sent, and it must
not have expired (a configurable clock skew allowed). The claims of the provider's
UserInfo endpoint, for the same subject, are added to the token's. Every refusal is a
:class:`SignInRefusedError` with a short reason code, for the audit log, and a sentence
for the person; neither ever holds a token or a code.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import is_secure_transport
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from talentboard.web.settings import WebSettings

PENDING_KEY = "oidc_pending"
PENDING_SECONDS = 600
MAX_PENDING = 5
METADATA_SECONDS = 3600.0
HTTP_TIMEOUT = 10.0
# Asymmetric signatures only: a provider's token is never checked with a shared secret.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")


class SignInRefusedError(Exception):
    """A single sign-on attempt that did not sign anyone in.

    ``reason`` is a short code kept in the audit log; ``message`` is what the person is
    told; ``username`` the verified email or name the attempt was for, when known;
    ``detail`` what an operator needs (never shown to the person, never a token).
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        status: int = 403,
        username: str | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.status = status
        self.username = username
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Identity:
    """The verified claims of an ID token, and where the person wanted to go."""

    issuer: str
    subject: str
    claims: dict[str, Any]
    next: str

    @property
    def key(self) -> str:
        """The provider's identifier of the person, unique across providers."""
        return f"{self.issuer}#{self.subject}"


def _unavailable(detail: str) -> SignInRefusedError:
    return SignInRefusedError(
        "provider_unavailable",
        "The sign-in service could not be reached or is not set up correctly. "
        "Try again later, and tell your service desk if it keeps happening",
        status=503,
        detail=detail,
    )


class OidcClient:
    """One configured provider: its discovery document and keys, cached for an hour."""

    def __init__(self, settings: WebSettings) -> None:
        if not settings.oidc_issuer or not settings.oidc_client_id:
            raise ValueError("single sign-on is not configured")
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        secret = settings.oidc_client_secret
        self.client_secret = secret.get_secret_value() if secret is not None else None
        self.auth_method = settings.oidc_token_auth_method
        self.scopes = settings.oidc_scopes
        self.leeway = settings.oidc_clock_skew_seconds
        self.userinfo = settings.oidc_userinfo
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    # The provider's documents ------------------------------------------------------

    def _get_json(self, url: str) -> dict[str, Any]:
        if not is_secure_transport(url):
            raise _unavailable(f"{url} is not an https address")
        try:
            response = httpx.get(url, timeout=HTTP_TIMEOUT, follow_redirects=False)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise _unavailable(f"{url}: {exc}") from exc
        if not isinstance(document, dict):
            raise _unavailable(f"{url} did not return a JSON object")
        return document

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            fresh = time.monotonic() - self._metadata_at < METADATA_SECONDS
            if self._metadata is not None and fresh:
                return self._metadata
        document = self._get_json(self.issuer + "/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != self.issuer:
            raise _unavailable(
                f"the discovery document names issuer {document.get('issuer')!r}, "
                f"not the configured {self.issuer!r}"
            )
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(name), str):
                raise _unavailable(f"the discovery document has no {name}")
        with self._lock:
            self._metadata, self._metadata_at, self._keys = document, time.monotonic(), None
        return document

    def keys(self, *, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is not None and not refresh:
                return self._keys
        document = self._get_json(self.metadata()["jwks_uri"])
        try:
            keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise _unavailable(f"the provider's key set cannot be read: {exc}") from exc
        with self._lock:
            self._keys = keys
        return keys

    # The flow --------------------------------------------------------------------

    def start(self, session: MutableMapping[str, Any], redirect_uri: str, next_path: str) -> str:
        """The provider's authorisation address; the pending sign-in is kept in ``session``."""
        metadata = self.metadata()
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        pending = _live_pending(session)
        pending[state] = {
            "nonce": nonce,
            "verifier": verifier,
            "next": next_path,
            "at": time.time(),
        }
        while len(pending) > MAX_PENDING:
            oldest = min(pending, key=lambda s: float(pending[s]["at"]))
            del pending[oldest]
        session[PENDING_KEY] = pending
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": self.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": create_s256_code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        endpoint: str = metadata["authorization_endpoint"]
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    def finish(
        self, session: MutableMapping[str, Any], params: Mapping[str, str], redirect_uri: str
    ) -> Identity:
        """Check the provider's answer and return the verified identity, or refuse."""
        pending = _live_pending(session)
        state = params.get("state", "")
        entry = pending.pop(state, None) if state else None
        session[PENDING_KEY] = pending
        if "error" in params:
            # Nobody is signed in by an error answer, so it is shown even when the provider
            # leaves the state out of it (some do).
            raise SignInRefusedError(
                "provider_refused",
                "Your organisation's sign-in service did not sign you in "
                f"({params['error'][:60]}). Try again, or ask your service desk",
            )
        if entry is None:
            raise SignInRefusedError(
                "unknown_state",
                "This sign-in link has already been used, has expired or was not started "
                "from this browser. Start signing in again",
                status=400,
            )
        code = params.get("code", "")
        if not code:
            raise SignInRefusedError(
                "no_code", "The sign-in service sent no authorisation code", status=400
            )
        tokens = self._exchange(code, str(entry["verifier"]), redirect_uri)
        claims = self._with_userinfo(self._verify(tokens, str(entry["nonce"])), tokens)
        return Identity(
            issuer=str(claims["iss"]),
            subject=str(claims["sub"]),
            claims=claims,
            next=str(entry["next"]),
        )

    def _exchange(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        endpoint: str = self.metadata()["token_endpoint"]
        if not is_secure_transport(endpoint):
            raise _unavailable(f"{endpoint} is not an https address")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.client_id,
        }
        auth: tuple[str, str] | None = None
        if self.client_secret is not None:
            if self.auth_method == "client_secret_post":
                form["client_secret"] = self.client_secret
            else:
                auth = (self.client_id, self.client_secret)
        try:
            response = httpx.post(endpoint, data=form, auth=auth, timeout=HTTP_TIMEOUT)
        except httpx.HTTPError as exc:
            raise _unavailable(f"token request: {exc}") from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            error = body.get("error", response.status_code) if isinstance(body, dict) else ""
            raise SignInRefusedError(
                "code_refused",
                "The sign-in service did not accept this sign-in "
                f"({str(error)[:60]}). Start signing in again",
            )
        if not isinstance(body.get("id_token"), str):
            raise SignInRefusedError("no_id_token", "The sign-in service sent no ID token")
        return body

    def _verify(self, tokens: dict[str, Any], nonce: str) -> dict[str, Any]:
        id_token: str = tokens["id_token"]
        offered = self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in SIGNING_ALGORITHMS if a in offered]
        if not algorithms:
            raise _unavailable(f"the provider signs ID tokens only with {offered}")
        try:
            try:
                token = jwt.decode(id_token, self.keys(), algorithms=algorithms)
            except InvalidKeyIdError:
                token = jwt.decode(id_token, self.keys(refresh=True), algorithms=algorithms)
        except (BadSignatureError, InvalidKeyIdError) as exc:
            raise SignInRefusedError(
                "bad_signature",
                "The sign-in could not be trusted: its token is not signed with a key of "
                "your organisation's sign-in service",
            ) from exc
        except JoseError as exc:
            raise SignInRefusedError(
                "malformed_token", "The sign-in service sent a token that cannot be read"
            ) from exc
        claims = dict(token.claims)
        checker = CodeIDToken(
            claims,
            token.header,
            {
                "iss": {"essential": True, "value": self.metadata()["issuer"]},
                "aud": {"essential": True, "values": [self.client_id]},
                "sub": {"essential": True},
                "exp": {"essential": True},
                "nonce": {"essential": True},
            },
            {
                "nonce": nonce,
                "client_id": self.client_id,
                "access_token": tokens.get("access_token"),
            },
        )
        try:
            checker.validate(leeway=self.leeway)
        except ExpiredTokenError as exc:
            raise SignInRefusedError(
                "expired_token", "The sign-in has expired. Start signing in again"
            ) from exc
        except (InvalidClaimError, MissingClaimError) as exc:
            raise _claim_refusal(exc.claim) from exc
        return claims

    def _with_userinfo(self, claims: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims and those of the provider's UserInfo endpoint, which is
        where some providers (NHS CIS2) send email and roles. The ID token's own claims win;
        UserInfo about another subject is refused."""
        endpoint = self.metadata().get("userinfo_endpoint")
        access_token = tokens.get("access_token")
        if not self.userinfo or not isinstance(endpoint, str) or not access_token:
            return claims
        if not is_secure_transport(endpoint):
            raise _unavailable(f"{endpoint} is not an https address")
        try:
            response = httpx.get(
                endpoint,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=HTTP_TIMEOUT,
            )
            found = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            raise _unavailable(f"UserInfo request: {exc}") from exc
        if not isinstance(found, dict):
            raise _unavailable(f"UserInfo answered {response.status_code} without claims")
        if found.get("sub") != claims["sub"]:
            raise SignInRefusedError(
                "userinfo_mismatch",
                "The sign-in service described another person than the one signed in",
            )
        return found | claims


_CLAIM_REFUSALS = {
    "aud": ("wrong_audience", "The sign-in was meant for another service, not this one"),
    "azp": ("wrong_audience", "The sign-in was meant for another service, not this one"),
    "iss": ("wrong_issuer", "The sign-in came from a sign-in service this one does not trust"),
    "nonce": ("nonce_mismatch", "The sign-in does not belong to this browser's request"),
    "iat": ("not_yet_valid", "The sign-in is dated in the future: check the server's clock"),
    "nbf": ("not_yet_valid", "The sign-in is dated in the future: check the server's clock"),
}


def _claim_refusal(claim: str) -> SignInRefusedError:
    reason, message = _CLAIM_REFUSALS.get(
        claim, ("invalid_token", f"The sign-in token's {claim!r} claim is missing or invalid")
    )
    return SignInRefusedError(reason, message + ". Start signing in again")


def _live_pending(session: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The sign-ins this session started in the last 10 minutes."""
    stored = session.get(PENDING_KEY)
    if not isinstance(stored, dict):
        return {}
    cutoff = time.time() - PENDING_SECONDS
    return {
        state: entry
        for state, entry in stored.items()
        if isinstance(entry, dict) and float(entry.get("at", 0)) >= cutoff
    }
