"""Baselines: a schedule frozen under a name, to track against (issue 4).

A baseline keeps what tracking compares with later, independent of later edits to the
plan: every task's dates, work and cost, and how that cost is spread over working days
(planned value), every deliverable's finish and every outcome's forecast.

Rules (stated in docs/scheduling.md#baselines):
- Planned value: a task's cost, fixed cost included, is spread over its working minutes
  as scheduled, in its own calendar (the intersection of its resources' for a task that
  holds some), from its start (its actual start, once started) to its finish; each
  working day gets its share. Weekends, holidays and days away get nothing. A task with
  no working time (a milestone) has all its cost on its date. A summary's planned value
  is its children's plus its own fixed cost, spread over their working minutes.
- Variances are `now - was`, dates in calendar days: later and dearer are positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple, Protocol, TypeVar

import numpy as np

from ontrack.core.calendar import MINUTES_PER_DAY, CalendarTable
from ontrack.core.model import Plan
from ontrack.core.results import Schedule, TaskResult
from ontrack.core.schedule import Timing


@dataclass(frozen=True)
class BaselineTask:
    id: str
    start: date
    finish: date
    work_hours: float  # resource hours planned (units x working hours)
    cost: float  # the task's whole planned cost, fixed cost included
    planned_value: tuple[tuple[date, float], ...]
    """Cumulative planned cost at the end of each working day of the task, in date order,
    ending at `cost` (a summary's is its children's, added up)."""
    is_summary: bool = False
    parent: str | None = None
    deliverable: str | None = None
    outcomes: tuple[str, ...] = ()
    duration_days: float = 0.0  # as the schedule gives it: whether the task grew since


@dataclass(frozen=True)
class BaselineOutcome:
    id: str
    target: date | None
    forecast: date | None
    driving_tasks: tuple[str, ...] = ()  # what a later comparison blames for a slip
    external_drivers: tuple[str, ...] = ()  # program milestones on that chain


@dataclass(frozen=True)
class BaselineDeliverable:
    id: str
    finish: date | None


@dataclass(frozen=True)
class Baseline:
    name: str
    saved: date  # the day it was saved (the status date, or today when there is none)
    project_start: date
    project_finish: date
    cost: float
    tasks: tuple[BaselineTask, ...]
    outcomes: tuple[BaselineOutcome, ...]
    deliverables: tuple[BaselineDeliverable, ...]
    program_milestones: tuple[tuple[str, date], ...] = ()  # (id, date) as planned then


# --- taking a baseline ------------------------------------------------------------------


def take_baseline(name: str, plan: Plan, sched: Schedule, timing: Timing, saved: date) -> Baseline:
    """The schedule of `plan` (and the timing it was read from, see `timed_schedule`),
    frozen as `name` on the day `saved`."""
    tasks = _baseline_tasks(sched, timing)
    finishes: dict[str, date] = {}
    for t in tasks:
        if t.deliverable and not t.is_summary:
            finishes[t.deliverable] = max(t.finish, finishes.get(t.deliverable, t.finish))
    milestones = plan.program.milestones if plan.program else ()
    return Baseline(
        name=name,
        saved=saved,
        project_start=sched.start,
        project_finish=sched.finish,
        cost=sched.cost,
        tasks=tasks,
        outcomes=tuple(
            BaselineOutcome(o.id, o.target, o.forecast, o.driving_tasks, o.external_drivers)
            for o in sched.outcomes
        ),
        deliverables=tuple(
            BaselineDeliverable(d.id, finishes.get(d.id)) for d in plan.deliverables
        ),
        program_milestones=tuple((m.id, m.date) for m in milestones),
    )


def _baseline_tasks(sched: Schedule, timing: Timing) -> tuple[BaselineTask, ...]:
    net, table = timing.net, timing.table
    start, finish = timing.minutes()
    start = np.where(net.actual_start >= 0, net.actual_start, start)  # work started: from then
    n = len(sched.tasks)  # tasks are the network's first nodes, program milestones follow
    minutes: list[dict[int, float]] = [{} for _ in range(n)]  # working minutes by day
    amounts: list[dict[int, float]] = [{} for _ in range(n)]  # planned cost by day
    work = [0.0] * n
    for v in reversed(range(n)):  # children follow their parent: all done before it
        t, task = sched.tasks[v], net.tasks[v]
        own = t.cost
        if t.is_summary:
            own = float(task.cost or 0) if task else 0.0
        else:
            # Within its dates as reported, whatever the instants (a done task of no
            # duration is dated by its start).
            lo = max(int(start[v]), (t.start - table.origin).days * MINUTES_PER_DAY)
            hi = min(int(finish[v]), ((t.finish - table.origin).days + 1) * MINUTES_PER_DAY)
            minutes[v] = _working_minutes(table, int(net.cal[v]), lo, hi)
            work[v] = sum((a.units * a.hours for a in t.assignments), 0.0)
        _spread(amounts[v], own, minutes[v], (t.finish - table.origin).days)
        parent = int(net.parent[v])
        if parent >= 0:
            _add(minutes[parent], minutes[v])
            _add(amounts[parent], amounts[v])
            work[parent] += work[v]
    return tuple(_record(t, amounts[v], work[v], table.origin) for v, t in enumerate(sched.tasks))


def _working_minutes(table: CalendarTable, cal: int, start: int, finish: int) -> dict[int, float]:
    """Working minutes of calendar `cal` in [start, finish), by day; days without any left out."""
    if finish <= start:
        return {}
    days = np.arange(start // MINUTES_PER_DAY, (finish - 1) // MINUTES_PER_DAY + 2)
    edges = np.clip(days * MINUTES_PER_DAY, start, finish)
    worked = np.diff(table.work_before(np.full(days.size, cal, np.int64), edges))
    return {d: float(m) for d, m in zip(days[:-1].tolist(), worked.tolist(), strict=True) if m}


def _spread(into: dict[int, float], amount: float, minutes: dict[int, float], day: int) -> None:
    """Add `amount` to `into` in proportion to the working minutes; without any, on `day`."""
    total = sum(minutes.values())
    _add(into, {d: amount * m / total for d, m in minutes.items()} if total else {day: amount})


def _add(into: dict[int, float], other: dict[int, float]) -> None:
    for day, value in other.items():
        into[day] = into.get(day, 0.0) + value


def _record(t: TaskResult, amounts: dict[int, float], work: float, origin: date) -> BaselineTask:
    curve, running = [], 0.0
    for day in sorted(amounts):
        running += amounts[day]
        # Never above the cost, and exactly it at the end, whatever the rounding on the way.
        curve.append((origin + timedelta(days=day), min(round(running, 2), t.cost)))
    curve[-1] = (curve[-1][0], t.cost)
    return BaselineTask(
        id=t.id,
        start=t.start,
        finish=t.finish,
        work_hours=round(work, 4),
        cost=t.cost,
        planned_value=tuple(curve),
        is_summary=t.is_summary,
        parent=t.parent,
        deliverable=t.deliverable,
        outcomes=t.outcomes,
        duration_days=t.duration_days,
    )


# --- comparing two ----------------------------------------------------------------------


class DateChange(NamedTuple):
    was: date | None
    now: date | None

    @property
    def days(self) -> int | None:
        """How many calendar days later it is now (negative: earlier); None without both."""
        return None if self.was is None or self.now is None else (self.now - self.was).days

    @property
    def later(self) -> bool:
        return (self.days or 0) > 0


class CostChange(NamedTuple):
    was: float
    now: float

    @property
    def variance(self) -> float:
        """How much more it costs now (negative: less)."""
        return round(self.now - self.was, 2)


TaskChange = Literal["added", "removed", "changed", "same"]


@dataclass(frozen=True)
class TaskVariance:
    id: str
    change: TaskChange
    start: DateChange
    finish: DateChange
    cost: CostChange  # 0 where the task is not (added, removed): task variances add up
    longer_days: float | None  # how much its duration grew; None when added or removed


class Cause(NamedTuple):
    """Why an outcome slipped, found on its driving chain now: a program milestone that was
    added or moved later, work that was added or grew, and the work where the slip enters
    the chain (the first that moved later, when nothing before it did: what follows it on
    the chain moves with it, so it is not blamed)."""

    kind: Literal["task", "milestone"]
    id: str
    reason: Literal["added", "longer", "later"]
    days: int | None  # how much later it finishes (a milestone: its date); None when added
    longer_days: float = 0.0


@dataclass(frozen=True)
class OutcomeVariance:
    id: str
    target: date | None
    forecast: DateChange
    cost: CostChange  # of the work that serves it (work serving several counts in each)
    causes: tuple[Cause, ...]  # along its driving chain now; empty unless it slipped

    @property
    def slipped(self) -> bool:
        return self.forecast.later


@dataclass(frozen=True)
class DeliverableVariance:
    id: str
    finish: DateChange
    cost: CostChange


@dataclass(frozen=True)
class Comparison:
    was: str  # the baselines' names
    now: str
    start: DateChange
    finish: DateChange
    cost: CostChange
    outcomes: tuple[OutcomeVariance, ...]
    deliverables: tuple[DeliverableVariance, ...]
    tasks: tuple[TaskVariance, ...]


def compare(was: Baseline, now: Baseline) -> Comparison:
    """What changed from baseline `was` to baseline `now` (often the current schedule)."""
    tasks = tuple(_task_variance(i, a, b) for i, a, b in _paired(was.tasks, now.tasks))
    by_id = {v.id: v for v in tasks}
    costs = _cost_by(was), _cost_by(now)
    outcomes = []
    for i, a, b in _paired(was.outcomes, now.outcomes):
        forecast = DateChange(a.forecast if a else None, b.forecast if b else None)
        outcomes.append(
            OutcomeVariance(
                id=i,
                target=b.target if b else a.target if a else None,
                forecast=forecast,
                cost=CostChange(*(c.get(i, 0.0) for c in costs)),
                causes=_causes(was, now, b, by_id) if b and forecast.later else (),
            )
        )
    deliverables = tuple(
        DeliverableVariance(
            i,
            DateChange(a.finish if a else None, b.finish if b else None),
            CostChange(*(c.get(i, 0.0) for c in costs)),
        )
        for i, a, b in _paired(was.deliverables, now.deliverables)
    )
    return Comparison(
        was=was.name,
        now=now.name,
        start=DateChange(was.project_start, now.project_start),
        finish=DateChange(was.project_finish, now.project_finish),
        cost=CostChange(was.cost, now.cost),
        outcomes=tuple(outcomes),
        deliverables=deliverables,
        tasks=tasks,
    )


def _task_variance(i: str, a: BaselineTask | None, b: BaselineTask | None) -> TaskVariance:
    start = DateChange(a.start if a else None, b.start if b else None)
    finish = DateChange(a.finish if a else None, b.finish if b else None)
    cost = CostChange(a.cost if a else 0.0, b.cost if b else 0.0)
    longer = round(b.duration_days - a.duration_days, 4) if a and b else None
    change: TaskChange = "added" if a is None else "removed" if b is None else "same"
    if change == "same" and (start.days or finish.days or cost.variance or longer):
        change = "changed"
    return TaskVariance(i, change, start, finish, cost, longer)


def _causes(
    was: Baseline, now: Baseline, outcome: BaselineOutcome, tasks: dict[str, TaskVariance]
) -> tuple[Cause, ...]:
    causes = []
    dated = dict(was.program_milestones), dict(now.program_milestones)
    for m in outcome.external_drivers:
        moved = DateChange(dated[0].get(m), dated[1].get(m))
        if moved.was is None:
            causes.append(Cause("milestone", m, "added", None))
        elif moved.later:
            causes.append(Cause("milestone", m, "later", moved.days))
    for i in outcome.driving_tasks:
        v = tasks[i]
        if v.change == "added":
            causes.append(Cause("task", i, "added", None))
        elif (v.longer_days or 0) > 0:
            causes.append(Cause("task", i, "longer", v.finish.days, v.longer_days or 0.0))
        elif v.finish.later and not causes:  # where the slip enters the chain
            causes.append(Cause("task", i, "later", v.finish.days))
    return tuple(causes)


def _cost_by(baseline: Baseline) -> dict[str, float]:
    """The cost of the work (summaries left out) serving each outcome and of each
    deliverable, by id (ids are unique across both)."""
    sums: dict[str, float] = {}
    for t in baseline.tasks:
        keys = () if t.is_summary else (*t.outcomes, *((t.deliverable,) if t.deliverable else ()))
        for key in keys:
            sums[key] = sums.get(key, 0.0) + t.cost
    return {key: round(value, 2) for key, value in sums.items()}


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Record = TypeVar("Record", bound=_Identified)


def _paired(
    was: Sequence[Record], now: Sequence[Record]
) -> list[tuple[str, Record | None, Record | None]]:
    """Every id of `now` in its order, then those only `was` has, with the record of each."""
    old = {r.id: r for r in was}
    new = {r.id: r for r in now}
    return [(i, old.get(i), new.get(i)) for i in [*new, *(i for i in old if i not in new)]]


# --- the trend of each outcome's forecast ----------------------------------------------


class TrendPoint(NamedTuple):
    baseline: str
    saved: date
    forecast: date | None  # None where the outcome had no work, or was not in that baseline
    slip_days: int | None  # later than at the point before, in calendar days; None at the first


@dataclass(frozen=True)
class OutcomeTrend:
    id: str
    target: date | None
    points: tuple[TrendPoint, ...]

    @property
    def slipping(self) -> bool:
        """Its forecast moved later at the last step: since the baseline before it."""
        return len(self.points) > 1 and (self.points[-1].slip_days or 0) > 0

    @property
    def slip_days(self) -> int | None:
        """How much later it is forecast at the last point than at the first."""
        return DateChange(self.points[0].forecast, self.points[-1].forecast).days


def trend(baselines: Sequence[Baseline]) -> tuple[OutcomeTrend, ...]:
    """Each outcome of the last baseline (the current schedule, usually) with its forecast at
    every baseline, in the order given (the order they were saved in)."""
    if not baselines:
        return ()
    forecasts = [{o.id: o.forecast for o in b.outcomes} for b in baselines]
    trends = []
    for outcome in baselines[-1].outcomes:
        points: list[TrendPoint] = []
        for baseline, by_id in zip(baselines, forecasts, strict=True):
            forecast = by_id.get(outcome.id)
            before = points[-1].forecast if points else None
            points.append(
                TrendPoint(
                    baseline.name, baseline.saved, forecast, DateChange(before, forecast).days
                )
            )
        trends.append(OutcomeTrend(outcome.id, outcome.target, tuple(points)))
    return tuple(trends)
