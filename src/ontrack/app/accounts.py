"""People: adding users, signing in (argon2id, with a limit on failed attempts), personal
API tokens and granting roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ontrack.app.access import require
from ontrack.store import accounts
from ontrack.store.accounts import User

# At most this many failed sign-ins per address within the window; then it waits.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs


class SignInRefused(ValueError):
    """Wrong address or password (which one is not said)."""


class TooManyAttempts(ValueError):
    pass


class UnknownUser(LookupError):
    pass


class AccountRefused(ValueError):
    """Not an e-mail address, too short a password, no such role."""


def add_user(engine: sa.Engine, email: str, name: str, password: str, now: datetime) -> User:
    if "@" not in email:
        raise AccountRefused(f"{email!r} is not an e-mail address")
    _check_password(password)
    with engine.begin() as conn:
        return accounts.add_user(conn, email, name or email, _hasher.hash(password), now)


def set_password(engine: sa.Engine, email: str, password: str) -> None:
    _check_password(password)
    with engine.begin() as conn:
        found = accounts.find_user(conn, email)
        if found is None:
            raise UnknownUser(f"no user {email!r}: add them with `ontrack user add`")
        accounts.set_password_hash(conn, found.id, _hasher.hash(password))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountRefused(f"the password is too short: use at least {MIN_PASSWORD} characters")


def sign_in(engine: sa.Engine, email: str, password: str, now: datetime) -> User:
    """The user, if the password is theirs; failures are counted per address."""
    with engine.begin() as conn:
        if accounts.failures_since(conn, email, now - FAILURE_WINDOW) >= MAX_FAILURES:
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            raise TooManyAttempts(
                f"too many failed sign-ins for this address: wait {minutes} minutes"
            )
        user = accounts.find_user(conn, email)
        if user is not None and _verified(user.password_hash, password):
            accounts.clear_failures(conn, email)
            if _hasher.check_needs_rehash(user.password_hash):
                accounts.set_password_hash(conn, user.id, _hasher.hash(password))
            return user
        accounts.note_failure(conn, email, now)
    raise SignInRefused("wrong e-mail address or password")


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def user(engine: sa.Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        return accounts.user_by_id(conn, user_id)


def new_token(engine: sa.Engine, email: str, name: str, now: datetime) -> str:
    """A new personal API token for the user; only its hash is kept, so show it once."""
    token = "ot_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        found = accounts.find_user(conn, email)
        if found is None:
            raise UnknownUser(f"no user {email!r}: add them with `ontrack user add`")
        accounts.add_token(conn, found.id, name, token_hash(token), now)
    return token


def user_for_token(engine: sa.Engine, token: str) -> User | None:
    with engine.connect() as conn:
        return accounts.user_by_token(conn, token_hash(token))


def token_hash(token: str) -> str:
    """What is kept of a token: SHA-256, as a token is random and long, so a slow hash
    adds nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def grant(engine: sa.Engine, email: str, project: str, role: str, by: User | None = None) -> None:
    """Give `email` the role on the project; `by` (None: the command line, the machine's
    administrator) must own the project."""
    if role not in accounts.ROLES:
        raise AccountRefused(f"no role {role!r}: use one of {', '.join(accounts.ROLES)}")
    with engine.begin() as conn:
        if by is not None:
            require(accounts.role_on(conn, by.id, project), "grant", project)
        found = accounts.find_user(conn, email)
        if found is None:
            raise UnknownUser(f"no user {email!r}: add them with `ontrack user add`")
        accounts.grant(conn, found.id, project, role)


def secret_key(engine: sa.Engine) -> str:
    """The key that signs session cookies: made once, kept in the database, so sessions
    outlive a restart and every server process on the database shares it."""
    with engine.begin() as conn:
        return accounts.setting(conn, "session_secret", secrets.token_urlsafe(48))
