"""Render the report models to self-contained, printable HTML (Jinja2, autoescaped)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ontrack.reports import facts, wording
from ontrack.reports.model import ClientReport, TeamBriefing


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ontrack.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=wording.fmt_date,
        span=facts.span_text,
        status=wording.status_words,
        slug=wording.status_slug,
        driver=wording.driver_name,
        severity=wording.severity_words,
        date_or_dash=wording.date_or_dash,
        slip=wording.slip_words,
        share_done=wording.share_done,
        index=wording.index_text,
    )
    env.globals.update(
        attention_note=wording.attention_note,
        changes_since=wording.changes_since,
        client_confidence=wording.client_confidence,
        confidence_note=wording.confidence_note,
        driver_words=wording.driver_words,
        team_confidence=wording.team_confidence,
        gained_text=wording.gained_text,
        money=wording.money,
        moved=wording.moved,
        briefing_facts=facts.briefing_facts,
        client_facts=facts.client_facts,
        client_labels=wording.CLIENT_LABELS,
        team_labels=wording.TEAM_LABELS,
        program_facts=facts.program_facts,
        driver_meaning=wording.driver_meaning,
        forecast_sentence=wording.forecast_sentence,
        overall_forecast=wording.overall_forecast,
        program_story=wording.program_story,
        status_summary=wording.status_summary,
        verified_note=wording.verified_note,
        who_text=wording.who_text,
    )
    return env


# Templates are fixed package data, so one environment serves every call.
_ENV = _environment()


def render_client_report(report: ClientReport) -> str:
    return _ENV.get_template("client_report.html.j2").render(report=report)


def render_team_briefing(briefing: TeamBriefing, *, gantt: str, timeline: str | None) -> str:
    """`gantt` and `timeline` are SVG documents we wrote and escaped ourselves."""
    return _ENV.get_template("team_briefing.html.j2").render(
        briefing=briefing,
        gantt=Markup(gantt),
        timeline=Markup(timeline) if timeline else None,
    )
