from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ontrack.core.model import Plan
from ontrack.planfile import load_plan
from ontrack.store import import_plan, open_store, sqlite_url

EXAMPLE = Path(__file__).parents[2] / "examples" / "line-machines.yaml"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "ontrack.db")


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    return open_store(db_url)


@pytest.fixture
def plan() -> Plan:
    return load_plan(EXAMPLE)


@pytest.fixture
def project(engine: sa.Engine, plan: Plan) -> str:
    with engine.begin() as conn:
        return import_plan(conn, plan, "pm@example.com")
