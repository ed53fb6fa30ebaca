"""`schedule(plan, options) -> Schedule`: critical path, levelling, outcomes and findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import chain, compress, repeat
from typing import Any

import numpy as np

from ontrack.core import cpm_work
from ontrack.core.calendar import MINUTES_PER_DAY, CalendarTable, HolidaySource
from ontrack.core.collector import collector_paused
from ontrack.core.cpm import (
    Axis,
    CalendarAxis,
    Levels,
    Passes,
    WorkAxis,
    critical_path,
    fits_work_axis,
    topological_levels,
)
from ontrack.core.explain import explain
from ontrack.core.findings import find
from ontrack.core.level_best import Optimizer, best_levelling
from ontrack.core.level_search import Effort
from ontrack.core.leveling import Levelled, resource_links
from ontrack.core.model import UNRANKED, Plan, priority_rank
from ontrack.core.network import FloatArray, IntArray, Network, add_waits, build_network
from ontrack.core.outcomes import outcome_results
from ontrack.core.overallocation import overallocations
from ontrack.core.results import Assignment, Levelling, Schedule, TaskResult
from ontrack.core.trace import Trace, priorities, trace

MAX_HORIZON_DAYS = 200 * 366


def no_holidays(country: str, year: int) -> Iterable[date]:
    return ()


@dataclass(frozen=True)
class ScheduleOptions:
    level: bool = True
    holidays: HolidaySource = no_holidays
    at_risk_days: float = 5.0
    """An outcome on schedule with less slack than this many working days is at risk."""
    effort: Effort = field(default_factory=Effort)
    """How hard levelling searches for a better order than its priority rule's."""
    optimizer: Optimizer | None = None
    """An exact solver to try after the search (the app gives CP-SAT for --optimize)."""
    baseline_forecasts: Mapping[str, date | None] = field(default_factory=dict)
    """Each outcome's forecast at the latest baseline: one slipping since is at risk sooner."""


class ScheduleError(Exception):
    """The plan is valid but cannot be scheduled (for example a calendar with no working time)."""


@dataclass(frozen=True)
class Timing:
    """Everything computed on the time axis, in absolute minutes."""

    table: CalendarTable
    axis: Axis
    net: Network
    levels: Levels
    passes: Passes
    levelled: Levelled | None
    levelling: Levelling | None = None

    def minutes(self) -> tuple[IntArray, IntArray]:
        """Each node's start and finish in absolute minutes (before dating milestones)."""
        ps = self.passes
        start = self.axis.to_minutes(ps.early_start, end=False)
        return start, self.axis.to_minutes(ps.early_finish, end=True)


def schedule(plan: Plan, options: ScheduleOptions | None = None) -> Schedule:
    return timed_schedule(plan, options)[0]


def timed_schedule(plan: Plan, options: ScheduleOptions | None = None) -> tuple[Schedule, Timing]:
    """The schedule, and the timing it is read from (for minute-exact use, like loads)."""
    options = options or ScheduleOptions()
    with collector_paused():
        net, lv = topological_levels(build_network(plan))
        tr = trace(plan)
        prio = priorities(plan, net, lv, tr)
        timing = _timing(plan, net, lv, prio, _objective(plan, net, tr), options)
        return _results(plan, tr, prio, timing, options), timing


def _timing(
    plan: Plan,
    net: Network,
    lv: Levels,
    prio: IntArray,
    objective: list[IntArray],
    options: ScheduleOptions,
) -> Timing:
    levelling = options.level and any(net.demands)
    f = net.task_fields
    fixed = [plan.project.status_date] + [o.target for o in plan.outcomes]
    fixed += chain(f.not_before, f.deadline, f.actual_finish)
    fixed += [m.date for m in plan.program.milestones] if plan.program else []
    last = max([d for d in fixed if d] + [plan.project.start])
    days = (last - plan.project.start).days + 2 * 366
    known: tuple[IntArray, Passes] | None = None  # the last passes, and the `lower` they had
    while days <= MAX_HORIZON_DAYS:
        table = CalendarTable.build(net.patterns, plan.project.start, days, options.holidays)
        if np.any(table.total == 0):
            raise ScheduleError(
                "a calendar has no working time at all; give it workdays or fewer closed dates"
            )
        axis: Axis = (
            WorkAxis(table) if fits_work_axis(net) and not levelling else CalendarAxis(table)
        )
        lower = axis.from_minutes(net.lower)
        # On the working axis the passes read the table only through `lower`: a longer
        # table that gives the same `lower` gives the same passes.
        if isinstance(axis, WorkAxis) and known is not None and np.array_equal(known[0], lower):
            passes = known[1]
        else:
            passes = cpm_work.passes(net, lv, axis, lower)
            known = (lower, passes)
        if axis.overflows(np.concatenate([passes.early_finish, passes.late_finish])):
            days *= 2
            continue
        if not levelling:
            return Timing(table, axis, net, lv, passes, None)
        assert isinstance(axis, CalendarAxis)
        enough = _levelled_days_at_most(net, passes, table)
        if days < enough:  # size the calendars once, rather than level twice
            days = enough
            continue
        lev, report = best_levelling(
            net, axis, lower, prio, objective, options.effort, options.optimizer
        )
        if axis.overflows(lev.finish):
            days *= 2
            continue
        return replace(_after_levelling(table, axis, net, lev), levelling=report)
    raise ScheduleError(
        "the schedule runs past 200 years; check for resources away for good or tiny calendars"
    )


def _objective(plan: Plan, net: Network, tr: Trace) -> list[IntArray]:
    """The nodes serving each outcome priority, most important first: levelling compares
    the latest finish of each in turn, then the project's finish (docs/scheduling.md)."""
    by_priority: dict[int, list[int]] = {}
    for o in plan.outcomes:
        nodes = [net.index[t] for t in tr.leaves_serving(o.id)]
        by_priority.setdefault(priority_rank(o.priority), []).extend(nodes)
    return [np.array(by_priority[p], np.int64) for p in sorted(by_priority)]


def _levelled_days_at_most(net: Network, passes: Passes, table: CalendarTable) -> int:
    """A generous guess of the days levelling may need: twice the critical path's span plus
    the longest any resource's whole workload takes with all its units, in calendar days.
    (Guessing low only costs a second pass, on a doubled horizon.)"""
    span = int(passes.early_finish.max()) // MINUTES_PER_DAY + 1 if net.size else 1
    load = np.zeros(len(net.resource_ids))
    for node, demands in enumerate(net.demands):
        for r, units in demands:
            load[r] += units * float(net.work[node] + net.elapsed[node])
    per_day = max(float(table.per_day.max()), 1.0)
    busiest = float((load / np.maximum(net.resource_units, 1e-9)).max()) if load.size else 0.0
    workload = busiest / per_day * 7 / 5
    return 2 * (span + int(workload)) + 60


def _after_levelling(
    table: CalendarTable, axis: CalendarAxis, net: Network, lev: Levelled
) -> Timing:
    """Float on the levelled schedule, its order kept: waits become finish-to-start links."""
    holds = np.array([bool(d) for d in net.demands]) & ~net.pinned
    lower = np.where(holds, lev.start, net.lower)
    extra = resource_links(lev)
    try:
        augmented, lv = topological_levels(add_waits(net, extra))
    except ValueError:  # leads can make a wait look circular; keep the order by dates alone
        augmented, lv = topological_levels(net)
    passes = critical_path(augmented, lv, axis, lower)
    return Timing(table, axis, augmented, lv, passes, lev)


def _results(
    plan: Plan, tr: Trace, prio: IntArray, timing: Timing, options: ScheduleOptions
) -> Schedule:
    net, table, axis, ps = timing.net, timing.table, timing.axis, timing.passes
    es, ef = timing.minutes()
    ls = axis.to_minutes(ps.late_start, end=False)
    lf = axis.to_minutes(ps.late_finish, end=True)
    fd = ps.finish_driven
    # On the working axis, a finish-driven milestone sits at the end of working time.
    if isinstance(axis, WorkAxis) and fd.any():
        es = np.where(fd, ef, es)
        ls = np.where(fd, axis.to_minutes(ps.late_start, end=True), ls)
    ef = np.where(net.milestone, es, ef)  # a milestone is an instant
    lf = np.where(net.milestone, ls, lf)
    day_minutes = net.project_hours_per_day * 60
    float_minutes = axis.project_work(ps.late_start) - axis.project_work(ps.early_start)
    task_float = float_minutes / day_minutes
    # A start is dated by its first minute, a finish by its last; a milestone by its
    # start, unless a finish drives it: then by the last working minute before it.
    # Work started keeps its actual start; a summary spans its children's dates.
    back_start = net.milestone & fd
    back_finish = ~net.milestone | back_start
    actual = net.actual_start
    days = [
        np.where(actual >= 0, actual // MINUTES_PER_DAY, _day_numbers(es, back_start)),
        _day_numbers(ef, back_finish),
        _day_numbers(ls, back_start),
        _day_numbers(lf, back_finish),
    ]
    days[1] = np.maximum(days[1], days[0])  # an instant after an actual start stays after it
    days[3] = np.maximum(days[3], days[2])
    timing.levels.span_children(days[0], days[1])
    timing.levels.span_children(days[2], days[3])
    n = int(np.count_nonzero(~net.external))  # tasks come first, program milestones after
    start_day, finish_day, late_start_day, late_finish_day = _dates(table, [d[:n] for d in days])
    f = net.task_fields
    timing.levels.least_of_children(task_float)  # a summary's float: its children's least
    flt = task_float[:n]
    costs, assignments = _costs(net, table, es, ef)
    per_day = np.where(net.is_elapsed, 24 * 60, net.hours_per_day * 60)[:n]
    parents = net.parent[:n].tolist()
    rank = prio[:n].tolist()
    ids = net.ids[:n]
    # Built column by column: one TaskResult per task is the hot spot of a large plan.
    columns: dict[str, Sequence[Any]] = {
        "id": ids,
        "name": f.name,
        "start": start_day,
        "finish": finish_day,
        "early_start": start_day,
        "early_finish": finish_day,
        "late_start": late_start_day,
        "late_finish": late_finish_day,
        "total_float_days": np.round(flt, 4).tolist(),
        "critical": (flt <= 1e-9).tolist(),
        "cost": costs[:n],
        "outcomes": list(tr.outcomes.values()),  # in the tasks' order (see Trace)
        "deliverable": list(tr.deliverable.values()),
        "priority": [None if r >= UNRANKED - 1 else r for r in rank],
        "kind": [k or "task" for k in f.kind],
        "parent": [None if p < 0 else net.ids[p] for p in parents],
        "is_summary": net.summary[:n].tolist(),
        "duration_days": np.round(net.planned[:n] / per_day, 4).tolist(),
        "assignments": assignments[:n],
        "levelling_delay_days": _delays(net, axis, timing.levelled, day_minutes)[:n],
        "done": [d is not None for d in f.actual_finish],
        "percent_complete": [
            100.0 if d else float(p or 0)
            for d, p in zip(f.actual_finish, f.percent_complete, strict=True)
        ],
        "deadline": f.deadline,
    }
    rows = zip(*(columns[name] for name in TaskResult._fields), strict=True)
    # What TaskResult._make does, without its Python-level call per task.
    results: list[TaskResult] = list(map(tuple.__new__, repeat(TaskResult), rows))
    finish = max(columns["finish"], default=plan.project.start)
    index = dict(zip(ids, range(n), strict=True))
    outcomes = outcome_results(
        plan, tr, results, index, timing, options.at_risk_days, options.baseline_forecasts
    )
    over = () if timing.levelled else overallocations(net, table, es, ef)
    sched = Schedule(
        project_id=plan.project.id,
        start=min(start_day, default=plan.project.start),
        finish=finish,
        cost=round(sum(compress(costs, (net.parent[:n] < 0).tolist())), 2),
        levelled=timing.levelled is not None,
        status_date=plan.project.status_date,
        tasks=tuple(results),
        outcomes=outcomes,
        overallocations=over,
        levelling=timing.levelling,
        task_index=index,
        delays=explain(net, timing.levelled, results, outcomes, _days_between(axis, day_minutes)),
    )
    return replace(sched, findings=find(plan, sched, timing))


def _day_numbers(t: IntArray, back: np.ndarray) -> IntArray:
    """The day of each instant, or of the minute before it where `back` is set."""
    days: IntArray = np.where(back, t - 1, t) // MINUTES_PER_DAY
    return days


def _dates(table: CalendarTable, days: list[IntArray]) -> list[list[date]]:
    """The dates of each array of day numbers; one date object for each day."""
    every = np.concatenate(days)
    if not every.size:
        return [[] for _ in days]
    first = int(every.min())
    dates = [table.origin + timedelta(days=d) for d in range(first, int(every.max()) + 1)]
    return [list(map(dates.__getitem__, (d - first).tolist())) for d in days]


def _costs(
    net: Network, table: CalendarTable, es: IntArray, ef: IntArray
) -> tuple[list[float], list[tuple[Assignment, ...]]]:
    """Fixed cost plus units × rate × working hours; a summary adds up its children."""
    fixed = [float(c or 0) for c in net.task_fields.cost]
    cost = np.zeros(net.size)  # program milestones, after the tasks, cost nothing
    cost[: len(fixed)] = fixed
    assignments: list[tuple[Assignment, ...]] = [()] * net.size
    rates = net.resource_rates.tolist()
    # Working hours held: the planned duration, or for `ed` tasks the working time they span.
    worked = table.work_before(net.cal, ef) - table.work_before(net.cal, es)
    hours = np.where(net.is_elapsed, worked, net.planned) / 60
    for node in np.flatnonzero([bool(d) for d in net.demands]).tolist():
        h = float(hours[node])
        assignments[node] = tuple(
            Assignment(net.resource_ids[r], u, round(u * rates[r] * h, 2), round(h, 4))
            for r, u in net.demands[node]
        )
        cost[node] += sum(a.cost for a in assignments[node])
    children = np.flatnonzero(net.parent >= 0)
    for node in children[::-1].tolist():  # children follow their parent in walk order
        cost[net.parent[node]] += cost[node]
    return np.round(cost, 2).tolist(), assignments


def _delays(net: Network, axis: Axis, lev: Levelled | None, day_minutes: float) -> list[float]:
    if lev is None:
        return [0.0] * net.size
    days: list[float] = _working_days(axis, lev.earliest, lev.start, day_minutes).tolist()
    return days


def _days_between(axis: Axis, day_minutes: float) -> Callable[[int, int], float]:
    def days(a: int, b: int) -> float:
        return float(_working_days(axis, np.array([a]), np.array([b]), day_minutes)[0])

    return days


def _working_days(axis: Axis, a: IntArray, b: IntArray, day_minutes: float) -> FloatArray:
    """Working days of the project calendar from each instant of `a` to `b` (none if b
    is earlier), to four places."""
    work = axis.project_work(b) - axis.project_work(a)
    days: FloatArray = np.round(np.maximum(work, 0) / day_minutes, 4)
    return days
