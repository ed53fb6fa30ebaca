"""The neutral report model: what each report says, before any format decides how it looks.

Everything here is already chosen for its audience: the client report model holds no task
ids, rates, costs or notes, so no renderer can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ontrack.core.model import Driver, Verification
from ontrack.core.results import OutcomeStatus


@dataclass(frozen=True)
class Span:
    start: date
    finish: date


@dataclass(frozen=True)
class Header:
    project: str
    client: str | None
    manager: str | None
    status_date: date | None
    span: Span
    program: str | None
    benefit: str | None


@dataclass(frozen=True)
class Step:
    """One piece of work as the team talks about it: what, when, who."""

    name: str
    span: Span
    who: tuple[str, ...]
    kind: str
    critical: bool
    done: bool


@dataclass(frozen=True)
class DriverView:
    """What moves an outcome's date most in the simulated futures, as the team names it."""

    name: str
    kind: Literal["task", "milestone", "risk"]
    swing_days: float
    """The outcome's mean finish when it runs high minus when it runs low (a risk event:
    when it happens minus when it does not), in working days."""
    drove_share: float | None
    """A task: the share of futures in which it was on the chain that set the date."""


@dataclass(frozen=True)
class ConfidenceView:
    """How sure an outcome's date is, from the simulated futures (no cost in it)."""

    p50: date
    p80: date
    p90: date
    chance: float | None
    """Of meeting the target, 0-1; None without a target."""
    status: OutcomeStatus
    """Judged by the chance (docs/risk.md)."""
    drivers: tuple[DriverView, ...]
    """The top risk drivers; left empty in the client report."""


@dataclass(frozen=True)
class OutcomeView:
    statement: str
    priority: int | None
    status: OutcomeStatus | None
    forecast: date | None
    target: date | None
    slack_days: float | None
    measure: str | None
    needs: tuple[str, ...]
    """What we need from the client or other vendors, in plain words, dates included."""
    security: bool
    crucial_work: tuple[Step, ...]
    """The driving chain; left empty in the client report."""
    work_finished: date | None = None
    """When all its work finished (it is done only once verified)."""
    verified: Verification | None = None
    confidence: ConfidenceView | None = None
    """None when the plan was not simulated, or the outcome is done."""


@dataclass(frozen=True)
class DeliverableView:
    name: str
    acceptance: str | None
    outcomes: tuple[str, ...]
    forecast: date | None
    done: bool


@dataclass(frozen=True)
class MilestoneView:
    name: str
    date: date
    owner: str | None
    """Who makes it happen; None when it is our own work."""


@dataclass(frozen=True)
class OutcomeProgress:
    """An outcome's forecast at the latest baseline and now."""

    statement: str
    was: date | None
    now: date | None
    slip_days: int | None
    """Calendar days later than at the baseline (negative: earlier); None without both."""
    done_share: float | None
    """Earned value over budget of its work, 0–1; None when its work has no budget."""


@dataclass(frozen=True)
class BaselineProgress:
    """Progress against the latest saved baseline: what changed since the last report."""

    baseline: str
    saved: date
    outcomes: tuple[OutcomeProgress, ...]
    finished: tuple[str, ...]
    """Deliverables finished since the baseline was saved."""

    @property
    def slipped(self) -> tuple[OutcomeProgress, ...]:
        return tuple(o for o in self.outcomes if (o.slip_days or 0) > 0)

    @property
    def improved(self) -> tuple[OutcomeProgress, ...]:
        return tuple(o for o in self.outcomes if (o.slip_days or 0) < 0)


@dataclass(frozen=True)
class ForecastMove:
    statement: str
    was: date | None
    now: date | None


@dataclass(frozen=True)
class DecisionView:
    """A course correction only the client can choose, in their words: no cost, no ids."""

    question: str
    moves: tuple[ForecastMove, ...]
    """Every outcome whose forecast it would move."""


@dataclass(frozen=True)
class Decided:
    date: date
    text: str


@dataclass(frozen=True)
class ClientReport:
    header: Header
    outcomes: tuple[OutcomeView, ...]
    attention: tuple[OutcomeView, ...]
    """Outcomes that are late or at risk, worst first."""
    deliverables: tuple[DeliverableView, ...]
    milestones: tuple[MilestoneView, ...]
    progress: BaselineProgress | None
    """None when no baseline is saved: `baseline_hint` says how to save one."""
    baseline_hint: str
    decisions: tuple[DecisionView, ...]
    decided: tuple[Decided, ...]
    """What the conversations record as decided, newest first."""
    futures: int | None = None
    """How many futures the outcomes' confidence comes from; None when not simulated."""


@dataclass(frozen=True)
class VendorView:
    name: str
    role: str | None


@dataclass(frozen=True)
class ProgramView:
    name: str
    benefit: str | None
    budget: float | None
    currency: str | None
    it_cost: float
    it_share: float | None
    """Our cost as a fraction of the program budget; None without a budget."""
    span: Span | None
    it_span: Span
    vendors: tuple[VendorView, ...]


@dataclass(frozen=True)
class FindingView:
    message: str
    impact: str
    action: str
    severity: Literal["info", "warning", "problem"]


@dataclass(frozen=True)
class PersonWork:
    name: str
    work: tuple[Step, ...]


@dataclass(frozen=True)
class Lookahead:
    """Who does what from `span.start` to `span.finish`, both days included."""

    span: Span
    people: tuple[PersonWork, ...]
    unassigned: tuple[Step, ...]


@dataclass(frozen=True)
class ConversationView:
    date: date
    with_: str | None
    notes: str | None
    decisions: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeVarianceView:
    forecast: OutcomeProgress
    sv: float
    cv: float
    spi: float | None
    cpi: float | None


@dataclass(frozen=True)
class TaskSlip:
    name: str
    was: date
    now: date
    days: int


@dataclass(frozen=True)
class Variances:
    baseline: str
    currency: str | None
    outcomes: tuple[OutcomeVarianceView, ...]
    task_slips: tuple[TaskSlip, ...]
    """The tasks that finish latest against the baseline, most first."""


@dataclass(frozen=True)
class HealthFailure:
    name: str
    measured: str
    """The value against its threshold, as `12.5% (at most 5%)`."""
    offenders: tuple[str, ...]


@dataclass(frozen=True)
class CorrectionView:
    outcome: str
    description: str
    days_gained: float
    cost: str
    makes_later: tuple[str, ...]


@dataclass(frozen=True)
class TeamBriefing:
    header: Header
    today: date
    program: ProgramView | None
    driver: Driver | None
    outcomes: tuple[OutcomeView, ...]
    findings: tuple[FindingView, ...]
    lookahead: Lookahead
    conversations: tuple[ConversationView, ...]
    variances: Variances | None
    """None when no baseline is saved: `baseline_hint` says how to save one."""
    baseline_hint: str
    health_failures: tuple[HealthFailure, ...] | None
    """None when the health check was not run."""
    corrections: tuple[CorrectionView, ...] | None
    """The top course corrections; None when advice was not asked for."""
    futures: int | None = None
    """How many futures the outcomes' confidence comes from; None when not simulated."""


GroupLevel = Literal["outcome", "deliverable"]
Shape = Literal["bar", "summary", "milestone"]


@dataclass(frozen=True)
class GroupRow:
    """A heading row of the Gantt: an outcome or a deliverable within it."""

    level: GroupLevel
    label: str
    span: Span | None
    forecast: date | None = None
    target: date | None = None
    slack_days: float | None = None
    status: OutcomeStatus | None = None
    work_finished: date | None = None


@dataclass(frozen=True)
class TaskRow:
    task_id: str
    name: str
    depth: int
    span: Span
    shape: Shape
    critical: bool
    progress: float
    """Percent complete, 0–100."""
    float_days: float
    also_serves: tuple[str, ...]
    """Statements of the outcomes the task serves besides the one it is drawn under."""
    also_tags: tuple[str, ...]
    """The same outcomes, short (`P2`), as their header rows name them."""


@dataclass(frozen=True)
class GanttMarker:
    label: str
    date: date


@dataclass(frozen=True)
class GanttChart:
    title: str
    span: Span
    rows: tuple[GroupRow | TaskRow, ...]
    program_milestones: tuple[GanttMarker, ...]
    status_date: date | None
