"""Every route of the app (pages and API, every method), how to call it with a body that
works, and the answer each of nobody, a client, a member, a manager and an owner must get
on their own project (on a project they have no role on, a signed-in person gets 404).
test_roles.py checks the answers; test_canary.py looks in everything a client gets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from web_world import World

ANON = "anonymous"
WHO = (ANON, "client", "member", "manager", "owner")
TEAM = ("member", "manager", "owner")
Call = Callable[[World, Any, str, str], httpx.Response]  # world, client, role, project


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's path, as the app declares it
    call: Call
    expect: dict[str, int]  # who -> status on their own project
    api: bool = True  # API token client; else a signed-in browser
    scoped: bool = True  # a project route: 404 on a project without a role
    phase: int = 0  # reads first, then changes, then what takes things away


def api_roles(client: int, member: int, manager: int, owner: int) -> dict[str, int]:
    return {ANON: 401, "client": client, "member": member, "manager": manager, "owner": owner}


def page_roles(client: int, member: int, manager: int, owner: int) -> dict[str, int]:
    return {ANON: 303, "client": client, "member": member, "manager": manager, "owner": owner}


def everyone(status: int, anonymous: int | None = None) -> dict[str, int]:
    return {who: status for who in WHO} | ({ANON: anonymous} if anonymous else {})


ALL_READ = api_roles(200, 200, 200, 200)
TEAM_READ = api_roles(403, 200, 200, 200)
EDIT = api_roles(403, 403, 200, 200)
OWNER = api_roles(403, 403, 403, 200)
PAGE_TEAM = page_roles(403, 200, 200, 200)


def get(path: str) -> Call:
    return lambda w, c, who, key: c.get(path.format(key=key))


def first_entry(w: World, key: str) -> int:
    return w.journal(key)[0].id


def new_plan(key: str) -> str:
    """A plan file for a new project `key` (quay-signage's plan under another id)."""
    from web_world import PLANS

    return (PLANS / "quay-signage.yaml").read_text().replace("quay-signage", key)


def task_body(w: World, key: str, task: str, **fields: Any) -> dict[str, Any]:
    return {"version": w.task_version(task, key), **fields}


def patch_task(w: World, c: Any, who: str, key: str) -> httpx.Response:
    duration = f"{len(w.journal(key)) % 5 + 3}d"  # a new value each time
    return c.patch(
        f"/api/projects/{key}/tasks/install", json=task_body(w, key, "install", duration=duration)
    )


def put_dependencies(w: World, c: Any, who: str, key: str) -> httpx.Response:
    body = task_body(w, key, "train", after=[{"task": "install", "type": "SS", "lag": "2d"}])
    return c.put(f"/api/projects/{key}/tasks/train/dependencies", json=body)


def put_resources(w: World, c: Any, who: str, key: str) -> httpx.Response:
    body = task_body(w, key, "train", resources={"pm": 0.5, "eng": 0.5})
    return c.put(f"/api/projects/{key}/tasks/train/resources", json=body)


def post_progress(w: World, c: Any, who: str, key: str) -> httpx.Response:
    body = task_body(w, key, "install", percent_complete=40, actual_start="2027-03-09")
    return c.post(f"/api/projects/{key}/tasks/install/progress", json=body)


def replace_plan_api(w: World, c: Any, who: str, key: str) -> httpx.Response:
    text = w.plan_text(key).replace("Install and wire", "Install and test")
    version = w.project_version(key)
    return c.put(
        f"/api/projects/{key}/plan?version={version}",
        content=text.encode(),
        headers={"content-type": "application/yaml"},
    )


def create_api(w: World, c: Any, who: str, key: str) -> httpx.Response:
    return c.post(
        "/api/projects",
        content=new_plan(f"api-{who}").encode(),
        headers={"content-type": "application/yaml"},
    )


def create_page(w: World, c: Any, who: str, key: str) -> httpx.Response:
    plan = new_plan(f"page-{who}").encode()
    return c.post("/projects", files={"plan": ("plan.yaml", plan, "application/yaml")})


def upload_page(w: World, c: Any, who: str, key: str) -> httpx.Response:
    text = w.plan_text(key).encode()
    return c.post(
        f"/projects/{key}/plan",
        data={"version": str(w.project_version(key))},
        files={"plan": (f"{key}.yaml", text, "application/yaml")},
    )


def edit_row(w: World, c: Any, who: str, key: str) -> httpx.Response:
    data = {
        "version": str(w.task_version("install", key)),
        "percent_complete": "30",
        "actual_start": "2027-03-09",
    }
    return c.post(f"/projects/{key}/tasks/install", data=data)


def sign_in(w: World, c: Any, who: str, key: str) -> httpx.Response:
    fresh = w.browser(None)
    email, password = (
        ("nobody@test.example", "not-a-password")
        if who == ANON
        else (w.people[who].email, w.people[who].password)
    )
    data = {"email": email, "password": password, "csrf": fresh.headers["x-csrf-token"]}
    return fresh.post("/sign-in", data=data)


def sign_out(w: World, c: Any, who: str, key: str) -> httpx.Response:
    return w.browser(None if who == ANON else who).post("/sign-out")


def restore(w: World, c: Any, who: str, key: str) -> httpx.Response:
    return c.post(f"/api/projects/{key}/history/{first_entry(w, key)}/restore")


def history_plan(w: World, c: Any, who: str, key: str) -> httpx.Response:
    return c.get(f"/api/projects/{key}/history/{first_entry(w, key)}/plan")


def feed(person: str | None) -> Call:
    """A calendar program polling the role's feed (nobody: a made-up token). The token is
    made on OWN, so on OTHER it is a token for another project."""

    def call(w: World, c: Any, who: str, key: str) -> httpx.Response:
        token = "otcal_made-up" if who == ANON else w.subscribe(who)["token"]
        tail = f"/people/{person}.ics" if person else ".ics"
        return w.calendar().get(f"/calendar/{token}/projects/{key}{tail}")

    return call


def report(name: str) -> Call:
    return get("/api/projects/{key}/reports/" + name)


P = "/api/projects/{key}"
CASES = [
    # --- pages ---
    Case("GET", "/sign-in", get("/sign-in"), everyone(200), api=False, scoped=False),
    Case("POST", "/sign-in", sign_in, everyone(303, anonymous=401), api=False, scoped=False),
    Case("GET", "/", get("/"), page_roles(200, 200, 200, 200), api=False, scoped=False),
    Case("GET", "/projects/{key}", get("/projects/{key}"), page_roles(200, 200, 200, 200),
         api=False),
    Case("GET", "/projects/{key}/tasks", get("/projects/{key}/tasks"),
         page_roles(403, 200, 200, 200), api=False),
    Case("GET", "/projects/{key}/plan.yaml", get("/projects/{key}/plan.yaml"),
         page_roles(403, 200, 200, 200), api=False),
    Case("POST", "/projects/{key}/tasks/{task_id}", edit_row, page_roles(403, 200, 200, 200),
         api=False, phase=1),
    Case("POST", "/projects/{key}/plan", upload_page, page_roles(403, 403, 303, 303), api=False,
         phase=1),
    Case("POST", "/projects", create_page, page_roles(403, 303, 303, 303), api=False,
         scoped=False, phase=1),
    Case("GET", "/account/tokens", get("/account/tokens"), page_roles(200, 200, 200, 200),
         api=False, scoped=False),
    Case("POST", "/account/tokens", lambda w, c, who, key: c.post(
        "/account/tokens", data={"name": "laptop"}), page_roles(200, 200, 200, 200), api=False,
         scoped=False, phase=1),
    *(
        Case("GET", "/projects/{key}/" + page, get("/projects/{key}/" + page), PAGE_TEAM,
             api=False)
        for page in ("gantt", "gantt.svg", "findings", "advice", "risk", "baselines", "evm",
                     "conversations", "history", "members")
    ),
    Case("GET", "/projects/{key}/reports", get("/projects/{key}/reports"),
         page_roles(200, 200, 200, 200), api=False),
    Case("GET", "/projects/{key}/confidence", get("/projects/{key}/confidence"),
         page_roles(200, 200, 200, 200), api=False),
    *(
        Case("GET", "/projects/{key}/reports/{which}.{fmt}", get(f"/projects/{{key}}/reports/{r}"),
             page_roles(200, 200, 200, 200) if r.startswith("client") else PAGE_TEAM, api=False)
        for r in ("client.html", "client.md", "client.pdf", "team.html", "team.md", "team.pdf")
    ),
    Case("GET", "/projects/{key}/history/{journal_id}/plan.yaml",
         lambda w, c, who, key: c.get(f"/projects/{key}/history/{first_entry(w, key)}/plan.yaml"),
         PAGE_TEAM, api=False),
    Case("GET", "/projects/{key}/history/{journal_id}/restore",
         lambda w, c, who, key: c.get(f"/projects/{key}/history/{first_entry(w, key)}/restore"),
         PAGE_TEAM, api=False),
    Case("POST", "/projects/{key}/baselines", lambda w, c, who, key: c.post(
        f"/projects/{key}/baselines", data={"name": ""}), page_roles(403, 403, 303, 303),
         api=False, phase=1),
    Case("GET", "/projects/{key}/evm.svg", get("/projects/{key}/evm.svg"), PAGE_TEAM, api=False,
         phase=1),  # after a baseline is saved: earned value is measured against one
    Case("POST", "/projects/{key}/conversations", lambda w, c, who, key: c.post(
        f"/projects/{key}/conversations", data={"date": "2027-03-20", "notes": f"by {who}"}),
         page_roles(403, 303, 303, 303), api=False, phase=1),
    Case("POST", "/projects/{key}/history/{journal_id}/restore", lambda w, c, who, key: c.post(
        f"/projects/{key}/history/{first_entry(w, key)}/restore"), page_roles(403, 403, 303, 303),
         api=False, phase=2),
    Case("POST", "/projects/{key}/members", lambda w, c, who, key: c.post(
        f"/projects/{key}/members", data={"email": "spare@test.example", "role": "member"}),
         page_roles(403, 403, 403, 303), api=False, phase=3),
    Case("POST", "/projects/{key}/members/revoke", lambda w, c, who, key: c.post(
        f"/projects/{key}/members/revoke", data={"email": "spare@test.example"}),
         page_roles(403, 403, 403, 303), api=False, phase=3),
    Case("GET", "/projects/{key}/calendar", get("/projects/{key}/calendar"),
         page_roles(200, 200, 200, 200), api=False),
    Case("POST", "/projects/{key}/calendar", lambda w, c, who, key: c.post(
        f"/projects/{key}/calendar"), page_roles(200, 200, 200, 200), api=False, phase=1),
    Case("POST", "/projects/{key}/calendar/revoke", lambda w, c, who, key: c.post(
        f"/projects/{key}/calendar/revoke"), page_roles(303, 303, 303, 303), api=False, phase=1),
    Case("POST", "/sign-out", sign_out, everyone(303), api=False, scoped=False, phase=4),
    # --- calendar feeds: the token in the address, and 404 for whatever is wrong ---
    Case("GET", "/calendar/{token}/projects/{key}.ics", feed(None), everyone(200, anonymous=404),
         api=False),
    Case("GET", "/calendar/{token}/projects/{key}/people/{resource}.ics", feed("eng"),
         {ANON: 404, "client": 404, "member": 200, "manager": 200, "owner": 200}, api=False),
    # --- documentation and static files: public ---
    Case("GET", "/openapi.json", get("/openapi.json"), everyone(200), scoped=False),
    Case("GET", "/api/docs", get("/api/docs"), everyone(200), scoped=False),
    Case("GET", "/docs/oauth2-redirect", get("/docs/oauth2-redirect"), everyone(200),
         scoped=False),
    Case("GET", "/static", get("/static/ontrack.css"), everyone(200), scoped=False),
    # --- the API: reading ---
    Case("GET", "/api/projects", get("/api/projects"), ALL_READ, scoped=False),
    Case("GET", P, get(P), ALL_READ),
    Case("GET", P + "/plan", get(P + "/plan"), TEAM_READ),
    Case("GET", P + "/outcomes", get(P + "/outcomes"), ALL_READ),
    Case("GET", P + "/deliverables", get(P + "/deliverables"), ALL_READ),
    Case("GET", P + "/resources", get(P + "/resources"), TEAM_READ),
    Case("GET", P + "/tasks", get(P + "/tasks"), TEAM_READ),
    Case("GET", P + "/dependencies", get(P + "/dependencies"), TEAM_READ),
    Case("GET", P + "/schedule", get(P + "/schedule"), TEAM_READ),
    Case("GET", P + "/baselines", get(P + "/baselines"), TEAM_READ),
    Case("GET", P + "/evm", get(P + "/evm"), TEAM_READ),
    Case("GET", P + "/findings", get(P + "/findings"), TEAM_READ),
    Case("GET", P + "/advice", get(P + "/advice"), TEAM_READ),
    Case("GET", P + "/risk", get(P + "/risk"), ALL_READ),
    Case("GET", P + "/conversations", get(P + "/conversations"), TEAM_READ),
    Case("GET", P + "/history", get(P + "/history"), TEAM_READ),
    Case("GET", P + "/history/{journal_id}/plan", history_plan, TEAM_READ),
    Case("GET", P + "/members", get(P + "/members"), TEAM_READ),
    Case("GET", P + "/calendar", get(P + "/calendar"), ALL_READ),
    *(
        Case("GET", P + "/reports/{which}.{fmt}", report(f"client.{fmt}"), ALL_READ)
        for fmt in ("html", "md", "pdf")
    ),
    *(
        Case("GET", P + "/reports/{which}.{fmt}", report(f"team.{fmt}"), TEAM_READ)
        for fmt in ("html", "md", "pdf")
    ),
    # --- the API: changing ---
    Case("POST", "/api/projects", create_api, api_roles(403, 201, 201, 201), scoped=False,
         phase=1),
    Case("PUT", P + "/plan", replace_plan_api, EDIT, phase=1),
    Case("PATCH", P + "/tasks/{task_id}", patch_task, EDIT, phase=1),
    Case("PUT", P + "/tasks/{task_id}/dependencies", put_dependencies, EDIT, phase=1),
    Case("PUT", P + "/tasks/{task_id}/resources", put_resources, EDIT, phase=1),
    Case("POST", P + "/tasks/{task_id}/progress", post_progress, TEAM_READ, phase=1),
    Case("POST", P + "/baselines", lambda w, c, who, key: c.post(f"/api/projects/{key}/baselines",
         json={}), api_roles(403, 403, 201, 201), phase=1),
    Case("POST", P + "/conversations", lambda w, c, who, key: c.post(
        f"/api/projects/{key}/conversations", json={"with": "Ops", "notes": f"from {who}"}),
         api_roles(403, 201, 201, 201), phase=1),
    Case("POST", P + "/history/{journal_id}/restore", restore, EDIT, phase=2),
    Case("POST", P + "/members", lambda w, c, who, key: c.post(
        f"/api/projects/{key}/members", json={"email": "spare@test.example", "role": "client"}),
         OWNER, phase=3),
    Case("POST", P + "/calendar", lambda w, c, who, key: c.post(
        f"/api/projects/{key}/calendar"), api_roles(201, 201, 201, 201), phase=1),
    Case("DELETE", P + "/calendar", lambda w, c, who, key: c.delete(
        f"/api/projects/{key}/calendar"), ALL_READ, phase=1),
    Case("DELETE", P + "/members", lambda w, c, who, key: c.delete(
        f"/api/projects/{key}/members", params={"email": "spare@test.example"}), OWNER, phase=3),
]  # fmt: skip
