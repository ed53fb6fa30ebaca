"""A database with small projects and one person per role, and clients to call the app
as each of them: an API token client, or a browser signed in with a session cookie."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from ontrack.app import accounts
from ontrack.app.seed import load_examples
from ontrack.store import accounts as stored
from ontrack.store import open_store, repository
from ontrack.web.app import create_app

PLANS = Path(__file__).with_name("plans")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OWN = "harbour-kiosk"  # every test person has their role here
OTHER = "quay-signage"  # and none here
ROLES = ("client", "member", "manager", "owner")
NOW = datetime(2027, 3, 22, 9, 30, tzinfo=UTC)  # the app's clock: mid-project
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    token: str


@dataclass
class World:
    engine: sa.Engine
    app: Any
    people: dict[str, Person]
    _browsers: dict[str | None, TestClient] = field(default_factory=dict)

    def api(self, role: str | None) -> TestClient:
        """A client with the role's API token (None: nobody, no token)."""
        headers = {} if role is None else {"authorization": f"Bearer {self.people[role].token}"}
        return TestClient(self.app, headers=headers, follow_redirects=False)

    def browser(self, role: str | None) -> TestClient:
        """A browser signed in as the role (None: not signed in), sending its session's
        CSRF token in the X-CSRF-Token header as HTMX does."""
        client = TestClient(self.app, follow_redirects=False)
        csrf = csrf_of(client.get("/sign-in").text)
        if role is not None:
            person = self.people[role]
            answer = client.post(
                "/sign-in", data={"email": person.email, "password": person.password, "csrf": csrf}
            )
            assert answer.status_code == 303, answer.text
            csrf = csrf_of(client.get("/").text)
        client.headers["x-csrf-token"] = csrf
        return client

    def subscribe(self, role: str, key: str = OWN) -> dict[str, Any]:
        """A new calendar subscription of the role's on the project: its token and links."""
        made = self.api(role).post(f"/api/projects/{key}/calendar")
        assert made.status_code == 201, made.text
        answer: dict[str, Any] = made.json()
        return answer

    def calendar(self) -> TestClient:
        """A calendar program: no session cookie, no API token, only the address."""
        return TestClient(self.app, follow_redirects=False)

    def task_version(self, task_id: str, key: str = OWN) -> int:
        with self.engine.connect() as conn:
            return repository.task_versions(conn, key)[task_id]

    def project_version(self, key: str = OWN) -> int:
        with self.engine.connect() as conn:
            return repository.project_version(conn, key)

    def journal(self, key: str = OWN) -> list[repository.JournalEntry]:
        with self.engine.connect() as conn:
            return repository.journal_entries(conn, key)

    def projects(self) -> set[str]:
        with self.engine.connect() as conn:
            return {p.key for p in repository.list_projects(conn)}

    def plan_text(self, key: str = OWN) -> str:
        from ontrack.planfile import dump_plan

        with self.engine.connect() as conn:
            return dump_plan(repository.export_plan(conn, key))


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def make_world(url: str, folder: Path, secrets: Path) -> World:
    """The plans of `folder` seeded as the README's run command seeds them, and one person
    per role on OWN (none on OTHER), each with an API token."""
    engine = open_store(url)
    load_examples(engine, folder, secrets)
    people = {}
    for role in ROLES:
        email, password = f"{role}@test.example", f"{role}-password-1"
        user = accounts.add_user(engine, email, role.title(), password, NOW)
        with engine.begin() as conn:
            stored.grant(conn, user.id, OWN, role)
        people[role] = Person(email, password, accounts.new_token(engine, email, "tests", NOW))
    return World(engine, create_app(engine, now=lambda: NOW), people)
