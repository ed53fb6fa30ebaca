"""Nothing a client can reach shows money or internal notes: harbour-kiosk carries
distinctive values (a rate of 987654.32, a task cost of 123456.78, a program budget of
4444333.22, a task note and a conversation note), and every answer a client gets, from
every route of the app (pages, API, reports in every format, PDF text included, errors),
is searched for them in every form they could be written in."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from route_table import CASES
from web_world import OTHER, OWN, World

RATE, TASK_COST, BUDGET = 987654.32, 123456.78, 4444333.22
NOTES = ("CANARY-TASK-NOTE-7f3a", "CANARY-CONVERSATION-5b1c")


def written_forms(amount: float) -> set[str]:
    """The ways a report or a page may write an amount: 987654.32, 987,654.32, 987654,
    987,654, 987,654.3, 987.7k, 0.99M, 1.0M."""
    whole = round(amount)
    forms = {
        f"{amount:.2f}",
        f"{amount:,.2f}",
        f"{amount:,.1f}",
        str(whole),
        f"{whole:,}",
        f"{amount:.1f}",
        repr(amount),
    }
    if amount >= 1_000_000:
        forms |= {f"{amount / 1e6:.2f}M", f"{amount / 1e6:.1f}M"}
    else:
        forms |= {f"{amount / 1e3:.1f}k", f"{amount / 1e3:,.0f}k"}
    return forms


def canaries(world: World) -> set[str]:
    """The planted values, and what the schedule makes of them (the project's cost)."""
    owner = world.api("owner").get(f"/api/projects/{OWN}").json()
    cost = owner["project"]["cost"]
    assert cost > RATE  # the rate is in it: the work really is costed
    found = set(NOTES)
    for amount in (RATE, TASK_COST, BUDGET, cost):
        found |= written_forms(amount)
    return found


def leaks(text: str, planted: set[str]) -> list[str]:
    squeezed = re.sub(r"\s+", "", text)  # PDF text may come apart at line ends
    return sorted(c for c in planted if c in text or c in squeezed)


def pdf_text(pdf: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_planted_values_are_in_what_the_team_sees(sqlite_world: World) -> None:
    """The search would find them: the team's answers do show them."""
    owner, planted = sqlite_world.api("owner"), canaries(sqlite_world)
    seen = "".join(
        owner.get(f"/api/projects/{OWN}/{what}").text
        for what in ("resources", "tasks", "conversations", "plan")
    )
    seen += owner.get(f"/api/projects/{OWN}").text
    for value in (*NOTES, "987654.32", "123456.78", "4444333.22"):
        assert value in seen
    assert leaks(owner.get(f"/api/projects/{OWN}/reports/team.md").text, planted)


def test_no_answer_a_client_gets_from_any_route_shows_money_or_internal_notes(
    sqlite_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, planted = sqlite_world, canaries(sqlite_world)
    pdfs: list[str] = []

    def keep_html(html: str) -> bytes:  # the HTML each PDF is made from is searched too
        pdfs.append(html)
        return render(html)

    from ontrack.reports.pdf import html_to_pdf as render

    monkeypatch.setattr("ontrack.reports.pdf.html_to_pdf", keep_html)
    clients = {True: world.api("client"), False: world.browser("client")}
    found: list[str] = []
    for case in CASES:
        for key in (OWN, OTHER) if case.scoped else (OWN,):
            answer = case.call(world, clients[case.api], "client", key)
            where = f"{case.method} {case.path} on {key} ({answer.status_code})"
            body: Any = answer.content
            if answer.headers.get("content-type", "").startswith("application/pdf"):
                text = pdf_text(body)
                assert "Harbour visitor kiosks" in text, "the PDF's text was not read"
            else:
                text = answer.text
            found += [f"{where}: {leak}" for leak in leaks(text, planted)]
            found += [f"{where} headers: {leak}" for leak in leaks(str(answer.headers), planted)]
    assert len(pdfs) >= 2, "the client PDFs (API and page) were not rendered"
    found += [f"PDF source HTML: {leak}" for html in pdfs for leak in leaks(html, planted)]
    assert found == [], "\n".join(found)


def test_error_answers_to_a_client_show_no_money_or_notes(sqlite_world: World) -> None:
    world, planted = sqlite_world, canaries(sqlite_world)
    client = world.api("client")
    answers = [
        client.get(f"/api/projects/{OWN}/evm", params={"baseline": "missing"}),
        client.patch(f"/api/projects/{OWN}/tasks/survey", json={"version": 1, "cost": 1}),
        client.get(f"/api/projects/{OWN}/history/1/plan"),
        client.get(f"/api/projects/{OWN}/reports/team.pdf"),
        client.get(f"/api/projects/{OWN}/reports/other.html"),
        client.post(f"/api/projects/{OWN}/conversations", json={"notes": "x"}),
        world.browser("client").get(f"/projects/{OWN}/tasks"),
    ]
    assert all(a.status_code in (403, 404, 422) for a in answers), [a.status_code for a in answers]
    assert [leak for a in answers for leak in leaks(a.text, planted)] == []


def test_a_clients_calendar_feed_shows_no_money_notes_or_tasks(sqlite_world: World) -> None:
    """The table's feed routes are searched above; here, that the client's feed really is a
    calendar, with outcomes and milestones and nothing of a task but its milestones."""
    world, planted = sqlite_world, canaries(sqlite_world)
    links = world.subscribe("client")["links"]
    feed = world.calendar().get(links["project"])
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text
    assert "Outcome target: Travellers buy a ticket" in feed.text.replace("\r\n ", "")
    assert leaks(feed.text, planted) == []
    assert "CATEGORIES:Task" not in feed.text and "assigned to" not in feed.text
