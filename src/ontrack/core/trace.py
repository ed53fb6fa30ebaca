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

    def visit(
        task: Task, up_deliverable: str | None, up_outcomes: tuple[str, ...]
    ) -> tuple[str, ...]:
        own_deliverable = task.deliverable or up_deliverable
        named = task.outcomes if task.outcomes else up_outcomes
        deliverable[task.id] = own_deliverable
        mine = tuple(dict.fromkeys(by_deliverable.get(own_deliverable or "", ()) + named))
        if task.is_summary:
            below: tuple[str, ...] = ()
            for child in task.tasks:
                below += visit(child, own_deliverable, named)
            mine = tuple(dict.fromkeys(mine + below))
        else:
            for outcome_id in mine:
                serving.setdefault(outcome_id, []).append(task.id)
        outcomes[task.id] = mine
        return mine

    for task in plan.tasks:
        visit(task, None, ())
    return Trace(deliverable, outcomes, {k: tuple(v) for k, v in serving.items()})


def priorities(plan: Plan, net: Network, lv: Levels, tr: Trace) -> IntArray:
    """Each node's priority (lower is more important; UNRANKED when it serves nothing)."""
    rank = {o.id: priority_rank(o.priority) for o in plan.outcomes}
    prio = np.full(net.size, UNRANKED, np.int64)
    for node, task in enumerate(net.tasks):
        if task is not None and not task.is_summary:
            served = [rank[o] for o in tr.outcomes[task.id] if o in rank]
            if served:
                prio[node] = min(served)
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
