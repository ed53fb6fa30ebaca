"""The baselines of a plan, kept beside it in `PLAN.baselines.yaml`.

The file is written by ontrack (canonical YAML, by the plan file's writer) and read back
with the plan file's loader, so a broken one is reported as FILE:LINE:COL like a plan.
It lists every baseline of the plan in the order they were saved:

    ontrack: 1
    project: plant-wifi
    baselines:
      - name: baseline-1
        saved: 2027-03-01
        ...
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from ontrack.core.baseline import Baseline, BaselineDeliverable, BaselineOutcome, BaselineTask
from ontrack.core.collector import collector_paused
from ontrack.core.diagnostics import Diagnostic, PlanError
from ontrack.planfile.check import schema_problems
from ontrack.planfile.dump import dump_mapping
from ontrack.planfile.parse import load_document
from ontrack.planfile.read import located, read_text
from ontrack.planfile.schema import Amount, Day, Id, Version, _field, _Mapping, _required

SUFFIX = ".baselines.yaml"


def baselines_file(plan_file: str | os.PathLike[str]) -> Path:
    """Where a plan's baselines are kept: `plant-wifi.yaml` -> `plant-wifi.baselines.yaml`."""
    path = Path(plan_file)
    return path.with_name(path.stem + SUFFIX)


class BaselineTaskSchema(_Mapping):
    id: Id = _required("The task's id.")
    start: Day = _required("Its start, as scheduled then.")
    finish: Day = _required("Its finish, as scheduled then.")
    duration_days: Amount = _required("Its duration, in days of its calendar.")
    work_hours: Amount = _required("Resource hours: units x working hours.")
    cost: Amount = _required("Its whole cost, fixed cost included.")
    summary: bool | None = _field("true for a summary task.")
    parent: Id | None = _field("The summary it is in.")
    deliverable: Id | None = _field("The deliverable it produces.")
    outcomes: list[Id] | None = _field("The outcomes it serves.", style="flow")
    planned_value: Annotated[dict[Day, Amount], Field(min_length=1)] = _required(
        "Cumulative planned cost at the end of each of its working days."
    )


class BaselineOutcomeSchema(_Mapping):
    id: Id = _required("The outcome's id.")
    target: Day | None = _field("Its target then.")
    forecast: Day | None = _field("Its forecast then; none when no work served it.")
    driving_tasks: list[Id] | None = _field("The chain of tasks that set the forecast.")
    external_drivers: list[Id] | None = _field("Program milestones on that chain.")


class BaselineDeliverableSchema(_Mapping):
    id: Id = _required("The deliverable's id.")
    finish: Day | None = _field("Its finish then: the last of its tasks'.")


class BaselineSchema(_Mapping):
    name: Id = _required("The baseline's name, unique in the file.")
    saved: Day = _required("The day it was saved (the status date, or that day).")
    start: Day = _required("The project's start.")
    finish: Day = _required("The project's finish.")
    cost: Amount = _required("The project's cost.")
    program_milestones: dict[Id, Day] | None = _field("The program's milestones' dates then.")
    outcomes: list[BaselineOutcomeSchema] | None = _field("Every outcome's forecast.")
    deliverables: list[BaselineDeliverableSchema] | None = _field(
        "Every deliverable's finish.", style="flow-items"
    )
    tasks: list[BaselineTaskSchema] | None = _field("Every task, summaries included.")


class BaselinesSchema(_Mapping):
    ontrack: Version = _required("The format version: 1.")
    project: Id = _required("The plan's project.id.")
    baselines: list[BaselineSchema] = _required("The baselines, in the order saved.")


def load_baselines(path: str | os.PathLike[str], project_id: str) -> tuple[Baseline, ...]:
    """The baselines in the file at `path` of project `project_id`, or a PlanError with
    every problem of the file."""
    name = str(path)
    with collector_paused():
        document = load_document(read_text(path), name)
        data = document.data
        if not isinstance(data, dict):
            what = "a mapping with `ontrack: 1`, `project:` and `baselines:`"
            problem = Diagnostic("not-a-mapping", f"this is no baselines file, which is {what}")
            raise PlanError(located(document, name, [problem]))
        try:
            schema = BaselinesSchema.model_validate(data)
        except ValidationError as error:
            problems = schema_problems(error, data, BaselinesSchema)
            raise PlanError(located(document, name, problems)) from None
        problems = _problems(schema, project_id)
        if problems or document.problems:
            raise PlanError(located(document, name, problems))
        return tuple(_baseline(b) for b in schema.baselines)


def _problems(schema: BaselinesSchema, project_id: str) -> list[Diagnostic]:
    problems = []
    if schema.project != project_id:
        message = (
            f"these are the baselines of project '{schema.project}', but the plan is "
            f"project '{project_id}': is this the right plan?"
        )
        problems.append(Diagnostic("bad-value", message, ("project",)))
    first: dict[str, int] = {}
    for i, baseline in enumerate(schema.baselines):
        if first.setdefault(baseline.name, i) != i:
            message = f"a baseline named '{baseline.name}' comes before: rename one of them"
            problems.append(Diagnostic("duplicate-id", message, ("baselines", i, "name")))
    return problems


def _baseline(s: BaselineSchema) -> Baseline:
    return Baseline(
        name=s.name,
        saved=s.saved,
        project_start=s.start,
        project_finish=s.finish,
        cost=s.cost,
        tasks=tuple(
            BaselineTask(
                id=t.id,
                start=t.start,
                finish=t.finish,
                work_hours=t.work_hours,
                cost=t.cost,
                planned_value=tuple(sorted(t.planned_value.items())),
                is_summary=bool(t.summary),
                parent=t.parent,
                deliverable=t.deliverable,
                outcomes=tuple(t.outcomes or ()),
                duration_days=t.duration_days,
            )
            for t in s.tasks or ()
        ),
        outcomes=tuple(
            BaselineOutcome(
                o.id,
                o.target,
                o.forecast,
                tuple(o.driving_tasks or ()),
                tuple(o.external_drivers or ()),
            )
            for o in s.outcomes or ()
        ),
        deliverables=tuple(BaselineDeliverable(d.id, d.finish) for d in s.deliverables or ()),
        program_milestones=tuple((s.program_milestones or {}).items()),
    )


def dump_baselines(project_id: str, baselines: Sequence[Baseline]) -> str:
    data = {"ontrack": 1, "project": project_id, "baselines": [_data(b) for b in baselines]}
    return dump_mapping(data, BaselinesSchema)


def _data(b: Baseline) -> dict[str, Any]:
    return _given(
        name=b.name,
        saved=b.saved,
        start=b.project_start,
        finish=b.project_finish,
        cost=b.cost,
        program_milestones=dict(b.program_milestones),
        outcomes=[
            _given(
                id=o.id,
                target=o.target,
                forecast=o.forecast,
                driving_tasks=list(o.driving_tasks),
                external_drivers=list(o.external_drivers),
            )
            for o in b.outcomes
        ],
        deliverables=[_given(id=d.id, finish=d.finish) for d in b.deliverables],
        tasks=[
            _given(
                id=t.id,
                start=t.start,
                finish=t.finish,
                duration_days=t.duration_days,
                work_hours=t.work_hours,
                cost=t.cost,
                summary=True if t.is_summary else None,
                parent=t.parent,
                deliverable=t.deliverable,
                outcomes=list(t.outcomes),
                planned_value=dict(t.planned_value),
            )
            for t in b.tasks
        ],
    )


def _given(**fields: float | str | date | list[Any] | dict[Any, Any] | None) -> dict[str, Any]:
    """The fields that have a value: the file leaves out what is not given."""
    return {key: value for key, value in fields.items() if value not in (None, [], {})}
