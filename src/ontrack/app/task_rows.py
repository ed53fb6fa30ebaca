"""The task table's rows (the plan's fields, the schedule's dates, the version an edit must
name), each reused from the project's version before when nothing it shows has changed.

An edit moves a few tasks' dates, but every edit makes a new version, and building 500
rows again for each (the plan fields in file notation above all) cost a sixth of the web
process under load. A row is reused when its task is the same object (the plan shares
unchanged tasks between versions), with the same schedule result, delay, parent and
version; the row is then the same dict, which the web layer's fragments key on too."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ontrack.app.current import Current
from ontrack.app.schedule_json import task_json
from ontrack.core.explain import Delay
from ontrack.core.model import Task
from ontrack.core.results import TaskResult
from ontrack.planfile.dump import task_data


@dataclass(frozen=True)
class _Made:
    task: Task
    result: TaskResult
    delay: Delay | None
    parent: str | None
    version: int
    row: dict[str, Any]


class TaskRows:
    def __init__(self) -> None:
        self._last: dict[str, dict[str, _Made]] = {}  # by project, the rows made last
        self._lock = threading.Lock()

    def of(self, now: Current) -> list[dict[str, Any]]:
        sched = now.scheduled.schedule
        with self._lock:
            last = self._last.get(now.key, {})
        made: dict[str, _Made] = {}
        for task, up in now.plan.walk_tasks():
            result, delay = sched.task(task.id), sched.delay(task.id)
            parent, version = up.id if up else None, now.task_versions[task.id]
            before = last.get(task.id)
            if before is not None and (
                before.task is task
                and before.result == result
                and before.delay == delay
                and (before.parent, before.version) == (parent, version)
            ):
                made[task.id] = before
                continue
            row = {
                **task_json(result, delay),
                "parent": parent,
                "version": version,
                "plan": task_data(task),
            }
            made[task.id] = _Made(task, result, delay, parent, version, row)
        with self._lock:
            self._last[now.key] = made
        return [m.row for m in made.values()]
