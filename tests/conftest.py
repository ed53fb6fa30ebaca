"""Test-wide settings: in CI, property tests draw the same examples on every run, so a
submission's result does not depend on luck; locally they explore new ones each time."""

from __future__ import annotations

import os

from hypothesis import settings

# `database_url`: a test that takes it runs on SQLite and on PostgreSQL (tests/databases.py).
from databases import database_url  # noqa: F401

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
