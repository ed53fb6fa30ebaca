"""`ontrack evm`: earned value and earned schedule of a plan against a saved baseline."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.tracking import saved_baseline
from ontrack.core.baseline import Baseline
from ontrack.core.evm import EarnedValue, Measures, Row, earned_value
from ontrack.core.model import Plan
from ontrack.planfile import load_plan

MEASURE_KEYS = tuple(f.name for f in fields(Measures) if f.name != "bac")
"""The keys of every measured object of the JSON (fixed by issue 4); BAC is the project's."""
_MONEY_KEYS = {"pv", "ev", "ac", "sv", "cv", "eac_cpi", "eac_cpi_spi", "eac_plan", "etc", "vac"}


@dataclass(frozen=True)
class Tracked:
    plan: Plan
    earned: EarnedValue


def track(path: Path, baseline_name: str | None, today: date) -> Tracked:
    """Earned value at the plan's status date (or `today` without one) against the named
    baseline, or the last one saved."""
    plan = load_plan(path)
    return Tracked(plan, measure(plan, saved_baseline(path, plan, baseline_name), today))


def measure(plan: Plan, baseline: Baseline, today: date) -> EarnedValue:
    """Earned value at the plan's status date, or `today` without one."""
    return earned_value(plan, baseline, plan.project.status_date or today, CountryHolidays())


def evm_to_json(tracked: Tracked) -> dict[str, Any]:
    ev = tracked.earned
    return {
        "baseline": ev.baseline,
        "status_date": ev.status_date.isoformat(),
        "at_days": ev.at_days,
        "pd_days": ev.pd_days,
        "bac": round(ev.project.bac, 2),
        "ac_assumed": list(ev.ac_assumed),
        "project": {"id": tracked.plan.project.id, **_measures(ev.project)},
        "tasks": [_row(r, "name") for r in ev.tasks],
        "deliverables": [_row(r, "name") for r in ev.deliverables],
        "outcomes": [_row(r, "statement") for r in ev.outcomes],
    }


def _row(row: Row, name_key: str) -> dict[str, Any]:
    return {"id": row.id, name_key: row.name, **_measures(row.measures)}


def _measures(m: Measures) -> dict[str, float | None]:
    """Money to the cent; indices and days to 4 places, as float is in the schedule."""
    out: dict[str, float | None] = {}
    for key in MEASURE_KEYS:
        value: float | None = getattr(m, key)
        places = 2 if key in _MONEY_KEYS else 4
        out[key] = None if value is None else round(value, places) + 0.0  # + 0.0: no -0.0
    return out


def scurve_svg(tracked: Tracked) -> str:
    from ontrack.reports.scurve_svg import render_scurve  # only when a chart is asked for

    return render_scurve(tracked.plan.project.name, tracked.earned)
