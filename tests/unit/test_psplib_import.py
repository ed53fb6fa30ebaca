"""PSPLIB instances as plans: the same jobs, durations, demands, capacities and links."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from ontrack.core.diagnostics import Location, PlanError
from ontrack.core.model import WEEKDAYS, Dependency, Duration, Plan, Task
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.interop.psplib import (
    Instance,
    job_number,
    load_instance,
    read_psplib,
    task_id,
)
from ontrack.planfile import dump_plan, parse_plan

DATA = Path(__file__).parents[1] / "data" / "psplib"
J301_1 = DATA / "j301_1.sm"
INSTANCES = sorted(DATA.glob("*.sm"))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_psplib(J301_1)


def task(plan: Plan, ident: str) -> Task:
    return next(t for t in plan.tasks if t.id == ident)


def critical_path_days(instance: Instance) -> int:
    """The longest path through the jobs, the plain way: jobs in file order, relaxed until
    nothing changes (PSPLIB numbers jobs topologically, but this does not rely on it)."""
    finish = {job.number: job.duration for job in instance.jobs}
    changed = True
    while changed:
        changed = False
        for job in instance.jobs:
            for successor in job.successors:
                wanted = finish[job.number] + instance.jobs[successor - 1].duration
                if finish[successor] < wanted:
                    finish[successor], changed = wanted, True
    return max(finish.values())


def test_every_job_is_a_task_with_its_psplib_number(plan: Plan) -> None:
    assert [t.id for t in plan.tasks] == [f"j{n}" for n in range(1, 33)]
    assert [job_number(t.id) for t in plan.tasks] == list(range(1, 33))
    assert task_id(17) == "j17"


def test_a_task_id_that_is_not_a_job_has_no_job_number() -> None:
    for ident in ("r1", "j", "j0", "j1x"):
        with pytest.raises(ValueError):
            job_number(ident)


def test_durations_and_demands_are_the_files(plan: Plan) -> None:
    assert task(plan, "j2").duration == Duration(8, "d")
    assert task(plan, "j2").resources == (("r1", 4),)
    assert task(plan, "j16").duration == Duration(10, "d")
    assert task(plan, "j16").resources == (("r4", 5),)


def test_renewable_resources_have_their_capacity_as_units(plan: Plan) -> None:
    assert [(r.id, r.units) for r in plan.resources] == [
        ("r1", 12),
        ("r2", 13),
        ("r3", 4),
        ("r4", 12),
    ]


def test_successors_become_finish_to_start_links_on_the_successor(plan: Plan) -> None:
    assert task(plan, "j1").after == ()
    assert task(plan, "j2").after == (Dependency("j1"),)
    # Job 20 follows jobs 5, 11 and 18 (in their rows of PRECEDENCE RELATIONS).
    assert task(plan, "j20").after == (Dependency("j5"), Dependency("j11"), Dependency("j18"))
    assert all(d.type == "FS" and d.lag is None for t in plan.tasks for d in t.after)


def test_the_dummy_source_and_sink_are_milestones(plan: Plan) -> None:
    milestones = [t.id for t in plan.tasks if t.is_milestone]
    assert milestones == ["j1", "j32"]
    assert task(plan, "j32").after == (Dependency("j29"), Dependency("j30"), Dependency("j31"))


def test_the_project_is_named_after_the_file_on_a_seven_day_calendar(plan: Plan) -> None:
    assert plan.project.id == "j301_1"
    assert plan.project.start == date(2027, 1, 4)
    [calendar] = plan.calendars
    assert plan.project.calendar == calendar.id
    assert calendar.workdays == WEEKDAYS and calendar.hours_per_day == 8


def test_the_start_date_is_a_parameter() -> None:
    assert read_psplib(J301_1, start=date(2030, 6, 3)).project.start == date(2030, 6, 3)


def test_a_file_name_that_is_not_an_id_becomes_one(tmp_path: Path) -> None:
    path = tmp_path / "J30 Set #1.sm"
    path.write_text(J301_1.read_text())
    assert read_psplib(path).project.id == "j30-set-1"


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_the_plan_passes_the_plan_file_checks_and_dumps_back_equal(path: Path) -> None:
    plan = read_psplib(path)
    assert parse_plan(dump_plan(plan)) == plan


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_unlevelled_the_project_takes_its_critical_path_in_days(path: Path) -> None:
    plan = read_psplib(path)
    days = critical_path_days(load_instance(path))
    result = schedule(plan, ScheduleOptions(level=False))
    # A task of d days from the start finishes on the d-th day, the start counted.
    assert result.finish == plan.project.start + timedelta(days=days - 1)


# --- broken files: a stable code and the line (and column) of the problem -------------------


def broken(tmp_path: Path, line: int, old: str, new: str) -> Path:
    """j301_1.sm with `old` replaced by `new` on its line `line` (from 1)."""
    lines = J301_1.read_text().splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / "broken.sm"
    path.write_text("".join(lines))
    return path


def only_problem(path: Path) -> tuple[str, int, int]:
    with pytest.raises(PlanError) as caught:
        read_psplib(path)
    [problem] = caught.value.diagnostics
    assert problem.location is not None and problem.location.file == str(path)
    return problem.code, problem.location.line, problem.location.column


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        (56, "  2      1     8", "  2      1     x", ("psplib-format", 56, 16)),
        (56, "4    0    0    0", "4    0    0", ("psplib-format", 56, 35)),
        (57, "  3  ", "  4  ", ("psplib-format", 57, 3)),
        (6, "32", "3.2", ("psplib-format", 6, 34)),
        (20, "6  11  15", "6  11  33", ("psplib-reference", 20, 43)),
        (20, "6  11  15", "6  11  2", ("psplib-reference", 20, 43)),
        (20, "1          3", "1          4", ("psplib-format", 20, 45)),
        (21, "  3        1", "  3        2", ("psplib-unsupported", 21, 13)),
        (89, "R 4", "N 1", ("psplib-unsupported", 89, 18)),
        (90, "  12\n", "\n", ("psplib-format", 90, 17)),
        (88, "RESOURCEAVAILABILITIES:", "", ("psplib-format", 91, 1)),
        (49, "1          1          32", "1          2          32   2", ("cycle", 49, 1)),
        (56, "  2      1     8       4", "  2      1     8      40", ("over-demand", 56, 23)),
    ],
    ids=[
        "not-a-number",
        "a-demand-short",
        "job-out-of-order",
        "job-count-not-whole",
        "successor-beyond-the-jobs",
        "successor-that-is-itself",
        "successors-fewer-than-announced",
        "several-modes",
        "nonrenewable-resource",
        "a-capacity-short",
        "missing-section",
        "a-cycle",
        "more-than-the-capacity",
    ],
)
def test_a_broken_file_names_the_line_and_what_is_wrong(
    tmp_path: Path, line: int, old: str, new: str, expected: tuple[str, int, int]
) -> None:
    assert only_problem(broken(tmp_path, line, old, new)) == expected


def test_a_missing_job_row_is_reported_at_the_end_of_its_table(tmp_path: Path) -> None:
    lines = J301_1.read_text().splitlines(keepends=True)
    path = tmp_path / "short.sm"
    path.write_text("".join(lines[:85] + lines[86:]))  # job 32's requests gone
    assert only_problem(path) == ("psplib-format", 86, 1)


def test_a_file_that_is_not_psplib_says_so(tmp_path: Path) -> None:
    path = tmp_path / "plan.sm"
    path.write_text("ontrack: 1\nproject: {id: p, name: P, start: 2027-03-01}\n")
    assert only_problem(path) == ("psplib-format", 2, 1)
    path.write_text("")
    assert only_problem(path) == ("psplib-format", 1, 1)


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sm"
    with pytest.raises(PlanError) as caught:
        read_psplib(path)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.location) == ("file-unreadable", Location(str(path), 1, 1))
