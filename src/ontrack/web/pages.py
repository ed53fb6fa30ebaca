"""The HTML pages. Each renders the data of one use case, the same data its JSON twin
under /api/ returns, so a page never knows more than its twin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ontrack.app import accounts
from ontrack.planfile.read import decode_text
from ontrack.store.accounts import User
from ontrack.web.auth import user_of
from ontrack.web.context import State
from ontrack.web.forms import task_changes
from ontrack.web.security import check_csrf, csrf_token

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
Viewer = Annotated[User, Depends(user_of)]


def state(request: Request) -> State:
    s: State = request.app.state.ontrack
    return s


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    twin: str | None,
    user: User | None,
    status: int = 200,
) -> Response:
    """The page `template` showing `data`; `twin` is the address of its JSON twin."""
    context = {"data": data, "twin": twin, "user": user, "csrf": csrf_token(request)}
    return state(request).templates.TemplateResponse(request, template, context, status)


# --- signing in and out -----------------------------------------------------------------


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    return render(request, "sign_in.html", {"next": _local(next)}, None, None)


@router.post("/sign-in")
def sign_in(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    s = state(request)
    user = accounts.sign_in(s.engine, email, password, s.now())
    request.session.clear()  # a new session on sign-in: nothing carried over
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(_local(next), 303)


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/sign-in", 303)


def _local(target: str) -> str:
    """Only an address on this site: never send a signed-in browser elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


# --- projects ---------------------------------------------------------------------------


@router.get("/")
def portfolio(request: Request, user: Viewer) -> Response:
    data = state(request).workspace.portfolio(user)
    return render(request, "portfolio.html", data, "/api/projects", user)


@router.post("/projects")
async def create_project(request: Request, user: Viewer, plan: UploadFile) -> Response:
    text = await _text(plan)
    key = state(request).workspace.create_project(user, text, plan.filename or "plan.yaml")
    return RedirectResponse(f"/projects/{key}", 303)


@router.get("/projects/{key}")
def project(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.overview(user, key)
    template = "project.html" if data["role"] != "client" else "client.html"
    return render(request, template, data, f"/api/projects/{key}", user)


@router.get("/projects/{key}/tasks")
def tasks(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.tasks(user, key)
    return render(request, "tasks.html", data, f"/api/projects/{key}/tasks", user)


@router.post("/projects/{key}/tasks/{task_id}")
async def edit_task(request: Request, user: Viewer, key: str, task_id: str) -> Response:
    """One row of the task table, saved (HTMX): the row comes back, and the outcomes."""
    form = await request.form()
    changes, version = task_changes(form)
    data = state(request).workspace.edit_task(user, key, task_id, changes, version)
    return render(request, "_task_saved.html", {**data, "key": key}, None, user)


@router.get("/projects/{key}/plan.yaml")
def plan_file(request: Request, user: Viewer, key: str) -> Response:
    text = state(request).workspace.plan_text(user, key)
    headers = {"content-disposition": f'attachment; filename="{key}.yaml"'}
    return Response(text, media_type="application/yaml", headers=headers)


@router.post("/projects/{key}/plan")
async def upload_plan(
    request: Request, user: Viewer, key: str, plan: UploadFile, version: Annotated[int, Form()]
) -> Response:
    text = await _text(plan)
    state(request).workspace.upload(user, key, text, plan.filename or f"{key}.yaml", version)
    return RedirectResponse(f"/projects/{key}", 303)


async def _text(upload: UploadFile) -> str:
    return decode_text(await upload.read(), upload.filename or "plan.yaml")
