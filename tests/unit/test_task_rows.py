"""The task table's rows after an edit: the same as rows built afresh, and the rows of
the tasks the edit did not touch are the very same objects (what the web layer's
rendered rows are kept by)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ontrack.app.current import Current
from ontrack.app.services import Scheduled, schedule_options
from ontrack.app.task_rows import TaskRows
from ontrack.core.model import Duration, Plan, edit_task
from ontrack.core.schedule import schedule
from ontrack.planfile import load_plan
from ontrack.web.context import Fragments

PLAN = load_plan(Path(__file__).parents[2] / "examples" / "plant-wifi.yaml")


def current(plan: Plan, version: int, versions: dict[str, int]) -> Current:
    return Current("p", version, Scheduled(plan, schedule(plan, schedule_options())), (), versions)


def test_rows_after_an_edit_equal_fresh_ones_and_reuse_what_did_not_change() -> None:
    versions = {t.id: 1 for t, _ in PLAN.walk_tasks()}
    rows = TaskRows()
    before = {r["id"]: r for r in rows.of(current(PLAN, 1, versions))}
    edited = edit_task(PLAN, "lessons", lambda t: (replace(t, duration=Duration(2, "d")),))
    after_state = current(edited, 2, {**versions, "lessons": 2})
    after = rows.of(after_state)
    assert after == TaskRows().of(after_state)
    by_id = {r["id"]: r for r in after}
    assert by_id["lessons"] is not before["lessons"]
    assert by_id["lessons"]["plan"]["duration"] == "2d"
    kept = [i for i in by_id if by_id[i] is before[i]]
    assert "requirements" in kept and len(kept) > len(by_id) // 2


def test_a_reloaded_plan_builds_every_row_again() -> None:
    versions = {t.id: 1 for t, _ in PLAN.walk_tasks()}
    rows = TaskRows()
    first = rows.of(current(PLAN, 1, versions))
    again = rows.of(current(replace(PLAN, tasks=tuple(PLAN.tasks)), 2, versions))
    assert again == first
    reloaded = load_plan(Path(__file__).parents[2] / "examples" / "plant-wifi.yaml")
    fresh = rows.of(current(reloaded, 3, versions))
    assert fresh == first and all(a is not b for a, b in zip(fresh, first, strict=True))


def test_a_fragment_is_used_again_only_for_the_same_object() -> None:
    fragments, rendered = Fragments(), []

    def render(row: dict[str, str]) -> str:
        rendered.append(row["id"])
        return f"<tr>{row['id']}</tr>"

    a = {"id": "a"}
    assert fragments.get(a, "editor", lambda: render(a)) == "<tr>a</tr>"
    assert fragments.get(a, "editor", lambda: render(a)) == "<tr>a</tr>"
    twin = {"id": "a"}  # equal, but another row: rendered for itself
    fragments.get(twin, "editor", lambda: render(twin))
    fragments.get(a, "member", lambda: render(a))
    assert rendered == ["a", "a", "a"]
