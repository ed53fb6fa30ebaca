"""Which client outcomes each task serves, and the priority that follows from it.

A task serves the outcomes of its deliverable and any it names itself; children inherit
their summary's `deliverable` and `outcomes` unless they name their own. An outcome's
priority passes to every task that serves it and, backwards, to everything those tasks
depend on; a task takes the best (lowest) number it receives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ontrack.core.cpm import Levels
from ontrack.core.model import UNRANKED, Plan, Task, priority_rank
from ontrack.core.network import IntArray, Network


@dataclass(frozen=True)
class Trace:
    """`deliverable` and `outcomes` hold every task in walk order (Plan.walk_tasks), the
    order of the network's nodes."""

    deliverable: dict[str, str | None]  # task id -> effective deliverable
    outcomes: dict[str, tuple[str, ...]]  # task id -> outcomes served (summaries: all below)
    serving: dict[str, tuple[str, ...]]  # outcome id -> leaf tasks that serve it

    def leaves_serving(self, outcome_id: str) -> tuple[str, ...]:
        return self.serving.get(outcome_id, ())


def trace(plan: Plan) -> Trace:
    by_deliverable = {d.id: d.outcomes for d in plan.deliverables}
    deliverable: dict[str, str | None] = {}
    outcomes: dict[str, tuple[str, ...]] = {}
    serving: dict[str, list[str]] = {o.id: [] for o in plan.outcomes}
    # The outcomes served, by deliverable and outcomes named: most tasks share a few of these.
    served: dict[tuple[str | None, tuple[str, ...]], tuple[str, ...]] = {}

    def visit(
        tasks: tuple[Task, ...], up_deliverable: str | None, up_outcomes: tuple[str, ...]
    ) -> list[str]:
        """Record the tasks and everything below them; return the outcomes they serve."""
        below: list[str] = []
        for task in tasks:
            own_deliverable = task.deliverable or up_deliverable
            named = task.outcomes or up_outcomes
            deliverable[task.id] = own_deliverable
            key = (own_deliverable, named)
            if key not in served:
                from_deliverable = by_deliverable.get(own_deliverable or "", ())
                served[key] = tuple(dict.fromkeys(from_deliverable + named))
            mine = outcomes[task.id] = served[key]  # entered now: the dict keeps walk order
            if task.tasks:
                below_mine = visit(task.tasks, own_deliverable, named)
                mine = outcomes[task.id] = tuple(dict.fromkeys([*mine, *below_mine]))
            else:
                for outcome_id in mine:
                    serving.setdefault(outcome_id, []).append(task.id)
            below += mine
        return below

    visit(plan.tasks, None, ())
    return Trace(deliverable, outcomes, {k: tuple(v) for k, v in serving.items()})


def priorities(plan: Plan, net: Network, lv: Levels, tr: Trace) -> IntArray:
    """Each node's priority (lower is more important; UNRANKED when it serves nothing)."""
    prio = np.full(net.size, UNRANKED, np.int64)
    for o in plan.outcomes:
        leaves = [net.index[t] for t in tr.leaves_serving(o.id)]
        prio[leaves] = np.minimum(prio[leaves], priority_rank(o.priority))
    for k in range(len(lv.leaf_nodes) - 1, -1, -1):
        c, d = lv.child_slices[k]
        if d > c:
            kids = lv.child_order[c:d]
            prio[kids] = np.minimum(prio[kids], prio[net.parent[kids]])
        a, b = lv.link_slices[k]
        if b > a:
            np.minimum.at(prio, net.pred[a:b], prio[net.succ[a:b]])
    # A summary ranks as its most important child.
    lv.least_of_children(prio)
    return prio
