"""The database schema: SQLAlchemy Core tables on one `MetaData`, portable SQL only.

The trade-off: a project row keeps the plan's slow-moving parts (project info, program,
calendars, resources, outcomes, deliverables, conversations) as one JSON document, and
the parts a team edits day to day (tasks with their progress, dependencies, resource
assignments) are normalised rows, each with a `version` for optimistic locking. The
document keeps import/export lossless without a table per plan-file field; the rows let the
web app edit, lock and journal one task at a time. A part moves from the document to rows
when the web app starts editing it (a new migration).

The `journal` records every change with its before and after (JSON keyed by the plan-file
field names), so that any earlier version of a project can be rebuilt from it.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    # Named constraints, so that later migrations can alter them on every database.
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False, default=1)


def _duration(prefix: str) -> tuple[sa.Column[float], sa.Column[str]]:
    """A `Duration` as its number and unit: text like "2.5d" would round the number."""
    return sa.Column(f"{prefix}_value", sa.Float), sa.Column(f"{prefix}_unit", sa.String(2))


projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    _version(),
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("parent_id", sa.ForeignKey("tasks.id", ondelete="CASCADE")),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20)),
    *_duration("duration"),
    sa.Column("estimate", sa.JSON),
    sa.Column("deliverable", sa.String(200)),
    sa.Column("outcomes", sa.JSON, nullable=False),
    sa.Column("not_before", sa.Date),
    sa.Column("pin", sa.Date),
    sa.Column("deadline", sa.Date),
    sa.Column("cost", sa.Float),
    sa.Column("calendar", sa.String(200)),
    sa.Column("notes", sa.Text),
    sa.Column("actual_start", sa.Date),
    sa.Column("actual_finish", sa.Date),
    sa.Column("percent_complete", sa.Float),
    sa.Column("actual_cost", sa.Float),
    sa.Column("expedite_cost_per_day", sa.Float),
    _version(),
    sa.UniqueConstraint("project_id", "key"),
)

dependencies = sa.Table(
    "dependencies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("predecessor", sa.String(200), nullable=False),
    sa.Column("type", sa.String(2), nullable=False),
    *_duration("lag"),
    # Written as a bare id in the plan file; kept so the canonical file comes back.
    sa.Column("short", sa.Boolean, nullable=False),
    _version(),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("resource", sa.String(200), nullable=False),
    sa.Column("units", sa.Float, nullable=False),
    _version(),
)

journal = sa.Table(
    "journal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entity", sa.String(40), nullable=False),
    sa.Column("entity_id", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    # The entity's version after the change: what a stale editor has missed.
    sa.Column("version", sa.Integer),
    # The project's version after the change (every change moves it on): what an upload
    # based on an older version of the whole project has missed.
    sa.Column("project_version", sa.Integer),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Index("ix_journal_project_entity", "project_id", "entity", "entity_id"),
)

# --- people and access --------------------------------------------------------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # Kept lower-case: one person, one account, however they type their address.
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, with its parameters
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    # SHA-256 of the token: it is random and long, so a slow hash adds nothing.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# A calendar subscription: read-only access to one project's calendar feeds for one person,
# kept apart from api_tokens so that no check of an API token can ever accept it.
feed_tokens = sa.Table(
    "feed_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # SHA-256, as above
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("user_id", "project_id"),  # one link per person and project
)

sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# --- saved baselines ----------------------------------------------------------------------

baselines = sa.Table(
    "baselines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("document", sa.JSON, nullable=False),  # the core Baseline, as JSON
    sa.UniqueConstraint("project_id", "name"),
)
