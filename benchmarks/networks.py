"""Generated project networks for the benchmarks: layered, about three links a task.

Tasks are spread over at most 150 layers (the longest chain a real plan of that size
would have), each depending on one to five tasks of the three layers before it, mostly
at nearby positions so that streams of work form, as in a real plan. Durations are 1–10
working days, one link in ten carries a lag or lead, and the calendar has US holidays.
"""

from __future__ import annotations

from datetime import date

import numpy as np

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

START = date(2027, 3, 1)


def generate(n: int, *, seed: int = 7, links_per_task: float = 3.0, staffed: bool = False) -> Plan:
    """A plan of n tasks; `staffed` gives it 20 kinds of people (2-5 each) holding most
    tasks, and five outcomes of priorities 1-5 served by the tasks of the last layer."""
    rng = np.random.default_rng(seed)
    layers = max(1, min(150, n // 8))
    width = -(-n // layers)
    tasks = []
    for i in range(n):
        layer, pos = divmod(i, width)
        after: list[Dependency] = []
        if layer:
            k = int(np.clip(rng.poisson(links_per_task), 1, 5))
            for _ in range(k):
                up = layer - 1 - int(rng.integers(0, min(3, layer)))
                near = int(np.clip(pos + rng.integers(-8, 9), 0, width - 1))
                p = up * width + near
                if any(d.task == f"t{p}" for d in after):
                    continue
                if rng.random() < 0.1:
                    lag = Duration(float(rng.integers(-2, 5)), "d")
                    after.append(Dependency(f"t{p}", "FS", lag))
                else:
                    after.append(Dependency(f"t{p}", short=True))
        duration = Duration(float(rng.integers(1, 11)), "d")
        held = ((f"r{rng.integers(0, 20)}", 1.0),) if staffed and rng.random() < 0.8 else ()
        serves = (f"o{pos % 5}",) if staffed and layer == layers - 1 else ()
        tasks.append(
            Task(
                id=f"t{i}",
                name=f"Task {i}",
                duration=duration,
                after=tuple(after),
                resources=held,
                outcomes=serves,
            )
        )
    people = tuple(
        Resource(id=f"r{k}", units=float(2 + k % 4), rate=80.0) for k in range(20 if staffed else 0)
    )
    outcomes = tuple(
        Outcome(id=f"o{k}", statement=f"Outcome {k}", priority=k + 1)
        for k in range(5 if staffed else 0)
    )
    return Plan(
        project=ProjectInfo(id=f"bench-{n}", name=f"Benchmark {n}", start=START, calendar="std"),
        calendars=(CalendarDef(id="std", holidays="US"),),
        resources=people,
        outcomes=outcomes,
        tasks=tuple(tasks),
    )
