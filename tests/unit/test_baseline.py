"""Baselines: planned value spread by working time, comparisons that name the cause of a
slip, and each outcome's forecast trend."""

from __future__ import annotations

from datetime import date

from ontrack.core.baseline import (
    Baseline,
    BaselineOutcome,
    BaselineTask,
    Cause,
    compare,
    take_baseline,
    trend,
)
from ontrack.core.schedule import timed_schedule
from ontrack.planfile import parse_plan

# Thursday 2027-03-04 is closed; design runs Mon 1 to Mon 8, build after the handover.
PLAN = """\
ontrack: 1
project: {id: t, name: T, start: 2027-03-01, calendar: std}
program:
  name: P
  milestones:
    - {id: handover, name: Rooms handed over, date: 2027-03-03}
calendars:
  std: {closed: [2027-03-04]}
resources:
  - {id: eng, rate: 100}
outcomes:
  - {id: up, statement: It is up, target: 2027-03-31}
deliverables:
  - {id: net, name: Network, outcomes: [up]}
tasks:
  - id: work
    name: The work
    deliverable: net
    cost: 100
    tasks:
      - {id: design, name: Design, duration: 5d, cost: 500, resources: {eng: 1}}
      - {id: build, name: Build, duration: 3d, resources: {eng: 1}, after: [design, handover]}
  - {id: live, name: Live, kind: milestone, deliverable: net, cost: 50, after: [build]}
"""


def baseline(text: str = PLAN, name: str = "b") -> Baseline:
    plan = parse_plan(text)
    sched, timing = timed_schedule(plan)
    return take_baseline(name, plan, sched, timing, date(2027, 2, 26))


def task(b: Baseline, task_id: str) -> BaselineTask:
    return next(t for t in b.tasks if t.id == task_id)


def test_planned_value_spreads_a_tasks_cost_over_its_working_days_only() -> None:
    design = task(baseline(), "design")
    assert design.cost == 4500  # 500 fixed + 5 days x 8 h x 100
    assert design.work_hours == 40
    # 900 a working day; the closed Thursday and the weekend get nothing.
    assert design.planned_value == (
        (date(2027, 3, 1), 900.0),
        (date(2027, 3, 2), 1800.0),
        (date(2027, 3, 3), 2700.0),
        (date(2027, 3, 5), 3600.0),
        (date(2027, 3, 8), 4500.0),
    )


def test_planned_value_ends_at_every_tasks_cost_within_its_dates() -> None:
    b = baseline()
    for t in b.tasks:
        assert t.planned_value[-1][1] == t.cost
        assert t.start <= t.planned_value[0][0] and t.planned_value[-1][0] <= t.finish
        values = [v for _, v in t.planned_value]
        assert values == sorted(values)
    assert sum(t.cost for t in b.tasks if t.parent is None) == b.cost


def test_a_summary_adds_its_childrens_planned_value_and_spreads_its_own_cost_like_it() -> None:
    work = task(baseline(), "work")
    assert work.cost == 4500 + 2400 + 100
    assert work.work_hours == 64
    # Its own 100 over the 8 working days of its children: 12.5 a day.
    assert work.planned_value[0] == (date(2027, 3, 1), 912.5)
    assert work.planned_value[-1] == (date(2027, 3, 11), 7000.0)
    assert len(work.planned_value) == 8


def test_a_milestones_cost_falls_on_its_date() -> None:
    assert task(baseline(), "live").planned_value == ((date(2027, 3, 11), 50.0),)


def test_work_started_spreads_from_its_actual_start() -> None:
    started = PLAN.replace(
        "project: {id: t, name: T, start: 2027-03-01, calendar: std}",
        "project: {id: t, name: T, start: 2027-03-01, calendar: std, status_date: 2027-03-03}",
    ).replace("duration: 5d, cost: 500,", "duration: 5d, cost: 500, actual_start: 2027-03-01,")
    design = task(baseline(started), "design")
    assert design.planned_value[0][0] == date(2027, 3, 1)
    assert design.planned_value[-1] == (design.finish, design.cost)


def test_a_baseline_keeps_outcomes_deliverables_and_program_milestones() -> None:
    b = baseline()
    (up,) = b.outcomes
    assert (up.forecast, up.target) == (date(2027, 3, 11), date(2027, 3, 31))
    assert up.driving_tasks == ("design", "build", "live")
    assert up.external_drivers == ()  # the handover is earlier than design's finish
    assert [(d.id, d.finish) for d in b.deliverables] == [("net", date(2027, 3, 11))]
    assert b.program_milestones == (("handover", date(2027, 3, 3)),)


def test_a_baseline_compared_with_itself_shows_no_change() -> None:
    b = baseline()
    c = compare(b, b)
    assert all(t.change == "same" for t in c.tasks)
    assert [(o.forecast.days, o.causes) for o in c.outcomes] == [(0, ())]
    assert c.cost.variance == 0


def test_a_task_that_grew_is_named_as_the_cause_of_the_slip() -> None:
    was = baseline()
    now = baseline(PLAN.replace("duration: 3d", "duration: 5d"), "now")
    c = compare(was, now)
    (up,) = c.outcomes
    assert up.forecast.days == 4  # Thursday 11th to Monday 15th
    assert up.slipped
    assert up.causes == (Cause("task", "build", "longer", 4, 2.0),)
    assert up.cost.variance == 1600
    build = next(t for t in c.tasks if t.id == "build")
    assert (build.change, build.start.days, build.finish.days) == ("changed", 0, 4)
    assert next(d for d in c.deliverables if d.id == "net").finish.days == 4


def test_task_cost_variances_add_up_to_the_projects() -> None:
    was = baseline()
    now = baseline(PLAN.replace("duration: 3d", "duration: 5d").replace("cost: 50,", "cost: 80,"))
    c = compare(was, now)
    assert sum(t.cost.variance for t in c.tasks if t.id != "work") == c.cost.variance == 1630


def test_a_program_milestone_that_moved_is_named_and_the_work_it_pushed_is_not() -> None:
    was = baseline()
    now = baseline(PLAN.replace("date: 2027-03-03", "date: 2027-03-10"))
    (up,) = compare(was, now).outcomes
    assert up.forecast.days == 4
    assert up.causes == (Cause("milestone", "handover", "later", 7),)


def test_work_that_started_later_on_its_own_is_where_the_slip_enters() -> None:
    was = baseline()
    now = baseline(PLAN.replace("after: [design, handover]", "not_before: 2027-03-15"))
    (up,) = compare(was, now).outcomes
    assert up.causes == (Cause("task", "build", "later", 6),)


def test_added_and_removed_tasks_count_their_whole_cost_and_added_work_is_a_cause() -> None:
    was = baseline()
    text = PLAN.replace(
        "  - {id: live, name: Live, kind: milestone, deliverable: net, cost: 50, after: [build]}",
        "  - {id: check, name: Check, deliverable: net, duration: 1d, cost: 30, after: [build]}\n"
        "  - {id: golive, name: Live, kind: milestone, deliverable: net, after: [check]}",
    )
    c = compare(was, baseline(text))
    changes = {t.id: (t.change, t.cost.variance) for t in c.tasks}
    assert changes["check"] == ("added", 30)
    assert changes["live"] == ("removed", -50)
    assert [t.id for t in c.tasks][-1] == "live"  # removed ones come last
    (up,) = c.outcomes
    assert up.forecast.days == 1
    assert up.causes[0] == Cause("task", "check", "added", None)


def outcome_at(name: str, forecast: date | None) -> Baseline:
    up = BaselineOutcome("up", date(2027, 3, 31), forecast)
    return Baseline(name, date(2027, 3, 1), date(2027, 3, 1), date(2027, 3, 31), 0, (), (up,), ())


def test_the_trend_gives_the_slip_at_each_baseline_and_flags_a_late_move() -> None:
    (up,) = trend(
        [
            outcome_at("b1", date(2027, 3, 10)),
            outcome_at("b2", date(2027, 3, 8)),
            outcome_at("now", date(2027, 3, 15)),
        ]
    )
    assert [(p.baseline, p.slip_days) for p in up.points] == [("b1", None), ("b2", -2), ("now", 7)]
    assert up.slip_days == 5
    assert up.slipping


def test_an_outcome_that_came_back_earlier_is_not_slipping() -> None:
    (up,) = trend([outcome_at("b1", date(2027, 3, 8)), outcome_at("now", date(2027, 3, 5))])
    assert not up.slipping
    assert up.slip_days == -3


def test_an_outcome_new_since_a_baseline_has_no_forecast_there() -> None:
    old = Baseline("b1", date(2027, 3, 1), date(2027, 3, 1), date(2027, 3, 31), 0, (), (), ())
    (up,) = trend([old, outcome_at("now", date(2027, 3, 5))])
    assert [p.forecast for p in up.points] == [None, date(2027, 3, 5)]
    assert not up.slipping and up.slip_days is None
