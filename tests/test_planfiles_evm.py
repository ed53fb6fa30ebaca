"""Every plan in tests/planfiles/evm measures as its expectations say (docs/tracking.md).

Each file is a plan with progress, then `---` and `expect`: `at_days`, `pd_days`, and for
`project`, `tasks`, `deliverables` and `outcomes` the measures of `ontrack evm --json`
(field -> value, as rounded there). The baseline is the plan without its progress (no
actual dates, percentages, actual costs or status date), scheduled and saved.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ontrack.app.evm import Tracked, evm_to_json
from ontrack.app.holiday_source import CountryHolidays
from ontrack.core.baseline import Baseline, take_baseline
from ontrack.core.evm import earned_value
from ontrack.core.model import Plan, Task
from ontrack.core.schedule import ScheduleOptions, timed_schedule
from ontrack.planfile import parse_plan
from test_planfiles_correct import mismatches

EVM = Path(__file__).parent / "planfiles" / "evm"
PLANS = sorted(EVM.glob("*.yaml"))


def unprogressed(task: Task) -> Task:
    return replace(
        task,
        actual_start=None,
        actual_finish=None,
        percent_complete=None,
        actual_cost=None,
        tasks=tuple(unprogressed(t) for t in task.tasks),
    )


def baseline_before_progress(plan: Plan) -> Baseline:
    planned = replace(
        plan,
        project=replace(plan.project, status_date=None),
        tasks=tuple(unprogressed(t) for t in plan.tasks),
    )
    sched, timing = timed_schedule(planned, ScheduleOptions(holidays=CountryHolidays()))
    return take_baseline("plan", planned, sched, timing, plan.project.start)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_file_measures_as_its_expectations_say(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _, spec = YAML(typ="safe", pure=True).load_all(text)
    plan = parse_plan(text, str(path))
    assert plan.project.status_date is not None, "an evm plan file states its status date"
    measured = earned_value(
        plan, baseline_before_progress(plan), plan.project.status_date, CountryHolidays()
    )
    result = evm_to_json(Tracked(plan, measured))
    expect: dict[str, Any] = spec["expect"]
    problems = mismatches("", result, {k: expect[k] for k in ("at_days", "pd_days")})
    problems += mismatches("project", result["project"], expect.get("project", {}))
    for kind in ("tasks", "deliverables", "outcomes"):
        rows = {r["id"]: r for r in result[kind]}
        for ident, fields in (expect.get(kind) or {}).items():
            assert ident in rows, f"no {kind} {ident} in the result"
            problems += mismatches(ident, rows[ident], fields)
    assert not problems, "\n".join(problems)
