"""Reports: the client report (in outcomes), the team briefing (the client's story) and the Gantt.

Each report builds a neutral model from the plan and its schedule (`build`, `build_gantt`),
then renders it (`html`, `markdown`, `gantt_svg`). Reports read no clock: the caller passes
the status date or today.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.reports import html, markdown
from ontrack.reports.build import NOT_TRACKED, build_client_report, build_team_briefing
from ontrack.reports.build_gantt import build_gantt
from ontrack.reports.build_tracking import Measured, Tracking
from ontrack.reports.gantt_svg import render_gantt
from ontrack.reports.timeline_svg import render_timeline

Format = Literal["html", "md"]

__all__ = ["Format", "Measured", "Tracking", "client_report", "gantt_svg", "team_briefing"]


def client_report(
    plan: Plan, schedule: Schedule, *, format: Format = "html", tracking: Tracking = NOT_TRACKED
) -> str:
    """What the client reads: outcomes, progress against the baseline, deliverables,
    milestones and the decisions that are theirs; nothing internal."""
    _check(format)
    report = build_client_report(plan, schedule, tracking)
    if format == "md":
        return markdown.render_client_report(report)
    return html.render_client_report(report)


def team_briefing(
    plan: Plan,
    schedule: Schedule,
    *,
    today: date,
    format: Format = "html",
    tracking: Tracking = NOT_TRACKED,
) -> str:
    """What the team reads: the client's story, the work that matters, the variances, the
    health check's failures, the top course corrections and who does what next."""
    _check(format)
    briefing = build_team_briefing(plan, schedule, today=today, tracking=tracking)
    if format == "md":
        return markdown.render_team_briefing(briefing)
    program = briefing.program
    timeline = (
        render_timeline(program.span, program.it_span, today) if program and program.span else None
    )
    return html.render_team_briefing(
        briefing, gantt=gantt_svg(plan, schedule, today=today), timeline=timeline
    )


def gantt_svg(plan: Plan, schedule: Schedule, *, today: date | None = None) -> str:
    """The Gantt chart as a standalone SVG document; the status line falls on `today`,
    or on the plan's status date when no day is given."""
    status_date = today or schedule.status_date or plan.project.status_date
    return render_gantt(build_gantt(plan, schedule, status_date=status_date))


def _check(format: str) -> None:
    if format not in ("html", "md"):
        raise ValueError(f"unknown report format {format!r}; use 'html' or 'md'")
