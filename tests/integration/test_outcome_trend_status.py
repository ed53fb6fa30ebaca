"""An outcome slipping since the latest baseline is judged at risk sooner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ontrack.cli.main import app
from ontrack.core.outcomes import outcome_status

runner = CliRunner()

PLAN = """\
ontrack: 1
project: {{id: trend, name: Trend, start: 2027-03-01}}
outcomes:
  - {{id: wifi, statement: Wi-Fi is up, target: 2027-03-26, priority: 1}}
tasks:
  - {{id: survey, name: Survey, duration: {days}d, outcomes: [wifi]}}
"""


def test_slipping_doubles_the_slack_an_outcome_needs_to_be_on_track() -> None:
    assert outcome_status(False, True, 7.0, 5.0) == "on_track"
    assert outcome_status(False, True, 7.0, 5.0, slipping=True) == "at_risk"
    assert outcome_status(False, True, 10.0, 5.0, slipping=True) == "on_track"
    assert outcome_status(False, True, -1.0, 5.0, slipping=True) == "late"


def outcome(plan: Path) -> dict[str, object]:
    result = runner.invoke(app, ["schedule", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)["outcomes"][0]
    return found


def test_a_forecast_later_than_at_the_baseline_is_at_risk_with_a_week_and_a_half_left(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(days=5))  # done Fri 03-05: 15 working days of slack
    before = outcome(plan)
    assert before["baseline_forecast"] is None and before["slipping"] is False
    assert runner.invoke(app, ["baseline", "save", str(plan)]).exit_code == 0
    plan.write_text(PLAN.format(days=12))  # done Tue 03-16: 8 working days of slack
    after = outcome(plan)
    assert after["baseline_forecast"] == "2027-03-05"
    assert after["slipping"] is True
    assert after["slack_days"] == 8.0
    assert after["status"] == "at_risk"
    plan.with_name("plan.baselines.yaml").unlink()  # without the baseline: no trend
    assert outcome(plan)["status"] == "on_track"
