"""Field checks: every value of a plan file is read into the core model or reported."""

from __future__ import annotations

from datetime import date

import pytest

from ontrack.core.diagnostics import PlanError
from ontrack.core.model import CalendarDef, Dependency, Duration, Estimate, Plan, Resource
from ontrack.planfile import parse_plan
from ontrack.planfile.schema import (
    CalendarSchema,
    DependencySchema,
    EstimateSchema,
    TaskSchema,
    model_at,
    yaml_fields,
)

HEAD = "ontrack: 1\nproject: {id: p, name: P, start: 2027-03-01}\n"


def plan_with(body: str) -> Plan:
    return parse_plan(HEAD + body)


def problems(body: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each problem, lines counted from the body's first line."""
    with pytest.raises(PlanError) as caught:
        plan_with(body)
    return [
        (d.code, d.location.line - 2, d.location.column)
        for d in caught.value.diagnostics
        if d.location
    ]


def messages(body: str) -> str:
    with pytest.raises(PlanError) as caught:
        plan_with(body)
    return str(caught.value)


def one_task(fields: str) -> str:
    return "tasks:\n  - {id: t, name: T, " + fields + "}\n"


def test_the_project_and_plan_defaults_are_read() -> None:
    plan = plan_with("")
    assert plan.project.id == "p" and plan.project.start == date(2027, 3, 1)
    assert plan.tasks == () and plan.calendars == () and plan.program is None


def test_a_plain_id_in_after_is_a_short_finish_to_start_dependency() -> None:
    plan = plan_with("tasks:\n  - {id: a, name: A, duration: 1d}\n" + one_task_after("[a]"))
    [dependency] = plan.tasks[1].after
    assert dependency == Dependency("a") and dependency.short


def one_task_after(after: str) -> str:
    return "  - {id: b, name: B, duration: 1d, after: " + after + "}\n"


def test_the_long_form_dependency_keeps_its_type_and_a_negative_lag() -> None:
    plan = plan_with(
        "tasks:\n  - {id: a, name: A, duration: 1d}\n"
        + one_task_after("[{task: a, type: SS, lag: -1.5d}]")
    )
    [dependency] = plan.tasks[1].after
    assert dependency == Dependency("a", "SS", Duration(-1.5, "d")) and not dependency.short


@pytest.mark.parametrize(
    ("written", "duration"),
    [
        ("3d", Duration(3, "d")),
        ("0.5d", Duration(0.5, "d")),
        (".5h", Duration(0.5, "h")),
        ("2w", Duration(2, "w")),
        ("15ed", Duration(15, "ed")),
        ("4 h", Duration(4, "h")),
        ('"3d"', Duration(3, "d")),
    ],
)
def test_durations_take_a_number_and_one_of_four_units(written: str, duration: Duration) -> None:
    assert plan_with(one_task(f"duration: {written}")).tasks[0].duration == duration


@pytest.mark.parametrize("written", ["5", "5.5", "5days", "5D", "d", "-2d", "1e3d", "[5d]", "true"])
def test_anything_else_is_a_bad_duration_at_the_value(written: str) -> None:
    assert problems(one_task(f"duration: {written}")) == [("bad-duration", 2, 32)]


def test_a_bare_number_says_which_units_to_add() -> None:
    assert "write 5d" in messages(one_task("duration: 5"))


@pytest.mark.parametrize("written", ["2027-03-01", '"2027-03-01"', "'2027-03-01'"])
def test_dates_are_read_plain_or_quoted(written: str) -> None:
    assert plan_with(one_task(f"duration: 1d, deadline: {written}")).tasks[0].deadline == date(
        2027, 3, 1
    )


@pytest.mark.parametrize(
    "written", ["2027-02-30", "2027-3-1", "20270301", "03/01/2027", "2027-03-01T10", "soon"]
)
def test_anything_else_is_a_bad_date(written: str) -> None:
    assert problems(one_task(f"duration: 1d, deadline: {written}")) == [("bad-date", 2, 46)]


def test_ids_written_as_whole_numbers_are_text() -> None:
    plan = plan_with(
        "tasks:\n  - {id: 1, name: A, duration: 1d}\n"
        "  - {id: 2, name: B, duration: 1d, after: [1]}\n"
    )
    assert [t.id for t in plan.tasks] == ["1", "2"] and plan.tasks[1].after[0].task == "1"


@pytest.mark.parametrize("written", ["a b", "a.b", '""', "é-1", "1.5"])
def test_ids_take_only_letters_digits_dash_and_underscore(written: str) -> None:
    assert problems(f"tasks:\n  - {{id: {written}, name: T, duration: 1d}}\n")[0][0] == "bad-id"


def test_text_fields_take_numbers_as_their_text() -> None:
    assert plan_with(one_task("duration: 1d, notes: 2027")).tasks[0].notes == "2027"


def test_an_unknown_field_is_reported_at_its_key_with_the_closest_field() -> None:
    assert problems(one_task("duraton: 1d")) == [("unknown-field", 2, 22)]
    assert "did you mean `duration`?" in messages(one_task("duraton: 1d"))


def test_text_cut_at_a_comma_in_a_flow_mapping_gets_a_hint_to_quote_it() -> None:
    body = "program:\n  name: X\n  vendors: [{name: B, role: Builder (walls, roof)}]\n"
    assert problems(body) == [("unknown-field", 3, 45)]
    assert "quote that text" in messages(body)


def test_a_missing_field_is_reported_at_the_first_key_of_the_mapping_that_lacks_it() -> None:
    assert problems("tasks:\n  - {id: t, duration: 1d}\n") == [("missing-field", 2, 6)]
    assert "task 't' has no `name`" in messages("tasks:\n  - {id: t, duration: 1d}\n")


def test_a_missing_project_is_reported_at_the_top_of_the_file() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan("ontrack: 1\ntasks: []\n")
    assert [
        (d.code, d.location.line, d.location.column) for d in caught.value.diagnostics if d.location
    ] == [("missing-field", 1, 1)]


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("priority: 0", "bad-value"),
        ("priority: 1.5", "bad-type"),
        ("priority: '1'", "bad-type"),
        ("security: no", "bad-type"),
        ("security: yes", "bad-type"),
        ("target: 2027-13-01", "bad-date"),
        ("needs: a need", "bad-type"),
    ],
)
def test_outcome_fields_are_checked(field: str, code: str) -> None:
    assert problems(f"outcomes:\n  - {{id: o, statement: S, {field}}}\n")[0][0] == code


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("units: 0", "bad-value"),
        ("units: -1", "bad-value"),
        ("units: '2'", "bad-type"),
        ("rate: -0.5", "bad-value"),
        ("rate: .nan", "bad-value"),
        ("away: [{from: 2027-05-03}]", "missing-field"),
        ("away: {from: 2027-05-03, to: 2027-05-04}", "bad-type"),
    ],
)
def test_resource_fields_are_checked(field: str, code: str) -> None:
    assert problems(f"resources:\n  - {{id: r, {field}}}\n")[0][0] == code


def test_a_resource_has_one_unit_and_no_rate_unless_it_says_otherwise() -> None:
    assert plan_with("resources:\n  - {id: r}\n").resources == (Resource("r"),)


def test_a_calendar_written_empty_is_the_default_calendar() -> None:
    plan = plan_with("calendars:\n  standard:\n  short: {hours_per_day: 6, workdays: [mon]}\n")
    assert plan.calendars == (
        CalendarDef("standard"),
        CalendarDef("short", workdays=("mon",), hours_per_day=6),
    )


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("hours_per_day: 0", "bad-value"),
        ("hours_per_day: 24.5", "bad-value"),
        ("workdays: []", "bad-value"),
        ("workdays: [monday]", "bad-value"),
        ("holidays: us", "bad-holidays"),
        ("holidays: Narnia", "bad-holidays"),
        ("closed: 2027-07-06", "bad-type"),
    ],
)
def test_calendar_fields_are_checked(field: str, code: str) -> None:
    assert problems(f"calendars:\n  standard: {{{field}}}\n")[0][0] == code


def test_a_lower_case_country_code_suggests_the_upper_case_one() -> None:
    assert "did you mean US?" in messages("calendars:\n  standard: {holidays: us}\n")


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("kind: chore", "bad-value"),
        ("percent_complete: 101", "bad-value"),
        ("percent_complete: -1", "bad-value"),
        ("cost: -1", "bad-value"),
        ("actual_cost: -1", "bad-value"),
        ("resources: {r: 0}", "bad-value"),
        ("resources: [r]", "bad-type"),
        ("after: a", "bad-type"),
        ("after: [{task: a, type: XY}]", "bad-value"),
        ("after: [{task: a, lag: 1}]", "bad-duration"),
        ("after: [{type: SS}]", "missing-field"),
        ("after: [true]", "bad-type"),
        ("estimate: {low: 1d}", "missing-field"),
        ("estimate: {low: 1d, high: 2d, distribution: normal}", "bad-value"),
        ("tasks: [5]", "bad-type"),
    ],
)
def test_task_fields_are_checked(field: str, code: str) -> None:
    assert problems(one_task(f"duration: 1d, {field}"))[0][0] == code


def test_bad_version_and_missing_version_are_told_apart() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan("ontrack: 2\nproject: {id: p, name: P, start: 2027-03-01}\n")
    assert [d.code for d in caught.value.diagnostics] == ["bad-version"]
    with pytest.raises(PlanError) as caught:
        parse_plan("project: {id: p, name: P, start: 2027-03-01}\n")
    assert [d.code for d in caught.value.diagnostics] == ["missing-field"]


@pytest.mark.parametrize("text", ["", "# nothing\n", "- a\n", "just text\n", "42\n"])
def test_a_file_that_is_not_a_mapping_is_reported_once(text: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    assert [d.code for d in caught.value.diagnostics] == ["not-a-mapping"]


def test_every_problem_of_the_file_is_reported_in_one_run() -> None:
    body = (
        "resources:\n  - {id: r, units: 1, rate: x}\n"
        "tasks:\n"
        "  - {id: a, name: A, duration: 5}\n"
        "  - {id: b, name: B, duration: 1d, after: [a, c], resources: {r: 2}}\n"
        "  - {id: c, name: C, duration: 1d, after: [b]}\n"
    )
    assert sorted(code for code, _, _ in problems(body)) == ["bad-duration", "bad-type", "cycle"]


def test_references_to_parts_that_failed_their_checks_are_not_reported_as_unknown() -> None:
    body = "calendars:\n  std: {hours_per_day: 99}\n" + one_task("duration: 1d, calendar: std")
    assert problems(body) == [("bad-value", 2, 24)]


def test_problems_are_listed_in_file_order() -> None:
    found = problems(one_task("duration: 5, kind: chore") + "taks: []\n")
    assert found == sorted(found, key=lambda problem: problem[1:])


def test_estimates_are_read_with_their_distribution() -> None:
    task = plan_with(
        one_task("duration: 5d, estimate: {low: 4d, high: 9d, distribution: pert}")
    ).tasks[0]
    assert task.estimate == Estimate(Duration(4, "d"), Duration(9, "d"), "pert")


def test_the_schema_knows_the_model_at_any_path_of_the_file() -> None:
    assert model_at(("tasks", 3, "tasks", 0, "estimate")) is EstimateSchema
    assert model_at(("calendars", "standard")) is CalendarSchema
    assert model_at(("tasks", 0, "after", 2)) is DependencySchema
    assert model_at(("tasks", 0, "resources", "r")) is None
    assert model_at(("nowhere",)) is None


def test_fields_are_named_as_the_file_names_them_in_canonical_order() -> None:
    assert list(yaml_fields(TaskSchema))[:4] == ["id", "name", "deliverable", "outcomes"]
    assert "with" in yaml_fields(model_at(("conversations", 0)))  # type: ignore[arg-type]
