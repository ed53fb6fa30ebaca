"""A portfolio: several clients' plans levelled together over the people they share
(the plans in tests/planfiles/portfolio/)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ontrack.app.portfolio import level_plans
from ontrack.core.diagnostics import PlanError
from ontrack.core.level_search import Effort
from ontrack.core.model import Driver, Plan, Task
from ontrack.core.portfolio import OtherWork, Portfolio, PortfolioError, level_portfolio
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.planfile import load_plan

FOLDER = Path(__file__).parents[1] / "planfiles" / "portfolio"
ACME, BOLT, CORA, POOL = (
    FOLDER / name for name in ("acme.yaml", "bolt.yaml", "cora-neteng-differs.yaml", "pool.yaml")
)
RULE_ONLY = ScheduleOptions(effort=Effort(schedules=0))


def dates(p: Portfolio, project: str) -> dict[str, tuple[str, str]]:
    sched = next(r.schedule for r in p.projects if r.plan.project.id == project)
    return {t.id: (str(t.start), str(t.finish)) for t in sched.tasks}


def unprioritised(plan: Plan) -> Plan:
    return replace(plan, project=replace(plan.project, priority=None))


def test_the_more_important_client_is_not_delayed_by_the_other_clients_work() -> None:
    acme, bolt = load_plan(ACME), load_plan(BOLT)
    alone = schedule(acme)
    together = level_portfolio([bolt, acme])  # given second, first by project.priority
    assert [r.plan.project.id for r in together.projects] == ["acme", "bolt"]
    assert dates(together, "acme") == {t.id: (str(t.start), str(t.finish)) for t in alone.tasks}
    acme_result = together.projects[0]
    assert acme_result.other_work == {"wifi": ()}
    assert acme_result.schedule.outcomes[0].forecast == alone.outcomes[0].forecast


def test_the_less_important_client_names_the_other_clients_task_it_waited_for() -> None:
    together = level_portfolio([load_plan(ACME), load_plan(BOLT)])
    bolt = together.projects[1]
    # acme holds the one network engineer Monday to Friday; bolt's design waits a week.
    assert bolt.other_work["lan"] == (OtherWork("design", 5.0, "neteng", "acme", "install"),)
    assert bolt.schedule.task("design").start.isoformat() == "2027-03-08"
    lan = bolt.schedule.outcomes[0]
    assert lan.driving_tasks == ("acme/survey", "acme/install", "design", "configure")
    assert (lan.forecast.isoformat(), lan.slack_days, lan.status) == ("2027-03-10", 2.0, "at_risk")


def test_without_project_priorities_the_order_given_decides() -> None:
    together = level_portfolio([unprioritised(load_plan(BOLT)), unprioritised(load_plan(ACME))])
    assert [r.plan.project.id for r in together.projects] == ["bolt", "acme"]
    assert together.projects[0].other_work == {"lan": ()}
    assert together.projects[1].other_work["wifi"]  # now acme waits for bolt


def test_a_projects_least_important_outcome_outranks_the_next_projects_most_important() -> None:
    acme = load_plan(ACME)
    acme = replace(acme, outcomes=tuple(replace(o, priority=3) for o in acme.outcomes))
    together = level_portfolio([acme, load_plan(BOLT)])
    assert together.projects[0].other_work == {"wifi": ()}
    assert together.projects[0].schedule.outcomes[0].priority == 3  # its own, not the rank


def test_the_load_books_every_hour_and_never_more_than_a_resource_has() -> None:
    together = level_portfolio([load_plan(ACME), load_plan(BOLT)])
    loads = {load.resource: load for load in together.loads}
    assert all(w.booked_hours <= w.available_hours for load in loads.values() for w in load.weeks)
    neteng = [(str(w.week), w.booked_hours, w.available_hours) for w in loads["neteng"].weeks]
    # survey 3d + install 2d (acme) fill the first week; design 2d + configure 1d the next.
    assert neteng == [("2027-03-01", 40.0, 40.0), ("2027-03-08", 24.0, 40.0)]


def test_a_shared_resource_defined_differently_is_an_error_at_both_places() -> None:
    with pytest.raises(PlanError) as caught:
        level_plans([ACME, CORA])
    (problem,) = caught.value.diagnostics
    assert problem.code == "resource-conflict"
    assert (problem.location.file, problem.location.line) == (str(CORA), 7)
    assert re.search(rf"{re.escape(str(ACME))}:5:\d+", problem.message)


def test_the_core_reports_every_clash_with_the_plans_and_paths() -> None:
    acme = load_plan(ACME)
    with pytest.raises(PortfolioError) as caught:
        level_portfolio([acme, load_plan(CORA), acme])
    found = {(c.code, c.plan, c.path, c.other) for c in caught.value.clashes}
    assert found == {
        ("resource-conflict", 1, ("resources", 0, "units"), 0),
        ("duplicate-project", 2, ("project", "id"), 0),
    }


def test_a_pool_settles_the_clash_and_its_definition_is_used() -> None:
    together = level_plans([ACME, CORA], POOL)
    acme = together.projects[0].schedule
    assert acme.cost == (24 + 16) * 130  # the pool's rate, not the plans' 125
    assert [r.plan.project.id for r in together.projects] == ["acme", "cora"]
    assert together.projects[1].other_work["fw"][0].holder == "install"


def test_a_task_needing_more_than_the_pool_has_is_an_error_at_both_places(
    tmp_path: Path,
) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text("resources:\n  - {id: neteng, units: 1}\n")
    cora = tmp_path / "cora.yaml"  # it has two network engineers, and one task needs both
    cora.write_text(CORA.read_text().replace("resources: {neteng: 1}", "resources: {neteng: 2}"))
    with pytest.raises(PlanError) as caught:
        level_plans([ACME, cora], pool)
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.location.file, problem.location.line) == (
        "over-demand",
        str(cora),
        12,
    )
    assert f"{pool}:2:" in problem.message


def test_a_broken_pool_file_is_reported_at_its_lines(tmp_path: Path) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text(
        "resources:\n  - {id: neteng, units: 0}\n  - {id: tech, calendar: nine-to-five}\n"
        "tasks: []\n"
    )
    with pytest.raises(PlanError) as caught:
        level_plans([ACME], pool)
    found = {(d.code, d.location.line) for d in caught.value.diagnostics if d.location}
    assert found == {("bad-value", 2), ("unknown-id", 3), ("unknown-field", 4)}


def test_a_pool_file_needs_resources(tmp_path: Path) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text("calendars: {us: {holidays: US}}\n")
    with pytest.raises(PlanError) as caught:
        level_plans([ACME], pool)
    assert [d.code for d in caught.value.diagnostics] == ["missing-field"]


def test_problems_of_every_file_are_reported_in_one_run(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("ontrack: 1\nproject: {id: x, name: X, start: 2027-03-01}\ntasks: 3\n")
    with pytest.raises(PlanError) as caught:
        level_plans([broken, ACME, tmp_path / "missing.yaml"], tmp_path / "no-pool.yaml")
    files = [d.location.file for d in caught.value.diagnostics if d.location]
    assert files == [str(broken), str(tmp_path / "missing.yaml"), str(tmp_path / "no-pool.yaml")]


def own_people(plan: Plan, **project: Any) -> Plan:
    """The plan with people of its own (no one shared) and other project fields."""
    return replace(
        plan,
        project=replace(plan.project, **project),
        resources=tuple(replace(r, id=f"own-{r.id}") for r in plan.resources),
        tasks=tuple(
            replace(t, resources=tuple((f"own-{r}", u) for r, u in t.resources)) for t in plan.tasks
        ),
    )


def test_a_later_project_keeps_its_own_start() -> None:
    later = own_people(load_plan(BOLT), id="later", start=date(2027, 3, 3))
    together = level_portfolio([load_plan(ACME), later], options=RULE_ONLY)
    assert dates(together, "later") == {
        t.id: (str(t.start), str(t.finish)) for t in schedule(later, RULE_ONLY).tasks
    }
    assert together.projects[1].schedule.start.isoformat() == "2027-03-03"


def test_each_project_keeps_its_own_status_date_and_progress() -> None:
    bolt = own_people(load_plan(BOLT), status_date=date(2027, 3, 3))
    started = replace(bolt.tasks[0], actual_start=date(2027, 3, 1), percent_complete=50)
    bolt = replace(bolt, tasks=(started, *bolt.tasks[1:]))
    together = level_portfolio([load_plan(ACME), bolt], options=RULE_ONLY)
    alone = schedule(bolt, RULE_ONLY)
    assert dates(together, "bolt") == {t.id: (str(t.start), str(t.finish)) for t in alone.tasks}
    assert dates(together, "bolt")["design"] == ("2027-03-01", "2027-03-03")
    assert together.projects[1].schedule.status_date == date(2027, 3, 3)
    # acme has no status date: bolt's does not hold its work back.
    assert dates(together, "acme")["survey"][0] == "2027-03-01"


def test_only_a_security_driven_project_is_held_to_its_security_promises() -> None:
    def promising(plan: Plan, driver: Driver) -> Plan:
        outcomes = tuple(replace(o, security=True) for o in plan.outcomes)
        return replace(plan, project=replace(plan.project, driver=driver), outcomes=outcomes)

    together = level_portfolio(
        [promising(load_plan(ACME), "security"), promising(load_plan(BOLT), "speed")]
    )
    kinds = [{f.kind for f in p.schedule.findings} for p in together.projects]
    assert "security-without-review" in kinds[0]
    assert "security-without-review" not in kinds[1]


def test_plans_that_hold_no_one_schedule_together_with_no_load_to_show() -> None:
    acme, bolt = (without_people(load_plan(p)) for p in (ACME, BOLT))
    together = level_portfolio([acme, bolt])
    assert together.loads == ()
    assert dates(together, "acme") == {
        t.id: (str(t.start), str(t.finish)) for t in schedule(acme).tasks
    }


def without_people(plan: Plan) -> Plan:
    """The plan with no resources, and no task holding any."""

    def bare(tasks: tuple[Task, ...]) -> tuple[Task, ...]:
        return tuple(replace(t, resources=(), tasks=bare(t.tasks)) for t in tasks)

    return replace(plan, resources=(), tasks=bare(plan.tasks))
