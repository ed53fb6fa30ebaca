"""Levelling as a resource-constrained project scheduling problem on whole slots.

The search for a better levelled order (`core/level_search.py`) decodes thousands of
priority lists, so this form makes one decoding cheap: plain Python lists, time in whole
slots, each resource's load as a list of units per slot. The calendar-aware leveller
(`core/leveling.py`) stays the judge of the final schedule.

A link says: anchor(pred) + lag <= bound(succ), where the anchor is the predecessor's
start or finish and the bound the successor's start or finish (FS, SS, FF, SF).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Protocol

EPSILON = 1e-9

Link = tuple[int, bool, bool, int]  # (other job, from_finish, to_finish, lag)
Demand = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Direction:
    """The links seen from one end: each job's incoming links and its successors."""

    incoming: list[list[Link]]
    successors: list[list[int]]


@dataclass(frozen=True)
class Problem:
    duration: list[int]
    release: list[int]  # earliest start
    fixed: list[int]  # the start of work that never moves, or -1
    rank: list[int]  # a job never goes before an eligible job of a lower rank
    demands: list[Demand]
    capacity: list[float]
    groups: list[list[int]]  # the objective: latest finish of each group, in order
    forward: Direction
    backward: Direction  # time reversed: FS stays FS, SS and FF swap, SF stays SF

    @property
    def size(self) -> int:
        return len(self.duration)

    @cached_property
    def needs(self) -> list[tuple[tuple[int, float, float], ...]]:
        """Per job: (resource, units, the most load the resource may carry for it to fit)."""
        cap = self.capacity
        return [tuple((r, u, cap[r] - u + EPSILON) for r, u in d) for d in self.demands]


def problem(
    duration: list[int],
    links: Sequence[tuple[int, int, bool, bool, int]],  # (pred, succ, from_finish, to_finish, lag)
    demands: list[Demand],
    capacity: list[float],
    release: list[int] | None = None,
    fixed: list[int] | None = None,
    rank: list[int] | None = None,
    groups: list[list[int]] | None = None,
) -> Problem:
    n = len(duration)
    fwd_in: list[list[Link]] = [[] for _ in range(n)]
    fwd_out: list[list[int]] = [[] for _ in range(n)]
    bwd_in: list[list[Link]] = [[] for _ in range(n)]
    bwd_out: list[list[int]] = [[] for _ in range(n)]
    for p, s, from_finish, to_finish, lag in links:
        fwd_in[s].append((p, from_finish, to_finish, lag))
        fwd_out[p].append(s)
        bwd_in[p].append((s, not to_finish, not from_finish, lag))
        bwd_out[s].append(p)
    for j, demand in enumerate(demands):
        for r, units in demand:
            if units > capacity[r] + EPSILON:
                raise ValueError(f"job {j} needs {units} of resource {r}, which has {capacity[r]}")
    return Problem(
        duration=duration,
        release=release or [0] * n,
        fixed=fixed or [-1] * n,
        rank=rank or [0] * n,
        demands=demands,
        capacity=capacity,
        groups=groups if groups is not None else [],
        forward=Direction(fwd_in, fwd_out),
        backward=Direction(bwd_in, bwd_out),
    )


def decode(
    pb: Problem,
    key: Sequence[float],
    *,
    backward: bool = False,
    fixed: Sequence[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Serial schedule generation: take the eligible job of least (rank, key) and start it
    at the earliest slot its links, release and resources allow; never split, never
    over-allocate. Fixed jobs are placed first, where they are.

    Backward, the same on reversed time (for justification): ranks and releases are not
    used and `fixed` gives the fixed jobs' reversed starts."""
    n = pb.size
    links = pb.backward if backward else pb.forward
    incoming, successors = links.incoming, links.successors
    duration, capacity = pb.duration, pb.capacity
    fixed = pb.fixed if fixed is None else fixed
    release = [0] * n if backward else pb.release
    rank = [0] * n if backward else pb.rank
    start = [0] * n
    finish = [0] * n
    load: list[list[float]] = [[] for _ in capacity]
    needs = pb.needs
    waiting = [len(x) for x in incoming]
    ready: list[tuple[int, float, int]] = []
    push, pop = heapq.heappush, heapq.heappop

    def book(j: int, t: int) -> None:
        d = duration[j]
        start[j], finish[j] = t, t + d
        end = t + d
        for r, units, _ in needs[j]:
            u = load[r]
            if len(u) < end:
                u.extend([0.0] * (end - len(u)))
            u[t:end] = [x + units for x in u[t:end]]
        for s in successors[j]:
            waiting[s] -= 1
            if waiting[s] == 0 and fixed[s] < 0:
                push(ready, (rank[s], key[s], s))

    for j in range(n):
        if fixed[j] >= 0:
            book(j, fixed[j])
    for j in range(n):  # those no link holds back; the fixed jobs' successors are in already
        if not incoming[j] and fixed[j] < 0:
            push(ready, (rank[j], key[j], j))
    while ready:
        j = pop(ready)[2]
        d = duration[j]
        t = release[j]
        for p, from_finish, to_finish, lag in incoming[j]:
            bound = (finish[p] if from_finish else start[p]) + lag - (d if to_finish else 0)
            if bound > t:
                t = bound
        need = needs[j]
        moved = bool(d and need)
        while moved:  # each clash moves the start past the last slot lacking room
            moved = False
            for r, _, room in need:
                window = load[r][t : t + d]
                if window and max(window) > room:
                    k = len(window) - 1
                    while window[k] <= room:
                        k -= 1
                    t += k + 1
                    moved = True
        book(j, t)
    return start, finish


class Decoder(Protocol):
    """`decode` bound to one problem. The search takes its decoder from outside: this
    module's, or the compiled one of the optimize extra (`solver/compiled_decode.py`),
    which gives the same schedules about ten times faster."""

    def __call__(
        self, key: Sequence[float], *, backward: bool = False, fixed: Sequence[int] | None = None
    ) -> tuple[list[int], list[int]]: ...


def decoder(pb: Problem) -> Decoder:
    return partial(decode, pb)


def score(pb: Problem, finish: Sequence[int]) -> tuple[int, ...]:
    """Each group's latest finish, in order, then the project's finish: compared as a
    tuple, no later group's gain can outweigh an earlier group's loss."""
    values = [max((finish[j] for j in group), default=0) for group in pb.groups]
    values.append(max(finish, default=0))
    return tuple(values)


def justify(
    pb: Problem, start: list[int], finish: list[int], run: Decoder | None = None
) -> list[int]:
    """Forward-backward improvement: shift every job as late as it can go without moving
    the finish (a backward decode, latest finishing first, by `run` or `decode`), and
    return those right-justified starts as the keys of the next forward decode, which
    packs the jobs left again."""
    end = max(finish, default=0)
    fixed = [end - finish[j] if f >= 0 else -1 for j, f in enumerate(pb.fixed)]
    key = [-f for f in finish]
    _, back_finish = (run or decoder(pb))(key, backward=True, fixed=fixed)
    return [end - f for f in back_finish]
