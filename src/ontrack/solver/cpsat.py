"""Levelling solved with OR-Tools CP-SAT (the `optimize` extra): the exact counterpart of
the heuristic search in `core/level_search.py`, on the same `core/rcpsp.Problem`.

The model states the decoder's rules as constraints. Each job is an interval of its
length, starting no earlier than its release; fixed jobs stay where they are. Each link is
a linear inequality, except a link into a fixed job: a pin may break it, and the decoder
ignores it too. Each resource is a cumulative; fixed jobs alone may over-allocate it (two
pins at once), and then nothing else fits beside them. Ranks only order the decoder's
choices, so the model has none: the objective alone says what comes first.

Without OR-Tools this module still imports; `require()` and `solve()` raise SolverMissing.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ontrack.core.rcpsp import EPSILON, Problem, score

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

MISSING = "levelling with --optimize needs the optimize extra: pip install 'ontrack[optimize]'"
MAX_DENOMINATOR = 1000  # units are decimals or simple fractions: 0.5, 0.25, 0.333.. as 1/3


class SolverMissing(RuntimeError):
    """OR-Tools is not installed."""


def require() -> None:
    """Raise SolverMissing unless CP-SAT can be used, so that a caller can fail early."""
    try:
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError as error:
        raise SolverMissing(MISSING) from error


@dataclass(frozen=True)
class Solved:
    start: list[int]
    finish: list[int]
    score: tuple[int, ...]  # as `rcpsp.score`: each group's latest finish, then the project's
    proven: int  # how many leading components of `score` are proven optimal
    lower_bound: int
    """A proven lower bound on component `proven` of the best possible score: the first
    component not proven optimal (the makespan when there are no groups). Once all are
    proven, the makespan itself."""

    @property
    def optimal(self) -> bool:
        """The whole lexicographic objective is proven optimal."""
        return self.proven == len(self.score)


def solve(
    pb: Problem, warm_start: list[int], time_limit: float, seed: int = 0, workers: int = 2
) -> Solved:
    """The lexicographically best schedule CP-SAT finds within `time_limit` seconds, never
    worse than `warm_start` (the starts of a feasible schedule, such as the search's).

    Stage by stage: minimise the latest finish of the first group, hold it there, minimise
    the next group's, ..., then the project's finish. Each stage starts from the best
    schedule so far, as hints and with its value as an upper bound, and gets an equal share
    of the time left, so a stage proven early hands its time on to the next.

    CP-SAT is seeded with `seed`, but with `workers` > 1 its threads race, so two runs may
    differ; with one worker only a time limit that cuts a stage short makes them differ.
    Raises SolverMissing without OR-Tools, ValueError for a warm start that is not feasible
    or units that are not simple fractions."""
    require()
    deadline = time.monotonic() + time_limit
    units = _whole_units(pb)
    _check(pb, warm_start, units)
    model = _Model(pb, units, warm_start)
    best = list(warm_start)
    stages = [*pb.groups, range(pb.size)]
    proven, bounds = len(stages), []
    for k, jobs in enumerate(stages):
        seconds = (deadline - time.monotonic()) / (len(stages) - k)
        best, optimal, bound = model.minimise_latest_finish(jobs, best, seconds, seed, workers)
        bounds.append(bound)
        if not optimal:
            proven = min(proven, k)  # a stage's bound holds for the optimum after proven ones
    finish = _finish(pb, best)
    value = score(pb, finish)
    lower_bound = bounds[proven] if proven < len(stages) else value[-1]
    return Solved(best, finish, value, proven, lower_bound)


@dataclass(frozen=True)
class _Units:
    """One resource in whole units: its capacity, and the demand of each job that holds it
    for at least a slot."""

    capacity: int
    demand: dict[int, int]


class _Model:
    def __init__(self, pb: Problem, units: list[_Units], warm_start: list[int]) -> None:
        from ortools.sat.python import cp_model

        self.pb = pb
        self.model = model = cp_model.CpModel()
        horizon = _horizon(pb, warm_start)
        self.moving = {
            j: model.new_int_var(r, horizon - d, f"start{j}")
            for j, (d, r, f) in enumerate(zip(pb.duration, pb.release, pb.fixed, strict=True))
            if f < 0
        }
        self.start: list[cp_model.LinearExprT] = [
            self.moving.get(j, f) for j, f in enumerate(pb.fixed)
        ]
        for j, links in enumerate(pb.forward.incoming):
            if pb.fixed[j] < 0:
                for p, from_finish, to_finish, lag in links:
                    model.add(self.at(p, from_finish) + lag <= self.at(j, to_finish))
        for resource in units:
            intervals, demands = [], []
            for j, need in resource.demand.items():
                if j in self.moving:
                    d = pb.duration[j]
                    intervals.append(model.new_fixed_size_interval_var(self.moving[j], d, ""))
                    demands.append(need)
            if intervals:
                for t, length, load in _fixed_load(pb, resource):
                    intervals.append(model.new_fixed_size_interval_var(t, length, ""))
                    demands.append(load)
                model.add_cumulative(intervals, demands, resource.capacity)
        invalid = model.validate()
        if invalid:
            raise ValueError(f"the problem does not fit CP-SAT: {invalid}")

    def at(self, j: int, finish: bool) -> cp_model.LinearExprT:
        return self.start[j] + self.pb.duration[j] if finish else self.start[j]

    def minimise_latest_finish(
        self, jobs: Sequence[int], incumbent: list[int], seconds: float, seed: int, workers: int
    ) -> tuple[list[int], bool, int]:
        """Minimise the latest finish of `jobs` from the schedule `incumbent`, then hold it
        at the value found. Returns the best starts, whether they are proven optimal for
        this stage, and a proven lower bound on the stage's value."""
        from ortools.sat.python import cp_model

        pb, model = self.pb, self.model
        finish = _finish(pb, incumbent)
        upper = max((finish[j] for j in jobs), default=0)
        # No job can finish before its release plus its length, or a fixed job's finish.
        lower = max(
            (finish[j] if pb.fixed[j] >= 0 else pb.release[j] + pb.duration[j] for j in jobs),
            default=0,
        )
        latest = model.new_int_var(lower, upper, "latest")
        for j in jobs:
            if pb.fixed[j] < 0:
                model.add(self.at(j, True) <= latest)
        if lower == upper or seconds <= 0:
            return incumbent, lower == upper, lower
        model.minimize(latest)
        model.proto.clear_solution_hint()
        for j, var in self.moving.items():
            model.add_hint(var, incumbent[j])
        model.add_hint(latest, upper)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return incumbent, False, lower
        found = [solver.value(s) for s in self.start]
        value = solver.value(latest)
        model.add(latest <= value)
        bound = max(lower, math.ceil(solver.best_objective_bound))
        return found, value == bound, bound


def _finish(pb: Problem, start: Sequence[int]) -> list[int]:
    return [s + d for s, d in zip(start, pb.duration, strict=True)]


def _horizon(pb: Problem, warm_start: list[int]) -> int:
    """The latest finish any job may have. A stage may push jobs outside its group past
    the warm start's finish, but a left-justified schedule never needs more than every
    movable job in turn, each after its longest positive lag, after everything else."""
    lags = sum(max(lag, 0) for links in pb.forward.incoming for *_, lag in links)
    moving = sum(d for d, f in zip(pb.duration, pb.fixed, strict=True) if f < 0)
    return max([*_finish(pb, warm_start), *pb.release, 0]) + moving + lags


def _whole_units(pb: Problem) -> list[_Units]:
    """Each resource's capacity and demands scaled by their least common denominator, so
    the cumulatives are exact: 0.5 and 1.5 of a capacity of 2 become 1 and 3 of 4."""
    jobs: list[list[tuple[int, float]]] = [[] for _ in pb.capacity]
    for j, demand in enumerate(pb.demands):
        for r, units in demand:
            if pb.duration[j] and units > 0:  # a zero-length job holds nothing
                jobs[r].append((j, units))
    out = []
    for r, capacity in enumerate(pb.capacity):
        exact = [_fraction(capacity, r), *(_fraction(units, r) for _, units in jobs[r])]
        scale = math.lcm(*(f.denominator for f in exact))
        whole = [int(f * scale) for f in exact]
        out.append(_Units(whole[0], {j: w for (j, _), w in zip(jobs[r], whole[1:], strict=True)}))
    return out


def _fraction(units: float, r: int) -> Fraction:
    exact = Fraction(units).limit_denominator(MAX_DENOMINATOR)
    if abs(float(exact) - units) > EPSILON:
        raise ValueError(
            f"units {units} of resource {r} are not a fraction with a denominator up to "
            f"{MAX_DENOMINATOR}"
        )
    return exact


def _fixed_load(pb: Problem, resource: _Units) -> list[tuple[int, int, int]]:
    """What the fixed jobs hold of a resource as (start, length, units) steps, capped at
    its capacity: where pins over-allocate, the rest of the work sees a full resource."""
    change: dict[int, int] = defaultdict(int)
    for j, need in resource.demand.items():
        if pb.fixed[j] >= 0:
            change[pb.fixed[j]] += need
            change[pb.fixed[j] + pb.duration[j]] -= need
    steps, load = [], 0
    times = sorted(change)
    for t, after in itertools.pairwise(times):
        load += change[t]
        if load > 0:
            steps.append((t, after - t, min(load, resource.capacity)))
    return steps


def _check(pb: Problem, start: list[int], units: list[_Units]) -> None:
    """Raise ValueError unless `start` keeps to the rules the model states."""
    if len(start) != pb.size:
        raise ValueError(f"the warm start has {len(start)} starts for {pb.size} jobs")
    for j, (s, r, f) in enumerate(zip(start, pb.release, pb.fixed, strict=True)):
        if f >= 0:
            if s != f:
                raise ValueError(f"the warm start moves the fixed job {j}")
            continue
        if s < r:
            raise ValueError(f"the warm start starts job {j} before its release")
        for p, from_finish, to_finish, lag in pb.forward.incoming[j]:
            anchor = start[p] + (pb.duration[p] if from_finish else 0)
            if anchor + lag > s + (pb.duration[j] if to_finish else 0):
                raise ValueError(f"the warm start breaks the link from job {p} to job {j}")
    for r, resource in enumerate(units):
        change: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # fixed, moving
        for j, need in resource.demand.items():
            which = 0 if pb.fixed[j] >= 0 else 1
            change[start[j]][which] += need
            change[start[j] + pb.duration[j]][which] -= need
        fixed = moving = 0
        for t in sorted(change):
            fixed, moving = fixed + change[t][0], moving + change[t][1]
            if moving and moving + min(fixed, resource.capacity) > resource.capacity:
                raise ValueError(f"the warm start over-allocates resource {r} at slot {t}")
