"""The rendered reports, byte for byte. Run with UPDATE_GOLDEN=1 to rewrite them after a
change you have looked at (open the HTML and SVG in a browser before committing)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ontrack.core.model import Outcome, Plan, ProjectInfo, Task
from ontrack.core.results import OutcomeResult, Schedule, TaskResult
from ontrack.reports import client_report, gantt_svg, team_briefing

GOLDEN = Path(__file__).parent / "golden"

Render = Callable[[Plan, Schedule, date], str]
RENDERERS: dict[str, Render] = {
    "client_report.html": lambda p, s, t: client_report(p, s, format="html"),
    "client_report.md": lambda p, s, t: client_report(p, s, format="md"),
    "team_briefing.html": lambda p, s, t: team_briefing(p, s, today=t, format="html"),
    "team_briefing.md": lambda p, s, t: team_briefing(p, s, today=t, format="md"),
    "gantt.svg": lambda p, s, t: gantt_svg(p, s, today=t),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_rendered_report_matches_its_golden_file(
    name: str, plan: Plan, schedule: Schedule, today: date
) -> None:
    actual = RENDERERS[name](plan, schedule, today)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run the tests with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def test_a_bare_plan_renders_every_report(today: date) -> None:
    """No program, client, resources, deliverables or conversations; one unserved outcome."""
    plan = Plan(
        project=ProjectInfo("bare", "Bare", today),
        outcomes=(Outcome("o", "Something true"),),
        tasks=(Task("t", "Only task"),),
    )
    task = TaskResult("t", "Only task", today, today, today, today, today, today, 0.0, True,
                      0.0, (), None, None, "task", None, False, 1.0)
    schedule = Schedule("bare", today, today, 0.0, False, None, (task,),
                        (OutcomeResult("o", "Something true", None, None, None, None, None,
                                       (), ()),))
    for format in ("html", "md"):
        assert "Something true" in client_report(plan, schedule, format=format)
        assert "Only task" in team_briefing(plan, schedule, today=today, format=format)
    assert 'data-task="t"' in gantt_svg(plan, schedule)
