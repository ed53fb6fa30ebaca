"""The web tests' database and people: `world` seeds the small plans of tests/web/plans
(harbour-kiosk, on which each test person has their role, and quay-signage, on which they
have none) with load_examples, on SQLite and on PostgreSQL (tests/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from web_world import PLANS, World, make_world

from databases import empty_database


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the smallest costs: the real ones take most of a second a hash here,
    and these tests sign in dozens of times. What is tested is the same."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr("ontrack.app.accounts._hasher", cheap)


@pytest.fixture
def db_url(database_url: str) -> str:
    """A fresh, empty database, once on SQLite and once on PostgreSQL."""
    return database_url


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[World]:
    built = make_world(db_url, PLANS, tmp_path / "pw.txt")
    yield built
    built.engine.dispose()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    """The same on SQLite only: for what does not depend on the database."""
    with empty_database("sqlite", tmp_path) as url:
        built = make_world(url, PLANS, tmp_path / "pw.txt")
        yield built
        built.engine.dispose()
