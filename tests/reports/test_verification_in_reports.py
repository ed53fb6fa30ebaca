"""The reports say which outcomes await verification, and who verified the others."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ontrack.core.model import Plan, Verification
from ontrack.core.results import Schedule
from ontrack.reports import client_report, gantt_svg, team_briefing

VERIFIED = Verification("Plant manager", date(2027, 4, 9), "Badge test on every door.")


@pytest.fixture
def checked(schedule: Schedule) -> Schedule:
    """Wi-Fi's work finished on 28 Apr, not verified; the secure network verified."""
    wifi, secure, *rest = schedule.outcomes
    return replace(schedule, outcomes=(
        replace(wifi, work_finished=wifi.forecast),
        replace(secure, status="done", verified=VERIFIED),
        *rest,
    ))


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_reports_say_awaiting_verification_and_who_verified(
    plan: Plan, checked: Schedule, today: date, fmt: str
) -> None:
    for report in (client_report(plan, checked, format=fmt),
                   team_briefing(plan, checked, today=today, format=fmt)):
        assert "Finished 28 Apr 2027, 7 working days before the 7 May target; awaiting " \
            "verification." in report
        assert "Verified by Plant manager on 9 Apr 2027: Badge test on every door." in report


def test_the_gantt_says_awaiting_verification(plan: Plan, checked: Schedule) -> None:
    assert "; awaiting verification" in gantt_svg(plan, checked)
