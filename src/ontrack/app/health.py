"""`ontrack health`: the schedule's health checks, against a saved baseline when asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ontrack.app.schedule_json import iso
from ontrack.app.services import schedule_options
from ontrack.app.tracking import saved_baseline
from ontrack.core.baseline import Baseline
from ontrack.core.health import Health, assess
from ontrack.core.model import Plan
from ontrack.planfile import load_plan
from ontrack.planfile.baselines import baselines_file


def check_health(path: Path, baseline_name: str | None = None) -> Health:
    """The health checks of the plan, against the named baseline or else the latest saved
    one; with none saved, the checks that need a baseline are not assessed."""
    plan = load_plan(path)
    wanted = baseline_name is not None or baselines_file(path).exists()
    return health_of(plan, saved_baseline(path, plan, baseline_name) if wanted else None)


def health_of(plan: Plan, baseline: Baseline | None) -> Health:
    return assess(plan, schedule_options(), baseline)


def health_to_json(health: Health) -> dict[str, Any]:
    return {
        "project": health.project_id,
        "status_date": iso(health.status_date),
        "baseline": health.baseline,
        "summary": {s: health.count(s) for s in ("pass", "fail", "not_assessed")},
        "checks": [
            {
                "number": c.rule.number,
                "code": c.rule.code,
                "name": c.rule.name,
                "status": c.status,
                "value": c.value,
                "unit": c.rule.unit,
                "threshold": c.rule.threshold,
                "at_least": c.rule.at_least,
                "count": c.count,
                "total": c.total,
                "offenders": [{"id": o.id, "detail": o.detail} for o in c.offenders],
                "note": c.note or None,
            }
            for c in health.checks
        ],
    }
