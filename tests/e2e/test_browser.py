"""What people rely on in the web app, in a real browser against a real server."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

try:
    from playwright.sync_api import expect
except ImportError:  # without it the browser fixture skips (or, in CI, fails) every test
    if os.environ.get("CI"):
        raise
    pytest.skip("the Python package playwright is not installed", allow_module_level=True)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Browsing = Any  # tests/e2e/conftest.py: a browser context on the site

pytestmark = pytest.mark.browser

BROKEN_PLAN = """\
ontrack: 1
project:
  id: broken-plan
  name: A plan with mistakes in it
  start: 2027-03-01
tasks:
  - id: survey
    name: Survey the site
    duration: 3 parsecs
  - id: install
    name: Install the access points
    duration: 2d
    after: [nowhere]
"""
# (line, column) of each mistake above: the duration's value, the unknown predecessor.
BROKEN_AT = ((9, 15), (13, 13))


def api(page: Any, path: str) -> Any:
    """The JSON twin, read with the page's own session."""
    answer = page.request.get(path)
    assert answer.ok, f"{path}: {answer.status}"
    return answer.json()


def task_of(page: Any, key: str, task_id: str) -> dict[str, Any]:
    tasks = api(page, f"/api/projects/{key}/tasks")["tasks"]
    found: dict[str, Any] = next(t for t in tasks if t["id"] == task_id)
    return found


def row(page: Any, task_id: str) -> Any:
    return page.locator(f"#task-{task_id}")


def save_row(page: Any, task_id: str) -> None:
    row(page, task_id).get_by_role("button", name="Save").click()


def csrf_of(page: Any) -> str:
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    assert token
    return str(token)


def assert_clean(browsing: Browsing, *answered: int) -> None:
    """No console error, no uncaught exception, no CSP violation on any page; but for the
    browser's own note of each expected error status (`answered`) a request got."""
    expected = tuple(f"the server responded with a status of {status} " for status in answered)
    problems = browsing.watched.problems()
    assert [p for p in problems if not any(e in p for e in expected)] == []


# --- 1 ------------------------------------------------------------------------------------


def test_a_manager_signs_in_opens_a_project_and_sees_its_outcome_dashboard(
    user: Browsing,
) -> None:
    page = user.signed_in(user.site.manager)
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    portfolio = api(page, "/api/projects")
    keys = {p["key"] for p in portfolio["projects"]}
    assert {"cloud-move", "line-machines", "plant-wifi"} <= keys
    wifi = next(p for p in portfolio["projects"] if p["key"] == "plant-wifi")

    page.get_by_role("link", name=wifi["name"]).click()
    page.wait_for_url("**/projects/plant-wifi")
    expect(page.get_by_role("heading", level=1)).to_have_text(wifi["name"])
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    dashboard = api(page, "/api/projects/plant-wifi")
    outcome_rows = page.locator("#outcomes tbody tr")
    expect(outcome_rows).to_have_count(len(dashboard["outcomes"]))
    for outcome in dashboard["outcomes"]:
        shown = page.locator(f'#outcomes tr[data-outcome="{outcome["id"]}"]')
        expect(shown).to_contain_text(outcome["statement"])
        expect(shown.locator("td.forecast")).to_have_text(outcome["forecast"] or "")
    expect(page.get_by_role("link", name="Tasks")).to_be_visible()
    assert_clean(user)


# --- 2 ------------------------------------------------------------------------------------


def test_a_longer_task_on_a_driving_chain_moves_its_outcome_forecast_later(
    user: Browsing,
) -> None:
    key, outcome_id, task_id = "cloud-move", "claims-in-cloud", "uat"
    page = user.as_(user.site.manager, f"/projects/{key}")
    outcome = next(
        o for o in api(page, f"/api/projects/{key}")["outcomes"] if o["id"] == outcome_id
    )
    assert task_id in outcome["driving_tasks"], "the task drives the outcome's forecast"
    before = page.locator(f'#outcomes tr[data-outcome="{outcome_id}"] td.forecast').inner_text()
    assert before == outcome["forecast"]
    assert task_of(page, key, task_id)["plan"]["duration"] == "5d"

    page.get_by_role("link", name="Tasks").click()
    page.wait_for_url(f"**/projects/{key}/tasks")
    page.get_by_label(f"Duration of {task_id}", exact=True).fill("6w")
    save_row(page, task_id)

    expect(page.get_by_role("status").filter(has_text=f"Saved {task_id}")).to_be_visible()
    # The answer's outcomes table lands whole in its box, and the task table keeps its rows.
    outcomes = api(page, f"/api/projects/{key}")["outcomes"]
    expect(page.locator("#outcomes-box table#outcomes tbody tr")).to_have_count(len(outcomes))
    tasks = api(page, f"/api/projects/{key}/tasks")["tasks"]
    expect(page.locator("table.tasks > tbody > tr")).to_have_count(len(tasks))
    after = page.locator(f'#outcomes-box tr[data-outcome="{outcome_id}"] td.forecast')
    expect(after).not_to_have_text(before)
    assert date.fromisoformat(after.inner_text()) > date.fromisoformat(before)
    expect(page.get_by_label(f"Duration of {task_id}", exact=True)).to_have_value("6w")
    expect(page.locator(".error")).to_have_count(0)
    expect(page.locator("#messages")).to_be_empty()
    assert task_of(page, key, task_id)["plan"]["duration"] == "6w"
    assert_clean(user)


# --- 3 ------------------------------------------------------------------------------------


def test_a_member_records_progress_but_cannot_change_a_duration(user: Browsing) -> None:
    key, task_id = user.site.member_project, "lz-design"
    page = user.as_(user.site.member, f"/projects/{key}/tasks")
    duration = page.get_by_label(f"Duration of {task_id}", exact=True)
    expect(duration).to_be_disabled()
    expect(page.get_by_label(f"Predecessors of {task_id}", exact=True)).to_be_disabled()
    stored = task_of(page, key, task_id)

    page.get_by_label(f"Percent complete of {task_id}", exact=True).fill("40")
    page.get_by_label(f"Actual start of {task_id}", exact=True).fill(stored["start"])
    save_row(page, task_id)
    expect(page.get_by_role("status").filter(has_text=f"Saved {task_id}")).to_be_visible()
    page.reload()
    expect(page.get_by_label(f"Percent complete of {task_id}", exact=True)).to_have_value("40")
    expect(page.get_by_label(f"Actual start of {task_id}", exact=True)).to_have_value(
        stored["start"]
    )
    saved = task_of(page, key, task_id)
    assert saved["plan"]["percent_complete"] == 40
    assert saved["plan"]["actual_start"] == stored["start"]
    assert saved["plan"]["duration"] == stored["plan"]["duration"]

    # The disabled input stops nobody who writes the request by hand: the server must.
    forged = page.request.post(
        f"/projects/{key}/tasks/{task_id}",
        form={"csrf": csrf_of(page), "version": str(saved["version"]), "duration": "9w"},
    )
    assert forged.status == 403
    assert "this needs manager or owner" in forged.text(), "refused for the role, not the form"
    assert task_of(page, key, task_id) == saved
    assert_clean(user, 403)


# --- 4 ------------------------------------------------------------------------------------


def _money_in(plan_file: Any) -> set[float]:
    """Every cost, actual cost, rate and budget the plan file states."""
    found: set[float] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name in ("cost", "actual_cost", "rate", "budget") and isinstance(
                    value, int | float
                ):
                    found.add(float(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(YAML(typ="safe").load(plan_file.read_text()))
    return found


def _written(amount: float) -> list[str]:
    """The ways a page could write an amount: 64000, 64,000, 64000.00, 64k."""
    whole = int(amount)
    forms = {f"{amount:g}", f"{whole:,}", f"{amount:,.2f}", f"{amount:.2f}"}
    if whole >= 1000 and whole % 1000 == 0:
        forms.add(f"{whole // 1000}k")
    return sorted(forms)


def test_a_client_sees_outcomes_deliverables_and_milestones_and_no_money(
    user: Browsing,
) -> None:
    key = "plant-wifi"
    page = user.signed_in(user.site.client)
    page.locator(f'a[href="/projects/{key}"]').click()
    page.wait_for_url(f"**/projects/{key}")
    portal = api(page, f"/api/projects/{key}")
    assert portal["role"] == "client"
    for heading in ("Your outcomes", "Deliverables", "Milestones"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    for outcome in portal["outcomes"]:
        expect(page.locator(".outcomes-table").get_by_text(outcome["statement"])).to_be_visible()
    odds = api(page, f"/api/projects/{key}/risk")  # loaded after the page shows (HTMX)
    for outcome in odds["outcomes"]:
        row = page.locator(f'#confidence tr[data-outcome="{outcome["id"]}"]')
        expect(row.locator(".p80")).to_have_text(outcome["p80"])
    for deliverable in portal["deliverables"]:
        expect(page.get_by_role("cell", name=deliverable["name"], exact=True)).to_be_visible()
    assert portal["milestones"]
    milestones = page.locator("h2:text-is('Milestones') + ul > li")
    expect(milestones).to_have_count(len(portal["milestones"]))
    for milestone in portal["milestones"]:
        expect(milestones.filter(has_text=milestone["name"])).to_have_count(1)

    assert not re.search(r'"(cost|actual_cost|rate|budget|currency)"', json.dumps(portal))
    text = page.locator("body").inner_text()
    html = page.content()
    money = _money_in(EXAMPLES / f"{key}.yaml")
    assert money, "the plan states costs and rates"
    for amount in money:
        for written in _written(amount):
            # not P80 (a percentile) nor 80% (a chance): those are no amounts of money
            pattern = rf"(?<![\w.,]){re.escape(written)}(?![\d,%]|\.\d)"
            assert not re.search(pattern, text), (
                f"the client page shows {written}, a cost, rate or budget of the plan"
            )
    for word in ("cost", "budget", "rate", "USD", "$"):
        pattern = re.escape(word) if word == "$" else rf"\b{word}s?\b"
        assert not re.search(pattern, text, re.IGNORECASE), f"the client page says {word!r}"
        assert not re.search(pattern, html, re.IGNORECASE), f"the client page's HTML has {word!r}"

    for path in (f"/projects/{key}/tasks", f"/api/projects/{key}/tasks"):
        assert page.request.get(path).status == 403, path
    answer = page.goto(f"/projects/{key}/tasks")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


# --- 5 ------------------------------------------------------------------------------------


def test_a_dependency_cycle_is_refused_with_the_cycle_named_and_nothing_changes(
    user: Browsing,
) -> None:
    key, task_id, successor = "cloud-move", "discovery", "wave-plan"
    page = user.as_(user.site.manager, f"/projects/{key}/tasks")
    before = task_of(page, key, task_id)
    assert task_of(page, key, successor)["plan"]["after"] == [task_id]
    links = page.get_by_label(f"Predecessors of {task_id}", exact=True)
    expect(links).to_have_value("kickoff")

    links.fill(f"kickoff, {successor}")
    save_row(page, task_id)
    message = page.locator("#messages .error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("cycle", ignore_case=True)
    expect(message).to_contain_text(task_id)
    expect(message).to_contain_text(successor)
    expect(links).to_have_value(f"kickoff, {successor}")  # what was typed stays to fix

    assert task_of(page, key, task_id) == before
    page.reload()
    expect(page.get_by_label(f"Predecessors of {task_id}", exact=True)).to_have_value("kickoff")
    assert_clean(user, 422)


def test_a_broken_plan_file_uploaded_as_a_new_project_shows_its_problems_and_adds_nothing(
    user: Browsing,
) -> None:
    page = user.as_(user.site.manager, "/")
    projects_before = api(page, "/api/projects")["projects"]
    page.locator('form[action="/projects"] input[type=file]').set_input_files(
        files=[
            {"name": "broken.yaml", "mimeType": "application/yaml", "buffer": BROKEN_PLAN.encode()}
        ]
    )
    with page.expect_navigation() as navigation:
        page.locator('form[action="/projects"]').get_by_role("button", name="Upload").click()
    assert navigation.value is not None and navigation.value.status == 422
    problems = page.locator(".error li")
    for line, column in BROKEN_AT:
        expect(problems.filter(has_text=f"broken.yaml:{line}:{column}")).to_have_count(1)
    expect(page.locator(".error")).to_contain_text("nothing was saved")

    assert api(page, "/api/projects")["projects"] == projects_before
    assert page.request.get("/api/projects/broken-plan").status == 404


def test_a_broken_plan_file_uploaded_to_replace_a_project_shows_its_problems_and_changes_nothing(
    user: Browsing,
) -> None:
    key = "line-machines"
    page = user.as_(user.site.manager, f"/projects/{key}")
    version = api(page, f"/api/projects/{key}")["project"]["version"]
    plan_before = page.request.get(f"/api/projects/{key}/plan").text()
    form = page.locator(f'form[action="/projects/{key}/plan"]')
    form.locator("input[type=file]").set_input_files(
        files=[
            {"name": "broken.yaml", "mimeType": "application/yaml", "buffer": BROKEN_PLAN.encode()}
        ]
    )
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Upload").click()
    assert navigation.value is not None and navigation.value.status == 422
    problems = page.locator(".error li")
    for line, column in BROKEN_AT:
        expect(problems.filter(has_text=f"broken.yaml:{line}:{column}")).to_have_count(1)

    assert api(page, f"/api/projects/{key}")["project"]["version"] == version
    assert page.request.get(f"/api/projects/{key}/plan").text() == plan_before


# --- 6 ------------------------------------------------------------------------------------


def test_the_second_of_two_editors_is_told_someone_saved_first_and_keeps_nothing(
    browsing: Any,
) -> None:
    key, task_id = "cloud-move", "entra-app"
    first, second = browsing(), browsing()
    page_1 = first.as_(first.site.manager, f"/projects/{key}/tasks")
    page_2 = second.as_(second.site.second_manager, f"/projects/{key}/tasks")
    original = task_of(page_1, key, task_id)["plan"]["duration"]
    assert original == "2d"

    page_1.get_by_label(f"Duration of {task_id}", exact=True).fill("3d")
    save_row(page_1, task_id)
    expect(page_1.get_by_role("status").filter(has_text=f"Saved {task_id}")).to_be_visible()

    page_2.get_by_label(f"Duration of {task_id}", exact=True).fill("5d")
    save_row(page_2, task_id)
    message = page_2.locator("#messages .error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("someone else saved first")
    their_change = message.locator(".changes li")
    expect(their_change).to_contain_text(first.site.manager.email)
    expect(their_change).to_contain_text(task_id)
    expect(their_change.locator(".change")).to_have_text("duration: 2d → 3d")

    assert task_of(page_2, key, task_id)["plan"]["duration"] == "3d"
    assert_clean(first)
    assert_clean(second, 409)


# --- the watch on every page ------------------------------------------------------------


def test_the_pages_policy_blocks_inline_script_and_the_tests_would_see_it(user: Browsing) -> None:
    """The clean-page checks above mean something: an inline script is refused by the
    Content-Security-Policy, and the refusal is what they look for."""
    page = user.new_page()
    answer = page.goto("/sign-in")
    assert answer is not None and "script-src 'self'" in answer.headers["content-security-policy"]
    assert user.watched.problems() == []
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.body.appendChild(s);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined"), "the inline script did not run"
    assert any("script-src" in v for v in user.watched.csp_violations())
