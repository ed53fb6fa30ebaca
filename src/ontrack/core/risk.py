"""Monte Carlo over the scheduled network: how sure is each outcome's date?

The plan is scheduled once (levelled, so the order levelling chose for each resource is
kept as finish-to-start links), then reduced to working minutes of the project calendar:
each node's start and duration there, each link's anchor and lag. A future is drawn by
sampling every uncertain duration (its estimate, or a default by kind), the slips of the
program's milestones and the risk events, then passing forward through the network level
by level, all futures of a chunk at once (numpy, one row per node, one column per future).

Starts the links do not explain (a `not_before`, a pin, the status date, a calendar gap)
are kept as release times, so the futures in which every duration is its most likely
value reproduce the schedule itself; a test holds the simulation to that.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from ontrack.core.calendar import MINUTES_PER_DAY
from ontrack.core.model import Duration, Plan, Task, TaskKind
from ontrack.core.network import BoolArray, FloatArray, IntArray
from ontrack.core.results import Schedule
from ontrack.core.schedule import ScheduleOptions, Timing, timed_schedule
from ontrack.core.trace import trace

# A task without an estimate: (low, high) as shares of its duration, by kind; most likely
# is the duration. Procurement and reviews run late more than they run early.
DEFAULT_SPREAD: Mapping[TaskKind, tuple[float, float]] = {
    "task": (0.9, 1.25),
    "review": (0.9, 1.5),
    "procurement": (0.95, 1.6),
}
# A program milestone (another vendor's or the client's date): on time at best and most
# likely, up to this many working days late.
MILESTONE_SLIP_DAYS = 10.0
CHUNK_CELLS = 2_000_000  # nodes x futures simulated at once: bounds memory, whatever N
_NONE = -1.0e18  # a release that binds nothing


@dataclass(frozen=True)
class RiskOptions:
    iterations: int = 10_000
    seed: int = 0
    default_estimates: bool = True
    """Give tasks without an estimate, and program milestones, the default spread."""
    workers: int = 1
    """Chunks of futures simulated at a time, in threads (the app gives the machine's
    cores); the figures do not depend on it."""


@dataclass(frozen=True)
class Overrides:
    """A what-if: change the inputs, keep the random numbers (common random numbers make
    the difference between two runs the effect of the change, not noise)."""

    capped: frozenset[int] = frozenset()
    """Nodes held to their most likely duration at worst (their overruns removed)."""
    probability: Mapping[int, float] = field(default_factory=dict)
    """Risk index -> probability used instead of the register's."""


@dataclass(frozen=True)
class Model:
    """The scheduled network in working minutes of the project calendar."""

    ids: list[str]
    kinds: list[str]  # task kind, or "milestone" for the program's milestones
    levels: list[tuple[IntArray, tuple[int, int], IntArray, IntArray, IntArray, IntArray]]
    """Per topological level: leaves, their links' slice, each leaf's first link, the
    level's summaries, their children (grouped) and each group's first child."""
    pred: IntArray
    from_finish: BoolArray
    to_finish: BoolArray
    lag: FloatArray
    release: FloatArray
    fixed: BoolArray  # starts where it started or is pinned: links do not move it
    start: FloatArray  # as scheduled
    duration: FloatArray  # as scheduled (remaining work for work in progress)
    uncertain: IntArray  # nodes whose duration is sampled
    low: FloatArray  # per uncertain node: low and high as shares of the most likely
    high: FloatArray
    pert: BoolArray
    group: IntArray  # per uncertain node: its correlation group, or -1
    rho: FloatArray  # per group
    slipping: IntArray  # program milestones that may slip
    slip_high: float  # working minutes
    risks: list[tuple[str, float, list[tuple[int, float, float]]]]
    """Per risk: its id, probability, and impacts (node, low, high working minutes)."""
    outcome_ids: list[str]
    outcome_nodes: list[IntArray]
    targets: list[float | None]  # the last working minute of each target day, or None
    minutes_per_day: float  # working minutes of a project day
    origin: date
    cum: IntArray  # working minutes of the project calendar before each day

    @property
    def size(self) -> int:
        return len(self.ids)

    def date_of(self, w: IntArray) -> list[date]:
        """The day each project work index (a finish: its last minute) falls on."""
        day = np.searchsorted(self.cum, np.maximum(np.ceil(w), 1), side="left") - 1
        return [self.origin + timedelta(days=int(d)) for d in day]


@dataclass
class Samples:
    """What the futures gave: each outcome's finish in every future (working minutes),
    how often each node drove it, and sums for the sensitivity of each input (a task's
    duration factor, a milestone's slip, 1 where a risk event happened)."""

    finishes: FloatArray  # outcomes x futures
    critical: IntArray  # outcomes x nodes: futures in which the node drove the outcome
    inputs: list[str]  # uncertain task ids, then milestone slips, then risk ids
    moments: FloatArray  # inputs x outcomes x 6: n, sum x, sum x^2, sum f, sum f^2, sum xf


def model_of(plan: Plan, sched: Schedule, timing: Timing, options: RiskOptions) -> Model:
    net, axis, lv, ps = timing.net, timing.axis, timing.levels, timing.passes
    n = net.size
    start = axis.project_work(ps.early_start).astype(np.float64)
    finish = axis.project_work(ps.early_finish).astype(np.float64)
    duration = np.where(net.milestone | net.summary, 0.0, finish - start)
    table = timing.table
    per_elapsed = float(table.total[0]) / (table.days * MINUTES_PER_DAY)
    lag = net.lag_work + net.lag_elapsed * per_elapsed
    anchor = np.where(net.from_finish, finish[net.pred], start[net.pred])
    bound = anchor + lag - np.where(net.to_finish, duration[net.succ], 0.0)
    best = np.full(n, _NONE)
    np.maximum.at(best, net.succ, bound)
    # Where links set the start, only the floor under it (project start, status date,
    # not_before) holds in a future where the links fall earlier.
    floor = table.work_before(np.zeros_like(net.lower), net.lower).astype(np.float64)
    release = np.maximum(np.where(start > best + 0.5, start, _NONE), floor)
    done = net.pinned & ~net.user_pin
    levels = [
        (lv.leaf_nodes[k], lv.link_slices[k], lv.group_starts[k], *lv.children_of_level(k))
        for k in range(len(lv.leaf_nodes))
    ]
    hours = net.project_hours_per_day
    uncertain, low, high, pert = _estimates(net.tasks, net.hours_per_day, done, options)
    group, rho = _groups(plan, net.index, uncertain)
    tr = trace(plan)
    cum = np.concatenate([[0], np.cumsum(table.per_day[0])])
    outcomes = [o for o in sched.outcomes if o.status != "done"]
    return Model(
        ids=net.ids,
        kinds=[t.kind or "task" if t else "milestone" for t in net.tasks],
        levels=levels,
        pred=net.pred,
        from_finish=net.from_finish,
        to_finish=net.to_finish,
        lag=lag.astype(np.float64),
        release=release,
        fixed=net.pinned,
        start=start,
        duration=duration,
        uncertain=uncertain,
        low=low,
        high=high,
        pert=pert,
        group=group,
        rho=rho,
        slipping=np.flatnonzero(net.external) if options.default_estimates else _none(),
        slip_high=MILESTONE_SLIP_DAYS * hours * 60,
        risks=[
            (
                r.id,
                r.probability,
                [
                    (net.index[i.target], *_minutes(i.low, i.high or i.low, hours))
                    for i in r.impacts
                ],
            )
            for r in plan.risks
        ],
        outcome_ids=[o.id for o in outcomes],
        outcome_nodes=[
            np.array([net.index[t] for t in tr.leaves_serving(o.id)], np.int64) for o in outcomes
        ],
        targets=[
            None if o.target is None else float(cum[(o.target - table.origin).days + 1])
            for o in outcomes
        ],
        minutes_per_day=hours * 60,
        origin=table.origin,
        cum=cum,
    )


def simulate(
    model: Model,
    iterations: int,
    seed: int,
    overrides: Overrides | None = None,
    workers: int = 1,
) -> Samples:
    """`iterations` futures, in chunks; with `workers` > 1, that many chunks at a time in
    threads (numpy does the heavy work without Python's lock, so they use the machine's
    cores). The result does not depend on `workers`: each chunk draws from its own seed,
    and the chunks' sums are added in chunk order."""
    overrides = overrides or Overrides()
    chunk = max(1, min(iterations, CHUNK_CELLS // max(model.size, 1)))
    inputs = [model.ids[i] for i in model.uncertain] + [model.ids[i] for i in model.slipping]
    inputs += [risk_id for risk_id, _, _ in model.risks]
    n_out = len(model.outcome_ids)
    samples = Samples(
        finishes=np.zeros((n_out, iterations)),
        critical=np.zeros((n_out, model.size), np.int64),
        inputs=inputs,
        moments=np.zeros((len(inputs), n_out, 6)),
    )
    firsts = list(range(0, iterations, chunk))

    def run(k: int) -> tuple[IntArray, FloatArray]:
        size = min(chunk, iterations - firsts[k])
        rng = np.random.default_rng([seed, k])  # a chunk's futures depend on seed and k only
        return _chunk(model, rng, size, overrides, samples.finishes, firsts[k])

    if workers > 1 and len(firsts) > 1:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(run, range(len(firsts))))
    else:
        parts = [run(k) for k in range(len(firsts))]
    for critical, moments in parts:  # in chunk order: the same sums whatever the threads
        samples.critical += critical
        samples.moments += moments
    return samples


def _chunk(
    model: Model,
    rng: np.random.Generator,
    size: int,
    overrides: Overrides,
    all_finishes: FloatArray,
    first: int,
) -> tuple[IntArray, FloatArray]:
    """Simulate one chunk of futures: their outcome finishes go into `all_finishes`; the
    chunk's criticality counts and sensitivity sums are returned."""
    factor = _factors(model, rng, size)
    capped = [j for j, node in enumerate(model.uncertain.tolist()) if node in overrides.capped]
    if capped:
        factor[capped] = np.minimum(factor[capped], 1.0)
    duration = np.repeat(model.duration[:, None], size, axis=1)
    duration[model.uncertain] *= factor
    start = np.repeat(model.start[:, None], size, axis=1)
    slip = np.zeros((model.size, size))
    late = rng.triangular(0.0, 0.0, 1.0, (model.slipping.size, size)) * model.slip_high
    slip[model.slipping] = late
    occurred = []
    for r, (_, probability, impacts) in enumerate(model.risks):
        p = overrides.probability.get(r, probability)
        happens = rng.random(size) < p
        occurred.append(happens)
        for node, lo, hi in impacts:
            added = np.where(happens, lo + (hi - lo) * rng.random(size), 0.0)
            if model.kinds[node] == "milestone":
                slip[node] += added
            else:
                duration[node] += added
    finish, driver = _forward(model, start, duration, slip)
    inputs = np.vstack([factor, late, *(h[None, :].astype(np.float64) for h in occurred)])
    finishes = all_finishes[:, first : first + size]
    critical = np.zeros((len(model.outcome_nodes), model.size), np.int64)
    for o, nodes in enumerate(model.outcome_nodes):
        if not nodes.size:
            continue
        ends = finish[nodes]
        last = nodes[np.argmax(ends, axis=0)]
        finishes[o] = ends.max(axis=0)
        _count_chain(driver, last, critical[o])
    return critical, _moments(inputs, finishes)


def _forward(
    model: Model, start: FloatArray, duration: FloatArray, slip: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.int32]]:
    """Start and finish of every node in every future, level by level; `driver` holds, per
    node and future, the node that set its start (-1: its own release)."""
    finish = np.empty_like(start)
    driver = np.full(start.shape, -1, np.int32)
    free = ~model.fixed
    for leaves, (a, b), groups, sums, kids, kid_groups in model.levels:
        if b > a:
            pred = model.pred[a:b]
            from_finish = model.from_finish[a:b]
            # Most links run finish-to-start: skip the choice where none needs it.
            if from_finish.all():
                bound = finish[pred] + model.lag[a:b, None]
            else:
                anchor = np.where(from_finish[:, None], finish[pred], start[pred])
                bound = anchor + model.lag[a:b, None]
            to_finish = model.to_finish[a:b]
            if to_finish.any():
                succ = np.repeat(leaves, np.diff(np.append(groups, b - a)))
                bound -= np.where(to_finish[:, None], duration[succ], 0.0)
            single = groups.size == b - a  # each leaf has one link: it is the maximum
            best = bound if single else np.maximum.reduceat(bound, groups, axis=0)
            came_from = pred[:, None] if single else pred[_first_max(bound, best, groups)]
            release = model.release[leaves, None]
            link_drove = best >= release
            moved = free[leaves]
            if moved.all():
                start[leaves] = np.maximum(best, release)
            else:
                link_drove &= moved[:, None]
                start[leaves] = np.where(moved[:, None], np.maximum(best, release), start[leaves])
            driver[leaves] = np.where(link_drove, came_from, -1)
        finish[leaves] = start[leaves] + duration[leaves] + slip[leaves]
        if sums.size:
            start[sums] = np.minimum.reduceat(start[kids], kid_groups, axis=0)
            finish[sums] = np.maximum.reduceat(finish[kids], kid_groups, axis=0)
            driver[sums] = kids[_first_max(finish[kids], finish[sums], kid_groups)]
    return finish, driver


def _first_max(values: FloatArray, best: FloatArray, groups: IntArray) -> IntArray:
    """Per group and column, the index of the first row reaching the group's maximum."""
    rows = values.shape[0]
    counts = np.diff(np.append(groups, rows))
    at_max = values >= np.repeat(best, counts, axis=0)
    # int32 halves what the reduction reads; a level has far fewer than 2**31 links
    index = np.where(at_max, np.arange(rows, dtype=np.int32)[:, None], np.int32(rows))
    first: IntArray = np.minimum.reduceat(index, groups, axis=0)
    return first


def _count_chain(driver: npt.NDArray[np.int32], last: IntArray, counts: IntArray) -> None:
    """Walk each future's driving chain back from the node that finished last."""
    node = last.astype(np.int64)
    futures = np.arange(node.size)
    while node.size:
        np.add.at(counts, node, 1)
        back = driver[node, futures].astype(np.int64)
        keep = back >= 0
        node, futures = back[keep], futures[keep]


def _moments(inputs: FloatArray, f: FloatArray) -> FloatArray:
    """A chunk's sums the sensitivities come from (inputs x outcomes x 6), inputs x
    futures against outcomes x futures in one matrix product."""
    m = np.zeros((inputs.shape[0], f.shape[0], 6))
    m[:, :, 0] = inputs.shape[1]
    m[:, :, 1] = inputs.sum(axis=1)[:, None]
    m[:, :, 2] = np.einsum("ij,ij->i", inputs, inputs)[:, None]
    m[:, :, 3] = f.sum(axis=1)[None, :]
    m[:, :, 4] = np.einsum("ij,ij->i", f, f)[None, :]
    m[:, :, 5] = inputs @ f.T
    return m


# --- sampling ---------------------------------------------------------------------------


def _factors(model: Model, rng: np.random.Generator, size: int) -> FloatArray:
    """Each uncertain task's sampled duration as a share of its most likely one. Tasks of
    a correlation group draw through a Gaussian copula (each pair's normals correlate by
    the group's rho), the others straight from their distribution."""
    lo, hi = model.low[:, None], model.high[:, None]
    factor = np.empty((model.uncertain.size, size))
    grouped = model.group >= 0
    rows = np.flatnonzero(~grouped & ~model.pert)
    factor[rows] = rng.triangular(lo[rows], 1.0, hi[rows], (rows.size, size))
    rows = np.flatnonzero(~grouped & model.pert)
    if rows.size:
        span = hi[rows] - lo[rows]
        alpha, beta = 1 + 4 * (1 - lo[rows]) / span, 1 + 4 * (hi[rows] - 1) / span
        factor[rows] = lo[rows] + span * rng.beta(alpha, beta, (rows.size, size))
    if grouped.any():
        common = rng.standard_normal((model.rho.size, size))
        g = model.group[grouped]
        r = model.rho[g][:, None]
        own = rng.standard_normal((g.size, size))
        u = _normal_cdf(np.sqrt(r) * common[g] + np.sqrt(1 - r) * own)
        rows = np.flatnonzero(grouped)
        factor[rows] = _triangular(u, lo[rows], 1.0, hi[rows])
        pert = model.pert[rows]
        if pert.any():
            factor[rows[pert]] = _pert(u[pert], lo[rows[pert]], hi[rows[pert]])
    return factor


def _triangular(
    u: FloatArray, a: FloatArray | float, m: FloatArray | float, b: FloatArray | float
) -> FloatArray:
    """The inverse of the triangular distribution's CDF (a <= m <= b)."""
    span = np.maximum(np.asarray(b - a, np.float64), 1e-12)
    left = u < (m - a) / span
    root = np.sqrt(np.where(left, u * span * (m - a), (1 - u) * span * (b - m)))
    result: FloatArray = np.where(left, a + root, b - root)
    return result


def _pert(u: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """The inverse CDF of the PERT distribution (a beta with lambda 4, most likely 1),
    from its CDF tabulated on a fine grid (numpy has no beta quantile)."""
    result = np.empty_like(u)
    grid = np.linspace(0.0, 1.0, 4097)
    for i in range(u.shape[0]):
        lo, hi = float(a[i, 0]), float(b[i, 0])
        span = max(hi - lo, 1e-12)
        alpha, beta = 1 + 4 * (1 - lo) / span, 1 + 4 * (hi - 1) / span
        pdf = grid ** (alpha - 1) * (1 - grid) ** (beta - 1)
        cdf = np.concatenate([[0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)])
        cdf /= cdf[-1]
        result[i] = lo + span * np.interp(u[i], cdf, grid)
    return result


def _normal_cdf(z: FloatArray) -> FloatArray:
    """Phi(z) to about 1e-7 (Numerical Recipes' erfc), vectorised: math.erf is scalar."""
    x = np.abs(z) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))  # fmt: skip
    erfc = t * np.exp(poly)
    result: FloatArray = np.where(z >= 0, 1.0 - 0.5 * erfc, 0.5 * erfc)
    return result


# --- the model's parts ------------------------------------------------------------------


def _estimates(
    tasks: list[Task | None], hours_per_day: FloatArray, done: BoolArray, options: RiskOptions
) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
    nodes, low, high, pert = [], [], [], []
    for node, task in enumerate(tasks):
        if task is None or task.is_summary or task.is_milestone or done[node]:
            continue
        if not task.duration or task.duration.value <= 0:
            continue
        hpd = float(hours_per_day[node])
        likely = _nominal(task.duration, hpd)
        if task.estimate is not None:
            lo = _nominal(task.estimate.low, hpd) / likely
            hi = _nominal(task.estimate.high, hpd) / likely
            is_pert = task.estimate.distribution == "pert"
        elif options.default_estimates:
            lo, hi = DEFAULT_SPREAD[task.effective_kind]
            is_pert = False
        else:
            continue
        if hi - lo <= 1e-9:
            continue
        nodes.append(node)
        low.append(min(lo, 1.0))
        high.append(max(hi, 1.0))
        pert.append(is_pert)
    return (
        np.array(nodes, np.int64),
        np.array(low, np.float64),
        np.array(high, np.float64),
        np.array(pert, bool),
    )


def _nominal(d: Duration, hours_per_day: float) -> float:
    """A duration in minutes, elapsed days as calendar minutes: only ratios of durations
    of one task are taken, in the unit its estimate is written in."""
    return float(d.minutes(hours_per_day))


def _groups(
    plan: Plan, index: Mapping[str, int], uncertain: IntArray
) -> tuple[IntArray, FloatArray]:
    """Each uncertain task's correlation group (-1: none; a task named in two groups
    joins the first), and each group's coefficient."""
    position = {node: j for j, node in enumerate(uncertain.tolist())}
    group = np.full(uncertain.size, -1, np.int64)
    rho = []
    for g, c in enumerate(plan.correlations):
        for task in c.tasks:
            j = position.get(index[task])
            if j is not None and group[j] < 0:
                group[j] = g
        rho.append(c.coefficient)
    return group, np.array(rho, np.float64)


def _minutes(low: Duration, high: Duration, hours_per_day: float) -> tuple[float, float]:
    return float(low.minutes(hours_per_day)), float(high.minutes(hours_per_day))


def _none() -> IntArray:
    return np.zeros(0, np.int64)


def risk_model(
    plan: Plan, schedule_options: ScheduleOptions, options: RiskOptions
) -> tuple[Schedule, Model]:
    """The plan scheduled, and its network reduced for simulation."""
    sched, timing = timed_schedule(plan, schedule_options)
    return sched, model_of(plan, sched, timing, options)
