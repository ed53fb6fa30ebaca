"""Course corrections, computed: what would protect an outcome, and what it would cost.

For each outcome that is late, at risk, or that the client's driver makes sensitive, the
actions that could protect it are read off its driving chain. Each is applied to a copy of
the plan and scheduled again with the baseline's own options, so its effect on every
outcome's date and on cost is computed, not guessed; what-ifs are cached by plan and capped
at `max_reschedules`. The rules, with every assumption about cost, are in
docs/scheduling.md ("Course corrections").
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from ontrack.core.calendar import CalendarTable
from ontrack.core.model import Dependency, Driver, Duration, Plan, Task, edit_task, priority_rank
from ontrack.core.outcomes import working_days_between
from ontrack.core.results import OutcomeResult, Schedule
from ontrack.core.schedule import ScheduleOptions, schedule, timed_schedule

ActionKind = Literal[
    "security-review", "expedite", "fast-track", "add-unit", "reorder", "start-earlier"
]
Reason = Literal["late", "at_risk", "driver"]

MAX_RESCHEDULES = 40
"""What-if schedules one run may make (the baseline not counted)."""
REVIEW_WITHOUT_MODEL = Duration(2, "d")
"""A security review's length when the plan has no review to model it on."""
UNREVIEWED = "security-without-review"


@dataclass(frozen=True)
class Change:
    """One field of the plan file to edit, written as in the plan file (`None`: absent)."""

    target: Literal["task", "resource", "outcome"]
    id: str
    field: str  # "new" for a task to add; `after` is then the whole task
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Effect:
    """How an action moves one outcome's forecast."""

    outcome: str
    priority: int | None
    before: date | None
    after: date | None
    days_earlier: float
    """Working days of the project calendar; negative when the action makes it later."""


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    description: str
    changes: tuple[Change, ...]
    effects: tuple[Effect, ...]
    """Every outcome of the plan, in plan order."""
    days_gained: float
    """On the outcome it is for (negative: the days it costs that outcome)."""
    cost_change: float | None
    """Project cost after minus before, plus what `cost_basis` adds; None when unknown."""
    cost_basis: str
    closes_risk: bool
    """It removes the outcome's security-without-review finding."""
    more_important_later: tuple[str, ...]
    """Outcomes more important than the one it is for that it makes later."""

    @property
    def makes_later(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.days_earlier < 0)

    @property
    def cost_per_day(self) -> float | None:
        """Cost per working day gained; None when the cost is unknown or nothing is gained."""
        if self.cost_change is None or self.days_gained <= 0:
            return None
        return round(self.cost_change / self.days_gained, 2)


@dataclass(frozen=True)
class OutcomeAdvice:
    outcome: OutcomeResult
    reasons: tuple[Reason, ...]
    actions: tuple[Action, ...]
    """Best first, by what the client's driver values."""


@dataclass(frozen=True)
class Advice:
    driver: Driver | None
    schedule: Schedule
    """The baseline, scheduled with the same options as every what-if."""
    outcomes: tuple[OutcomeAdvice, ...]
    reschedules: int
    max_reschedules: int
    unevaluated: int
    """Candidate actions dropped because the bound was reached."""


@dataclass(frozen=True)
class _Candidate:
    kind: ActionKind
    description: str
    changes: tuple[Change, ...]
    plan: Plan
    extra_cost: float | None  # beyond the schedule's own cost; None: unknown
    cost_basis: str


def advise(
    plan: Plan, options: ScheduleOptions | None = None, max_reschedules: int = MAX_RESCHEDULES
) -> Advice:
    options = options or ScheduleOptions()
    base, timing = timed_schedule(plan, options)
    return _Advisor(plan, options, base, timing.table, max_reschedules).advice()


def _reasons(plan: Plan, sched: Schedule, outcome: OutcomeResult) -> tuple[Reason, ...]:
    """Why an outcome needs advice: late, at risk, or sensitive to the driver (speed: the
    most important outcomes; security: those with `security: true`; cost: none)."""
    if outcome.status == "done":
        return ()
    found: list[Reason] = []
    if outcome.status == "late" or outcome.status == "at_risk":
        found.append(outcome.status)
    driver = plan.project.driver
    best = min(priority_rank(o.priority) for o in sched.outcomes if o.status != "done")
    secure = any(o.id == outcome.id and o.security for o in plan.outcomes)
    if (driver == "speed" and priority_rank(outcome.priority) == best) or (
        driver == "security" and secure
    ):
        found.append("driver")
    return tuple(found)


def _rank_key(driver: Driver | None) -> Callable[[Action], tuple[float, ...]]:
    """speed (and no driver): days gained, then cost; cost: cost per day gained (unknown
    last), then days; security: actions that close a risk first, then days, then cost."""

    def cost(a: Action) -> float:
        return math.inf if a.cost_change is None else a.cost_change

    if driver == "cost":
        return lambda a: (
            math.inf if a.cost_per_day is None else a.cost_per_day,
            -a.days_gained,
        )
    if driver == "security":
        return lambda a: (-a.closes_risk, -a.days_gained, cost(a))
    return lambda a: (-a.days_gained, cost(a), len(a.makes_later))


class _Advisor:
    def __init__(
        self, plan: Plan, options: ScheduleOptions, base: Schedule, table: CalendarTable, cap: int
    ) -> None:
        self.plan, self.options, self.base, self.table, self.cap = plan, options, base, table, cap
        self.cache: dict[Plan, Schedule] = {}
        self.unevaluated = 0
        self.tasks: dict[str, Task] = {}
        self.parent: dict[str, str | None] = {}
        for task, up in plan.walk_tasks():
            self.tasks[task.id] = task
            self.parent[task.id] = up.id if up else None

    def advice(self) -> Advice:
        key = _rank_key(self.plan.project.driver)
        advised = []
        for outcome in self.base.outcomes_by_priority():
            why = _reasons(self.plan, self.base, outcome)
            if not why or not outcome.driving_tasks:
                continue
            actions = [a for c in self._candidates(outcome) if (a := self._action(c, outcome))]
            useful = [a for a in actions if a.days_gained > 0 or a.closes_risk]
            advised.append(OutcomeAdvice(outcome, why, tuple(sorted(useful, key=key))))
        return Advice(
            self.plan.project.driver,
            self.base,
            tuple(advised),
            len(self.cache),
            self.cap,
            self.unevaluated,
        )

    def run(self, plan: Plan) -> Schedule | None:
        """The what-if's schedule, or None once the bound is reached."""
        if plan not in self.cache:
            if len(self.cache) >= self.cap:
                return None
            self.cache[plan] = schedule(plan, self.options)
        return self.cache[plan]

    def gain(self, sched: Schedule, outcome_id: str) -> float:
        before = next(o.forecast for o in self.base.outcomes if o.id == outcome_id)
        after = next(o.forecast for o in sched.outcomes if o.id == outcome_id)
        if before is None or after is None:
            return 0.0
        return working_days_between(self.table, after, before)

    def _action(self, c: _Candidate, focus: OutcomeResult) -> Action | None:
        sched = self.run(c.plan)
        if sched is None:
            self.unevaluated += 1
            return None
        after = {o.id: o.forecast for o in sched.outcomes}
        effects = tuple(
            Effect(o.id, o.priority, o.forecast, after[o.id], self.gain(sched, o.id))
            for o in self.base.outcomes
        )
        rank = priority_rank(focus.priority)
        return Action(
            kind=c.kind,
            description=c.description,
            changes=c.changes,
            effects=effects,
            days_gained=self.gain(sched, focus.id),
            cost_change=None
            if c.extra_cost is None
            else round(sched.cost - self.base.cost + c.extra_cost, 2),
            cost_basis=c.cost_basis,
            closes_risk=_unreviewed(self.base, focus.id) and not _unreviewed(sched, focus.id),
            more_important_later=tuple(
                e.outcome
                for e in effects
                if e.days_earlier < 0 and priority_rank(e.priority) < rank
            ),
        )

    def _candidates(self, focus: OutcomeResult) -> Iterator[_Candidate]:
        chain = focus.driving_tasks
        yield from self._security_review(focus)
        yield from self._expedite(focus, chain)
        yield from self._fast_track(chain)
        yield from self._add_unit(chain)
        yield from self._reorder(focus, chain)
        yield from self._start_earlier(chain)

    def _security_review(self, focus: OutcomeResult) -> Iterator[_Candidate]:
        """A review before the outcome's last task, modelled on the plan's own reviews."""
        if not _unreviewed(self.base, focus.id):
            return
        last = self.tasks[focus.driving_tasks[-1]]  # go-live, as the finding tells
        if last.actual_start:
            return
        model = self._review_model()
        review = Task(
            id=_unused_id(self.plan, f"security-review-{focus.id}"),
            name=f"Security review before {last.id}",
            kind="review",
            duration=model.duration if model else REVIEW_WITHOUT_MODEL,
            resources=model.resources if model else (),
            cost=model.cost if model else None,
            deliverable=last.deliverable,
            outcomes=last.outcomes,
            after=last.after,
        )
        gated = (*last.after, Dependency(review.id, short=True))
        plan = edit_task(self.plan, last.id, lambda t: (review, replace(t, after=gated)))
        basis = (
            f"modelled on {model.id}: its length, people and fixed cost"
            if model
            else "the plan has no review to model it on: "
            f"{REVIEW_WITHOUT_MODEL} with no one assigned, cost unknown"
        )
        yield _Candidate(
            "security-review",
            f"Add a security review ({review.duration}) before {last.id}, the last task of "
            f"{focus.id}",
            (
                Change("task", review.id, "new", None, _task_text(review)),
                Change("task", last.id, "after", _deps_text(last.after), _deps_text(gated)),
            ),
            plan,
            0.0 if model else None,
            basis,
        )

    def _review_model(self) -> Task | None:
        """The first review that serves a security outcome, else the first review."""
        secure = {o.id for o in self.plan.outcomes if o.security}
        reviews = [
            t for t in self.tasks.values() if t.kind == "review" and t.duration and not t.tasks
        ]
        serving = [t for t in reviews if secure & set(self.base.task(t.id).outcomes)]
        return next(iter(serving or reviews), None)

    def _expedite(self, focus: OutcomeResult, chain: Sequence[str]) -> Iterator[_Candidate]:
        """Shorten an order on the chain by the fewest whole days that buy all it can buy:
        the gain of cutting all but a day, reached again by bisection."""
        for task in (self.tasks[i] for i in chain):
            days = _in_days(task.duration)
            if task.effective_kind == "procurement" and not task.actual_start and days:
                yield from self._expedite_order(focus, task, days)

    def _expedite_order(
        self, focus: OutcomeResult, task: Task, days: Duration
    ) -> Iterator[_Candidate]:
        def cut(c: int) -> Plan:
            return _set(self.plan, task.id, duration=_minus(days, c))

        most = math.floor(days.value) - 1  # an order still takes at least a day
        if most < 1:
            return
        full = self.run(cut(most))
        if full is None:
            self.unevaluated += 1
            return
        best = self.gain(full, focus.id)
        if best <= 0:
            return
        lo, hi = 1, most  # `hi` always buys `best`
        while lo < hi and (trial := self.run(cut(mid := (lo + hi) // 2))) is not None:
            if self.gain(trial, focus.id) >= best:
                hi = mid
            else:
                lo = mid + 1
        kind = "calendar" if days.elapsed else "working"
        rate = task.expedite_cost_per_day
        limit = "a longer cut buys no more" if hi < most else "all but its last day"
        yield _Candidate(
            "expedite",
            f"Expedite {task.id} by {hi} {kind} day{'s' if hi != 1 else ''} ({limit})",
            (Change("task", task.id, "duration", str(task.duration), str(_minus(days, hi))),),
            cut(hi),
            None if rate is None else rate * hi,
            "the plan gives no expedite_cost_per_day for it: cost unknown"
            if rate is None
            else f"expedite_cost_per_day {rate:g} × {hi} days",
        )

    def _fast_track(self, chain: Sequence[str]) -> Iterator[_Candidate]:
        """Start the next task when half of the one before is done (SS + half its length),
        finishing no earlier than it (FF), instead of after it (FS)."""
        for a, b in pairwise(self.tasks[i] for i in chain):
            if a.effective_kind != "task" or b.effective_kind != "task":
                continue
            if a.duration is None or a.actual_finish or b.actual_start:
                continue
            link = next((d for d in b.after if d.task == a.id and _plain_fs(d)), None)
            if link is None:
                continue
            half = Duration(a.duration.value / 2, a.duration.unit)
            overlap = (Dependency(a.id, "SS", half), Dependency(a.id, "FF"))
            after = tuple(x for d in b.after for x in (overlap if d is link else (d,)))
            yield _Candidate(
                "fast-track",
                f"Fast-track {b.id}: start it when half of {a.id} is done ({half}), "
                f"finishing no earlier than {a.id}",
                (Change("task", b.id, "after", _deps_text(b.after), _deps_text(after)),),
                _set(self.plan, b.id, after=after),
                0.0,
                "no cost of its own: the same work, overlapped (rework is not priced)",
            )

    def _add_unit(self, chain: Sequence[str]) -> Iterator[_Candidate]:
        """One more unit of each resource a chain task waited for, hired for that task."""
        seen: set[str] = set()
        for task_id in chain:
            delay = self.base.delay(task_id)
            if delay is None or delay.resource in seen:
                continue
            seen.add(delay.resource)
            res = next(r for r in self.plan.resources if r.id == delay.resource)
            held = next(a for a in self.base.task(task_id).assignments if a.resource == res.id)
            resources = tuple(
                replace(r, units=r.units + 1) if r is res else r for r in self.plan.resources
            )
            yield _Candidate(
                "add-unit",
                f"Add one {res.id} ({res.units:g} → {res.units + 1:g}): {task_id} waited "
                f"{delay.days:g} working day{'s' if delay.days != 1 else ''} for it",
                (Change("resource", res.id, "units", f"{res.units:g}", f"{res.units + 1:g}"),),
                replace(self.plan, resources=resources),
                held.cost / held.units,
                f"one more {res.id} for as long as {task_id} runs: its rate × those hours",
            )

    def _reorder(self, focus: OutcomeResult, chain: Sequence[str]) -> Iterator[_Candidate]:
        """Put the outcome ahead of an as or more important one whose work held a resource
        a chain task waited for: it takes that outcome's priority, and every other outcome
        from that priority on moves one later."""
        seen: set[str] = set()
        numbered = [o.priority for o in self.plan.outcomes if o.priority is not None]
        for task_id in chain:
            delay = self.base.delay(task_id)
            if delay is None:
                continue
            for holder in delay.held_by:
                served = {o.id for o in holder.outcomes}
                if holder.fixed or not served or focus.id in served:
                    continue
                other = holder.outcomes[0]  # its most important
                if other.id in seen or priority_rank(other.priority) > priority_rank(
                    focus.priority
                ):
                    continue
                seen.add(other.id)
                p = max(numbered, default=0) + 1 if other.priority is None else other.priority
                moved = {focus.id: p} | {
                    o.id: o.priority + 1
                    for o in self.plan.outcomes
                    if o.id != focus.id and o.priority is not None and o.priority >= p
                }
                before = {o.id: o.priority for o in self.plan.outcomes}
                yield _Candidate(
                    "reorder",
                    f"Put {focus.id} ahead of {other.id} (priority {p}; the outcomes from "
                    f"priority {p} on move one later), so that {task_id} gets "
                    f"{delay.resource} before {holder.task}",
                    tuple(
                        Change("outcome", i, "priority", _text(before[i]), str(q))
                        for i, q in moved.items()
                        if before[i] != q
                    ),
                    replace(
                        self.plan,
                        outcomes=tuple(
                            replace(o, priority=moved.get(o.id, o.priority))
                            for o in self.plan.outcomes
                        ),
                    ),
                    0.0,
                    "no cost of its own: the same work in another order",
                )

    def _start_earlier(self, chain: Sequence[str]) -> Iterator[_Candidate]:
        """Remove the `not_before` that holds the chain's first task (its own or a
        summary's above it: the latest of them binds)."""
        first = self.tasks[chain[0]]
        if first.actual_start:
            return
        holders = [first]
        while (up := self.parent[holders[-1].id]) is not None:
            holders.append(self.tasks[up])
        dated = [t for t in holders if t.not_before]
        if not dated:
            return
        held = max(dated, key=lambda t: t.not_before or date.min)
        summary = " (a summary: for all its tasks)" if held.tasks else ""
        yield _Candidate(
            "start-earlier",
            f"Start {first.id} earlier: remove the not_before {held.not_before} of "
            f"{held.id}{summary}, if what it waits for allows",
            (Change("task", held.id, "not_before", _text(held.not_before), None),),
            _set(self.plan, held.id, not_before=None),
            0.0,
            "no cost of its own (check what the date stood for)",
        )


def _unreviewed(sched: Schedule, outcome_id: str) -> bool:
    return any(f.kind == UNREVIEWED and f.subject == outcome_id for f in sched.findings)


def _set(plan: Plan, task_id: str, **fields: Any) -> Plan:
    return edit_task(plan, task_id, lambda t: (replace(t, **fields),))


def _in_days(d: Duration | None) -> Duration | None:
    """A duration in whole-day terms: elapsed or working days (weeks as 5 days); None for
    hours, which an order is not expedited by."""
    if d is None or d.unit == "h":
        return None
    return Duration(d.value * 5, "d") if d.unit == "w" else d


def _minus(d: Duration, days: int) -> Duration:
    return Duration(d.value - days, d.unit)


def _plain_fs(d: Dependency) -> bool:
    return d.type == "FS" and (d.lag is None or d.lag.value == 0)


def _unused_id(plan: Plan, stem: str) -> str:
    taken = {t.id for t, _ in plan.walk_tasks()}
    taken |= {o.id for o in plan.outcomes} | {d.id for d in plan.deliverables}
    taken |= {r.id for r in plan.resources} | {c.id for c in plan.calendars}
    taken |= {m.id for m in plan.program.milestones} if plan.program else set()
    candidates = (stem if n == 1 else f"{stem}-{n}" for n in range(1, len(taken) + 2))
    return next(c for c in candidates if c not in taken)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _deps_text(after: tuple[Dependency, ...]) -> str:
    """`after` as the plan file writes it (flow style)."""

    def one(d: Dependency) -> str:
        if d.type == "FS" and d.lag is None:
            return d.task
        lag = f", lag: {d.lag}" if d.lag is not None else ""
        return f"{{task: {d.task}, type: {d.type}{lag}}}"

    return "[" + ", ".join(one(d) for d in after) + "]"


def _task_text(t: Task) -> str:
    """A new task as a flow mapping of the plan file."""
    fields: list[tuple[str, str | None]] = [
        ("id", t.id),
        ("name", json.dumps(t.name, ensure_ascii=False)),  # a JSON string is valid YAML
        ("kind", t.kind),
        ("duration", _text(t.duration)),
        ("deliverable", t.deliverable),
        ("outcomes", f"[{', '.join(t.outcomes)}]" if t.outcomes else None),
        ("resources", "{" + ", ".join(f"{r}: {u:g}" for r, u in t.resources) + "}"),
        ("cost", None if t.cost is None else f"{t.cost:g}"),
        ("after", _deps_text(t.after) if t.after else None),
    ]
    shown = [(k, v) for k, v in fields if v is not None and v != "{}"]
    return "{" + ", ".join(f"{k}: {v}" for k, v in shown) + "}"
