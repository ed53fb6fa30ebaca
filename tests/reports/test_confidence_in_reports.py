"""The reports show each outcome's confidence when the app simulated the plan: the client
reads "80% confident by" a date and the chance of meeting the target; the team also reads
P50/P90 and the top risk drivers. Without a simulation, the reports say nothing of it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from ontrack.core.confidence import Confidence
from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.reports import Tracking, client_report, team_briefing

FORMATS = ("html", "md")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_report_says_how_confident_each_outcome_is(
    plan: Plan, schedule: Schedule, confidence: Confidence, fmt: str
) -> None:
    text = client_report(plan, schedule, format=fmt, tracking=Tracking(confidence=confidence))  # type: ignore[arg-type]
    assert len(re.findall(r"80% confident by \d", text)) == 3
    assert "80% confident by 12 May 2027; a 62% chance of meeting the target" in text
    assert "2,000 simulated futures" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_report_names_no_driver_task_or_risk(
    plan: Plan, schedule: Schedule, confidence: Confidence, fmt: str
) -> None:
    text = client_report(plan, schedule, format=fmt, tracking=Tracking(confidence=confidence))  # type: ignore[arg-type]
    assert "risk drivers" not in text
    assert "runs long" not in text and "P50" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_team_briefing_adds_chance_p80_and_the_top_risk_drivers(
    plan: Plan, schedule: Schedule, today: date, confidence: Confidence, fmt: str
) -> None:
    text = team_briefing(
        plan,
        schedule,
        today=today,
        format=fmt,
        tracking=Tracking(confidence=confidence),  # type: ignore[arg-type]
    )
    assert "P50 7 May, P80 12 May, P90 14 May 2027; a 62% chance" in text
    assert "The top risk drivers" in text
    assert re.search(r"Offices handed over by BuildCo \(another party(&#39;|')s date\)", text)
    assert "Pull cable on the plant floor (task): 2.6 working days later" in text


def test_a_driver_that_makes_the_date_earlier_is_not_a_risk_driver(
    plan: Plan, schedule: Schedule, today: date, confidence: Confidence
) -> None:
    text = team_briefing(
        plan, schedule, today=today, format="md", tracking=Tracking(confidence=confidence)
    )
    assert "RF site survey (task)" not in text  # its swing is negative


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_simulation_the_reports_say_nothing_of_confidence(
    plan: Plan, schedule: Schedule, today: date, fmt: str
) -> None:
    client = client_report(plan, schedule, format=fmt)  # type: ignore[arg-type]
    team = team_briefing(plan, schedule, today=today, format=fmt)  # type: ignore[arg-type]
    for text in (client, team):
        assert "confident" not in text.lower() and "simulated futures" not in text


def test_a_done_outcome_shows_no_confidence(
    plan: Plan, schedule: Schedule, confidence: Confidence
) -> None:
    done = replace(confidence, outcomes=tuple(
        replace(o, status="done") if o.id == "wifi" else o for o in confidence.outcomes
    ))  # fmt: skip
    text = client_report(plan, schedule, format="md", tracking=Tracking(confidence=done))
    assert len(re.findall(r"80% confident by \d", text)) == 2
