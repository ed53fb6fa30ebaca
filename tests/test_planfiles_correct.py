"""Every plan in tests/planfiles/correct schedules to the dates, floats and findings it states.

Each file is a plan, then `---` and a second YAML document with `options` (level) and
`expect` (project, tasks, outcomes: field -> value; findings: "kind:subject" present).
A mapping as a value states only the keys it names (`levelling_delay: {resource: r}`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.schedule_json import schedule_to_json
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.planfile import parse_plan

CORRECT = Path(__file__).parent / "planfiles" / "correct"
PLANS = sorted(CORRECT.glob("*.yaml"))


def expectations(text: str) -> dict[str, Any]:
    docs = list(YAML(typ="safe", pure=True).load_all(text))
    assert len(docs) == 2, "a correct plan file has the plan, then --- and its expectations"
    return docs[1]


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, date):
        return actual == expected.isoformat()
    if isinstance(expected, bool) or expected is None:
        return actual is expected
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and abs(actual - expected) < 1e-6
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(same(actual.get(k), v) for k, v in expected.items())
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def mismatches(kind: str, actual: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return [
        f"{kind}.{field}: expected {want!r}, got {actual.get(field)!r}"
        for field, want in expected.items()
        if not same(actual.get(field), want)
    ]


def test_there_are_at_least_25_correct_plan_files() -> None:
    assert len(PLANS) >= 25


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_file_schedules_as_its_expectations_say(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    spec = expectations(text)
    plan = parse_plan(text, str(path))
    level = spec.get("options", {}).get("level", True)
    result = schedule_to_json(
        schedule(plan, ScheduleOptions(level=level, holidays=CountryHolidays()))
    )
    expect = spec["expect"]
    problems = mismatches("project", result["project"], expect.get("project", {}))
    tasks = {t["id"]: t for t in result["tasks"]}
    for task_id, fields in (expect.get("tasks") or {}).items():
        assert task_id in tasks, f"no task {task_id} in the schedule"
        problems += mismatches(task_id, tasks[task_id], fields)
    outcomes = {o["id"]: o for o in result["outcomes"]}
    for outcome_id, fields in (expect.get("outcomes") or {}).items():
        problems += mismatches(outcome_id, outcomes[outcome_id], fields)
    found = {f"{f['kind']}:{f['subject']}" for f in result["findings"]}
    problems += [f"missing finding {f}" for f in expect.get("findings", []) if f not in found]
    assert not problems, "\n".join(problems)
