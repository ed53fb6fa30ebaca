"""The team briefing tells the client's story and who does what next."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ontrack.core.model import Driver, Plan
from ontrack.core.results import Schedule
from ontrack.reports import team_briefing
from ontrack.reports.build import build_team_briefing


def lookahead_work(plan: Plan, schedule: Schedule, today: date) -> dict[str, set[str]]:
    lookahead = build_team_briefing(plan, schedule, today=today).lookahead
    work = {p.name: {s.name for s in p.work} for p in lookahead.people}
    work["unassigned"] = {s.name for s in lookahead.unassigned}
    return work


def test_it_share_is_our_cost_over_the_program_budget(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    program = build_team_briefing(plan, schedule, today=today).program
    assert program is not None
    assert program.it_share == pytest.approx(schedule.cost / 14_000_000)
    html = team_briefing(plan, schedule, today=today)
    assert f"{schedule.cost / 14_000_000 * 100:.1f}%" in html


def test_it_share_is_left_out_without_a_program_budget(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    assert plan.program is not None
    no_budget = replace(plan, program=replace(plan.program, budget=None))
    program = build_team_briefing(no_budget, schedule, today=today).program
    assert program is not None and program.it_share is None
    assert "IT share" not in team_briefing(no_budget, schedule, today=today, format="md")


def test_next_two_weeks_lists_exactly_the_open_tasks_that_overlap_them(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    assert lookahead_work(plan, schedule, today) == {
        "Network engineer": {"Install and patch access points",
                             "Build 802.1X and guest isolation"},
        "Field technician": {"Pull cable on the plant floor", "Install and patch access points"},
        "Security specialist": {"Design network access control",
                                "Build 802.1X and guest isolation"},
        "unassigned": set(),
    }


def test_next_two_weeks_include_work_ending_today_and_starting_on_the_last_day(
    plan: Plan, schedule: Schedule
) -> None:
    # 15–28 Apr: design ends on the 15th, the heat-map starts the 26th, Wi-Fi live is the 28th;
    # scanner profiles (29 Apr) and the penetration test (30 Apr) are outside.
    work = lookahead_work(plan, schedule, date(2027, 4, 15))
    assert "Design network access control" in work["Security specialist"]
    assert "Heat-map survey and tuning" in work["Network engineer"]
    assert work["unassigned"] == {"Wi-Fi live"}
    assert "Configure scanner profiles" not in work["Network engineer"]
    assert "Security review and penetration test" not in work["Security specialist"]


def test_next_two_weeks_leave_out_finished_work(plan: Plan, schedule: Schedule) -> None:
    work = lookahead_work(plan, schedule, date(2027, 4, 5))
    assert "Pull cable in the offices" not in work["Field technician"]


def test_lookahead_span_is_fourteen_days_from_today(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    span = build_team_briefing(plan, schedule, today=today).lookahead.span
    assert (span.start, span.finish) == (today, date(2027, 4, 25))


def test_conversations_come_most_recent_first(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    conversations = build_team_briefing(plan, schedule, today=today).conversations
    dates = [c.date for c in conversations]
    assert dates == sorted(dates, reverse=True)


def test_outcomes_come_in_priority_order_with_the_work_that_sets_their_date(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    outcomes = build_team_briefing(plan, schedule, today=today).outcomes
    assert [o.priority for o in outcomes] == [1, 2, 3]
    last = outcomes[2].crucial_work
    assert [s.name for s in last] == [
        "Design network access control",
        "Build 802.1X and guest isolation",
        "Security review and penetration test",
    ]
    assert last[1].who == ("Network engineer", "Security specialist ×0.5")


@pytest.mark.parametrize(
    ("driver", "phrase"),
    [
        ("speed", "expedite the critical chain"),
        ("security", "review task before go-live"),
        ("cost", "no expediting"),
        (None, "Ask them"),
    ],
)
def test_briefing_says_what_the_clients_driver_means_for_our_work(
    plan: Plan, schedule: Schedule, today: date, driver: Driver | None, phrase: str
) -> None:
    plan = replace(plan, project=replace(plan.project, driver=driver))
    for format in ("html", "md"):
        assert phrase in team_briefing(plan, schedule, today=today, format=format)


def test_briefing_explains_each_finding_for_the_client(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    findings = build_team_briefing(plan, schedule, today=today).findings
    assert [f.severity for f in findings] == ["problem", "warning", "info"]
    md = team_briefing(plan, schedule, today=today, format="md")
    assert "The client will not have this when they need it." in md


def test_html_briefing_embeds_the_gantt_and_the_program_timeline(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    html = team_briefing(plan, schedule, today=today)
    assert html.count("<svg") == 2
    assert 'class="gt-task"' in html


def test_briefing_escapes_what_the_plan_says(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    html = team_briefing(plan, schedule, today=today)
    assert "<patch>" not in html
    assert "&lt;patch&gt;" in html
