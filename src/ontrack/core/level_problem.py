"""A plan's levelling as an RCPSP on whole slots of project working time, for the search.

Each leaf task is a job whose length is the project working time it spanned in the
priority rule's levelled schedule (exact for tasks on the project calendar; close for
tasks on a resource's calendar or in elapsed days). Links from a summary become links
from each of its leaves. Done work, work in progress and program milestones are fixed
where that schedule put them: the leveller places them first whatever the order.
The slot is the greatest common divisor of every length, lag and date, so for plans on
one calendar (PSPLIB instances among them) the problem is the plan's, exactly; where
that slot is so fine that tasks span many dozens of slots, an hour or a working day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ontrack.core.cpm import CalendarAxis
from ontrack.core.leveling import Levelled
from ontrack.core.network import BoolArray, IntArray, Network
from ontrack.core.rcpsp import Problem, problem

MEAN_SLOTS = 32  # a decoding costs about a job's length in slots: coarser beyond this
MINUTES_PER_WEEK = 7 * 24 * 60


@dataclass(frozen=True)
class Reduced:
    problem: Problem
    nodes: IntArray  # the network node of each job
    fixed: BoolArray  # per job: placed by the leveller whatever the order
    slot: int  # minutes of project working time
    exact: bool  # the problem is the plan's, not a close copy: bounds on it hold for the plan


def reduce(
    net: Network,
    axis: CalendarAxis,
    lower: IntArray,
    priority: IntArray,
    base: Levelled,
    groups: list[IntArray],
) -> Reduced:
    """`groups`: the nodes whose latest finish the objective compares, in order."""
    nodes = np.flatnonzero(~net.summary)
    job_of = np.full(net.size, -1, np.int64)
    job_of[nodes] = np.arange(nodes.size)
    start = axis.project_work(base.start[nodes])
    length = axis.project_work(base.finish[nodes]) - start
    release = axis.project_work(lower[nodes])
    fixed = (net.pinned | net.external | (net.actual_start >= 0))[nodes]
    links = _links(net, job_of)
    lags = np.array([lag for *_, lag in links], np.int64)
    slot = math.gcd(*np.concatenate([length, release, start[fixed], lags]).tolist()) or 1
    mean = float(length.mean()) if length.size else 0.0
    exact = _one_calendar(net, nodes)
    for coarser in (60, round(net.project_hours_per_day * 60)):
        if mean > MEAN_SLOTS * slot and coarser > slot:
            slot, exact = coarser, False  # lengths round up: the search works on a close copy
    rank = np.where(fixed, -1, priority[nodes])
    pb = problem(
        duration=(-(-length // slot)).tolist(),
        links=[(p, s, ff, tf, round(lag / slot)) for p, s, ff, tf, lag in links],
        demands=[net.demands[v] for v in nodes.tolist()],
        capacity=net.resource_units.tolist(),
        release=(-(-release // slot)).tolist(),
        fixed=np.where(fixed, start // slot, -1).tolist(),
        rank=rank.tolist(),
        groups=[job_of[g[~net.summary[g]]].tolist() for g in groups],
    )
    return Reduced(pb, nodes, fixed, slot, exact)


def _one_calendar(net: Network, nodes: IntArray) -> bool:
    """Every job runs on the project calendar in working time, and no link starts at a
    summary's start (which `_links` replaces by a stricter link from every leaf)."""
    from_summary_start = net.summary[net.pred] & ~net.from_finish
    return bool(
        (net.cal[nodes] == 0).all()
        and not net.is_elapsed[nodes].any()
        and not net.lag_elapsed.any()
        and not from_summary_start.any()
    )


def _links(net: Network, job_of: IntArray) -> list[tuple[int, int, bool, bool, int]]:
    """Links between jobs with lags in project working minutes; a summary predecessor
    stands for each of its leaves (exact for FS and FF, stricter for SS and SF)."""
    leaves: dict[int, list[int]] = {}
    for node in np.flatnonzero(net.parent >= 0).tolist():
        if not net.summary[node]:
            up = int(net.parent[node])
            while up >= 0:
                leaves.setdefault(up, []).append(node)
                up = int(net.parent[up])
    project_share = net.project_hours_per_day * 60 * 5 / MINUTES_PER_WEEK
    work_scale = net.project_hours_per_day / net.hours_per_day[net.succ]
    lag = np.round(net.lag_work * work_scale + net.lag_elapsed * project_share).astype(np.int64)
    out = []
    for p, s, ff, tf, minutes in zip(
        net.pred.tolist(),
        net.succ.tolist(),
        net.from_finish.tolist(),
        net.to_finish.tolist(),
        lag.tolist(),
        strict=True,
    ):
        for leaf in leaves.get(p, [p]):
            out.append((int(job_of[leaf]), int(job_of[s]), ff, tf, minutes))
    return out
