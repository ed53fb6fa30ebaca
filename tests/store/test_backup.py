"""Backups and restores, on SQLite and on PostgreSQL (each test runs on both)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from databases import empty_database
from ontrack.planfile import dump_plan, load_plan
from ontrack.store import (
    StaleVersion,
    export_plan,
    import_plan,
    journal_entries,
    list_projects,
    open_store,
    update_task,
)
from ontrack.store import backup as store_backup
from ontrack.store.backup import BackupError, backup, restore
from ontrack.store.engine import create_store_engine, migrations_config
from ontrack.store.tables import tasks

ROOT = Path(__file__).parents[2]
OTHER_PLAN = ROOT / "examples" / "plant-wifi.yaml"


def _kind(url: str) -> str:
    return sa.make_url(url).get_backend_name()


@contextmanager
def _another_database(url: str, folder: Path) -> Iterator[str]:
    """A new, empty database of the same kind as `url`."""
    folder.mkdir()
    with empty_database(_kind(url), folder) as other:
        yield other


def _exported(url: str) -> dict[str, str]:
    """Every project in the database, as its canonical plan file."""
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return {p.key: dump_plan(export_plan(conn, p.key)) for p in list_projects(conn)}
    finally:
        engine.dispose()


def _assert_consistent(url: str, project: str) -> int:
    """The edited task's version agrees with its journal; return how many edits it has."""
    engine = open_store(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(
                sa.select(tasks.c.version).where(tasks.c.key == "flow-list")
            ).scalar_one()
            updates = [e for e in journal_entries(conn, project) if e.action == "update"]
            export_plan(conn, project)
    finally:
        engine.dispose()
    assert [e.version for e in updates] == list(range(2, version + 1))
    return len(updates)


def test_a_backup_taken_while_another_connection_writes_is_a_consistent_snapshot(
    db_url: str, project: str, tmp_path: Path
) -> None:
    stop = threading.Event()
    edits: list[int] = []

    def writer() -> None:
        engine = create_store_engine(db_url)
        version = 1
        while not stop.is_set() and len(edits) < 500:
            try:
                with engine.begin() as conn:
                    notes = {"notes": f"edit {len(edits)}"}
                    version = update_task(conn, project, "flow-list", notes, version, "ana")
                edits.append(version)
            except StaleVersion:  # pragma: no cover - one writer: never stale
                raise
        engine.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    files = []
    try:
        for i in range(3):
            while len(edits) < 5 * (i + 1) and thread.is_alive():
                stop.wait(0.005)
            files.append(tmp_path / f"backup-{i}")
            backup(db_url, files[-1])
    finally:
        stop.set()
        thread.join()

    counts = []
    for i, file in enumerate(files):
        with _another_database(db_url, tmp_path / f"restored-{i}") as restored:
            restore(restored, file)
            counts.append(_assert_consistent(restored, project))
    assert counts == sorted(counts) and counts[0] >= 5  # taken while the writes went on
    assert _assert_consistent(db_url, project) == len(edits)


def test_a_restore_gives_back_exactly_the_projects_backed_up(
    db_url: str, project: str, tmp_path: Path
) -> None:
    with open_store(db_url).begin() as conn:
        import_plan(conn, load_plan(OTHER_PLAN), "pm")
    before = _exported(db_url)
    file = tmp_path / "backup"
    backup(db_url, file)

    with _another_database(db_url, tmp_path / "empty") as empty:
        restore(empty, file)
        assert _exported(empty) == before

    with open_store(db_url).begin() as conn:  # changes after the backup ...
        update_task(conn, project, "flow-list", {"notes": "after the backup"}, 1, "ana")
    with pytest.raises(BackupError, match="--force"):
        restore(db_url, file)
    restore(db_url, file, force=True)  # ... are replaced by the backup's projects
    assert _exported(db_url) == before
    assert sorted(before) == ["line-machines", "plant-wifi"]


def test_a_database_whose_tables_are_empty_is_restored_into_without_force(
    db_url: str, project: str, tmp_path: Path
) -> None:
    backup(db_url, tmp_path / "backup")
    with _another_database(db_url, tmp_path / "opened") as opened:
        open_store(opened).dispose()  # ontrack's tables, no project
        restore(opened, tmp_path / "backup")
        assert _exported(opened) == _exported(db_url)


def _bad_files(good: Path, folder: Path) -> dict[str, Path]:
    files = {
        "not a backup": "Wi-Fi is up on the plant floor\n",
        "empty": "",
        "incomplete": good.read_bytes()[: good.stat().st_size // 2],
    }
    paths = {}
    for name, content in files.items():
        path = folder / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        paths[name] = path
    other = sqlite3.connect(folder / "other app")
    other.execute("CREATE TABLE projects (id INTEGER)")
    other.commit()
    other.close()
    paths["another app's database"] = folder / "other app"
    return paths


def test_a_file_that_is_not_an_ontrack_backup_is_refused_and_nothing_changes(
    db_url: str, project: str, tmp_path: Path
) -> None:
    good = tmp_path / "good"
    backup(db_url, good)
    with open_store(db_url).begin() as conn:
        update_task(conn, project, "flow-list", {"notes": "after the backup"}, 1, "ana")
    before = _exported(db_url)
    for name, path in _bad_files(good, tmp_path).items():
        with pytest.raises(BackupError) as refused:
            restore(db_url, path, force=True)
        assert "\n" not in str(refused.value), name
        assert _exported(db_url) == before, name


def test_a_backup_from_a_newer_ontrack_is_refused(
    db_url: str, project: str, tmp_path: Path
) -> None:
    file = tmp_path / "backup"
    backup(db_url, file)
    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    if _kind(db_url) == "sqlite":
        with sqlite3.connect(file) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.close()
    else:
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(rf"(?m)^{head}$", "9999_future", text), encoding="utf-8")
    with (
        _another_database(db_url, tmp_path / "empty") as empty,
        pytest.raises(BackupError, match="newer ontrack"),
    ):
        restore(empty, file)


def test_a_backup_of_an_older_schema_is_upgraded_when_restored(db_url: str, tmp_path: Path) -> None:
    scripts = ScriptDirectory.from_config(migrations_config())
    first = scripts.get_base()
    engine = create_store_engine(db_url)
    config = migrations_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, first)
        conn.exec_driver_sql(
            "INSERT INTO projects (key, name, document, version) VALUES ('old', 'Old', '{}', 1)"
        )
    engine.dispose()
    backup(db_url, tmp_path / "backup")
    with _another_database(db_url, tmp_path / "empty") as empty:
        restore(empty, tmp_path / "backup")
        engine = create_store_engine(empty)
        with engine.connect() as conn:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            keys = [p.key for p in list_projects(conn)]
        engine.dispose()
    assert revision == scripts.get_current_head()
    assert keys == ["old"]


def test_a_backup_of_a_database_that_is_not_ontrack_is_refused(db_url: str, tmp_path: Path) -> None:
    engine = create_store_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER)")
    engine.dispose()
    with pytest.raises(BackupError, match="not an ontrack database"):
        backup(db_url, tmp_path / "backup")
    assert not (tmp_path / "backup").exists()


def test_a_missing_pg_dump_is_named_with_its_debian_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_backup.shutil, "which", lambda _name: None)
    with pytest.raises(BackupError, match="postgresql-client"):
        store_backup._client_program("pg_dump")


def test_the_password_reaches_pg_dump_in_the_environment_never_on_its_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = {}

    def run(arguments: list[str], env: dict[str, str], **_: object) -> object:
        seen.update(arguments=arguments, env=env)
        return type("Done", (), {"returncode": 0, "stderr": ""})()

    monkeypatch.setattr(store_backup.subprocess, "run", run)
    url = "postgresql+psycopg://ana:s3cret@db.example:5433/ontrack?sslmode=require"
    store_backup._run(["pg_dump", f"--dbname={store_backup._libpq_url(url)}"], url)
    assert not any("s3cret" in argument for argument in seen["arguments"])
    assert (
        "--dbname=postgresql://ana@db.example:5433/ontrack?sslmode=require" in (seen["arguments"])
    )
    assert seen["env"]["PGPASSWORD"] == "s3cret"
