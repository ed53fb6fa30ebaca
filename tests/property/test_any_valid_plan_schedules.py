"""Any valid plan (summaries, progress, elapsed time, calendars, program milestones, text
from all of Unicode) schedules, levelled or not, into dates that make sense."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from test_roundtrip import plans

from ontrack.core.model import Plan
from ontrack.core.schedule import ScheduleError, ScheduleOptions, schedule


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_valid_plan_schedules_with_and_without_levelling(plan: Plan) -> None:
    for level in (False, True):
        try:
            sched = schedule(plan, ScheduleOptions(level=level))
        except ScheduleError:  # a calendar without working time is said, not crashed on
            continue
        assert len(sched.tasks) == sum(1 for _ in plan.walk_tasks())
        for task in sched.tasks:
            assert task.start <= task.finish or task.kind == "milestone"
            assert task.early_start <= task.late_start
        assert {o.id for o in sched.outcomes} == {o.id for o in plan.outcomes}
