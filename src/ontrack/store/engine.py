"""Connecting to the database, and bringing its schema to the current version on open."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")

# Durability first (FULL syncs each commit in WAL mode too); WAL lets readers work while
# one connection writes; SQLite leaves foreign keys off unless each connection asks.
_SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON")


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path)}"


# Connections kept open for a web server's threads (it runs up to 40 requests at once):
# opening one costs more than a query, and a thread without one waits.
POOL_SIZE, MAX_OVERFLOW = 20, 20


def create_store_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def migrations_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: sa.Engine) -> None:
    """Migrate the database to the newest schema, in one transaction."""
    config = migrations_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str) -> sa.Engine:
    """An engine on `url` whose schema is up to date (an empty database is created)."""
    engine = create_store_engine(url)
    upgrade(engine)
    return engine
