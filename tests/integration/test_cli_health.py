"""`ontrack health` as a user meets it: the checks' table or JSON, against a saved baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

HEALTH = Path(__file__).parents[1] / "planfiles" / "health"
runner = CliRunner()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The clean plan, copied where its baselines can be saved beside it."""
    path = tmp_path / "sso.yaml"
    shutil.copy(HEALTH / "clean.yaml", path)
    return path


def health_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["health", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_health_prints_every_check_and_the_offenders_of_a_failing_one() -> None:
    result = runner.invoke(app, ["health", str(HEALTH / "lags.yaml")], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output  # a failing check is a finding, not an error
    assert "Lags" in result.stdout and "9.1% (2 of 22)" in result.stdout
    assert "14 passed, 1 failed, 2 not assessed" in result.stdout.replace("\n", " ")
    assert "- s05: FS from s04, lag 1d" in result.stdout


def test_health_json_states_each_checks_status_value_threshold_and_offenders() -> None:
    data = health_json(str(HEALTH / "critical-path-test.yaml"))
    assert data["summary"] == {"pass": 14, "fail": 1, "not_assessed": 2}
    checks = data["checks"]
    assert len(checks) == 17
    assert [c["number"] for c in checks[:14]] == list(range(1, 15))
    cpt = checks[11]
    assert {k: cpt[k] for k in ("code", "status", "unit", "threshold", "at_least")} == {
        "code": "critical-path-test",
        "status": "fail",
        "unit": "index",
        "threshold": 1.0,
        "at_least": True,
    }
    assert [o["id"] for o in cpt["offenders"]] == ["s01"]
    assert checks[10]["status"] == "not_assessed" and checks[10]["note"] == "no baseline"


def test_health_judges_missed_tasks_and_bei_against_the_latest_baseline_saved(
    plan: Path,
) -> None:
    assert runner.invoke(app, ["baseline", "save", str(plan), "agreed"]).exit_code == 0
    # A week on, s01 and s02 (due 2027-03-10 and 03-15 in the baseline) have not started:
    # one task done (design) of three due.
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("status_date: 2027-03-08", "status_date: 2027-03-15"))
    data = health_json(str(plan))
    assert data["baseline"] == "agreed"
    checks = {c["code"]: c for c in data["checks"]}
    assert checks["bei"]["value"] == 0.3333
    assert [o["id"] for o in checks["missed-tasks"]["offenders"]] == ["s01", "s02"]


def test_health_takes_the_baseline_named(plan: Path) -> None:
    for name in ("first", "second"):
        assert runner.invoke(app, ["baseline", "save", str(plan), name]).exit_code == 0
    assert health_json(str(plan), "--baseline", "first")["baseline"] == "first"


def test_health_against_a_baseline_that_is_not_saved_is_an_error(plan: Path) -> None:
    result = runner.invoke(app, ["health", str(plan), "--baseline", "agreed"])
    assert result.exit_code == 1
    assert "no baselines saved yet" in result.stderr
    assert "Traceback" not in result.output


def test_health_of_a_broken_plan_reports_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("ontrack: 1\nproject: {id: p, name: P, start: 2027-03-01}\ntasks: 3\n")
    result = runner.invoke(app, ["health", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:3:" in result.stderr
