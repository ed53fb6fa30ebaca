"""Projects in the database: import, export, edit with optimistic locking, and history.

Every function works on a connection the caller holds: the caller (the app's use case)
owns the transaction, so a change and its journal entry commit or roll back together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ontrack.core.baseline import Baseline
from ontrack.core.model import Conversation, Plan, Task, edit_task
from ontrack.store import tables as t
from ontrack.store.mapping import (
    TASK_EDIT_FIELDS,
    Json,
    assignment_from_row,
    assignment_row,
    baseline_from_json,
    baseline_json,
    changed_task,
    conversation_from_json,
    conversation_json,
    dependency_from_row,
    dependency_row,
    plan_from_document,
    plan_from_json,
    plan_json,
    project_document,
    task_fields_json,
    task_from_row,
    task_row,
)

# Journal actions that hold the whole plan in `after`: where a replay of history starts.
_WHOLE_PLAN = ("import", "restore", "replace")


class NotFound(LookupError):
    pass


class ProjectExists(ValueError):
    pass


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: datetime
    who: str
    entity: str
    entity_id: str
    action: str
    version: int | None
    before: Json | None
    after: Json | None
    project_version: int | None = None
    """The project's version after the change (None in entries older than schema 0003)."""


class StaleVersion(Exception):
    """An edit based on an old version: `changes` are the journal entries made since."""

    def __init__(
        self,
        task_id: str,
        expected: int,
        changes: tuple[JournalEntry, ...],
        entity: str = "task",
    ) -> None:
        super().__init__(f"{entity} {task_id!r} has changed since version {expected}")
        self.entity = entity
        self.task_id = task_id
        self.expected = expected
        self.changes = changes


class ProjectMoved(Exception):
    """The project changed since the version the caller worked from: look again."""


@dataclass(frozen=True)
class ProjectSummary:
    key: str
    name: str
    version: int


def import_plan(conn: sa.Connection, plan: Plan, who: str) -> str:
    key = plan.project.id
    if conn.execute(sa.select(t.projects.c.id).where(t.projects.c.key == key)).first():
        raise ProjectExists(f"project {key!r} is already in the database")
    project_id = conn.execute(
        t.projects.insert()
        .values(key=key, name=plan.project.name, document=project_document(plan), version=1)
        .returning(t.projects.c.id)
    ).scalar_one()
    _insert_tasks(conn, project_id, plan.tasks, {})
    _journal(conn, project_id, 1, who, "project", key, "import", 1, None, plan_json(plan))
    return key


def export_plan(conn: sa.Connection, project: str) -> Plan:
    row = _project(conn, project)
    task_rows = conn.execute(
        sa.select(t.tasks).where(t.tasks.c.project_id == row.id).order_by(t.tasks.c.position)
    ).all()
    after = _by_task(conn, t.dependencies, row.id, dependency_from_row)
    resources = _by_task(conn, t.assignments, row.id, assignment_from_row)
    children: dict[int | None, list[Any]] = defaultdict(list)
    for task in task_rows:
        children[task.parent_id].append(task)

    def tree(parent: int | None) -> tuple[Task, ...]:
        return tuple(
            task_from_row(r, tuple(after[r.id]), tuple(resources[r.id]), tree(r.id))
            for r in children[parent]
        )

    return plan_from_document(row.document, tree(None))


def list_projects(conn: sa.Connection) -> list[ProjectSummary]:
    p = t.projects.c
    rows = conn.execute(sa.select(p.key, p.name, p.version).order_by(p.key))
    return [ProjectSummary(r.key, r.name, r.version) for r in rows]


def update_task(
    conn: sa.Connection,
    project: str,
    task_id: str,
    changes: Mapping[str, Any],
    expected_version: int,
    who: str,
    project_version: int | None = None,
) -> int:
    """Change fields of a task (plan-file names; its own row, `after` and `resources`,
    not its subtasks) if it is still at `expected_version`; return its new version.
    With `project_version`, only if the project is still at that version too, else
    ProjectMoved (the caller checked the change against that version of the project)."""
    unknown = set(changes) - TASK_EDIT_FIELDS
    if unknown:
        raise ValueError(f"not editable on a task here: {', '.join(sorted(unknown))}")
    project_id = _project(conn, project).id
    row = conn.execute(
        sa.select(t.tasks).where(t.tasks.c.project_id == project_id, t.tasks.c.key == task_id)
    ).first()
    if row is None:
        raise NotFound(f"no task {task_id!r} in project {project!r}")
    if row.version != expected_version:
        raise _stale(conn, project_id, task_id, expected_version)
    after = _by_task(conn, t.dependencies, project_id, dependency_from_row, row.id)
    resources = _by_task(conn, t.assignments, project_id, assignment_from_row, row.id)
    old = task_from_row(row, tuple(after[row.id]), tuple(resources[row.id]))
    new = changed_task(old, changes)
    fields = [name for name in changes if getattr(new, name) != getattr(old, name)]
    if not fields:
        return expected_version
    old_row, new_row = task_row(old), task_row(new)
    version = expected_version + 1
    # The version in the WHERE makes this a compare-and-set: a writer that got in since
    # the read above leaves nothing to update.
    updated = conn.execute(
        t.tasks.update()
        .where(t.tasks.c.id == row.id, t.tasks.c.version == expected_version)
        .values(version=version, **{k: v for k, v in new_row.items() if v != old_row[k]})
    )
    if updated.rowcount != 1:
        raise _stale(conn, project_id, task_id, expected_version)
    if "after" in fields:
        conn.execute(t.dependencies.delete().where(t.dependencies.c.task_id == row.id))
        _insert_links(conn, [(row.id, new)], [])
    if "resources" in fields:
        conn.execute(t.assignments.delete().where(t.assignments.c.task_id == row.id))
        _insert_links(conn, [], [(row.id, new)])
    before, after_json = task_fields_json(old, fields), task_fields_json(new, fields)
    moved = _touch(conn, project_id, project_version)
    _journal(conn, project_id, moved, who, "task", task_id, "update", version, before, after_json)
    return version


def task_versions(conn: sa.Connection, project: str) -> dict[str, int]:
    """Every task's current version, by task id."""
    project_id = _project(conn, project).id
    c = t.tasks.c
    return dict(conn.execute(sa.select(c.key, c.version).where(c.project_id == project_id)).all())


def project_version(conn: sa.Connection, project: str) -> int:
    return int(_project(conn, project).version)


def replace_plan(
    conn: sa.Connection, project: str, plan: Plan, expected_version: int, who: str
) -> int:
    """Make `plan` (an uploaded plan file) the project, if the project is still at
    `expected_version`; return the project's new version. History stays."""
    row = _project(conn, project)
    if plan.project.id != project:
        raise ValueError(
            f"the plan is project {plan.project.id!r}, not {project!r}: upload it as a new "
            "project, or change its project.id"
        )
    if row.version != expected_version:
        j = t.journal.c
        since = _entries(
            conn, sa.and_(j.project_id == row.id, j.project_version > expected_version)
        )
        raise StaleVersion(project, expected_version, tuple(since), entity="project")
    return _replace(conn, row, plan, "replace", None, who)


def add_conversation(
    conn: sa.Connection, project: str, conversation: Conversation, who: str
) -> int:
    """Add a note to the project's conversations log; return the project's new version.
    Notes only ever add, so no version is needed to make one."""
    row = _project(conn, project)
    plan = plan_from_document(row.document, ())
    document = project_document(replace(plan, conversations=(*plan.conversations, conversation)))
    version = _bump(conn, row, document)
    after = conversation_json(conversation)
    _journal(conn, row.id, version, who, "conversation", project, "add", version, None, after)
    return version


def save_baseline(conn: sa.Connection, project: str, baseline: Baseline, who: str) -> None:
    project_id = _project(conn, project).id
    b = t.baselines.c
    if conn.execute(
        sa.select(b.id).where(b.project_id == project_id, b.name == baseline.name)
    ).first():
        raise ProjectExists(f"project {project!r} already has a baseline {baseline.name!r}")
    document = baseline_json(baseline)
    conn.execute(
        t.baselines.insert().values(project_id=project_id, name=baseline.name, document=document)
    )
    after = {"name": baseline.name, "saved": document["saved"]}
    moved = _touch(conn, project_id)
    _journal(conn, project_id, moved, who, "baseline", baseline.name, "add", None, None, after)


def baselines(conn: sa.Connection, project: str) -> tuple[Baseline, ...]:
    """The project's saved baselines, oldest first."""
    project_id = _project(conn, project).id
    b = t.baselines.c
    rows = conn.execute(sa.select(b.document).where(b.project_id == project_id).order_by(b.id))
    return tuple(baseline_from_json(document) for (document,) in rows)


def journal_entries(conn: sa.Connection, project: str) -> list[JournalEntry]:
    project_id = _project(conn, project).id
    return _entries(conn, t.journal.c.project_id == project_id)


def project_at(conn: sa.Connection, project: str, journal_id: int) -> Plan:
    """The project as it was just after journal entry `journal_id`."""
    project_id = _project(conn, project).id
    j = t.journal.c
    history = _entries(conn, sa.and_(j.project_id == project_id, j.id <= journal_id))
    starts = [i for i, entry in enumerate(history) if entry.action in _WHOLE_PLAN]
    if not starts or history[-1].id != journal_id:
        raise NotFound(f"no journal entry {journal_id} for project {project!r}")
    start = history[starts[-1]]
    assert start.after is not None
    plan = plan_from_json(start.after)
    for entry in history[starts[-1] + 1 :]:
        plan = _replayed(plan, entry)
    return plan


@dataclass(frozen=True)
class CaughtUp:
    plan: Plan
    version: int
    baselines_changed: bool


def caught_up(conn: sa.Connection, project: str, plan: Plan, version: int) -> CaughtUp:
    """`plan`, the project at `version`, brought up to its newest version by replaying
    the journal's changes since (cheaper than exporting the whole project again)."""
    j = t.journal.c
    project_id = _project(conn, project).id
    since = _entries(conn, sa.and_(j.project_id == project_id, j.project_version > version))
    for entry in since:
        if entry.action in _WHOLE_PLAN:
            assert entry.after is not None
            plan = plan_from_json(entry.after)
        else:
            plan = _replayed(plan, entry)
    newest = max((entry.project_version or version for entry in since), default=version)
    return CaughtUp(plan, newest, any(entry.entity == "baseline" for entry in since))


def restore(conn: sa.Connection, project: str, journal_id: int, who: str) -> Plan:
    """Make the project what it was after `journal_id`, as a new change in the journal:
    later history stays, and every task's version moves on so stale edits are refused."""
    plan = project_at(conn, project, journal_id)
    _replace(conn, _project(conn, project), plan, "restore", {"journal_id": journal_id}, who)
    return plan


def _replace(
    conn: sa.Connection, row: Any, plan: Plan, action: str, before: Json | None, who: str
) -> int:
    """Put `plan` in the project's place as one journal entry holding all of it. Every
    task's version moves on, so an edit started before this is refused."""
    c = t.tasks.c
    versions = dict(conn.execute(sa.select(c.key, c.version).where(c.project_id == row.id)).all())
    # Subtasks, links and assignments go with their tasks (ON DELETE CASCADE).
    conn.execute(t.tasks.delete().where(c.project_id == row.id))
    version = _bump(conn, row, project_document(plan), plan.project.name)
    _insert_tasks(conn, row.id, plan.tasks, {key: v + 1 for key, v in versions.items()})
    _journal(
        conn, row.id, version, who, "project", row.key, action, version, before, plan_json(plan)
    )
    return version


def _touch(conn: sa.Connection, project_id: int, expected: int | None = None) -> int:
    """Move the project's version on for a change to one of its parts. The row lock this
    takes orders the project's changes as they commit, so its version says which state a
    reader saw (the app caches schedules by it), and an upload based on an older state is
    refused rather than overwriting the change."""
    p = t.projects.c
    where = (
        p.id == project_id
        if expected is None
        else sa.and_(p.id == project_id, p.version == expected)
    )
    moved = conn.execute(
        t.projects.update().where(where).values(version=p.version + 1).returning(p.version)
    ).scalar()
    if moved is None:
        raise ProjectMoved(f"the project has changed since version {expected}")
    return int(moved)


def _bump(conn: sa.Connection, row: Any, document: Json, name: str | None = None) -> int:
    """Write the project's document with the next version (compare-and-set on the old)."""
    version = int(row.version) + 1
    updated = conn.execute(
        t.projects.update()
        .where(t.projects.c.id == row.id, t.projects.c.version == row.version)
        .values(name=name or row.name, document=document, version=version)
    )
    if updated.rowcount != 1:
        raise StaleVersion(row.key, int(row.version), (), entity="project")
    return version


def _replayed(plan: Plan, entry: JournalEntry) -> Plan:
    """The plan after a journal entry that changed part of it (baselines are no part)."""
    after = entry.after
    if entry.entity == "task":
        assert after is not None
        return edit_task(plan, entry.entity_id, lambda task: (changed_task(task, after),))
    if entry.entity == "conversation":
        assert after is not None
        return replace(plan, conversations=(*plan.conversations, conversation_from_json(after)))
    return plan


def _project(conn: sa.Connection, key: str) -> Any:
    row = conn.execute(sa.select(t.projects).where(t.projects.c.key == key)).first()
    if row is None:
        raise NotFound(f"no project {key!r}")
    return row


def _insert_tasks(
    conn: sa.Connection, project_id: int, tasks: tuple[Task, ...], versions: Mapping[str, int]
) -> None:
    """Insert the task tree (a row at a time: children need their parent's id), then every
    link and assignment in two batches."""
    inserted: list[tuple[int, Task]] = []

    def insert(level: tuple[Task, ...], parent_id: int | None) -> None:
        for position, task in enumerate(level):
            row_id = conn.execute(
                t.tasks.insert()
                .values(
                    project_id=project_id,
                    parent_id=parent_id,
                    position=position,
                    version=versions.get(task.id, 1),
                    **task_row(task),
                )
                .returning(t.tasks.c.id)
            ).scalar_one()
            inserted.append((row_id, task))
            insert(task.tasks, row_id)

    insert(tasks, None)
    _insert_links(conn, inserted, inserted)


def _insert_links(
    conn: sa.Connection,
    with_links: list[tuple[int, Task]],
    with_resources: list[tuple[int, Task]],
) -> None:
    """The `after` links of the first tasks and the resources of the second, by row id."""
    links = [
        {"task_id": row_id, "position": i, **dependency_row(d)}
        for row_id, task in with_links
        for i, d in enumerate(task.after)
    ]
    assigned = [
        {"task_id": row_id, "position": i, **assignment_row(r, units)}
        for row_id, task in with_resources
        for i, (r, units) in enumerate(task.resources)
    ]
    if links:
        conn.execute(t.dependencies.insert(), links)
    if assigned:
        conn.execute(t.assignments.insert(), assigned)


def _by_task(
    conn: sa.Connection,
    table: sa.Table,
    project_id: int,
    from_row: Callable[[Any], Any],
    task_row_id: int | None = None,
) -> defaultdict[int, list[Any]]:
    """The rows of a task's child table for a whole project (or one task), per task row
    id, in order."""
    query = (
        sa.select(table)
        .join(t.tasks, table.c.task_id == t.tasks.c.id)
        .where(t.tasks.c.project_id == project_id)
        .order_by(table.c.task_id, table.c.position)
    )
    if task_row_id is not None:
        query = query.where(table.c.task_id == task_row_id)
    rows = conn.execute(query)
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.task_id].append(from_row(row))
    return grouped


def _stale(conn: sa.Connection, project_id: int, task_id: str, expected: int) -> StaleVersion:
    j = t.journal.c
    since = _entries(
        conn,
        sa.and_(
            j.project_id == project_id,
            j.entity == "task",
            j.entity_id == task_id,
            j.version > expected,
        ),
    )
    return StaleVersion(task_id, expected, tuple(since))


def _entries(conn: sa.Connection, where: sa.ColumnElement[bool]) -> list[JournalEntry]:
    j = t.journal.c
    columns = [getattr(j, f.name) for f in fields(JournalEntry)]
    rows = conn.execute(sa.select(*columns).where(where).order_by(j.id))
    return [JournalEntry(**row._mapping) for row in rows]


def _journal(
    conn: sa.Connection,
    project_id: int,
    project_version: int,
    who: str,
    entity: str,
    entity_id: str,
    action: str,
    version: int | None,
    before: Json | None,
    after: Json | None,
) -> None:
    conn.execute(
        t.journal.insert().values(
            at=datetime.now(UTC),
            who=who,
            project_id=project_id,
            project_version=project_version,
            entity=entity,
            entity_id=entity_id,
            action=action,
            version=version,
            before=before,
            after=after,
        )
    )
