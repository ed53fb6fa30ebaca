"""A realistic project of n tasks for the web benchmark, built on networks.generate.

The tasks of `networks.generate` (layered, about three links a task, 20 kinds of people
holding most tasks, five outcomes served by the last layer) are grouped into work
packages of about 50 tasks, each a summary task with its deliverable and a closing
milestone; the outcomes get statements, measures and targets near their forecasts (some
ahead, some behind, so every status shows); six weeks of work are recorded as done or
under way at the status date; procurement tasks carry a cost. The count `n` includes the
work packages and their milestones.

The plan goes through the plan file's checks (dump, then parse) before it is used.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from networks import START, generate
from ontrack.app.services import schedule_options
from ontrack.core.model import Deliverable, Dependency, Plan, ProjectInfo, Resource, Task
from ontrack.core.schedule import schedule
from ontrack.planfile import dump_plan, parse_plan

PACKAGE = 50  # tasks a work package, its summary and milestone included
STATUS_DATE = START + timedelta(weeks=6)
ROLES = (
    "Project manager", "Network engineer", "Wireless engineer", "Field technician",
    "Cabling crew", "Security engineer", "Systems engineer", "Test engineer",
    "Trainer", "Procurement officer",
)  # fmt: skip


def project_plan(n: int = 500, *, seed: int = 7, key: str = "web-bench") -> Plan:
    """A checked plan of n tasks in all (work packages and milestones included)."""
    packages = max(1, n // PACKAGE)
    work = n - 2 * packages
    base = generate(work, seed=seed, staffed=True)
    per = -(-work // packages)
    leaves = list(base.tasks)
    wps = []
    for p in range(packages):
        chunk = leaves[p * per : (p + 1) * per]
        chunk = [_procured(t) if i % 17 == 3 else t for i, t in enumerate(chunk)]
        done = Task(
            id=f"m{p}",
            name=f"Work package {p} accepted",
            kind="milestone",
            after=tuple(Dependency(t.id, short=True) for t in chunk[-3:]),
        )
        wps.append(
            Task(
                id=f"wp{p}",
                name=f"Work package {p}",
                deliverable=f"d{p}",
                tasks=(*chunk, done),
            )
        )
    outcomes = tuple(
        replace(
            o,
            statement=f"Outcome {k}: the client's site {k} runs on the new network",
            measure=f"Acceptance test {k} passed with no open priority-1 defect",
        )
        for k, o in enumerate(base.outcomes)
    )
    deliverables = tuple(
        Deliverable(
            id=f"d{p}",
            name=f"Deliverable of work package {p}",
            outcomes=(f"o{p % len(outcomes)}", f"o{(p + 2) % len(outcomes)}"),
            acceptance=f"Signed acceptance record for work package {p}",
        )
        for p in range(packages)
    )
    resources = (
        *(
            replace(r, name=f"{ROLES[k % len(ROLES)]} team {k // len(ROLES) + 1}")
            for k, r in enumerate(base.resources)
        ),
        Resource(id="supplier", name="Hardware supplier", units=10, rate=0),
    )
    plan = replace(
        base,
        project=ProjectInfo(
            id=key,
            name=f"Network roll-out ({n} tasks)",
            start=START,
            client="Acme Foods",
            manager="Dana Lee",
            status_date=STATUS_DATE,
            currency="USD",
            calendar="std",
            driver="speed",
        ),
        resources=resources,
        outcomes=outcomes,
        deliverables=deliverables,
        tasks=tuple(wps),
    )
    plan = _with_targets_and_progress(plan)
    return parse_plan(dump_plan(plan), f"{key}.yaml")


def _procured(task: Task) -> Task:
    return replace(
        task, kind="procurement", cost=5000.0 + 250 * len(task.id), resources=(("supplier", 1.0),)
    )


def _with_targets_and_progress(plan: Plan) -> Plan:
    """Targets near the forecasts (o0 and o3 a week behind, the rest ahead), and the work
    scheduled before the status date recorded as done or under way."""
    as_planned = replace(plan, project=replace(plan.project, status_date=None))
    sched = schedule(as_planned, schedule_options())
    behind = {"o0": -7, "o3": -7}
    outcomes = tuple(
        replace(o, target=_forecast(sched, o.id) + timedelta(days=behind.get(o.id, 14)))
        for o in plan.outcomes
    )

    def progressed(task: Task) -> Task:
        if task.tasks:
            return replace(task, tasks=tuple(progressed(t) for t in task.tasks))
        r = sched.task(task.id)
        if task.kind == "milestone" or r.start >= STATUS_DATE:
            return task
        if r.finish < STATUS_DATE:
            return replace(
                task, actual_start=r.start, actual_finish=r.finish, percent_complete=100.0
            )
        return replace(task, actual_start=r.start, percent_complete=40.0)

    return replace(plan, outcomes=outcomes, tasks=tuple(progressed(t) for t in plan.tasks))


def _forecast(sched: object, outcome: str) -> date:
    found = next(o for o in sched.outcomes if o.id == outcome)  # type: ignore[attr-defined]
    return found.forecast or STATUS_DATE  # type: ignore[no-any-return]


def leaf_ids(plan: Plan) -> list[str]:
    """Tasks a user may edit: work not yet finished (no summaries, no milestones)."""
    return [
        t.id
        for t, _ in plan.walk_tasks()
        if not t.tasks and t.kind != "milestone" and t.actual_finish is None
    ]


if __name__ == "__main__":
    import sys
    import time

    begin = time.perf_counter()
    made = project_plan(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
    took = time.perf_counter() - begin
    count = sum(1 for _ in made.walk_tasks())
    print(f"{count} tasks, {len(made.outcomes)} outcomes, {len(made.deliverables)} deliverables,")
    print(f"{len(made.resources)} resources, {len(leaf_ids(made))} editable; built in {took:.2f}s")
