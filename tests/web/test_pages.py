"""The project's pages, through the app as a browser uses it: each shows the data of its
use case, forms carry the CSRF token and redirect, roles decide what is shown and allowed,
and every page is served under the strict CSP (reports under REPORT_CSP)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ontrack.app.seed import CLIENT, MANAGER, load_examples
from ontrack.reports.pdf import PdfMissing
from ontrack.store import open_store, sqlite_url
from ontrack.web.app import create_app
from ontrack.web.forms import readable
from ontrack.web.security import CSP, REPORT_CSP

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KEY = "cloud-move"
NOW = datetime(2027, 4, 15, 9, 0, tzinfo=UTC)  # inside the project: earned value to show
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("pages")
    engine = open_store(sqlite_url(folder / "db"))
    seeded = load_examples(engine, EXAMPLES, folder / "pw.txt")
    yield create_app(engine, now=lambda: NOW), {e: p for e, p, _ in seeded.sign_ins}
    engine.dispose()


class Browser:
    """A TestClient signed in through the sign-in form, keeping the session's CSRF token."""

    def __init__(self, client: TestClient, email: str, password: str) -> None:
        self.client = client
        self.csrf = _csrf(client.get("/sign-in").text)
        answer = client.post(
            "/sign-in",
            data={"email": email, "password": password, "csrf": self.csrf},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        self.csrf = _csrf(client.get("/").text)

    def get(self, path: str, **kw: object) -> object:
        return self.client.get(path, **kw)  # type: ignore[arg-type]

    def post(self, path: str, data: dict[str, str] | None = None) -> object:
        return self.client.post(
            path, data={**(data or {}), "csrf": self.csrf}, follow_redirects=False
        )


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has a form with the CSRF token"
    return found.group(1)


@pytest.fixture
def manager(site: tuple[object, dict[str, str]]) -> Iterator[Browser]:
    app, passwords = site
    with TestClient(app) as client:  # type: ignore[arg-type]
        yield Browser(client, MANAGER, passwords[MANAGER])


@pytest.fixture
def client_user(site: tuple[object, dict[str, str]]) -> Iterator[Browser]:
    app, passwords = site
    with TestClient(app) as client:  # type: ignore[arg-type]
        yield Browser(client, CLIENT, passwords[CLIENT])


def _ok(answer: object, csp: str = CSP) -> str:
    from httpx import Response

    assert isinstance(answer, Response)
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-security-policy"] == csp
    return answer.text


def _no_inline_style_or_script(html: str) -> None:
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"


# --- the pages --------------------------------------------------------------------------


def test_the_gantt_page_shows_the_chart_as_an_image_served_as_svg(manager: Browser) -> None:
    html = _ok(manager.get(f"/projects/{KEY}/gantt"))
    _no_inline_style_or_script(html)
    assert f'<img src="/projects/{KEY}/gantt.svg"' in html
    assert f'href="/api/projects/{KEY}/schedule"' in html
    svg = manager.get(f"/projects/{KEY}/gantt.svg")
    assert svg.status_code == 200  # type: ignore[attr-defined]
    assert svg.headers["content-type"].startswith("image/svg+xml")  # type: ignore[attr-defined]
    assert svg.text.startswith("<svg")  # type: ignore[attr-defined]
    assert "script-src" not in svg.headers["content-security-policy"]  # type: ignore[attr-defined]


def test_the_findings_page_shows_each_finding_with_impact_and_action_and_the_health_checks(
    manager: Browser,
) -> None:
    html = _ok(manager.get(f"/projects/{KEY}/findings"))
    _no_inline_style_or_script(html)
    assert "runbook-templates" in html
    assert "The client pays for work they cannot connect" in html  # the impact
    assert "Link it to a deliverable or outcome" in html  # the action
    assert "Schedule health" in html and 'class="check ' in html
    assert f'hx-get="/projects/{KEY}/advice"' in html
    assert f'href="/api/projects/{KEY}/findings"' in html


def test_the_course_corrections_come_as_a_page_and_as_a_fragment_for_htmx(
    manager: Browser,
) -> None:
    page = _ok(manager.get(f"/projects/{KEY}/advice"))
    assert "Course corrections" in page and "<html" in page
    assert "Fast-track" in page and "days gained" in page.lower()
    fragment = _ok(manager.get(f"/projects/{KEY}/advice", headers={"hx-request": "true"}))
    assert "<html" not in fragment and "Fast-track" in fragment


def test_earned_value_says_how_to_save_a_baseline_when_there_is_none(
    site: tuple[object, dict[str, str]], tmp_path: Path
) -> None:
    engine = open_store(sqlite_url(tmp_path / "db"))
    seeded = load_examples(engine, EXAMPLES, tmp_path / "pw.txt")
    passwords = {e: p for e, p, _ in seeded.sign_ins}
    with TestClient(create_app(engine, now=lambda: NOW)) as client:
        fresh = Browser(client, MANAGER, passwords[MANAGER])
        html = _ok(fresh.get(f"/projects/{KEY}/evm"))
        assert "No baseline is saved yet" in html
        assert f'action="/projects/{KEY}/baselines"' in html
        chart = fresh.get(f"/projects/{KEY}/evm.svg")
        assert chart.status_code == 422  # type: ignore[attr-defined]
        assert "save a baseline first" in chart.text  # type: ignore[attr-defined]
    engine.dispose()


def test_saving_a_baseline_lists_it_and_earned_value_is_measured_against_it(
    manager: Browser,
) -> None:
    answer = manager.post(f"/projects/{KEY}/baselines", {"name": "signed-off"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"/projects/{KEY}/baselines"  # type: ignore[attr-defined]
    html = _ok(manager.get(f"/projects/{KEY}/baselines"))
    _no_inline_style_or_script(html)
    assert "signed-off" in html and "signed-off against now" in html
    assert "Outcome trend" in html and "claims-in-cloud" in html
    evm = _ok(manager.get(f"/projects/{KEY}/evm"))
    _no_inline_style_or_script(evm)
    assert "against baseline <strong>signed-off</strong>" in evm
    assert f'src="/projects/{KEY}/evm.svg?baseline=signed-off"' in evm
    assert "Planned value" in evm and "SPI" in evm
    chart = manager.get(f"/projects/{KEY}/evm.svg?baseline=signed-off")
    assert chart.status_code == 200  # type: ignore[attr-defined]
    assert chart.headers["content-type"].startswith("image/svg+xml")  # type: ignore[attr-defined]


def test_a_baseline_name_already_saved_is_refused_with_a_clear_message(
    manager: Browser,
) -> None:
    manager.post(f"/projects/{KEY}/baselines", {"name": "twice"})
    answer = manager.post(f"/projects/{KEY}/baselines", {"name": "twice"})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "already saved" in answer.text  # type: ignore[attr-defined]


def test_a_note_added_appears_on_the_conversations_page(manager: Browser) -> None:
    html = _ok(manager.get(f"/projects/{KEY}/conversations"))
    assert 'value="2027-04-15"' in html  # today, the form's default date
    answer = manager.post(
        f"/projects/{KEY}/conversations",
        {
            "date": "2027-04-14",
            "with": "Harbour CFO",
            "notes": "Asked for the run-cost estimate by May.",
            "outcomes": "run-cost",
            "decisions": "Send the estimate on 1 May\nReview it monthly",
        },
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    html = _ok(manager.get(f"/projects/{KEY}/conversations"))
    assert "Harbour CFO" in html and "Asked for the run-cost estimate by May." in html
    assert "<li>Review it monthly</li>" in html
    assert html.index("Harbour CFO") < html.index("Harbour CIO"), "newest first"


def test_a_bad_note_is_refused_with_the_field_named(manager: Browser) -> None:
    unknown = manager.post(
        f"/projects/{KEY}/conversations",
        {"date": "2027-04-14", "notes": "x", "outcomes": "no-such-outcome"},
    )
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert "no-such-outcome" in unknown.text  # type: ignore[attr-defined]
    bad_date = manager.post(f"/projects/{KEY}/conversations", {"date": "soon", "notes": "x"})
    assert bad_date.status_code == 422  # type: ignore[attr-defined]
    assert "<code>date</code>" in bad_date.text  # type: ignore[attr-defined]


def _edit_duration(manager: Browser, task: str, duration: str) -> None:
    tasks = manager.get(f"/api/projects/{KEY}/tasks").json()["tasks"]  # type: ignore[attr-defined]
    version = next(t["version"] for t in tasks if t["id"] == task)
    answer = manager.client.post(
        f"/projects/{KEY}/tasks/{task}",
        data={"duration": duration, "version": str(version)},
        headers={"x-csrf-token": manager.csrf, "hx-request": "true"},
    )
    assert answer.status_code == 200, answer.text


def test_the_history_shows_an_edit_readably_and_restoring_brings_the_old_value_back(
    manager: Browser,
) -> None:
    _edit_duration(manager, "data-class", "4d")
    html = _ok(manager.get(f"/projects/{KEY}/history"))
    _no_inline_style_or_script(html)
    assert "data-class" in html
    assert "<del>" in html and "<ins>4d</ins>" in html  # {"value": 4, "unit": "d"} as 4d
    assert '"unit"' not in html
    entries = manager.get(f"/api/projects/{KEY}/history").json()["entries"]  # type: ignore[attr-defined]
    edit = next(e for e in entries if e["entity_id"] == "data-class")
    before = next(e for e in entries if e["id"] < edit["id"])
    plan = manager.get(f"/projects/{KEY}/history/{before['id']}/plan.yaml")
    assert plan.status_code == 200 and "data-class" in plan.text  # type: ignore[attr-defined]
    old = readable(edit["before"]["duration"])
    confirm = _ok(manager.get(f"/projects/{KEY}/history/{before['id']}/restore"))
    assert f'action="/projects/{KEY}/history/{before["id"]}/restore"' in confirm
    answer = manager.post(f"/projects/{KEY}/history/{before['id']}/restore")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    tasks = manager.get(f"/api/projects/{KEY}/tasks").json()["tasks"]  # type: ignore[attr-defined]
    row = next(t for t in tasks if t["id"] == "data-class")
    assert row["plan"]["duration"] == old
    assert 'class="action restore"' in _ok(manager.get(f"/projects/{KEY}/history"))


def test_the_reports_page_links_every_report_in_every_format(manager: Browser) -> None:
    html = _ok(manager.get(f"/projects/{KEY}/reports"))
    for name in ("client", "team"):
        for fmt in ("html", "md", "pdf"):
            assert f'href="/projects/{KEY}/reports/{name}.{fmt}"' in html


def test_reports_in_html_carry_the_report_csp_and_markdown_is_text(manager: Browser) -> None:
    for name in ("client", "team"):
        html = _ok(manager.get(f"/projects/{KEY}/reports/{name}.html"), REPORT_CSP)
        assert "<html" in html.lower()
        md = manager.get(f"/projects/{KEY}/reports/{name}.md")
        assert md.status_code == 200  # type: ignore[attr-defined]
        assert md.headers["content-type"].startswith("text/markdown")  # type: ignore[attr-defined]
        assert md.text.startswith("#")  # type: ignore[attr-defined]
    assert manager.get(f"/projects/{KEY}/reports/other.html").status_code == 404  # type: ignore[attr-defined]
    assert manager.get(f"/projects/{KEY}/reports/team.docx").status_code == 404  # type: ignore[attr-defined]


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None, reason="no weasyprint")
def test_a_report_as_pdf_is_a_pdf(manager: Browser) -> None:
    answer = manager.get(f"/projects/{KEY}/reports/client.pdf")
    if answer.status_code == 501:  # type: ignore[attr-defined]
        pytest.skip(f"weasyprint cannot load: {answer.text[:200]}")  # type: ignore[attr-defined]
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert answer.headers["content-type"] == "application/pdf"  # type: ignore[attr-defined]
    assert answer.content.startswith(b"%PDF")  # type: ignore[attr-defined]


def test_without_weasyprint_a_pdf_is_answered_501_with_what_to_install(
    manager: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*args: object) -> bytes:
        raise PdfMissing("PDF needs the `pdf` extra")

    workspace = manager.client.app.state.ontrack.workspace  # type: ignore[attr-defined]
    monkeypatch.setattr(workspace, "report_pdf", missing)
    answer = manager.get(f"/projects/{KEY}/reports/team.pdf")
    assert answer.status_code == 501  # type: ignore[attr-defined]
    assert "PDF needs the `pdf` extra" in answer.text  # type: ignore[attr-defined]


def test_the_owner_sees_the_members_grants_a_role_and_removes_it(manager: Browser) -> None:
    html = _ok(manager.get(f"/projects/{KEY}/members"))
    assert CLIENT in html and MANAGER in html and "Give someone a role" in html
    answer = manager.post(f"/projects/{KEY}/members", {"email": CLIENT, "role": "member"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    members = manager.get(f"/api/projects/{KEY}/members").json()["members"]  # type: ignore[attr-defined]
    assert {"email": CLIENT, "name": "Client Contact", "role": "member"} in members
    manager.post(f"/projects/{KEY}/members", {"email": CLIENT, "role": "client"})
    unknown = manager.post(f"/projects/{KEY}/members", {"email": "nobody@x.org", "role": "member"})
    assert unknown.status_code == 404 and "nobody@x.org" in unknown.text  # type: ignore[attr-defined]
    bad_role = manager.post(f"/projects/{KEY}/members", {"email": CLIENT, "role": "king"})
    assert bad_role.status_code == 422  # type: ignore[attr-defined]
    yourself = manager.post(f"/projects/{KEY}/members/revoke", {"email": MANAGER})
    assert yourself.status_code == 422  # type: ignore[attr-defined]
    assert "your own role" in yourself.text  # type: ignore[attr-defined]


def test_the_project_page_links_every_page(manager: Browser) -> None:
    html = _ok(manager.get(f"/projects/{KEY}"))
    for page in ("gantt", "findings", "baselines", "evm", "conversations", "history",
                 "reports", "members"):  # fmt: skip
        assert f'href="/projects/{KEY}/{page}"' in html


def test_a_form_without_the_csrf_token_is_refused(manager: Browser) -> None:
    answer = manager.client.post(
        f"/projects/{KEY}/baselines", data={"name": "x"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "CSRF" in answer.text


def test_a_signed_in_user_makes_an_api_token_shown_once_and_it_works(manager: Browser) -> None:
    html = _ok(manager.get("/account/tokens"))
    assert 'action="/account/tokens"' in html
    answer = manager.post("/account/tokens", {"name": "billing export"})
    made = _ok(answer)
    assert answer.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    token = re.search(r'<code class="token">(ot_[^<]+)</code>', made)
    assert token, made
    api = manager.client.get("/api/projects", headers={"authorization": f"Bearer {token.group(1)}"})
    assert api.status_code == 200
    assert token.group(1) not in _ok(manager.get("/account/tokens"))


# --- the client -------------------------------------------------------------------------


TEAM_PAGES = ("gantt", "gantt.svg", "findings", "advice", "risk", "baselines", "evm",
              "conversations", "history", "members", "reports/team.html",
              "reports/team.md")  # fmt: skip


@pytest.mark.parametrize("page", TEAM_PAGES)
def test_a_client_is_refused_the_team_pages(client_user: Browser, page: str) -> None:
    answer = client_user.get(f"/projects/{KEY}/{page}")
    assert answer.status_code == 403, page  # type: ignore[attr-defined]


def test_a_client_may_not_change_anything(client_user: Browser) -> None:
    for path, data in (
        (f"/projects/{KEY}/baselines", {"name": "mine"}),
        (f"/projects/{KEY}/conversations", {"date": "2027-04-01", "notes": "x"}),
        (f"/projects/{KEY}/history/1/restore", {}),
        (f"/projects/{KEY}/members", {"email": CLIENT, "role": "owner"}),
    ):
        assert client_user.post(path, data).status_code == 403, path  # type: ignore[attr-defined]


def test_a_client_reads_the_client_report_from_the_portal(client_user: Browser) -> None:
    portal = _ok(client_user.get(f"/projects/{KEY}"))
    assert f'href="/projects/{KEY}/reports/client.html"' in portal
    _ok(client_user.get(f"/projects/{KEY}/reports/client.html"), REPORT_CSP)
    reports = _ok(client_user.get(f"/projects/{KEY}/reports"))
    assert "client.html" in reports and "team.html" not in reports


# --- showing values ---------------------------------------------------------------------


def test_journal_values_read_as_a_person_writes_them() -> None:
    assert readable({"value": 3, "unit": "d"}) == "3d"
    assert readable({"value": 2.0, "unit": "w"}) == "2w"
    assert readable([["architect", 1.0], ["pm", 0.5]]) == "architect: 1, pm: 0.5"
    assert readable(["hld", {"task": "cable", "type": "SS", "lag": "2d"}]) == "hld, cable SS+2d"
    assert readable(None) == "—"
    assert readable(True) == "yes"
