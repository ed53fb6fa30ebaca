"""Calendar subscriptions as a calendar program sees them: an address with a feed token
and nothing else (no cookie, no API token) gets an RFC 5545 calendar of the project (and a
person feed of one resource's tasks), checked against the person's role at every poll;
whatever is wrong with an address is the same 404."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any

import icalendar
from fastapi.testclient import TestClient
from web_world import NOW, OTHER, OWN, World

from ontrack.store import accounts as stored
from ontrack.store import tables
from ontrack.web.app import create_app

OUTCOMES = {
    "Outcome target: Travellers buy a ticket in under two minutes at the kiosks",
    "Outcome target: Ticket staff are free to help travellers with questions",
}
MILESTONES = {"Milestone: Kiosks live", "Program milestone: Terminal power on (Dock Electric)"}


def events(answer: Any) -> dict[str, icalendar.Event]:
    """The calendar's events by summary, after checking it is one."""
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(answer.content)
    return {str(e["SUMMARY"]): e for e in calendar.events}


def category(event: icalendar.Event) -> str:
    return str(event.categories[0])


def test_a_member_subscribes_and_the_project_feed_holds_the_outcomes_and_milestones(
    world: World,
) -> None:
    links = world.subscribe("member")["links"]
    assert links["project"].startswith("http://testserver/calendar/otcal_")
    answer = world.calendar().get(links["project"])
    found = events(answer)
    assert set(found) >= OUTCOMES | MILESTONES
    assert any(s.startswith("Outcome forecast: Travellers buy a ticket") for s in found)
    assert found["Program milestone: Terminal power on (Dock Electric)"].start == date(2027, 3, 8)
    assert "Task" not in {category(e) for e in found.values()}
    assert answer.headers["cache-control"] == "private, no-cache"
    assert answer.headers["etag"].startswith('W/"')
    assert "set-cookie" not in answer.headers


def test_a_person_feed_adds_that_resources_tasks_and_no_one_elses(world: World) -> None:
    links = world.subscribe("member")["links"]
    assert set(links["people"]) == {"eng", "pm"}
    found = events(world.calendar().get(links["people"]["eng"]))
    assert {"eng: Site survey of the terminal hall", "eng: Install and wire the kiosks"} <= set(
        found
    )
    assert set(found) >= OUTCOMES | MILESTONES
    assert not any(summary.startswith("pm:") for summary in found)
    survey = found["eng: Site survey of the terminal hall"]
    assert survey.start == date(2027, 3, 1)
    assert survey.end == date(2027, 3, 3)  # through 2 March
    unknown = links["people"]["eng"].replace("/eng.ics", "/nobody.ics")
    assert world.calendar().get(unknown).status_code == 404


def test_a_client_gets_outcomes_and_milestones_only_and_no_person_feed(world: World) -> None:
    made = world.subscribe("client")
    assert made["people"] == [] and made["links"]["people"] == {}
    found = events(world.calendar().get(made["links"]["project"]))
    assert set(found) >= OUTCOMES | MILESTONES
    assert {category(e) for e in found.values()} <= {
        "Outcome target", "Outcome forecast", "Milestone", "Program milestone"
    }  # fmt: skip
    person = f"/calendar/{made['token']}/projects/{OWN}/people/eng.ics"
    assert world.calendar().get(person).status_code == 404


def test_a_wrong_a_replaced_a_revoked_or_another_projects_address_gets_the_same_404(
    world: World,
) -> None:
    calendar, member = world.calendar(), world.api("member")
    first = world.subscribe("member")
    second = world.subscribe("member")  # a new link: the first stops working
    answers = [
        calendar.get(first["links"]["project"]),
        calendar.get(second["links"]["project"].replace("otcal_", "otcal_x")),
        calendar.get(second["links"]["project"].replace(OWN, OTHER)),
    ]
    assert calendar.get(second["links"]["project"]).status_code == 200
    assert member.delete(f"/api/projects/{OWN}/calendar").json() == {"revoked": True}
    answers.append(calendar.get(second["links"]["project"]))
    assert member.delete(f"/api/projects/{OWN}/calendar").json() == {"revoked": False}
    assert [a.status_code for a in answers] == [404] * 4
    assert len({a.text for a in answers}) == 1, "every 404 says the same"
    assert member.get(f"/api/projects/{OWN}/calendar").json()["made"] is None


def test_a_token_of_someone_whose_role_is_taken_away_gets_404_and_stays_dead(world: World) -> None:
    links = world.subscribe("member")["links"]
    calendar, owner = world.calendar(), world.api("owner")
    assert calendar.get(links["people"]["eng"]).status_code == 200
    email = world.people["member"].email
    owner.post(f"/api/projects/{OWN}/members", json={"email": email, "role": "client"})
    assert calendar.get(links["people"]["eng"]).status_code == 404  # a client now
    assert calendar.get(links["project"]).status_code == 200
    owner.delete(f"/api/projects/{OWN}/members", params={"email": email})
    assert calendar.get(links["project"]).status_code == 404
    owner.post(f"/api/projects/{OWN}/members", json={"email": email, "role": "member"})
    assert calendar.get(links["project"]).status_code == 404  # a role again, not the link


def test_a_token_made_for_a_user_without_a_role_on_the_project_opens_nothing(
    world: World,
) -> None:
    """Made while they had a role, kept in the database after losing it some other way
    (a role row removed directly): the role is what is checked, at every poll."""
    links = world.subscribe("manager")["links"]
    with world.engine.begin() as conn:
        user = stored.find_user(conn, world.people["manager"].email)
        assert user is not None
        m = tables.memberships
        conn.execute(m.delete().where(m.c.user_id == user.id))
    assert world.calendar().get(links["project"]).status_code == 404


def test_a_feed_token_is_no_api_token_and_an_api_token_opens_no_feed(world: World) -> None:
    token = world.subscribe("owner")["token"]
    as_bearer = world.calendar().get(
        f"/api/projects/{OWN}", headers={"authorization": f"Bearer {token}"}
    )
    assert as_bearer.status_code == 401
    api_token = world.people["owner"].token
    assert world.calendar().get(f"/calendar/{api_token}/projects/{OWN}.ics").status_code == 404


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_one(world: World) -> None:
    links = world.subscribe("manager")["links"]
    calendar = world.calendar()
    first = calendar.get(links["project"])
    etag = first.headers["etag"]
    again = calendar.get(links["project"], headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    manager = world.api("manager")
    version = world.task_version("install")
    edited = manager.patch(
        f"/api/projects/{OWN}/tasks/install", json={"version": version, "duration": "9d"}
    )
    assert edited.status_code == 200, edited.text
    changed = calendar.get(links["project"], headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.content != first.content  # the forecasts moved


def test_the_feed_is_worked_out_once_per_project_version_not_at_every_poll(world: World) -> None:
    """The DTSTAMP is when the calendar was made: a later poll of the same version gets the
    same calendar, made from the cached schedule, although the clock moved on."""
    ticks = iter(NOW + timedelta(hours=h) for h in range(100))
    app = create_app(world.engine, now=lambda: next(ticks))
    token = world.subscribe("member")["token"]
    with TestClient(app) as calendar:
        polls = [calendar.get(f"/calendar/{token}/projects/{OWN}.ics") for _ in range(3)]
    assert [p.status_code for p in polls] == [200] * 3
    assert polls[0].content == polls[1].content == polls[2].content
    stamps = {e.DTSTAMP for e in icalendar.Calendar.from_ical(polls[0].content).events}
    assert stamps == {NOW.astimezone(UTC)}


def test_the_calendar_page_shows_the_links_once_and_revokes_them(world: World) -> None:
    browser = world.browser("member")
    page = browser.get(f"/projects/{OWN}/calendar")
    assert page.status_code == 200
    assert f'action="/projects/{OWN}/calendar"' in page.text and "no link" in page.text
    assert f'href="/api/projects/{OWN}/calendar"' in page.text  # the JSON twin
    made = browser.post(f"/projects/{OWN}/calendar")
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    links = made.context["data"]["links"]
    assert links["project"] in made.text and links["people"]["pm"] in made.text
    assert world.calendar().get(links["project"]).status_code == 200
    later = browser.get(f"/projects/{OWN}/calendar")
    assert "otcal_" not in later.text and "made 2027-03-22T09:30:00+00:00" in later.text
    revoked = browser.post(f"/projects/{OWN}/calendar/revoke")
    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"/projects/{OWN}/calendar"
    assert world.calendar().get(links["project"]).status_code == 404


def test_the_calendar_forms_need_the_csrf_token(world: World) -> None:
    browser = world.browser("member")
    del browser.headers["x-csrf-token"]
    assert browser.post(f"/projects/{OWN}/calendar").status_code == 403
    assert browser.post(f"/projects/{OWN}/calendar/revoke").status_code == 403
