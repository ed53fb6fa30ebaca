"""The rendered reports, byte for byte. Run with UPDATE_GOLDEN=1 to rewrite them after a
change you have looked at (open the HTML and SVG in a browser before committing)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ontrack.core.confidence import Confidence
from ontrack.core.model import Outcome, Plan, ProjectInfo, Task
from ontrack.core.results import OutcomeResult, Schedule, TaskResult
from ontrack.reports import Tracking, client_report, gantt_svg, team_briefing

GOLDEN = Path(__file__).parent / "golden"

GOLDEN = Path(__file__).parent / "golden"
Render = Callable[[Plan, Schedule, date, Tracking], str]
RENDERERS: dict[str, Render] = {
    "client_report.html": lambda p, s, t, k: client_report(p, s, format="html", tracking=k),
    "client_report.md": lambda p, s, t, k: client_report(p, s, format="md", tracking=k),
    "team_briefing.html": lambda p, s, t, k: team_briefing(
        p, s, today=t, format="html", tracking=k
    ),
    "team_briefing.md": lambda p, s, t, k: team_briefing(p, s, today=t, format="md", tracking=k),
    "gantt.svg": lambda p, s, t, k: gantt_svg(p, s, today=t),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_rendered_report_matches_its_golden_file(
    name: str, plan: Plan, schedule: Schedule, today: date, confidence: Confidence
) -> None:
    """The reports as `ontrack report` writes them: with the outcomes' confidence."""
    actual = RENDERERS[name](plan, schedule, today, Tracking(confidence=confidence))
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
