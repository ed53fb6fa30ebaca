"""An outcome is done when verified: the same rule alone and in a portfolio."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ontrack.core.model import Resource
from ontrack.core.portfolio import level_portfolio
from ontrack.core.schedule import schedule
from ontrack.planfile import load_plan

CORRECT = Path(__file__).parents[1] / "planfiles" / "correct"


def test_a_portfolio_judges_verification_as_the_plan_alone_does() -> None:
    plan = load_plan(CORRECT / "outcome-done-only-when-verified.yaml")
    plan = replace(plan, resources=(Resource("tech"),))  # a portfolio shares people
    alone = {o.id: o.status for o in schedule(plan).outcomes}
    together = {o.id: o.status for o in level_portfolio([plan]).projects[0].schedule.outcomes}
    assert together == alone
    assert alone == {
        "checked": "done", "awaiting": "on_track", "due-soon": "at_risk", "overdue": "late",
        "early": "done", "open": "on_track",
    }
