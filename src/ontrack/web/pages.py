"""The HTML pages. Each renders the data of one use case, the same data its JSON twin
under /api/ returns, so a page never knows more than its twin."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ontrack.app import accounts
from ontrack.planfile.read import decode_text
from ontrack.reports.pdf import PdfMissing
from ontrack.store import NotFound
from ontrack.store.accounts import User
from ontrack.web import errors
from ontrack.web.auth import user_of
from ontrack.web.context import State
from ontrack.web.forms import task_changes
from ontrack.web.security import REPORT_CSP, check_csrf, csrf_token

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
    **extra: Any,
) -> Response:
    """The page `template` showing `data`; `twin` is the address of its JSON twin. `extra`
    is what the page needs beyond the data (the project tabs, a form's defaults)."""
    context = {
        "data": data,
        "twin": twin,
        "user": user,
        "csrf": csrf_token(request),
        **extra,
    }
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
    create = state(request).workspace.create_project
    key = await run_in_threadpool(create, user, text, plan.filename or "plan.yaml")
    return RedirectResponse(f"/projects/{key}", 303)


@router.get("/projects/{key}")
def project(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.overview(user, key)
    template = "project.html" if data["role"] != "client" else "client.html"
    return render(request, template, data, f"/api/projects/{key}", user)


@router.get("/projects/{key}/tasks")
def tasks(request: Request, user: Viewer, key: str) -> Response:
    s = state(request)
    data = s.workspace.tasks(user, key)
    editor = data["role"] in ("owner", "manager")  # the only difference the rows make
    template = s.templates.get_template("_task_row.html")

    def row(t: dict[str, Any]) -> str:
        return s.fragments.get(t, (key, editor), lambda: template.render(t=t, data=data))

    rows = "".join(row(t) for t in data["tasks"])
    return render(
        request, "tasks.html", data, f"/api/projects/{key}/tasks", user, rows=Markup(rows)
    )


@router.post("/projects/{key}/tasks/{task_id}")
async def edit_task(request: Request, user: Viewer, key: str, task_id: str) -> Response:
    """One row of the task table, saved (HTMX): the row comes back, and the outcomes."""
    changes, version = task_changes(await request.form())
    edit = state(request).workspace.edit_task
    # Off the event loop, as FastAPI runs a plain `def` route: a save waits for the
    # project to be scheduled again, and the other requests must not wait with it.
    data = await run_in_threadpool(edit, user, key, task_id, changes, version)
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
    upload = state(request).workspace.upload
    await run_in_threadpool(upload, user, key, text, plan.filename or f"{key}.yaml", version)
    return RedirectResponse(f"/projects/{key}", 303)


async def _text(upload: UploadFile) -> str:
    return decode_text(await upload.read(), upload.filename or "plan.yaml")


# --- the project's other pages ----------------------------------------------------------
# Each calls one use case; `nav` is what the project tabs need (the key and your role).

# A chart is an image document of its own: its <style> may apply, nothing may run.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
ROLES = ("owner", "manager", "member", "client")
REPORTS = {"client": "Client report", "team": "Team briefing"}
FORMATS = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


def _nav(request: Request, user: User, key: str) -> dict[str, Any]:
    """The project tabs' data, and whether you may change the plan."""
    role = state(request).workspace.role(user, key)
    return {
        "nav": {"project": {"key": key}, "role": role},
        "role": role,
        "manages": role in ("owner", "manager"),
        "key": key,
    }


def _project_page(
    request: Request, user: User, key: str, template: str, data: dict[str, Any], twin: str
) -> Response:
    """A page of the project, with its tabs; `twin` is its JSON twin's path in the API."""
    return render(
        request, template, data, f"/api/projects/{key}/{twin}", user, **_nav(request, user, key)
    )


def _svg(svg: str) -> Response:
    headers = {"content-security-policy": SVG_CSP, "cache-control": "no-cache"}
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/projects/{key}/gantt")
def gantt_page(request: Request, user: Viewer, key: str) -> Response:
    """The schedule, with its Gantt chart as an image: the SVG carries its own <style>,
    which the page's CSP would block inline."""
    data = state(request).workspace.schedule(user, key)
    return _project_page(request, user, key, "gantt.html", data, "schedule")


@router.get("/projects/{key}/gantt.svg")
def gantt_svg(request: Request, user: Viewer, key: str) -> Response:
    s = state(request)
    return _svg(s.workspace.gantt(user, key, s.today()))


@router.get("/projects/{key}/findings")
def findings(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.findings(user, key)
    return _project_page(request, user, key, "findings.html", data, "findings")


@router.get("/projects/{key}/advice")
def advice(request: Request, user: Viewer, key: str) -> Response:
    """Course corrections: the whole page, or (HTMX, from the findings page) its table."""
    data = state(request).workspace.advice(user, key)
    template = "_advice.html" if request.headers.get("hx-request") else "advice.html"
    return _project_page(request, user, key, template, data, "advice")


@router.get("/projects/{key}/baselines")
def baselines(request: Request, user: Viewer, key: str) -> Response:
    s = state(request)
    data = s.workspace.baselines(user, key, s.today())
    return _project_page(request, user, key, "baselines.html", data, "baselines")


@router.post("/projects/{key}/baselines")
def save_baseline(
    request: Request, user: Viewer, key: str, name: Annotated[str, Form()] = ""
) -> Response:
    s = state(request)
    s.workspace.save_baseline(user, key, name.strip() or None, s.today())
    return RedirectResponse(f"/projects/{key}/baselines", 303)


@router.get("/projects/{key}/evm")
def evm(request: Request, user: Viewer, key: str, baseline: str | None = None) -> Response:
    s = state(request)
    data = s.workspace.evm(user, key, s.today(), baseline or None)
    twin = f"/api/projects/{key}/evm" + (f"?baseline={baseline}" if baseline else "")
    return render(request, "evm.html", data, twin, user, **_nav(request, user, key))


@router.get("/projects/{key}/evm.svg")
def evm_svg(request: Request, user: Viewer, key: str, baseline: str | None = None) -> Response:
    s = state(request)
    return _svg(s.workspace.evm_chart(user, key, s.today(), baseline or None))


@router.get("/projects/{key}/risk")
def risk(request: Request, user: Viewer, key: str) -> Response:
    """Confidence (the team): each outcome's P50/P80/P90 and chance, what drives its
    date (the tornado) and what would most raise its chance."""
    s = state(request)
    data = s.workspace.confidence(user, key, s.today(), "see_team")
    return _project_page(request, user, key, "risk.html", data, "risk")


@router.get("/projects/{key}/confidence")
def confidence(request: Request, user: Viewer, key: str) -> Response:
    """Each outcome's P80 and chance, as a fragment the project page and the client
    portal load after they show (HTMX): simulating takes a moment the first time."""
    s = state(request)
    data = s.workspace.confidence(user, key, s.today())
    return render(request, "_confidence.html", data, f"/api/projects/{key}/risk", user)


@router.get("/projects/{key}/conversations")
def conversations(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.conversations(user, key)
    return render(
        request,
        "conversations.html",
        data,
        f"/api/projects/{key}/conversations",
        user,
        today=state(request).today().isoformat(),
        **_nav(request, user, key),
    )


@router.post("/projects/{key}/conversations")
def add_note(
    request: Request,
    user: Viewer,
    key: str,
    when: Annotated[date, Form(alias="date")],
    notes: Annotated[str, Form()],
    with_: Annotated[str, Form(alias="with")] = "",
    outcomes: Annotated[str, Form()] = "",
    decisions: Annotated[str, Form()] = "",
) -> Response:
    """A note of a conversation: outcomes comma-separated, one decision a line."""
    state(request).workspace.add_note(
        user,
        key,
        when,
        with_.strip() or None,
        notes.strip(),
        tuple(o.strip() for o in outcomes.split(",") if o.strip()),
        tuple(d.strip() for d in decisions.splitlines() if d.strip()),
    )
    return RedirectResponse(f"/projects/{key}/conversations", 303)


@router.get("/projects/{key}/history")
def history(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.history(user, key)
    return _project_page(request, user, key, "history.html", data, "history")


@router.get("/projects/{key}/history/{journal_id}/plan.yaml")
def plan_at(request: Request, user: Viewer, key: str, journal_id: int) -> Response:
    """The plan file as it was after the entry, shown in the browser (text/plain)."""
    text = state(request).workspace.plan_at(user, key, journal_id)
    headers = {"content-disposition": f'inline; filename="{key}-{journal_id}.yaml"'}
    return Response(text, media_type="text/plain; charset=utf-8", headers=headers)


@router.get("/projects/{key}/history/{journal_id}/restore")
def confirm_restore(request: Request, user: Viewer, key: str, journal_id: int) -> Response:
    """The confirmation step before a restore: the entry, and the button that does it."""
    data = state(request).workspace.history(user, key)
    entry = next((e for e in data["entries"] if e["id"] == journal_id), None)
    if entry is None:
        raise NotFound(f"no entry {journal_id} in the history of {key!r}")
    return render(
        request,
        "restore.html",
        data,
        f"/api/projects/{key}/history",
        user,
        entry=entry,
        **_nav(request, user, key),
    )


@router.post("/projects/{key}/history/{journal_id}/restore")
def restore(request: Request, user: Viewer, key: str, journal_id: int) -> Response:
    state(request).workspace.restore(user, key, journal_id)
    return RedirectResponse(f"/projects/{key}/history", 303)


@router.get("/projects/{key}/reports")
def reports(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.overview(user, key)
    nav = {"project": {"key": key}, "role": data["role"]}
    return render(
        request,
        "reports.html",
        data,
        f"/api/projects/{key}",
        user,
        reports=REPORTS,
        nav=nav,
        key=key,
    )


@router.get("/projects/{key}/reports/{which}.{fmt}")
def report(request: Request, user: Viewer, key: str, which: str, fmt: str) -> Response:
    """A report as HTML (with its own stylesheet: REPORT_CSP), Markdown or PDF."""
    if which not in REPORTS or fmt not in FORMATS:
        raise NotFound(
            f"no report {which}.{fmt}: there are {', '.join(REPORTS)} as {', '.join(FORMATS)}"
        )
    s = state(request)
    headers = {"content-disposition": f'inline; filename="{key}-{which}.{fmt}"'}
    if fmt == "pdf":
        try:
            pdf = s.workspace.report_pdf(user, key, which, s.today())
        except PdfMissing as error:
            return errors.respond(request, 501, {"detail": str(error)})
        return Response(pdf, media_type=FORMATS[fmt], headers=headers)
    text = s.workspace.report(user, key, which, "html" if fmt == "html" else "md", s.today())
    if fmt == "html":
        headers["content-security-policy"] = REPORT_CSP
    return Response(text, media_type=FORMATS[fmt], headers=headers)


@router.get("/projects/{key}/members")
def members(request: Request, user: Viewer, key: str) -> Response:
    data = state(request).workspace.members(user, key)
    return render(
        request,
        "members.html",
        data,
        f"/api/projects/{key}/members",
        user,
        roles=ROLES,
        **_nav(request, user, key),
    )


@router.post("/projects/{key}/members")
def grant(
    request: Request,
    user: Viewer,
    key: str,
    email: Annotated[str, Form()],
    role: Annotated[Literal["owner", "manager", "member", "client"], Form()],
) -> Response:
    state(request).workspace.grant(user, key, email.strip(), role)
    return RedirectResponse(f"/projects/{key}/members", 303)


@router.post("/projects/{key}/members/revoke")
def revoke(request: Request, user: Viewer, key: str, email: Annotated[str, Form()]) -> Response:
    state(request).workspace.revoke(user, key, email.strip())
    return RedirectResponse(f"/projects/{key}/members", 303)


# --- your account -----------------------------------------------------------------------


@router.get("/account/tokens")
def tokens(request: Request, user: Viewer) -> Response:
    return render(request, "tokens.html", {"token": None}, None, user)


@router.post("/account/tokens")
def new_token(request: Request, user: Viewer, name: Annotated[str, Form()]) -> Response:
    """A new API token, shown on this answer only (it is kept hashed): no redirect."""
    s = state(request)
    token = accounts.new_token(s.engine, user.email, name.strip() or "web", s.now())
    response = render(request, "tokens.html", {"token": token, "name": name.strip()}, None, user)
    response.headers["cache-control"] = "no-store"
    return response


# --- showing values ---------------------------------------------------------------------
