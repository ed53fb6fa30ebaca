"""The core model to rows and back, written out field by field: core classes stay plain
dataclasses that know nothing of the database.

What is not a column (the project document, a task's estimate, the journal's before and
after) is JSON in the plan-file shape, validated by pydantic on the way back in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import TypeAdapter

from ontrack.core.baseline import Baseline
from ontrack.core.model import Conversation, Dependency, Duration, Estimate, Plan, Task

_PLAN = TypeAdapter(Plan)
_TASK = TypeAdapter(Task)
_ESTIMATE = TypeAdapter(Estimate)
_CONVERSATION = TypeAdapter(Conversation)
_BASELINE = TypeAdapter(Baseline)

# Task fields kept in a column of the same name.
_TASK_SCALARS = (
    "name", "kind", "deliverable", "not_before", "pin", "deadline", "cost", "calendar",
    "notes", "actual_start", "actual_finish", "percent_complete", "actual_cost",
    "expedite_cost_per_day",
)  # fmt: skip
# The fields of a task's own row, and its rows of links and resources: what an edit of
# one task may change (its subtasks are tasks of their own).
TASK_ROW_FIELDS = frozenset((*_TASK_SCALARS, "duration", "estimate", "outcomes"))
TASK_EDIT_FIELDS = TASK_ROW_FIELDS | {"after", "resources"}

Json = dict[str, Any]


def plan_json(plan: Plan) -> Json:
    data: Json = _PLAN.dump_python(plan, mode="json")
    return data


def plan_from_json(data: Json) -> Plan:
    return _PLAN.validate_python(data)


def project_document(plan: Plan) -> Json:
    """The plan without its tasks, which have rows of their own."""
    return plan_json(replace(plan, tasks=()))


def plan_from_document(document: Json, tasks: tuple[Task, ...]) -> Plan:
    return replace(plan_from_json(document), tasks=tasks)


def conversation_json(conversation: Conversation) -> Json:
    data: Json = _CONVERSATION.dump_python(conversation, mode="json")
    return data


def conversation_from_json(data: Json) -> Conversation:
    return _CONVERSATION.validate_python(data)


def baseline_json(baseline: Baseline) -> Json:
    data: Json = _BASELINE.dump_python(baseline, mode="json")
    return data


def baseline_from_json(data: Json) -> Baseline:
    return _BASELINE.validate_python(data)


def task_fields_json(task: Task, names: list[str]) -> Json:
    data = _TASK.dump_python(task, mode="json")
    return {name: data[name] for name in names}


def changed_task(task: Task, changes: Mapping[str, Any]) -> Task:
    """`task` with `changes` (plan-file field names; JSON or core values) applied and
    validated as a whole task."""
    return _TASK.validate_python({**_TASK.dump_python(task, mode="json"), **changes})


def task_row(task: Task) -> Json:
    return {
        "key": task.id,
        **{name: getattr(task, name) for name in _TASK_SCALARS},
        **_duration_columns("duration", task.duration),
        "estimate": None
        if task.estimate is None
        else _ESTIMATE.dump_python(task.estimate, mode="json"),
        "outcomes": list(task.outcomes),
    }


def task_from_row(
    row: Any,
    after: tuple[Dependency, ...] = (),
    resources: tuple[tuple[str, float], ...] = (),
    children: tuple[Task, ...] = (),
) -> Task:
    return Task(
        id=row.key,
        **{name: getattr(row, name) for name in _TASK_SCALARS},
        duration=_duration(row, "duration"),
        estimate=None if row.estimate is None else _ESTIMATE.validate_python(row.estimate),
        outcomes=tuple(row.outcomes),
        after=after,
        resources=resources,
        tasks=children,
    )


def dependency_row(dependency: Dependency) -> Json:
    return {
        "predecessor": dependency.task,
        "type": dependency.type,
        "short": dependency.short,
        **_duration_columns("lag", dependency.lag),
    }


def dependency_from_row(row: Any) -> Dependency:
    return Dependency(row.predecessor, row.type, _duration(row, "lag"), row.short)


def assignment_row(resource: str, units: float) -> Json:
    return {"resource": resource, "units": units}


def assignment_from_row(row: Any) -> tuple[str, float]:
    return row.resource, row.units


def _duration_columns(prefix: str, duration: Duration | None) -> Json:
    if duration is None:
        return {f"{prefix}_value": None, f"{prefix}_unit": None}
    return {f"{prefix}_value": duration.value, f"{prefix}_unit": duration.unit}


def _duration(row: Any, prefix: str) -> Duration | None:
    unit = getattr(row, f"{prefix}_unit")
    return None if unit is None else Duration(getattr(row, f"{prefix}_value"), unit)
