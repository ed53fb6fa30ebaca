"""Critical-path scheduling at 1k, 10k and 100k tasks (about three links each, US holidays).

Prints per size: parse+build of the plan file, the core schedule (no levelling), the
forward and backward passes alone per link beside a plain-Python pass over the same
network (the baseline), and peak memory; then the whole `ontrack schedule --json` of a
10k-task plan file as a user runs it, without and with resources to level.

    .venv/bin/python benchmarks/cpm.py [--sizes 1000,10000,100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from networks import generate
from ontrack.app.holiday_source import CountryHolidays
from ontrack.core import cpm_work
from ontrack.core.calendar import CalendarTable
from ontrack.core.cpm import WorkAxis, critical_path, fits_work_axis, topological_levels
from ontrack.core.network import Network, build_network
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.planfile import dump_plan, parse_plan

ONTRACK = Path(sys.executable).with_name("ontrack")


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def plain_python_passes(net: Network, order: list[int]) -> tuple[list[int], list[int]]:
    """The baseline: the same forward and backward passes in plain Python, in work minutes."""
    n = net.size
    pred, succ = net.pred.tolist(), net.succ.tolist()
    ff, tf = net.from_finish.tolist(), net.to_finish.tolist()
    lag, work = net.lag_work.tolist(), net.work.tolist()
    incoming: list[list[int]] = [[] for _ in range(n)]
    outgoing: list[list[int]] = [[] for _ in range(n)]
    for i, (p, s) in enumerate(zip(pred, succ, strict=True)):
        incoming[s].append(i)
        outgoing[p].append(i)
    es, ef = [0] * n, [0] * n
    for v in order:
        start = 0
        for i in incoming[v]:
            p = pred[i]
            bound = (ef[p] if ff[i] else es[p]) + lag[i] - (work[v] if tf[i] else 0)
            start = max(start, bound)
        es[v], ef[v] = start, start + work[v]
    finish = max(ef)
    ls, lf = [0] * n, [0] * n
    for v in reversed(order):
        late = finish
        for i in outgoing[v]:
            s = succ[i]
            bound = (lf[s] if tf[i] else ls[s]) - lag[i]
            late = min(late, bound if ff[i] else bound + work[v])
        lf[v], ls[v] = late, late - work[v]
    return es, ls


def measure(n: int, repeat: int, holidays: CountryHolidays) -> dict[str, float]:
    plan = generate(n)
    text = dump_plan(plan)
    parse = best_of(max(1, repeat // 2), lambda: parse_plan(text, f"bench-{n}.yaml"))
    options = ScheduleOptions(level=False, holidays=holidays)
    whole = best_of(repeat, lambda: schedule(plan, options))
    net = build_network(plan)
    assert fits_work_axis(net)
    net, levels = topological_levels(net)
    table = CalendarTable.build(net.patterns, plan.project.start, 5 * 366, holidays)
    axis = WorkAxis(table)
    lower = axis.from_minutes(net.lower)
    assert cpm_work.applies(net)
    folded = cpm_work.fold(net)  # per-link constants: part of building the network
    passes = best_of(repeat, lambda: cpm_work.critical_path_work(net, levels, lower, folded))
    order = np.argsort(levels.level, kind="stable").tolist()
    baseline = best_of(max(1, repeat // 2), lambda: plain_python_passes(net, order))
    ours = cpm_work.critical_path_work(net, levels, lower, folded)
    general = critical_path(net, levels, axis, lower)
    assert np.array_equal(ours.late_start, general.late_start)
    es, ls = plain_python_passes(net, order)
    assert ours.early_start.tolist() == es and ours.late_start.tolist() == ls
    tracemalloc.start()
    schedule(plan, options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    links = int(net.pred.size)
    return {
        "tasks": n,
        "links": links,
        "levels": len(levels.leaf_nodes),
        "parse_build_s": parse,
        "schedule_s": whole,
        "passes_ms": passes * 1e3,
        "ns_per_link": passes / links * 1e9,
        "python_ns_per_link": baseline / links * 1e9,
        "peak_mib": peak / 2**20,
    }


def whole_command(n: int, repeat: int, *, staffed: bool = False) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan-{n}.yaml"
        path.write_text(dump_plan(generate(n, staffed=staffed)), encoding="utf-8")
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run(
                [str(ONTRACK), "schedule", "--json", str(path)], check=True, capture_output=True
            )
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    holidays = CountryHolidays()
    header = (
        f"{'tasks':>7} {'links':>7} {'levels':>6} {'parse+build':>12} {'schedule':>9} "
        f"{'passes':>9} {'ns/link':>8} {'python ns/link':>15} {'peak MiB':>9}"
    )
    print(header)
    for n in (int(s) for s in args.sizes.split(",")):
        r = measure(n, args.repeat, holidays)
        print(
            f"{r['tasks']:>7} {r['links']:>7} {r['levels']:>6} {r['parse_build_s']:>11.3f}s "
            f"{r['schedule_s']:>8.3f}s {r['passes_ms']:>7.1f}ms {r['ns_per_link']:>8.0f} "
            f"{r['python_ns_per_link']:>15.0f} {r['peak_mib']:>9.1f}"
        )
    print(f"\n`ontrack schedule --json` of a 10k-task plan file: {whole_command(10_000, 3):.2f}s")
    staffed = whole_command(10_000, 3, staffed=True)
    print(f"the same with 20 resources on 80% of the tasks, levelled: {staffed:.2f}s")


if __name__ == "__main__":
    main()
