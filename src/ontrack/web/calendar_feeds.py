"""Calendar subscriptions: the feeds a calendar program polls, and the page (with its JSON
twin) where a person makes and revokes their link for a project (app.calendar_feeds)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ontrack.app import calendar_feeds
from ontrack.store.accounts import User
from ontrack.web.api import ERRORS
from ontrack.web.auth import user_of
from ontrack.web.pages import render, state
from ontrack.web.security import check_csrf

# The token in the address is the credential: no session, no API token, no CSRF (GET only).
feeds = APIRouter(include_in_schema=False)
pages = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
api = APIRouter(
    prefix="/api", dependencies=[Depends(user_of), Depends(check_csrf)], responses=ERRORS
)
Viewer = Annotated[User, Depends(user_of)]
ICS = "text/calendar; charset=utf-8"
NO_STORE = {"cache-control": "no-store"}  # an answer with a token in it


@feeds.get("/calendar/{token}/projects/{key}.ics")
def project_feed(request: Request, token: str, key: str) -> Response:
    s = state(request)
    return _ics(request, calendar_feeds.feed(s.workspace, token, key, None, s.now()))


@feeds.get("/calendar/{token}/projects/{key}/people/{resource}.ics")
def person_feed(request: Request, token: str, key: str, resource: str) -> Response:
    s = state(request)
    return _ics(request, calendar_feeds.feed(s.workspace, token, key, resource, s.now()))


def _ics(request: Request, feed: calendar_feeds.Feed) -> Response:
    """The calendar, or 304 when the program has this version already. `private, no-cache`:
    no shared cache keeps it, and every poll asks again, so a revoked link stops at once."""
    headers = {
        "etag": feed.etag,
        "cache-control": "private, no-cache",
        "content-disposition": f'inline; filename="{feed.filename}"',
    }
    held = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if feed.etag in held:
        return Response(status_code=304, headers=headers)
    return Response(feed.text, media_type=ICS, headers=headers)


def _linked(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """The data with the subscription addresses, when it holds a token just made."""
    token, key = data["token"], data["project"]["key"]
    if token is None:
        return {**data, "links": None}
    people = {
        p["id"]: str(request.url_for("person_feed", token=token, key=key, resource=p["id"]))
        for p in data["people"]
    }
    project = str(request.url_for("project_feed", token=token, key=key))
    return {**data, "links": {"project": project, "people": people}}


def _page(request: Request, user: User, data: dict[str, Any]) -> Response:
    key = data["project"]["key"]
    nav = {"project": {"key": key}, "role": data["role"]}
    twin = f"/api/projects/{key}/calendar"
    return render(request, "calendar.html", _linked(request, data), twin, user, nav=nav, key=key)


@pages.get("/projects/{key}/calendar")
def calendar_page(request: Request, user: Viewer, key: str) -> Response:
    return _page(request, user, calendar_feeds.subscription(state(request).workspace, user, key))


@pages.post("/projects/{key}/calendar")
def make_link(request: Request, user: Viewer, key: str) -> Response:
    """A new link, shown on this answer only (only its hash is kept): no redirect."""
    s = state(request)
    response = _page(request, user, calendar_feeds.make_feed_token(s.workspace, user, key, s.now()))
    response.headers.update(NO_STORE)
    return response


@pages.post("/projects/{key}/calendar/revoke")
def revoke_link(request: Request, user: Viewer, key: str) -> Response:
    calendar_feeds.revoke_feed_token(state(request).workspace, user, key)
    return RedirectResponse(f"/projects/{key}/calendar", 303)


@api.get("/projects/{key}/calendar")
def subscription(request: Request, user: Viewer, key: str) -> dict[str, Any]:
    """Your calendar subscription to the project: when your link was made (`made`, null
    without one) and the resources whose person feeds you may follow (the team only)."""
    return _linked(request, calendar_feeds.subscription(state(request).workspace, user, key))


@api.post("/projects/{key}/calendar", status_code=201)
def new_subscription(
    request: Request, user: Viewer, key: str, response: Response
) -> dict[str, Any]:
    """A new subscription link (the one you had stops working): `links` holds the project
    feed's address and each person feed's, in this answer only."""
    s = state(request)
    response.headers.update(NO_STORE)
    made = calendar_feeds.make_feed_token(s.workspace, user, key, s.now())
    return _linked(request, made)


@api.delete("/projects/{key}/calendar")
def end_subscription(request: Request, user: Viewer, key: str) -> dict[str, bool]:
    """Your link for the project stops working; `revoked` is false when you had none."""
    return {"revoked": calendar_feeds.revoke_feed_token(state(request).workspace, user, key)}
