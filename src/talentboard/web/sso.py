"""Who a verified single sign-on identity is here: an account, or a refusal with the reason.

In this order (docs/access.md, "Single sign-on"):

1. the account already bound to the provider's subject (bound at its first sign-in);
2. the account an administrator made with the person's email address, matched on the
   email claim when the provider has verified it (``email_verified`` false refuses; a
   provider that does not send it is trusted unless ``oidc_require_email_verified``);
3. a configured role claim value (a group or app role) mapped to a role and scope: the
   first entry of the role map the person's claim holds gives them an account, whose role
   and scope then follow the claim at every sign-in.

Anyone else is refused. A disabled account is refused whatever the claims say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import Organisation, User
from talentboard.web.accounts import UNUSABLE_PASSWORD
from talentboard.web.oidc import Identity, SignInRefusedError
from talentboard.web.settings import ClaimRole, WebSettings


@dataclass(frozen=True, slots=True)
class Match:
    """The account an identity signs in to, and how it was found."""

    user: User
    how: str  # "subject", "email" or "role claim"
    created: bool = False
    grant: ClaimRole | None = None


def claim_values(claims: dict[str, Any], path: str) -> list[str]:
    """The strings at ``path`` in the claims: a string, a list of strings, or, with a dotted
    path, a field of each object of a list (``nhsid_nrbac_roles.role_code``)."""
    found: list[Any] = [claims]
    for part in path.split("."):
        step: list[Any] = []
        for value in found:
            items = value if isinstance(value, list) else [value]
            step.extend(item[part] for item in items if isinstance(item, dict) and part in item)
        found = step
    values: list[str] = []
    for value in found:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str | int) and not isinstance(item, bool):
                values.append(str(item))
    return values


def email_claim(identity: Identity, settings: WebSettings) -> tuple[str | None, bool]:
    """The email claim in lower case (or None), and whether it may be trusted: the provider
    has not said it is unverified (nor left it unsaid, when that is required)."""
    value = identity.claims.get(settings.oidc_email_claim)
    if not isinstance(value, str) or "@" not in value:
        return None, False
    verified = identity.claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() == "true"
    trusted = verified is True or (verified is None and not settings.oidc_require_email_verified)
    return value.strip().lower(), trusted


def display_name(identity: Identity, email: str | None) -> str:
    """What the audit log calls the person trying to sign in."""
    if email:
        return email
    name = identity.claims.get("preferred_username")
    return name if isinstance(name, str) and name else f"sso:{identity.subject}"


def find_account(session: Session, identity: Identity, settings: WebSettings) -> Match:
    """The account ``identity`` signs in to (binding or creating it), or a refusal."""
    email, trusted = email_claim(identity, settings)
    grant = _grant(identity, settings)
    user = session.scalar(select(User).where(User.sso_subject == identity.key))
    how = "subject"
    if user is None and email is not None and trusted:
        user = session.scalar(select(User).where(func.lower(User.email) == email))
        how = "email"
        if user is not None and user.sso_subject not in (None, identity.key):
            raise SignInRefusedError(
                "linked_to_another_identity",
                "The account with your email address is linked to another identity at your "
                "organisation's sign-in service. Ask an administrator",
                username=email,
            )
    if user is not None:
        user = _signed_in(session, identity, user, grant)
        return Match(user, how, grant=grant if user.sso_managed else None)
    name = display_name(identity, email if trusted else None)[:100]
    if grant is None:
        if email is not None and not trusted:
            raise SignInRefusedError(
                "email_not_verified",
                "Your organisation's sign-in service has not verified your email address, "
                "so it cannot be matched to an account here. Ask your service desk",
                username=email[:100],
            )
        raise SignInRefusedError(
            "not_registered",
            "You do not have an account in this service. Ask an administrator to add you "
            "with the email address your organisation holds for you",
            username=name,
        )
    user = _create(session, identity, name, email if trusted else None, grant)
    return Match(user, "role claim", True, grant)


def _signed_in(session: Session, identity: Identity, user: User, grant: ClaimRole | None) -> User:
    """An existing account: refused when disabled; a claim-managed one takes the role and
    scope its claim gives now; bound to the identity."""
    if not user.active:
        raise SignInRefusedError(
            "account_disabled", "Your account here is disabled", username=user.username
        )
    if user.sso_managed:
        if grant is None:
            raise SignInRefusedError(
                "no_role",
                "Your organisation no longer gives you a role in this service",
                username=user.username,
            )
        _apply(session, user, grant)
    user.sso_subject = identity.key
    session.flush()
    return user


def _grant(identity: Identity, settings: WebSettings) -> ClaimRole | None:
    if not settings.oidc_role_claim:
        return None
    held = set(claim_values(identity.claims, settings.oidc_role_claim))
    return next((entry for entry in settings.oidc_role_map if entry.value in held), None)


def _apply(session: Session, user: User, grant: ClaimRole) -> None:
    if grant.org is not None and session.get(Organisation, grant.org) is None:
        raise SignInRefusedError(
            "role_map_unknown_organisation",
            "Your role in this service names an organisation it does not hold. "
            "Tell your service desk",
            username=user.username,
            detail=f"role map entry {grant.value!r} names ODS code {grant.org!r}",
        )
    user.role = grant.role
    user.region_code = grant.region
    user.ods_code = grant.org
    user.person_ref = None


def _create(
    session: Session, identity: Identity, name: str, email: str | None, grant: ClaimRole
) -> User:
    taken = session.scalar(select(User.id).where(User.username == name))
    if taken is not None or (
        email is not None
        and session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None
    ):
        raise SignInRefusedError(
            "username_taken",
            "An account with your name already exists here but is not linked to you. "
            "Ask an administrator",
            username=name,
        )
    user = User(
        username=name,
        password_hash=UNUSABLE_PASSWORD,
        email=email,
        sso_subject=identity.key,
        sso_managed=True,
        active=True,
        failed_logins=0,
        created_at=dt.datetime.now(dt.UTC),
    )
    _apply(session, user, grant)
    session.add(user)
    session.flush()
    return user
