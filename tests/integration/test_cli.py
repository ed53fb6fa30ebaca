"""The command line as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plant-wifi.yaml"
runner = CliRunner()

OVERBOOKED = """\
ontrack: 1
project: {id: p, name: P, start: 2027-03-01}
resources:
  - {id: tech, units: 1, rate: 80}
outcomes:
  - {id: o, statement: Wi-Fi is up, target: 2027-03-31, priority: 1}
tasks:
  - {id: a, name: A, duration: 2d, resources: {tech: 1}, outcomes: [o]}
  - {id: b, name: B, duration: 2d, resources: {tech: 1}, outcomes: [o]}
"""

BROKEN = """\
ontrack: 1
project: {id: p, name: P, start: 2027-03-01}
tasks:
  - {id: a, name: A, duration: 2}
  - {id: b, name: B, duration: 1d, after: [c]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(OVERBOOKED, encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_check_says_ok_for_a_valid_plan(plan: Path) -> None:
    result = runner.invoke(app, ["check", str(plan)])
    assert result.exit_code == 0
    assert "ok" in result.stdout


def test_check_lists_every_problem_with_its_position_and_fails(broken: Path) -> None:
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(broken))]
    found = {tuple(re.match(r".*:(\d+):(\d+): ([a-z-]+):", line).groups()) for line in lines}
    assert ("4", "32", "bad-duration") in found
    assert ("5", "44", "unknown-id") in found
    assert "Traceback" not in result.output


def test_a_plan_without_tasks_schedules_to_an_empty_schedule(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("ontrack: 1\nproject: {id: p, name: P, start: 2027-03-01}\n")
    result = runner.invoke(app, ["schedule", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tasks"] == [] and data["project"]["finish"] == "2027-03-01"
    for command in (["report", "--client"], ["report", "--team"], ["gantt"]):
        assert runner.invoke(app, [command[0], str(path), *command[1:]]).exit_code == 0


def test_a_missing_plan_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schedule", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "file-unreadable" in result.stderr
    assert "Traceback" not in result.output


def test_schedule_json_has_the_fixed_keys_of_the_spec(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"id", "start", "finish", "cost"} <= data["project"].keys()
    task_keys = {"id", "start", "finish", "total_float_days", "critical", "cost", "outcomes"}
    assert all(task_keys <= t.keys() for t in data["tasks"])
    outcome_keys = {"id", "target", "forecast", "slack_days", "status", "driving_tasks"}
    assert all(outcome_keys <= o.keys() for o in data["outcomes"])
    assert [t["id"] for t in data["tasks"]] == ["a", "b"]
    # Levelled: the two tasks share one technician, so they run one after the other.
    a, b = data["tasks"]
    assert b["start"] > a["finish"]


def test_no_level_reports_the_over_allocation_instead(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--json", "--no-level"])
    data = json.loads(result.stdout)
    assert {(f["kind"], f["subject"]) for f in data["findings"]} >= {("over-allocation", "tech")}
    assert data["tasks"][0]["start"] == data["tasks"][1]["start"]


def test_schedule_prints_a_table_of_tasks_and_the_findings(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--no-level"], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "2027-03-01" in result.stdout
    assert "over-allocation" in result.stdout


def test_outcomes_shows_each_outcome_with_forecast_and_status(plan: Path) -> None:
    result = runner.invoke(app, ["outcomes", str(plan)], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "Wi-Fi is up" in result.stdout
    assert "2027-03-04" in result.stdout  # forecast: two 2-day tasks in a row
    assert "on track" in result.stdout


def test_report_writes_the_client_report_to_the_named_file(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "client.html"
    result = runner.invoke(app, ["report", str(plan), "--client", "-o", str(out)])
    assert result.exit_code == 0
    assert "Wi-Fi is up" in out.read_text(encoding="utf-8")


def test_report_in_markdown_goes_to_standard_output(plan: Path) -> None:
    result = runner.invoke(app, ["report", str(plan), "--team", "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("#")


def test_report_needs_exactly_one_of_client_or_team(plan: Path) -> None:
    assert runner.invoke(app, ["report", str(plan)]).exit_code == 2
    assert runner.invoke(app, ["report", str(plan), "--client", "--team"]).exit_code == 2


def test_a_broken_plan_writes_no_report_file(broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(broken), "--client", "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [broken]


def test_gantt_writes_well_formed_svg(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "gantt.svg"
    assert runner.invoke(app, ["gantt", str(plan), "-o", str(out)]).exit_code == 0
    assert ET.parse(out).getroot().tag.endswith("svg")


def test_demo_schedules_every_example_and_writes_all_reports(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", str(ROOT / "examples"), "-o", str(tmp_path)])
    assert result.exit_code == 0
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        folder = tmp_path / example.stem
        names = {p.name for p in folder.iterdir()}
        assert names == {
            "client-report.html",
            "client-report.md",
            "team-briefing.html",
            "team-briefing.md",
            "gantt.svg",
            "schedule.json",
            "risk.json",
        }
        assert json.loads((folder / "schedule.json").read_text())["project"]["id"]
        assert json.loads((folder / "risk.json").read_text())["iterations"] == 2000


def _commands() -> dict[str, Any]:
    """Every command by its full name, those of command groups too ("baseline save")."""
    found: dict[str, Any] = {}

    def walk(prefix: str, group: Any) -> None:
        for name, command in group.commands.items():
            full = f"{prefix}{name}"
            found[full] = command
            if hasattr(command, "commands"):
                walk(f"{full} ", command)

    walk("", typer.main.get_command(app))
    return found


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help(name: str) -> None:
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_every_command_and_option_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in _commands().items():
        assert f"`ontrack {name}" in doc, f"docs/cli.md lacks the command {name}"
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("-"):
                    assert f"`{option}`" in doc or f"{option}" in doc, f"{name} {option}"


def test_the_console_script_runs_as_installed() -> None:
    exe = Path(sys.executable).with_name("ontrack")
    done = subprocess.run(
        [str(exe), "check", str(EXAMPLE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
