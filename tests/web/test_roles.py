"""Every route of the app (pages and API, every method) called as nobody, a client, a
member, a manager and an owner, on their own project and on one they have no role on,
with the exact answer each must get (the table is in route_table.py). A route missing
from the table fails the test: a new route must say there who may call it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.routing import APIRoute
from route_table import ANON, CASES, WHO
from starlette.routing import Mount, Route
from web_world import OTHER, OWN, World

from ontrack.app.accounts import add_user


def declared_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, HEAD aside; a mount as GET."""
    return set(_walk(app.routes, ""))


def _walk(routes: Any, prefix: str) -> Any:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI >= 0.165 nests routers
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path
        elif isinstance(route, APIRoute | Route):
            yield from ((m, prefix + route.path) for m in route.methods or () if m != "HEAD")
        else:
            raise AssertionError(f"a kind of route the table does not know: {route!r}")


def test_the_table_covers_every_route_of_the_app(sqlite_world: World) -> None:
    table = {(c.method, c.path) for c in CASES}
    declared = declared_routes(sqlite_world.app)
    assert declared - table == set(), "routes missing from the role table: add them"
    assert table - declared == set(), "the table names routes the app does not have"


def test_every_route_answers_each_role_on_their_project_and_on_another_as_expected(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Roles are what is tested here, not WeasyPrint: test_canary renders real PDFs.
    monkeypatch.setattr("ontrack.reports.pdf.html_to_pdf", lambda html: b"%PDF-1.7 test")
    add_user(world.engine, "spare@test.example", "Spare", "spare-password-1", datetime.now(UTC))
    clients = {
        (who, api): (world.api if api else world.browser)(None if who == ANON else who)
        for who in WHO
        for api in (True, False)
    }
    wrong = []
    for case in sorted(CASES, key=lambda c: c.phase):
        for who in WHO:
            client = clients[(who, case.api)]
            targets = [(OWN, case.expect[who])]
            if case.scoped:
                targets.append((OTHER, case.expect[ANON] if who == ANON else 404))
            for key, expected in targets:
                answer = case.call(world, client, who, key)
                if answer.status_code != expected:
                    wrong.append(
                        f"{case.method} {case.path} as {who} on {key}: "
                        f"{answer.status_code}, expected {expected}: {answer.text[:200]}"
                    )
                elif (
                    expected == 303
                    and who == ANON
                    and case.path != "/sign-out"
                    and not answer.headers["location"].startswith("/sign-in")
                ):
                    wrong.append(f"{case.method} {case.path} as nobody: not sent to sign in")
    assert wrong == [], "\n".join(wrong)
