"""The decoder and the search on random problems, and the default leveller on PSPLIB
instances against their published optima."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontrack.core.level_search import Effort, improve
from ontrack.core.rcpsp import Problem, decode, justify, problem, score
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.interop.psplib import read_psplib
from rcpsp_cases import FS, assert_feasible, problems

PSPLIB = Path(__file__).parents[1] / "data" / "psplib"
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(problems(max_jobs=9), st.randoms(use_true_random=False))
def test_any_priority_list_decodes_to_a_feasible_schedule(
    case: tuple[Problem, list[int]], rng: random.Random
) -> None:
    pb, _ = case
    key = [rng.random() for _ in range(pb.size)]
    start, finish = decode(pb, key)
    assert_feasible(pb, start, finish)


@SLOW
@given(problems(max_jobs=9))
def test_a_job_never_goes_before_an_eligible_job_of_lower_rank(
    case: tuple[Problem, list[int]],
) -> None:
    """Without resources or links, every movable job starts at its release, whatever the
    list; with them, the decoder is what the search and the leveller share."""
    pb, _ = case
    free = problem(pb.duration, [], [()] * pb.size, [], release=pb.release, fixed=pb.fixed)
    start, _ = decode(free, list(range(pb.size)))
    for j in range(pb.size):
        assert start[j] == (pb.fixed[j] if pb.fixed[j] >= 0 else pb.release[j])


@st.composite
def psplib_like(draw: st.DrawFn) -> Problem:
    """Finish-to-start links only, no releases or pins, one objective: the problem that
    forward-backward justification is known never to make worse."""
    n = draw(st.integers(2, 12))
    capacity = [float(draw(st.integers(1, 3)))]
    links = [(p, s, *FS, 0) for s in range(n) for p in range(s) if draw(st.integers(0, 3)) == 0]
    demands = [((0, float(draw(st.integers(0, int(capacity[0]))))),) for _ in range(n)]
    return problem(
        draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), links, demands, capacity
    )


@SLOW
@given(psplib_like(), st.randoms(use_true_random=False))
def test_justification_never_lengthens_a_schedule(pb: Problem, rng: random.Random) -> None:
    start, finish = decode(pb, [rng.random() for _ in range(pb.size)])
    again_start, again_finish = decode(pb, justify(pb, start, finish))
    assert_feasible(pb, again_start, again_finish)
    assert max(again_finish) <= max(finish)


@pytest.mark.parametrize("restart_after", [None, 5])  # 5: a pool of 6 starts afresh often
@SLOW
@given(problems(max_jobs=9))
def test_the_search_is_feasible_deterministic_and_never_worse_than_the_rule(
    restart_after: int | None, case: tuple[Problem, list[int]]
) -> None:
    pb, _ = case
    rule = [float(j) for j in range(pb.size)]
    effort = Effort(schedules=60, seed=3, population=6, restart_after=restart_after)
    found = improve(pb, rule, effort)
    assert_feasible(pb, found.start, found.finish)
    assert found.score == score(pb, found.finish)
    assert found.score <= score(pb, decode(pb, rule)[1])
    assert decode(pb, found.key) == (found.start, found.finish)  # its list gives its schedule
    assert improve(pb, rule, effort) == found
    assert found.schedules <= 60


def test_the_search_stops_when_it_reaches_the_bound_of_unlimited_resources() -> None:
    pb = problem([2, 2, 2], [], [((0, 1.0),)] * 3, [3.0])
    found = improve(pb, [0.0, 1.0, 2.0], Effort(schedules=1000))
    assert found.optimal and found.schedules == 1 and found.score == (2,)


def makespan(name: str, effort: Effort) -> int:
    sched = schedule(read_psplib(PSPLIB / f"{name}.sm"), ScheduleOptions(effort=effort))
    return max((t.finish - sched.start).days + 1 for t in sched.tasks if t.kind != "milestone")


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("j301_1", 43), ("j3021_1", 84), ("j3048_10", 54), ("j601_1", 77)],  # PSPLIB's tables
)
def test_the_default_leveller_comes_close_to_the_published_optimum(name: str, optimum: int) -> None:
    by_rule = makespan(name, Effort(schedules=0))
    by_default = makespan(name, Effort())
    assert optimum <= by_default <= by_rule
    assert by_default <= optimum * 1.02


def test_the_search_beats_the_rule_where_the_rule_misses() -> None:
    assert makespan("j301_1", Effort()) == 43 < makespan("j301_1", Effort(schedules=0))
