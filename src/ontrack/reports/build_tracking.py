"""The reports' tracking sections: progress against the latest baseline, the decisions the
client must make, and for the team the variances, health failures and course corrections.

The app measures (baseline comparison, earned value, health, advice) and passes the
results in as `Tracking`; nothing here loads a file or schedules.
"""

from __future__ import annotations

from dataclasses import dataclass

from ontrack.core.advise import Action, Advice
from ontrack.core.baseline import Baseline, Comparison
from ontrack.core.confidence import Confidence
from ontrack.core.evm import EarnedValue, Measures
from ontrack.core.health import Health
from ontrack.core.results import OutcomeResult
from ontrack.reports.lookup import Lookup
from ontrack.reports.model import (
    BaselineProgress,
    CorrectionView,
    Decided,
    DecisionView,
    DeliverableView,
    ForecastMove,
    HealthFailure,
    OutcomeProgress,
    OutcomeVarianceView,
    TaskSlip,
    Variances,
)
from ontrack.reports.wording import health_found, health_threshold, join_words, money

TASK_SLIPS = 5
"""Task slips the team briefing lists."""
CORRECTIONS = 3
"""Course corrections the team briefing lists."""
OFFENDERS = 5
"""Offenders listed per failed health check."""


@dataclass(frozen=True)
class Measured:
    """The plan against its latest saved baseline."""

    baseline: Baseline
    comparison: Comparison
    """That baseline against the current schedule."""
    earned: EarnedValue


@dataclass(frozen=True)
class Tracking:
    """What the app measured for the reports; a part left None was not measured."""

    plan_file: str = "PLAN"
    """How the hint to save a baseline names the plan file."""
    measured: Measured | None = None
    """None when the plan has no saved baseline."""
    health: Health | None = None
    advice: Advice | None = None
    confidence: Confidence | None = None
    """Each outcome's P50/P80/P90 and chance from simulated futures; None: not simulated."""


def baseline_progress(
    look: Lookup, measured: Measured, deliverables: tuple[DeliverableView, ...]
) -> BaselineProgress:
    saved = measured.baseline.saved
    return BaselineProgress(
        baseline=measured.baseline.name,
        saved=saved,
        outcomes=tuple(p for _, p in _outcome_progress(look, measured)),
        finished=tuple(
            d.name for d in deliverables if d.done and d.forecast and d.forecast >= saved
        ),
    )


def _outcome_progress(
    look: Lookup, measured: Measured
) -> list[tuple[Measures, OutcomeProgress]]:
    """Each outcome of the plan in both the baseline and the schedule, by priority."""
    variances = {v.id: v for v in measured.comparison.outcomes}
    measures = {r.id: r.measures for r in measured.earned.outcomes}
    rows = []
    for o in look.outcomes_by_priority():
        v, m = variances.get(o.id), measures.get(o.id)
        if v is None or m is None:
            continue
        f, done = v.forecast, m.ev / m.bac if m.bac else None
        rows.append((m, OutcomeProgress(o.statement, f.was, f.now, f.days, done)))
    return rows


def decisions(look: Lookup, advice: Advice) -> tuple[DecisionView, ...]:
    """Per outcome advised, its best course correction that needs the client (one that
    costs money, reorders their priorities or costs an outcome time), in their words."""
    found: dict[str, DecisionView] = {}
    for advised in advice.outcomes:
        action = next((a for a in advised.actions if _needs_client(a)), None)
        if action is None:
            continue
        question = _question(look, advised.outcome, action)
        moves = tuple(
            ForecastMove(look.statement(e.outcome), e.before, e.after)
            for e in action.effects
            if e.before != e.after
        )
        found.setdefault(question, DecisionView(question, moves))
    return tuple(found.values())


def _needs_client(a: Action) -> bool:
    if a.kind in ("reorder", "security-review"):
        return True
    paid = a.cost_change is None or a.cost_change > 0
    return a.kind in ("expedite", "add-unit") and paid


def _question(look: Lookup, focus: OutcomeResult, a: Action) -> str:
    target = a.changes[-1].id  # the task, resource or outcome the action edits last
    if a.kind == "expedite":
        return f"Pay extra to have {look.results[target].name} delivered sooner"
    if a.kind == "add-unit":
        return f"Pay for one more {look.resource_names.get(target, target)} on the team"
    if a.kind == "reorder":
        behind = join_words(f"“{look.statement(e.outcome)}”" for e in a.makes_later)
        return f"Put “{focus.statement}” ahead of {behind or 'the outcomes before it'}"
    return f"Add a security review before {look.results[target].name}, which takes time"


def decided(look: Lookup) -> tuple[Decided, ...]:
    return tuple(
        Decided(c.date, text) for c in look.conversations_newest_first() for text in c.decisions
    )


def variances(look: Lookup, measured: Measured) -> Variances:
    slips = sorted(
        (
            t
            for t in measured.comparison.tasks
            if t.finish.later and t.id in look.results and not look.results[t.id].is_summary
        ),
        key=lambda t: -(t.finish.days or 0),
    )
    return Variances(
        baseline=measured.baseline.name,
        currency=look.plan.project.currency,
        outcomes=tuple(
            OutcomeVarianceView(p, m.sv, m.cv, m.spi, m.cpi)
            for m, p in _outcome_progress(look, measured)
        ),
        task_slips=tuple(
            TaskSlip(look.results[t.id].name, t.finish.was, t.finish.now, t.finish.days)
            for t in slips[:TASK_SLIPS]
            if t.finish.was and t.finish.now and t.finish.days
        ),
    )


def health_failures(health: Health) -> tuple[HealthFailure, ...]:
    failures = []
    for c in health.checks:
        if c.status != "fail":
            continue
        shown = tuple(f"{o.id}: {o.detail}" for o in c.offenders[:OFFENDERS])
        more = len(c.offenders) - len(shown)
        failures.append(
            HealthFailure(
                c.rule.name,
                f"{health_found(c)}, against {health_threshold(c)}",
                shown + ((f"… and {more} more",) if more else ()),
            )
        )
    return tuple(failures)


def top_corrections(look: Lookup, advice: Advice) -> tuple[CorrectionView, ...]:
    """Each advised outcome's best action, most important outcome first, then their
    second best, and so on: the first `CORRECTIONS`."""
    ranked = sorted(
        ((rank, n, advised.outcome, a)
         for n, advised in enumerate(advice.outcomes)
         for rank, a in enumerate(advised.actions)),
        key=lambda x: (x[0], x[1]),
    )
    currency = look.plan.project.currency
    return tuple(
        CorrectionView(
            outcome=focus.statement,
            description=a.description,
            days_gained=a.days_gained,
            cost=_cost_text(a.cost_change, currency),
            makes_later=tuple(look.statement(e.outcome) for e in a.makes_later),
        )
        for _, _, focus, a in ranked[:CORRECTIONS]
    )


def _cost_text(cost: float | None, currency: str | None) -> str:
    if cost is None:
        return "cost unknown"
    return money(cost, currency) if cost else "no extra cost"
