"""Plan + Schedule -> the neutral models of the client report and the team briefing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from ontrack.core.model import UNRANKED, Deliverable, Plan, priority_rank
from ontrack.core.results import OutcomeResult, Schedule, TaskResult
from ontrack.reports.build_confidence import confidence_views
from ontrack.reports.build_tracking import (
    Tracking,
    baseline_progress,
    decided,
    decisions,
    health_failures,
    top_corrections,
    variances,
)
from ontrack.reports.lookup import Lookup
from ontrack.reports.model import (
    ClientReport,
    ConfidenceView,
    ConversationView,
    DeliverableView,
    FindingView,
    Header,
    Lookahead,
    MilestoneView,
    OutcomeView,
    PersonWork,
    ProgramView,
    Span,
    Step,
    TeamBriefing,
    VendorView,
)
from ontrack.reports.wording import baseline_hint, needed_by

LOOKAHEAD_DAYS = 14
_SEVERITY_ORDER = {"problem": 0, "warning": 1, "info": 2}
NOT_TRACKED = Tracking()


def build_client_report(
    plan: Plan, schedule: Schedule, tracking: Tracking = NOT_TRACKED
) -> ClientReport:
    look = Lookup(plan, schedule)
    odds = confidence_views(look, tracking.confidence, with_drivers=False)
    outcomes = tuple(
        _outcome(look, o, with_work=False, odds=odds) for o in look.outcomes_by_priority()
    )
    deliverables = _deliverables(look)
    measured, advice = tracking.measured, tracking.advice
    return ClientReport(
        header=_header(look),
        outcomes=outcomes,
        attention=_attention(outcomes),
        deliverables=deliverables,
        milestones=_milestones(look),
        progress=baseline_progress(look, measured, deliverables) if measured else None,
        baseline_hint=baseline_hint(tracking.plan_file),
        decisions=decisions(look, advice) if advice else (),
        decided=decided(look),
        futures=_futures(tracking),
    )


def build_team_briefing(
    plan: Plan, schedule: Schedule, *, today: date, tracking: Tracking = NOT_TRACKED
) -> TeamBriefing:
    look = Lookup(plan, schedule)
    measured, health, advice = tracking.measured, tracking.health, tracking.advice
    odds = confidence_views(look, tracking.confidence, with_drivers=True)
    return TeamBriefing(
        header=_header(look),
        today=today,
        program=_program(look),
        driver=plan.project.driver,
        outcomes=tuple(
            _outcome(look, o, with_work=True, odds=odds) for o in look.outcomes_by_priority()
        ),
        findings=_findings(schedule),
        lookahead=_lookahead(look, today),
        conversations=_conversations(look),
        variances=variances(look, measured) if measured else None,
        baseline_hint=baseline_hint(tracking.plan_file),
        health_failures=health_failures(health) if health else None,
        corrections=top_corrections(look, advice) if advice else None,
        futures=_futures(tracking),
    )


def _futures(tracking: Tracking) -> int | None:
    return None if tracking.confidence is None else tracking.confidence.iterations


def _attention(outcomes: tuple[OutcomeView, ...]) -> tuple[OutcomeView, ...]:
    """Late before at risk; within each, priority order is kept."""
    late = [o for o in outcomes if o.status == "late"]
    at_risk = [o for o in outcomes if o.status == "at_risk"]
    return (*late, *at_risk)


def _header(look: Lookup) -> Header:
    project, program = look.plan.project, look.plan.program
    return Header(
        project=project.name,
        client=project.client,
        manager=project.manager,
        status_date=look.status_date,
        span=Span(look.schedule.start, look.schedule.finish),
        program=program.name if program else None,
        benefit=program.benefit if program else None,
    )


def _outcome(
    look: Lookup,
    result: OutcomeResult,
    *,
    with_work: bool,
    odds: Mapping[str, ConfidenceView],
) -> OutcomeView:
    outcome = look.outcomes.get(result.id)
    chain = [look.results[t] for t in result.driving_tasks if t in look.results]
    return OutcomeView(
        statement=result.statement,
        priority=result.priority,
        status=result.status,
        forecast=result.forecast,
        target=result.target,
        slack_days=result.slack_days,
        measure=outcome.measure if outcome else None,
        needs=_needs(look, result),
        security=bool(outcome and outcome.security),
        crucial_work=tuple(_step(look, t) for t in chain) if with_work else (),
        work_finished=result.work_finished,
        verified=result.verified,
        confidence=odds.get(result.id),
    )


def _needs(look: Lookup, result: OutcomeResult) -> tuple[str, ...]:
    """The outcome's stated needs, then the outside dates on its driving chain."""
    outcome = look.outcomes.get(result.id)
    stated = outcome.needs if outcome else ()
    outside = [look.program_milestones[m] for m in result.external_drivers
               if m in look.program_milestones]
    return (*stated, *(needed_by(m.name, m.date) for m in outside))


def _step(look: Lookup, task: TaskResult) -> Step:
    return Step(
        name=task.name,
        span=Span(task.start, task.finish),
        who=look.who(task),
        kind=task.kind,
        critical=task.critical,
        done=task.done,
    )


def _deliverables(look: Lookup) -> tuple[DeliverableView, ...]:
    priorities = {o.id: priority_rank(o.priority) for o in look.schedule.outcomes}

    def best_priority(deliverable: Deliverable) -> int:
        return min((priorities.get(o, UNRANKED) for o in deliverable.outcomes), default=UNRANKED)

    ordered = sorted(look.plan.deliverables, key=best_priority)
    return tuple(_deliverable(look, d) for d in ordered)


def _deliverable(look: Lookup, deliverable: Deliverable) -> DeliverableView:
    tasks = [
        t for t in look.schedule.tasks if t.deliverable == deliverable.id and not t.is_summary
    ]
    return DeliverableView(
        name=deliverable.name,
        acceptance=deliverable.acceptance,
        outcomes=tuple(look.statement(o) for o in deliverable.outcomes),
        forecast=max((t.finish for t in tasks), default=None),
        done=bool(tasks) and all(t.done for t in tasks),
    )


def _milestones(look: Lookup) -> tuple[MilestoneView, ...]:
    ours = [
        MilestoneView(name=t.name, date=t.finish, owner=None)
        for t in look.schedule.tasks
        if t.kind == "milestone"
    ]
    client = look.plan.project.client or "Client"
    theirs = [
        MilestoneView(name=m.name, date=m.date, owner=m.vendor or client)
        for m in look.program_milestones.values()
    ]
    return tuple(sorted(ours + theirs, key=lambda m: m.date))


def _program(look: Lookup) -> ProgramView | None:
    program = look.plan.program
    if program is None:
        return None
    cost = look.schedule.cost
    span = Span(program.start, program.finish) if program.start and program.finish else None
    return ProgramView(
        name=program.name,
        benefit=program.benefit,
        budget=program.budget,
        currency=look.plan.project.currency,
        it_cost=cost,
        it_share=cost / program.budget if program.budget else None,
        span=span,
        it_span=Span(look.schedule.start, look.schedule.finish),
        vendors=tuple(VendorView(v.name, v.role) for v in program.vendors),
    )


def _findings(schedule: Schedule) -> tuple[FindingView, ...]:
    ordered = sorted(schedule.findings, key=lambda f: _SEVERITY_ORDER[f.severity])
    return tuple(FindingView(f.message, f.impact, f.action, f.severity) for f in ordered)


def _lookahead_span(today: date) -> Span:
    """Two weeks: today and the thirteen days after it."""
    return Span(today, today + timedelta(days=LOOKAHEAD_DAYS - 1))


def _lookahead(look: Lookup, today: date) -> Lookahead:
    window = _lookahead_span(today)
    due = sorted(
        (t for t in look.schedule.tasks if _open_within(t, window)),
        key=lambda t: (t.start, t.finish),
    )
    people = tuple(
        PersonWork(
            name=resource.name or resource.id,
            work=tuple(
                _step(look, t) for t in due if any(a.resource == resource.id for a in t.assignments)
            ),
        )
        for resource in look.plan.resources
    )
    unassigned = tuple(_step(look, t) for t in due if not t.assignments)
    return Lookahead(span=window, people=people, unassigned=unassigned)


def _open_within(task: TaskResult, window: Span) -> bool:
    """Unfinished leaf work that overlaps the window (summaries only repeat their children)."""
    overlaps = task.start <= window.finish and task.finish >= window.start
    return overlaps and not task.done and not task.is_summary


def _conversations(look: Lookup) -> tuple[ConversationView, ...]:
    return tuple(
        ConversationView(
            date=c.date,
            with_=c.with_,
            notes=c.notes,
            decisions=c.decisions,
            outcomes=tuple(look.statement(o) for o in c.outcomes),
        )
        for c in look.conversations_newest_first()
    )
