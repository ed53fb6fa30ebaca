"""The schedule as the JSON of the plan-format spec (fixed keys first, additions after)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ontrack.core.explain import Delay, Holder
from ontrack.core.results import Finding, Levelling, OutcomeResult, Schedule, TaskResult


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def schedule_to_json(sched: Schedule) -> dict[str, Any]:
    return {
        "project": {
            "id": sched.project_id,
            "start": iso(sched.start),
            "finish": iso(sched.finish),
            "cost": sched.cost,
            "levelled": sched.levelled,
            "status_date": iso(sched.status_date),
        },
        "tasks": [task_json(t, sched.delay(t.id)) for t in sched.tasks],
        "outcomes": [outcome_json(o) for o in sched.outcomes],
        "findings": [finding_json(f) for f in sched.findings],
        "overallocations": [
            {
                "resource": o.resource,
                "start": iso(o.start),
                "finish": iso(o.finish),
                "demand": o.demand,
                "units": o.units,
                "tasks": list(o.tasks),
            }
            for o in sched.overallocations
        ],
        "levelling": levelling_json(sched.levelling),
    }


def levelling_json(lv: Levelling | None) -> dict[str, Any] | None:
    """How the levelled schedule was found; null when levelling was off or not needed."""
    if lv is None:
        return None
    return {
        "method": lv.method,
        "schedules": lv.schedules,
        "optimal": lv.optimal,
        "lower_bound_days": lv.lower_bound_days,
        "gap": lv.gap,
    }


def task_json(t: TaskResult, delay: Delay | None) -> dict[str, Any]:
    return {
        "id": t.id,
        "start": iso(t.start),
        "finish": iso(t.finish),
        "total_float_days": t.total_float_days,
        "critical": t.critical,
        "cost": t.cost,
        "outcomes": list(t.outcomes),
        "name": t.name,
        "kind": t.kind,
        "parent": t.parent,
        "summary": t.is_summary,
        "deliverable": t.deliverable,
        "priority": t.priority,
        "late_start": iso(t.late_start),
        "late_finish": iso(t.late_finish),
        "duration_days": t.duration_days,
        "levelling_delay_days": t.levelling_delay_days,
        "percent_complete": t.percent_complete,
        "deadline": iso(t.deadline),
        "resources": [{"id": a.resource, "units": a.units, "cost": a.cost} for a in t.assignments],
        "levelling_delay": delay_json(delay),
    }


def delay_json(delay: Delay | None) -> dict[str, Any] | None:
    """Why levelling delayed the task; null when it did not."""
    if delay is None:
        return None
    return {
        "days": delay.days,
        "resource": delay.resource,
        "held_by": holders_json(delay.held_by),
        "explanation": delay.sentence(),
        "earlier": [
            {"days": o.days, "resource": o.resource, "held_by": holders_json(o.held_by)}
            for o in delay.earlier
        ],
    }


def holders_json(holders: tuple[Holder, ...]) -> list[dict[str, Any]]:
    return [
        {
            "task": h.task,
            "outcomes": [
                {"id": o.id, "statement": o.statement, "priority": o.priority} for o in h.outcomes
            ],
            "priority": h.priority,
            "fixed": h.fixed,
        }
        for h in holders
    ]


def outcome_json(o: OutcomeResult) -> dict[str, Any]:
    return {
        "id": o.id,
        "target": iso(o.target),
        "forecast": iso(o.forecast),
        "slack_days": o.slack_days,
        "status": o.status,
        "driving_tasks": list(o.driving_tasks),
        "statement": o.statement,
        "priority": o.priority,
        "tasks": list(o.tasks),
        "external_drivers": list(o.external_drivers),
        "verification": verification_json(o),
        "baseline_forecast": iso(o.baseline_forecast),
        "slipping": o.slipping,
    }


def verification_json(o: OutcomeResult) -> dict[str, Any] | None:
    """Null while the outcome's work goes on and nobody has verified it."""
    v = o.verified
    if v is None and o.work_finished is None:
        return None
    return {
        "state": "awaiting" if v is None else "verified",
        "work_finished": iso(o.work_finished),
        "by": v.by if v else None,
        "date": iso(v.date if v else None),
        "evidence": v.evidence if v else None,
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "subject": f.subject,
        "message": f.message,
        "impact": f.impact,
        "action": f.action,
        "severity": f.severity,
    }
