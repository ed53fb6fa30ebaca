"""The plan flattened into arrays the scheduler works on.

Nodes are every task (summaries included) followed by the program's milestones. Links
run from a predecessor node to a leaf task: a summary's `after` is copied to each of its
leaves (the spec: it applies to every child), while a link *to* a summary keeps the
summary as predecessor, whose span is the span of its children.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import chain, compress
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ontrack.core.calendar import DEFAULT_CALENDAR, MINUTES_PER_DAY, WorkPattern
from ontrack.core.model import (
    MINUTES_PER_HOUR,
    UNIT_HOURS,
    WORKDAY_UNITS,
    CalendarDef,
    Dependency,
    Duration,
    Plan,
    Task,
    TaskKind,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class TaskFields(NamedTuple):
    """The fields of the plan's tasks that scheduling reads, each a column over the tasks in
    walk order (Plan.tasks_in_order: the network's first nodes).

    They are read in one pass over the task objects: for a large plan, reading scattered
    objects again and again, a field at a time, would be much of the time."""

    id: tuple[str, ...]
    name: tuple[str, ...]
    tasks: tuple[tuple[Task, ...], ...]
    kind: tuple[TaskKind | None, ...]
    duration: tuple[Duration | None, ...]
    calendar: tuple[str | None, ...]
    resources: tuple[tuple[tuple[str, float], ...], ...]
    after: tuple[tuple[Dependency, ...], ...]
    not_before: tuple[date | None, ...]
    pin: tuple[date | None, ...]
    deadline: tuple[date | None, ...]
    cost: tuple[float | None, ...]
    actual_start: tuple[date | None, ...]
    actual_finish: tuple[date | None, ...]
    percent_complete: tuple[float | None, ...]

    @staticmethod
    def of(tasks: list[Task]) -> TaskFields:
        if not tasks:
            return TaskFields(*[()] * len(TaskFields._fields))
        return TaskFields._make(zip(*map(attrgetter(*TaskFields._fields), tasks), strict=True))


@dataclass
class Network:
    ids: list[str]
    tasks: list[Task | None]  # None for program milestones
    task_fields: TaskFields
    parent: IntArray  # -1 at the top level
    summary: BoolArray
    milestone: BoolArray
    external: BoolArray  # program milestones
    cal: IntArray  # row of the calendar table each node runs on
    hours_per_day: npt.NDArray[np.float64]  # of the node's own calendar, for d/w units
    work: IntArray  # working minutes still to do
    elapsed: IntArray  # calendar minutes, for `ed` tasks
    is_elapsed: BoolArray
    lower: IntArray  # earliest start, absolute minutes
    pinned: BoolArray  # never moved by links or levelling: done work, program milestones, pins
    pin_start: IntArray
    pin_end: IntArray  # of done work and program milestones
    user_pin: BoolArray  # a task's `pin`: it starts at pin_start's first working minute (cpm.place)
    actual_start: IntArray  # -1 when not started
    planned: IntArray  # whole planned duration in minutes (working, or calendar for `ed`)
    pred: IntArray  # links
    succ: IntArray
    from_finish: BoolArray  # the link's anchor is the predecessor's finish (FS, FF)
    to_finish: BoolArray  # the link bounds the successor's finish (FF, SF)
    lag_work: IntArray  # working minutes of the successor's calendar
    lag_elapsed: IntArray  # calendar minutes
    wait: BoolArray  # added by levelling: the successor waited for the predecessor's resource
    patterns: list[WorkPattern]
    demands: list[tuple[tuple[int, float], ...]]  # (resource index, units) per node
    resource_ids: list[str]
    resource_units: npt.NDArray[np.float64]
    resource_rates: npt.NDArray[np.float64]
    index: dict[str, int]
    project_hours_per_day: float

    @property
    def size(self) -> int:
        return len(self.ids)


LINK_FIELDS = ("pred", "succ", "from_finish", "to_finish", "lag_work", "lag_elapsed", "wait")


def take_links(net: Network, which: IntArray | BoolArray) -> Network:
    """The same network with only the links `which` selects, in that order."""
    taken: dict[str, Any] = {name: getattr(net, name)[which] for name in LINK_FIELDS}
    return replace(net, **taken)


def add_waits(net: Network, waits: list[tuple[int, int]]) -> Network:
    """The network with finish-to-start links (holder, waiter) for levelling's waits."""
    k = len(waits)
    if not k:
        return net
    pred, succ = (np.array(x, np.int64) for x in zip(*waits, strict=True))
    added = {
        "pred": pred,
        "succ": succ,
        "from_finish": np.ones(k, bool),
        "to_finish": np.zeros(k, bool),
        "lag_work": np.zeros(k, np.int64),
        "lag_elapsed": np.zeros(k, np.int64),
        "wait": np.ones(k, bool),
    }
    joined: dict[str, Any] = {
        name: np.concatenate([getattr(net, name), added[name]]) for name in LINK_FIELDS
    }
    return replace(net, **joined)


class LinkGroups(NamedTuple):
    """A network's links grouped by one of their ends: node v's are order[ptr[v]:ptr[v+1]]."""

    order: IntArray
    ptr: IntArray

    def of(self, node: int) -> IntArray:
        return self.order[self.ptr[node] : self.ptr[node + 1]]


def links_by(ends: IntArray, size: int) -> LinkGroups:
    """Group links by their successor (`net.succ`) or predecessor (`net.pred`)."""
    order = np.argsort(ends, kind="stable")
    return LinkGroups(order, np.searchsorted(ends[order], np.arange(size + 1)))


def minute_of(origin: date, day: date) -> int:
    return (day - origin).days * MINUTES_PER_DAY


def build_network(plan: Plan) -> Network:
    """Flatten the plan; the plan is assumed valid (see core.validate)."""
    builder = _Builder(plan)
    return builder.build()


# Read in one pass over the objects, like TaskFields.
_LINK_FIELDS = attrgetter("task", "type", "lag")  # of a Dependency
_VALUE_UNIT = attrgetter("value", "unit")  # of a Duration


class _Builder:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.origin = plan.project.start
        self.calendars: Mapping[str, CalendarDef] = {c.id: c for c in plan.calendars}
        self.project_calendar = self._calendar(plan.project.calendar)
        self.resources = {r.id: r for r in plan.resources}
        self.resource_ids = [r.id for r in plan.resources]
        self.resource_index = {r: i for i, r in enumerate(self.resource_ids)}
        project_pattern = WorkPattern.of(self.project_calendar)
        self.patterns: dict[WorkPattern, int] = {project_pattern: 0}
        self.own_rows: dict[str, int] = {}
        self.status = (
            minute_of(self.origin, plan.project.status_date) if plan.project.status_date else 0
        )

    def _calendar(self, cal_id: str | None) -> CalendarDef:
        return self.calendars[cal_id] if cal_id else DEFAULT_CALENDAR

    def _pattern_row(self, pattern: WorkPattern) -> int:
        return self.patterns.setdefault(pattern, len(self.patterns))

    def build(self) -> Network:
        plan = self.plan
        tasks, parents = plan.tasks_in_order()
        f = TaskFields.of(tasks)
        milestones = plan.program.milestones if plan.program else ()
        ids = [*f.id, *(m.id for m in milestones)]
        index = dict(zip(ids, range(len(ids)), strict=True))
        k, n = len(tasks), len(ids)  # tasks first, then the program's milestones
        parent = np.full(n, -1, np.int64)
        parent[:k] = parents
        is_leaf = [not c for c in f.tasks]
        leaf = np.zeros(n, bool)
        leaf[:k] = is_leaf
        summary = ~leaf
        summary[k:] = False
        project_hpd = self.project_calendar.hours_per_day
        hpd = np.full(n, project_hpd, np.float64)  # of each node's own calendar
        hpd[:k] = [self.calendars[c].hours_per_day if c else project_hpd for c in f.calendar]
        cal = np.zeros(n, np.int64)
        cal[leaf] = self._calendar_rows(f, is_leaf)
        given = np.flatnonzero(leaf[:k] & np.array([d is not None for d in f.duration], bool))
        planned = np.zeros(n, np.int64)  # the whole duration as planned, before progress
        is_elapsed = np.zeros(n, bool)
        planned[given], is_elapsed[given] = _duration_minutes(
            [d for i in given.tolist() if (d := f.duration[i])], hpd[given]
        )
        net = Network(
            ids=ids,
            tasks=[*tasks, *([None] * len(milestones))],
            task_fields=f,
            parent=parent,
            summary=summary,
            milestone=np.zeros(n, bool),
            external=np.arange(n) >= k,
            cal=cal,
            hours_per_day=hpd,
            work=np.zeros(n, np.int64),
            elapsed=np.zeros(n, np.int64),
            is_elapsed=is_elapsed,
            lower=np.zeros(n, np.int64),
            pinned=np.zeros(n, bool),
            pin_start=np.zeros(n, np.int64),
            pin_end=np.zeros(n, np.int64),
            user_pin=np.zeros(n, bool),
            actual_start=np.full(n, -1, np.int64),
            planned=planned,
            pred=np.zeros(0, np.int64),
            succ=np.zeros(0, np.int64),
            from_finish=np.zeros(0, bool),
            to_finish=np.zeros(0, bool),
            lag_work=np.zeros(0, np.int64),
            lag_elapsed=np.zeros(0, np.int64),
            wait=np.zeros(0, bool),
            patterns=list(self.patterns),
            demands=[
                tuple((self.resource_index[r], float(u)) for r, u in held) if held and up else ()
                for held, up in zip(f.resources, is_leaf, strict=True)
            ]
            + [()] * len(milestones),
            resource_ids=self.resource_ids,
            resource_units=np.array([r.units for r in plan.resources], dtype=np.float64),
            resource_rates=np.array([r.rate for r in plan.resources], dtype=np.float64),
            index=index,
            project_hours_per_day=float(project_hpd),
        )
        self._progress(net, f, leaf[:k])
        for m, ms in enumerate(milestones, start=k):
            # "Not before that date": work waits until the day after it.
            when = minute_of(self.origin, ms.date + timedelta(days=1))
            net.milestone[m] = net.pinned[m] = True
            net.lower[m] = net.pin_start[m] = net.pin_end[m] = when
        self._links(net, f)
        return net

    def _calendar_rows(self, f: TaskFields, is_leaf: list[bool]) -> list[int]:
        """The calendar row of each leaf; leaves alike in calendar and resources share one."""
        keys = list(compress(zip(f.calendar, f.resources, strict=True), is_leaf))
        rows = {key: self._row(*key) for key in dict.fromkeys(keys)}  # in order of first use
        return list(map(rows.__getitem__, keys))

    def _row(self, calendar: str | None, resources: tuple[tuple[str, float], ...]) -> int:
        """The calendar a task runs on: its own, or when it holds resources, theirs (and its own
        if it names one)."""
        own = self.calendars[calendar] if calendar else self.project_calendar
        if not resources:
            if own.id not in self.own_rows:
                self.own_rows[own.id] = self._pattern_row(WorkPattern.of(own))
            return self.own_rows[own.id]
        pattern: WorkPattern | None = WorkPattern.of(own) if calendar else None
        for r, _ in resources:
            resource = self.resources[r]
            base = self._calendar(resource.calendar or self.plan.project.calendar)
            mine = WorkPattern.of(base, resource.away)
            pattern = mine if pattern is None else pattern.intersect(mine)
        assert pattern is not None
        return self._pattern_row(pattern)

    def _minutes(self, dates: Sequence[date | None]) -> tuple[IntArray, BoolArray]:
        """Each date in minutes from the origin (0 where none), and where one is given."""
        given = np.array([d is not None for d in dates], bool)
        days = np.array([d.toordinal() for d in dates if d is not None], np.int64)
        minutes = np.zeros(len(dates), np.int64)
        minutes[given] = (days - self.origin.toordinal()) * MINUTES_PER_DAY
        return minutes, given

    def _progress(self, net: Network, f: TaskFields, leaf: BoolArray) -> None:
        """Milestones, the work left, earliest starts, pins and actual dates of the tasks."""
        k = len(leaf)
        # A summary's not_before applies to every task below it.
        not_before = list(f.not_before)
        parents = net.parent.tolist()
        for node in np.flatnonzero(net.parent >= 0).tolist():  # parents come first
            up = not_before[parents[node]]
            if up:
                not_before[node] = max(not_before[node] or date.min, up)
        lower, _ = self._minutes(not_before)
        pin, pinned = self._minutes(f.pin)
        finish, done = self._minutes(f.actual_finish)
        begin, begun = self._minutes(f.actual_start)
        # In this order: a pin (validation: no progress then), done, started, waiting.
        pinned &= leaf
        done &= leaf & ~pinned
        started = begun & leaf & ~pinned & ~done
        waiting = leaf & ~(pinned | done | started)
        length = net.planned[:k].copy()
        if started.any():
            left = 1 - np.array([p or 0 for p in f.percent_complete], np.float64) / 100
            length[started] = np.rint(length[started] * left[started])
            lower[started] = np.maximum(np.maximum(lower[started], self.status), begin[started])
        if self.plan.project.status_date is not None:
            lower[waiting] = np.maximum(lower[waiting], self.status)
        begin = np.where(begun, begin, finish)  # done without a start: on its finish day
        # A pin's start and end depend on its calendar's working time: cpm.place sets them.
        net.pinned[:k] = pinned | done
        net.user_pin[:k] = pinned
        net.pin_start[:k] = np.where(pinned, pin, np.where(done, begin, 0))
        net.pin_end[:k] = np.where(done, finish + MINUTES_PER_DAY, 0)
        net.actual_start[:k] = np.where(done | started, begin, -1)
        net.lower[:k] = np.where(leaf, lower, 0)
        is_elapsed = net.is_elapsed[:k]
        kind = np.array([c == "milestone" for c in f.kind], bool)
        milestone = leaf & (kind | ((length == 0) & ~is_elapsed))
        net.milestone[:k] = milestone
        net.work[:k] = np.where(is_elapsed | milestone, 0, length)
        net.elapsed[:k] = np.where(is_elapsed, length, 0)

    def _links(self, net: Network, f: TaskFields) -> None:
        # A summary's `after` applies to every task below it; a summary has no links itself.
        after = list(f.after)
        parents = net.parent.tolist()
        for node in np.flatnonzero(net.parent >= 0).tolist():  # parents come first
            after[node] = after[parents[node]] + after[node]
        for node in np.flatnonzero(net.summary).tolist():
            after[node] = ()
        links = list(chain.from_iterable(after))
        targets, types, lags = zip(*map(_LINK_FIELDS, links), strict=True) if links else [()] * 3
        net.pred = np.array(list(map(net.index.__getitem__, targets)), np.int64)
        net.succ = np.repeat(np.arange(len(after), dtype=np.int64), list(map(len, after)))
        kind = np.array(types, dtype="<U2")
        # A program milestone is a date, not a finish: it drives like a start.
        net.from_finish = ((kind == "FS") | (kind == "FF")) & ~net.external[net.pred]
        net.to_finish = (kind == "FF") | (kind == "SF")
        lagged = [i for i, lag in enumerate(lags) if lag is not None]
        # Working time of the successor's calendar, or calendar time.
        minutes, elapsed = _duration_minutes(
            [lag for i in lagged if (lag := lags[i])], net.hours_per_day[net.succ[lagged]]
        )
        net.lag_work = np.zeros(len(links), np.int64)
        net.lag_elapsed = np.zeros(len(links), np.int64)
        net.lag_work[lagged] = np.where(elapsed, 0, minutes)
        net.lag_elapsed[lagged] = np.where(elapsed, minutes, 0)
        net.wait = np.zeros(len(links), bool)


def _duration_minutes(
    durations: Sequence[Duration], hours_per_day: FloatArray
) -> tuple[IntArray, BoolArray]:
    """Duration.minutes of each duration with its hours_per_day (the same float products,
    so the same minutes), and which are elapsed time."""
    values, units = zip(*map(_VALUE_UNIT, durations), strict=True) if durations else [(), ()]
    value = np.array(values, np.float64)
    unit = np.array(units, dtype="<U2")
    hours = np.zeros(len(durations))
    for name, per in UNIT_HOURS.items():
        at = unit == name
        hours[at] = value[at] * per
        if name in WORKDAY_UNITS:
            hours[at] *= hours_per_day[at]
    minutes = np.rint(hours * MINUTES_PER_HOUR).astype(np.int64)
    return minutes, unit == "ed"
