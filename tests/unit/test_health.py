"""The health checks' counting rules, on the shapes tests/planfiles/health does not reach.

(Those plan files each fail one check; here: what a valid plan file cannot say, and what
counts and what does not.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ontrack.core.baseline import Baseline, BaselineTask
from ontrack.core.health import Check, Health, assess, assess_schedule
from ontrack.core.model import Plan
from ontrack.core.schedule import ScheduleOptions, timed_schedule
from ontrack.planfile import parse_plan

OPTIONS = ScheduleOptions()
PROJECT = "project: {id: p, name: P, start: 2027-03-01, status_date: 2027-03-08}\n"


def plan_of(tasks: str, project: str = PROJECT, more: str = "") -> Plan:
    return parse_plan(f"ontrack: 1\n{project}{more}tasks:\n{tasks}", "plan.yaml")


def check(health: Health, code: str) -> Check:
    return next(c for c in health.checks if c.rule.code == code)


def offenders(health: Health, code: str) -> list[str]:
    return [o.id for o in check(health, code).offenders]


def with_task(plan: Plan, task_id: str, **fields: Any) -> Plan:
    """The plan with one top-level task changed, past the validation a file goes through."""
    tasks = tuple(replace(t, **fields) if t.id == task_id else t for t in plan.tasks)
    return replace(plan, tasks=tasks)


CHAIN = """\
  - {id: a, name: A, duration: 2d}
  - {id: b, name: B, duration: 2d, after: [a]}
  - {id: c, name: C, duration: 2d, after: [b]}
"""


def test_actual_dates_after_the_status_date_are_invalid_dates() -> None:
    plan = with_task(plan_of(CHAIN), "a", actual_start=date(2027, 3, 9))
    health = assess(plan, OPTIONS)
    assert offenders(health, "invalid-dates") == ["a"]
    assert (
        "actual start 2027-03-09 is after the status date"
        in check(health, "invalid-dates").offenders[0].detail
    )


def test_a_forecast_before_the_status_date_is_an_invalid_date() -> None:
    # Only a pin can put unstarted work before the status date, and the plan file rejects
    # that pin (bad-pin); a plan from elsewhere may still carry it.
    plan = with_task(plan_of(CHAIN), "c", pin=date(2027, 3, 1))
    assert offenders(assess(plan, OPTIONS), "invalid-dates") == ["c"]


def test_a_milestone_after_finished_work_is_dated_by_the_status_date_not_before_it() -> None:
    tasks = """\
  - {id: a, name: A, duration: 2d, actual_start: 2027-03-01, actual_finish: 2027-03-02,
     percent_complete: 100}
  - {id: m, name: M, kind: milestone, after: [a]}
"""
    assert check(assess(plan_of(tasks), OPTIONS), "invalid-dates").status == "pass"


def test_negative_float_is_flagged_wherever_the_schedule_has_it() -> None:
    # ontrack's float counts to the project finish and a pin keeps it at zero or more, so
    # only a schedule from elsewhere has negative float; a missed deadline is the usual
    # way the check fails (tests/planfiles/health/negative-float.yaml).
    plan = plan_of(CHAIN)
    sched, timing = timed_schedule(plan, OPTIONS)
    late = [t._replace(total_float_days=-2.0) if t.id == "b" else t for t in sched.tasks]
    health = assess_schedule(plan, replace(sched, tasks=tuple(late)), timing.table, OPTIONS)
    assert offenders(health, "negative-float") == ["b"]


def test_a_critical_task_that_drives_its_successor_only_by_its_start_fails_the_path_test() -> None:
    # `a` is critical through SS: its start holds `b` back, but nothing waits for its
    # finish, so slipping it moves the project finish less than it moves `a`.
    tasks = """\
  - {id: a, name: A, duration: 2d}
  - {id: b, name: B, duration: 5d, after: [{task: a, type: SS}]}
"""
    health = assess(plan_of(tasks), OPTIONS)
    assert check(health, "critical-path-test").status == "fail"
    assert offenders(health, "critical-path-test") == ["a"]


def test_a_not_before_downstream_does_not_break_the_critical_path() -> None:
    # A soft constraint: it holds `b` back, but a slip of `a` still pushes it later.
    tasks = """\
  - {id: a, name: A, duration: 5d}
  - {id: b, name: B, duration: 2d, after: [a], not_before: 2027-03-15}
"""
    health = assess(plan_of(tasks), OPTIONS)
    cpt = check(health, "critical-path-test")
    assert (cpt.status, cpt.value) == ("pass", 1.0)
    assert check(health, "hard-constraints").count == 0


def test_a_summarys_links_give_its_children_their_predecessor_and_successor() -> None:
    tasks = """\
  - {id: start, name: Start, kind: milestone}
  - id: phase
    name: Phase
    after: [start]
    tasks:
      - {id: a, name: A, duration: 2d}
      - {id: b, name: B, duration: 2d}
  - {id: end, name: End, kind: milestone, after: [phase]}
"""
    assert check(assess(plan_of(tasks), OPTIONS), "logic").count == 0


def test_an_elapsed_task_counts_the_working_days_it_spans_for_high_duration() -> None:
    tasks = """\
  - {id: ship, name: Ship, duration: 63ed}
  - {id: order, name: Order, duration: 60ed}
"""
    health = assess(plan_of(tasks), OPTIONS)
    assert offenders(health, "high-duration") == ["ship"]  # 45 working days; 60ed spans 44


def test_without_a_status_date_the_dated_checks_are_not_assessed() -> None:
    project = "project: {id: p, name: P, start: 2027-03-01}\n"
    baseline = Baseline("b", date(2027, 3, 1), date(2027, 3, 1), date(2027, 3, 5), 0.0, (), (), ())
    health = assess(plan_of(CHAIN, project), OPTIONS, baseline)
    for code in ("invalid-dates", "missed-tasks", "bei"):
        assert check(health, code).status == "not_assessed", code


def test_without_a_baseline_missed_tasks_and_bei_are_not_assessed() -> None:
    health = assess(plan_of(CHAIN), OPTIONS)
    assert [check(health, c).note for c in ("missed-tasks", "bei")] == ["no baseline"] * 2


def test_bei_counts_work_done_early_and_ignores_tasks_the_baseline_did_not_have() -> None:
    tasks = """\
  - {id: a, name: A, duration: 2d, actual_start: 2027-03-01, actual_finish: 2027-03-02,
     percent_complete: 100}
  - {id: b, name: B, duration: 2d, actual_start: 2027-03-03, actual_finish: 2027-03-04,
     percent_complete: 100}
  - {id: c, name: C, duration: 2d, after: [b]}
  - {id: d, name: D, duration: 2d, after: [c]}
"""
    start = date(2027, 3, 1)
    due = {"a": date(2027, 3, 2), "b": date(2027, 3, 12), "c": date(2027, 3, 5)}
    baseline = Baseline(
        "b",
        start,
        start,
        date(2027, 3, 12),
        0.0,
        tuple(BaselineTask(i, start, end, 0.0, 0.0, ()) for i, end in due.items()),
        (),
        (),
    )
    health = assess(plan_of(tasks), OPTIONS, baseline)
    bei = check(health, "bei")
    # Due by the status date: a and c. Done: a, and b ahead of its baseline; d is new.
    assert (bei.value, bei.total, offenders(health, "bei")) == (1.0, 2, ["c"])
    assert offenders(health, "missed-tasks") == ["c"]


def test_the_security_review_check_applies_when_the_client_chose_security() -> None:
    health = assess(plan_of(CHAIN), OPTIONS)
    assert check(health, "security-without-review").status == "not_assessed"


def test_cpli_is_not_assessed_without_an_outcome_target() -> None:
    more = "outcomes:\n  - {id: o, statement: O}\n"
    tasks = CHAIN.replace("{id: a, name: A,", "{id: a, name: A, outcomes: [o],")
    assert check(assess(plan_of(tasks, more=more), OPTIONS), "cpli").status == "not_assessed"


def test_finished_work_is_counted_by_no_check_of_unfinished_tasks() -> None:
    tasks = """\
  - {id: a, name: A, duration: 60d, actual_start: 2027-01-04, actual_finish: 2027-03-05,
     percent_complete: 100}
  - {id: b, name: B, duration: 2d, after: [a]}
"""
    project = "project: {id: p, name: P, start: 2027-01-04, status_date: 2027-03-08}\n"
    health = assess(plan_of(tasks, project), OPTIONS)
    assert check(health, "high-duration").total == 1
    assert check(health, "logic").offenders[0].detail == "no successor"
