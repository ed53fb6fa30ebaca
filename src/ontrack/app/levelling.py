"""How hard levelling works, from the user's settings: the search's seed and time, and
for `--optimize` CP-SAT beside a search with the compiled decoder (the clock lives here,
not in the core)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ontrack.core import rcpsp
from ontrack.core.level_best import Optimizer, Solution
from ontrack.core.level_search import Effort
from ontrack.core.rcpsp import Problem

RESTART_AFTER = 2000
"""Decodings without a better schedule before --optimize's search starts a fresh pool
around its best (core/level_search.py): on PSPLIB, 1500 to 2500 did best."""


@dataclass(frozen=True)
class LevelSettings:
    level: bool = True
    seed: int = 0
    seconds: float | None = None  # the search stops by then; without it, by its effort
    optimize: float | None = None  # seconds for search and CP-SAT together


def effort_and_optimizer(settings: LevelSettings) -> tuple[Effort, Optimizer | None]:
    if settings.optimize is None:
        if settings.seconds is None:
            return Effort(seed=settings.seed), None
        stop = _after(settings.seconds)
        return Effort(schedules=10**9, seed=settings.seed, should_stop=stop), None
    from ontrack.solver import compiled_decode, cpsat

    cpsat.require()  # fail before any work when the extra is missing
    decoder = rcpsp.decoder
    if compiled_decode.available():
        compiled_decode.warm()  # its first use compiles: not on the levelling clock
        decoder = compiled_decode.decoder
    end = time.monotonic() + settings.optimize
    solving: list[Future[cpsat.Solved]] = []  # the solve, once started

    def proven() -> bool:
        """Nothing beats the solver's schedule: the search may stop."""
        return any(f.done() and f.exception() is None and f.result().optimal for f in solving)

    search = Effort(
        schedules=10**9,
        seed=settings.seed,
        should_stop=lambda: time.monotonic() > end or proven(),
        decoder=decoder,
        restart_after=RESTART_AFTER,
    )

    def optimizer(pb: Problem, warm_start: list[int]) -> Callable[[], Solution]:
        """CP-SAT on one core, in a thread (it releases the GIL), while the search runs
        on the other: the better of both at equal time, or sooner when CP-SAT proves its
        schedule optimal."""
        pool = ThreadPoolExecutor(max_workers=1)
        left = max(0.0, end - time.monotonic())
        future = pool.submit(cpsat.solve, pb, warm_start, left, settings.seed, 1)
        solving.append(future)
        pool.shutdown(wait=False)  # the solve goes on; `future.result` waits for it
        return future.result

    return search, optimizer


def _after(seconds: float) -> Callable[[], bool]:
    end = time.monotonic() + seconds
    return lambda: time.monotonic() > end
