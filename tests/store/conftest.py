from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from ontrack.core.model import Plan
from ontrack.planfile import load_plan
from ontrack.store import import_plan, open_store

EXAMPLE = Path(__file__).parents[2] / "examples" / "line-machines.yaml"


@pytest.fixture
def db_url(database_url: str) -> str:
    """A fresh database: each store test runs on SQLite and on PostgreSQL."""
    return database_url


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = open_store(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def plan() -> Plan:
    return load_plan(EXAMPLE)


@pytest.fixture
def project(engine: sa.Engine, plan: Plan) -> str:
    with engine.begin() as conn:
        return import_plan(conn, plan, "pm@example.com")
