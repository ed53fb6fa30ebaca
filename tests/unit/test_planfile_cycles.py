"""Dependency cycles: found in graphs of any size, reported with every task in order."""

from __future__ import annotations

from datetime import date

from ontrack.core.graph import find_cycles, strongly_connected_components
from ontrack.core.model import Dependency, Duration, Plan, ProjectInfo, Task
from ontrack.core.validate import validate

PROJECT = ProjectInfo("p", "P", date(2027, 3, 1))


def task(ident: str, *after: str, children: tuple[Task, ...] = ()) -> Task:
    duration = None if children else Duration(1, "d")
    return Task(
        ident, ident, duration=duration, after=tuple(Dependency(a) for a in after), tasks=children
    )


def test_a_graph_without_cycles_has_none() -> None:
    assert find_cycles({"a": ["b", "c"], "b": ["c"], "c": []}) == []


def test_a_node_that_is_its_own_successor_is_a_cycle_of_one() -> None:
    assert find_cycles({"a": ["a"]}) == [["a"]]


def test_nodes_seen_only_as_successors_need_no_entry() -> None:
    assert find_cycles({"a": ["b"], "b": ["c"]}) == []
    assert find_cycles({"a": ["b"], "b": ["a", "z"]}) == [["b", "a"]]


def test_each_group_of_nodes_that_reach_each_other_gives_one_cycle_from_its_last_node() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": []}
    assert find_cycles(graph) == [["c", "a", "b"], ["e", "d"]]


def test_the_cycle_through_the_last_node_is_a_shortest_one() -> None:
    graph = {"a": ["b", "d"], "b": ["c"], "c": ["d"], "d": ["a"]}
    assert find_cycles(graph) == [["d", "a"]]


def test_components_cover_every_node_once() -> None:
    graph = {1: [2], 2: [1, 3], 3: [], 4: [4]}
    components = strongly_connected_components(graph)
    assert sorted(sorted(c) for c in components) == [[1, 2], [3], [4]]


def test_a_cycle_through_a_hundred_thousand_nodes_needs_no_recursion() -> None:
    size = 100_000
    graph = {i: [(i + 1) % size] for i in range(size)}
    [cycle] = find_cycles(graph)
    assert len(cycle) == size and cycle[0] == size - 1


def test_a_cycle_names_every_task_in_order_and_is_reported_where_it_closes() -> None:
    plan = Plan(PROJECT, tasks=(task("a", "c"), task("b", "a"), task("c", "b")))
    [problem] = validate(plan)
    assert problem.code == "cycle"
    assert "c -> a -> b -> c" in problem.message
    assert problem.path == ("tasks", 2, "after", 0, "task")


def test_a_cycle_through_a_summary_names_the_summary() -> None:
    install = task("install", children=(task("cabling", "order"), task("mount")))
    plan = Plan(PROJECT, tasks=(task("order", "install"), install))
    [problem] = validate(plan)
    assert problem.code == "cycle" and "cabling -> install -> order -> cabling" in problem.message
    assert problem.path == ("tasks", 1, "tasks", 0, "after", 0, "task")


def test_links_to_itself_or_its_own_summary_are_self_dependencies_not_cycles() -> None:
    plan = Plan(PROJECT, tasks=(task("a", "a"), task("s", "b", children=(task("b", "s"),))))
    assert [(d.code, d.path) for d in validate(plan)] == [
        ("self-dependency", ("tasks", 0, "after", 0, "task")),
        ("self-dependency", ("tasks", 1, "after", 0, "task")),
        ("self-dependency", ("tasks", 1, "tasks", 0, "after", 0, "task")),
    ]


def test_separate_cycles_are_each_reported() -> None:
    plan = Plan(PROJECT, tasks=(task("a", "b"), task("b", "a"), task("c", "d"), task("d", "c")))
    assert [d.path for d in validate(plan)] == [
        ("tasks", 1, "after", 0, "task"),
        ("tasks", 3, "after", 0, "task"),
    ]


def test_a_long_chain_of_ten_thousand_tasks_is_checked_without_recursion() -> None:
    tasks = [task("t0")] + [task(f"t{i}", f"t{i - 1}") for i in range(1, 10_000)]
    assert validate(Plan(PROJECT, tasks=tuple(tasks))) == []
