"""The levelled schedule a plan gets: the best of the priority rule, the search and,
when one is given, an exact solver, each judged on the calendars by the objective.

The objective (docs/scheduling.md) compares the latest finish of the work serving each
outcome priority, most important first, then the project's finish. The priority rule
alone already never delays a more important outcome for a less important one; the search
and the solver only replace its schedule with one that is better by that comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import numpy as np

from ontrack.core.cpm import CalendarAxis, critical_path, topological_levels
from ontrack.core.level_problem import reduce
from ontrack.core.level_search import Effort, improve
from ontrack.core.leveling import Levelled, level
from ontrack.core.network import IntArray, Network, take_links
from ontrack.core.rcpsp import Problem, decode, score
from ontrack.core.results import Levelling


class Solution(Protocol):
    """What an exact solver returns (see ontrack.solver.cpsat.Solved)."""

    @property
    def start(self) -> list[int]: ...
    @property
    def score(self) -> tuple[int, ...]: ...
    @property
    def proven(self) -> int: ...
    @property
    def lower_bound(self) -> int: ...


Optimizer = Callable[[Problem, list[int]], Callable[[], Solution]]
"""Start solving a problem, warm-started from a feasible schedule's starts; returns a call
that waits for the solution. The solver may run while the search does (the app runs
CP-SAT on the machine's other core)."""


def best_levelling(
    net: Network,
    axis: CalendarAxis,
    lower: IntArray,
    prio: IntArray,
    objective: list[IntArray],
    effort: Effort,
    optimizer: Optimizer | None,
) -> tuple[Levelled, Levelling]:
    rule = _late_finish_by_priority(net, axis, lower, prio)
    base = level(net, axis, lower, prio, rule)
    if not base.waits:  # nothing waited for a resource: every task is at its earliest
        return base, Levelling("rule", 0, True, None, None)
    reduced = reduce(net, axis, lower, prio, base, objective)
    pb, jobs = reduced.problem, reduced.nodes

    def judged(lev: Levelled) -> tuple[int, ...]:
        return score(pb, axis.project_work(lev.finish[jobs]).tolist())

    def decoded(order: list[int] | list[float], priority: IntArray) -> Levelled:
        key = rule.astype(np.float64)
        key[jobs] = np.where(reduced.fixed, key[jobs], order)
        return level(net, axis, lower, priority, key)

    rule_keys = rule[jobs].tolist()
    rule_start, rule_finish = decode(pb, rule_keys)
    pending = optimizer(pb, rule_start) if optimizer else None
    found = improve(pb, rule_keys, effort)
    exact = reduced.exact
    best, report = base, Levelling("rule", found.schedules, None, None, None)
    if found.score < score(pb, rule_finish):  # else not worth a calendar pass
        searched = decoded(found.key, prio)
        if judged(searched) < judged(best):
            best = searched
            report = replace(report, method="search")
    if exact and found.optimal:  # it meets the bound of unlimited resources
        report = replace(report, optimal=True, gap=0.0)
    if pending is None:
        return best, report
    solved = pending()
    # The solver has no priority rule: follow its order alone, and judge the result.
    solver_order = decoded(solved.start, np.zeros_like(prio))
    if judged(solver_order) < judged(best):
        best = solver_order
        report = replace(report, method="optimize")
    if not exact or report.optimal:
        return best, report
    # The problem is the plan's: the solver's bounds hold for the schedule kept.
    kept = tuple(v // reduced.slot for v in judged(best))
    proven = solved.proven == len(solved.score) and kept == solved.score
    bound = solved.lower_bound
    reached = kept[min(solved.proven, len(kept) - 1)]
    return best, replace(
        report,
        optimal=proven,
        lower_bound_days=bound * reduced.slot / (net.project_hours_per_day * 60),
        gap=(reached - bound) / bound if bound > 0 else 0.0,
    )


def _late_finish_by_priority(
    net: Network, axis: CalendarAxis, lower: IntArray, prio: IntArray
) -> IntArray:
    """Each task's late finish counting only work as important as it or more.

    The priority rule breaks ties within a priority by late finish (the classic
    latest-finish-time rule); taken from the whole plan, a less important successor would
    make a task look more urgent than it is for its own outcome, and the rule "never
    later for a less important outcome" would bend.
    """
    late = np.zeros(net.size, np.int64)
    for p in np.unique(prio).tolist():
        inside = prio <= p
        sub = take_links(net, inside[net.pred] & inside[net.succ])
        sub = replace(sub, external=net.external | ~inside)  # the rest sets no finish
        sub, sub_levels = topological_levels(sub)
        passes = critical_path(sub, sub_levels, axis, lower)
        late = np.where(prio == p, passes.late_finish, late)
    return late
