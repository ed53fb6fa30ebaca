"""ontrack's leveller on PSPLIB instances, beside the one-pass rule and CP-SAT.

Every instance goes through the tool as a user's plan would: `read_psplib` (the plan of
`ontrack import psplib`), then `schedule()` with the method's options. Columns, each
measured in the same run:
  lft       the priority rule alone: one serial pass by latest finish time
  default   ontrack's default leveller, its search stopped at --time-limit
  optimize  `--optimize SECONDS` (CP-SAT on one core beside the search on the other, in
            SECONDS together); needs the optimize extra
  cpsat     CP-SAT alone with 2 workers for SECONDS, from the rule's schedule: the
            baseline `--optimize` must beat at equal time
Per set: mean % above the reference makespan (`<set>_ref.csv` beside the folder), the
share of instances at it, median and max seconds per instance, and how many schedules
broke a link or a capacity (checked here, period by period: should be 0).

    .venv/bin/python benchmarks/psplib.py ../shared/data/psplib/j30 ../shared/data/psplib/j60
        [--methods lft,default,optimize,cpsat] [--time-limit 1] [--starts starts.csv] [--every 1]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from ontrack.app.levelling import LevelSettings, effort_and_optimizer
from ontrack.core.level_best import Optimizer, Solution
from ontrack.core.level_search import Effort
from ontrack.core.rcpsp import Problem
from ontrack.core.results import Schedule
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.interop.psplib import Instance, load_instance, task_id, to_plan
from ontrack.solver import compiled_decode, cpsat

METHODS = ("lft", "default", "optimize", "cpsat")
NEEDS_SOLVER = ("optimize", "cpsat")


def options(method: str, seconds: float) -> ScheduleOptions:
    if method == "lft":
        return ScheduleOptions(effort=Effort(schedules=0))
    if method == "cpsat":
        return ScheduleOptions(effort=Effort(schedules=0), optimizer=cpsat_alone(seconds))
    settings = (
        LevelSettings(seconds=seconds) if method == "default" else LevelSettings(optimize=seconds)
    )
    effort, optimizer = effort_and_optimizer(settings)
    return ScheduleOptions(effort=effort, optimizer=optimizer)


def cpsat_alone(seconds: float) -> Optimizer:
    def optimizer(pb: Problem, warm_start: list[int]) -> Callable[[], Solution]:
        solved = cpsat.solve(pb, warm_start, seconds, workers=2)
        return lambda: solved

    return optimizer


def starts(inst: Instance, sched: Schedule) -> list[int]:
    """Each job's start in periods from 0. A zero-length job (PSPLIB's dummies) is dated
    by the last working hour before it, so it starts when its last predecessor ends."""
    start = [0] * len(inst.jobs)
    ends: dict[int, int] = defaultdict(int)  # per job, the latest end of its predecessors
    for job in inst.jobs:  # PSPLIB numbers jobs in precedence order
        i = job.number - 1
        if job.duration:
            start[i] = (sched.task(task_id(job.number)).start - sched.start).days
        else:
            start[i] = ends[job.number]
        for s in job.successors:
            ends[s] = max(ends[s], start[i] + job.duration)
    return start


def feasible(inst: Instance, start: list[int]) -> bool:
    jobs = inst.jobs
    for job in jobs:
        for s in job.successors:
            if start[s - 1] < start[job.number - 1] + job.duration:
                return False
    horizon = max(s + j.duration for s, j in zip(start, jobs, strict=True))
    for r, cap in enumerate(inst.capacities):
        load = [0] * (horizon + 1)
        for s, j in zip(start, jobs, strict=True):
            for t in range(s, s + j.duration):
                load[t] += j.demands[r]
        if max(load) > cap:
            return False
    return True


def references(folder: Path) -> dict[str, int]:
    ref = folder.parent / f"{folder.name}_ref.csv"
    if not ref.exists():
        return {}
    with ref.open() as f:
        return {row["instance"]: int(row["makespan"]) for row in csv.DictReader(f)}


def instances(paths: list[Path], every: int) -> dict[str, list[tuple[Path, int | None]]]:
    sets: dict[str, list[tuple[Path, int | None]]] = defaultdict(list)
    for path in paths:
        if path.is_dir():
            ref = references(path)
            files = sorted(path.glob("*.sm"), key=lambda p: [int(x) for x in _numbers(p.stem)])
            for f in files[::every]:
                sets[path.name].append((f, ref.get(f.stem)))
        else:
            sets[path.stem].append((path, references(path.parent).get(path.stem)))
    return sets


def _numbers(stem: str) -> list[str]:
    digits = "".join(c if c.isdigit() else " " for c in stem)
    return digits.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--methods", help="comma-separated: lft,default,optimize,cpsat")
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per instance")
    parser.add_argument("--starts", type=Path, help="write the default schedule's job starts")
    parser.add_argument("--every", type=int, default=1, help="take every n-th instance only")
    args = parser.parse_args()
    try:
        cpsat.require()
        solver = True
    except cpsat.SolverMissing:
        solver = False
    methods = (
        args.methods.split(",")
        if args.methods
        else [m for m in METHODS if m not in NEEDS_SOLVER or solver]
    )
    if any(m in NEEDS_SOLVER for m in methods) and not solver:
        sys.exit(cpsat.MISSING)
    if "optimize" in methods and compiled_decode.available():
        compiled_decode.warm()  # a first run compiles it: not an instance's time
    starts_rows: list[tuple[str, int, int]] = []
    print(f"time limit {args.time_limit:g} s per instance; methods {', '.join(methods)}")
    print(
        f"{'set':<8}{'method':<10}{'n':>5}{'% above ref':>13}{'at ref':>8}"
        f"{'median s':>10}{'max s':>8}{'infeasible':>12}"
    )
    for name, files in instances(args.paths, args.every).items():
        for method in methods:
            gaps, at, seconds, broken = [], 0, [], 0
            for path, ref in files:
                inst = load_instance(path)
                plan = to_plan(inst, path.stem)
                t0 = time.perf_counter()
                sched = schedule(plan, options(method, args.time_limit))
                seconds.append(time.perf_counter() - t0)
                start = starts(inst, sched)
                makespan = max(s + j.duration for s, j in zip(start, inst.jobs, strict=True))
                broken += not feasible(inst, start)
                if ref:
                    gaps.append(100.0 * (makespan - ref) / ref)
                    at += makespan <= ref
                if method == "default" and args.starts:
                    starts_rows += [
                        (path.stem, j.number, s) for j, s in zip(inst.jobs, start, strict=True)
                    ]
            mean = f"{statistics.fmean(gaps):.3f}%" if gaps else "-"
            share = f"{100 * at / len(gaps):.0f}%" if gaps else "-"
            print(
                f"{name:<8}{method:<10}{len(files):>5}{mean:>13}{share:>8}"
                f"{statistics.median(seconds):>10.2f}{max(seconds):>8.2f}{broken:>12}",
                flush=True,
            )
    if args.starts:
        with args.starts.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["instance", "job", "start"])
            writer.writerows(starts_rows)


if __name__ == "__main__":
    main()
