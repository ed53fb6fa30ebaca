"""A portfolio schedules each project as it would be alone, except where others' work
takes the people it needs: random plans, merged.

Levelling's search is off here (the priority rule alone): its budget and random stream
depend on the size of the plan it levels, so only the rule compares one to one. The plans
have no pins: other projects' pins hold people before anything else is placed, and a pin's
date bounds its predecessors' late finish, which the rule's ties break on, while the
portfolio's finish moves the others' (docs/scheduling.md, "Portfolios").
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontrack.core.level_search import Effort
from ontrack.core.model import (
    CalendarDef,
    Dependency,
    Duration,
    Outcome,
    Plan,
    ProjectInfo,
    Resource,
    Task,
)
from ontrack.core.portfolio import level_portfolio
from ontrack.core.schedule import ScheduleOptions, schedule

BASE = date(2027, 3, 1)
CALENDARS = (
    CalendarDef("office"),
    CalendarDef("gulf", workdays=("sun", "mon", "tue", "wed", "thu"), hours_per_day=6),
    CalendarDef("team", closed=(date(2027, 3, 10),)),
)
SHARED = ("shared-1", "shared-2")
RULE_ONLY = ScheduleOptions(effort=Effort(schedules=0))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def projects(draw: st.DrawFn, pid: str, people: tuple[str, str]) -> Plan:
    """A plan starting within ten days of BASE on one of the calendars, holding two kinds
    of people: its own follow its project calendar; SHARED ones work the `team` calendar,
    so that every plan defines them alike."""
    start = BASE + timedelta(days=draw(st.integers(0, 9)))
    calendar = draw(st.sampled_from(CALENDARS))
    tasks = []
    n = draw(st.integers(1, 8))
    for i in range(n):
        after = tuple(
            Dependency(f"t{p}", draw(st.sampled_from(("FS", "SS"))))
            for p in sorted(set(draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=2))))
            if p < i
        )
        tasks.append(
            Task(
                id=f"t{i}",
                name=f"task {i}",
                duration=Duration(draw(st.integers(1, 4)), "d"),
                resources=draw(
                    st.sampled_from(
                        [(), ((people[0], 1.0),), ((people[1], 1.0),), ((people[1], 2.0),)]
                    )
                ),
                after=after,
                outcomes=draw(st.sampled_from([(), ("o1",), ("o2",)])),
            )
        )
    team = "team" if people[0] == SHARED[0] else None
    return Plan(
        project=ProjectInfo(pid, pid, start, calendar=calendar.id),
        calendars=tuple(dict.fromkeys((calendar, CALENDARS[2]))),
        resources=(
            Resource(people[0], units=1, rate=10, calendar=team),
            Resource(people[1], units=2, rate=20, calendar=team),
        ),
        outcomes=(
            Outcome("o1", "first", target=BASE + timedelta(days=30), priority=1),
            Outcome("o2", "second", BASE + timedelta(days=20), draw(st.integers(1, 3))),
        ),
        tasks=tuple(tasks),
    )


def own_people(n: int) -> st.SearchStrategy[tuple[Plan, ...]]:
    return st.tuples(*(projects(f"p{i}", (f"p{i}-a", f"p{i}-b")) for i in range(n)))


@FAST
@given(st.integers(2, 3).flatmap(own_people))
def test_plans_that_share_no_one_schedule_as_they_would_alone(plans: tuple[Plan, ...]) -> None:
    together = level_portfolio(plans, options=RULE_ONLY)
    for plan, result in zip(plans, together.projects, strict=True):
        alone, mine = schedule(plan, RULE_ONLY), result.schedule
        for t in alone.tasks:
            got = mine.task(t.id)
            assert (got.start, got.finish) == (t.start, t.finish), (plan.project.id, t.id)
        for o, got in zip(alone.outcomes, mine.outcomes, strict=True):
            assert (got.forecast, got.slack_days, got.status) == (
                o.forecast,
                o.slack_days,
                o.status,
            )


@FAST
@given(st.tuples(*(projects(f"p{i}", SHARED) for i in range(3))))
def test_the_most_important_projects_outcome_work_never_waits_for_the_others(
    plans: tuple[Plan, ...],
) -> None:
    together = level_portfolio(plans, options=RULE_ONLY)
    first, alone = plans[0], schedule(plans[0], RULE_ONLY)
    mine = together.projects[0].schedule
    assert together.projects[0].plan is first
    for t in alone.tasks:
        if t.priority is not None:  # work serving no outcome comes after every project's
            assert (mine.task(t.id).start, mine.task(t.id).finish) == (t.start, t.finish)
    assert all(not works for works in together.projects[0].other_work.values())
    for load in together.loads:
        assert all(w.booked_hours <= w.available_hours + 1e-9 for w in load.weeks)
