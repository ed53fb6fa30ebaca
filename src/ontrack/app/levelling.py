"""How hard levelling works, from the user's settings: the search's seed and time, and
CP-SAT for `--optimize` (the clock lives here, not in the core)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ontrack.core.level_best import Optimizer, Solution
from ontrack.core.level_search import Effort
from ontrack.core.rcpsp import Problem

SEARCH_SHARE = 0.3  # of --optimize's seconds, the heuristic's; the solver gets the rest


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
    from ontrack.solver import cpsat

    cpsat.require()  # fail before any work when the extra is missing
    total = settings.optimize
    end = time.monotonic() + total
    search = Effort(seed=settings.seed, should_stop=_after(total * SEARCH_SHARE))

    def optimizer(pb: Problem, warm_start: list[int]) -> Solution:
        left = max(0.0, end - time.monotonic())
        return cpsat.solve(pb, warm_start, left, seed=settings.seed)

    return search, optimizer


def _after(seconds: float) -> Callable[[], bool]:
    end = time.monotonic() + seconds
    return lambda: time.monotonic() > end
