"""Back the database up to a file, and restore it from one (docs/storage.md#backup).

The database-specific work (SQLite's backup API, pg_dump and psql) is in
`ontrack.store.backup`; these use cases add what the user is told: which projects the
file holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ontrack.store import backup as store_backup

BackupError = store_backup.BackupError


@dataclass(frozen=True)
class BackupDone:
    file: Path
    database: str
    """The database's URL, without its password."""
    projects: tuple[str, ...]
    """The keys of the projects in the database after the restore (or when backed up)."""


def backup_database(url: str, file: Path) -> BackupDone:
    """Write a consistent backup of the database at `url` to `file` (all or nothing)."""
    store_backup.backup(url, file)
    return BackupDone(file, _shown(url), store_backup.project_keys(url))


def restore_database(url: str, file: Path, force: bool = False) -> BackupDone:
    """Restore the backup `file` into the database at `url` and migrate it to the current
    schema. A database that holds projects is refused unless `force` (which replaces them);
    refused, nothing is changed."""
    store_backup.restore(url, file, force)
    return BackupDone(file, _shown(url), store_backup.project_keys(url))


def _shown(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)
