"""A managed-service provider's portfolio: 20 client plans of 100 tasks sharing 15 people.

Each plan is a layered network (about two links a task, 1–5 working days a task, US
holidays) whose tasks mostly hold one of the 15 engineers, the same people in every plan,
with three outcomes of priorities 1–3 served by its last layer. Prints the time to level
the portfolio (`level_portfolio`: merge, schedule with levelling's usual search, split per
project, weekly loads), and with the priority rule alone (no search), next to the baseline
of scheduling the 20 plans one by one, each as if it had the people to itself.

    .venv/bin/python benchmarks/portfolio.py [--plans 20] [--tasks 100] [--people 15]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import numpy as np

from ontrack.app.holiday_source import CountryHolidays
from ontrack.core.level_search import Effort
from ontrack.core.model import (
    CalendarDef,
    Dependency,
    Duration,
    Outcome,
    Plan,
    ProjectInfo,
    Resource,
    Task,
)
from ontrack.core.portfolio import level_portfolio
from ontrack.core.schedule import ScheduleOptions, schedule

T = TypeVar("T")
START = date(2027, 3, 1)
LAYER = 8  # tasks a layer: a plan of 100 tasks is about 13 deep


def client_plan(k: int, tasks: int, people: int, rng: np.random.Generator) -> Plan:
    """Client k's plan: starts within its first four weeks, 80% of tasks held by one of
    the shared engineers."""
    layers = -(-tasks // LAYER)
    work = []
    for i in range(tasks):
        layer, pos = divmod(i, LAYER)
        after = ()
        if layer:
            ups = {(layer - 1) * LAYER + int(rng.integers(0, LAYER)) for _ in range(2)}
            after = tuple(Dependency(f"t{p}", short=True) for p in sorted(ups) if p < tasks)
        held = ((f"eng{rng.integers(0, people)}", 1.0),) if rng.random() < 0.8 else ()
        work.append(
            Task(
                id=f"t{i}",
                name=f"Task {i}",
                duration=Duration(float(rng.integers(1, 6)), "d"),
                after=after,
                resources=held,
                outcomes=(f"o{pos % 3}",) if layer == layers - 1 else (),
            )
        )
    return Plan(
        project=ProjectInfo(
            id=f"client{k}",
            name=f"Client {k}",
            start=START + timedelta(days=int(rng.integers(0, 28))),
            calendar="std",
        ),
        calendars=(CalendarDef(id="std", holidays="US"),),
        resources=tuple(Resource(id=f"eng{e}", units=1, rate=100) for e in range(people)),
        outcomes=tuple(
            Outcome(id=f"o{p}", statement=f"Outcome {p}", priority=p + 1) for p in range(3)
        ),
        tasks=tuple(work),
    )


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--people", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    plans = [client_plan(k, args.tasks, args.people, rng) for k in range(args.plans)]
    options = ScheduleOptions(holidays=CountryHolidays())
    rule_only = ScheduleOptions(holidays=CountryHolidays(), effort=Effort(schedules=0))
    schedule(plans[0], options)  # warm up: imports, holiday tables

    alone, schedules = timed(lambda: [schedule(p, options) for p in plans])
    together, result = timed(lambda: level_portfolio(plans, options=options))
    rule, _ = timed(lambda: level_portfolio(plans, options=rule_only))

    total = args.plans * args.tasks
    print(f"{args.plans} plans × {args.tasks} tasks ({total} tasks), {args.people} shared people")
    print(f"  level the portfolio together:      {together:6.2f}s")
    print(f"  the same, priority rule alone:     {rule:6.2f}s")
    print(f"  baseline, each plan alone:         {alone:6.2f}s")
    print(f"  last finish, each alone:           {max(s.finish for s in schedules)}")
    print(f"  last finish, together:             {result.schedule.finish}")
    delayed = sum(bool(w) for p in result.projects for w in p.other_work.values())
    print(f"  outcomes delayed by other clients' work: {delayed} of {3 * args.plans}")


if __name__ == "__main__":
    main()
