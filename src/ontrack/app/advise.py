"""`ontrack advise`: course corrections for the outcomes at stake, each scheduled again to
show its effect (core/advise.py), and their JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.schedule_json import iso, outcome_json
from ontrack.core.advise import Action, Advice, advise
from ontrack.core.level_search import Effort
from ontrack.core.model import Plan
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import load_plan

WHAT_IF_ORDERS = 100
"""Orders levelling's search decodes per schedule, the baseline's and every what-if's alike
(its usual effort decodes up to 5000: on the examples, about 40 ms a schedule instead of
about 300; docs/scheduling.md, "Course corrections")."""


def advise_plan(path: Path) -> Advice:
    return advise_on(load_plan(path))


def advise_on(plan: Plan) -> Advice:
    options = ScheduleOptions(holidays=CountryHolidays(), effort=Effort(schedules=WHAT_IF_ORDERS))
    return advise(plan, options)


def advice_to_json(advice: Advice) -> dict[str, Any]:
    sched = advice.schedule
    return {
        "project": {
            "id": sched.project_id,
            "driver": advice.driver,
            "finish": iso(sched.finish),
            "cost": sched.cost,
        },
        "what_ifs": {
            "schedules": advice.reschedules,
            "max_schedules": advice.max_reschedules,
            "unevaluated": advice.unevaluated,
            "levelling_orders": WHAT_IF_ORDERS,
        },
        "outcomes": [
            outcome_json(a.outcome)
            | {"reasons": list(a.reasons), "actions": [action_json(x) for x in a.actions]}
            for a in advice.outcomes
        ],
    }


def action_json(a: Action) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "description": a.description,
        "days_gained": a.days_gained,
        "cost_change": a.cost_change,
        "cost_per_day": a.cost_per_day,
        "cost_basis": a.cost_basis,
        "closes_risk": a.closes_risk,
        "changes": [
            {"target": c.target, "id": c.id, "field": c.field, "from": c.before, "to": c.after}
            for c in a.changes
        ],
        "effects": [
            {
                "outcome": e.outcome,
                "priority": e.priority,
                "forecast_before": iso(e.before),
                "forecast_after": iso(e.after),
                "days_earlier": e.days_earlier,
            }
            for e in a.effects
        ],
        "makes_later": [e.outcome for e in a.makes_later],
        "more_important_later": list(a.more_important_later),
    }
