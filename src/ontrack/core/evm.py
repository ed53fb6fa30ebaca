"""Earned value and earned schedule at a status date, against a baseline (issue 4).

The formulas, their edge cases and their sources (the PMI Practice Standard for Earned
Value Management, and Lipke's earned schedule) are stated in docs/tracking.md.

Time is counted in *periods*: the working days of the project calendar from the
baseline's project start. Period k (1-based) is the k-th such day; planned value that a
task plans on a day the project calendar does not work counts with the working day before
it (or the first one). "After k periods" means at the end of the k-th working day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ontrack.core.baseline import Baseline, BaselineTask
from ontrack.core.calendar import HolidaySource, WorkPattern, calendar_of, day_minutes
from ontrack.core.model import Plan, Task
from ontrack.core.network import FloatArray, IntArray
from ontrack.core.trace import trace

_MONEY_DECIMALS = 6
"""Money is compared at a millionth: sums of planned value and percent x BAC differ in the
last bits, and 'EV equals PV' must not depend on them."""


@dataclass(frozen=True)
class Measures:
    """Earned value and earned schedule of one task, deliverable, outcome or the project.

    Money in the plan's currency, time in working days of the project calendar from the
    baseline's start; None where a formula divides by zero."""

    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac_cpi: float | None
    eac_cpi_spi: float | None
    eac_plan: float
    etc: float | None
    vac: float | None
    tcpi: float | None
    es_days: float | None
    sv_t_days: float | None
    spi_t: float | None
    ieac_t_days: float | None


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    measures: Measures


@dataclass(frozen=True)
class SCurve:
    """Cumulative PV, EV and AC after each period: index k is the end of `days[k - 1]`,
    index 0 the baseline's start. PV runs to the end of the axis, EV and AC to the status
    date."""

    days: tuple[date, ...]
    pv: tuple[float, ...]
    ev: tuple[float, ...]
    ac: tuple[float, ...]


@dataclass(frozen=True)
class EarnedValue:
    baseline: str
    status_date: date
    at_days: int  # working days from the baseline's start to the status date
    pd_days: int  # the baseline's planned duration, in the same days
    project: Measures
    tasks: tuple[Row, ...]  # every task, summaries included (they add up their leaves)
    deliverables: tuple[Row, ...]
    outcomes: tuple[Row, ...]
    ac_assumed: tuple[str, ...]
    """Leaf tasks with earned value but no `actual_cost`: their AC is taken as their EV."""
    curve: SCurve


@dataclass(frozen=True)
class _Leaf:
    """One leaf task as earned value sees it: the baseline's plan and today's progress."""

    bac: float
    periods: IntArray  # the period each planned-value increment falls in (0-based)
    increments: FloatArray
    planned_finish: date | None
    ev: float
    ac: float
    started: date | None
    finished: date | None


def earned_schedule(pv: Sequence[float] | FloatArray, ev: float, at: float) -> float:
    """ES in periods, after Lipke: the time at which cumulative planned value, `pv[k]` after
    k periods (pv[0] = 0, linear within a period), equals `ev`.

    Where PV is flat at `ev` every time along the flat stretch qualifies; ES takes the one
    nearest `at`, so work that is exactly as planned reads as on schedule (Lipke's count of
    periods takes the stretch's end). Otherwise this is Lipke's ES = C + I.
    """
    curve = np.round(np.asarray(pv, dtype=np.float64), _MONEY_DECIMALS)
    ev = min(max(round(ev, _MONEY_DECIMALS), 0.0), float(curve[-1]))
    first = int(np.searchsorted(curve, ev, side="left"))  # first period with PV >= EV
    if first == 0:
        earliest = 0.0
    else:
        below, above = float(curve[first - 1]), float(curve[first])
        earliest = first - 1 + (ev - below) / (above - below)
    last = int(np.searchsorted(curve, ev, side="right")) - 1  # last period with PV <= EV
    latest = float(last) if curve[last] == ev else earliest
    return min(max(at, earliest), latest)


def measures(
    pv_curve: FloatArray,
    bac: float,
    ev: float,
    ac: float,
    *,
    at: int,
    at_es: int,
    pd: int | None,
) -> Measures:
    """Every measure of one group from its cumulative PV per period (index = periods
    elapsed), its budget, EV and AC, the periods elapsed at the status date (`at`), the
    actual time earned schedule compares with (`at_es`) and the planned duration (`pd`)."""
    pv = float(pv_curve[at])
    spi, cpi = _div(ev, pv), _div(ev, ac)
    eac_cpi = _div(bac, cpi)
    remaining = _div(bac - ev, None if cpi is None or spi is None else cpi * spi)
    es = None
    if pd is not None and pv_curve[pd] > 0:
        es = earned_schedule(pv_curve[: pd + 1], ev, at_es)
    spi_t = _div(es, at_es)
    return Measures(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac_cpi=eac_cpi,
        eac_cpi_spi=None if remaining is None else ac + remaining,
        eac_plan=ac + bac - ev,
        etc=None if eac_cpi is None else eac_cpi - ac,
        vac=None if eac_cpi is None else bac - eac_cpi,
        tcpi=_div(bac - ev, bac - ac),
        es_days=es,
        sv_t_days=None if es is None else es - at_es,
        spi_t=spi_t,
        ieac_t_days=_div(pd, spi_t),
    )


def _div(a: float | None, b: float | None) -> float | None:
    """a / b, or None when either is unknown, b is zero or the quotient overflows (a tiny
    divisor): never inf or nan."""
    if a is None or b is None or b == 0:
        return None
    quotient = a / b
    return quotient if math.isfinite(quotient) else None


def earned_value(
    plan: Plan, baseline: Baseline, status_date: date, holidays: HolidaySource
) -> EarnedValue:
    """Earned value of every task, deliverable, outcome and the project at `status_date`.

    Tasks are the baseline's and the plan's: one added since the baseline has no budget
    (BAC 0) but its actual cost counts; one removed since keeps its planned value and earns
    nothing. Groups add up leaf tasks only, so nothing is counted twice."""
    axis = _Axis.build(plan, baseline, status_date, holidays)
    tasks = _Tasks.of(plan, baseline)
    leaves = {
        i: axis.leaf(tasks.planned.get(i), tasks.current.get(i))
        for i in tasks.order
        if i not in tasks.summaries
    }
    below, by_deliverable, by_outcome = tasks.groups(plan, leaves)

    def group(ids: Iterable[str]) -> Measures:
        return axis.measures([leaves[i] for i in ids])

    return EarnedValue(
        baseline=baseline.name,
        status_date=status_date,
        at_days=axis.at,
        pd_days=axis.planned_duration(leaves.values()) or 0,
        project=group(leaves),
        tasks=tuple(Row(i, tasks.name(i), group(below.get(i, (i,)))) for i in tasks.order),
        deliverables=tuple(
            Row(d.id, d.name, group(by_deliverable[d.id])) for d in plan.deliverables
        ),
        outcomes=tuple(Row(o.id, o.statement, group(by_outcome[o.id])) for o in plan.outcomes),
        ac_assumed=tuple(
            i for i, leaf in leaves.items() if leaf.ev and tasks.current[i].actual_cost is None
        ),
        curve=axis.curve(list(leaves.values())),
    )


Members = dict[str, list[str]]


@dataclass(frozen=True)
class _Tasks:
    """The tasks of the plan and of the baseline, by id; the plan's where both have one."""

    current: dict[str, Task]
    planned: dict[str, BaselineTask]
    parents: dict[str, str | None]
    summaries: set[str]
    order: list[str]  # the plan's in file order, then the baseline's that it lacks

    @staticmethod
    def of(plan: Plan, baseline: Baseline) -> _Tasks:
        walked = list(plan.walk_tasks())
        current = {t.id: t for t, _ in walked}
        planned = {t.id: t for t in baseline.tasks}
        parents = {t.id: t.parent for t in baseline.tasks}
        parents |= {t.id: p.id if p else None for t, p in walked}
        summaries = {t.id for t in baseline.tasks if t.is_summary} - current.keys()
        summaries |= {t.id for t in current.values() if t.is_summary}
        order = list(current) + [t for t in planned if t not in current]
        return _Tasks(current, planned, parents, summaries, order)

    def name(self, task_id: str) -> str:
        task = self.current.get(task_id)
        return task.name if task else task_id

    def groups(self, plan: Plan, leaf_ids: Iterable[str]) -> tuple[Members, Members, Members]:
        """The leaves below each summary, of each deliverable and serving each outcome (as
        the plan traces them; a task the plan no longer has, as the baseline did)."""
        tr = trace(plan)
        below: Members = {i: [] for i in self.summaries}
        by_deliverable: Members = {d.id: [] for d in plan.deliverables}
        by_outcome: Members = {o.id: [] for o in plan.outcomes}
        for leaf_id in leaf_ids:
            up = self.parents.get(leaf_id)
            while up in below:
                below[up].append(leaf_id)
                up = self.parents.get(up)
            base = self.planned.get(leaf_id)
            deliverable = tr.deliverable.get(leaf_id, base.deliverable if base else None)
            if deliverable in by_deliverable:
                by_deliverable[deliverable].append(leaf_id)
            for outcome_id in tr.outcomes.get(leaf_id, base.outcomes if base else ()):
                if outcome_id in by_outcome:
                    by_outcome[outcome_id].append(leaf_id)
        return below, by_deliverable, by_outcome


@dataclass(frozen=True)
class _Axis:
    """The working days of the project calendar from the baseline's start, far enough to
    hold the baseline, the status date and every actual date."""

    ordinals: IntArray  # date.toordinal() of each working day, ascending
    at: int  # periods before the status date

    @staticmethod
    def build(
        plan: Plan, baseline: Baseline, status_date: date, holidays: HolidaySource
    ) -> _Axis:
        start = baseline.project_start
        dates = [baseline.project_finish, status_date]
        dates += [d for t in baseline.tasks for d, _ in t.planned_value]
        dates += [d for t, _ in plan.walk_tasks() for d in (t.actual_start, t.actual_finish) if d]
        days = max((max(dates) - start).days + 1, 1)
        minutes = day_minutes(WorkPattern.of(calendar_of(plan)), start, days, holidays)
        ordinals = np.flatnonzero(minutes > 0).astype(np.int64) + start.toordinal()
        at = int(np.searchsorted(ordinals, status_date.toordinal(), side="left"))
        return _Axis(ordinals, at)

    @property
    def size(self) -> int:
        return len(self.ordinals)

    def through(self, day: date) -> int:
        """Working days of the axis on or before `day`."""
        return int(np.searchsorted(self.ordinals, day.toordinal(), side="right"))

    def periods(self, days: Sequence[date]) -> IntArray:
        """The 0-based period that value dated on each day counts in: its own working day,
        the working day before it when the project calendar does not work that day, or the
        first one."""
        ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)
        index: IntArray = np.searchsorted(self.ordinals, ordinals, side="right") - 1
        return np.maximum(index, 0)

    def period(self, day: date) -> int:
        return int(self.periods([day])[0])

    def leaf(self, planned: BaselineTask | None, task: Task | None) -> _Leaf:
        values = planned.planned_value if planned else ()
        cumulative = np.array([v for _, v in values], dtype=np.float64)
        bac = planned.cost if planned else 0.0
        percent = 0.0
        if task is not None:
            percent = 100.0 if task.actual_finish else float(task.percent_complete or 0)
        ev = bac * percent / 100
        return _Leaf(
            bac=bac,
            periods=self.periods([d for d, _ in values]),
            increments=np.diff(cumulative, prepend=0.0),
            planned_finish=planned.finish if planned else None,
            ev=ev,
            ac=ev if task is None or task.actual_cost is None else task.actual_cost,
            started=task.actual_start if task else None,
            finished=task.actual_finish if task else None,
        )

    def pv_curve(self, leaves: Sequence[_Leaf]) -> FloatArray:
        """Cumulative planned value after 0, 1, ... periods, to the end of the axis."""
        if not leaves:
            return np.zeros(self.size + 1)
        periods = np.concatenate([leaf.periods for leaf in leaves])
        increments = np.concatenate([leaf.increments for leaf in leaves])
        per_period = np.bincount(periods, weights=increments, minlength=self.size)
        return np.concatenate(([0.0], np.cumsum(per_period)))

    def planned_duration(self, leaves: Iterable[_Leaf]) -> int | None:
        """Periods to the last planned finish of the leaves (None: none is baselined)."""
        finishes = [leaf.planned_finish for leaf in leaves if leaf.planned_finish]
        return self.through(max(finishes)) if finishes else None

    def measures(self, leaves: Sequence[_Leaf]) -> Measures:
        at_es = self.at
        finished = [leaf.finished for leaf in leaves]
        if finished and None not in finished:
            # Lipke: once the work is complete, actual time is its actual duration, so the
            # final SV(t) stays the delay instead of growing with the calendar.
            at_es = self.through(max(d for d in finished if d))
        return measures(
            self.pv_curve(leaves),
            sum(leaf.bac for leaf in leaves),
            sum(leaf.ev for leaf in leaves),
            sum(leaf.ac for leaf in leaves),
            at=self.at,
            at_es=at_es,
            pd=self.planned_duration(leaves),
        )

    def curve(self, leaves: Sequence[_Leaf]) -> SCurve:
        """The S-curve. ontrack keeps no history of progress, so EV and AC over time spread
        each task's EV and AC evenly over the working days it ran: actual start to actual
        finish, or to the day before the status date."""
        ev_rate, ac_rate = np.zeros(self.at + 1), np.zeros(self.at + 1)
        for leaf in leaves:
            if not (leaf.ev or leaf.ac) or self.at == 0:
                continue
            last = self.at - 1
            if leaf.finished:
                last = min(self.period(leaf.finished), last)
            first = min(self.period(leaf.started), last) if leaf.started else last
            span = last - first + 1
            for rate, value in ((ev_rate, leaf.ev), (ac_rate, leaf.ac)):
                rate[first] += value / span
                rate[last + 1] -= value / span
        days = tuple(date.fromordinal(int(o)) for o in self.ordinals)
        return SCurve(
            days=days,
            pv=tuple(self.pv_curve(leaves).tolist()),
            ev=_cumulative(ev_rate),
            ac=_cumulative(ac_rate),
        )


def _cumulative(rate_changes: FloatArray) -> tuple[float, ...]:
    """From changes of the per-period rate to the cumulative value after each period."""
    per_period = np.cumsum(rate_changes[:-1])
    return tuple(np.concatenate(([0.0], np.cumsum(per_period))).tolist())
