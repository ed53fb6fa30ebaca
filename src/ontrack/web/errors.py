"""Every error a user can cause, as a clear answer: JSON under /api/ (the field or the
file position named), an HTML page or message elsewhere; never a traceback."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ontrack.app.access import Denied
from ontrack.app.accounts import AccountRefused, SignInRefused, TooManyAttempts, UnknownUser
from ontrack.app.tracking import BaselineError
from ontrack.app.workspace import Busy, Invalid
from ontrack.core.diagnostics import PlanError
from ontrack.store import NotFound, ProjectExists, StaleVersion
from ontrack.store.accounts import UserExists
from ontrack.web.auth import SignInNeeded
from ontrack.web.context import State


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInNeeded, _sign_in_needed)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http)
    for kind, status in _STATUS.items():
        app.add_exception_handler(kind, _answer(status))
    app.add_exception_handler(Exception, _bug)


_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    UnknownUser: 404,
    Denied: 403,
    SignInRefused: 401,
    Invalid: 422,
    AccountRefused: 422,
    PlanError: 422,
    BaselineError: 422,
    StaleVersion: 409,
    Busy: 503,
    ProjectExists: 409,
    UserExists: 409,
    TooManyAttempts: 429,
}


def body(error: Exception) -> dict[str, Any]:
    """The JSON of an error: `detail`, and what names each problem."""
    if isinstance(error, Invalid):
        problems = [
            {"field": p.field, "code": p.code, "message": p.message} for p in error.problems
        ]
        return {"detail": "the change was refused; nothing was saved", "problems": problems}
    if isinstance(error, PlanError):
        return {
            "detail": "the plan file has problems; nothing was saved",
            "problems": [
                {
                    "where": str(d.location) if d.location else None,
                    "code": d.code,
                    "message": d.message,
                }
                for d in error.diagnostics
            ],
        }
    if isinstance(error, StaleVersion):
        return {
            "detail": f"{error}: someone else saved first; nothing of yours was saved. Their "
            "change is below: reload, then make yours again",
            "changes": [
                {
                    "who": c.who,
                    "at": c.at.isoformat(timespec="seconds"),
                    "entity": c.entity,
                    "id": c.entity_id,
                    "action": c.action,
                    "version": c.version,
                    "before": c.before,
                    "after": c.after,
                }
                for c in error.changes
            ],
        }
    return {"detail": str(error).strip("'\"")}


def _answer(status: int) -> Any:
    async def handler(request: Request, error: Exception) -> Response:
        return respond(request, status, body(error))

    return handler


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return respond(request, error.status_code, {"detail": error.detail}, error.headers)


async def _request_invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "field": ".".join(str(step) for step in e["loc"] if step != "body"),
            "code": e["type"],
            "message": e["msg"],
        }
        for e in error.errors()
    ]
    return respond(
        request,
        422,
        {"detail": "the request is not valid; nothing was saved", "problems": problems},
    )


async def _sign_in_needed(request: Request, error: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": str(error)}, 401, {"www-authenticate": "Bearer"})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={target}", 303)


async def _bug(request: Request, error: Exception) -> Response:
    return respond(
        request,
        500,
        {
            "detail": f"internal error ({type(error).__name__}); this is a bug in ontrack: please "
            "report it"
        },
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith(".json")


def respond(
    request: Request, status: int, content: dict[str, Any], headers: Any = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(content, status, headers)
    state: State = request.app.state.ontrack
    if request.headers.get("hx-request"):
        # HTMX: the message goes to the page's message area, the form stays as typed.
        extra = {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML", **(headers or {})}
        return state.templates.TemplateResponse(
            request, "_error.html", {"error": content, "status": status}, status, extra
        )
    return state.templates.TemplateResponse(
        request, "error.html", {"error": content, "status": status}, status, headers
    )
