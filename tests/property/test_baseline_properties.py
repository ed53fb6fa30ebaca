"""Any valid plan's baseline spends each task's cost, no more and no less, day by day within
its dates, compares equal to itself and reads back from its file as it was written."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from test_roundtrip import plans

from ontrack.core.baseline import compare, take_baseline
from ontrack.core.model import Plan
from ontrack.core.schedule import ScheduleError, timed_schedule
from ontrack.planfile.baselines import dump_baselines, load_baselines


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_plans_baseline_spends_each_cost_and_reads_back(plan: Plan) -> None:
    try:
        sched, timing = timed_schedule(plan)
    except ScheduleError:  # a calendar without working time
        return
    baseline = take_baseline("b", plan, sched, timing, date(2027, 1, 1))
    for task in baseline.tasks:
        days = [d for d, _ in task.planned_value]
        values = [v for _, v in task.planned_value]
        assert values[-1] == task.cost
        assert values == sorted(values) and days == sorted(set(days))
        assert task.start <= days[0] and days[-1] <= task.finish
    assert all(v.change == "same" for v in compare(baseline, baseline).tasks)
    text = dump_baselines(plan.project.id, [baseline])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.baselines.yaml"
        path.write_text(text, encoding="utf-8")
        assert load_baselines(path, plan.project.id) == (baseline,)
