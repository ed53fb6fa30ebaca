"""The client report speaks in outcomes and never shows what is internal."""

from __future__ import annotations

import re

import pytest

from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.reports import client_report
from ontrack.reports.build import build_client_report

FORMATS = ["html", "md"]


@pytest.fixture(params=FORMATS)
def report(request: pytest.FixtureRequest, plan: Plan, schedule: Schedule) -> str:
    return client_report(plan, schedule, format=request.param)


def test_client_report_shows_no_task_id(report: str, schedule: Schedule) -> None:
    shown = [t.id for t in schedule.tasks if t.id in report]
    assert shown == []


def test_client_report_shows_no_resource_rate(report: str, rates: dict[str, float]) -> None:
    for rate in rates.values():
        assert not re.search(rf"(?<![\d.,]){rate:g}(?![\d])", report)


def test_client_report_shows_no_internal_note(report: str, internal_notes: tuple[str, ...]) -> None:
    for note in internal_notes:
        assert note not in report


def test_client_report_shows_no_cost_or_currency(report: str, schedule: Schedule) -> None:
    costs = [schedule.cost, *(t.cost for t in schedule.tasks if t.cost)]
    for cost in costs:
        assert f"{cost:,.0f}" not in report
        assert f"{cost:.0f}" not in report
    assert "USD" not in report
    assert "$" not in report


def test_client_report_shows_no_finding_wording(report: str, schedule: Schedule) -> None:
    for finding in schedule.findings:
        for wording in (finding.message, finding.impact, finding.action):
            assert wording not in report


def test_client_report_lists_outcomes_in_priority_order(report: str) -> None:
    outcomes = report[report.index("Outcomes, most important first"):]
    first = outcomes.index("Wi-Fi is up in the offices")
    second = outcomes.index("Handheld scanners work on packaging line 1")
    third = outcomes.index("Only staff devices can reach the plant network")
    assert first < second < third


def test_client_report_says_how_far_each_forecast_is_from_its_target(report: str) -> None:
    assert "Forecast 28 Apr 2027, 7 working days before the 7 May target" in report
    assert "Forecast 7 May 2027, 1 working day before the 10 May target" in report
    assert "Forecast 6 May 2027, 2 working days after the 4 May target" in report


def test_client_report_names_what_we_need_from_other_vendors(report: str) -> None:
    assert "Offices handed over by BuildCo by 5 Apr 2027" in report
    assert "Access to the plant floor outside production hours" in report


def test_client_report_tells_the_client_what_they_will_see(report: str) -> None:
    assert "A pilot shift scans every pallet without a dropped connection" in report


def test_deliverable_forecast_is_the_latest_finish_of_its_tasks(
    plan: Plan, schedule: Schedule
) -> None:
    forecasts = {d.name: d.forecast for d in build_client_report(plan, schedule).deliverables}
    wlan = max(t.finish for t in schedule.tasks if t.deliverable == "wlan")
    assert forecasts["Wireless network"] == wlan


def test_key_milestones_include_ours_and_other_vendors_in_date_order(
    plan: Plan, schedule: Schedule
) -> None:
    milestones = build_client_report(plan, schedule).milestones
    assert [(m.name, m.owner) for m in milestones] == [
        ("Offices handed over by BuildCo", "BuildCo"),
        ("Wi-Fi live", None),
        ("Packaging line 1 commissioned by PackTech", "PackTech"),
    ]


def test_client_report_leads_with_what_needs_attention(plan: Plan, schedule: Schedule) -> None:
    attention = build_client_report(plan, schedule).attention
    assert [o.status for o in attention] == ["late", "at_risk"]


def test_an_unknown_format_is_refused(plan: Plan, schedule: Schedule) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        client_report(plan, schedule, format="pdf")  # type: ignore[arg-type]
