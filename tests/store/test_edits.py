"""Edits the web app makes beyond a task's own fields: its links and resources, a whole
uploaded plan, conversation notes and baselines; each journalled and replayable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from ontrack.app.tracking import current_baseline
from ontrack.core.model import Conversation, Dependency, Duration, Plan, Task, edit_task
from ontrack.planfile import dump_plan
from ontrack.store import StaleVersion, export_plan, journal_entries, project_at, update_task
from ontrack.store.repository import (
    ProjectMoved,
    add_conversation,
    baselines,
    caught_up,
    project_version,
    replace_plan,
    save_baseline,
    task_versions,
)


def _task(plan: Plan, task_id: str) -> Task:
    return next(task for task, _ in plan.walk_tasks() if task.id == task_id)


def test_a_tasks_links_and_resources_are_replaced_and_come_back_in_history(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    links = (Dependency("hld", "FS", Duration(1, "d"), False),)
    with engine.begin() as conn:
        update_task(
            conn, project, "flow-list", {"after": links, "resources": (("otarch", 0.5),)}, 1, "ana"
        )
        first = journal_entries(conn, project)[-1].id
        update_task(conn, project, "flow-list", {"resources": ()}, 2, "ana")
    with engine.connect() as conn:
        now = export_plan(conn, project)
        then = project_at(conn, project, first)
    assert _task(now, "flow-list").after == links
    assert _task(now, "flow-list").resources == ()
    assert _task(then, "flow-list").resources == (("otarch", 0.5),)
    # Other tasks' links are untouched.
    assert _task(now, "design-review").after == _task(plan, "design-review").after


def test_an_uploaded_plan_replaces_the_project_and_moves_every_version_on(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    renamed = edit_task(plan, "flow-list", lambda t: (replace(t, name="Flows, agreed"),))
    with engine.begin() as conn:
        before = task_versions(conn, project)
        version = replace_plan(conn, project, renamed, project_version(conn, project), "pm")
    with engine.connect() as conn:
        assert dump_plan(export_plan(conn, project)) == dump_plan(renamed)
        after = task_versions(conn, project)
        assert journal_entries(conn, project)[-1].action == "replace"
    assert version == 2
    assert all(after[key] == before[key] + 1 for key in before)
    with pytest.raises(StaleVersion), engine.begin() as conn:
        replace_plan(conn, project, plan, 1, "someone-late")


def test_a_plan_for_another_project_is_not_uploaded_over_this_one(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    other = replace(plan, project=replace(plan.project, id="someone-else"))
    with pytest.raises(ValueError, match="someone-else"), engine.begin() as conn:
        replace_plan(conn, project, other, 1, "pm")


def test_a_conversation_note_is_added_and_history_replays_it(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    note = Conversation(date(2027, 3, 20), "Plant manager", "Trials moved a week", ())
    with engine.begin() as conn:
        add_conversation(conn, project, note, "ana")
        entry = journal_entries(conn, project)[-1]
    with engine.connect() as conn:
        assert export_plan(conn, project).conversations == (*plan.conversations, note)
        assert project_at(conn, project, entry.id).conversations[-1] == note
    assert (entry.entity, entry.action, entry.who) == ("conversation", "add", "ana")


def test_baselines_are_kept_in_order_and_a_name_is_used_once(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    taken = current_baseline(plan, date(2027, 3, 20))
    first, second = replace(taken, name="first"), replace(taken, name="second")
    with engine.begin() as conn:
        save_baseline(conn, project, first, "pm")
        save_baseline(conn, project, second, "pm")
    with engine.connect() as conn:
        assert baselines(conn, project) == (first, second)
    with pytest.raises(ValueError, match="first"), engine.begin() as conn:
        save_baseline(conn, project, first, "pm")


def test_a_task_edit_moves_the_project_on_so_an_upload_from_before_it_is_refused(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    with engine.begin() as conn:
        seen = project_version(conn, project)
        update_task(conn, project, "flow-list", {"percent_complete": 90}, 1, "ana")
        assert project_version(conn, project) == seen + 1
    # The upload was prepared from what the uploader saw: it would undo Ana's progress.
    with pytest.raises(StaleVersion) as refused, engine.begin() as conn:
        replace_plan(conn, project, plan, seen, "pm")
    assert refused.value.entity == "project"
    assert [(c.who, c.entity_id) for c in refused.value.changes] == [("ana", "flow-list")]
    with engine.connect() as conn:
        assert _task(export_plan(conn, project), "flow-list").percent_complete == 90


def test_an_edit_onto_a_project_version_that_moved_on_is_refused_and_catching_up_replays(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    with engine.begin() as conn:
        seen = project_version(conn, project)
        update_task(conn, project, "hld", {"notes": "Ana's note"}, 1, "ana")
    with pytest.raises(ProjectMoved), engine.begin() as conn:
        update_task(conn, project, "flow-list", {"notes": "Bo's"}, 1, "bo", project_version=seen)
    with engine.connect() as conn:
        up = caught_up(conn, project, plan, seen)
        assert dump_plan(up.plan) == dump_plan(export_plan(conn, project))
        assert (up.version, up.baselines_changed) == (seen + 1, False)
        assert (
            _task(export_plan(conn, project), "flow-list").notes == _task(plan, "flow-list").notes
        )
