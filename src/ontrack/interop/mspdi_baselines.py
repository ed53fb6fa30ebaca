"""MS Project's baselines (a task's `Baseline` elements, numbers 0 to 10) as the plan they
froze: every task that has one, pinned at its baseline start with its baseline duration
and cost. Scheduling that plan and freezing it gives ontrack's baseline, planned value by
working day included, by the same rules as `ontrack baseline save`.

Pure: the imported plan and the records in, a plan out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from ontrack.core.model import Duration, Plan, Task


@dataclass(frozen=True)
class BaselineRecord:
    """One task's entry in one MS Project baseline."""

    start: date
    duration: Duration | None  # None: a milestone
    cost: float


def baseline_name(number: int) -> str:
    """MS Project's "Baseline" is `ms-project`; "Baseline 3" is `ms-project-3`."""
    return "ms-project" if number == 0 else f"ms-project-{number}"


def baseline_plan(
    plan: Plan, records: Mapping[str, BaselineRecord], fixed: Mapping[str, float]
) -> Plan:
    """The plan as the baseline had it. Tasks without a record came later and are left
    out (and a summary left with no tasks); links, progress and the status date are not
    part of a plan (so an outcome's driving chain in it is its last task alone). `fixed`
    is each task's fixed cost: what its baseline cost has beyond its resources' cost,
    which scheduling works out."""
    tasks = tuple(t for t in (_frozen(t, records, fixed) for t in plan.tasks) if t is not None)
    starts = [r.start for r in records.values()]
    project = replace(plan.project, start=min([plan.project.start, *starts]), status_date=None)
    return replace(plan, project=project, tasks=tasks, risks=(), correlations=())


def _frozen(
    task: Task, records: Mapping[str, BaselineRecord], fixed: Mapping[str, float]
) -> Task | None:
    bare = replace(
        task,
        after=(),
        not_before=None,
        pin=None,
        actual_start=None,
        actual_finish=None,
        percent_complete=None,
        actual_cost=None,
        estimate=None,
    )
    if task.tasks:
        children = tuple(c for c in (_frozen(c, records, fixed) for c in task.tasks) if c)
        return replace(bare, tasks=children, cost=None) if children else None
    record = records.get(task.id)
    if record is None:
        return None
    if record.duration is None:
        return replace(bare, kind="milestone", duration=None, resources=(), pin=record.start)
    kind = None if task.kind == "milestone" else task.kind
    return replace(
        bare, kind=kind, duration=record.duration, pin=record.start, cost=fixed.get(task.id)
    )
