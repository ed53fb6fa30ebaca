"""The plan flattened into arrays the scheduler works on.

Nodes are every task (summaries included) followed by the program's milestones. Links
run from a predecessor node to a leaf task: a summary's `after` is copied to each of its
leaves (the spec: it applies to every child), while a link *to* a summary keeps the
summary as predecessor, whose span is the span of its children.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ontrack.core.calendar import DEFAULT_CALENDAR, MINUTES_PER_DAY, WorkPattern
from ontrack.core.model import CalendarDef, Dependency, Duration, Plan, Task

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Network:
    ids: list[str]
    tasks: list[Task | None]  # None for program milestones
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


class _Row(NamedTuple):
    """One node's values; rows are gathered in a list and turned into arrays once."""

    summary: bool
    milestone: bool
    cal: int
    hpd: float
    work: int
    elapsed: int
    is_elapsed: bool
    lower: int
    pinned: bool
    pin_start: int
    pin_end: int
    user_pin: bool
    actual_start: int
    demands: tuple[tuple[int, float], ...]
    planned: int  # the whole duration as planned, before progress: minutes


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
        entries = list(plan.walk_tasks())
        milestones = plan.program.milestones if plan.program else ()
        ids = [t.id for t, _ in entries] + [m.id for m in milestones]
        index = {node_id: i for i, node_id in enumerate(ids)}
        # A summary's not_before applies to every task below it.
        not_before: dict[str, date | None] = {}
        rows = []
        for task, parent in entries:
            mine = task.not_before
            if parent and not_before.get(parent.id):
                mine = max(mine or date.min, not_before[parent.id] or date.min)
            if task.is_summary:
                not_before[task.id] = mine
            rows.append(self._task_row(task, mine))
        for ms in milestones:
            # "Not before that date": work waits until the day after it.
            when = minute_of(self.origin, ms.date + timedelta(days=1))
            hpd = self.project_calendar.hours_per_day
            rows.append(
                _Row(False, True, 0, hpd, 0, 0, False, when, True, when, when, False, -1, (), 0)
            )
        columns = zip(*rows, strict=True) if rows else [()] * len(_Row._fields)
        cols: dict[str, tuple[Any, ...]] = dict(zip(_Row._fields, columns, strict=True))
        external = np.zeros(len(ids), bool)
        external[len(entries) :] = True
        parents = [index[p.id] if p else -1 for _, p in entries] + [-1] * len(milestones)
        net = Network(
            ids=ids,
            tasks=[t for t, _ in entries] + [None] * len(milestones),
            parent=np.array(parents, dtype=np.int64),
            summary=np.array(cols["summary"], bool),
            milestone=np.array(cols["milestone"], bool),
            external=external,
            cal=np.array(cols["cal"], np.int64),
            hours_per_day=np.array(cols["hpd"], np.float64),
            work=np.array(cols["work"], np.int64),
            elapsed=np.array(cols["elapsed"], np.int64),
            is_elapsed=np.array(cols["is_elapsed"], bool),
            lower=np.array(cols["lower"], np.int64),
            pinned=np.array(cols["pinned"], bool),
            pin_start=np.array(cols["pin_start"], np.int64),
            pin_end=np.array(cols["pin_end"], np.int64),
            user_pin=np.array(cols["user_pin"], bool),
            actual_start=np.array(cols["actual_start"], np.int64),
            planned=np.array(cols["planned"], np.int64),
            pred=np.zeros(0, np.int64),
            succ=np.zeros(0, np.int64),
            from_finish=np.zeros(0, bool),
            to_finish=np.zeros(0, bool),
            lag_work=np.zeros(0, np.int64),
            lag_elapsed=np.zeros(0, np.int64),
            wait=np.zeros(0, bool),
            patterns=list(self.patterns),
            demands=list(cols["demands"]),
            resource_ids=self.resource_ids,
            resource_units=np.array([r.units for r in plan.resources], dtype=np.float64),
            resource_rates=np.array([r.rate for r in plan.resources], dtype=np.float64),
            index=index,
            project_hours_per_day=float(self.project_calendar.hours_per_day),
        )
        self._links(net, entries)
        return net

    def _task_row(self, task: Task, not_before: date | None) -> _Row:
        own = self.calendars[task.calendar] if task.calendar else self.project_calendar
        if task.is_summary:
            return _Row(
                True, False, 0, own.hours_per_day, 0, 0, False, 0, False, 0, 0, False, -1, (), 0
            )
        row = self._row(task, own)
        length = planned = task.duration.minutes(own.hours_per_day) if task.duration else 0
        is_elapsed = task.duration is not None and task.duration.elapsed
        lower = minute_of(self.origin, not_before) if not_before else 0
        pinned, pin_start, pin_end, actual = False, 0, 0, -1
        if task.pin is not None:  # validation: a pinned task has no progress
            # Its start and end depend on its calendar's working time: cpm.place sets them.
            pinned, pin_start = True, minute_of(self.origin, task.pin)
        elif task.actual_finish is not None:
            pinned = True
            pin_start = minute_of(self.origin, task.actual_start or task.actual_finish)
            pin_end = minute_of(self.origin, task.actual_finish + timedelta(days=1))
            actual = pin_start
        elif task.actual_start is not None:
            actual = minute_of(self.origin, task.actual_start)
            length = round(length * (1 - (task.percent_complete or 0) / 100))
            lower = max(lower, self.status, actual)
        elif self.plan.project.status_date is not None:
            lower = max(lower, self.status)
        milestone = task.is_milestone or (length == 0 and not is_elapsed)
        work = 0 if is_elapsed or milestone else length
        elapsed = length if is_elapsed else 0
        demands = (
            tuple((self.resource_index[r], float(u)) for r, u in task.resources)
            if task.resources
            else ()
        )
        return _Row(
            False, milestone, row, own.hours_per_day, work, elapsed, is_elapsed, lower,
            pinned, pin_start, pin_end, task.pin is not None, actual, demands, planned,
        )  # fmt: skip

    def _row(self, task: Task, own: CalendarDef) -> int:
        """The calendar a task runs on: its own, or when it holds resources, theirs (and its own
        if it names one)."""
        if not task.resources:
            if own.id not in self.own_rows:
                self.own_rows[own.id] = self._pattern_row(WorkPattern.of(own))
            return self.own_rows[own.id]
        pattern: WorkPattern | None = WorkPattern.of(own) if task.calendar else None
        for r, _ in task.resources:
            resource = self.resources[r]
            base = self._calendar(resource.calendar or self.plan.project.calendar)
            mine = WorkPattern.of(base, resource.away)
            pattern = mine if pattern is None else pattern.intersect(mine)
        assert pattern is not None
        return self._pattern_row(pattern)

    def _links(self, net: Network, entries: list[tuple[Task, Task | None]]) -> None:
        inherited: dict[str, tuple[Dependency, ...]] = {}
        index = net.index
        preds: list[int] = []
        succs: list[int] = []
        types: list[str] = []
        lags: list[Duration | None] = []
        for task, parent in entries:
            deps = inherited.get(parent.id, ()) + task.after if parent else task.after
            if task.tasks:
                inherited[task.id] = deps
            elif deps:
                preds.extend([index[d.task] for d in deps])
                succs.extend([index[task.id]] * len(deps))
                types.extend([d.type for d in deps])
                lags.extend([d.lag for d in deps])
        kind = np.array(types, dtype="<U2")
        net.pred, net.succ = np.array(preds, np.int64), np.array(succs, np.int64)
        # A program milestone is a date, not a finish: it drives like a start.
        net.from_finish = ((kind == "FS") | (kind == "FF")) & ~net.external[net.pred]
        net.to_finish = (kind == "FF") | (kind == "SF")
        net.lag_work = np.zeros(len(preds), np.int64)
        net.lag_elapsed = np.zeros(len(preds), np.int64)
        hpd = net.hours_per_day.tolist()
        for i in [i for i, lag in enumerate(lags) if lag is not None]:
            lag = lags[i]
            assert lag is not None
            if lag.elapsed:
                net.lag_elapsed[i] = lag.minutes(24)
            else:  # working time of the successor's calendar
                net.lag_work[i] = lag.minutes(hpd[succs[i]])
        net.wait = np.zeros(len(preds), bool)
