"""Invariants of earned value on random plans with random progress: CV = EV - AC,
SV = EV - PV, EV <= BAC, PV at the baseline's finish = BAC, 0 <= ES <= planned duration,
and never an infinity or a NaN."""

from __future__ import annotations

import math
from dataclasses import fields, replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontrack.core.baseline import Baseline, take_baseline
from ontrack.core.evm import EarnedValue, Measures, earned_value
from ontrack.core.model import (
    CalendarDef,
    Deliverable,
    Dependency,
    Duration,
    Outcome,
    Plan,
    ProjectInfo,
    Resource,
    Task,
)
from ontrack.core.schedule import ScheduleOptions, timed_schedule

START = date(2027, 3, 1)
CLOSED = (date(2027, 3, 10), date(2027, 3, 17))


def no_holidays(country: str, year: int) -> list[date]:
    return []


@st.composite
def tasks(draw: st.DrawFn, n: int) -> list[Task]:
    out = []
    for i in range(n):
        elapsed = draw(st.booleans()) and draw(st.booleans())
        out.append(Task(
            id=f"t{i}",
            name=f"Task {i}",
            duration=Duration(draw(st.integers(1, 6)), "ed" if elapsed else "d"),
            cost=draw(st.sampled_from([None, 0, 250, 1000])),
            resources=(("eng", 1),) if draw(st.booleans()) else (),
            deliverable=draw(st.sampled_from(["d1", "d2", None])),
            after=tuple(Dependency(f"t{j}") for j in range(i) if draw(st.booleans())),
        ))
    return out


def as_planned(work: list[Task], summary: bool) -> Plan:
    body: tuple[Task, ...] = tuple(work)
    if summary and len(body) > 2:
        body = (*body[:2], Task("s", "Summary", tasks=body[2:]))
    return Plan(
        project=ProjectInfo("p", "P", START, calendar="work"),
        calendars=(CalendarDef("work", closed=CLOSED),),
        resources=(Resource("eng", units=3, rate=100),),
        outcomes=(Outcome("o1", "One", priority=1), Outcome("o2", "Two", priority=2)),
        deliverables=(Deliverable("d1", "D1", ("o1",)), Deliverable("d2", "D2", ("o2",))),
        tasks=body,
    )


def with_progress(task: Task, draw: st.DrawFn, status: date) -> Task:
    if task.is_summary:
        return replace(task, tasks=tuple(with_progress(t, draw, status) for t in task.tasks))
    state = draw(st.sampled_from(["none", "started", "done"]))
    if state == "none":
        return task
    began = START + timedelta(draw(st.integers(0, max((status - START).days - 1, 0))))
    cost = draw(st.none() | st.floats(0, 5000))
    if state == "started":
        percent = draw(st.floats(0, 99))
        return replace(task, actual_start=began, percent_complete=percent, actual_cost=cost)
    ended = began + timedelta(draw(st.integers(0, max((status - began).days - 1, 0))))
    return replace(task, actual_start=began, actual_finish=ended, actual_cost=cost)


@st.composite
def tracked(draw: st.DrawFn) -> tuple[Baseline, EarnedValue]:
    planned = as_planned(draw(tasks(draw(st.integers(1, 8)))), draw(st.booleans()))
    sched, timing = timed_schedule(planned, ScheduleOptions(level=True, holidays=no_holidays))
    baseline = take_baseline("b", planned, sched, timing, START)
    status = START + timedelta(draw(st.integers(0, 60)))
    recorded = tuple(with_progress(t, draw, status) for t in planned.tasks)
    progressed = replace(planned, tasks=recorded)
    return baseline, earned_value(progressed, baseline, status, no_holidays)


def every_measure(ev: EarnedValue) -> list[tuple[str, Measures]]:
    rows = [*ev.tasks, *ev.deliverables, *ev.outcomes]
    return [("project", ev.project), *((r.id, r.measures) for r in rows)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked())
def test_variances_are_differences_and_ev_never_exceeds_bac(
    case: tuple[Baseline, EarnedValue],
) -> None:
    _, ev = case
    for name, m in every_measure(ev):
        assert m.cv == m.ev - m.ac, name
        assert m.sv == m.ev - m.pv, name
        assert m.ev <= m.bac + 1e-9, name
        assert 0 <= m.pv <= m.bac + 1e-6, name
        for f in fields(m):
            value = getattr(m, f.name)
            assert value is None or math.isfinite(value), (name, f.name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked())
def test_pv_at_the_baseline_finish_is_bac_and_es_stays_within_the_planned_duration(
    case: tuple[Baseline, EarnedValue],
) -> None:
    baseline, ev = case
    assert abs(ev.curve.pv[ev.pd_days] - ev.project.bac) < 1e-6
    assert abs(ev.project.bac - sum(t.cost for t in baseline.tasks if not t.is_summary)) < 1e-6
    for name, m in every_measure(ev):
        if m.es_days is not None:
            assert 0 <= m.es_days <= ev.pd_days, name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked())
def test_the_s_curve_reaches_ev_and_ac_at_the_status_date(
    case: tuple[Baseline, EarnedValue],
) -> None:
    _, ev = case
    if ev.at_days:
        assert abs(ev.curve.ev[-1] - ev.project.ev) < 1e-6
        assert abs(ev.curve.ac[-1] - ev.project.ac) < 1e-6
        assert abs(ev.curve.pv[ev.at_days] - ev.project.pv) < 1e-6
