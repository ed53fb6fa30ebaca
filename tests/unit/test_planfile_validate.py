"""Semantic checks on the core model: references, shapes, demand, estimates, progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ontrack.core.model import (
    Away,
    CalendarDef,
    Deliverable,
    Dependency,
    Duration,
    Estimate,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Task,
    Vendor,
)
from ontrack.core.validate import CODES, KEY, validate

START = date(2027, 3, 1)
PROJECT = ProjectInfo("p", "P", START)


def task(ident: str, **fields: object) -> Task:
    fields.setdefault("duration", Duration(1, "d"))
    return Task(ident, ident.upper(), **fields)  # type: ignore[arg-type]


def found(
    plan: Plan, unbuilt: frozenset[str] = frozenset()
) -> list[tuple[str, tuple[str | int, ...]]]:
    return [(d.code, d.path) for d in validate(plan, unbuilt)]


def test_a_sound_plan_has_no_problems() -> None:
    plan = Plan(
        PROJECT,
        calendars=(CalendarDef("std"),),
        resources=(Resource("r", units=2, calendar="std"),),
        outcomes=(Outcome("o", "O"),),
        deliverables=(Deliverable("d", "D", ("o",)),),
        tasks=(
            task("a", deliverable="d", resources=(("r", 2),)),
            task("s", duration=None, tasks=(task("b", after=(Dependency("a"),)),)),
            task("m", kind="milestone", duration=Duration(0, "h"), after=(Dependency("s"),)),
        ),
    )
    assert validate(plan) == []


def test_every_code_it_reports_is_a_known_code() -> None:
    plan = Plan(PROJECT, tasks=(task("a", after=(Dependency("zz"), Dependency("a"))),))
    assert {d.code for d in validate(plan)} <= CODES


def test_duplicate_ids_are_reported_at_the_later_one_across_sections() -> None:
    plan = Plan(
        PROJECT,
        calendars=(CalendarDef("x"),),
        resources=(Resource("x"),),
        tasks=(task("a"), task("a")),
    )
    assert found(plan) == [
        ("duplicate-id", ("resources", 0, "id")),
        ("duplicate-id", ("tasks", 1, "id")),
    ]


def test_a_calendar_id_is_located_at_its_key() -> None:
    plan = Plan(PROJECT, calendars=(CalendarDef("x"),), outcomes=(Outcome("x", "X"),))
    assert found(plan) == [("duplicate-id", ("outcomes", 0, "id"))]
    plan = Plan(
        PROJECT,
        program=Program("P", milestones=(ProgramMilestone("x", "X", START),)),
        calendars=(CalendarDef("x"),),
    )
    assert found(plan) == [("duplicate-id", ("calendars", "x", KEY))]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"deliverable": "nope"}, ("tasks", 0, "deliverable")),
        ({"outcomes": ("o", "nope")}, ("tasks", 0, "outcomes", 1)),
        ({"resources": (("nope", 1),)}, ("tasks", 0, "resources", "nope", KEY)),
        ({"after": (Dependency("nope"),)}, ("tasks", 0, "after", 0, "task")),
        ({"calendar": "nope"}, ("tasks", 0, "calendar")),
    ],
)
def test_unknown_ids_in_a_task_are_located_at_the_reference(
    changes: dict[str, object], path: tuple[str | int, ...]
) -> None:
    plan = Plan(PROJECT, outcomes=(Outcome("o", "O"),), tasks=(task("a", **changes),))
    assert found(plan) == [("unknown-id", path)]


def test_unknown_ids_elsewhere_are_found_too() -> None:
    plan = Plan(
        replace(PROJECT, calendar="nope"),
        resources=(Resource("r", calendar="nope"),),
        deliverables=(Deliverable("d", "D", ("nope",)),),
        program=Program(
            "P",
            vendors=(Vendor("BuildCo"),),
            milestones=(ProgramMilestone("m", "M", START, "Buildco"),),
        ),
    )
    assert found(plan) == [
        ("unknown-id", ("project", "calendar")),
        ("unknown-id", ("resources", 0, "calendar")),
        ("unknown-id", ("deliverables", 0, "outcomes", 0)),
        ("unknown-id", ("program", "milestones", 0, "vendor")),
    ]


def test_a_vendor_is_not_checked_when_the_program_lists_no_vendors() -> None:
    plan = Plan(PROJECT, program=Program("P", milestones=(ProgramMilestone("m", "M", START, "X"),)))
    assert validate(plan) == []


def test_an_id_of_another_kind_is_named_as_such() -> None:
    plan = Plan(PROJECT, outcomes=(Outcome("o", "O"),), tasks=(task("a", deliverable="o"),))
    [problem] = validate(plan)
    assert (
        problem.code == "unknown-id" and "'o' is an outcome, not a deliverable" in problem.message
    )


def test_a_misspelt_id_gets_a_suggestion() -> None:
    plan = Plan(PROJECT, tasks=(task("survey"), task("b", after=(Dependency("servey"),))))
    assert "did you mean 'survey'?" in validate(plan)[0].message


def test_a_program_milestone_may_be_a_predecessor() -> None:
    program = Program("P", milestones=(ProgramMilestone("handover", "H", START),))
    assert (
        validate(
            Plan(PROJECT, program=program, tasks=(task("a", after=(Dependency("handover"),)),))
        )
        == []
    )


def test_ids_of_parts_that_did_not_build_are_not_reported_as_unknown() -> None:
    plan = Plan(PROJECT, tasks=(task("a", after=(Dependency("broken"),)),))
    assert found(plan, frozenset({"broken"})) == []


def test_over_demand_is_located_at_the_units() -> None:
    plan = Plan(
        PROJECT, resources=(Resource("r", units=2),), tasks=(task("a", resources=(("r", 2.5),)),)
    )
    assert found(plan) == [("over-demand", ("tasks", 0, "resources", "r"))]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration": Duration(1, "d")}, "duration"),
        ({"estimate": Estimate(Duration(1, "d"), Duration(2, "d"))}, "estimate"),
        ({"resources": (("r", 1),)}, "resources"),
        ({"kind": "milestone"}, "kind"),
    ],
)
def test_a_summary_has_no_work_of_its_own(changes: dict[str, object], field: str) -> None:
    summary = task("s", **{"duration": None, **changes}, tasks=(task("a"),))
    plan = Plan(PROJECT, resources=(Resource("r"),), tasks=(summary,))
    assert found(plan) == [("summary-with-work", ("tasks", 0, field))]


def test_a_summary_may_have_a_fixed_cost() -> None:
    assert (
        validate(Plan(PROJECT, tasks=(task("s", duration=None, cost=10, tasks=(task("a"),)),)))
        == []
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration": Duration(0.5, "h")}, "duration"),
        ({"estimate": Estimate(Duration(0, "d"), Duration(1, "d"))}, "estimate"),
        ({"resources": (("r", 1),)}, "resources"),
    ],
)
def test_a_milestone_takes_no_time(changes: dict[str, object], field: str) -> None:
    milestone = task("m", kind="milestone", **{"duration": None, **changes})
    plan = Plan(PROJECT, resources=(Resource("r"),), tasks=(milestone,))
    assert found(plan) == [("milestone-with-duration", ("tasks", 0, field))]


def test_a_milestone_may_say_zero_in_any_unit_or_nothing() -> None:
    tasks = (
        task("a", kind="milestone", duration=Duration(0, "ed")),
        task("b", kind="milestone", duration=None),
    )
    assert validate(Plan(PROJECT, tasks=tasks)) == []


def test_a_task_without_duration_is_reported_at_the_task() -> None:
    assert found(Plan(PROJECT, tasks=(task("a", kind="review", duration=None),))) == [
        ("missing-duration", ("tasks", 0))
    ]


@pytest.mark.parametrize(
    ("duration", "low", "high", "field"),
    [
        (Duration(1, "d"), Duration(7, "h"), Duration(1, "w"), None),
        (Duration(1, "d"), Duration(9, "h"), Duration(2, "d"), "low"),
        (Duration(1, "d"), Duration(1, "d"), Duration(7.5, "h"), "high"),
        (Duration(5, "ed"), Duration(4, "d"), Duration(6, "ed"), ""),
    ],
)
def test_an_estimate_surrounds_the_duration_in_the_same_kind_of_time(
    duration: Duration, low: Duration, high: Duration, field: str | None
) -> None:
    plan = Plan(PROJECT, tasks=(task("a", duration=duration, estimate=Estimate(low, high)),))
    expected = (
        []
        if field is None
        else [
            ("bad-estimate", ("tasks", 0, "estimate", field) if field else ("tasks", 0, "estimate"))
        ]
    )
    assert found(plan) == expected


def test_an_estimate_is_compared_in_the_hours_of_the_tasks_calendar() -> None:
    six_hours = CalendarDef("short", hours_per_day=6)
    estimate = Estimate(Duration(7, "h"), Duration(2, "d"))
    plan = Plan(
        PROJECT, calendars=(six_hours,), tasks=(task("a", calendar="short", estimate=estimate),)
    )
    assert found(plan) == [("bad-estimate", ("tasks", 0, "estimate", "low"))]


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        ({"actual_start": START, "percent_complete": 40}, []),
        ({"actual_start": START, "actual_finish": START}, []),
        ({"actual_start": START, "actual_finish": START, "percent_complete": 100}, []),
        ({"percent_complete": 0}, []),
        ({"actual_finish": START}, [("bad-progress", "actual_finish")]),
        ({"percent_complete": 40}, [("bad-progress", "percent_complete")]),
        ({"percent_complete": 100}, [("bad-progress", "percent_complete")]),
        ({"actual_start": START, "percent_complete": 100}, [("bad-progress", "percent_complete")]),
        (
            {"actual_start": START, "actual_finish": START, "percent_complete": 90},
            [("bad-progress", "percent_complete")],
        ),
        (
            {"actual_start": date(2027, 3, 5), "actual_finish": date(2027, 3, 4)},
            [("bad-range", "actual_finish")],
        ),
        ({"actual_start": date(2027, 2, 28)}, [("start-before-project", "actual_start")]),
        ({"actual_start": date(2027, 4, 13)}, [("bad-progress", "actual_start")]),
    ],
)
def test_progress_adds_up(progress: dict[str, object], expected: list[tuple[str, str]]) -> None:
    project = replace(PROJECT, status_date=date(2027, 4, 12))
    plan = Plan(project, tasks=(task("a", **progress),))
    assert found(plan) == [(code, ("tasks", 0, field)) for code, field in expected]


def test_ranges_run_forwards() -> None:
    plan = Plan(
        PROJECT,
        program=Program("P", start=date(2027, 6, 1), finish=date(2027, 5, 1)),
        resources=(
            Resource(
                "r",
                away=(
                    Away(date(2027, 5, 3), date(2027, 5, 3)),
                    Away(date(2027, 5, 7), date(2027, 5, 3)),
                ),
            ),
        ),
    )
    assert found(plan) == [
        ("bad-range", ("resources", 0, "away", 1, "to")),
        ("bad-range", ("program", "finish")),
    ]


def test_deep_nesting_needs_no_recursion() -> None:
    deepest = task("t0")
    for level in range(1, 3000):
        deepest = task(f"t{level}", duration=None, tasks=(deepest,))
    assert validate(Plan(PROJECT, tasks=(deepest,))) == []
