"""Record progress on a task, or the verification of an outcome, in the plan file itself.

The file is edited in place (planfile.edit: comments and layout kept), and the edited
text must pass what `ontrack check` checks before it replaces the file, all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ontrack.app.services import write_text
from ontrack.core.diagnostics import Path as PlanPath
from ontrack.core.model import Plan, Task
from ontrack.core.trace import trace
from ontrack.core.validate import suggest
from ontrack.planfile import parse_plan
from ontrack.planfile.edit import EditError, PlanText
from ontrack.planfile.read import read_text


class Refused(ValueError):
    """The plan cannot take what was asked, as given; nothing was written."""


@dataclass(frozen=True)
class Progress:
    """What to record on a task; None leaves a value as the file has it."""

    percent: float | None = None
    actual_cost: float | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    done: bool = False
    """Finished: on `actual_finish`, else on the status date."""
    status_date: date | None = None
    """The plan's new `project.status_date`."""


@dataclass(frozen=True)
class Recorded:
    subject: str
    values: dict[str, Any]
    """What was set on the subject, by the file's field names."""
    status_date: date | None = None
    """The new status date, when it was set."""
    unfinished: tuple[str, ...] = ()
    """For a verified outcome: the tasks serving it that are not finished."""


def record_progress(path: Path, task_id: str, progress: Progress) -> Recorded:
    """Raises Refused, PlanError (the file, or the file as it would be, has problems) or
    OSError; writes nothing then."""
    text, plan = _read(path)
    found = _find_task(plan.tasks, task_id, ("tasks",))
    if found is None:
        ids = [t.id for t, _ in plan.walk_tasks()]
        raise Refused(f"no task has the id '{task_id}'" + suggest(task_id, ids))
    task, where = found
    if task.is_summary:
        raise Refused(
            f"'{task_id}' is a summary: its progress is its tasks' progress; record it on them"
        )
    status_date = progress.status_date or plan.project.status_date
    finish = progress.actual_finish
    if progress.done and finish is None:
        # Done already, it keeps its day; otherwise it finished on the status date.
        finish = task.actual_finish or status_date
        if finish is None:
            raise Refused(
                f"when did '{task_id}' finish? The plan has no status_date: give the "
                "finish date, or the status date"
            )
    started = progress.actual_start or task.actual_start
    if started and not (finish or task.actual_finish) and status_date is None:
        raise Refused(
            f"'{task_id}' is in progress, but the plan has no status_date, the day its "
            "remaining work continues from: give the status date"
        )
    values = {
        "actual_start": progress.actual_start,
        "actual_finish": finish,
        "percent_complete": 100 if finish else progress.percent,
        "actual_cost": progress.actual_cost,
    }
    values = {key: value for key, value in values.items() if value is not None}
    edit = PlanText(text)
    if progress.status_date:
        _set(edit, ("project", "status_date"), progress.status_date)
    for key, value in values.items():
        _set(edit, (*where, key), value)
    _write(path, edit)
    return Recorded(task_id, values, progress.status_date)


def record_verification(
    path: Path, outcome_id: str, by: str, evidence: str, on: date | None = None
) -> Recorded:
    """Who checked the outcome's measure, when (default: the plan's status date) and the
    evidence. Raises as record_progress does."""
    text, plan = _read(path)
    ids = [o.id for o in plan.outcomes]
    if outcome_id not in ids:
        raise Refused(f"no outcome has the id '{outcome_id}'" + suggest(outcome_id, ids))
    day = on or plan.project.status_date
    if day is None:
        raise Refused(
            f"when was '{outcome_id}' verified? The plan has no status_date: give the date"
        )
    verified = {"by": by, "date": day, "evidence": evidence}
    edit = PlanText(text)
    _set(edit, ("outcomes", ids.index(outcome_id), "verified"), verified)
    _write(path, edit)
    finished = {t.id for t, _ in plan.walk_tasks() if t.actual_finish}
    serving = trace(plan).leaves_serving(outcome_id)
    return Recorded(outcome_id, verified, unfinished=tuple(t for t in serving if t not in finished))


def _read(path: Path) -> tuple[str, Plan]:
    text = read_text(path)
    return text, parse_plan(text, str(path))


def _find_task(
    tasks: tuple[Task, ...], task_id: str, at: PlanPath
) -> tuple[Task, PlanPath] | None:
    """The task and its path in the file."""
    for i, task in enumerate(tasks):
        if task.id == task_id:
            return task, (*at, i)
        if task.tasks and (found := _find_task(task.tasks, task_id, (*at, i, "tasks"))):
            return found
    return None


def _set(edit: PlanText, where: PlanPath, value: Any) -> None:
    try:
        edit.set(where, value)
    except EditError as error:
        raise Refused(str(error)) from None


def _write(path: Path, edit: PlanText) -> None:
    text = edit.text
    parse_plan(text, str(path))  # what `ontrack check` does: never write a plan it rejects
    write_text(path, text)
