"""Levelling with CP-SAT: exact on small problems whose optimum is known by reasoning and
on a PSPLIB instance, feasible and never worse than its warm start on random problems."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ontrack.core.rcpsp import Demand, Problem, decode, problem, score
from ontrack.interop.psplib import load_instance, to_problem
from ontrack.solver.cpsat import MISSING, Solved, SolverMissing, require, solve
from rcpsp_cases import FF, FS, SF, SS, assert_feasible, problems

PSPLIB = Path(__file__).parents[1] / "data" / "psplib"


def run(pb: Problem, warm: list[int] | None = None, seconds: float = 10.0) -> Solved:
    """Solve from `warm`, or from the decoder's schedule in job order, and check it."""
    if warm is None:
        warm, _ = decode(pb, list(range(pb.size)))
    solved = solve(pb, warm, seconds, workers=1)
    assert_feasible(pb, solved.start, solved.finish)
    assert solved.score == score(pb, solved.finish)
    return solved


def on_one_resource(durations: list[int], units: list[float], capacity: float) -> Problem:
    demands: list[Demand] = [((0, u),) for u in units]
    return problem(durations, [], demands, [capacity])


def test_jobs_that_cannot_overlap_take_the_sum_of_their_lengths() -> None:
    solved = run(on_one_resource([2, 3, 4], [1, 1, 1], 1))
    assert solved.score == (9,)
    assert solved.optimal and solved.proven == 1 and solved.lower_bound == 9


def test_a_poor_warm_start_is_packed_to_the_optimum() -> None:
    # Two one-unit jobs of 4 slots run side by side, the two-unit job of 1 slot after.
    pb = on_one_resource([1, 4, 4], [2, 1, 1], 2)
    solved = run(pb, warm=[0, 1, 5])
    assert solved.score == (5,) and solved.optimal


def test_without_time_the_warm_start_comes_back_with_a_trivial_bound() -> None:
    pb = on_one_resource([2, 3, 4], [1, 1, 1], 1)
    solved = solve(pb, [0, 2, 5], time_limit=0)
    assert solved.start == [0, 2, 5]
    assert not solved.optimal and solved.proven == 0
    assert solved.lower_bound == 4  # the longest job


@pytest.mark.parametrize(
    ("kind", "lag", "finish"),
    [
        (FS, 1, 8),  # starts 1 after the predecessor's finish at 5
        (SS, 2, 6),  # starts 2 after its start at 2
        (FF, 1, 6),  # finishes 1 after its finish
        (SF, 3, 5),  # finishes 3 after its start
        (FS, -2, 5),  # starts 2 before its finish
        (SS, -2, 2),  # may start before it: at slot 0
        (FF, -4, 2),  # no earlier than its own length
    ],
)
def test_each_link_type_with_its_lag_bounds_the_successor(
    kind: tuple[bool, bool], lag: int, finish: int
) -> None:
    # Predecessor: 3 slots from its release at 2. Successor: 2 slots, in the first group.
    pb = problem([3, 2], [(0, 1, *kind, lag)], [(), ()], [], release=[2, 0], groups=[[1]])
    solved = run(pb)
    assert solved.score[0] == finish and solved.optimal


def test_links_of_every_type_and_a_shared_resource_hold_together() -> None:
    links = [
        (0, 1, *FS, 1),
        (0, 2, *SS, 2),
        (2, 3, *FF, -1),
        (1, 4, *SF, 3),
        (1, 5, *FS, -2),
    ]
    demands: list[Demand] = [((0, 1.0),)] * 6
    pb = problem([3, 2, 4, 1, 2, 2], links, demands, [2.0])
    solved = run(pb)
    # 14 slots of work, two at a time, but the links let only job 0 run in slots 0-1 and
    # only job 2 in slot 3: at least (14 + 3) / 2 slots, and 9 can be met.
    assert solved.score == (9,) and solved.optimal and solved.lower_bound == 9


def test_work_fits_around_a_fixed_job_which_keeps_its_start() -> None:
    # r is taken by the pin in slots 2-3: the 2-slot job fits before it, the 3-slot after.
    pb = problem([2, 3, 2], [], [((0, 1.0),)] * 3, [1.0], fixed=[2, -1, -1])
    solved = run(pb, warm=[2, 4, 7])
    assert solved.start == [2, 4, 0] and solved.score == (7,) and solved.optimal


def test_pins_may_over_allocate_and_break_links_and_the_rest_waits() -> None:
    # Pins p0 and p1 hold r (1 unit) in slots 0-1 and 1-2, so q, which needs r, waits
    # until 3. The pin x at 1 follows a (3 slots), a link it breaks; b follows p0 by 2.
    demands: list[Demand] = [((0, 1.0),), ((0, 1.0),), ((0, 1.0),), (), (), ()]
    links = [(3, 4, *FS, 0), (0, 5, *FS, 2)]
    pb = problem([2, 2, 1, 3, 1, 1], links, demands, [1.0], fixed=[0, 1, -1, -1, 1, -1])
    solved = run(pb, warm=[0, 1, 3, 0, 1, 4])
    assert solved.start == [0, 1, 3, 0, 1, 4]
    assert solved.score == (5,) and solved.optimal


@pytest.mark.parametrize(
    ("units", "makespan"),
    [
        ([0.5, 0.5, 0.5, 0.25, 0.25], 4),  # 2 units of work on 1: two rounds
        ([0.5, 0.25, 0.25], 2),  # exactly 1: one round
        ([1 / 3, 1 / 3, 1 / 3], 2),  # thirds add up to the capacity
        ([1 / 3, 1 / 3, 1 / 3, 1 / 3], 4),
    ],
)
def test_fractional_units_are_exact(units: list[float], makespan: int) -> None:
    pb = on_one_resource([2] * len(units), units, 1.0)
    solved = run(pb, warm=[2 * j for j in range(len(units))])
    assert solved.score == (makespan,) and solved.optimal


def test_units_that_are_no_simple_fraction_are_refused() -> None:
    pb = on_one_resource([1], [0.1234567], 1.0)
    with pytest.raises(ValueError, match="denominator"):
        solve(pb, [0], 1.0)


@pytest.mark.parametrize(
    ("warm", "pin", "problem_found"),
    [
        ([0, 4, 5], -1, "over-allocates resource 0 at slot 5"),
        ([2, 0, 4], -1, "breaks the link from job 0 to job 1"),
        ([0, 2, 3], -1, "starts job 2 before its release"),
        ([0, 2, 6], 4, "moves the fixed job 2"),
    ],
)
def test_a_warm_start_that_breaks_a_rule_is_refused(
    warm: list[int], pin: int, problem_found: str
) -> None:
    # Three 2-slot jobs on one unit of r: b follows a, c is released at 4 (or pinned there).
    pb = problem([2] * 3, [(0, 1, *FS, 0)], [((0, 1.0),)] * 3, [1.0], [0, 0, 4], [-1, -1, pin])
    with pytest.raises(ValueError, match=problem_found):
        solve(pb, warm, 1.0)


def test_the_first_group_comes_first_even_if_the_second_waits_longer() -> None:
    # One resource: a (4 slots, group 1) and b (1 slot, group 2). b first would finish
    # both by 5 and b at 1; a first finishes a at 4, and b only at 5.
    pb = problem([4, 1], [], [((0, 1.0),)] * 2, [1.0], groups=[[0], [1]])
    solved = run(pb, warm=[1, 0])
    assert solved.score == (4, 5, 5) and solved.start == [0, 4]
    assert solved.optimal and solved.proven == 3


def test_a_later_group_is_minimised_once_the_first_is_held() -> None:
    # a (3 slots, group 1), then b and c (1 slot each, group 2, c after b) share r.
    pb = problem([3, 1, 1], [(1, 2, *FS, 0)], [((0, 1.0),)] * 3, [1.0], groups=[[0], [1, 2]])
    solved = run(pb, warm=[2, 0, 5])  # scores (5, 6, 6)
    assert solved.score == (3, 5, 5) and solved.start == [0, 3, 4] and solved.optimal


def test_a_psplib_instance_is_solved_to_its_known_optimum() -> None:
    solved = run(to_problem(load_instance(PSPLIB / "j301_1.sm")), seconds=30.0)
    assert solved.score == (43,)
    assert solved.optimal and solved.lower_bound == 43


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_problems_come_back_feasible_and_no_worse_than_the_warm_start(
    case: tuple[Problem, list[int]],
) -> None:
    pb, warm = case
    solved = run(pb, warm, seconds=2.0)
    assert solved.score <= score(pb, [s + d for s, d in zip(warm, pb.duration, strict=True)])
    if solved.optimal:
        assert solved.lower_bound == solved.score[-1]
        if pb.size <= 5:  # no priority list decodes to a better schedule
            for key in itertools.permutations(range(pb.size)):
                assert solved.score <= score(pb, decode(pb, key)[1])


def test_without_ortools_the_module_imports_and_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['ortools'] = None\n"
        "from ontrack.solver import cpsat\n"
        "try:\n    cpsat.require()\nexcept cpsat.SolverMissing as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == MISSING


def test_solve_checks_for_ortools_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    with pytest.raises(SolverMissing, match="pip install 'ontrack\\[optimize\\]'"):
        require()
    with pytest.raises(SolverMissing):
        solve(on_one_resource([1], [1], 1), [0], 1.0)
