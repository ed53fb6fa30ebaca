"""The network is built a column at a time, for all tasks at once; each task's planned
minutes and each link's lag are still what Duration.minutes gives on the calendar the
rules name (a task's own, the successor's for a lag), a summary's links reach every task
below it, and nodes come in walk order with their parents' positions."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from test_roundtrip import plans

from ontrack.core.calendar import calendar_of
from ontrack.core.model import Dependency, Plan, Task
from ontrack.core.network import Network, build_network

Link = tuple[int, int, bool, int, int]


def expected_links(plan: Plan, net: Network) -> list[Link]:
    """(pred, succ, to_finish, lag_work, lag_elapsed) of every link, by the spec."""
    found: list[Link] = []

    def visit(tasks: tuple[Task, ...], inherited: tuple[Dependency, ...]) -> None:
        for task in tasks:
            deps = inherited + task.after
            if task.tasks:
                visit(task.tasks, deps)
                continue
            hours_per_day = calendar_of(plan, task.calendar).hours_per_day
            for d in deps:
                lag = d.lag.minutes(hours_per_day) if d.lag else 0
                elapsed = d.lag is not None and d.lag.elapsed
                pred, succ = net.index[d.task], net.index[task.id]
                to_finish = d.type in ("FF", "SF")
                found.append((pred, succ, to_finish, 0 if elapsed else lag, lag if elapsed else 0))

    visit(plan.tasks, ())
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_planned_minutes_and_lags_are_those_of_each_duration(plan: Plan) -> None:
    net = build_network(plan)
    tasks, parents = plan.tasks_in_order()
    assert [t for t, _ in plan.walk_tasks()] == tasks
    assert net.parent[: len(tasks)].tolist() == parents
    for node, up in enumerate(parents):
        assert up < node and (up < 0 or any(t is tasks[node] for t in tasks[up].tasks))
    for node, task in enumerate(tasks):
        own = calendar_of(plan, task.calendar)
        planned = task.duration.minutes(own.hours_per_day) if task.duration else 0
        assert net.planned[node] == (0 if task.tasks else planned)
        assert net.hours_per_day[node] == own.hours_per_day
    links = zip(
        net.pred.tolist(),
        net.succ.tolist(),
        net.to_finish.tolist(),
        net.lag_work.tolist(),
        net.lag_elapsed.tolist(),
        strict=True,
    )
    assert sorted(links) == sorted(expected_links(plan, net))
