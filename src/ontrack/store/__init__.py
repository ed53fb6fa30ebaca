"""Projects in a database (SQLAlchemy Core; SQLite by default, PostgreSQL for teams)."""

from ontrack.store.engine import open_store, sqlite_url
from ontrack.store.repository import (
    JournalEntry,
    NotFound,
    ProjectExists,
    ProjectSummary,
    StaleVersion,
    export_plan,
    import_plan,
    journal_entries,
    list_projects,
    project_at,
    restore,
    update_task,
)

__all__ = [
    "JournalEntry",
    "NotFound",
    "ProjectExists",
    "ProjectSummary",
    "StaleVersion",
    "export_plan",
    "import_plan",
    "journal_entries",
    "list_projects",
    "open_store",
    "project_at",
    "restore",
    "sqlite_url",
    "update_task",
]
