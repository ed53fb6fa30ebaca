"""Bad input gets a clear answer naming what is wrong, and changes nothing: a broken plan
file, too big a body, a YAML alias bomb, a dependency cycle, a bad duration, an unknown
field, a forged form, and too many failed sign-ins."""

from __future__ import annotations

import time
from typing import Any

from web_world import OWN, World

from ontrack.web.security import MAX_BODY

YAML = {"content-type": "application/yaml"}
BROKEN_PLAN = """ontrack: 1
project:
  id: broken
  name: [a list that is never closed
  start: 2027-03-01
"""
BILLION_LAUGHS = "\n".join(
    [
        "ontrack: 1",
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + chr(ord('a') + i - 1)] * 10)}]"  # noqa: E501
            for i in range(1, 9)
        ),
        "project: {id: laughs, name: *i, start: 2027-03-01}",
    ]
)


def problem_fields(answer: Any) -> list[str]:
    return [p["field"] for p in answer.json()["problems"]]


def test_a_broken_plan_upload_is_refused_with_its_file_positions_and_nothing_is_created(
    world: World,
) -> None:
    before = world.projects()
    answer = world.api("manager").post("/api/projects", content=BROKEN_PLAN, headers=YAML)
    assert answer.status_code == 422, answer.text
    wheres = [p["where"] for p in answer.json()["problems"]]
    assert wheres and all(w and w.startswith("upload.yaml:") for w in wheres), wheres
    line, column = wheres[0].split(":")[1:3]
    assert line.isdigit() and column.isdigit()
    assert world.projects() == before


def test_a_body_over_the_limit_is_refused_with_413_and_nothing_changes(world: World) -> None:
    version, text = world.project_version(), world.plan_text()
    padded = text + "#" * (MAX_BODY + 1 - len(text.encode()))
    answer = world.api("manager").put(
        f"/api/projects/{OWN}/plan?version={version}", content=padded, headers=YAML
    )
    assert answer.status_code == 413, answer.text
    assert "MB" in answer.json()["detail"]
    assert world.project_version() == version
    assert world.plan_text() == text


def test_a_yaml_alias_bomb_is_refused_quickly_with_a_clear_answer(world: World) -> None:
    before = world.projects()
    started = time.monotonic()
    answer = world.api("manager").post("/api/projects", content=BILLION_LAUGHS, headers=YAML)
    took = time.monotonic() - started
    assert answer.status_code == 422, answer.text
    messages = " ".join(p["message"] for p in answer.json()["problems"])
    assert "alias" in messages
    assert took < 10, f"the bomb took {took:.1f}s to refuse"
    assert world.projects() == before


def test_a_dependency_cycle_made_through_the_api_is_refused_naming_the_cycle(
    world: World,
) -> None:
    journal = world.journal()
    manager = world.api("manager")
    body = {"version": world.task_version("survey"), "after": ["live"]}
    answer = manager.put(f"/api/projects/{OWN}/tasks/survey/dependencies", json=body)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert any(p["code"] == "cycle" for p in problems), problems
    cycle = next(p for p in problems if p["code"] == "cycle")
    assert "after" in cycle["field"]
    assert all(task in cycle["message"] for task in ("survey", "install", "train", "live"))
    assert world.journal() == journal


def test_a_bad_duration_is_refused_naming_duration(world: World) -> None:
    journal = world.journal()
    body = {"version": world.task_version("install"), "duration": "3x"}
    answer = world.api("manager").patch(f"/api/projects/{OWN}/tasks/install", json=body)
    assert answer.status_code == 422, answer.text
    assert problem_fields(answer) == ["duration"]
    assert world.journal() == journal


def test_an_unknown_field_is_refused_naming_it(world: World) -> None:
    journal = world.journal()
    body = {"version": world.task_version("install"), "colour": "red"}
    answer = world.api("manager").patch(f"/api/projects/{OWN}/tasks/install", json=body)
    assert answer.status_code == 422, answer.text
    assert problem_fields(answer) == ["colour"]
    note = {"notes": "hello", "mood": "good"}
    answer = world.api("manager").post(f"/api/projects/{OWN}/conversations", json=note)
    assert answer.status_code == 422 and problem_fields(answer) == ["mood"], answer.text
    assert world.journal() == journal


def test_a_page_form_with_a_wrong_csrf_token_is_refused_with_403(world: World) -> None:
    journal = world.journal()
    browser = world.browser("manager")
    del browser.headers["x-csrf-token"]
    form = {"date": "2027-03-20", "notes": "forged", "csrf": "not-the-token"}
    answer = browser.post(f"/projects/{OWN}/conversations", data=form)
    assert answer.status_code == 403, answer.text
    assert "CSRF" in answer.text
    answer = browser.post(
        f"/api/projects/{OWN}/conversations", json={"notes": "forged"},
        headers={"x-csrf-token": "not-the-token"},
    )  # fmt: skip
    assert answer.status_code == 403, answer.text
    assert world.journal() == journal


def test_the_sixth_failed_sign_in_within_15_minutes_is_refused_even_with_the_right_password(
    world: World,
) -> None:
    person = world.people["member"]
    browser = world.browser(None)
    csrf = browser.headers["x-csrf-token"]

    def sign_in(password: str) -> int:
        form = {"email": person.email, "password": password, "csrf": csrf}
        return browser.post("/sign-in", data=form).status_code

    assert [sign_in("wrong-password-1") for _ in range(5)] == [401] * 5
    assert sign_in(person.password) == 429
    other = world.people["client"]
    form = {"email": other.email, "password": other.password, "csrf": csrf}
    assert browser.post("/sign-in", data=form).status_code == 303  # per address


def test_a_link_of_an_unknown_type_is_refused_naming_the_link_field(world: World) -> None:
    journal = world.journal()
    links = ["survey", {"task": "x", "type": "XX"}]
    body = {"version": world.task_version("train"), "after": links}
    answer = world.api("manager").put(f"/api/projects/{OWN}/tasks/train/dependencies", json=body)
    assert answer.status_code == 422, answer.text
    assert problem_fields(answer) == ["after.1.type"]
    assert world.journal() == journal
