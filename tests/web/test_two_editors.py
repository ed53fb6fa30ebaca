"""Two people editing the same task: the first to save wins, the second is told who
changed what (before and after) and nothing of theirs is saved; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from web_world import OWN, World

from ontrack.web.app import create_app

TASK = f"/api/projects/{OWN}/tasks/install"


def read_task(client: Any, task_id: str = "install") -> dict[str, Any]:
    answer = client.get(f"/api/projects/{OWN}/tasks")
    assert answer.status_code == 200, answer.text
    return next(row for row in answer.json()["tasks"] if row["id"] == task_id)


def edits_of(world: World, task_id: str) -> list[Any]:
    return [e for e in world.journal() if e.entity_id == task_id and e.action != "import"]


def test_the_second_editor_with_the_old_version_gets_409_showing_the_first_change(
    world: World,
) -> None:
    first, second = world.api("manager"), world.api("owner")
    seen_by_first, seen_by_second = read_task(first), read_task(second)
    assert seen_by_first["version"] == seen_by_second["version"]
    version, before = seen_by_first["version"], seen_by_first["plan"]["duration"]

    won = first.patch(TASK, json={"version": version, "duration": "9d"})
    assert won.status_code == 200, won.text
    assert won.json()["task"]["plan"]["duration"] == "9d"
    assert won.json()["task"]["version"] > version

    lost = second.patch(TASK, json={"version": version, "duration": "2d"})
    assert lost.status_code == 409, lost.text
    changes = lost.json()["changes"]
    assert len(changes) == 1
    change = changes[0]
    assert change["who"] == world.people["manager"].email
    assert change["id"] == "install"
    assert set(change["before"]) == {"duration"} == set(change["after"])
    assert change["before"]["duration"] != change["after"]["duration"]
    assert before == "5d" and "9" in str(change["after"]["duration"])

    assert read_task(second)["plan"]["duration"] == "9d"
    assert len(edits_of(world, "install")) == 1


def test_two_threads_saving_the_same_version_at_once_leave_exactly_one_winner(
    world: World,
) -> None:
    version = read_task(world.api("manager"))["version"]
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def save(role: str, duration: str) -> None:
        client = world.api(role)
        barrier.wait()
        answers[duration] = client.patch(
            TASK, json={"version": version, "duration": duration}
        ).status_code

    threads = [
        threading.Thread(target=save, args=("manager", "7d")),
        threading.Thread(target=save, args=("owner", "11d")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers.values()) == [200, 409], answers
    winner = next(d for d, status in answers.items() if status == 200)
    assert read_task(world.api("member"))["plan"]["duration"] == winner
    assert len(edits_of(world, "install")) == 1


TWO_TASKS = """\
ontrack: 1
project: {id: two-tasks, name: Two tasks, start: 2027-03-01}
tasks:
  - {id: a, name: A, duration: 2d}
  - {id: b, name: B, duration: 3d}
"""


def test_two_links_that_close_a_cycle_only_together_are_not_both_saved(
    world: World, monkeypatch: Any
) -> None:
    """One editor's `a after b` was checked against a project where it closes no cycle;
    before it is written, someone on another server process on the same database saves
    `b after a`. The first change is checked again against the project as it now is,
    and refused. (Within one process, edits of a project take turns.)"""
    from ontrack.app import workspace

    first_checked, other_saved = threading.Event(), threading.Event()
    real = workspace.repository.update_task

    def write_after_the_other(*args: Any, **kwargs: Any) -> int:
        if args[2] == "a" and not first_checked.is_set():
            first_checked.set()
            assert other_saved.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace.repository, "update_task", write_after_the_other)
    tab = world.api("manager")
    token = {"authorization": f"Bearer {world.people['manager'].token}"}
    other_tab = TestClient(create_app(world.engine), headers=token)  # another process
    created = tab.post("/api/projects", content=TWO_TASKS)
    assert created.status_code == 201, created.text
    url = "/api/projects/two-tasks/tasks/{}"
    answers: dict[str, Any] = {}

    def link_a_after_b() -> None:
        answers["a"] = tab.patch(url.format("a"), json={"version": 1, "after": ["b"]})

    thread = threading.Thread(target=link_a_after_b)
    thread.start()
    assert first_checked.wait(30)  # checked, not yet written
    saved = other_tab.patch(url.format("b"), json={"version": 1, "after": ["a"]})
    assert saved.status_code == 200, saved.text
    other_saved.set()
    thread.join(30)

    refused = answers["a"]
    assert refused.status_code == 422, refused.text
    assert [p["code"] for p in refused.json()["problems"]] == ["cycle"]
    rows = {r["id"]: r for r in tab.get("/api/projects/two-tasks/tasks").json()["tasks"]}
    assert "after" not in rows["a"]["plan"] and rows["b"]["plan"]["after"] == ["a"]
