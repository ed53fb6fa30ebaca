"""Calendar feed tokens: one per person and project, kept as a hash. Hashing is the
caller's, as for API tokens (store.accounts)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ontrack.store import tables as t
from ontrack.store.accounts import User
from ontrack.store.repository import NotFound


def replace_feed_token(
    conn: sa.Connection, user_id: int, project: str, token_hash: str, now: datetime
) -> None:
    """The person's token for the project is `token_hash` from now on; the one they had
    there (if any) stops working."""
    p = t.projects.c
    project_id = conn.execute(sa.select(p.id).where(p.key == project)).scalar()
    if project_id is None:
        raise NotFound(f"no project {project!r}")
    remove_feed_token(conn, user_id, project)
    conn.execute(
        t.feed_tokens.insert().values(
            user_id=user_id, project_id=project_id, token_hash=token_hash, created_at=now
        )
    )


def remove_feed_token(conn: sa.Connection, user_id: int, project: str) -> bool:
    """Whether the person had a token for the project (it is gone now)."""
    f = t.feed_tokens.c
    of_project = sa.select(t.projects.c.id).where(t.projects.c.key == project).scalar_subquery()
    deleted = conn.execute(
        t.feed_tokens.delete().where(f.user_id == user_id, f.project_id == of_project)
    )
    return deleted.rowcount > 0


def feed_token_made(conn: sa.Connection, user_id: int, project: str) -> datetime | None:
    """When the person's token for the project was made; None when they have none."""
    f, p = t.feed_tokens.c, t.projects.c
    made: datetime | None = conn.execute(
        sa.select(f.created_at)
        .join(t.projects, p.id == f.project_id)
        .where(f.user_id == user_id, p.key == project)
    ).scalar()
    return made


def feed_token_holder(conn: sa.Connection, token_hash: str) -> tuple[User, str] | None:
    """The person a token was made for and the key of its project."""
    f, p, u = t.feed_tokens.c, t.projects.c, t.users.c
    row = conn.execute(
        sa.select(u.id, u.email, u.name, u.password_hash, p.key)
        .select_from(t.feed_tokens)
        .join(t.users, u.id == f.user_id)
        .join(t.projects, p.id == f.project_id)
        .where(f.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return User(row.id, row.email, row.name, row.password_hash), str(row.key)
