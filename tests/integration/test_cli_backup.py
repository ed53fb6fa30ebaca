"""`ontrack backup` and `ontrack restore` as a user meets them, on a SQLite file (`--db`)
and on PostgreSQL (`ONTRACK_DATABASE_URL`): one line on success, one clear line and exit
status 1 on a refusal, never a traceback."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from databases import empty_database
from ontrack.app.database import URL_VARIABLE
from ontrack.cli.main import app
from ontrack.planfile import dump_plan, load_plan
from ontrack.store import export_plan, import_plan, open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plant-wifi.yaml"
runner = CliRunner()


def ontrack(url: str, *args: str) -> tuple[int, str, str]:
    """Run the command on the database at `url`: `--db` for a SQLite file, else the
    environment."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        result = runner.invoke(app, [*args, "--db", str(parsed.database)], env={URL_VARIABLE: ""})
    else:
        result = runner.invoke(app, list(args), env={URL_VARIABLE: url})
    return result.exit_code, result.stdout, result.stderr


def exported(url: str) -> str:
    engine = open_store(url)
    with engine.connect() as conn:
        text = dump_plan(export_plan(conn, "plant-wifi"))
    engine.dispose()
    return text


def test_backup_then_restore_into_an_empty_database_gives_the_project_back(
    database_url: str, tmp_path: Path
) -> None:
    engine = open_store(database_url)
    with engine.begin() as conn:
        import_plan(conn, load_plan(EXAMPLE), "pm")
    engine.dispose()
    file = tmp_path / "ontrack.backup"

    status, _, stderr = ontrack(database_url, "backup", str(file))
    assert status == 0, stderr
    assert stderr.startswith(f"wrote {file}: 1 project(s)")

    (tmp_path / "restored").mkdir()
    kind = sa.make_url(database_url).get_backend_name()
    with empty_database(kind, tmp_path / "restored") as restored:
        status, _, stderr = ontrack(restored, "restore", str(file))
        assert status == 0, stderr
        assert "1 project(s) (plant-wifi)" in stderr
        assert exported(restored) == exported(database_url)

        status, _, stderr = ontrack(restored, "restore", str(file))
        assert status == 1
        assert stderr.startswith("error: ") and "--force" in stderr
        assert stderr.count("\n") == 1

        status, _, stderr = ontrack(restored, "restore", str(file), "--force")
        assert status == 0, stderr


def test_a_file_that_is_not_a_backup_is_one_clear_error_and_nothing_changes(
    database_url: str, tmp_path: Path
) -> None:
    engine = open_store(database_url)
    with engine.begin() as conn:
        import_plan(conn, load_plan(EXAMPLE), "pm")
    engine.dispose()
    before = exported(database_url)
    for name, content in [("notes.txt", "not a backup\n"), ("plan.yaml", EXAMPLE.read_text())]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        status, stdout, stderr = ontrack(database_url, "restore", str(path), "--force")
        assert status == 1
        assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
        assert "Traceback" not in stdout + stderr
    status, _, stderr = ontrack(database_url, "restore", str(tmp_path / "missing"))
    assert (status, stderr.count("\n")) == (1, 1)
    assert exported(database_url) == before


def test_backing_up_a_sqlite_database_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backup", str(tmp_path / "b"), "--db", str(tmp_path / "no.db")])
    assert result.exit_code == 1
    assert "no such database" in result.stderr
    assert not (tmp_path / "b").exists() and not (tmp_path / "no.db").exists()
