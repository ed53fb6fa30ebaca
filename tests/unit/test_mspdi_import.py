"""The MSPDI import: a plan exported by ontrack comes back as it was (outcomes and
deliverables included), a file written as MS Project writes one gives the plan its
features mean, and ontrack's dates agree with the ones MS Project stored, or the
difference says why."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.levelling import LevelSettings
from ontrack.app.services import schedule_options, schedule_plan
from ontrack.core.findings import find
from ontrack.core.model import Away, CalendarDef, Dependency, Duration, Plan, Resource, Task
from ontrack.core.schedule import timed_schedule
from ontrack.interop.mspdi import LINK_TYPE, to_mspdi
from ontrack.interop.mspdi_fidelity import LAG_CALENDAR, differences
from ontrack.interop.mspdi_read import DEP_TYPE, Imported, Stored, read_mspdi

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FEATURES = ROOT / "tests" / "data" / "mspdi" / "features.xml"


def _exported(example: Path, level: bool = True) -> tuple[Plan, Imported]:
    sp = schedule_plan(example, LevelSettings(level=level))
    data = to_mspdi(sp.plan, sp.schedule, CountryHolidays())
    return sp.plan, read_mspdi(data, "exported.xml")


def _travelling(plan: Plan) -> Plan:
    """The plan without what docs/interop.md says does not travel."""
    tasks = tuple(
        dataclasses.replace(t, estimate=None, expedite_cost_per_day=None, tasks=_bare(t.tasks))
        for t in plan.tasks
    )
    program = plan.program and dataclasses.replace(
        plan.program, benefit=None, budget=None, start=None, finish=None, vendors=()
    )
    project = dataclasses.replace(plan.project, driver=None, priority=None)
    return dataclasses.replace(
        plan,
        project=project,
        program=program,
        tasks=tasks,
        conversations=(),
        risks=(),
        correlations=(),
    )


def _bare(tasks: tuple[Task, ...]) -> tuple[Task, ...]:
    return tuple(
        dataclasses.replace(t, estimate=None, expedite_cost_per_day=None, tasks=_bare(t.tasks))
        for t in tasks
    )


def _flat(plan: Plan) -> dict[str, Task]:
    return {t.id: t for t, _ in plan.walk_tasks()}


# --- ontrack's own files come back -------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_comes_back_from_ms_project_xml_with_everything_that_travels(
    example: Path,
) -> None:
    plan, imported = _exported(example)
    assert imported.remarks == ()
    assert _travelling(imported.plan) == _travelling(plan)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_an_unlevelled_schedule_comes_back_with_every_date_ms_project_was_given(
    example: Path,
) -> None:
    plan, imported = _exported(example, level=False)
    sched, _ = timed_schedule(imported.plan, schedule_options(LevelSettings(level=False)))
    assert len(imported.stored) == sum(1 for _ in plan.walk_tasks())
    assert differences(imported, sched) == []


def test_levelled_dates_differ_only_through_the_levelling_delays_the_file_records() -> None:
    _, imported = _exported(ROOT / "examples" / "plant-wifi.yaml")
    sched, _ = timed_schedule(imported.plan, schedule_options(LevelSettings(level=False)))
    found = differences(imported, sched)
    assert found
    delayed = {d.task for d in found if "LevelingDelay" in d.cause}
    assert delayed
    for d in found:
        assert d.task in delayed or d.cause.startswith(("it follows", "its task")), d


def test_public_holidays_travel_as_named_exceptions_and_come_back_as_the_country() -> None:
    plan, imported = _exported(ROOT / "examples" / "line-machines.yaml")
    (plant,) = [c for c in imported.plan.calendars if c.id == "plant"]
    assert plant.holidays == "DE"
    assert plant.closed == next(c.closed for c in plan.calendars if c.id == "plant")


def test_link_types_read_back_as_they_are_written() -> None:
    assert {code: name for name, code in LINK_TYPE.items()} == DEP_TYPE


# --- a file as MS Project writes it --------------------------------------------------------


@pytest.fixture(scope="module")
def features() -> Imported:
    return read_mspdi(FEATURES.read_bytes(), str(FEATURES))


def test_the_project_its_calendars_and_their_exceptions_are_read(features: Imported) -> None:
    plan = features.plan
    assert (plan.project.id, plan.project.name) == (
        "branch-office-refit",
        "Branch office network refit",
    )
    assert (plan.project.client, plan.project.manager) == ("Harbour Bank", "Sam Okafor")
    assert (plan.project.start, plan.project.currency) == (date(2027, 3, 1), "EUR")
    standard, four_day = plan.calendars
    assert plan.project.calendar == standard.id == "standard"
    assert standard.closed == (
        date(2027, 1, 1),  # New Year's Day, yearly by month day
        date(2027, 3, 15),  # a one-off exception
        date(2027, 5, 31),  # the last Monday of May, yearly by position
        date(2028, 1, 1),
        date(2028, 5, 29),
        date(2029, 5, 28),
    )
    assert four_day == CalendarDef(
        "four-day-week", ("mon", "tue", "wed", "thu"), 10, closed=(date(2027, 3, 24),)
    )


def test_work_resources_come_with_rates_units_and_days_away(features: Imported) -> None:
    assert features.plan.resources == (
        Resource("network-technician", "Network technician", units=1, rate=50),
        Resource("sam", "Sam Okafor", units=0.5, rate=90,
                 away=(Away(date(2027, 3, 22), date(2027, 3, 24)),)),
    )  # fmt: skip


def test_tasks_keep_their_outline_durations_links_and_constraints(features: Imported) -> None:
    plan = features.plan
    assert [t.id for t in plan.tasks] == [
        "network",
        "documentation",
        "decommission-the-old-router",
        "handover-to-the-bank",
        "buy-spare-optics",
    ]  # the inactive task is left out
    tasks = _flat(plan)
    assert [t.id for t in tasks["network"].tasks][:2] == ["survey-the-site", "order-the-switches"]
    assert tasks["order-the-switches"].duration == Duration(10, "ed")
    assert tasks["order-the-switches"].cost == 4200
    assert tasks["write-the-runbook"].duration == Duration(4, "d")  # 40 h of a 10-hour day
    assert tasks["write-the-runbook"].calendar == "four-day-week"
    assert tasks["write-the-runbook"].not_before == date(2027, 3, 22)
    assert tasks["configure-the-vlans"].duration == Duration(2, "d")  # "2 days?", estimated
    assert tasks["install-the-switches"].after == (
        Dependency("order-the-switches", "FS", Duration(1, "d")),
    )
    assert tasks["install-the-switches"].resources == (("network-technician", 1),)
    assert tasks["install-the-switches"].notes == "Rack space agreed with facilities."
    assert tasks["configure-the-vlans"].after == (
        Dependency("install-the-switches", "SS", Duration(4, "h")),
    )
    assert tasks["test-the-network"].after == (
        Dependency("configure-the-vlans", "FF", Duration(2, "d")),
    )
    assert tasks["review-the-runbook"].after == (
        Dependency("write-the-runbook", "SF", Duration(2, "d")),
    )
    assert tasks["train-the-branch-staff"].after == (
        Dependency("network-live", "FS", Duration(2, "ed")),
    )
    handover = tasks["handover-to-the-bank"]
    assert (handover.kind, handover.pin, handover.deadline) == (
        "milestone",
        date(2027, 4, 1),
        date(2027, 4, 2),
    )
    survey = tasks["survey-the-site"]
    assert (survey.actual_start, survey.actual_finish, survey.percent_complete) == (
        date(2027, 3, 1),
        date(2027, 3, 2),
        100,
    )
    assert survey.actual_cost == 800


def test_what_does_not_travel_is_said_once_per_kind(features: Imported) -> None:
    said = "\n".join(features.remarks)
    for part in (
        "material and cost resources are left out: Cat6 cable (box)",
        "working exceptions (extra or changed working days) are left out of calendars: Standard",
        "inactive and external tasks are left out: old-cabling-survey-dropped",
        "manually scheduled tasks are scheduled from their links: decommission-the-old-router",
        "'Start No Later Than' constraints are left out: buy-spare-optics",
    ):
        assert part in said
    assert len(features.remarks) == 5


def test_ontracks_dates_agree_with_ms_projects_or_say_why_not(features: Imported) -> None:
    sched, _ = timed_schedule(features.plan, schedule_options(LevelSettings(level=False)))
    found = {d.task: d for d in differences(features, sched)}
    assert len(features.stored) == 14
    assert set(found) == {"review-the-runbook", "decommission-the-old-router"}
    review = found["review-the-runbook"]
    assert review.theirs == Stored(date(2027, 3, 25), date(2027, 3, 25))
    assert review.ours == Stored(date(2027, 3, 26), date(2027, 3, 26))
    assert review.cause == LAG_CALENDAR
    assert found["decommission-the-old-router"].cause == "it is manually scheduled in MS Project"


def test_an_elapsed_task_that_ends_at_the_start_of_a_day_is_dated_the_day_before(
    features: Imported,
) -> None:
    assert features.stored["order-the-switches"] == Stored(date(2027, 3, 3), date(2027, 3, 12))


def test_a_plan_from_ms_project_gets_one_finding_that_asks_for_outcomes(
    features: Imported,
) -> None:
    sched, timing = timed_schedule(features.plan, schedule_options(LevelSettings(level=False)))
    found = find(features.plan, sched, timing)
    assert [f.kind for f in found if f.kind in ("no-outcomes", "untraced-task")] == ["no-outcomes"]


def test_ms_projects_baseline_is_kept_for_each_task_that_has_one(features: Imported) -> None:
    (records,) = features.baselines.values()
    assert list(features.baselines) == [0]
    record = records["install-the-switches"]
    assert (record.start, record.duration, record.cost) == (
        date(2027, 3, 16),
        Duration(3, "d"),
        1200,
    )
    assert list(records) == ["install-the-switches"]


def test_work_in_progress_keeps_its_start_percent_and_cost_without_a_finish() -> None:
    text = FEATURES.read_text().replace(
        "<Notes>Rack space agreed with facilities.</Notes>",
        "<PercentComplete>40</PercentComplete><ActualStart>2027-03-17T08:00:00</ActualStart>"
        "<ActualCost>480</ActualCost><Notes>Rack space agreed with facilities.</Notes>",
    )
    task = _flat(read_mspdi(text.encode(), "wip.xml").plan)["install-the-switches"]
    assert (task.actual_start, task.actual_finish, task.percent_complete, task.actual_cost) == (
        date(2027, 3, 17),
        None,
        40,
        480,
    )


def test_the_tasks_under_an_inactive_summary_are_left_out_with_it() -> None:
    text = FEATURES.read_text().replace(
        "<UID>8</UID><ID>8</ID><Name>Documentation</Name><Type>1</Type>",
        "<UID>8</UID><ID>8</ID><Name>Documentation</Name><Type>1</Type><Active>0</Active>",
    )
    plan = read_mspdi(text.encode(), "inactive.xml").plan
    assert "documentation" not in _flat(plan)
    assert "write-the-runbook" not in _flat(plan)  # not moved under the task before
    assert [t.id for t in _flat(plan)["network"].tasks][-1] == "network-live"
