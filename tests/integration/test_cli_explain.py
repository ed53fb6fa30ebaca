"""`ontrack schedule --explain TASK` and the JSON's `levelling_delay`: levelling explains itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

runner = CliRunner()

ONE_TECHNICIAN = """\
ontrack: 1
project: {id: p, name: P, start: 2027-03-01}
resources:
  - {id: tech, units: 1}
outcomes:
  - {id: wifi, statement: Wi-Fi is up, priority: 1}
  - {id: phones, statement: Desk phones ring, priority: 2}
tasks:
  - {id: install, name: Install phones, duration: 1d, resources: {tech: 1}, outcomes: [phones]}
  - {id: cable-run, name: Run cables, duration: 3d, resources: {tech: 1}, outcomes: [wifi]}
"""
SENTENCE = (
    "install waited 3 working days for tech: held by cable-run, which serves 'Wi-Fi is up' "
    "(priority 1)"
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(ONE_TECHNICIAN, encoding="utf-8")
    return path


def test_explain_says_how_long_for_which_resource_and_who_held_it_for_what(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--explain", "install"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == SENTENCE


def test_explain_says_when_levelling_did_not_delay_the_task(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--explain", "cable-run"])
    assert result.exit_code == 0, result.output
    assert "cable-run was not delayed by levelling" in result.stdout
    result = runner.invoke(app, ["schedule", str(plan), "--explain", "install", "--no-level"])
    assert "install was not delayed by levelling: the schedule is not levelled" in result.stdout


def test_explain_of_an_unknown_task_is_an_error_with_a_did_you_mean(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--explain", "instal"])
    assert result.exit_code == 1
    assert "no task has the id 'instal'; did you mean 'install'?" in result.stderr
    assert "Traceback" not in result.output


def test_explain_and_json_together_is_a_command_line_error(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--explain", "install", "--json"])
    assert result.exit_code == 2


def test_the_json_says_why_each_task_was_delayed_and_null_for_the_others(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--json"])
    tasks = {t["id"]: t for t in json.loads(result.stdout)["tasks"]}
    assert tasks["cable-run"]["levelling_delay"] is None
    assert tasks["install"]["levelling_delay"] == {
        "days": 3.0,
        "resource": "tech",
        "held_by": [
            {
                "task": "cable-run",
                "outcomes": [{"id": "wifi", "statement": "Wi-Fi is up", "priority": 1}],
                "priority": 1,
                "fixed": None,
            }
        ],
        "explanation": SENTENCE,
        "earlier": [],
    }
