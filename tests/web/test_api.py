"""The API as a client program sees it: the OpenAPI document describes every route and
its request body; a token does a whole round trip; each page's JSON twin is the data the
page was built from."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.routing import APIRoute
from route_table import CASES
from test_roles import declared_routes
from web_world import OWN, PLANS, World

from ontrack.planfile import dump_plan, parse_plan
from ontrack.reports.pdf import PdfMissing
from ontrack.web.security import REPORT_CSP

YAML = {"content-type": "application/yaml"}
YAML_BODIES = {("POST", "/api/projects"), ("PUT", "/api/projects/{key}/plan")}


def api_routes(app: Any) -> set[tuple[str, str]]:
    return {(m, p) for m, p in declared_routes(app) if p.startswith("/api/projects")}


def test_the_openapi_document_lists_every_api_route_with_its_request_schema(
    sqlite_world: World,
) -> None:
    answer = sqlite_world.api(None).get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    schemas = document["components"]["schemas"]
    routes = {
        (m, r.path): r
        for r in _api_routes(sqlite_world.app)
        for m in r.methods
        if r.path.startswith("/api/")
    }
    assert set(routes) == api_routes(sqlite_world.app)
    for (method, path), route in routes.items():
        operation = document["paths"].get(path, {}).get(method.lower())
        assert operation is not None, f"{method} {path} is not in /openapi.json"
        assert operation.get("description") or operation.get("summary"), f"{method} {path}"
        for status in ("401", "403", "404", "422"):
            assert operation["responses"][status]["description"], f"{method} {path} {status}"
        if (method, path) in YAML_BODIES:
            assert "application/yaml" in operation["requestBody"]["content"]
        elif route.body_field is not None:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert schemas[name]["properties"], f"{method} {path}: an empty request schema"
            assert schemas[name].get("additionalProperties") is False, f"{method} {path}"
        else:
            assert "requestBody" not in operation, f"{method} {path} takes no body"
    edit = schemas["TaskEdit"]["properties"]
    assert {"version", "duration", "after", "resources", "percent_complete"} <= set(edit)
    assert "version" in schemas["Progress"]["required"]


def _api_routes(app: Any) -> list[APIRoute]:
    found: list[APIRoute] = []

    def walk(routes: Any) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                walk(included.routes)
            elif isinstance(route, APIRoute):
                found.append(route)

    walk(app.routes)
    return found


def test_a_token_does_a_whole_round_trip_from_plan_file_to_schedule_and_back(
    world: World,
) -> None:
    api = world.api("manager")
    text = (PLANS / "quay-signage.yaml").read_text().replace("quay-signage", "ferry-wifi")
    created = api.post("/api/projects", content=text.encode(), headers=YAML)
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key == "ferry-wifi"
    assert world.api("owner").get(f"/api/projects/{key}").status_code == 404  # theirs only

    tasks = api.get(f"/api/projects/{key}/tasks").json()["tasks"]
    install = next(t for t in tasks if t["id"] == "install")
    before = api.get(f"/api/projects/{key}/schedule").json()

    edited = api.patch(
        f"/api/projects/{key}/tasks/install",
        json={"version": install["version"], "duration": "10d", "notes": "two crews"},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["task"]["plan"]["duration"] == "10d"

    after = api.get(f"/api/projects/{key}/schedule").json()
    assert after["project"]["finish"] > before["project"]["finish"]
    assert after == json.loads(json.dumps(after))

    downloaded = api.get(f"/api/projects/{key}/plan")
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"].startswith("application/yaml")
    plan = parse_plan(downloaded.text, "downloaded.yaml")
    assert downloaded.text == dump_plan(plan)  # canonical: dumping it again changes nothing
    assert downloaded.text == world.plan_text(key)
    expected = parse_plan(text, "sent.yaml")
    install_now = next(t for t, _ in plan.walk_tasks() if t.id == "install")
    assert str(install_now.duration) == "10d" and install_now.notes == "two crews"
    assert plan.project == expected.project and plan.resources == expected.resources


def test_the_progress_dependency_resource_note_and_baseline_routes_change_the_plan(
    world: World,
) -> None:
    manager, member = world.api("manager"), world.api("member")
    base = f"/api/projects/{OWN}"
    answer = member.post(
        f"{base}/tasks/install/progress",
        json={
            "version": world.task_version("install"),
            "percent_complete": 50,
            "actual_start": "2027-03-10",
        },
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["task"]["plan"]["percent_complete"] == 50
    answer = manager.put(
        f"{base}/tasks/train/dependencies",
        json={"version": world.task_version("train"), "after": [{"task": "survey", "type": "SS"}]},
    )
    assert answer.status_code == 200, answer.text
    links = manager.get(f"{base}/dependencies").json()["dependencies"]
    assert {"task": "train", "predecessor": "survey", "type": "SS", "lag": None} in links
    assert not any(link["task"] == "train" and link["predecessor"] == "install" for link in links)
    answer = manager.put(
        f"{base}/tasks/train/resources",
        json={"version": world.task_version("train"), "resources": {"eng": 0.5}},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["task"]["plan"]["resources"] == {"eng": 0.5}
    resources = manager.get(f"{base}/resources").json()["resources"]
    eng = next(r for r in resources if r["id"] == "eng")
    assert eng["units"] == 1 and eng["away"] == [{"from": "2027-03-15", "to": "2027-03-16"}]

    note = member.post(f"{base}/conversations", json={"with": "Ops", "notes": "Kiosk colours"})
    assert note.status_code == 201 and note.json()["date"] == "2027-03-22"  # the app's today
    talks = manager.get(f"{base}/conversations").json()["conversations"]
    assert talks[0]["notes"] == "Kiosk colours"

    assert manager.get(f"{base}/evm").json()["evm"] is None
    saved = manager.post(f"{base}/baselines", json={"name": "agreed"})
    assert saved.status_code == 201 and saved.json()["name"] == "agreed"
    again = manager.post(f"{base}/baselines", json={"name": "agreed"})
    assert again.status_code == 422, again.text
    assert manager.get(f"{base}/evm", params={"baseline": "agreed"}).json()["evm"] is not None
    assert manager.get(f"{base}/evm", params={"baseline": "nope"}).status_code == 404

    history = manager.get(f"{base}/history").json()["entries"]
    first = history[-1]["id"]
    old = manager.get(f"{base}/history/{first}/plan")
    assert old.status_code == 200 and "percent_complete: 50" not in old.text
    assert manager.post(f"{base}/history/{first}/restore").status_code == 200
    assert manager.get(f"{base}/plan").text == old.text


def test_the_owner_grants_and_revokes_roles_through_the_api(world: World) -> None:
    owner = world.api("owner")
    base = f"/api/projects/{OWN}/members"
    email = world.people["member"].email
    assert owner.post(base, json={"email": email, "role": "manager"}).status_code == 200
    roles = {m["email"]: m["role"] for m in owner.get(base).json()["members"]}
    assert roles[email] == "manager"
    bad = owner.post(base, json={"email": email, "role": "boss"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "role"
    assert owner.post(base, json={"email": "nobody@x.example", "role": "client"}).status_code == 404
    assert owner.delete(base, params={"email": email}).status_code == 200
    assert world.api("member").get(f"/api/projects/{OWN}").status_code == 404
    own = owner.delete(base, params={"email": world.people["owner"].email})
    assert own.status_code == 422 and own.json()["problems"][0]["field"] == "email"


def test_a_client_sees_the_client_safe_outcomes_and_deliverables_and_the_team_more(
    world: World,
) -> None:
    base = f"/api/projects/{OWN}"
    client = world.api("client")
    outcomes = client.get(f"{base}/outcomes").json()["outcomes"]
    assert [o["id"] for o in outcomes] == ["queues-short", "staff-free"]
    assert all("driving_tasks" not in o for o in outcomes)
    deliverables = client.get(f"{base}/deliverables").json()["deliverables"]
    assert all("tasks" not in d for d in deliverables)
    team = world.api("member").get(f"{base}/outcomes").json()["outcomes"]
    assert all("driving_tasks" in o for o in team)
    team_deliverables = world.api("member").get(f"{base}/deliverables").json()["deliverables"]
    assert team_deliverables[0]["tasks"] == ["survey", "install", "train", "live"]


@pytest.mark.parametrize("role", ["client", "owner"])
def test_each_page_with_a_json_twin_shows_the_data_its_twin_returns(
    sqlite_world: World, role: str
) -> None:
    """The portfolio, the project overview and every other page with a twin: the data
    the page was rendered from equals what its twin answers the same person."""
    world = sqlite_world
    browser, api = world.browser(role), world.api(role)
    compared = set()
    for case in CASES:
        if case.api or case.method != "GET" or case.expect[role] != 200:
            continue
        page = case.call(world, browser, role, OWN)
        context = getattr(page, "context", None)
        if not context or not context.get("twin"):
            continue
        twin = api.get(context["twin"])
        assert twin.status_code == 200, context["twin"]
        assert json.loads(json.dumps(context["data"])) == twin.json(), case.path
        compared.add(case.path)
    assert {"/", "/projects/{key}"} <= compared


def test_reports_come_in_each_format_with_the_report_csp_and_a_pdf_without_weasyprint_is_501(
    sqlite_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = sqlite_world.api("client")
    html = api.get(f"/api/projects/{OWN}/reports/client.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["content-security-policy"] == REPORT_CSP
    markdown = api.get(f"/api/projects/{OWN}/reports/client.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# ")
    assert api.get(f"/api/projects/{OWN}/reports/client.docx").status_code == 422

    def missing(html: str) -> bytes:
        raise PdfMissing("PDF needs the `pdf` extra")

    monkeypatch.setattr("ontrack.reports.pdf.html_to_pdf", missing)
    pdf = api.get(f"/api/projects/{OWN}/reports/client.pdf")
    assert pdf.status_code == 501 and "pdf" in pdf.json()["detail"]
