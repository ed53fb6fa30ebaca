"""Where an unlevelled schedule asks more of a resource than it has."""

from __future__ import annotations

from datetime import timedelta

from ontrack.core.calendar import MINUTES_PER_DAY, CalendarTable
from ontrack.core.network import BoolArray, IntArray, Network
from ontrack.core.results import Overallocation

EPSILON = 1e-9


def overallocations(
    net: Network,
    table: CalendarTable,
    start: IntArray,
    finish: IntArray,
    only: BoolArray | None = None,
) -> tuple[Overallocation, ...]:
    """Stretches of time, per resource, where the tasks holding it (or those of them that
    `only` selects) need more than its units."""
    events: dict[int, list[tuple[int, float, int]]] = {}
    for node, demands in enumerate(net.demands):
        for r, units in demands:
            if finish[node] > start[node] and (only is None or only[node]):
                events.setdefault(r, []).append((int(start[node]), units, node))
                events.setdefault(r, []).append((int(finish[node]), -units, node))
    found: list[Overallocation] = []
    for r, evs in sorted(events.items()):
        evs.sort(key=lambda e: (e[0], e[1]))  # releases before takes at the same instant
        load, open_at = 0.0, None
        holders: set[int] = set()
        involved: set[int] = set()
        peak = 0.0
        cap = float(net.resource_units[r])
        for i, (t, delta, node) in enumerate(evs):
            load += delta
            holders.symmetric_difference_update({node})
            nxt = evs[i + 1][0] if i + 1 < len(evs) else None
            if nxt == t:
                continue
            if load > cap + EPSILON:
                if open_at is None:
                    open_at, involved, peak = t, set(), 0.0
                involved |= holders
                peak = max(peak, load)
            elif open_at is not None:
                found.append(_record(net, table, r, open_at, t, peak, cap, involved))
                open_at = None
    return tuple(found)


def _record(
    net: Network,
    table: CalendarTable,
    r: int,
    a: int,
    b: int,
    peak: float,
    cap: float,
    nodes: set[int],
) -> Overallocation:
    return Overallocation(
        resource=net.resource_ids[r],
        start=table.date_of(a),
        finish=table.origin + timedelta(days=(b - 1) // MINUTES_PER_DAY),
        demand=peak,
        units=cap,
        tasks=tuple(net.ids[v] for v in sorted(nodes)),
    )
