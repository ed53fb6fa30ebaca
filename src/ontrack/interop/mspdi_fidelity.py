"""How ontrack's schedule of an imported plan compares with the dates MS Project stored in
the file, and why each difference arises.

The comparison is with ontrack's schedule without levelling, as MS Project does not level
unless asked. A difference is explained by what of the task did not travel (a manual
task, a constraint ontrack lacks, a percentage lag), else by a predecessor or a summary's
task that differs, else by a lag that the two count in different calendars (MS Project
counts lags in the task's or the project's calendar, never a resource's), else it is
reported as unexplained: the file's dates may predate its
last recalculation, or a calendar detail did not travel."""

from __future__ import annotations

from dataclasses import dataclass

from ontrack.core.model import Plan, Task
from ontrack.core.results import Schedule
from ontrack.interop.mspdi_read import Imported, Stored

UNEXPLAINED = (
    "not explained by the file: MS Project may not have recalculated it before saving, or "
    "a calendar detail did not travel"
)


LAG_CALENDAR = (
    "ontrack counts its link's lag in its resources' working time (days away included), "
    "MS Project in the task's or the project's calendar"
)


@dataclass(frozen=True)
class Difference:
    task: str
    ours: Stored
    theirs: Stored
    cause: str


def differences(imported: Imported, sched: Schedule) -> list[Difference]:
    """Every task whose start or finish differs from MS Project's, in plan order."""
    plan = imported.plan
    ours = {t.id: Stored(t.start, t.finish) for t in sched.tasks}
    differs = {
        tid: stored for tid, stored in imported.stored.items() if ours.get(tid, stored) != stored
    }
    out = []
    for task, parent in plan.walk_tasks():
        if task.id not in differs:
            continue
        links = [d.task for d in (*task.after, *(parent.after if parent else ()))]
        moved = next((p for p in links if p in differs), None)
        child = next((c.id for c in task.tasks if c.id in differs), None)
        if task.id in imported.causes:
            cause = imported.causes[task.id]
        elif moved is not None:
            cause = f"it follows '{moved}', whose dates differ"
        elif _lag_in_resource_time(plan, task):
            cause = LAG_CALENDAR
        elif child is not None:
            cause = f"its task '{child}' differs"
        else:
            cause = UNEXPLAINED
        out.append(Difference(task.id, ours[task.id], differs[task.id], cause))
    return out


def _lag_in_resource_time(plan: Plan, task: Task) -> bool:
    """A lag into a task whose resources have days away or a calendar of their own."""
    own = {r.id for r in plan.resources if r.away or (r.calendar or None) != task.calendar}
    return any(d.lag for d in task.after) and any(rid in own for rid, _ in task.resources)
