"""The REST API under /api/: the same use cases, roles and checks as the pages; JSON in
and out (plan files as YAML text), described at /openapi.json."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ontrack.planfile.read import decode_text
from ontrack.store.accounts import User
from ontrack.web.auth import user_of
from ontrack.web.context import State
from ontrack.web.security import check_csrf

router = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)])
Viewer = Annotated[User, Depends(user_of)]
YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string"}}},
        "description": "A plan file (docs/plan-format.md), UTF-8.",
    }
}


def workspace(request: Request) -> Any:
    s: State = request.app.state.ontrack
    return s.workspace


class TaskEdit(BaseModel):
    """Fields of a task in the plan file's notation; a field sent as null is cleared, a
    field not sent stays as it is. `version` is the task's version you read."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The task's version when you read it (409 if it moved on).")
    name: str | None = None
    kind: str | None = None
    duration: str | None = Field(None, examples=["3d"])
    after: list[str | dict[str, Any]] | None = Field(
        None, examples=[["hld", {"task": "x", "type": "SS", "lag": "2d"}]]
    )
    resources: dict[str, float] | None = Field(None, examples=[{"tech": 1}])
    deliverable: str | None = None
    outcomes: list[str] | None = None
    not_before: date | None = None
    pin: date | None = None
    deadline: date | None = None
    cost: float | None = None
    notes: str | None = None
    percent_complete: float | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    actual_cost: float | None = None

    def changes(self) -> dict[str, Any]:
        sent = self.model_fields_set - {"version"}
        return {name: _plain(getattr(self, name)) for name in sent}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@router.get("/projects")
def projects(request: Request, user: Viewer) -> dict[str, Any]:
    """Every project you have a role on, with its outcomes by status."""
    result: dict[str, Any] = workspace(request).portfolio(user)
    return result


@router.post("/projects", status_code=201, openapi_extra=YAML_BODY)
async def create_project(request: Request, user: Viewer) -> dict[str, Any]:
    """Add a project from a plan file; you own it."""
    text = decode_text(await request.body(), "upload.yaml")
    return {"key": workspace(request).create_project(user, text, "upload.yaml")}


@router.get("/projects/{key}")
def project(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The outcome dashboard (for a client: the client portal's outcomes, deliverables
    and milestones)."""
    result: dict[str, Any] = workspace(request).overview(user, key)
    return result


@router.get(
    "/projects/{key}/plan",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
)
def plan(request: Request, user: Viewer, key: str) -> Response:
    """The project as its canonical plan file."""
    return Response(workspace(request).plan_text(user, key), media_type="application/yaml")


@router.put("/projects/{key}/plan", openapi_extra=YAML_BODY)
async def replace_plan(request: Request, user: Viewer, key: str, version: int) -> dict[str, Any]:
    """Replace the project with a plan file, if the project is still at `version`."""
    text = decode_text(await request.body(), f"{key}.yaml")
    return {"version": workspace(request).upload(user, key, text, f"{key}.yaml", version)}


@router.get("/projects/{key}/tasks")
def tasks(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Every task: the plan's fields, the schedule's dates, and its version."""
    result: dict[str, Any] = workspace(request).tasks(user, key)
    return result


@router.patch("/projects/{key}/tasks/{task_id}")
def edit_task(
    request: Request, user: Viewer, key: str, task_id: str, edit: TaskEdit
) -> dict[str, Any]:
    """Change a task (a member: only its progress); the answer has the task and every
    outcome scheduled again. 409 with the other change when the version moved on."""
    result: dict[str, Any] = workspace(request).edit_task(
        user, key, task_id, edit.changes(), edit.version
    )
    return result


@router.get("/projects/{key}/schedule")
def schedule(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The schedule, as `ontrack schedule --json` writes it (docs/plan-format.md)."""
    result: dict[str, Any] = workspace(request).schedule(user, key)
    return result
