"""The baselines file beside a plan: canonical YAML that reads back the same, and located
problems when it is broken."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ontrack.app.holiday_source import CountryHolidays
from ontrack.core.baseline import Baseline, take_baseline
from ontrack.core.diagnostics import PlanError
from ontrack.core.schedule import ScheduleOptions, timed_schedule
from ontrack.planfile import load_plan
from ontrack.planfile.baselines import baselines_file, dump_baselines, load_baselines

EXAMPLE = Path(__file__).parents[2] / "examples" / "plant-wifi.yaml"


@pytest.fixture(scope="module")
def example() -> Baseline:
    plan = load_plan(EXAMPLE)
    sched, timing = timed_schedule(plan, ScheduleOptions(holidays=CountryHolidays()))
    return take_baseline("first", plan, sched, timing, date(2027, 2, 26))


def test_the_file_sits_beside_the_plan() -> None:
    assert baselines_file(EXAMPLE) == EXAMPLE.with_name("plant-wifi.baselines.yaml")


def test_baselines_read_back_as_they_were_written(example: Baseline, tmp_path: Path) -> None:
    second = replace(example, name="2027-03-08", outcomes=())
    text = dump_baselines("plant-wifi", [example, second])
    path = tmp_path / "plant-wifi.baselines.yaml"
    path.write_text(text)
    assert load_baselines(path, "plant-wifi") == (example, second)
    assert dump_baselines("plant-wifi", load_baselines(path, "plant-wifi")) == text


def test_the_file_is_plain_readable_yaml(example: Baseline) -> None:
    text = dump_baselines("plant-wifi", [example])
    assert text.startswith("ontrack: 1\n\nproject: plant-wifi\n\nbaselines:\n  - name: first\n")
    assert "\n        planned_value:\n          2027-03-01: 2120\n" in text


BROKEN = """\
ontrack: 1
project: plant-wifi
baselines:
  - name: first
    saved: 2027-02-30
    start: 2027-03-01
    finish: 2027-03-05
    cost: 10
    tasks:
      - {id: a, start: 2027-03-01, finish: 2027-03-05, duration_days: 5, work_hours: 0,
         cost: 10, planed_value: {2027-03-05: 10}}
  - name: first
    saved: 2027-03-01
    start: 2027-03-01
    finish: 2027-03-05
    cost: 10
"""


def problems(tmp_path: Path, text: str, project: str = "plant-wifi") -> list[str]:
    path = tmp_path / "x.baselines.yaml"
    path.write_text(text)
    with pytest.raises(PlanError) as caught:
        load_baselines(path, project)
    return [f"{d.location.line}:{d.location.column} {d.code}" for d in caught.value.diagnostics]


def test_a_broken_file_reports_every_problem_at_its_position(tmp_path: Path) -> None:
    assert problems(tmp_path, BROKEN) == [
        "5:12 bad-date",
        "10:10 missing-field",  # planned_value: where the task's mapping starts
        "11:20 unknown-field",
    ]


def test_a_name_saved_twice_and_another_projects_file_are_reported(tmp_path: Path) -> None:
    fixed = BROKEN.replace("2027-02-30", "2027-02-26").replace("planed_value", "planned_value")
    assert problems(tmp_path, fixed, "other") == ["2:10 bad-value", "12:11 duplicate-id"]


def test_a_file_that_is_not_yaml_is_located(tmp_path: Path) -> None:
    assert problems(tmp_path, "ontrack: 1\nproject: [a\n") == ["3:1 yaml-syntax"]


def test_a_message_names_the_file_and_suggests_the_field(tmp_path: Path) -> None:
    path = tmp_path / "x.baselines.yaml"
    path.write_text(BROKEN)
    with pytest.raises(PlanError) as caught:
        load_baselines(path, "plant-wifi")
    unknown = str(caught.value.diagnostics[-1])
    assert unknown.startswith(f"{path}:11:20: unknown-field:")
    assert "did you mean `planned_value`?" in unknown


def test_the_example_in_the_docs_is_a_baselines_file_as_written(tmp_path: Path) -> None:
    docs = (EXAMPLE.parents[1] / "docs" / "scheduling.md").read_text(encoding="utf-8")
    text = docs.split("\n## Baselines\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "plant-wifi.baselines.yaml"
    path.write_text(text)
    (baseline,) = load_baselines(path, "plant-wifi")
    assert dump_baselines("plant-wifi", [baseline]) == text
