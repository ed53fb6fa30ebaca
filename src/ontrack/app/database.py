"""Which database the app uses: `ONTRACK_DATABASE_URL` (PostgreSQL for a team), else a
SQLite file (`--db`, or `ontrack.db` in the user's data folder)."""

from __future__ import annotations

import os
from pathlib import Path

from ontrack.store import sqlite_url

URL_VARIABLE = "ONTRACK_DATABASE_URL"


def default_db_file() -> Path:
    """`$XDG_DATA_HOME/ontrack/ontrack.db`, by default `~/.local/share/ontrack/ontrack.db`."""
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "ontrack" / "ontrack.db"


def database_url(db: Path | None = None) -> str:
    """`--db` wins over the environment, which wins over the default file. A file's folder
    is made when missing, as SQLite makes the file but not its folder."""
    url = os.environ.get(URL_VARIABLE)
    if db is None and url:
        return url
    file = db if db is not None else default_db_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    return sqlite_url(file)
