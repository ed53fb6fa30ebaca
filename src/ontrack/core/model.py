"""The plan as the core sees it: frozen, validated-shape data with no file positions.

Field names follow the plan-file format (docs/plan-format.md); a `None` means "not given",
so that a plan dumped and parsed again compares equal to the original.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

DurationUnit = Literal["h", "d", "w", "ed"]
DepType = Literal["FS", "SS", "FF", "SF"]
TaskKind = Literal["task", "procurement", "review", "milestone"]
Driver = Literal["speed", "security", "cost"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_HOUR = 60
UNIT_HOURS: dict[DurationUnit, int] = {"h": 1, "d": 1, "w": 5, "ed": 24}
"""Hours in one unit; a unit of WORKDAY_UNITS counts working days, so it is then multiplied
by the calendar's hours_per_day (network.py does the same products on whole arrays)."""
WORKDAY_UNITS: tuple[DurationUnit, ...] = ("d", "w")


@dataclass(frozen=True)
class Duration:
    """A duration or lag as written: `value` working hours/days/weeks, or elapsed days."""

    value: float
    unit: DurationUnit

    @property
    def elapsed(self) -> bool:
        return self.unit == "ed"

    def minutes(self, hours_per_day: float) -> int:
        """Length in minutes: working minutes for h/d/w, calendar minutes for ed.

        Rounded to the scheduling resolution of one minute.
        """
        hours = self.value * UNIT_HOURS[self.unit]
        if self.unit in WORKDAY_UNITS:
            hours *= hours_per_day
        return round(hours * MINUTES_PER_HOUR)

    def __str__(self) -> str:
        return f"{self.value:g}{self.unit}"


@dataclass(frozen=True)
class Vendor:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class ProgramMilestone:
    """A date outside our control (another vendor's or the client's) that work may wait for."""

    id: str
    name: str
    date: date
    vendor: str | None = None


@dataclass(frozen=True)
class Program:
    name: str
    benefit: str | None = None
    budget: float | None = None
    start: date | None = None
    finish: date | None = None
    vendors: tuple[Vendor, ...] = ()
    milestones: tuple[ProgramMilestone, ...] = ()


@dataclass(frozen=True)
class ProjectInfo:
    id: str
    name: str
    start: date
    client: str | None = None
    manager: str | None = None
    status_date: date | None = None
    currency: str | None = None
    calendar: str | None = None
    driver: Driver | None = None
    priority: int | None = None
    """Its rank in a portfolio (1 first): ontrack's extension, see core/portfolio.py."""


@dataclass(frozen=True)
class CalendarDef:
    id: str
    workdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    hours_per_day: float = 8
    holidays: str | None = None
    closed: tuple[date, ...] = ()


@dataclass(frozen=True)
class Away:
    start: date
    end: date


@dataclass(frozen=True)
class Resource:
    id: str
    name: str | None = None
    units: float = 1
    rate: float = 0
    calendar: str | None = None
    away: tuple[Away, ...] = ()


UNRANKED = 1_000_000
"""The rank of work that serves no outcome: after everything else."""


def priority_rank(priority: int | None) -> int:
    """An outcome's priority as a rank: 1 first; an outcome without a priority after every
    numbered one (but before work that serves no outcome)."""
    return UNRANKED - 1 if priority is None else priority


@dataclass(frozen=True)
class Verification:
    """Who checked an outcome's measure, when, and the evidence (ontrack's extension): an
    outcome is reached when verified, not when its tasks close."""

    by: str
    date: date
    evidence: str


@dataclass(frozen=True)
class Outcome:
    id: str
    statement: str
    target: date | None = None
    priority: int | None = None
    measure: str | None = None
    security: bool | None = None
    needs: tuple[str, ...] = ()
    verified: Verification | None = None


@dataclass(frozen=True)
class Deliverable:
    id: str
    name: str
    outcomes: tuple[str, ...] = ()
    acceptance: str | None = None


@dataclass(frozen=True)
class Dependency:
    task: str
    type: DepType = "FS"
    lag: Duration | None = None
    short: bool = field(default=False, compare=False)
    """Written as a plain id (kept only so the dumper can write it back the same way)."""


@dataclass(frozen=True)
class Estimate:
    low: Duration
    high: Duration
    distribution: Literal["triangular", "pert"] | None = None


@dataclass(frozen=True)
class Task:
    id: str
    name: str
    kind: TaskKind | None = None
    duration: Duration | None = None
    estimate: Estimate | None = None
    deliverable: str | None = None
    outcomes: tuple[str, ...] = ()
    resources: tuple[tuple[str, float], ...] = ()
    after: tuple[Dependency, ...] = ()
    not_before: date | None = None
    pin: date | None = None
    deadline: date | None = None
    cost: float | None = None
    calendar: str | None = None
    notes: str | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: float | None = None
    actual_cost: float | None = None
    expedite_cost_per_day: float | None = None
    """What each day taken off its duration costs (ontrack's extension, for `advise`)."""
    tasks: tuple[Task, ...] = ()

    @property
    def is_summary(self) -> bool:
        return bool(self.tasks)

    @property
    def is_milestone(self) -> bool:
        return self.kind == "milestone"

    @property
    def effective_kind(self) -> TaskKind:
        return self.kind or "task"


@dataclass(frozen=True)
class Conversation:
    date: date
    with_: str | None = None
    notes: str | None = None
    outcomes: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskImpact:
    """What a risk event adds when it happens: to a task's duration, or to the date of a
    program milestone (working time of the task's or the project's calendar)."""

    target: str  # a task's or a program milestone's id
    low: Duration
    high: Duration | None = None
    """None: exactly `low`; else a range, sampled uniformly between the two."""


@dataclass(frozen=True)
class Risk:
    """An event of the risk register: it happens in a share `probability` of futures."""

    id: str
    description: str
    probability: float  # 0 < p <= 1
    impacts: tuple[RiskImpact, ...]
    threatens: tuple[str, ...] = ()  # outcome ids, as the register states them
    owner: str | None = None
    mitigation: str | None = None


@dataclass(frozen=True)
class Correlation:
    """Tasks whose durations share a cause: their overruns go together (a Gaussian copula
    with this coefficient between each pair)."""

    tasks: tuple[str, ...]
    coefficient: float  # 0 < r < 1
    cause: str | None = None


@dataclass(frozen=True)
class Plan:
    project: ProjectInfo
    ontrack: int = 1
    program: Program | None = None
    calendars: tuple[CalendarDef, ...] = ()
    resources: tuple[Resource, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()
    tasks: tuple[Task, ...] = ()
    conversations: tuple[Conversation, ...] = ()
    risks: tuple[Risk, ...] = ()
    correlations: tuple[Correlation, ...] = ()

    def walk_tasks(self) -> Iterator[tuple[Task, Task | None]]:
        """Every task, summaries included, depth first in file order, with its parent."""
        tasks, parents = self.tasks_in_order()
        for task, up in zip(tasks, parents, strict=True):
            yield task, tasks[up] if up >= 0 else None

    def tasks_in_order(self) -> tuple[list[Task], list[int]]:
        """Every task as walk_tasks gives them, with the position in that list of each one's
        parent (-1 at the top level): the scheduler's node order."""
        tasks: list[Task] = []
        parents: list[int] = []

        def visit(level: tuple[Task, ...], up: int) -> None:
            for task in level:
                tasks.append(task)
                parents.append(up)
                if task.tasks:
                    visit(task.tasks, len(tasks) - 1)

        visit(self.tasks, -1)
        return tasks, parents


def edit_task(plan: Plan, task_id: str, edit: Callable[[Task], tuple[Task, ...]]) -> Plan:
    """The plan with the task replaced by what `edit` makes of it (none, itself changed,
    or several tasks in its place), wherever it is in the tree."""

    def walk(tasks: tuple[Task, ...]) -> tuple[Task, ...]:
        out: list[Task] = []
        for t in tasks:
            if t.id == task_id:
                out.extend(edit(t))
            else:
                out.append(replace(t, tasks=walk(t.tasks)) if t.tasks else t)
        return tuple(out)

    return replace(plan, tasks=walk(plan.tasks))
