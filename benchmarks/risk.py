"""Monte Carlo risk analysis (core/risk.py) on generated plans of 100, 1k and 10k tasks.

The plans are benchmarks/networks.py's staffed networks (20 kinds of people, levelled,
five outcomes) with an estimate on every task (low 0.8x, high 1.6x its duration; every
third one PERT), five risk events and one correlated group of 20 tasks.

Prints per size: the schedule and reduction to a model (`risk_model`), `simulate` at
10,000 futures (iterations per second, peak traced memory), the whole `confidence`
(which also re-simulates what-ifs), and beside them the baseline: the same model
simulated future by future in plain Python, timed on a few futures and scaled. Then the
memory of the 1k plan at 10k and 100k futures (chunks bound it), and the targets.

    .venv/bin/python benchmarks/risk.py [--sizes 100,1000,10000] [--iterations 10000]
"""

from __future__ import annotations

import argparse
import math
import random
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from networks import generate
from ontrack.core.confidence import confidence
from ontrack.core.model import Correlation, Duration, Estimate, Plan, Risk, RiskImpact
from ontrack.core.risk import Model, RiskOptions, risk_model, simulate
from ontrack.core.schedule import ScheduleOptions

TARGETS = {1_000: 1.0, 10_000: 10.0}  # seconds for 10,000 futures of `simulate`


def risky(n: int) -> Plan:
    plan = generate(n, staffed=True)
    tasks = []
    for k, t in enumerate(plan.tasks):
        assert t.duration is not None
        v = t.duration.value
        estimate = Estimate(
            Duration(0.8 * v, "d"), Duration(1.6 * v, "d"), "pert" if k % 3 == 0 else "triangular"
        )
        tasks.append(replace(t, estimate=estimate))
    rng = np.random.default_rng(11)
    risks = tuple(
        Risk(
            f"risk{r}",
            f"Risk {r}",
            float(rng.uniform(0.1, 0.5)),
            tuple(
                RiskImpact(f"t{int(i)}", Duration(1, "d"), Duration(5, "d"))
                for i in rng.choice(n, size=3, replace=False)
            ),
        )
        for r in range(5)
    )
    group = tuple(f"t{int(i)}" for i in rng.choice(n, size=min(20, n), replace=False))
    return replace(plan, tasks=tuple(tasks), risks=risks, correlations=(Correlation(group, 0.5),))


def timed(fn: Callable[[], Any], *, memory: bool = False) -> tuple[float, float, Any]:
    """Seconds of one call, and with `memory` its peak traced memory (MB) instead (a
    second call: tracing slows Python-level work)."""
    t = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t
    peak = 0.0
    if memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return seconds, peak, out


def plain_python(model: Model, futures: int, seed: int) -> list[list[float]]:
    """The baseline: the same model, one future at a time, in plain Python lists (the
    correlated group sampled independently: a small share of the work)."""
    rnd = random.Random(seed)
    n = model.size
    incoming: list[list[int]] = [[] for _ in range(n)]
    levels: list[tuple[list[int], list[tuple[int, list[int]]]]] = []
    for leaves, (a, b), groups, s_nodes, kids, kid_groups in model.levels:
        if b > a:
            ends = np.append(groups, b - a).tolist()
            for j, node in enumerate(leaves.tolist()):
                incoming[node].extend(range(a + ends[j], a + ends[j + 1]))
        k_ends = np.append(kid_groups, kids.size).tolist()
        spans = [
            (s, kids[k_ends[j] : k_ends[j + 1]].tolist()) for j, s in enumerate(s_nodes.tolist())
        ]
        levels.append((leaves.tolist(), spans))
    pred, lag = model.pred.tolist(), model.lag.tolist()
    ff, tf = model.from_finish.tolist(), model.to_finish.tolist()
    release, fixed = model.release.tolist(), model.fixed.tolist()
    start0, dur0 = model.start.tolist(), model.duration.tolist()
    unc = model.uncertain.tolist()
    low, high, pert = model.low.tolist(), model.high.tolist(), model.pert.tolist()
    out = []
    for _ in range(futures):
        dur = list(dur0)
        for j, node in enumerate(unc):
            a, b = low[j], high[j]
            if pert[j]:
                f = a + (b - a) * rnd.betavariate(
                    1 + 4 * (1 - a) / (b - a), 1 + 4 * (b - 1) / (b - a)
                )
            else:
                u, cut = rnd.random(), (1 - a) / (b - a)
                f = (
                    a + math.sqrt(u * (b - a) * (1 - a))
                    if u < cut
                    else b - math.sqrt((1 - u) * (b - a) * (b - 1))
                )
            dur[node] *= f
        for _, p, impacts in model.risks:
            if rnd.random() < p:
                for node, lo, hi in impacts:
                    dur[node] += lo + (hi - lo) * rnd.random()
        start, finish = list(start0), [0.0] * n
        for leaves, spans in levels:
            for node in leaves:
                if not fixed[node] and incoming[node]:
                    best = release[node]
                    for i in incoming[node]:
                        q = pred[i]
                        bound = (finish[q] if ff[i] else start[q]) + lag[i]
                        if tf[i]:
                            bound -= dur[node]
                        best = max(best, bound)
                    start[node] = best
                finish[node] = start[node] + dur[node]
            for node, kids in spans:
                start[node] = min(start[k] for k in kids)
                finish[node] = max(finish[k] for k in kids)
        out.append([max((finish[k] for k in o.tolist()), default=0.0) for o in model.outcome_nodes])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--baseline-futures", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=2, help="chunks simulated at once (this machine: 2 cores)"
    )
    args = parser.parse_args()
    iterations = args.iterations
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{iterations:,} futures per run; simulate: best of 3 with {args.workers} workers "
        "(first: the process's first run, which pays for fresh memory), and with 1; "
        "peak MB = tracemalloc peak of a separate run\n"
    )
    print(
        f"{'tasks':>6} {'model s':>8} {'simulate s':>10} {'first s':>8} {'1 worker s':>10} "
        f"{'it/s':>9} {'peak MB':>8} {'confidence s':>12} {'plain it/s':>10} {'speed-up':>8}"
    )
    results: dict[int, float] = {}
    for n in sizes:
        plan = risky(n)
        options = RiskOptions(iterations=iterations, workers=args.workers)
        t_model, _, (_, model) = timed(lambda: risk_model(plan, ScheduleOptions(), options))  # noqa: B023
        runs = [
            timed(lambda: simulate(model, iterations, 0, workers=args.workers))[0]  # noqa: B023
            for _ in range(3)
        ]
        t_first, t_sim = runs[0], min(runs)
        t_one = min(timed(lambda: simulate(model, iterations, 0))[0] for _ in range(3))  # noqa: B023
        _, peak, _ = timed(
            lambda: simulate(model, iterations, 0, workers=args.workers),  # noqa: B023
            memory=True,
        )
        t_conf, _, _ = timed(lambda: confidence(plan, ScheduleOptions(), options))  # noqa: B023
        futures = max(2, args.baseline_futures * 1_000 // n)
        t_plain, _, _ = timed(lambda: plain_python(model, futures, 0))  # noqa: B023
        plain_rate = futures / t_plain
        results[n] = t_sim
        print(
            f"{n:>6} {t_model:>8.2f} {t_sim:>10.2f} {t_first:>8.2f} {t_one:>10.2f} "
            f"{iterations / t_sim:>9,.0f} "
            f"{peak:>8.0f} {t_conf:>12.2f} {plain_rate:>10,.1f} "
            f"{iterations / t_sim / plain_rate:>7.0f}x"
        )
    if 1_000 in sizes:
        _, model = risk_model(risky(1_000), ScheduleOptions(), RiskOptions())
        print("\nmemory of the 1k-task plan as futures grow (chunks of 2M node-futures):")
        for futures in (10_000, 100_000):
            t, peak, s = timed(
                lambda: simulate(model, futures, 0, workers=args.workers),  # noqa: B023
                memory=True,
            )
            own = s.finishes.nbytes / 1e6
            print(
                f"  {futures:>7,} futures: {t:6.2f}s  peak {peak:6.0f} MB "
                f"(of which the finishes kept: {own:.0f} MB)"
            )
    print("\ntargets (simulate, 10,000 futures):")
    for n, limit in TARGETS.items():
        if n in results:
            scaled = results[n] * 10_000 / iterations
            verdict = "met" if scaled < limit else "NOT met"
            print(f"  {n:>6} tasks < {limit:g}s: {scaled:.2f}s {verdict}")


if __name__ == "__main__":
    main()
