"""Critical-path passes over the network, vectorised one topological level at a time.

Every link gives its successor a bound expressed as a work index of the successor's
calendar; a level's nodes take the maximum of their bounds with one ``reduceat``. The
passes run on a *time axis*: absolute minutes with calendar look-ups in general, or,
when every task runs on the project calendar and nothing is elapsed time, directly on
working minutes, where every conversion is the identity (the common, fast case).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ontrack.core.calendar import CalendarTable
from ontrack.core.network import BoolArray, IntArray, Network, take_links

BIG = np.int64(2**60)


class CalendarAxis:
    """Absolute minutes; conversions go through the calendar table."""

    def __init__(self, table: CalendarTable) -> None:
        self.table = table

    def work_before(self, cal: IntArray, t: IntArray) -> IntArray:
        return self.table.work_before(cal, t)

    def start_of(self, cal: IntArray, w: IntArray) -> IntArray:
        return self.table.start_of(cal, w)

    def end_of(self, cal: IntArray, w: IntArray) -> IntArray:
        return self.table.end_of(cal, w)

    def to_minutes(self, t: IntArray, *, end: bool) -> IntArray:
        return t

    def from_minutes(self, t: IntArray) -> IntArray:
        return t

    def project_work(self, t: IntArray) -> IntArray:
        return self.table.work_before(np.zeros_like(t), t)

    def overflows(self, t: IntArray) -> bool:
        return bool(np.any(t >= self.table.horizon - 2 * 24 * 60))


class WorkAxis:
    """Working minutes of the single project calendar: conversions are the identity."""

    def __init__(self, table: CalendarTable) -> None:
        self.table = table

    def work_before(self, cal: IntArray, t: IntArray) -> IntArray:
        return t

    def start_of(self, cal: IntArray, w: IntArray) -> IntArray:
        return w

    def end_of(self, cal: IntArray, w: IntArray) -> IntArray:
        return w

    def to_minutes(self, t: IntArray, *, end: bool) -> IntArray:
        cal = np.zeros_like(t)
        return self.table.end_of(cal, t) if end else self.table.start_of(cal, t)

    def from_minutes(self, t: IntArray) -> IntArray:
        return self.table.work_before(np.zeros_like(t), t)

    def project_work(self, t: IntArray) -> IntArray:
        return t

    def overflows(self, t: IntArray) -> bool:
        return bool(np.any(t >= self.table.total[0]))


Axis = CalendarAxis | WorkAxis
Links = IntArray | slice  # some links of a network: by index, or a level's contiguous run


def fits_work_axis(net: Network) -> bool:
    return bool(
        not net.is_elapsed.any()
        and not np.any(net.cal != 0)
        and not np.any(net.lag_elapsed)
        and not net.pinned.any()
    )


@dataclass(frozen=True)
class Levels:
    """The nodes and links of each topological level, precomputed once per network."""

    level: IntArray
    leaf_nodes: list[IntArray]  # leaves of each level, in link-group order
    group_starts: list[IntArray]  # start of each leaf's links within the level's slice
    link_slices: list[tuple[int, int]]  # links are sorted by (level of successor, successor)
    summary_nodes: list[IntArray]
    child_order: IntArray  # children sorted by (level of parent, parent)
    child_starts: list[IntArray]
    child_slices: list[tuple[int, int]]

    def children_of_level(self, k: int) -> tuple[IntArray, IntArray, IntArray]:
        """The summaries of level k, their children (grouped) and where each group starts."""
        c, d = self.child_slices[k]
        return self.summary_nodes[k], self.child_order[c:d], self.child_starts[k]

    def least_of_children(self, values: npt.NDArray[Any]) -> None:
        """Give every summary the least value of its children."""
        for k in range(len(self.summary_nodes)):
            sums, kids, starts = self.children_of_level(k)
            if sums.size:
                values[sums] = np.minimum.reduceat(values[kids], starts)

    def span_children(self, first: IntArray, last: IntArray) -> None:
        """Make every summary span its children: earliest `first`, latest `last`."""
        for k in range(len(self.summary_nodes)):
            sums, kids, starts = self.children_of_level(k)
            if sums.size:
                first[sums] = np.minimum.reduceat(first[kids], starts)
                last[sums] = np.maximum.reduceat(last[kids], starts)


def topological_levels(net: Network) -> tuple[Network, Levels]:
    """Longest-path levels (Kahn's algorithm by frontiers) over links and child→summary edges.

    Returns the network with its links sorted by the level of their successor, so that a
    level's links are one contiguous slice (views, not copies, in the passes).
    Raises ValueError if the graph has a cycle (validation reports cycles first).
    """
    n = net.size
    children = np.flatnonzero(net.parent >= 0)
    src = np.concatenate([net.pred, children])
    dst = np.concatenate([net.succ, net.parent[children]])
    order = np.argsort(src, kind="stable")
    dst_sorted = dst[order]
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    indeg = np.bincount(dst, minlength=n).astype(np.int64)
    level = np.full(n, -1, np.int64)
    slot = np.zeros(n, np.int64)
    frontier = np.flatnonzero(indeg == 0)
    depth = 0
    while frontier.size:
        level[frontier] = depth
        starts = ptr[frontier]
        counts = ptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        targets = dst_sorted[offsets]
        np.subtract.at(indeg, targets, 1)
        # The targets left with no links in, each once: of the places a node appears, only
        # the one whose position its slot kept.
        ready = targets[indeg[targets] == 0]
        places = np.arange(ready.size)
        slot[ready] = places
        frontier = ready[slot[ready] == places]
        depth += 1
    if np.any(level < 0):
        raise ValueError("the dependency graph has a cycle")
    net = take_links(net, np.lexsort((net.succ, level[net.succ])))
    return net, _group_by_level(net, level)


def _group_by_level(net: Network, level: IntArray) -> Levels:
    depth = int(level.max()) + 1 if level.size else 0
    link_bounds = np.searchsorted(level[net.succ], np.arange(depth + 1))
    children = np.flatnonzero(net.parent >= 0)
    child_level = level[net.parent[children]]
    child_sort = np.lexsort((net.parent[children], child_level))
    child_order = children[child_sort]
    child_bounds = np.searchsorted(child_level[child_sort], np.arange(depth + 1))
    leaf_nodes, group_starts, link_slices = [], [], []
    summary_nodes, child_starts, child_slices = [], [], []
    is_summary = net.summary
    nodes_by_level = np.argsort(level, kind="stable")
    node_bounds = np.searchsorted(level[nodes_by_level], np.arange(depth + 1))
    for k in range(depth):
        a, b = int(link_bounds[k]), int(link_bounds[k + 1])
        succ = net.succ[a:b]
        if b > a:
            first = np.flatnonzero(np.concatenate([[True], succ[1:] != succ[:-1]]))
            leaf_nodes.append(succ[first])
            group_starts.append(first)
        else:
            at_level = nodes_by_level[node_bounds[k] : node_bounds[k + 1]]
            leaf_nodes.append(at_level[~is_summary[at_level]])
            group_starts.append(np.zeros(0, np.int64))
        link_slices.append((a, b))
        c, d = int(child_bounds[k]), int(child_bounds[k + 1])
        parents = net.parent[child_order[c:d]]
        if d > c:
            first = np.flatnonzero(np.concatenate([[True], parents[1:] != parents[:-1]]))
            summary_nodes.append(parents[first])
            child_starts.append(first)
        else:
            summary_nodes.append(np.zeros(0, np.int64))
            child_starts.append(np.zeros(0, np.int64))
        child_slices.append((c, d))
    return Levels(
        level,
        leaf_nodes,
        group_starts,
        link_slices,
        summary_nodes,
        child_order,
        child_starts,
        child_slices,
    )


@dataclass(frozen=True)
class Passes:
    """Early and late instants on the axis, per node."""

    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    finish_driven: BoolArray  # milestones dated by the finish that drives them
    first_child: IntArray  # of each summary, the child that starts first (-1 otherwise)


def starts_bound_finishes(net: Network, links: Links, finish_driven: BoolArray) -> BoolArray:
    """Links that bound a successor's finish by an instant where work *starts*: SF, and FF
    from a milestone dated by its start."""
    p = net.pred[links]
    start_form = ~net.from_finish[links] | (net.milestone[p] & ~finish_driven[p])
    result: BoolArray = net.to_finish[links] & start_form
    return result


def link_work(
    net: Network,
    axis: Axis,
    links: Links,
    start: IntArray,
    finish: IntArray,
    finish_driven: BoolArray,
) -> IntArray:
    """The work index each link allows its successor to start at (successor's calendar)."""
    p, s = net.pred[links], net.succ[links]
    cal = net.cal[s]
    from_finish, to_finish = net.from_finish[links], net.to_finish[links]
    anchor = np.where(from_finish, finish[p], start[p])
    start_form = starts_bound_finishes(net, links, finish_driven)
    if start_form.any():
        # A finish compared with an instant where work starts: take that instant as the end
        # of the successor's working minute before it, so "finishes as that starts" holds
        # without a gap.
        as_end = axis.end_of(cal, axis.work_before(cal, anchor))
        anchor = np.where(start_form, as_end, anchor)
    anchor = anchor + net.lag_elapsed[links]
    w = axis.work_before(cal, anchor)
    if to_finish.any():
        # A finish bound is met by the first working minute that *ends* at or after it,
        # which for an instant in the successor's non-working time is one minute later.
        w = np.where(to_finish & (axis.end_of(cal, w) < anchor), w + 1, w)
    w = w + net.lag_work[links]
    if to_finish.any():
        as_start = np.where(
            net.is_elapsed[s],
            axis.work_before(cal, axis.end_of(cal, w) - net.elapsed[s]),
            w - net.work[s],
        )
        w = np.where(to_finish, as_start, w)
    return w


def link_keys(
    net: Network,
    axis: Axis,
    links: Links,
    start: IntArray,
    finish: IntArray,
    finish_driven: BoolArray,
) -> IntArray:
    """Start keys the links give: 2·work index, plus 1 where a start (not a finish) drives.

    A finish drives through FS and FF links, except from a milestone that was itself
    dated by a start: a milestone right after it keeps its date.
    """
    p = net.pred[links]
    by_finish = net.from_finish[links] & ~(net.milestone[p] & ~finish_driven[p])
    keys: IntArray = 2 * link_work(net, axis, links, start, finish, finish_driven) + ~by_finish
    return keys


def place(
    net: Network, axis: Axis, nodes: IntArray, key: IntArray
) -> tuple[IntArray, IntArray, BoolArray]:
    """Start and finish instants of leaves from their start key (2·work index + start-driven).

    Pinned nodes ignore the key: a pin starts at its first working minute on or after its
    date and runs its duration in its calendar; done work keeps its actual dates."""
    cal = net.cal[nodes]
    pinned = net.pinned[nodes]
    fixed = bool(pinned.any())
    if fixed:
        user_pin = net.user_pin[nodes]
        key = np.where(user_pin, lower_key(net, axis, nodes, net.pin_start), key)
    w = key >> 1
    milestone = net.milestone[nodes]
    finish_driven = milestone & ((key & 1) == 0)
    s_t = axis.start_of(cal, w)
    if finish_driven.any():
        s_t = np.where(finish_driven, axis.end_of(cal, w), s_t)
    e_t = np.where(
        net.is_elapsed[nodes],
        s_t + net.elapsed[nodes],
        np.where(milestone, s_t, axis.end_of(cal, w + net.work[nodes])),
    )
    if fixed:
        done = pinned & ~user_pin
        s_t = np.where(done, net.pin_start[nodes], s_t)
        e_t = np.where(done, net.pin_end[nodes], e_t)
        finish_driven &= ~done
    return s_t, e_t, finish_driven


def lower_key(net: Network, axis: Axis, nodes: IntArray, lower: IntArray) -> IntArray:
    key: IntArray = 2 * axis.work_before(net.cal[nodes], lower[nodes]) + 1
    return key


def forward(
    net: Network, lv: Levels, axis: Axis, lower: IntArray
) -> tuple[IntArray, IntArray, BoolArray, IntArray]:
    n = net.size
    start = np.zeros(n, np.int64)
    finish = np.zeros(n, np.int64)
    finish_driven = np.zeros(n, bool)
    first_child = np.full(n, -1, np.int64)
    for k, nodes in enumerate(lv.leaf_nodes):
        key = lower_key(net, axis, nodes, lower)
        a, b = lv.link_slices[k]
        if b > a:
            links = slice(a, b)
            by_link = link_keys(net, axis, links, start, finish, finish_driven)
            key = np.maximum(key, np.maximum.reduceat(by_link, lv.group_starts[k]))
        start[nodes], finish[nodes], finish_driven[nodes] = place(net, axis, nodes, key)
        _summaries_forward(net, lv, k, start, finish, first_child)
    return start, finish, finish_driven, first_child


def _summaries_forward(
    net: Network, lv: Levels, k: int, start: IntArray, finish: IntArray, first_child: IntArray
) -> None:
    sums, kids, starts = lv.children_of_level(k)
    if not sums.size:
        return
    start[sums] = np.minimum.reduceat(start[kids], starts)
    finish[sums] = np.maximum.reduceat(finish[kids], starts)
    # The child that starts first carries the summary's start for late dates.
    for s, kid_slice in zip(sums.tolist(), np.split(kids, starts[1:]), strict=True):
        first_child[s] = kid_slice[np.argmin(start[kid_slice])]


def backward(
    net: Network,
    lv: Levels,
    axis: Axis,
    start: IntArray,
    finish: IntArray,
    finish_driven: BoolArray,
    first_child: IntArray,
    project_finish: int,
) -> tuple[IntArray, IntArray]:
    n = net.size
    end_bound = np.full(n, project_finish, np.int64)
    start_bound = np.full(n, BIG, np.int64)
    late_start = np.zeros(n, np.int64)
    late_finish = np.zeros(n, np.int64)
    for k in range(len(lv.leaf_nodes) - 1, -1, -1):
        sums = lv.summary_nodes[k]
        if sums.size:
            first, last = lv.child_slices[k]
            kids = lv.child_order[first:last]
            parents = net.parent[kids]
            end_bound[kids] = np.minimum(end_bound[kids], end_bound[parents])
            firsts = first_child[sums]
            start_bound[firsts] = np.minimum(start_bound[firsts], start_bound[sums])
        nodes = lv.leaf_nodes[k]
        _late_of(net, axis, nodes, end_bound, start_bound, start, finish, late_start, late_finish)
        a, b = lv.link_slices[k]
        if b == a:
            continue
        links = slice(a, b)
        p, s = net.pred[links], net.succ[links]
        c = net.cal[s]
        tf = net.to_finish[links]
        w = axis.work_before(c, np.where(tf, late_finish[s], late_start[s]))
        allowed = w - net.lag_work[links]
        latest = np.where(tf, axis.end_of(c, allowed), axis.start_of(c, allowed))
        bound = latest - net.lag_elapsed[links]
        ff = net.from_finish[links]
        sf = starts_bound_finishes(net, links, finish_driven)
        if sf.any():  # back from the end form of a start (see link_work)
            bound = np.where(sf, axis.start_of(c, axis.work_before(c, bound)), bound)
        pin = net.user_pin[s]
        if pin.any():
            # A pin bounds its predecessors too; one already too late for it keeps zero float
            # rather than less (the finding pin-breaks-dependency says by how much).
            bound = np.where(pin, np.maximum(bound, np.where(ff, finish[p], start[p])), bound)
        # Work already done needs nothing more of its predecessors.
        bound = np.where(net.pinned[s] & ~pin, BIG, bound)
        np.minimum.at(end_bound, p[ff], bound[ff])
        np.minimum.at(start_bound, p[~ff], bound[~ff])
    return late_start, late_finish


def _late_of(
    net: Network,
    axis: Axis,
    nodes: IntArray,
    end_bound: IntArray,
    start_bound: IntArray,
    start: IntArray,
    finish: IntArray,
    late_start: IntArray,
    late_finish: IntArray,
) -> None:
    cal = net.cal[nodes]
    eb, sb = end_bound[nodes], start_bound[nodes]
    work = net.work[nodes]
    latest = np.minimum(
        axis.work_before(cal, eb) - work,
        axis.work_before(cal, np.minimum(sb, BIG - 1) + 1) - 1,
    )
    ls = axis.start_of(cal, latest)
    lf = axis.end_of(cal, latest + work)
    ms = net.milestone[nodes]
    if ms.any():
        instant = np.minimum(eb, sb)
        ls = np.where(ms, instant, ls)
        lf = np.where(ms, instant, lf)
    el = net.is_elapsed[nodes] & ~ms  # a zero-length `ed` milestone stays an instant
    if el.any():
        x = np.minimum(eb - net.elapsed[nodes], sb)
        snapped = axis.start_of(cal, axis.work_before(cal, x + 1) - 1)
        ls = np.where(el, snapped, ls)
        lf = np.where(el, snapped + net.elapsed[nodes], lf)
    pinned = net.pinned[nodes]
    if pinned.any():
        ls = np.where(pinned, start[nodes], ls)
        lf = np.where(pinned, finish[nodes], lf)
    late_start[nodes] = ls
    late_finish[nodes] = lf


def critical_path(net: Network, lv: Levels, axis: Axis, lower: IntArray) -> Passes:
    start, finish, finish_driven, first_child = forward(net, lv, axis, lower)
    real = ~net.external
    project_finish = int(finish[real].max()) if real.any() else 0
    late_start, late_finish = backward(
        net, lv, axis, start, finish, finish_driven, first_child, project_finish
    )
    lv.span_children(late_start, late_finish)  # a summary's late dates span its children's
    return Passes(start, finish, late_start, late_finish, finish_driven, first_child)
