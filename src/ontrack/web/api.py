"""The REST API under /api/: the same use cases, roles and checks as the pages; JSON in
and out (plan files as YAML text), described at /openapi.json.

Each route is one use case: who is asking (a personal API token, or a signed-in browser
with its CSRF token), the request in plan-file notation, the use case's answer as JSON.
A change is checked as a plan file is, and a refused one names its field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ontrack.app.tracking import baselines_to_json
from ontrack.app.workspace import Workspace
from ontrack.planfile.read import decode_text
from ontrack.reports.pdf import PdfMissing
from ontrack.store.accounts import User
from ontrack.web.auth import user_of
from ontrack.web.context import State
from ontrack.web.security import REPORT_CSP, check_csrf


def _problem(text: str) -> dict[str, Any]:
    return {"description": text}


ERRORS: dict[int | str, dict[str, Any]] = {
    401: _problem("No valid API token and no session: sign in, or send `Authorization: Bearer`."),
    403: _problem("Your role on the project does not allow this (or the CSRF check failed)."),
    404: _problem("No such project (or you have no role on it), task, baseline or entry."),
    422: _problem("Refused, nothing saved: `problems` names each field and what is wrong."),
}
EDIT_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: _problem("Someone saved first: `changes` shows who changed what (before, after)."),
}
YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string"}}},
        "description": "A plan file (docs/plan-format.md), UTF-8.",
    }
}
YAML_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/yaml": {}}, "description": "A plan file."}
}

# Who is asking comes first: without a token or a session the answer is 401, never 403.
router = APIRouter(
    prefix="/api", dependencies=[Depends(user_of), Depends(check_csrf)], responses=ERRORS
)
Viewer = Annotated[User, Depends(user_of)]


def _state(request: Request) -> State:
    s: State = request.app.state.ontrack
    return s


def workspace(request: Request) -> Workspace:
    return _state(request).workspace


def today(request: Request) -> date:
    return _state(request).today()


# --- request bodies -----------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def sent(self, *skip: str) -> dict[str, Any]:
        """The fields sent (a null one clears the field), as plan-file values."""
        fields = self.model_fields_set - set(skip)
        data = self.model_dump(mode="json", include=fields)
        if data.get("after"):
            data["after"] = [_link(item) for item in data["after"]]
        return data


def _link(item: Any) -> Any:
    """A link as the plan file writes it: just the task's id when that is all it says."""
    written = {k: v for k, v in item.items() if v is not None}
    return written["task"] if set(written) == {"task"} else written


def _short_link(item: Any) -> Any:
    return {"task": item} if isinstance(item, str) else item


class Link(_Body):
    """A link in the plan file's long form; a plain task id (the short form: FS, no lag)
    is taken too, as in a plan file's `after: [hld]`."""

    task: str = Field(description="The task this one waits for.")
    type: Literal["FS", "SS", "FF", "SF"] | None = Field(None, description="FS when left out.")
    lag: str | None = Field(None, examples=["2d", "-1d", "4h"])


Version = Annotated[
    int, Field(description="The task's version when you read it (409 if it moved on).")
]
After = list[Annotated[Link, BeforeValidator(_short_link)]]
AFTER_EXAMPLE = [["hld", {"task": "x", "type": "SS", "lag": "2d"}]]


class TaskEdit(_Body):
    """Fields of a task in the plan file's notation; a field sent as null is cleared, a
    field not sent stays as it is. `version` is the task's version you read."""

    version: Version
    name: str | None = None
    kind: str | None = None
    duration: str | None = Field(None, examples=["3d"])
    after: After | None = Field(None, examples=AFTER_EXAMPLE)
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


class DependenciesEdit(_Body):
    """Every link the task waits on (the list replaces the task's links; [] clears them)."""

    version: Version
    after: After = Field(examples=AFTER_EXAMPLE)


class ResourcesEdit(_Body):
    """The task's resources and the units of each (replaces them; {} clears them)."""

    version: Version
    resources: dict[str, float] = Field(examples=[{"tech": 1, "pm": 0.5}])


class Progress(_Body):
    """Progress on a task (what a member may record); a field not sent stays as it is."""

    version: Version
    percent_complete: float | None = Field(None, examples=[40])
    actual_start: date | None = None
    actual_finish: date | None = None
    actual_cost: float | None = None


class NewBaseline(_Body):
    name: str | None = Field(
        None, description="Letters, digits, - and _; `baseline-N` when left out."
    )


class Note(_Body):
    """A conversation with the client, kept in the plan file's `conversations`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    on: date | None = Field(None, alias="date", description="Today when left out.")
    with_: str | None = Field(None, alias="with", description="Who the conversation was with.")
    notes: str = Field(min_length=1)
    outcomes: list[str] = Field(default_factory=list, description="The outcomes it was about.")
    decisions: list[str] = Field(default_factory=list)


class Grant(_Body):
    email: str = Field(description="A user added with `ontrack user add`.")
    role: Literal["owner", "manager", "member", "client"]


# --- projects -----------------------------------------------------------------------------


@router.get("/projects")
def projects(request: Request, user: Viewer) -> dict[str, Any]:
    """Every project you have a role on, with its outcomes by status."""
    return workspace(request).portfolio(user)


@router.post(
    "/projects",
    status_code=201,
    openapi_extra=YAML_BODY,
    responses={409: _problem("A project with the plan's id exists already.")},
)
async def create_project(request: Request, user: Viewer) -> dict[str, Any]:
    """Add a project from a plan file; you own it. A plan with problems is refused, each
    problem at its file:line:col."""
    text = decode_text(await request.body(), "upload.yaml")
    create = workspace(request).create_project  # off the event loop: parsing takes a while
    return {"key": await run_in_threadpool(create, user, text, "upload.yaml")}


@router.get("/projects/{key}")
def project(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The outcome dashboard (for a client: the client portal's outcomes, deliverables
    and milestones)."""
    return workspace(request).overview(user, key)


@router.get("/projects/{key}/plan", response_class=Response, responses=YAML_ANSWER)
def plan(request: Request, user: Viewer, key: str) -> Response:
    """The project as its canonical plan file (the team only)."""
    return Response(workspace(request).plan_text(user, key), media_type="application/yaml")


@router.put("/projects/{key}/plan", openapi_extra=YAML_BODY, responses=EDIT_ERRORS)
async def replace_plan(request: Request, user: Viewer, key: str, version: int) -> dict[str, Any]:
    """Replace the project with a plan file, if the project is still at `version`."""
    text = decode_text(await request.body(), f"{key}.yaml")
    upload = workspace(request).upload  # off the event loop: parsing takes a while
    return {"version": await run_in_threadpool(upload, user, key, text, f"{key}.yaml", version)}


@router.get("/projects/{key}/outcomes")
def outcomes(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The outcomes by priority: for a client, target, forecast and status; for the team,
    also the tasks that drive each forecast."""
    return workspace(request).outcomes(user, key)


@router.get("/projects/{key}/deliverables")
def deliverables(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The deliverables with their forecast and acceptance; the team also sees their tasks."""
    return workspace(request).deliverables(user, key)


@router.get("/projects/{key}/resources")
def resources(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The plan's resources: units, rates, calendars and days away (the team only)."""
    return workspace(request).resources(user, key)


# --- tasks --------------------------------------------------------------------------------


@router.get("/projects/{key}/tasks")
def tasks(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Every task: the plan's fields, the schedule's dates, and its version."""
    return workspace(request).tasks(user, key)


@router.patch("/projects/{key}/tasks/{task_id}", responses=EDIT_ERRORS)
def edit_task(
    request: Request, user: Viewer, key: str, task_id: str, edit: TaskEdit
) -> dict[str, Any]:
    """Change a task (a member: only its progress); the answer has the task and every
    outcome scheduled again. 409 with the other change when the version moved on."""
    return workspace(request).edit_task(user, key, task_id, edit.sent("version"), edit.version)


@router.get("/projects/{key}/dependencies")
def dependencies(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Every link: the task, its predecessor, the link's type and lag (the team only)."""
    return workspace(request).dependencies(user, key)


@router.put("/projects/{key}/tasks/{task_id}/dependencies", responses=EDIT_ERRORS)
def set_dependencies(
    request: Request, user: Viewer, key: str, task_id: str, edit: DependenciesEdit
) -> dict[str, Any]:
    """Replace what the task waits for; a cycle or an unknown task is refused (422)."""
    return workspace(request).edit_task(user, key, task_id, edit.sent("version"), edit.version)


@router.put("/projects/{key}/tasks/{task_id}/resources", responses=EDIT_ERRORS)
def set_resources(
    request: Request, user: Viewer, key: str, task_id: str, edit: ResourcesEdit
) -> dict[str, Any]:
    """Replace the task's resources; an unknown resource is refused (422)."""
    return workspace(request).edit_task(user, key, task_id, edit.sent("version"), edit.version)


@router.post("/projects/{key}/tasks/{task_id}/progress", responses=EDIT_ERRORS)
def record_progress(
    request: Request, user: Viewer, key: str, task_id: str, progress: Progress
) -> dict[str, Any]:
    """Record progress on a task (members may); the outcomes are forecast again."""
    changes = progress.sent("version")
    return workspace(request).edit_task(user, key, task_id, changes, progress.version)


# --- schedule and tracking ----------------------------------------------------------------


@router.get("/projects/{key}/schedule")
def schedule(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The schedule, as `ontrack schedule --json` writes it (docs/plan-format.md)."""
    return workspace(request).schedule(user, key)


@router.get("/projects/{key}/baselines")
def baselines(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The saved baselines, the latest against the schedule now, and each outcome's
    forecast at every baseline."""
    return workspace(request).baselines(user, key, today(request))


@router.post("/projects/{key}/baselines", status_code=201)
def save_baseline(
    request: Request, user: Viewer, key: str, baseline: NewBaseline
) -> dict[str, Any]:
    """Freeze the schedule as a baseline (a manager); a name already saved is refused."""
    saved = workspace(request).save_baseline(user, key, baseline.name, today(request))
    return baselines_to_json([saved])[0]


@router.get("/projects/{key}/evm")
def evm(request: Request, user: Viewer, key: str, baseline: str | None = None) -> dict[str, Any]:
    """Earned value today against `baseline` (the latest saved when left out); `evm` is
    null while no baseline is saved."""
    return workspace(request).evm(user, key, today(request), baseline)


@router.get("/projects/{key}/findings")
def findings(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """What the PM should know, and the schedule's health checks."""
    return workspace(request).findings(user, key)


@router.get("/projects/{key}/risk")
def risk(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Each outcome's confidence from simulated futures: `p50`, `p80`, `p90` (dates) and
    `p_on_time` (0-1, null without a target), and its status by that chance; for the team
    also `criticality`, `influences` (the tornado), `actions` and the S-curve (`curve`)."""
    return workspace(request).confidence(user, key, today(request))


@router.get("/projects/{key}/advice")
def advice(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Course corrections for each outcome at stake, each scheduled again."""
    return workspace(request).advice(user, key)


# --- conversations, history and people ---------------------------------------------------


@router.get("/projects/{key}/conversations")
def conversations(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The notes of conversations with the client, newest first (the team only)."""
    return workspace(request).conversations(user, key)


@router.post("/projects/{key}/conversations", status_code=201)
def add_note(request: Request, user: Viewer, key: str, note: Note) -> dict[str, Any]:
    """Note a conversation with the client (members may)."""
    when = note.on or today(request)
    workspace(request).add_note(
        user, key, when, note.with_, note.notes, tuple(note.outcomes), tuple(note.decisions)
    )
    return {"date": when.isoformat(), "with": note.with_, "notes": note.notes}


@router.get("/projects/{key}/history")
def history(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """The journal, newest first: who changed what, before and after."""
    return workspace(request).history(user, key)


@router.get(
    "/projects/{key}/history/{journal_id}/plan", response_class=Response, responses=YAML_ANSWER
)
def plan_at(request: Request, user: Viewer, key: str, journal_id: int) -> Response:
    """The plan file as it was just after a journal entry."""
    text = workspace(request).plan_at(user, key, journal_id)
    return Response(text, media_type="application/yaml")


@router.post("/projects/{key}/history/{journal_id}/restore")
def restore(request: Request, user: Viewer, key: str, journal_id: int) -> dict[str, Any]:
    """Make the project what it was just after a journal entry (a manager); journalled."""
    workspace(request).restore(user, key, journal_id)
    return {"restored": journal_id}


@router.get("/projects/{key}/members")
def members(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Who has which role on the project (the team only)."""
    return workspace(request).members(user, key)


@router.post("/projects/{key}/members")
def grant(request: Request, user: Viewer, key: str, grant: Grant) -> dict[str, Any]:
    """Give a user a role on the project, replacing the one they had (the owner only)."""
    workspace(request).grant(user, key, grant.email, grant.role)
    return {"email": grant.email, "role": grant.role}


@router.delete("/projects/{key}/members")
def revoke(request: Request, user: Viewer, key: str, email: str) -> dict[str, Any]:
    """Take away a user's role on the project (the owner only; not their own)."""
    workspace(request).revoke(user, key, email)
    return {"email": email, "role": None}


# --- reports ------------------------------------------------------------------------------

REPORT_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}


@router.get(
    "/projects/{key}/reports/{which}.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The report: HTML, Markdown or PDF.",
            "content": {
                "text/html": {},
                "text/markdown": {},
                "application/pdf": {},
            },
        },
        501: _problem("PDF needs WeasyPrint and its libraries, which are not installed."),
    },
)
def report(
    request: Request,
    user: Viewer,
    key: str,
    which: Literal["client", "team"],
    fmt: Literal["html", "md", "pdf"],
) -> Response:
    """The client report (anyone on the project) or the team briefing (the team), dated
    today."""
    ws, day = workspace(request), today(request)
    headers = {"content-security-policy": REPORT_CSP}
    if fmt == "pdf":
        try:
            pdf = ws.report_pdf(user, key, which, day)
        except PdfMissing as error:
            raise HTTPException(501, str(error)) from None
        headers["content-disposition"] = f'inline; filename="{key}-{which}.pdf"'
        return Response(pdf, media_type="application/pdf", headers=headers)
    text = ws.report(user, key, which, fmt, day)
    return Response(text, media_type=REPORT_TYPES[fmt], headers=headers)
