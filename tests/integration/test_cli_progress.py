"""`ontrack progress` and `ontrack verify`: the plan file edited in place, or not at all."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

runner = CliRunner()

PLAN = """\
# Plant Wi-Fi, as of the last status meeting.
ontrack: 1
project:
  id: plant
  name: Plant IT     # the client calls it "the fit-out"
  start: 2027-03-01
  status_date: 2027-03-08

outcomes:
  - {id: wifi, statement: Wi-Fi is up, target: 2027-03-31, priority: 1}

tasks:
  - id: survey
    name: RF survey        # three days on site
    duration: 3d
    outcomes: [wifi]
    actual_start: 2027-03-01
  - {id: install, name: Install APs, duration: 5d, outcomes: [ wifi ], after: [survey]}
  - id: phase-two
    name: Phase two
    tasks:
      - {id: cameras, name: Cameras, duration: 2d}
---
# expectations may follow the plan
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def changes(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]


def schedule(path: Path) -> dict[str, Any]:
    result = run("schedule", str(path), "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_progress_changes_only_the_lines_of_the_values_it_sets(plan: Path) -> None:
    result = run("progress", str(plan), "survey", "--percent", "60", "--actual-cost", "1200")
    assert result.exit_code == 0, result.output
    assert f"{plan}: survey: percent_complete 60, actual_cost 1200" in result.stdout
    assert changes(PLAN, plan.read_text(encoding="utf-8")) == [
        "+     percent_complete: 60",
        "+     actual_cost: 1200",
    ]
    result = run("progress", str(plan), "install", "--actual-start", "2027-03-08",
                 "--percent", "10", "--status-date", "2027-03-09")
    assert result.exit_code == 0, result.output
    assert changes(PLAN, plan.read_text(encoding="utf-8")) == [
        "-   status_date: 2027-03-08",
        "+   status_date: 2027-03-09",
        "+     percent_complete: 60",
        "+     actual_cost: 1200",
        "-   - {id: install, name: Install APs, duration: 5d, outcomes: [ wifi ], after: [survey]}",
        "+   - {id: install, name: Install APs, duration: 5d, outcomes: [ wifi ], after: [survey], "
        "actual_start: 2027-03-08, percent_complete: 10}",
    ]


def test_remaining_work_is_scheduled_from_the_status_date(plan: Path) -> None:
    # 3d at 60 %: 1.2 days remain from Mon 03-08, so the survey ends on Tue 03-09.
    run("progress", str(plan), "survey", "--percent", "60")
    tasks = {t["id"]: t for t in schedule(plan)["tasks"]}
    assert (tasks["survey"]["start"], tasks["survey"]["finish"]) == ("2027-03-01", "2027-03-09")
    assert tasks["survey"]["percent_complete"] == 60


def test_done_finishes_the_task_on_the_status_date(plan: Path) -> None:
    result = run("progress", str(plan), "survey", "--done")
    assert result.exit_code == 0, result.output
    assert changes(PLAN, plan.read_text(encoding="utf-8")) == [
        "+     actual_finish: 2027-03-08",
        "+     percent_complete: 100",
    ]
    tasks = {t["id"]: t for t in schedule(plan)["tasks"]}
    assert tasks["survey"]["finish"] == "2027-03-08"
    assert (tasks["install"]["start"], tasks["install"]["finish"]) == ("2027-03-09", "2027-03-15")


def test_done_takes_the_actual_finish_or_the_new_status_date(plan: Path) -> None:
    run("progress", str(plan), "survey", "--done", "--actual-finish", "2027-03-03")
    run("progress", str(plan), "cameras", "--actual-start", "2027-03-09", "--done",
        "--status-date", "2027-03-10")
    text = plan.read_text(encoding="utf-8")
    assert "    actual_finish: 2027-03-03\n    percent_complete: 100\n" in text
    assert "  status_date: 2027-03-10\n" in text
    assert ("{id: cameras, name: Cameras, duration: 2d, actual_start: 2027-03-09, "
            "actual_finish: 2027-03-10, percent_complete: 100}") in text


def test_done_again_keeps_the_day_the_task_finished(plan: Path) -> None:
    run("progress", str(plan), "survey", "--actual-finish", "2027-03-03")
    result = run("progress", str(plan), "survey", "--done", "--actual-cost", "900")
    assert result.exit_code == 0, result.output
    assert "    actual_finish: 2027-03-03\n" in plan.read_text(encoding="utf-8")


def test_an_actual_finish_alone_makes_the_task_complete(plan: Path) -> None:
    result = run("progress", str(plan), "survey", "--actual-finish", "2027-03-04")
    assert result.exit_code == 0, result.output
    assert "percent_complete: 100" in plan.read_text(encoding="utf-8")


def test_done_without_any_date_to_finish_on_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = PLAN.replace("  status_date: 2027-03-08\n", "")
    text = text.replace("    actual_start: 2027-03-01\n", "")
    path.write_text(text, encoding="utf-8")
    result = run("progress", str(path), "survey", "--done")
    assert result.exit_code == 1
    assert "no status_date" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_work_in_progress_without_a_status_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = PLAN.replace("  status_date: 2027-03-08\n", "")
    path.write_text(text, encoding="utf-8")
    result = run("progress", str(path), "survey", "--percent", "50")
    assert result.exit_code == 1
    assert "status date" in result.stderr
    result = run("progress", str(path), "survey", "--percent", "50", "--status-date", "2027-03-05")
    assert result.exit_code == 0, result.output


def test_an_unknown_task_is_an_error_with_a_did_you_mean(plan: Path) -> None:
    result = run("progress", str(plan), "survy", "--percent", "50")
    assert result.exit_code == 1
    assert "no task has the id 'survy'; did you mean 'survey'?" in result.stderr
    assert "Traceback" not in result.output
    assert plan.read_text(encoding="utf-8") == PLAN


def test_a_summary_takes_no_progress_of_its_own(plan: Path) -> None:
    result = run("progress", str(plan), "phase-two", "--actual-start", "2027-03-02")
    assert result.exit_code == 1
    assert "summary" in result.stderr
    assert plan.read_text(encoding="utf-8") == PLAN


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--actual-start", "2027-02-30"], "--actual-start"),
        (["--actual-finish", "8 March"], "--actual-finish"),
        (["--status-date", "2027-3-8"], "--status-date"),
        (["--percent", "101"], "--percent"),
        (["--percent", "-1"], "--percent"),
        (["--actual-cost", "-5"], "--actual-cost"),
        (["--done", "--percent", "50"], "--percent"),
        ([], "nothing to record"),
    ],
)
def test_a_bad_option_is_a_command_line_error_naming_it(
    plan: Path, args: list[str], named: str
) -> None:
    result = run("progress", str(plan), "survey", *args)
    assert result.exit_code == 2
    assert named in result.stderr
    assert plan.read_text(encoding="utf-8") == PLAN


def test_a_change_that_makes_the_plan_invalid_writes_nothing(plan: Path) -> None:
    result = run("progress", str(plan), "survey", "--actual-start", "2027-03-09")
    assert result.exit_code == 1
    # Located in the file as it would have been: the new value, on the survey's line 17.
    assert f"{plan}:17:19: bad-progress: task 'survey': actual_start 2027-03-09 is after" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    result = run("progress", str(plan), "survey", "--actual-finish", "2027-02-28")
    assert result.exit_code == 1
    assert "bad-range" in result.stderr
    assert plan.read_text(encoding="utf-8") == PLAN
    assert [p.name for p in plan.parent.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_a_plan_with_problems_is_not_edited(plan: Path) -> None:
    broken = PLAN.replace("duration: 3d", "duration: 3")
    plan.write_text(broken, encoding="utf-8")
    result = run("progress", str(plan), "survey", "--percent", "50")
    assert result.exit_code == 1
    assert f"{plan}:15:15: bad-duration" in result.stderr
    assert plan.read_text(encoding="utf-8") == broken


def outcome(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = schedule(path)["outcomes"][0]
    return found


def test_an_outcome_awaits_verification_until_verified_then_it_is_done(plan: Path) -> None:
    run("progress", str(plan), "survey", "--done", "--actual-finish", "2027-03-03")
    run("progress", str(plan), "install", "--actual-start", "2027-03-04", "--done")
    assert outcome(plan)["status"] == "on_track"
    assert outcome(plan)["verification"]["state"] == "awaiting"
    shown = runner.invoke(app, ["outcomes", str(plan)], env={"COLUMNS": "200"})  # one line a row
    assert "on track, awaiting verification" in shown.stdout
    before = plan.read_text(encoding="utf-8")

    result = run("verify", str(plan), "wifi", "--by", "Dana Lee", "--evidence",
                 "Signed heat-map survey, all areas")
    assert result.exit_code == 0, result.output
    assert changes(before, plan.read_text(encoding="utf-8")) == [
        "-   - {id: wifi, statement: Wi-Fi is up, target: 2027-03-31, priority: 1}",
        "+   - {id: wifi, statement: Wi-Fi is up, target: 2027-03-31, priority: 1, verified: "
        '{by: Dana Lee, date: 2027-03-08, evidence: "Signed heat-map survey, all areas"}}',
    ]
    assert outcome(plan)["status"] == "done"
    assert outcome(plan)["verification"] == {
        "state": "verified", "work_finished": "2027-03-08", "by": "Dana Lee",
        "date": "2027-03-08", "evidence": "Signed heat-map survey, all areas",
    }
    assert "awaiting" not in run("outcomes", str(plan)).stdout

    result = run("verify", str(plan), "wifi", "--by", "Raj", "--evidence", "Re-survey",
                 "--on", "2027-03-05")
    assert result.exit_code == 0, result.output
    assert ("verified: {by: Raj, date: 2027-03-05, evidence: Re-survey}}"
            in plan.read_text(encoding="utf-8"))


def test_verifying_an_outcome_with_open_work_says_so(plan: Path) -> None:
    result = run("verify", str(plan), "wifi", "--by", "Dana Lee", "--evidence", "Survey")
    assert result.exit_code == 0, result.output
    assert "not finished: survey, install" in " ".join(result.stdout.split())
    assert outcome(plan)["status"] == "done"


def test_verify_refuses_an_unknown_outcome_a_future_date_or_no_date(plan: Path) -> None:
    result = run("verify", str(plan), "wify", "--by", "D", "--evidence", "E")
    assert result.exit_code == 1
    assert "no outcome has the id 'wify'; did you mean 'wifi'?" in result.stderr
    result = run("verify", str(plan), "wifi", "--by", "D", "--evidence", "E", "--on", "2027-03-09")
    assert result.exit_code == 1
    assert "bad-progress" in result.stderr
    assert plan.read_text(encoding="utf-8") == PLAN
    plan.write_text(PLAN.replace("  status_date: 2027-03-08\n", ""), encoding="utf-8")
    result = run("verify", str(plan), "wifi", "--by", "D", "--evidence", "E")
    assert result.exit_code == 1
    assert "no status_date" in result.stderr
    assert run("verify", str(plan), "wifi", "--by", "D").exit_code == 2  # --evidence missing
