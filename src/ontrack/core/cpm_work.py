"""The critical-path passes for the common case, folded into per-link constants.

When every task runs on the project calendar in working time (no `ed`, no progress, no
summaries), time is working minutes and every calendar conversion of `cpm` is the
identity. A link's bound on its successor's start is then the predecessor's start or
finish plus a constant (the lag, less the successor's duration for FF/SF), so each level
costs a handful of array operations instead of dozens. Same results as `cpm.forward` and
`cpm.backward` on the working axis; the tests compare both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ontrack.core.cpm import Axis, Levels, Passes, WorkAxis, critical_path, fits_work_axis
from ontrack.core.network import BoolArray, IntArray, Network


def applies(net: Network) -> bool:
    return fits_work_axis(net) and not net.summary.any()


@dataclass(frozen=True)
class Folded:
    """Per-link constants of a network, computed once (the network's durations and lags)."""

    anchor: IntArray  # index into [starts, finishes] of each link's predecessor instant
    offset: IntArray  # 2 × (lag − successor's duration for FF/SF)
    start_bit: IntArray  # 1 where a start drives the successor
    after_milestone: BoolArray  # finish links out of milestones (their dating may pass on)
    target: IntArray  # index into [late starts, late finishes] of each link's successor
    back: IntArray  # lag + predecessor's duration for links out of a finish


def fold(net: Network) -> Folded:
    n, pred, succ, work = net.size, net.pred, net.succ, net.work
    from_finish, to_finish = net.from_finish, net.to_finish
    return Folded(
        anchor=pred + n * from_finish,
        offset=2 * (net.lag_work - work[succ] * to_finish),
        start_bit=(~from_finish).astype(np.int64),
        after_milestone=from_finish & net.milestone[pred],
        target=succ + n * to_finish,
        back=net.lag_work + work[pred] * from_finish,
    )


def critical_path_work(net: Network, lv: Levels, lower: IntArray, f: Folded) -> Passes:
    n, pred, work = net.size, net.pred, net.work
    # times[:n] are starts, times[n:] finishes: one gather fetches each link's anchor.
    times = np.zeros(2 * n, np.int64)
    lower_key = 2 * lower + 1
    finish_driven = np.zeros(n, bool)
    for k, nodes in enumerate(lv.leaf_nodes):
        a, b = lv.link_slices[k]
        key = lower_key[nodes]
        if b > a:
            keys = 2 * times[f.anchor[a:b]] + f.offset[a:b] + f.start_bit[a:b]
            late_ms = f.after_milestone[a:b]
            if late_ms.any():  # after a milestone dated by its start, keep that date
                keys += late_ms & ~finish_driven[pred[a:b]]
            key = np.maximum(key, np.maximum.reduceat(keys, lv.group_starts[k]))
        w = key >> 1
        times[nodes] = w
        times[nodes + n] = w + work[nodes]
        finish_driven[nodes] = net.milestone[nodes] & ((key & 1) == 0)
    start, finish = times[:n], times[n:]
    project_finish = int(finish.max()) if n else 0
    # Late: late[:n] late starts, late[n:] late finishes; a link bounds its predecessor's
    # late start by the successor's late start (or finish) less a constant.
    late = np.zeros(2 * n, np.int64)
    bound = project_finish - work
    for k in range(len(lv.leaf_nodes) - 1, -1, -1):
        nodes = lv.leaf_nodes[k]
        ls = bound[nodes]
        late[nodes] = ls
        late[nodes + n] = ls + work[nodes]
        a, b = lv.link_slices[k]
        if b > a:
            np.minimum.at(bound, pred[a:b], late[f.target[a:b]] - f.back[a:b])
    no_child = np.full(n, -1, np.int64)
    return Passes(start, finish, late[:n], late[n:], finish_driven, no_child)


def passes(net: Network, lv: Levels, axis: Axis, lower: IntArray) -> Passes:
    """The critical-path passes, folded when the network allows it."""
    if isinstance(axis, WorkAxis) and applies(net):
        return critical_path_work(net, lv, lower, fold(net))
    return critical_path(net, lv, axis, lower)
