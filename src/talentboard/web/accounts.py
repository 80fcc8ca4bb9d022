"""User accounts and API tokens: creation, sign-in checks with lock-out, token look-up.

Passwords are hashed with Argon2id (argon2-cffi's defaults, rehashed when those change).
API tokens are random 256-bit values shown once; only their SHA-256 is stored, which is
enough for a secret of that strength and lets a token be found by its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard import vocab
from talentboard.db.models import ApiToken, Organisation, Person, User
from talentboard.reference import REGION_CODES
from talentboard.web.permissions import Principal

TOKEN_PREFIX = "tb_"  # noqa: S105 - a marker that makes tokens recognisable, not a secret
MIN_PASSWORD_LENGTH = 12
# The stored "hash" of an account that signs in only through single sign-on: no password
# ever matches it.
UNUSABLE_PASSWORD = "!"  # noqa: S105 - a marker, not a secret

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that answer takes as long as a wrong
# password and does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, with the reason."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")


def principal_for(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        region_code=user.region_code,
        ods_code=user.ods_code,
        person_ref=user.person_ref,
    )


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; they were stored in UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def add_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str | None,
    region_code: str | None = None,
    ods_code: str | None = None,
    person_id: str | None = None,
    email: str | None = None,
) -> User:
    """Create a user, checking the role's scope is given and exists.

    ``email`` is matched against a single sign-on provider's verified email claim; an
    account with an email may have no password (it then signs in only that way).
    """
    username = username.strip()
    if not username:
        raise AccountError("the username is empty")
    email = _checked_email(session, email)
    if password is None and email is None:
        raise AccountError("give a password, or an email address for single sign-on")
    if role not in vocab.USER_ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(vocab.USER_ROLES)}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"a user called {username!r} already exists")
    if role == "regional" and region_code is None:
        raise AccountError("a regional user needs --region")
    if role == "org_admin" and ods_code is None:
        raise AccountError("an org_admin user needs --org")
    if role == "individual" and person_id is None:
        raise AccountError("an individual user needs --person")
    if region_code is not None and region_code not in REGION_CODES:
        raise AccountError(f"unknown region code {region_code!r}")
    if ods_code is not None and session.get(Organisation, ods_code) is None:
        raise AccountError(f"no organisation with ODS code {ods_code!r}")
    person_ref = None
    if person_id is not None:
        person_ref = session.scalar(select(Person.id).where(Person.person_id == person_id))
        if person_ref is None:
            raise AccountError(f"no person with id {person_id!r}")
    if password is not None:
        check_password_rules(password)
    user = User(
        username=username,
        password_hash=UNUSABLE_PASSWORD if password is None else hash_password(password),
        email=email,
        role=role,
        region_code=region_code,
        ods_code=ods_code,
        person_ref=person_ref,
        active=True,
        failed_logins=0,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(user)
    session.flush()
    return user


def _checked_email(session: Session, email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with the email address {email!r} already exists")
    return email


def sign_in_methods(user: User) -> str:
    """How a user signs in, in words: a password, single sign-on, or both."""
    methods = []
    if user.password_hash != UNUSABLE_PASSWORD:
        methods.append("password")
    if user.sso_managed:
        methods.append("single sign-on (role claim)")
    elif user.email or user.sso_subject:
        methods.append(f"single sign-on ({user.email})" if user.email else "single sign-on")
    return ", ".join(methods)


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"no user called {username!r}")
    return user


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def disable_user(session: Session, username: str) -> User:
    """Disable a user and revoke their API tokens; their sessions end at the next request."""
    user = find_user(session, username)
    user.active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_ref == user.id)):
        token.revoked = True
    session.flush()
    return user


def create_token(session: Session, username: str) -> str:
    """A new API token for an active user; only its hash is stored."""
    user = find_user(session, username)
    if not user.active:
        raise AccountError(f"the user {username!r} is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_ref=user.id,
            token_hash=token_hash(token),
            created_at=dt.datetime.now(dt.UTC),
            revoked=False,
        )
    )
    session.flush()
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a token belongs to, recording when it was last used."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_hash(token), ApiToken.revoked.is_(False)
        )
    )
    if row is None:
        return None
    user = session.get(User, row.user_ref)
    if user is None or not user.active:
        return None
    row.last_used_at = dt.datetime.now(dt.UTC)
    return user


@dataclass(frozen=True, slots=True)
class SignInResult:
    """What a sign-in attempt came to: ``user`` is set only on success."""

    user: User | None
    locked_until: dt.datetime | None = None
    just_locked: bool = False


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    max_failures: int,
    lockout: dt.timedelta,
    at: dt.datetime | None = None,
) -> SignInResult:
    """Check a username and password, counting failures and locking the account.

    ``max_failures`` wrong passwords in a row lock the account for ``lockout``; while it is
    locked even the right password is refused. A success resets the count.
    """
    at = at or dt.datetime.now(dt.UTC)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or user.password_hash == UNUSABLE_PASSWORD:
        _verify(_DUMMY_HASH, password)
        return SignInResult(None)
    locked_until = _utc(user.locked_until)
    if locked_until is not None and locked_until > at:
        _verify(_DUMMY_HASH, password)
        return SignInResult(None, locked_until=locked_until)
    if not _verify(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = at + lockout
            user.failed_logins = 0
            session.flush()
            return SignInResult(None, locked_until=user.locked_until, just_locked=True)
        session.flush()
        return SignInResult(None)
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return SignInResult(user)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    scope: str
    password: str


def add_demo_accounts(session: Session) -> list[DemoAccount]:
    """One user of each role over the loaded demo data, with new random passwords.

    Refused unless the database holds demo data: these accounts are for trying the
    service out, never for real records.
    """
    from talentboard.db.models import Post, Setting, SuccessionPlan, TalentProfile

    if session.get(Setting, "demo_as_at") is None:
        raise AccountError("the database holds no demo data: load it with 'talentboard demo'")
    region = session.get(Setting, "demo_region")
    planned = (
        select(Post.ods_code, Organisation.region_code)
        .join(SuccessionPlan, SuccessionPlan.post_ref == Post.id)
        .join(Organisation, Organisation.ods_code == Post.ods_code)
        .order_by(Post.ods_code)
    )
    # A national demo records no region (an empty value).
    if region is not None and region.value:
        planned = planned.where(Organisation.region_code == region.value)
    first = session.execute(planned.limit(1)).first()
    if first is None:
        raise AccountError("the demo data has no succession plan to give an organisation user")
    ods_code, region_code = first
    person_id = session.scalar(
        select(Person.person_id)
        .join(TalentProfile, TalentProfile.person_ref == Person.id)
        .order_by(Person.person_id)
        .limit(1)
    )
    if person_id is None:
        raise AccountError("the demo data has no talent-pool member to give an individual user")
    scopes: list[tuple[str, dict[str, str], str]] = [
        ("national", {}, "all of England"),
        ("regional", {"region_code": region_code}, f"region {region_code}"),
        ("org_admin", {"ods_code": ods_code}, f"organisation {ods_code}"),
        ("viewer", {}, "aggregates for England"),
        ("individual", {"person_id": person_id}, f"own record {person_id}"),
    ]
    accounts = []
    for role, scope, words in scopes:
        username = f"demo-{role.replace('_', '-')}"
        password = secrets.token_urlsafe(12)
        existing = session.scalar(select(User).where(User.username == username))
        if existing is not None:
            session.delete(existing)
            session.flush()
        add_user(session, username, role=role, password=password, **scope)
        accounts.append(DemoAccount(username, role, words, password))
    return accounts
