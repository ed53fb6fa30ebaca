"""Every plan in tests/planfiles/health fails exactly the health checks it states.

Each file is a plan, then `---` and a second YAML document: `baseline` (task id -> the
finish the baseline gave it; optional) and `expect.fail` (check code -> the offending ids).
Every other check must not fail. `clean.yaml`, which the others each break once, passes
every check, all of them assessed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ontrack.app.holiday_source import CountryHolidays
from ontrack.core.baseline import Baseline, BaselineTask
from ontrack.core.health import Health, assess
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import parse_plan

HEALTH = Path(__file__).parent / "planfiles" / "health"
PLANS = sorted(HEALTH.glob("*.yaml"))


def baseline_of(finishes: dict[str, date], start: date) -> Baseline:
    """A baseline that states only what the checks read: each task's finish."""
    tasks = tuple(BaselineTask(i, start, end, 0.0, 0.0, ()) for i, end in finishes.items())
    return Baseline("agreed", start, start, max(finishes.values()), 0.0, tasks, (), ())


def spec_of(path: Path) -> dict[str, Any]:
    _, spec = YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8"))
    return dict(spec)


def assessed(path: Path) -> tuple[Health, dict[str, Any]]:
    spec = spec_of(path)
    plan = parse_plan(path.read_text(encoding="utf-8"), str(path))
    finishes = spec.get("baseline")
    baseline = baseline_of(finishes, plan.project.start) if finishes else None
    return assess(plan, ScheduleOptions(holidays=CountryHolidays()), baseline), spec["expect"]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_fails_exactly_the_checks_it_states_with_their_offenders(path: Path) -> None:
    health, expect = assessed(path)
    failed = {c.rule.code: [o.id for o in c.offenders] for c in health.checks if c.status == "fail"}
    assert failed == expect["fail"]


def test_the_clean_plan_passes_every_check_and_assesses_them_all() -> None:
    health, _ = assessed(HEALTH / "clean.yaml")
    assert {c.rule.code: c.status for c in health.checks if c.status != "pass"} == {}
    assert len(health.checks) == 17


def test_every_check_has_a_plan_that_fails_it_except_those_a_valid_plan_cannot_fail() -> None:
    # Invalid dates need actual dates after the status date, which the plan file rejects,
    # or forecasts before it, which the scheduler never makes: see tests/unit/test_health.py.
    failing = {code for path in PLANS for code in spec_of(path)["expect"]["fail"]}
    codes = {c.rule.code for c in assessed(HEALTH / "clean.yaml")[0].checks}
    assert codes - failing == {"invalid-dates"}
