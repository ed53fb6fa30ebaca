"""`ontrack import psplib` as a user meets it: the plan file written, or a message and nothing."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ontrack.cli.main import app
from ontrack.interop.psplib import read_psplib
from ontrack.planfile import load_plan

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "tests" / "data" / "psplib" / "j301_1.sm"
runner = CliRunner()


def test_import_writes_a_plan_file_that_check_accepts(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "j301_1.yaml"
    result = runner.invoke(app, ["import", "psplib", str(INSTANCE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.stderr
    check = runner.invoke(app, ["check", str(target)])
    assert check.exit_code == 0, check.output
    assert load_plan(target) == read_psplib(INSTANCE)


def test_an_imported_plan_schedules(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    imported = runner.invoke(app, ["import", "psplib", str(INSTANCE), "--output", str(target)])
    assert imported.exit_code == 0
    assert runner.invoke(app, ["schedule", str(target), "--json"]).exit_code == 0


def test_a_broken_instance_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "broken.sm"
    source.write_text(INSTANCE.read_text().replace("  2      1     8", "  2      1     x"))
    target = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["import", "psplib", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert f"{source}:56:16: psplib-format:" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.sm"]


def test_a_failed_import_leaves_an_existing_plan_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("before\n")
    result = runner.invoke(app, ["import", "psplib", str(tmp_path / "nope.sm"), "-o", str(target)])
    assert result.exit_code == 1
    assert "file-unreadable" in result.stderr
    assert target.read_text() == "before\n"


def test_import_needs_an_output_file() -> None:
    assert runner.invoke(app, ["import", "psplib", str(INSTANCE)]).exit_code == 2
