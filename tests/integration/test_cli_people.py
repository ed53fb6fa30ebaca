"""`ontrack user add`, `grant`, `token add` and `serve --examples` on a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.app import accounts
from ontrack.cli.main import app
from ontrack.planfile import load_plan
from ontrack.store import accounts as stored
from ontrack.store import import_plan, open_store, sqlite_url

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    with open_store(sqlite_url(path)).begin() as conn:
        import_plan(conn, load_plan(EXAMPLES / "plant-wifi.yaml"), "pm")
    return path


def test_a_user_added_with_a_role_and_a_token_acts_with_that_role(db: Path) -> None:
    password = "a long enough secret"
    added = runner.invoke(
        app, ["user", "add", "Ana@Example.com", "--name", "Ana", "--db", str(db)],
        input=f"{password}\n{password}\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    granted = runner.invoke(
        app, ["grant", "ana@example.com", "plant-wifi", "member", "--db", str(db)]
    )
    assert granted.exit_code == 0, granted.output
    made = runner.invoke(app, ["token", "add", "ana@example.com", "--db", str(db)])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    engine = open_store(sqlite_url(db))
    user = accounts.user_for_token(engine, token)
    assert user is not None and user.email == "ana@example.com"
    with engine.connect() as conn:
        assert stored.role_on(conn, user.id, "plant-wifi") == "member"
    assert accounts.sign_in(engine, "ana@example.com", password, datetime.now(UTC)).name == "Ana"


@pytest.mark.parametrize(
    "args",
    [
        ["grant", "nobody@example.com", "plant-wifi", "member"],
        ["grant", "pm@example.com", "plant-wifi", "boss"],
        ["token", "add", "nobody@example.com"],
    ],
)
def test_a_grant_or_token_for_an_unknown_person_or_role_is_one_clear_line(
    db: Path, args: list[str]
) -> None:
    with open_store(sqlite_url(db)).begin() as conn:
        stored.add_user(conn, "pm@example.com", "PM", "x", datetime.now(UTC))
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_a_short_password_is_refused_and_nobody_is_added(db: Path) -> None:
    result = runner.invoke(
        app, ["user", "add", "bo@example.com", "--db", str(db)], input="short\nshort\n"
    )
    assert result.exit_code == 1
    assert "too short" in result.output
    with open_store(sqlite_url(db)).connect() as conn:
        assert stored.find_user(conn, "bo@example.com") is None


def test_serve_with_examples_loads_them_once_and_prints_the_sign_ins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "ontrack.web.server.serve", lambda url, host, port, secure: started.append((host, port))
    )
    db = tmp_path / ".ontrack" / "demo.db"  # a folder a fresh checkout has not got yet
    args = ["serve", "--examples", str(EXAMPLES), "--db", str(db), "--port", "8123"]
    first = runner.invoke(app, args)
    again = runner.invoke(app, args)
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "loaded the example plant-wifi" in first.output
    assert "loaded the example" not in again.output
    passwords = dict(
        line.split(" ", 1) for line in (db.parent / "demo.sign-in.txt").read_text().splitlines()
    )
    for email, password in passwords.items():
        assert f"{email}  password {password}" in again.output
    assert started == [("127.0.0.1", 8123), ("127.0.0.1", 8123)]
    assert "http://127.0.0.1:8123/" in first.output
