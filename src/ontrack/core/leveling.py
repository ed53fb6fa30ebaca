"""Resource levelling: a serial schedule-generation pass driven by outcome priority.

Tasks are placed one at a time, never split, each at the earliest instant its links
allow and its resources are free for its whole length (in its own calendar). Pins, done
work and program milestones hold their resources first, where they are. The next task
placed is always the most important one whose predecessors are all placed: work in
progress first, then by outcome priority (1 first; priority already flowed back to
predecessors), then by the order given: the priority rule's late start (counting only
work as important or more), or the better order `core/level_search.py` found; then file
order.
Because every predecessor of a priority-p task has priority p or better, all work of a
more important outcome is placed before any work of a less important one, so levelling
never makes a higher-priority outcome later to make a lower-priority one earlier.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ontrack.core.cpm import CalendarAxis, link_keys, lower_key, place
from ontrack.core.network import BoolArray, IntArray, Network, links_by

EPSILON = 1e-9


@dataclass
class Usage:
    """One resource's load over time as a step function, with who holds it when."""

    capacity: float
    times: list[int] = field(default_factory=lambda: [0])
    load: list[float] = field(default_factory=lambda: [0.0])
    holds: list[tuple[int, int, int]] = field(default_factory=list)  # (start, finish, node)

    def free_from(self, start: int, finish: int, need: float) -> int | None:
        """Where the last stretch of [start, finish) that cannot take `need` more units
        ends (no start before it can fit), or None when the whole span has room."""
        times, load, room = self.times, self.load, self.capacity + EPSILON - need
        i = max(bisect_right(times, start) - 1, 0)
        last = None
        while i < len(times) and times[i] < finish:
            if load[i] > room and i + 1 < len(times):
                last = times[i + 1]
            i += 1
        return last

    def holders_ending_at(self, instant: int) -> list[int]:
        return [node for _, end, node in self.holds if end == instant]

    def add(self, start: int, finish: int, units: float, node: int) -> None:
        if finish <= start:
            return
        for t in (start, finish):
            i = bisect_right(self.times, t) - 1
            if self.times[i] != t:
                self.times.insert(i + 1, t)
                self.load.insert(i + 1, self.load[i])
        a = bisect_left(self.times, start)
        b = bisect_left(self.times, finish)
        for i in range(a, b):
            self.load[i] += units
        self.holds.append((start, finish, node))


@dataclass(frozen=True)
class Wait:
    """One obstacle that moved a task later than its links allow: the resource, who held
    it until it freed, and where the task started after moving past it."""

    resource: int
    holders: tuple[int, ...]
    start: int


@dataclass(frozen=True)
class Levelled:
    start: IntArray
    finish: IntArray
    finish_driven: BoolArray
    earliest: IntArray  # where links alone would have put each task
    waits: dict[int, tuple[Wait, ...]]  # per delayed task, the obstacles it waited for, in turn


def level(
    net: Network,
    axis: CalendarAxis,
    lower: IntArray,
    priority: IntArray,
    order: npt.NDArray[np.float64] | IntArray,
) -> Levelled:
    """Place every task in turn; among those ready, the least (rank, priority, order) first."""
    n = net.size
    start = np.zeros(n, np.int64)
    finish = np.zeros(n, np.int64)
    finish_driven = np.zeros(n, bool)
    earliest = np.zeros(n, np.int64)
    waits: dict[int, tuple[Wait, ...]] = {}
    usage = [Usage(float(u)) for u in net.resource_units]
    incoming, outgoing = links_by(net.succ, n), links_by(net.pred, n)
    parent_of = net.parent.tolist()
    waiting = np.diff(incoming.ptr)
    for node in np.flatnonzero(net.summary).tolist():
        waiting[node] = int(np.count_nonzero(net.parent == node))
    ready: list[tuple[int, int, float, int]] = []
    order_of = order.tolist()
    in_progress = (net.actual_start >= 0) & ~net.pinned

    def release(node: int) -> None:
        if net.summary[node]:
            return
        rank = -1 if net.pinned[node] else 0 if in_progress[node] else 1
        heapq.heappush(ready, (rank, int(priority[node]), order_of[node], node))

    def placed(node: int) -> None:
        targets = net.succ[outgoing.of(node)].tolist()
        if parent_of[node] >= 0:
            targets.append(parent_of[node])
        for target in targets:
            waiting[target] -= 1
            if waiting[target] == 0:
                if net.summary[target]:
                    kids = np.flatnonzero(net.parent == target)
                    start[target] = start[kids].min()
                    finish[target] = finish[kids].max()
                    placed(target)
                else:
                    release(target)

    # Pins and done work hold their resources from the start: work placed before their
    # predecessors are must not take what they hold.
    for node in np.flatnonzero(net.pinned & ~net.summary).tolist():
        s, e, _ = place(net, axis, np.array([node], np.int64), np.zeros(1, np.int64))
        for r, units in net.demands[node]:
            usage[r].add(int(s[0]), int(e[0]), units, node)
    for node in np.flatnonzero(waiting == 0).tolist():
        release(node)
    while ready:
        node = heapq.heappop(ready)[3]
        nodes = np.array([node], np.int64)
        key = lower_key(net, axis, nodes, lower)
        links = incoming.of(node)
        if links.size:
            by_link = link_keys(net, axis, links, start, finish, finish_driven)
            key = np.maximum(key, by_link.max())
        s, e, fd = place(net, axis, nodes, key)
        earliest[node] = s[0]
        if net.demands[node] and not net.pinned[node]:
            s, e, wait = _fit(net, axis, node, usage, s, e)
            if wait:
                waits[node] = wait
        start[node], finish[node], finish_driven[node] = s[0], e[0], fd[0]
        if not net.pinned[node]:
            for r, units in net.demands[node]:
                usage[r].add(int(s[0]), int(e[0]), units, node)
        placed(node)
    return Levelled(start, finish, finish_driven, earliest, waits)


def _fit(
    net: Network, axis: CalendarAxis, node: int, usage: list[Usage], s: IntArray, e: IntArray
) -> tuple[IntArray, IntArray, tuple[Wait, ...]]:
    """Move a task later until every resource it holds is free for its whole length.

    Each step jumps past the last stretch of the task's span that lacks room, so a task
    moves once per obstacle, not once per change in load."""
    nodes = np.array([node], np.int64)
    cal = net.cal[nodes]
    waits: list[Wait] = []
    while True:
        later = None
        for r, units in net.demands[node]:
            free_at = usage[r].free_from(int(s[0]), int(e[0]), units)
            if free_at is not None and (later is None or free_at > later[1]):
                later = (r, free_at)
        if later is None:
            break
        r, free_at = later
        key = 2 * axis.work_before(cal, np.array([free_at], np.int64)) + 1
        s, e, _ = place(net, axis, nodes, key)
        waits.append(Wait(r, tuple(usage[r].holders_ending_at(free_at)), int(s[0])))
        if axis.overflows(e):  # past the calendar's horizon: the caller extends it, retries
            break
    return s, e, tuple(waits)


def resource_links(lev: Levelled) -> list[tuple[int, int]]:
    """Finish-to-start links to each task that waited from the holders whose finish freed
    the resource at its start (the last obstacle; earlier ones freed it before)."""
    return [(h, node) for node, ws in lev.waits.items() for h in ws[-1].holders]
