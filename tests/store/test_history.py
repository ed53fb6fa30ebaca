from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from ontrack.core.model import Duration, Plan, Task, edit_task
from ontrack.planfile import dump_plan
from ontrack.store import (
    NotFound,
    StaleVersion,
    export_plan,
    journal_entries,
    project_at,
    repository,
    restore,
    update_task,
)
from ontrack.store.tables import journal, tasks


def _task(plan: Plan, task_id: str) -> Task:
    return next(task for task, _ in plan.walk_tasks() if task.id == task_id)


def _version(engine: sa.Engine, task_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(tasks.c.version).where(tasks.c.key == task_id)).scalar_one()


def test_an_update_changes_the_task_and_journals_before_and_after(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    with engine.begin() as conn:
        version = update_task(
            conn,
            project,
            "flow-list",
            {"percent_complete": 80, "duration": Duration(3, "d")},
            1,
            "ana",
        )
    with engine.connect() as conn:
        exported = export_plan(conn, project)
        entry = journal_entries(conn, project)[-1]
    expected = edit_task(
        plan, "flow-list", lambda t: (replace(t, percent_complete=80, duration=Duration(3, "d")),)
    )
    assert version == 2
    assert dump_plan(exported) == dump_plan(expected)
    assert (entry.who, entry.entity, entry.entity_id, entry.action) == (
        "ana", "task", "flow-list", "update",
    )  # fmt: skip
    assert entry.after == {"percent_complete": 80.0, "duration": {"value": 3.0, "unit": "d"}}
    assert entry.before is not None and set(entry.before) == {"percent_complete", "duration"}


def test_an_update_from_a_stale_version_is_refused_with_what_changed_since(
    engine: sa.Engine, project: str
) -> None:
    with engine.begin() as conn:
        update_task(conn, project, "flow-list", {"notes": "Ana's"}, 1, "ana")
    with engine.begin() as conn, pytest.raises(StaleVersion) as refused:
        update_task(conn, project, "flow-list", {"notes": "Ben's"}, 1, "ben")
    [change] = refused.value.changes
    assert (change.who, change.version, change.after) == ("ana", 2, {"notes": "Ana's"})
    with engine.connect() as conn:
        assert _task(export_plan(conn, project), "flow-list").notes == "Ana's"


def test_the_journal_entry_and_the_change_commit_together(
    engine: sa.Engine, project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def journal_then_fail(*args: object) -> None:
        real_journal(*args)
        raise RuntimeError("the database went away")

    real_journal = repository._journal
    monkeypatch.setattr(repository, "_journal", journal_then_fail)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        update_task(conn, project, "flow-list", {"percent_complete": 90}, 1, "ana")
    with engine.connect() as conn:
        actions = conn.execute(sa.select(journal.c.action)).scalars().all()
    assert actions == ["import"]
    assert _version(engine, "flow-list") == 1


def test_an_unknown_field_or_task_or_a_bad_value_is_refused(
    engine: sa.Engine, project: str
) -> None:
    with engine.begin() as conn:
        with pytest.raises(ValueError, match="tasks"):
            update_task(conn, project, "flow-list", {"tasks": []}, 1, "ana")
        with pytest.raises(NotFound):
            update_task(conn, project, "no-such-task", {"notes": "x"}, 1, "ana")
        with pytest.raises(ValueError, match="kind"):
            update_task(conn, project, "flow-list", {"kind": "party"}, 1, "ana")
    assert _version(engine, "flow-list") == 1


def test_an_earlier_version_is_rebuilt_from_the_journal_and_restored(
    engine: sa.Engine, project: str, plan: Plan
) -> None:
    with engine.begin() as conn:
        update_task(conn, project, "flow-list", {"actual_start": date(2027, 3, 22)}, 1, "ana")
        update_task(conn, project, "flow-list", {"percent_complete": 75}, 2, "ana")
        first, second = (e.id for e in journal_entries(conn, project)[1:])
        at_first = project_at(conn, project, first)
        assert dump_plan(project_at(conn, project, second)) == dump_plan(export_plan(conn, project))
    assert _task(at_first, "flow-list").actual_start == date(2027, 3, 22)
    assert _task(at_first, "flow-list").percent_complete == 50

    with engine.begin() as conn:
        restore(conn, project, first, "pm")
        restored = export_plan(conn, project)
    assert dump_plan(restored) == dump_plan(at_first)
    assert _version(engine, "flow-list") == 4  # an edit from before the restore is stale
