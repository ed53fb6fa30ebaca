"""A plan that runs past the first calendar horizon (two years after its last date) is
scheduled again on a longer one; on the working axis the passes of the shorter horizon
are kept when they still hold, so they must be those of the longer one."""

from __future__ import annotations

from datetime import date

import numpy as np

from ontrack.core.cpm import WorkAxis, critical_path
from ontrack.core.model import Dependency, Duration, Plan, ProjectInfo, Task
from ontrack.core.schedule import ScheduleOptions, timed_schedule

START = date(2027, 3, 1)  # a Monday


def test_a_plan_longer_than_the_first_horizon_gets_the_passes_of_the_longer_one() -> None:
    a = Task(id="a", name="A", duration=Duration(400, "d"))
    b = Task(id="b", name="B", duration=Duration(400, "d"), after=(Dependency("a"),))
    c = Task(
        id="c",
        name="C",
        duration=Duration(400, "d"),
        after=(Dependency("b", "FS", Duration(3, "d")),),
    )
    plan = Plan(project=ProjectInfo(id="p", name="P", start=START), tasks=(a, b, c))
    sched, timing = timed_schedule(plan, ScheduleOptions(level=False))
    assert isinstance(timing.axis, WorkAxis)
    assert timing.table.days == 4 * 2 * 366  # doubled twice
    net, axis = timing.net, timing.axis
    again = critical_path(net, timing.levels, axis, axis.from_minutes(net.lower))
    for name in ("early_start", "early_finish", "late_start", "late_finish"):
        assert np.array_equal(getattr(again, name), getattr(timing.passes, name))
    last_day = np.busday_offset(np.datetime64(START), 1203 - 1, roll="forward")
    assert sched.finish == last_day.astype(date)
