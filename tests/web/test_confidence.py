"""Confidence in the web app: the team's page and its JSON twin, the fragment the project
page and the client portal load after they show, and what a client may see of it."""

from __future__ import annotations

from web_world import OWN, World

FIXED = {"id", "target", "p50", "p80", "p90", "p_on_time", "status"}
TEAM_ONLY = {"criticality", "influences", "actions", "curve", "forecast", "convergence_days"}


def test_the_team_gets_every_outcome_with_its_figures_and_what_drives_them(
    sqlite_world: World,
) -> None:
    data = sqlite_world.api("member").get(f"/api/projects/{OWN}/risk").json()
    assert data["iterations"] == 2000 and data["seed"] == 0
    ids = [o["id"] for o in data["outcomes"]]
    assert ids == ["queues-short", "staff-free"]
    for o in data["outcomes"]:
        assert set(o) >= FIXED | TEAM_ONLY
        assert o["p50"] <= o["p80"] <= o["p90"]
        assert 0 <= o["p_on_time"] <= 1
    assert "cost" in data["project"]  # the team's project header, as on every team page


def test_a_client_sees_dates_and_chances_only(sqlite_world: World) -> None:
    data = sqlite_world.api("client").get(f"/api/projects/{OWN}/risk").json()
    for o in data["outcomes"]:
        assert set(o) == FIXED | {"statement"}
    assert "cost" not in data["project"]


def test_the_figures_are_the_same_on_every_read_of_a_version(sqlite_world: World) -> None:
    api = sqlite_world.api("owner")
    first = api.get(f"/api/projects/{OWN}/risk").json()
    again = sqlite_world.api("manager").get(f"/api/projects/{OWN}/risk").json()
    assert first["outcomes"] == again["outcomes"]


def test_the_page_shows_the_table_the_tornado_and_links_its_twin(sqlite_world: World) -> None:
    page = sqlite_world.browser("manager").get(f"/projects/{OWN}/risk")
    assert page.status_code == 200
    html = page.text
    assert "Confidence" in html and "P80" in html
    assert 'data-outcome="queues-short"' in html
    assert f'href="/api/projects/{OWN}/risk"' in html
    assert "tornado" in html


def test_the_project_page_and_the_portal_load_confidence_lazily(sqlite_world: World) -> None:
    for role in ("manager", "client"):
        page = sqlite_world.browser(role).get(f"/projects/{OWN}").text
        assert f'hx-get="/projects/{OWN}/confidence"' in page
        assert "p80" not in page  # not computed while the page is served


def test_the_fragment_shows_p80_and_chance_per_outcome(sqlite_world: World) -> None:
    api = sqlite_world.api("owner").get(f"/api/projects/{OWN}/risk").json()
    for role, link in (("member", True), ("client", False)):
        html = sqlite_world.browser(role).get(f"/projects/{OWN}/confidence").text
        for o in api["outcomes"]:
            assert f'data-outcome="{o["id"]}"' in html
            assert o["p80"] in html
        assert (f'href="/projects/{OWN}/risk"' in html) is link


def test_a_client_cannot_open_the_teams_page(sqlite_world: World) -> None:
    assert sqlite_world.browser("client").get(f"/projects/{OWN}/risk").status_code == 403
