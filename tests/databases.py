"""The databases tests run on: a SQLite file, and a throwaway PostgreSQL database.

`database_url` (registered for every test folder in tests/conftest.py) runs a test once on
each: a fresh SQLite file in the test's temporary folder, and a fresh, empty PostgreSQL
database created on the server of `ONTRACK_TEST_POSTGRES_URL` and dropped afterwards
(`scripts/test-services` starts such a server and sets the variable; `make test` uses
it). Without the variable the PostgreSQL cases are skipped, except in CI (`CI` set), where
they fail: CI must really test PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from ontrack.store import sqlite_url

POSTGRES_URL_VARIABLE = "ONTRACK_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    """The server's URL from the environment; a skip (a failure in CI) without it."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    reason = (
        f"{POSTGRES_URL_VARIABLE} is not set: run the tests with a PostgreSQL server, "
        "`scripts/test-services .venv/bin/pytest` (as `make test` does)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI must test PostgreSQL too, but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def throwaway_postgres_database(admin_url: str) -> Iterator[str]:
    """The URL of a new, empty database on `admin_url`'s server, dropped on exit (its
    connections closed by force, so a test that leaves an engine open cannot block it)."""
    url = sa.make_url(admin_url)
    name = f"ontrack_test_{uuid4().hex[:16]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database of `kind` (one of `DATABASES`)."""
    if kind == "sqlite":
        yield sqlite_url(folder / "ontrack.db")
    elif kind == "postgresql":
        with throwaway_postgres_database(postgres_admin_url()) as url:
            yield url
    else:
        raise ValueError(f"no such test database: {kind}")


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: the test runs once on SQLite and once on PostgreSQL."""
    with empty_database(request.param, tmp_path) as url:
        yield url
