"""A database with the example plans in it, for the README's run command: every plan of a
folder imported once, and two people to sign in as (a manager, and a client who sees
only the client portal)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from ontrack.app import accounts
from ontrack.app.services import write_text
from ontrack.app.tracking import BASELINES_SUFFIX
from ontrack.planfile import load_plan
from ontrack.store import accounts as stored
from ontrack.store import import_plan, list_projects

MANAGER = "pm@example.com"
CLIENT = "client@example.com"


@dataclass(frozen=True)
class Seeded:
    imported: tuple[str, ...]
    """Projects imported by this run (a project already there is left as it is)."""
    sign_ins: tuple[tuple[str, str, str], ...]
    """(e-mail, password, what they see) of the people to sign in as."""


def load_examples(engine: sa.Engine, folder: Path, secrets_file: Path) -> Seeded:
    """Import every plan in `folder` that is not in the database yet; make the manager
    owner of all and the client a client of all. Passwords are made on the first run and
    kept in `secrets_file` (readable by its owner only) so later runs can show them."""
    plans = sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(BASELINES_SUFFIX))
    now = datetime.now(UTC)
    passwords = _passwords(secrets_file)
    people = {
        MANAGER: ("Pat Manager", "owner", "every project, as its owner"),
        CLIENT: ("Client Contact", "client", "the client portal of every project"),
    }
    users = {}
    for email, (name, _, _) in people.items():
        with engine.connect() as conn:
            found = stored.find_user(conn, email)
        if found is None:
            found = accounts.add_user(engine, email, name, passwords[email], now)
        else:  # the passwords file is the truth for these two demo accounts
            accounts.set_password(engine, email, passwords[email])
        users[email] = found
    with engine.connect() as conn:
        present = {p.key for p in list_projects(conn)}
    imported = []
    for path in plans:
        plan = load_plan(path)
        if plan.project.id in present:
            continue
        with engine.begin() as conn:
            key = import_plan(conn, plan, MANAGER)
            for email, (_, role, _) in people.items():
                stored.grant(conn, users[email].id, key, role)
        imported.append(key)
    sign_ins = tuple((email, passwords[email], sees) for email, (_, _, sees) in people.items())
    return Seeded(tuple(imported), sign_ins)


def _passwords(file: Path) -> dict[str, str]:
    if file.exists():
        pairs = (line.split(" ", 1) for line in file.read_text().splitlines() if " " in line)
        known = {email: password for email, password in pairs}
        if {MANAGER, CLIENT} <= set(known):
            return known
    made = {MANAGER: secrets.token_urlsafe(12), CLIENT: secrets.token_urlsafe(12)}
    file.parent.mkdir(parents=True, exist_ok=True)
    write_text(file, "".join(f"{email} {password}\n" for email, password in made.items()))
    file.chmod(0o600)
    return made
