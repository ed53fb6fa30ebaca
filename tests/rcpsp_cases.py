"""Random RCPSP problems and a feasibility check, shared by the tests of the decoder, the
search and the CP-SAT adapter."""

from __future__ import annotations

from hypothesis import strategies as st

from ontrack.core.rcpsp import EPSILON, Demand, Problem, decode, problem

FS, SS, FF, SF = (True, False), (False, False), (True, True), (False, True)


def assert_feasible(pb: Problem, start: list[int], finish: list[int]) -> None:
    """Every rule of the decoder, checked slot by slot: pins kept, releases, links (except
    into a pin, which may break them), and no resource over-allocated by movable work."""
    assert finish == [s + d for s, d in zip(start, pb.duration, strict=True)]
    for j in range(pb.size):
        if pb.fixed[j] >= 0:
            assert start[j] == pb.fixed[j]
            continue
        assert start[j] >= pb.release[j]
        for p, from_finish, to_finish, lag in pb.forward.incoming[j]:
            anchor = finish[p] if from_finish else start[p]
            assert anchor + lag <= (finish[j] if to_finish else start[j]), (p, j)
    for r, capacity in enumerate(pb.capacity):
        held = [(j, u) for j in range(pb.size) for q, u in pb.demands[j] if q == r]
        for t in range(max(finish, default=0)):
            running = [(j, u) for j, u in held if start[j] <= t < finish[j]]
            pinned = sum(u for j, u in running if pb.fixed[j] >= 0)
            moving = sum(u for j, u in running if pb.fixed[j] < 0)
            if moving:
                assert moving + min(pinned, capacity) <= capacity + EPSILON, (r, t)


@st.composite
def problems(draw: st.DrawFn, max_jobs: int = 7) -> tuple[Problem, list[int]]:
    """Small random problems of every link type, pins and fractional units, with the
    decoder's schedule for a random priority list (a warm start)."""
    n = draw(st.integers(1, max_jobs))
    capacity = draw(st.lists(st.sampled_from([1.0, 1.5, 2.0]), min_size=1, max_size=2))
    demands: list[Demand] = []
    for _ in range(n):
        held = sorted(draw(st.sets(st.integers(0, len(capacity) - 1))))
        fits = [[u for u in (0.5, 1.0, 1.5) if u <= capacity[r]] for r in held]
        demands.append(
            tuple((r, draw(st.sampled_from(u))) for r, u in zip(held, fits, strict=True))
        )
    fixed = draw(st.lists(st.one_of(st.just(-1), st.integers(0, 5)), min_size=n, max_size=n))
    pairs = [(p, s) for s in range(n) for p in range(s)]
    linked = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    links = [
        (p, s, *draw(st.sampled_from([FS, SS, FF, SF])), draw(st.integers(-2, 3)))
        for p, s in linked
    ]
    pb = problem(
        duration=draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)),
        links=links,
        demands=demands,
        capacity=capacity,
        release=draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
        fixed=fixed,
        rank=draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)),
        groups=draw(st.lists(st.lists(st.integers(0, n - 1), min_size=1), max_size=2)),
    )
    key = draw(st.permutations(range(n)))
    warm, _ = decode(pb, key)
    return pb, warm
