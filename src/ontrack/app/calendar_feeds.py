"""Calendar subscriptions: addresses a calendar program (Outlook, Google Calendar, Apple
Calendar) polls for a project's dates, as `ontrack export ical` writes them.

A calendar program sends no cookie and no Authorization header, so the credential travels
in the address: a feed token, made for one person and one project. It opens that project's
calendar feeds and nothing else (it lives in a table of its own, which no API check reads),
is random (256 bits) and kept only as a hash, so an address is shown once, when made.
Every poll checks the person's role as it is now; whatever is wrong (an unknown or revoked
token, another project, a role taken away or too small) is the same NoFeed, so an address
tells a stranger nothing.

Plan resources are not user accounts, so a person feed is a resource's: anyone on the
team may follow any resource of the project (the task table shows them all anyway). A
client's feeds hold outcomes and milestones only; they get no person feed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ontrack.app.access import Denied, is_team, require
from ontrack.app.accounts import token_hash
from ontrack.app.current import Current
from ontrack.app.workspace import Workspace
from ontrack.interop.ical import calendar_text, plan_events
from ontrack.store import NotFound
from ontrack.store.accounts import User
from ontrack.store.feed_tokens import (
    feed_token_holder,
    feed_token_made,
    remove_feed_token,
    replace_feed_token,
)

TOKEN_PREFIX = "otcal_"  # tells a feed token from an API token (`ot_`) at a glance


class NoFeed(NotFound):
    """No calendar at this address, for whatever reason (never said which)."""

    def __init__(self) -> None:
        super().__init__("no calendar here: ask for a new subscription link")


@dataclass(frozen=True)
class Feed:
    text: str
    filename: str
    version: int
    """The project's version: the calendar changes only when it moves on."""

    @property
    def etag(self) -> str:
        # Weak: a calendar made again after the cache let it go has a new DTSTAMP.
        return f'W/"{self.version}"'


def subscription(workspace: Workspace, user: User, key: str) -> dict[str, Any]:
    """The calendar page: whether you have a link for the project (when it was made) and
    whose person feeds you may follow."""
    role = require(workspace.role(user, key), "see", key)
    now = workspace.current(user, key, "see")
    with workspace.engine.connect() as conn:
        made = feed_token_made(conn, user.id, key)
    people = [{"id": r.id, "name": r.name or r.id} for r in now.plan.resources]
    return {
        "role": role,
        "project": {"key": key, "name": now.plan.project.name},
        "made": None if made is None else _utc(made).isoformat(timespec="seconds"),
        "people": people if is_team(role) else [],
        "token": None,
    }


def make_feed_token(workspace: Workspace, user: User, key: str, now: datetime) -> dict[str, Any]:
    """A new link for the project (the one you had stops working); the token is in this
    answer only."""
    data = subscription(workspace, user, key)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with workspace.engine.begin() as conn:
        replace_feed_token(conn, user.id, key, token_hash(token), now)
    return {**data, "made": _utc(now).isoformat(timespec="seconds"), "token": token}


def revoke_feed_token(workspace: Workspace, user: User, key: str) -> bool:
    """Your link for the project stops working; False when you had none."""
    require(workspace.role(user, key), "see", key)
    with workspace.engine.begin() as conn:
        return remove_feed_token(conn, user.id, key)


def feed(workspace: Workspace, token: str, key: str, resource: str | None, stamp: datetime) -> Feed:
    """The project's calendar (outcome targets and forecasts, milestones), and with a
    `resource`, that resource's tasks too; worked out once per project version from the
    cached schedule (`stamp`, the DTSTAMP, is when that was)."""
    with workspace.engine.connect() as conn:
        holder = feed_token_holder(conn, token_hash(token))
    if holder is None or holder[1] != key:
        raise NoFeed()
    try:
        now = workspace.current(holder[0], key, "see" if resource is None else "see_team")
    except (NotFound, Denied):
        raise NoFeed() from None
    if resource is not None and resource not in {r.id for r in now.plan.resources}:
        raise NoFeed()
    text = now.derived(f"calendar feed {resource}", lambda: _calendar(now, resource, stamp))
    filename = f"{key}-{resource}.ics" if resource else f"{key}.ics"
    return Feed(text, filename, now.version)


def _calendar(now: Current, resource: str | None, stamp: datetime) -> str:
    plan = now.plan
    name = plan.project.name
    if resource is not None:
        person = next(r for r in plan.resources if r.id == resource)
        name = f"{name}: {person.name or person.id}"
    events = plan_events(plan, now.scheduled.schedule, [resource] if resource else [])
    return calendar_text(name, events, stamp)


def _utc(moment: datetime) -> datetime:
    """SQLite gives back a naive time (written as UTC), PostgreSQL one in its own zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
