"""The portfolio use case: several plan files levelled together over shared people."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.schedule_json import finding_json, schedule_to_json
from ontrack.core.diagnostics import Diagnostic, PlanError
from ontrack.core.model import Plan
from ontrack.core.portfolio import Clash, Pool, Portfolio, PortfolioError, level_portfolio
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import load_plan
from ontrack.planfile.pool import load_pool, location_in


def level_plans(paths: Sequence[Path], pool_path: Path | None = None) -> Portfolio:
    """Raises PlanError with every problem of every file, or where the files clash."""
    plans: list[Plan] = []
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            plans.append(load_plan(path))
        except PlanError as e:
            problems += e.diagnostics
    pool: Pool | None = None
    if pool_path is not None:
        try:
            pool = load_pool(pool_path)
        except PlanError as e:
            problems += e.diagnostics
    if problems:
        raise PlanError(problems)
    try:
        return level_portfolio(plans, pool, ScheduleOptions(holidays=CountryHolidays()))
    except PortfolioError as e:
        raise PlanError([_located(c, paths, pool_path) for c in e.clashes]) from None


def _located(clash: Clash, paths: Sequence[Path], pool_path: Path | None) -> Diagnostic:
    other = pool_path if clash.other is None else paths[clash.other]
    assert other is not None  # only a pool makes a clash with the pool
    there = location_in(other, clash.other_path)
    return clash.diagnostic(str(there)).at(location_in(paths[clash.plan], clash.path))


def portfolio_to_json(result: Portfolio) -> dict[str, Any]:
    sched = result.schedule
    return {
        "portfolio": {
            "start": sched.start.isoformat(),
            "finish": sched.finish.isoformat(),
            "cost": sched.cost,
        },
        "projects": [
            {
                "rank": rank,
                "priority": p.plan.project.priority,
                "name": p.plan.project.name,
                "client": p.plan.project.client,
                "schedule": schedule_to_json(p.schedule),
                "delayed_by_other_clients": [
                    {"outcome": outcome, **w._asdict()}
                    for outcome, works in p.other_work.items()
                    for w in works
                ],
            }
            for rank, p in enumerate(result.projects, start=1)
        ],
        "resources": [
            {
                "id": load.resource,
                "units": load.units,
                "weeks": [
                    {
                        "week": w.week.isoformat(),
                        "booked_hours": w.booked_hours,
                        "available_hours": w.available_hours,
                    }
                    for w in load.weeks
                ],
            }
            for load in result.loads
        ],
        "findings": [finding_json(f) for f in result.findings],
    }
