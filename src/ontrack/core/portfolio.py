"""A portfolio: several clients' plans levelled together over the people they share.

The plans become one plan, scheduled and levelled as usual, and the result is split back
per project (docs/scheduling.md, "Portfolios"):

- Ids are namespaced `project/id`: no plan file's id has a `/`, so none can clash.
  Resources are not: the same resource id in two plans is the same people. Two plans that
  define one differently (units, rate, calendar, days away) clash, unless a pool defines
  it: then every plan uses the pool's definition.
- Projects rank by `project.priority` (1 first, none after any number), ties in the order
  given. Each project's outcome priorities become ranks after all those of the projects
  before it, so levelling places all the work of a more important project before any of a
  less important one's (work that serves no outcome still comes last of all).
- Each project keeps its calendars, start and status date: its work starts no earlier
  than either (a `not_before` on its top-level tasks), and tasks run on its calendars as
  they would alone (but where its project calendar's hours a day differ from the
  portfolio's, a task holding resources runs on its project calendar, so that `d` counts
  those hours).
- Float counts to the portfolio's finish, in working days of the most important project's
  calendar; outcome slack and status count working days of each project's own calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, NamedTuple

import numpy as np

from ontrack.core.calendar import (
    DEFAULT_CALENDAR,
    MINUTES_PER_DAY,
    CalendarTable,
    HolidaySource,
    WorkPattern,
    calendar_of,
)
from ontrack.core.diagnostics import Diagnostic, Path
from ontrack.core.explain import Delay
from ontrack.core.model import (
    Away,
    CalendarDef,
    Deliverable,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Task,
    priority_rank,
)
from ontrack.core.outcomes import judged_date, outcome_status, slack_between
from ontrack.core.results import Finding, OutcomeResult, Schedule
from ontrack.core.schedule import ScheduleOptions, Timing, timed_schedule

SEP = "/"
_COMPARED = ("units", "rate", "calendar", "away")  # what a shared resource's plans must agree on


@dataclass(frozen=True)
class Pool:
    """The people every plan shares, as a pool file defines them."""

    resources: tuple[Resource, ...]
    calendars: tuple[CalendarDef, ...] = ()


class Clash(NamedTuple):
    """What a plan of a portfolio says against another plan or the pool: in plan `plan`
    at `path`, against plan `other` (None: the pool) at `other_path`; plans are counted in
    the order given."""

    code: Literal["resource-conflict", "duplicate-project", "over-demand"]
    plan: int
    path: Path
    other: int | None
    other_path: Path
    message: str  # names the other place as {there}

    def diagnostic(self, there: str) -> Diagnostic:
        """The problem, naming `there`: where `other_path` is written."""
        return Diagnostic(self.code, self.message.format(there=there), self.path)


class PortfolioError(Exception):
    def __init__(self, clashes: list[Clash]) -> None:
        super().__init__(f"{len(clashes)} clash(es) between the plans of the portfolio")
        self.clashes = clashes


@dataclass(frozen=True)
class Merged:
    plan: Plan  # the portfolio as one plan, ids namespaced
    projects: tuple[Plan, ...]  # most important first
    priorities: dict[int, int | None]  # an outcome rank of `plan` -> its own plan's priority


class OtherWork(NamedTuple):
    """Another client's task holding a resource that a task on an outcome's driving chain
    waited for."""

    task: str  # the task that waited
    days: float  # how long levelling delayed it, in working days
    resource: str
    project: str  # the other client's project
    holder: str  # its task


@dataclass(frozen=True)
class ProjectResult:
    plan: Plan
    schedule: Schedule
    """Under the project's own ids; other projects' tasks (in driving chains and waits)
    keep their `project/id`."""
    other_work: dict[str, tuple[OtherWork, ...]]  # per outcome id, in driving-chain order


class WeekLoad(NamedTuple):
    week: date  # its Monday
    booked_hours: float  # units × working hours of the tasks holding the resource
    available_hours: float  # units × working hours of the resource's calendar


@dataclass(frozen=True)
class ResourceLoad:
    resource: str
    units: float
    weeks: tuple[WeekLoad, ...]


@dataclass(frozen=True)
class Portfolio:
    projects: tuple[ProjectResult, ...]  # most important first
    schedule: Schedule  # the portfolio as one schedule, ids namespaced
    loads: tuple[ResourceLoad, ...]
    findings: tuple[Finding, ...]  # about the shared resources


def level_portfolio(
    plans: Sequence[Plan], pool: Pool | None = None, options: ScheduleOptions | None = None
) -> Portfolio:
    """Level the plans together (whatever `options.level` says); raises PortfolioError
    when they clash."""
    options = replace(options or ScheduleOptions(), level=True)
    merged = merge(plans, pool)
    sched, timing = timed_schedule(merged.plan, options)
    projects = tuple(_project_result(sched, p, merged.priorities, options) for p in merged.projects)
    shared = tuple(f for f in sched.findings if SEP not in f.subject)
    return Portfolio(projects, sched, _loads(merged.plan, timing, options.holidays), shared)


def merge(plans: Sequence[Plan], pool: Pool | None = None) -> Merged:
    if not plans:
        raise ValueError("a portfolio needs at least one plan")
    calendars = _Calendars()
    own = [calendars.of(f"{p.project.id}{SEP}", p.calendars, p.project.calendar) for p in plans]
    resources, clashes = _resources(plans, own, pool, calendars)
    clashes += _duplicate_projects(plans) + _over_demands(plans, pool)
    if clashes:
        raise PortfolioError(clashes)
    order = sorted(range(len(plans)), key=lambda k: priority_rank(plans[k].project.priority))
    hours_per_day = calendar_of(plans[order[0]], None).hours_per_day
    priorities: dict[int, int | None] = {}
    parts: list[_Parts] = []
    for k in order:
        parts.append(_parts(plans[k], own[k], len(priorities) + 1, hours_per_day))
        priorities.update(parts[-1].priorities)
    milestones = tuple(m for part in parts for m in part.milestones)
    plan = Plan(
        project=ProjectInfo(
            id="portfolio",
            name="Portfolio",
            start=min(p.project.start for p in plans),
            calendar=own[order[0]][None],
            # Only projects driven by security keep their outcomes' security promise.
            driver="security",
        ),
        program=Program("portfolio", milestones=milestones) if milestones else None,
        calendars=calendars.defined(),
        resources=resources,
        outcomes=tuple(o for part in parts for o in part.outcomes),
        deliverables=tuple(d for part in parts for d in part.deliverables),
        tasks=tuple(t for part in parts for t in part.tasks),
    )
    return Merged(plan, tuple(plans[k] for k in order), priorities)


class _Calendars:
    """Every calendar of the portfolio, once: plans with the same working time share it."""

    def __init__(self) -> None:
        self._by_content: dict[CalendarDef, CalendarDef] = {}

    def add(self, calendar: CalendarDef, name: str) -> str:
        return self._by_content.setdefault(replace(calendar, id=""), replace(calendar, id=name)).id

    def of(
        self, prefix: str, defined: Iterable[CalendarDef], default: str | None
    ) -> dict[str | None, str]:
        """A plan's (or the pool's) calendar ids as the portfolio's; None: its default."""
        ids: dict[str | None, str] = {c.id: self.add(c, prefix + c.id) for c in defined}
        # "(default)" is no plan's calendar id: ids have no parentheses.
        default_id = prefix + DEFAULT_CALENDAR.id
        ids[None] = ids[default] if default else self.add(DEFAULT_CALENDAR, default_id)
        return ids

    def defined(self) -> tuple[CalendarDef, ...]:
        return tuple(self._by_content.values())


def _resources(
    plans: Sequence[Plan],
    own: list[dict[str | None, str]],
    pool: Pool | None,
    calendars: _Calendars,
) -> tuple[tuple[Resource, ...], list[Clash]]:
    """Each resource once, with its calendar made explicit (a plan's project calendar or
    the pool's default); the pool's definitions replace the plans'."""
    kept: dict[str, Resource] = {}
    if pool is not None:
        pool_ids = calendars.of(SEP, pool.calendars, None)
        kept = {r.id: replace(r, calendar=pool_ids[r.calendar]) for r in pool.resources}
    pooled = set(kept)
    first: dict[str, tuple[int, int]] = {}
    clashes = []
    for k, plan in enumerate(plans):
        for i, r in enumerate(plan.resources):
            if r.id in pooled:
                continue
            away = tuple(sorted(set(r.away), key=_span))  # the same days, however written
            mine = replace(r, calendar=own[k][r.calendar], away=away)
            if r.id not in kept:
                kept[r.id], first[r.id] = mine, (k, i)
                continue
            fields = [f for f in _COMPARED if getattr(mine, f) != getattr(kept[r.id], f)]
            if fields:
                k0, i0 = first[r.id]
                message = (
                    f"resource '{r.id}' differs in {_listed(fields)} from the one at {{there}}; "
                    "the same id in two plans is the same people: make them agree, or define it "
                    "once in a pool file (--pool)"
                )
                at, there = ("resources", i, fields[0]), ("resources", i0, fields[0])
                clashes.append(Clash("resource-conflict", k, at, k0, there, message))
    return tuple(kept.values()), clashes


def _listed(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def _span(away: Away) -> tuple[date, date]:
    return (away.start, away.end)


def _duplicate_projects(plans: Sequence[Plan]) -> list[Clash]:
    seen: dict[str, int] = {}
    clashes = []
    for k, plan in enumerate(plans):
        pid = plan.project.id
        if pid in seen:
            at = ("project", "id")
            message = (
                f"the project id '{pid}' is also the one at {{there}}: each plan needs its own"
            )
            clashes.append(Clash("duplicate-project", k, at, seen[pid], at, message))
        seen.setdefault(pid, k)
    return clashes


def _over_demands(plans: Sequence[Plan], pool: Pool | None) -> list[Clash]:
    """Tasks that need more of a pool resource at once than the pool has (each plan was
    checked against its own definition, which the pool replaces)."""
    if pool is None:
        return []
    where = {r.id: i for i, r in enumerate(pool.resources)}
    clashes = []
    for k, plan in enumerate(plans):
        for task, path in _tasks_with_paths(plan.tasks, ("tasks",)):
            for rid, units in task.resources:
                i = where.get(rid)
                if i is not None and units > pool.resources[i].units:
                    has = pool.resources[i].units
                    message = (
                        f"'{task.id}' needs {units:g} of '{rid}' at once, but the pool at "
                        f"{{there}} has {has:g}: it could never be scheduled"
                    )
                    at, there = (*path, "resources", rid), ("resources", i, "units")
                    clashes.append(Clash("over-demand", k, at, None, there, message))
    return clashes


def _tasks_with_paths(tasks: Sequence[Task], path: Path) -> Iterable[tuple[Task, Path]]:
    for i, task in enumerate(tasks):
        yield task, (*path, i)
        yield from _tasks_with_paths(task.tasks, (*path, i, "tasks"))


class _Parts(NamedTuple):
    tasks: list[Task]
    outcomes: list[Outcome]
    deliverables: list[Deliverable]
    milestones: list[ProgramMilestone]
    priorities: dict[int, int | None]


def _parts(
    plan: Plan, calendar: dict[str | None, str], first_rank: int, portfolio_hours: float
) -> _Parts:
    """One plan's part of the portfolio plan, ids namespaced, outcome priorities ranked
    from `first_rank` on."""
    q = _qualify(plan.project.id)
    ranks = sorted({priority_rank(o.priority) for o in plan.outcomes})
    rank_of = {r: first_rank + i for i, r in enumerate(ranks)}
    # A `d` of a task holding resources counts the project calendar's hours: where those
    # differ from the portfolio's, the task runs on its plan's project calendar.
    hours_differ = calendar_of(plan, None).hours_per_day != portfolio_hours
    # Its tasks start no earlier than its start, nor than its status date unless done or
    # pinned (the portfolio has no status date: one plan's would hold back the others').
    floor = max(plan.project.start, plan.project.status_date or plan.project.start)

    def task(t: Task, top: bool) -> Task:
        cal = calendar[t.calendar] if t.calendar else None
        if cal is None and not t.is_summary and (hours_differ or not t.resources):
            cal = calendar[None]
        return replace(
            t,
            id=q(t.id),
            deliverable=t.deliverable and q(t.deliverable),
            outcomes=tuple(map(q, t.outcomes)),
            after=tuple(replace(d, task=q(d.task)) for d in t.after),
            calendar=cal,
            not_before=max(t.not_before or floor, floor) if top else t.not_before,
            tasks=tuple(task(c, False) for c in t.tasks),
        )

    security = plan.project.driver == "security"
    return _Parts(
        tasks=[task(t, True) for t in plan.tasks],
        outcomes=[
            replace(
                o,
                id=q(o.id),
                priority=rank_of[priority_rank(o.priority)],
                security=o.security if security else None,
            )
            for o in plan.outcomes
        ],
        deliverables=[
            replace(d, id=q(d.id), outcomes=tuple(map(q, d.outcomes))) for d in plan.deliverables
        ],
        milestones=[replace(m, id=q(m.id)) for m in plan.program.milestones]
        if plan.program
        else [],
        priorities={rank_of[priority_rank(o.priority)]: o.priority for o in plan.outcomes},
    )


def _qualify(project: str) -> Callable[[str], str]:
    prefix = project + SEP
    return lambda ident: prefix + ident


def _project_result(
    sched: Schedule, plan: Plan, priorities: dict[int, int | None], options: ScheduleOptions
) -> ProjectResult:
    """The project's part of the portfolio's schedule, under its own ids."""
    prefix = plan.project.id + SEP

    def local(ident: str) -> str:
        return ident.removeprefix(prefix)

    def own(ident: str) -> bool:
        return ident.startswith(prefix)

    def priority(rank: int | None) -> int | None:
        return None if rank is None else priorities[rank]

    tasks = tuple(
        t._replace(
            id=local(t.id),
            parent=t.parent and local(t.parent),
            outcomes=tuple(map(local, t.outcomes)),
            deliverable=t.deliverable and local(t.deliverable),
            priority=priority(t.priority),
        )
        for t in sched.tasks
        if own(t.id)
    )
    slack = _Slack(plan, [o for o in sched.outcomes if own(o.id)], options.holidays)

    def outcome(o: OutcomeResult) -> OutcomeResult:
        days = slack.of(o.forecast, o.target)
        judged = judged_date(o.forecast, o.work_finished, plan.project.status_date)
        return replace(
            o,
            id=local(o.id),
            priority=priority(o.priority),
            slack_days=days,
            status=outcome_status(
                o.verified is not None,
                bool(o.tasks),
                slack.of(judged, o.target),
                options.at_risk_days,
                o.slipping,
            ),
            driving_tasks=tuple(map(local, o.driving_tasks)),
            tasks=tuple(map(local, o.tasks)),
            external_drivers=tuple(map(local, o.external_drivers)),
        )

    outcomes = tuple(outcome(o) for o in sched.outcomes if own(o.id))

    def delay(d: Delay) -> Delay:
        holders = tuple(
            replace(
                h,
                task=local(h.task),
                outcomes=tuple(
                    replace(s, id=local(s.id), priority=priority(s.priority)) for s in h.outcomes
                ),
                priority=priority(h.priority),
            )
            for h in d.held_by
        )
        return replace(d, task=local(d.task), held_by=holders)

    start = min((t.start for t in tasks), default=plan.project.start)
    mine = replace(
        sched,
        project_id=plan.project.id,
        status_date=plan.project.status_date,
        start=start,
        finish=max((t.finish for t in tasks), default=start),
        cost=round(sum(t.cost for t in tasks if t.parent is None), 2),
        tasks=tasks,
        outcomes=outcomes,
        findings=tuple(
            f._replace(subject=local(f.subject)) for f in sched.findings if own(f.subject)
        ),
        task_index={t.id: i for i, t in enumerate(tasks)},
        delays=tuple(delay(d) for d in sched.delays if own(d.task)),
    )
    other = {local(o.id): tuple(_other_work(sched, o, prefix)) for o in sched.outcomes if own(o.id)}
    return ProjectResult(plan, mine, other)


def _other_work(sched: Schedule, outcome: OutcomeResult, prefix: str) -> Iterable[OtherWork]:
    for task in outcome.driving_tasks:
        d = sched.delay(task)
        if d is None or not task.startswith(prefix):
            continue  # not delayed, or another project's task on the chain
        for h in d.held_by:
            if not h.task.startswith(prefix):
                project, holder = h.task.split(SEP, 1)
                yield OtherWork(task.removeprefix(prefix), d.days, d.resource, project, holder)


class _Slack:
    """Outcome slack in working days of the project's own calendar (the portfolio's
    schedule counts the most important project's)."""

    def __init__(self, plan: Plan, outcomes: list[OutcomeResult], holidays: HolidaySource):
        dates = [d for o in outcomes for d in (o.forecast, o.target) if d]
        dates += [plan.project.status_date] if plan.project.status_date else []
        origin = plan.project.start  # days before it count for no project, as alone
        days = max([(d - origin).days + 2 for d in dates] + [1])
        pattern = WorkPattern.of(calendar_of(plan, None))
        self.table = CalendarTable.build([pattern], origin, days, holidays)

    def of(self, day: date | None, target: date | None) -> float | None:
        return slack_between(self.table, day, target)


def _loads(plan: Plan, timing: Timing, holidays: HolidaySource) -> tuple[ResourceLoad, ...]:
    """Per resource and week, the hours booked (units × working hours of each task that
    holds it, to the minute) against the hours it has."""
    if not plan.resources:
        return ()
    net, table, lev = timing.net, timing.table, timing.levelled
    last = int(lev.finish.max()) if lev is not None and lev.finish.size else 0
    monday = -table.origin.weekday()  # day number of the week's Monday, from the origin
    weeks = (last // MINUTES_PER_DAY - monday) // 7 + 1
    bounds = (monday + 7 * np.arange(weeks + 1)) * MINUTES_PER_DAY
    booked = np.zeros((len(net.resource_ids), weeks))
    held = [(v, r, u) for v, demands in enumerate(net.demands) for r, u in demands]
    if lev is not None and held:
        nodes, res, units = (np.array(column) for column in zip(*held, strict=True))
        spans = np.clip(bounds[None, :], lev.start[nodes, None], lev.finish[nodes, None])
        worked = np.diff(table.work_before(net.cal[nodes, None], spans), axis=1)
        np.add.at(booked, res, units[:, None] * worked)
    patterns = [WorkPattern.of(calendar_of(plan, r.calendar), r.away) for r in plan.resources]
    own = CalendarTable.build(patterns, table.origin, table.days, holidays)
    rows = np.arange(len(patterns))[:, None]
    available = np.diff(
        own.work_before(rows, np.broadcast_to(bounds, (len(patterns), weeks + 1))), axis=1
    )
    available = available * net.resource_units[:, None]
    first = table.origin + timedelta(days=int(monday))
    return tuple(
        ResourceLoad(
            r.id,
            r.units,
            tuple(
                WeekLoad(first + timedelta(weeks=w), round(b / 60, 2), round(a / 60, 2))
                for w, (b, a) in enumerate(
                    zip(booked[i].tolist(), available[i].tolist(), strict=True)
                )
            ),
        )
        for i, r in enumerate(plan.resources)
    )
