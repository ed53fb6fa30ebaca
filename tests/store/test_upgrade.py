"""A database made by an older ontrack is upgraded when it is opened, and keeps its data."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from ontrack.core.model import Plan
from ontrack.planfile import dump_plan
from ontrack.store import export_plan, import_plan, open_store
from ontrack.store.engine import create_store_engine, migrations_config


def test_a_database_at_the_first_revision_is_upgraded_on_open_and_keeps_its_projects(
    db_url: str, plan: Plan
) -> None:
    # Made now, then taken back to the first release's schema (no people, no journal
    # project versions): what an ontrack of then would have left on disk.
    with open_store(db_url).begin() as conn:
        import_plan(conn, plan, "pm")
    old = create_store_engine(db_url)
    config = migrations_config()
    with old.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    with old.connect() as conn:
        assert "users" not in sa.inspect(conn).get_table_names()
    old.dispose()

    engine = open_store(db_url)
    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        assert {"users", "memberships", "api_tokens", "baselines"} <= set(
            sa.inspect(conn).get_table_names()
        )
        assert dump_plan(export_plan(conn, plan.project.id)) == dump_plan(plan)
