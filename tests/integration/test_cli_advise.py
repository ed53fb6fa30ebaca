"""`ontrack advise PLAN [--json]`: course corrections with their computed effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "planfiles" / "advise"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()


def test_advise_prints_each_action_with_its_effect_on_every_outcome_and_its_cost() -> None:
    result = runner.invoke(app, ["advise", str(FOLDER / "shared-tech.yaml")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # whatever the terminal's width
    assert "phones (priority 2): Desk phones ring" in text
    assert "1. Put phones ahead of lines" in text
    assert "gains 2 d; cost +0.00 (0.00 a day gained); lines 3 d later (more important)" in text
    assert "2. Add one tech (1 → 2)" in text
    assert "resource tech: units: 1 → 2" in text


def test_advise_json_gives_the_changes_the_effects_and_the_cost() -> None:
    result = runner.invoke(app, ["advise", str(FOLDER / "expedite.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["project"]["driver"] == "speed"
    [outcome] = data["outcomes"]
    assert (outcome["id"], outcome["status"], outcome["reasons"]) == (
        "wifi",
        "late",
        ["late", "driver"],
    )
    [action] = outcome["actions"]
    assert action["kind"] == "expedite"
    assert action["changes"] == [
        {"target": "task", "id": "order", "field": "duration", "from": "10ed", "to": "7ed"}
    ]
    assert (action["days_gained"], action["cost_change"], action["cost_per_day"]) == (3, 1500, 500)
    assert action["effects"] == [
        {
            "outcome": "wifi",
            "priority": 1,
            "forecast_before": "2027-03-12",
            "forecast_after": "2027-03-09",
            "days_earlier": 3.0,
        }
    ]
    assert action["makes_later"] == action["more_important_later"] == []
    assert data["what_ifs"]["schedules"] <= data["what_ifs"]["max_schedules"]


def test_advise_says_when_no_outcome_needs_it(tmp_path: Path) -> None:
    plan = tmp_path / "calm.yaml"
    plan.write_text(
        (FOLDER / "fast-track.yaml").read_text().replace("2027-03-09", "2027-04-30"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["advise", str(plan)])
    assert result.exit_code == 0, result.output
    assert "No outcome is late, at risk or sensitive to the client's driver." in result.stdout


def test_advise_on_a_broken_plan_reports_its_problems_and_exits_1(tmp_path: Path) -> None:
    plan = tmp_path / "broken.yaml"
    plan.write_text("ontrack: 1\nproject: {id: p, name: P}\n", encoding="utf-8")
    result = runner.invoke(app, ["advise", str(plan)])
    assert result.exit_code == 1
    assert "broken.yaml:2:" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_are_advised_within_the_bound(example: Path) -> None:
    result = runner.invoke(app, ["advise", str(example), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["what_ifs"]["schedules"] <= data["what_ifs"]["max_schedules"]
    assert data["outcomes"], "every example has an outcome at stake"
    schedule = json.loads(runner.invoke(app, ["schedule", str(example), "--json"]).stdout)
    every = [o["id"] for o in schedule["outcomes"]]
    for outcome in data["outcomes"]:
        for action in outcome["actions"]:
            assert [e["outcome"] for e in action["effects"]] == every
            assert action["days_gained"] > 0 or action["closes_risk"]


def test_the_security_example_adds_the_missing_review_first() -> None:
    result = runner.invoke(app, ["advise", str(ROOT / "examples" / "cloud-move.yaml"), "--json"])
    staff_login = next(o for o in json.loads(result.stdout)["outcomes"] if o["id"] == "staff-login")
    first = staff_login["actions"][0]
    assert (first["kind"], first["closes_risk"]) == ("security-review", True)
    assert first["days_gained"] < 0 and first["cost_change"] > 0
