from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from ontrack.store import open_store
from ontrack.store.engine import migrations_config
from ontrack.store.tables import metadata


def test_every_sqlite_connection_has_wal_full_sync_and_foreign_keys(engine: sa.Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's pragmas")
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_opening_an_empty_database_migrates_it_to_the_tables_module(db_url: str) -> None:
    engine = open_store(db_url)
    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, metadata) == []


def test_opening_a_migrated_database_again_changes_nothing(db_url: str) -> None:
    open_store(db_url)
    with open_store(db_url).connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert tables == {*metadata.tables, "alembic_version"}
