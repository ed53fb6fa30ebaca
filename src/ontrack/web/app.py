"""The FastAPI application: pages, the API under /api/, static files, and the layers every
request passes (body limit, security headers, signed session cookie)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from ontrack.app.accounts import secret_key
from ontrack.app.levelling import LevelSettings
from ontrack.app.workspace import Workspace
from ontrack.web import api, calendar_feeds, errors, pages
from ontrack.web.context import STATIC, TEMPLATES, State
from ontrack.web.forms import form_values, readable
from ontrack.web.security import BodyLimit, SecurityHeaders

SESSION_HOURS = 12


def create_app(
    engine: sa.Engine,
    *,
    secure_cookies: bool = False,
    now: Callable[[], datetime] | None = None,
    settings: LevelSettings | None = None,
    separate_process: bool = False,
) -> FastAPI:
    """The app on a migrated database. `secure_cookies` when served over HTTPS;
    `separate_process` to schedule in a worker process of its own (app.scheduler), as a
    server should; tests schedule in theirs."""
    workspace = Workspace(engine, settings, separate_process)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        workspace.close()

    app = FastAPI(
        lifespan=lifespan,
        title="ontrack",
        summary="Projects planned and tracked by the client's outcomes",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.auto_reload = False  # templates change only with a release: no stat per render
    templates.env.filters["form_values"] = form_values
    templates.env.filters["readable"] = readable
    app.state.ontrack = State(engine, workspace, templates, now or (lambda: datetime.now(UTC)))
    errors.install(app)
    app.include_router(pages.router)
    app.include_router(api.router)
    for router in (calendar_feeds.feeds, calendar_feeds.pages, calendar_feeds.api):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Outermost last: the body limit sees a request first, the headers go on every answer.
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(engine),
        session_cookie="ontrack_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    return app
