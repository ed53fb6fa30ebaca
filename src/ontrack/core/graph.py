"""Cycles in a directed graph, without recursion (plans may hold 100k tasks).

A graph is a mapping from each node to its successors; nodes that appear only as
successors are allowed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def strongly_connected_components(successors: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Tarjan's algorithm with an explicit stack; components in reverse topological order."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on_stack: set[N] = set()
    stack: list[N] = []
    components: list[list[N]] = []

    def visit(node: N) -> Iterator[N]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(successors.get(node, ()))

    for root in successors:
        if root in index:
            continue
        work: list[tuple[N, Iterator[N]]] = [(root, visit(root))]
        while work:
            node, pending = work[-1]
            for succ in pending:
                if succ not in index:
                    work.append((succ, visit(succ)))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[N] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def find_cycles(successors: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """One cycle for each group of nodes that all reach each other.

    Each cycle is ``[n0, n1, ..., nk]``: every node is a predecessor of the next and
    ``nk`` leads back to ``n0``. ``n0`` is the group's node that comes last in the
    mapping's order and the cycle is a shortest one through it, so the result is
    deterministic. Cycles are listed in the order of their ``n0``.
    """
    stuck = _not_sortable(successors)
    if not stuck:
        return []
    order = {node: i for i, node in enumerate(successors)}
    rest = {node: [s for s in successors.get(node, ()) if s in stuck] for node in stuck}
    cycles: list[list[N]] = []
    for component in strongly_connected_components(rest):
        start = max(component, key=lambda node: order.get(node, len(order)))
        if len(component) > 1 or start in rest[start]:
            cycles.append(_shortest_cycle(rest, start, set(component)))
    cycles.sort(key=lambda cycle: order.get(cycle[0], len(order)))
    return cycles


def _not_sortable(successors: Mapping[N, Iterable[N]]) -> dict[N, None]:
    """The nodes on or after a cycle, in the mapping's order: what a topological sort
    (Kahn's algorithm) cannot place. Cheap, and empty for the usual acyclic plan."""
    waiting: dict[N, int] = dict.fromkeys(successors, 0)
    for targets in successors.values():
        for target in targets:
            waiting[target] = waiting.get(target, 0) + 1
    ready = [node for node, count in waiting.items() if count == 0]
    while ready:
        for target in successors.get(ready.pop(), ()):
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return {node: None for node, count in waiting.items() if count}


def _shortest_cycle(successors: Mapping[N, Iterable[N]], start: N, members: set[N]) -> list[N]:
    """Breadth-first search from `start` back to itself, staying inside `members`."""
    came_from: dict[N, N] = {}
    queue: deque[N] = deque([start])
    while queue:
        node = queue.popleft()
        for succ in successors.get(node, ()):
            if succ == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if succ in members and succ not in came_from:
                came_from[succ] = node
                queue.append(succ)
    raise AssertionError("a strongly connected component always holds a cycle")
