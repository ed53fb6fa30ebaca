"""Schema objects to the core model: the file's shape becomes the core's frozen data."""

from __future__ import annotations

from ontrack.core.model import (
    Away,
    CalendarDef,
    Conversation,
    Correlation,
    Deliverable,
    Dependency,
    Estimate,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Risk,
    RiskImpact,
    Task,
    Vendor,
    Verification,
)
from ontrack.planfile.schema import (
    CalendarSchema,
    ConversationSchema,
    DependencySchema,
    OutcomeSchema,
    PlanSchema,
    ProgramSchema,
    ProjectSchema,
    ResourceSchema,
    RiskSchema,
    ShortId,
    TaskSchema,
)


def build_plan(schema: PlanSchema) -> Plan:
    return Plan(
        project=_project(schema.project),
        ontrack=schema.ontrack,
        program=_program(schema.program) if schema.program else None,
        calendars=tuple(
            _calendar(ident, calendar or CalendarSchema())
            for ident, calendar in (schema.calendars or {}).items()
        ),
        resources=tuple(_resource(resource) for resource in schema.resources or ()),
        outcomes=tuple(_outcome(outcome) for outcome in schema.outcomes or ()),
        deliverables=tuple(
            Deliverable(
                id=deliverable.id,
                name=deliverable.name,
                outcomes=tuple(deliverable.outcomes or ()),
                acceptance=deliverable.acceptance,
            )
            for deliverable in schema.deliverables or ()
        ),
        tasks=tuple(_task(task) for task in schema.tasks or ()),
        conversations=tuple(_conversation(c) for c in schema.conversations or ()),
        risks=tuple(_risk(risk) for risk in schema.risks or ()),
        correlations=tuple(
            Correlation(tuple(c.tasks), c.coefficient, c.cause) for c in schema.correlations or ()
        ),
    )


def _risk(risk: RiskSchema) -> Risk:
    return Risk(
        id=risk.id,
        description=risk.description,
        probability=risk.probability,
        impacts=tuple(
            # The schema lets through only impacts with exactly one of task and milestone.
            RiskImpact(str(impact.task or impact.milestone), impact.delay.low, impact.delay.high)
            for impact in risk.impacts or ()
        ),
        threatens=tuple(risk.threatens or ()),
        owner=risk.owner,
        mitigation=risk.mitigation,
    )


def _project(project: ProjectSchema) -> ProjectInfo:
    return ProjectInfo(
        id=project.id,
        name=project.name,
        start=project.start,
        client=project.client,
        manager=project.manager,
        status_date=project.status_date,
        currency=project.currency,
        calendar=project.calendar,
        driver=project.driver,
        priority=project.priority,
    )


def _outcome(outcome: OutcomeSchema) -> Outcome:
    return Outcome(
        id=outcome.id,
        statement=outcome.statement,
        target=outcome.target,
        priority=outcome.priority,
        measure=outcome.measure,
        security=outcome.security,
        needs=tuple(outcome.needs or ()),
        verified=Verification(v.by, v.date, v.evidence) if (v := outcome.verified) else None,
    )


def _program(program: ProgramSchema) -> Program:
    return Program(
        name=program.name,
        benefit=program.benefit,
        budget=program.budget,
        start=program.start,
        finish=program.finish,
        vendors=tuple(Vendor(v.name, v.role) for v in program.vendors or ()),
        milestones=tuple(
            ProgramMilestone(m.id, m.name, m.date, m.vendor) for m in program.milestones or ()
        ),
    )


def _calendar(ident: str, calendar: CalendarSchema) -> CalendarDef:
    defaults = CalendarDef(ident)
    return CalendarDef(
        id=ident,
        workdays=tuple(calendar.workdays) if calendar.workdays else defaults.workdays,
        hours_per_day=(
            defaults.hours_per_day if calendar.hours_per_day is None else calendar.hours_per_day
        ),
        holidays=calendar.holidays,
        closed=tuple(calendar.closed or ()),
    )


def _resource(resource: ResourceSchema) -> Resource:
    defaults = Resource(resource.id)
    return Resource(
        id=resource.id,
        name=resource.name,
        units=defaults.units if resource.units is None else resource.units,
        rate=defaults.rate if resource.rate is None else resource.rate,
        calendar=resource.calendar,
        away=tuple(Away(away.start, away.end) for away in resource.away or ()),
    )


def _dependency(dependency: DependencySchema) -> Dependency:
    return Dependency(
        task=str(dependency.task),
        type=dependency.type or "FS",
        lag=dependency.lag,
        short=type(dependency.task) is ShortId,
    )


def _task(task: TaskSchema) -> Task:
    estimate = task.estimate
    return Task(
        id=task.id,
        name=task.name,
        kind=task.kind,
        duration=task.duration,
        estimate=Estimate(estimate.low, estimate.high, estimate.distribution) if estimate else None,
        deliverable=task.deliverable,
        outcomes=tuple(task.outcomes or ()),
        resources=tuple((task.resources or {}).items()),
        after=tuple(_dependency(dependency) for dependency in task.after or ()),
        not_before=task.not_before,
        pin=task.pin,
        deadline=task.deadline,
        cost=task.cost,
        expedite_cost_per_day=task.expedite_cost_per_day,
        calendar=task.calendar,
        notes=task.notes,
        actual_start=task.actual_start,
        actual_finish=task.actual_finish,
        percent_complete=task.percent_complete,
        actual_cost=task.actual_cost,
        tasks=tuple(_task(child) for child in task.tasks or ()),
    )


def _conversation(conversation: ConversationSchema) -> Conversation:
    return Conversation(
        date=conversation.date,
        with_=conversation.with_,
        notes=conversation.notes,
        outcomes=tuple(conversation.outcomes or ()),
        decisions=tuple(conversation.decisions or ()),
    )
