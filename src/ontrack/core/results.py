"""What scheduling returns: a new, frozen result; the plan is never written to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal, NamedTuple

from ontrack.core.explain import Delay
from ontrack.core.model import Verification, priority_rank

OutcomeStatus = Literal["done", "on_track", "at_risk", "late"]


@dataclass(frozen=True)
class Assignment:
    resource: str
    units: float
    cost: float
    hours: float = 0.0  # working hours the task holds it (units not counted)


class TaskResult(NamedTuple):
    """One task's schedule (a named tuple: a plan of 100k tasks makes 100k of these, and a
    tuple is built several times faster than a frozen dataclass)."""

    id: str
    name: str
    start: date
    finish: date
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float_days: float
    critical: bool
    cost: float
    outcomes: tuple[str, ...]
    deliverable: str | None
    priority: int | None
    kind: str
    parent: str | None
    is_summary: bool
    duration_days: float
    assignments: tuple[Assignment, ...] = ()
    levelling_delay_days: float = 0.0
    done: bool = False
    percent_complete: float = 0.0
    deadline: date | None = None


@dataclass(frozen=True)
class OutcomeResult:
    id: str
    statement: str
    priority: int | None
    target: date | None
    forecast: date | None
    slack_days: float | None
    status: OutcomeStatus | None
    driving_tasks: tuple[str, ...]
    tasks: tuple[str, ...]
    external_drivers: tuple[str, ...] = ()
    """Program milestones (other vendors' or the client's dates) on the driving chain."""
    work_finished: date | None = None
    """When every task that serves it is finished, the day the last one did."""
    verified: Verification | None = None
    baseline_forecast: date | None = None
    """Its forecast at the latest baseline, when the schedule was given one."""
    slipping: bool = False  # its forecast is later than at that baseline

    @property
    def awaiting_verification(self) -> bool:
        """Its work is all finished, but nobody has checked its measure yet."""
        return self.work_finished is not None and self.verified is None


class Finding(NamedTuple):
    """Something the project manager should know: what it means for the client, what to do.

    (A named tuple, like TaskResult: a large plan can have one per task.)"""

    kind: str
    subject: str
    message: str
    impact: str
    action: str
    severity: Literal["info", "warning", "problem"] = "warning"


@dataclass(frozen=True)
class Overallocation:
    resource: str
    start: date
    finish: date
    demand: float
    units: float
    tasks: tuple[str, ...]


LevellingMethod = Literal["rule", "search", "optimize"]


@dataclass(frozen=True)
class Levelling:
    """How the levelled schedule was found, for the output."""

    method: LevellingMethod
    schedules: int  # orders the search decoded
    optimal: bool | None  # proven or not; None when not known (no solver, or a close copy)
    lower_bound_days: float | None  # the solver's proven bound on the first part not proven
    gap: float | None  # how far above that bound, as a fraction of it


@dataclass(frozen=True)
class Schedule:
    project_id: str
    start: date
    finish: date
    cost: float
    levelled: bool
    status_date: date | None
    tasks: tuple[TaskResult, ...]
    outcomes: tuple[OutcomeResult, ...]
    findings: tuple[Finding, ...] = ()
    overallocations: tuple[Overallocation, ...] = ()
    levelling: Levelling | None = None
    status: Literal["ok"] = "ok"
    task_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    delays: tuple[Delay, ...] = ()
    """Why levelling delayed each task it moved, in task order."""

    def task(self, task_id: str) -> TaskResult:
        return self.tasks[self.task_index[task_id]]

    def delay(self, task_id: str) -> Delay | None:
        """Why levelling delayed the task, or None when it did not."""
        return self._delay_by_task.get(task_id)

    @cached_property
    def _delay_by_task(self) -> dict[str, Delay]:
        return {d.task: d for d in self.delays}

    def outcomes_by_priority(self) -> list[OutcomeResult]:
        """Priority 1 first; ties keep plan order."""
        return sorted(self.outcomes, key=lambda o: priority_rank(o.priority))
