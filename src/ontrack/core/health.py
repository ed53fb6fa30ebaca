"""Schedule health: the DCMA 14-point assessment, plus ontrack's checks on outcomes.

The DCMA 14-Point Assessment (DCMA-EA PAM 200.1, section 4) asks whether a schedule is
built well enough to forecast from. Each check counts what breaks a rule among the tasks
the rule applies to and compares the share, or an index, with the DCMA's threshold. What
counts, and how ontrack's plan maps onto the DCMA's terms, is stated in docs/health.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, NamedTuple

from ontrack.core.baseline import Baseline
from ontrack.core.calendar import CalendarTable
from ontrack.core.model import Dependency, Duration, Plan, Task, edit_task
from ontrack.core.outcomes import working_days_between
from ontrack.core.results import Schedule, TaskResult
from ontrack.core.schedule import ScheduleOptions, schedule, timed_schedule

HIGH_DAYS = 44.0
"""Float or duration above this many working days (about two months) is high (DCMA)."""
CPT_DELAY: dict[str, float] = {"h": 4800.0, "d": 600.0, "w": 120.0, "ed": 840.0}
"""The critical path test's slip in each duration unit: about the DCMA's 600 working days.
(The test compares the task's own slip with the finish's, so the exact size is immaterial.)"""

CheckStatus = Literal["pass", "fail", "not_assessed"]
Unit = Literal["percent", "index", "count"]


class Offender(NamedTuple):
    id: str  # a task's id; an outcome's for CPLI and the outcome checks
    detail: str


class Rule(NamedTuple):
    """What a check measures and the threshold it must meet."""

    number: int | None  # the DCMA point, 1-14; None for ontrack's own checks
    code: str
    name: str
    unit: Unit
    threshold: float
    at_least: bool = False  # passes when the value is at least the threshold (else at most)

    def judge(
        self, value: float, offenders: Sequence[Offender], total: int, note: str = ""
    ) -> Check:
        ok = value >= self.threshold - 1e-9 if self.at_least else value <= self.threshold + 1e-9
        status: CheckStatus = "pass" if ok else "fail"
        return Check(
            self, status, round(float(value), 4), len(offenders), total, tuple(offenders), note
        )

    def share(self, offenders: Sequence[Offender], total: int, counted: str) -> Check:
        """The offenders as a percentage of `total` (at_least: the rest, as for FS links)."""
        if not total:
            return self.not_assessed(f"no {counted} to count")
        bad = 100 * len(offenders) / total
        return self.judge(100 - bad if self.at_least else bad, offenders, total)

    def not_assessed(self, why: str) -> Check:
        return Check(self, "not_assessed", note=why)


@dataclass(frozen=True)
class Check:
    rule: Rule
    status: CheckStatus
    value: float | None = None
    count: int = 0  # how many offend ...
    total: int = 0  # ... among how many counted
    offenders: tuple[Offender, ...] = ()
    note: str = ""  # why it was not assessed, or what the test did


@dataclass(frozen=True)
class Health:
    project_id: str
    status_date: date | None
    baseline: str | None
    checks: tuple[Check, ...]

    def count(self, status: CheckStatus) -> int:
        return sum(c.status == status for c in self.checks)


LOGIC = Rule(1, "logic", "Logic", "percent", 5.0)
LEADS = Rule(2, "leads", "Leads", "percent", 0.0)
LAGS = Rule(3, "lags", "Lags", "percent", 5.0)
FS_LINKS = Rule(4, "relationship-types", "Relationship types (FS)", "percent", 90.0, True)
HARD_CONSTRAINTS = Rule(5, "hard-constraints", "Hard constraints", "percent", 5.0)
HIGH_FLOAT = Rule(6, "high-float", "High float", "percent", 5.0)
NEGATIVE_FLOAT = Rule(7, "negative-float", "Negative float", "percent", 0.0)
HIGH_DURATION = Rule(8, "high-duration", "High duration", "percent", 5.0)
INVALID_DATES = Rule(9, "invalid-dates", "Invalid dates", "percent", 0.0)
RESOURCES = Rule(10, "resources", "Resources", "percent", 5.0)
MISSED_TASKS = Rule(11, "missed-tasks", "Missed tasks", "percent", 5.0)
CRITICAL_PATH_TEST = Rule(12, "critical-path-test", "Critical path test", "index", 1.0, True)
CPLI = Rule(13, "cpli", "Critical path length index", "index", 0.95, True)
BEI = Rule(14, "bei", "Baseline execution index", "index", 0.95, True)
UNTRACED = Rule(None, "untraced-task", "Untraced work", "count", 0.0)
UNSERVED = Rule(None, "unserved-outcome", "Outcomes without work", "count", 0.0)
UNREVIEWED = Rule(None, "security-without-review", "Security outcomes without review", "count", 0.0)


def assess(plan: Plan, options: ScheduleOptions, baseline: Baseline | None = None) -> Health:
    """Schedule the plan and assess the schedule's health."""
    sched, timing = timed_schedule(plan, options)
    return assess_schedule(plan, sched, timing.table, options, baseline)


def assess_schedule(
    plan: Plan,
    sched: Schedule,
    table: CalendarTable,
    options: ScheduleOptions,
    baseline: Baseline | None = None,
) -> Health:
    """The checks of a schedule of the plan; `table` is its calendars (for working days)."""
    f = _Facts(plan, sched)
    missed, bei = _against_baseline(f, baseline)
    checks = (
        _logic(f),
        _leads(f),
        _lags(f),
        _relationship_types(f),
        _hard_constraints(f),
        _high_float(f),
        _negative_float(f),
        _high_duration(f, table),
        _invalid_dates(f),
        _resources(f),
        missed,
        _critical_path_test(f, options),
        _cpli(f, table),
        bei,
        _from_findings(UNTRACED, f, len(f.leaves), "tasks"),
        _from_findings(UNSERVED, f, len(sched.outcomes), "outcomes"),
        _unreviewed(f),
    )
    name = baseline.name if baseline else None
    return Health(sched.project_id, sched.status_date, name, checks)


class _Facts:
    """What several checks read: the plan's tasks by id and who counts as what."""

    def __init__(self, plan: Plan, sched: Schedule) -> None:
        self.plan, self.sched = plan, sched
        self.tasks = {t.id: t for t, _ in plan.walk_tasks()}
        self.leaves = [r for r in sched.tasks if not r.is_summary]
        # DCMA's "normal" tasks: no summaries, and no milestones (a zero-length task is one).
        self.normal = [r for r in self.leaves if r.kind != "milestone" and r.duration_days > 0]
        self.open = [r for r in self.normal if not r.done]
        self.open_ids = {r.id for r in self.open}
        unfinished = self._unfinished()
        # Links into unfinished work, as written (a summary's `after` counts once).
        self.links = [(self.tasks[i], d) for i in unfinished for d in self.tasks[i].after]

    def _unfinished(self) -> list[str]:
        """Tasks with work left, summaries included (one with any unfinished child), in
        plan order."""
        found: set[str] = set()
        for r in self.leaves:
            up: str | None = r.id if not r.done else None
            while up is not None and up not in found:
                found.add(up)
                up = self.sched.task(up).parent
        return [t for t in self.tasks if t in found]

    def lineage(self, task_id: str) -> Iterator[Task]:
        """The task and the summaries it is in: a summary's links apply to its children."""
        up: str | None = task_id
        while up is not None:
            yield self.tasks[up]
            up = self.sched.task(up).parent


def _link(d: Dependency) -> str:
    return f"{d.type} from {d.task}" + (f", lag {d.lag}" if d.lag else "")


def _logic(f: _Facts) -> Check:
    linked_from = {d.task for t in f.tasks.values() for d in t.after}
    offenders = []
    for r in f.open:
        pred = any(t.after for t in f.lineage(r.id))
        succ = any(t.id in linked_from for t in f.lineage(r.id))
        missing = [what for what, has in (("predecessor", pred), ("successor", succ)) if not has]
        if missing:
            offenders.append(Offender(r.id, "no " + " and no ".join(missing)))
    return LOGIC.share(offenders, len(f.open), "unfinished tasks")


def _leads(f: _Facts) -> Check:
    found = [Offender(t.id, _link(d)) for t, d in f.links if d.lag and d.lag.value < 0]
    return LEADS.share(found, len(f.links), "links")


def _lags(f: _Facts) -> Check:
    found = [Offender(t.id, _link(d)) for t, d in f.links if d.lag and d.lag.value > 0]
    return LAGS.share(found, len(f.links), "links")


def _relationship_types(f: _Facts) -> Check:
    found = [Offender(t.id, _link(d)) for t, d in f.links if d.type != "FS"]
    return FS_LINKS.share(found, len(f.links), "links")


def _hard_constraints(f: _Facts) -> Check:
    """A pin is ontrack's one hard constraint: `not_before` only holds a task back (links
    still push it later), and a deadline never moves a task."""
    found = [Offender(r.id, f"pinned to {f.tasks[r.id].pin}") for r in f.open if f.tasks[r.id].pin]
    return HARD_CONSTRAINTS.share(found, len(f.open), "unfinished tasks")


def _high_float(f: _Facts) -> Check:
    found = [
        Offender(r.id, f"total float {r.total_float_days:g} working days")
        for r in f.open
        if r.total_float_days > HIGH_DAYS
    ]
    return HIGH_FLOAT.share(found, len(f.open), "unfinished tasks")


def _negative_float(f: _Facts) -> Check:
    """Float below zero, or a finish after the task's deadline: ontrack's float counts to
    the project finish, so a deadline is where a date the plan cannot meet shows."""
    missed = {x.subject: x.message for x in f.sched.findings if x.kind == "missed-deadline"}
    found = [
        Offender(r.id, missed.get(r.id) or f"total float {r.total_float_days:g} working days")
        for r in f.open
        if r.total_float_days < 0 or r.id in missed
    ]
    return NEGATIVE_FLOAT.share(found, len(f.open), "unfinished tasks")


def _high_duration(f: _Facts, table: CalendarTable) -> Check:
    found = []
    for r in f.open:
        duration = f.tasks[r.id].duration
        days = (  # an `ed` task: the project's working days it spans
            working_days_between(table, r.start - timedelta(days=1), r.finish)
            if duration and duration.elapsed
            else r.duration_days
        )
        if days > HIGH_DAYS:
            found.append(Offender(r.id, f"{days:g} working days"))
    return HIGH_DURATION.share(found, len(f.open), "unfinished tasks")


def _invalid_dates(f: _Facts) -> Check:
    """Actual dates after the status date; forecasts before it for unfinished work."""
    status = f.sched.status_date
    if status is None:
        return INVALID_DATES.not_assessed("the plan has no status_date")
    found = []
    for r in f.leaves:
        task = f.tasks[r.id]
        actual = (("start", task.actual_start), ("finish", task.actual_finish))
        wrong = [
            f"actual {end} {day} is after the status date"
            for end, day in actual
            if day and day > status
        ]
        if not r.done:
            if task.actual_start is None and r.start < status:
                wrong.append(f"forecast start {r.start} is before the status date")
            if r.finish < status:
                wrong.append(f"forecast finish {r.finish} is before the status date")
        if wrong:
            found.append(Offender(r.id, "; ".join(wrong)))
    return INVALID_DATES.share(found, len(f.leaves), "tasks")


def _resources(f: _Facts) -> Check:
    """A fixed cost counts as resourced: ontrack plans bought-in work (an order, a
    subcontract) as cost without people."""
    found = [
        Offender(r.id, "no resources and no cost")
        for r in f.open
        if not r.assignments and not r.cost
    ]
    return RESOURCES.share(found, len(f.open), "unfinished tasks")


def _baselined(f: _Facts, baseline: Baseline) -> list[tuple[TaskResult, date]]:
    """Normal tasks of the plan that the baseline has too, with their baseline finish."""
    finish = {b.id: b.finish for b in baseline.tasks if not b.is_summary}
    return [(r, finish[r.id]) for r in f.normal if r.id in finish]


def _against_baseline(f: _Facts, baseline: Baseline | None) -> tuple[Check, Check]:
    """Missed tasks (11) and BEI (14): tasks due by the status date in the baseline."""
    status = f.sched.status_date
    if baseline is None or status is None:
        why = "no baseline" if baseline is None else "the plan has no status_date"
        return MISSED_TASKS.not_assessed(why), BEI.not_assessed(why)
    counted = _baselined(f, baseline)
    due = [(r, end) for r, end in counted if end <= status]
    if not due:
        why = f"no task was due by {status} in baseline '{baseline.name}'"
        return MISSED_TASKS.not_assessed(why), BEI.not_assessed(why)
    missed = [
        Offender(r.id, f"finished {r.finish}, due {end}" if r.done else f"not done, due {end}")
        for r, end in due
        if not r.done or r.finish > end
    ]
    # BEI counts every task done, also those due later (DCMA), against those due by now.
    done = sum(r.done for r, _ in counted)
    late = [Offender(r.id, f"not done, due {end}") for r, end in due if not r.done]
    return (
        MISSED_TASKS.share(missed, len(due), "tasks due"),
        BEI.judge(done / len(due), late, len(due), f"{done} done of {len(due)} due"),
    )


def _critical_path_test(f: _Facts, options: ScheduleOptions) -> Check:
    """Slip the first unfinished critical task a long way: when the project finish moves
    less than the task did, something after it absorbs the slip and the path is broken.

    The test is of the logic, so both schedules it compares are unlevelled (a levelled
    schedule may reorder work around the slip and hide or fake a break)."""
    unlevelled = replace(options, level=False)
    base = schedule(f.plan, unlevelled) if f.sched.levelled else f.sched
    candidates = [r for r in base.tasks if r.critical and r.id in f.open_ids]
    if not candidates:
        return CRITICAL_PATH_TEST.not_assessed("no unfinished critical task")
    tested = min(candidates, key=lambda r: r.start)  # ties: the first in the plan
    task = f.tasks[tested.id]
    assert task.duration is not None  # a normal task has one
    longer = Duration(task.duration.value + CPT_DELAY[task.duration.unit], task.duration.unit)
    plan = edit_task(f.plan, task.id, lambda t: (replace(t, duration=longer),))
    slipped, timing = timed_schedule(plan, unlevelled)
    task_slip = working_days_between(timing.table, tested.finish, slipped.task(task.id).finish)
    finish_slip = working_days_between(timing.table, base.finish, slipped.finish)
    if task_slip <= 0:  # only its remaining work grows: almost none when nearly complete
        return CRITICAL_PATH_TEST.not_assessed(f"{task.id} is too nearly complete to slip")
    note = f"{task.id} slipped {task_slip:g} working days; the project finish moved {finish_slip:g}"
    broken = [
        Offender(
            task.id,
            f"slipped {task_slip:g} working days, the project finish only {finish_slip:g}: "
            "something after it absorbs the slip",
        )
    ]
    return CRITICAL_PATH_TEST.judge(
        finish_slip / task_slip, broken if finish_slip < task_slip else [], 1, note
    )


def _cpli(f: _Facts, table: CalendarTable) -> Check:
    """Per outcome with a target (ontrack's contract dates) and work to do: the working
    days from the status date (or the project start) to the target, over those to the
    forecast (the DCMA's (critical path length + float) / critical path length)."""
    start = f.sched.status_date or f.plan.project.start
    found, indices = [], []
    for o in f.sched.outcomes:
        if o.status == "done" or o.work_finished or o.forecast is None or o.slack_days is None:
            continue
        length = working_days_between(table, start - timedelta(days=1), o.forecast)
        if length <= 0:  # due on a day off (an `ed` task's end), with no working day to go
            continue
        index = (length + o.slack_days) / length
        indices.append(index)
        if index < CPLI.threshold:
            found.append(
                Offender(
                    o.id,
                    f"{index:.2f}: {length:g} working days of critical path to the forecast "
                    f"{o.forecast}, {length + o.slack_days:g} to the target {o.target}",
                )
            )
    if not indices:
        return CPLI.not_assessed("no unfinished outcome with a target")
    return CPLI.judge(min(indices), found, len(indices), "the lowest of the outcomes'")


def _from_findings(rule: Rule, f: _Facts, total: int, counted: str) -> Check:
    """ontrack's own checks are its findings of the same kind (core/findings.py)."""
    found = [Offender(x.subject, x.message) for x in f.sched.findings if x.kind == rule.code]
    return rule.judge(len(found), found, total) if total else rule.not_assessed(f"no {counted}")


def _unreviewed(f: _Facts) -> Check:
    if f.plan.project.driver != "security":  # the finding's rule: a promise of this driver
        return UNREVIEWED.not_assessed("the client's driver is not security")
    promised = [o for o in f.plan.outcomes if o.security]
    return _from_findings(UNREVIEWED, f, len(promised), "security outcomes")
