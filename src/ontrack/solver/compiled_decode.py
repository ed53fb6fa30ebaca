"""The serial schedule generation of `core/rcpsp.decode`, compiled with numba (the
`optimize` extra): the same schedules, about ten times faster (`benchmarks/decode.py`),
so the search behind `--optimize` makes ten times as many in its time.

`core/rcpsp.decode` is the rule; this is its port to arrays, and the tests hold the two to
the same starts on random problems of every kind (tests/property/test_compiled_decode.py).
The core cannot use numba itself (DESIGN.md: the standard library and numpy only), so the
app hands this decoder to the search.

The first use compiles the kernel, about 6 s, and numba keeps it on disk for later runs;
`warm()` does that before any levelling clock starts.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

from ontrack.core.rcpsp import Decoder, Direction, Problem

try:
    import numba
except ImportError:  # the search keeps the core's decoder
    numba = None  # type: ignore[assignment]


def available() -> bool:
    return numba is not None


def _kernel(  # numba takes arrays, not objects
    duration: Any,
    release: Any,
    fixed: Any,
    rank: Any,
    key: Any,
    link_at: Any,  # a job's incoming links are link_at[j] up to link_at[j + 1]
    link_from: Any,
    from_finish: Any,
    to_finish: Any,
    lag: Any,
    next_at: Any,  # a job's successors are next_at[j] up to next_at[j + 1]
    successor: Any,
    need_at: Any,  # a job's needs are need_at[j] up to need_at[j + 1]
    need_resource: Any,
    need_units: Any,
    need_room: Any,  # the most load the resource may carry for the job to fit
    resources: int,
) -> tuple[Any, Any]:
    """`rcpsp.decode` on arrays: fixed jobs where they are, then the eligible job of
    least (rank, key) at the earliest slot its links, release and resources allow."""
    n = duration.shape[0]
    start = np.zeros(n, np.int64)
    finish = np.zeros(n, np.int64)
    horizon = 64 + int(duration.sum())
    load = np.zeros((resources, horizon), np.float64)
    waiting = link_at[1:] - link_at[:-1]
    ready: list[Any] = [(np.int64(0), 0.0, np.int64(0))]  # typed for numba, then emptied
    ready.pop()
    for j in range(n):
        if waiting[j] == 0 and fixed[j] < 0:
            heapq.heappush(ready, (rank[j], key[j], np.int64(j)))
    pinned = [j for j in range(n) if fixed[j] >= 0]
    for step in range(n + 1):
        if step < len(pinned):
            j = pinned[step]
            t = fixed[j]
        elif ready:
            j = heapq.heappop(ready)[2]
            d = duration[j]
            t = release[j]
            for e in range(link_at[j], link_at[j + 1]):
                p = link_from[e]
                bound = (finish[p] if from_finish[e] else start[p]) + lag[e]
                bound -= d if to_finish[e] else 0
                t = max(t, bound)
            moved = d > 0 and need_at[j + 1] > need_at[j]
            while moved:  # each clash moves the start past the last slot lacking room
                moved = False
                if t + d > horizon:
                    horizon, load = _grow(load, t + d)
                for e in range(need_at[j], need_at[j + 1]):
                    r, room = need_resource[e], need_room[e]
                    k = t + d - 1
                    while k >= t and load[r, k] <= room:
                        k -= 1
                    if k >= t:
                        t = k + 1
                        moved = True
        else:
            break
        end = t + duration[j]
        start[j], finish[j] = t, end
        if end > horizon:
            horizon, load = _grow(load, end)
        for e in range(need_at[j], need_at[j + 1]):
            load[need_resource[e], t:end] += need_units[e]
        for e in range(next_at[j], next_at[j + 1]):
            s = successor[e]
            waiting[s] -= 1
            if waiting[s] == 0 and fixed[s] < 0:
                heapq.heappush(ready, (rank[s], key[s], s))
    return start, finish


def _grow(load: Any, end: int) -> tuple[int, Any]:
    horizon = max(end, 2 * load.shape[1])
    wider = np.zeros((load.shape[0], horizon), np.float64)
    wider[:, : load.shape[1]] = load
    return horizon, wider


if numba is not None:
    _grow = numba.njit(cache=True)(_grow)
    _kernel = numba.njit(cache=True)(_kernel)


def decoder(pb: Problem) -> Decoder:
    """`rcpsp.decode` bound to `pb`, compiled: the problem becomes arrays once."""
    forward_links, backward_links = _links(pb.forward), _links(pb.backward)
    needs = [x for job in pb.needs for x in job]
    shared = (
        _offsets(len(job) for job in pb.needs),
        np.array([r for r, _, _ in needs], np.int64),
        np.array([u for _, u, _ in needs], np.float64),
        np.array([room for _, _, room in needs], np.float64),
        len(pb.capacity),
    )
    duration = np.array(pb.duration, np.int64)
    zeros = np.zeros(pb.size, np.int64)
    release, rank = np.array(pb.release, np.int64), np.array(pb.rank, np.int64)
    pinned = np.array(pb.fixed, np.int64)

    kernel: Any = _kernel  # its arguments come in tuples

    def decode(
        key: Sequence[float], *, backward: bool = False, fixed: Sequence[int] | None = None
    ) -> tuple[list[int], list[int]]:
        start, finish = kernel(
            duration,
            zeros if backward else release,
            pinned if fixed is None else np.array(fixed, np.int64),
            zeros if backward else rank,
            np.array(key, np.float64),
            *(backward_links if backward else forward_links),
            *shared,
        )
        return start.tolist(), finish.tolist()

    return decode


def _links(direction: Direction) -> tuple[Any, ...]:
    flat = [link for links in direction.incoming for link in links]
    return (
        _offsets(len(links) for links in direction.incoming),
        np.array([p for p, _, _, _ in flat], np.int64),
        np.array([f for _, f, _, _ in flat], np.bool_),
        np.array([t for _, _, t, _ in flat], np.bool_),
        np.array([lag for _, _, _, lag in flat], np.int64),
        _offsets(len(s) for s in direction.successors),
        np.array([s for succ in direction.successors for s in succ], np.int64),
    )


def _offsets(lengths: Any) -> Any:
    return np.concatenate([[0], np.cumsum(np.fromiter(lengths, np.int64))]).astype(np.int64)


def warm() -> None:
    """Compile the kernel now (or load it from numba's cache), outside any time limit."""
    from ontrack.core.rcpsp import problem

    decoder(problem([1, 1], [(0, 1, True, False, 0)], [((0, 1.0),), ()], [1.0]))([0.0, 1.0])
