"""The folded passes (cpm_work) give exactly what the general passes give."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.core import cpm_work
from ontrack.core.calendar import CalendarTable
from ontrack.core.cpm import WorkAxis, critical_path, topological_levels
from ontrack.core.model import Dependency, Duration, Plan, ProjectInfo, Task
from ontrack.core.network import build_network
from ontrack.core.schedule import no_holidays

START = date(2027, 3, 1)


@st.composite
def single_calendar_plans(draw: st.DrawFn) -> Plan:
    n = draw(st.integers(1, 25))
    tasks = []
    for i in range(n):
        after = tuple(
            Dependency(
                f"t{p}",
                draw(st.sampled_from(("FS", "SS", "FF", "SF"))),
                Duration(draw(st.integers(-3, 3)), draw(st.sampled_from(("d", "h")))),
            )
            for p in sorted(set(draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=3))))
            if p < i
        )
        milestone = draw(st.booleans()) and draw(st.booleans())
        duration = None if milestone else Duration(draw(st.integers(1, 16)) / 2, "d")
        kind = "milestone" if milestone else None
        tasks.append(Task(id=f"t{i}", name=f"t{i}", kind=kind, duration=duration, after=after))
    return Plan(project=ProjectInfo(id="p", name="P", start=START), tasks=tuple(tasks))


@settings(max_examples=200, deadline=None)
@given(single_calendar_plans())
def test_folded_passes_equal_the_general_passes(plan: Plan) -> None:
    net, levels = topological_levels(build_network(plan))
    assert cpm_work.applies(net)
    table = CalendarTable.build(net.patterns, plan.project.start, 400, no_holidays)
    axis = WorkAxis(table)
    lower = axis.from_minutes(net.lower)
    general = critical_path(net, levels, axis, lower)
    folded = cpm_work.critical_path_work(net, levels, lower, cpm_work.fold(net))
    for field in ("early_start", "early_finish", "late_start", "late_finish", "finish_driven"):
        assert np.array_equal(getattr(general, field), getattr(folded, field)), field
