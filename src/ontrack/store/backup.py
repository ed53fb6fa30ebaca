"""Backing a database up to a file and restoring it: the database-specific work.

SQLite: the backup is a copy of the database made with SQLite's online backup API, in one
step, so it is a consistent snapshot even while the app writes; it is a plain SQLite file
(rollback journal, not WAL). A restore copies a backup into the target the same way, in
one transaction, then migrates it (`open_store`), so a backup from an older ontrack is
upgraded.

PostgreSQL: the backup is `pg_dump`'s plain SQL of ontrack's tables (a consistent snapshot
too), without owners or privileges so that it restores as any user; a restore runs it with
`psql --single-transaction -v ON_ERROR_STOP=1`, so it lands whole or not at all, then
migrates. The password, if the URL has one, goes to the programs in `PGPASSWORD`, never on
their command line.

Either restore refuses a file that is not a backup of an ontrack database (or one made by
a newer ontrack), and a database that already holds projects unless `force` is given,
which replaces ontrack's tables; refused, it changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from ontrack.store import tables
from ontrack.store.engine import create_store_engine, migrations_config, open_store
from ontrack.store.repository import list_projects

VERSION_TABLE = "alembic_version"
CLIENT_PACKAGE = "postgresql-client"
_DUMP_HEAD = "-- PostgreSQL database dump\n"
_DUMP_END = "-- PostgreSQL database dump complete"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one line."""


def ontrack_tables() -> tuple[str, ...]:
    """The tables a backup holds: the schema's and Alembic's record of its revision."""
    return (*tables.metadata.tables, VERSION_TABLE)


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at `url` to `target` (all or nothing)."""
    if sa.make_url(url).get_backend_name() == "sqlite":
        _backup_sqlite(_sqlite_file(url), target)
    else:
        _backup_postgres(url, target)


def restore(url: str, source: Path, force: bool = False) -> None:
    """Restore the backup `source` into the database at `url`, then migrate it."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if sa.make_url(url).get_backend_name() == "sqlite":
        _restore_sqlite(source, _sqlite_file(url), force)
    else:
        _restore_postgres(source, url, force)
    with _database_errors():
        open_store(url).dispose()


def project_keys(url: str) -> tuple[str, ...]:
    """The keys of the projects in the database at `url` (which is not migrated)."""
    engine = create_store_engine(url)
    try:
        with _database_errors(), engine.connect() as conn:
            return tuple(project.key for project in list_projects(conn))
    finally:
        engine.dispose()


# SQLite


def _sqlite_file(url: str) -> Path:
    database = sa.make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return Path(database)


def _backup_sqlite(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"{database}: no such database")
    _refuse_same_file(database, target)
    with (
        _sqlite_errors(database),
        _replaced(target) as partial,
        closing(sqlite3.connect(database)) as source,
    ):
        _check_ontrack_sqlite(source, database)
        with closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)  # every page in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def _restore_sqlite(source: Path, database: Path, force: bool) -> None:
    _refuse_same_file(source, database)
    with _sqlite_errors(source), closing(sqlite3.connect(source)) as backup:
        if not _is_sqlite_file(source):
            raise BackupError(f"{source} is not an SQLite database backup; nothing was restored")
        _check_ontrack_sqlite(backup, source)
        _check_revision(_sqlite_revision(backup), source)
        if backup.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{source} is damaged (SQLite's quick_check fails)")
        if database.exists() and database.stat().st_size and not _is_sqlite_file(database):
            raise BackupError(f"{database} is not an SQLite database; nothing was restored")
        with _sqlite_errors(database), closing(sqlite3.connect(database)) as target:
            projects = _sqlite_projects(target)
            if projects and not force:
                raise _holds_projects(database, projects)
            backup.backup(target)  # one step: the target changes in one transaction


def _is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _check_ontrack_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"projects", VERSION_TABLE} <= names:
        raise BackupError(f"{path} is not an ontrack database; nothing was done")


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return None if row is None else str(row[0])


def _sqlite_projects(conn: sqlite3.Connection) -> int:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "projects" not in names:
        return 0
    return int(conn.execute("SELECT count(*) FROM projects").fetchone()[0])


@contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e):
            raise BackupError(f"{path} is not an SQLite database; nothing was done") from None
        raise BackupError(f"{path}: {e}; nothing was done") from None


# PostgreSQL


def _backup_postgres(url: str, target: Path) -> None:
    pg_dump = _client_program("pg_dump")
    schema, present, _ = _postgres_contents(url)
    if not {"projects", VERSION_TABLE} <= present:
        raise BackupError(f"{_shown(url)} is not an ontrack database; nothing was written")
    names = [f"--table={_quoted(schema)}.{_quoted(name)}" for name in ontrack_tables()]
    with _replaced(target) as partial:
        _run(
            [
                pg_dump,
                "--format=plain",
                "--no-owner",
                "--no-privileges",
                *names,
                f"--file={partial}",
                f"--dbname={_libpq_url(url)}",
            ],
            url,
        )


def _restore_postgres(source: Path, url: str, force: bool) -> None:
    text = _read_dump(source)
    _check_revision(_dump_revision(text), source)
    psql = _client_program("psql")
    schema, present, projects = _postgres_contents(url)
    if projects and not force:
        raise _holds_projects(_shown(url), projects)
    # Ontrack's tables (empty, or replaced by --force) go in the restore's transaction.
    drop = [f"--command=DROP TABLE IF EXISTS {_drop_list(schema, present)} CASCADE"]
    _run(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            f"--dbname={_libpq_url(url)}",
            *(drop if present else []),
            f"--file={source}",
        ],
        url,
    )


def _postgres_contents(url: str) -> tuple[str, set[str], int]:
    """The schema ontrack uses, which of its tables it has, and how many projects."""
    engine = create_store_engine(url)
    try:
        with _database_errors(), engine.connect() as conn:
            schema = str(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
            present = set(sa.inspect(conn).get_table_names(schema=schema)) & set(ontrack_tables())
            if "projects" not in present:
                return schema, present, 0
            count = sa.text(f"SELECT count(*) FROM {_quoted(schema)}.projects")
            return schema, present, int(conn.execute(count).scalar_one())
    finally:
        engine.dispose()


def _read_dump(source: Path) -> str:
    with source.open("rb") as file:
        head = file.read(len(_SQLITE_MAGIC))
    if head == _SQLITE_MAGIC:
        raise BackupError(
            f"{source} is a SQLite backup: restore it into a SQLite database (--db FILE)"
        )
    if head.startswith(b"PGDMP"):
        raise BackupError(
            f"{source} is a pg_dump archive, not plain SQL: restore it with pg_restore"
        )
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = ""
    if not text.startswith(f"--\n{_DUMP_HEAD}"):
        raise BackupError(f"{source} is not a pg_dump plain SQL backup; nothing was restored")
    if _DUMP_END not in text:
        raise BackupError(f"{source} is incomplete (pg_dump's last line is missing)")
    if not re.search(r"^CREATE TABLE \S*\bprojects \($", text, re.MULTILINE):
        raise BackupError(f"{source} is not a backup of an ontrack database")
    return text


def _dump_revision(text: str) -> str | None:
    found = re.search(
        rf"^COPY \S*\b{VERSION_TABLE} \(version_num\) FROM stdin;\n(\S+)\n", text, re.MULTILINE
    )
    return None if found is None else found.group(1)


def _drop_list(schema: str, names: set[str]) -> str:
    return ", ".join(f"{_quoted(schema)}.{_quoted(name)}" for name in sorted(names))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _client_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: it comes with the Debian package {CLIENT_PACKAGE} "
            f"(apt-get install {CLIENT_PACKAGE})"
        )
    return found


def _libpq_url(url: str) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver, and no password (see `_run`)."""
    parsed = sa.make_url(url)
    bare = sa.URL.create(  # URL.set(password=None) would keep the password
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


def _run(arguments: list[str], url: str) -> None:
    env = dict(os.environ)
    password = sa.make_url(url).password
    if password is not None:
        env["PGPASSWORD"] = str(password)
    done = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        program = Path(arguments[0]).name
        message = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise BackupError(f"{program} failed, nothing was changed: {message}")


def _shown(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


@contextmanager
def _database_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as e:
        message = " ".join(str(e.orig).split())
        raise BackupError(f"cannot use the database: {message}") from None


# Both


def _check_revision(revision: str | None, source: Path) -> None:
    known = {
        script.revision
        for script in ScriptDirectory.from_config(migrations_config()).walk_revisions()
    }
    if revision is None:
        raise BackupError(f"{source} is not a backup of an ontrack database (no schema revision)")
    if revision not in known:
        raise BackupError(
            f"{source} was made by a newer ontrack (schema revision {revision}): upgrade "
            "ontrack to restore it"
        )


def _holds_projects(database: object, projects: int) -> BackupError:
    return BackupError(
        f"{database} already holds {projects} project{'s' if projects != 1 else ''}: restore "
        "into an empty database, or give --force to replace them; nothing was restored"
    )


def _refuse_same_file(a: Path, b: Path) -> None:
    if a.exists() and b.exists() and a.samefile(b):
        raise BackupError(f"{a} is the database itself: choose another file")


@contextmanager
def _replaced(target: Path) -> Iterator[Path]:
    """A temporary file beside `target` that replaces it only when the block succeeds,
    readable by its owner only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        partial.unlink()  # SQLite and pg_dump create it
        yield partial
        partial.chmod(0o600)  # it holds everything, people's password hashes too
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
