"""People and their access: users, roles on projects, API tokens, sign-in failures and the
app's settings. Hashing is the caller's: these functions keep and find what they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ontrack.store import tables as t
from ontrack.store.repository import NotFound

ROLES = ("owner", "manager", "member", "client")


class UserExists(ValueError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    password_hash: str


def add_user(conn: sa.Connection, email: str, name: str, password_hash: str, now: datetime) -> User:
    email = email.strip().lower()
    if conn.execute(sa.select(t.users.c.id).where(t.users.c.email == email)).first():
        raise UserExists(f"there is already a user {email!r}")
    user_id = conn.execute(
        t.users.insert()
        .values(email=email, name=name, password_hash=password_hash, created_at=now)
        .returning(t.users.c.id)
    ).scalar_one()
    return User(user_id, email, name, password_hash)


def find_user(conn: sa.Connection, email: str) -> User | None:
    row = conn.execute(sa.select(t.users).where(t.users.c.email == email.strip().lower())).first()
    return _user(row)


def user_by_id(conn: sa.Connection, user_id: int) -> User | None:
    return _user(conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first())


def set_password_hash(conn: sa.Connection, user_id: int, password_hash: str) -> None:
    conn.execute(
        t.users.update().where(t.users.c.id == user_id).values(password_hash=password_hash)
    )


def _user(row: Any) -> User | None:
    return None if row is None else User(row.id, row.email, row.name, row.password_hash)


# --- roles --------------------------------------------------------------------------------


def grant(conn: sa.Connection, user_id: int, project: str, role: str) -> None:
    """Give the user `role` on the project, replacing the role they had there."""
    if role not in ROLES:
        raise ValueError(f"no role {role!r}: use one of {', '.join(ROLES)}")
    project_id = _project_id(conn, project)
    m = t.memberships.c
    where = sa.and_(m.user_id == user_id, m.project_id == project_id)
    if conn.execute(t.memberships.update().where(where).values(role=role)).rowcount == 0:
        conn.execute(
            t.memberships.insert().values(user_id=user_id, project_id=project_id, role=role)
        )


def revoke(conn: sa.Connection, user_id: int, project: str) -> None:
    m = t.memberships.c
    project_id = _project_id(conn, project)
    conn.execute(t.memberships.delete().where(m.user_id == user_id, m.project_id == project_id))
    # A role given again later must not bring back a calendar link made under this one.
    f = t.feed_tokens.c
    conn.execute(t.feed_tokens.delete().where(f.user_id == user_id, f.project_id == project_id))


def role_on(conn: sa.Connection, user_id: int, project: str) -> str | None:
    m, p = t.memberships.c, t.projects.c
    return conn.execute(
        sa.select(m.role)
        .join(t.projects, p.id == m.project_id)
        .where(m.user_id == user_id, p.key == project)
    ).scalar()


def roles_of(conn: sa.Connection, user_id: int) -> dict[str, str]:
    """Every project the user has a role on: project key -> role."""
    m, p = t.memberships.c, t.projects.c
    rows = conn.execute(
        sa.select(p.key, m.role)
        .join(t.projects, p.id == m.project_id)
        .where(m.user_id == user_id)
        .order_by(p.key)
    )
    return {key: role for key, role in rows}


def members(conn: sa.Connection, project: str) -> list[tuple[User, str]]:
    m, p, u = t.memberships.c, t.projects.c, t.users.c
    rows = conn.execute(
        sa.select(t.users, m.role)
        .join(t.memberships, m.user_id == u.id)
        .join(t.projects, p.id == m.project_id)
        .where(p.key == project)
        .order_by(u.email)
    )
    return [(User(r.id, r.email, r.name, r.password_hash), r.role) for r in rows]


def _project_id(conn: sa.Connection, key: str) -> int:
    project_id = conn.execute(sa.select(t.projects.c.id).where(t.projects.c.key == key)).scalar()
    if project_id is None:
        raise NotFound(f"no project {key!r}")
    return int(project_id)


# --- API tokens ---------------------------------------------------------------------------


def add_token(conn: sa.Connection, user_id: int, name: str, token_hash: str, now: datetime) -> int:
    return int(
        conn.execute(
            t.api_tokens.insert()
            .values(user_id=user_id, name=name, token_hash=token_hash, created_at=now)
            .returning(t.api_tokens.c.id)
        ).scalar_one()
    )


def user_by_token(conn: sa.Connection, token_hash: str) -> User | None:
    k, u = t.api_tokens.c, t.users.c
    row = conn.execute(
        sa.select(t.users).join(t.api_tokens, k.user_id == u.id).where(k.token_hash == token_hash)
    ).first()
    return _user(row)


# --- sign-in failures ---------------------------------------------------------------------


def note_failure(conn: sa.Connection, email: str, now: datetime) -> None:
    conn.execute(t.sign_in_failures.insert().values(email=email.strip().lower(), at=now))


def failures_since(conn: sa.Connection, email: str, since: datetime) -> int:
    f = t.sign_in_failures.c
    return int(
        conn.execute(
            sa.select(sa.func.count())
            .select_from(t.sign_in_failures)
            .where(f.email == email.strip().lower(), f.at >= since)
        ).scalar_one()
    )


def clear_failures(conn: sa.Connection, email: str) -> None:
    f = t.sign_in_failures.c
    conn.execute(t.sign_in_failures.delete().where(f.email == email.strip().lower()))


# --- settings -----------------------------------------------------------------------------


def setting(conn: sa.Connection, name: str, default: str) -> str:
    """The stored value, or `default` stored now (so every process shares the first)."""
    s = t.settings.c
    value = conn.execute(sa.select(s.value).where(s.name == name)).scalar()
    if value is not None:
        return str(value)
    conn.execute(t.settings.insert().values(name=name, value=default))
    return default
