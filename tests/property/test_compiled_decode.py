"""The compiled decoder of the optimize extra gives the core decoder's schedules, forward
and backward, on random problems of every link type, pins, ranks, releases and fractional
units, and so the search finds the same schedules with either."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontrack.core.level_search import Effort
from ontrack.core.rcpsp import Problem, decode, decoder, problem
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.interop.psplib import read_psplib
from rcpsp_cases import FS, problems

compiled_decode = pytest.importorskip("ontrack.solver.compiled_decode")
if not compiled_decode.available():
    pytest.skip("numba is not installed (the optimize extra)", allow_module_level=True)

SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PSPLIB = Path(__file__).parents[1] / "data" / "psplib"


@SLOW
@given(problems(max_jobs=10), st.randoms(use_true_random=False))
def test_the_compiled_decoder_gives_the_core_decoders_schedules(
    case: tuple[Problem, list[int]], rng: random.Random
) -> None:
    pb, _ = case
    compiled = compiled_decode.decoder(pb)
    for _ in range(20):  # a rank or a tie decides only some orders
        key = [rng.choice([0.0, 0.5, rng.random()]) for _ in range(pb.size)]
        assert compiled(key) == decode(pb, key)
        back_fixed = [rng.randint(0, 6) if f >= 0 else -1 for f in pb.fixed]
        assert compiled(key, backward=True, fixed=back_fixed) == decode(
            pb, key, backward=True, fixed=back_fixed
        )


def test_the_leveller_gives_the_same_schedule_with_either_decoder() -> None:
    plan = read_psplib(PSPLIB / "j601_1.sm")
    core, compiled = (
        schedule(plan, ScheduleOptions(effort=Effort(schedules=300, seed=2, decoder=d)))
        for d in (decoder, compiled_decode.decoder)
    )
    dates = [[(t.id, t.start, t.finish) for t in s.tasks] for s in (core, compiled)]
    assert dates[0] == dates[1]
    assert core.levelling == compiled.levelling  # the same search, to the schedule count


def test_a_successor_of_lower_rank_goes_first_as_in_the_core() -> None:
    """Random problems rarely hinge on a rank; this one does: job 2 outranks job 1."""
    pb = problem(
        [1, 1, 1], [(0, 1, *FS, 0), (0, 2, *FS, 0)], [((0, 1.0),)] * 3, [1.0], rank=[0, 1, 0]
    )
    assert compiled_decode.decoder(pb)([0.0, 0.0, 1.0]) == decode(pb, [0.0, 0.0, 1.0])
    assert decode(pb, [0.0, 0.0, 1.0]) == ([0, 2, 1], [1, 3, 2])
