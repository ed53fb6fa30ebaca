"""Whether a risk's impact is on a task or on a program milestone is the file's to say.

The core keeps one target id per impact (ids are unique across tasks and program
milestones); the file writes it under `task:` or `milestone:`. Here the semantic
problems about a target are put at the key the file used, and a target written under
the wrong key is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ontrack.core.diagnostics import Diagnostic, Path
from ontrack.core.model import Plan

_IMPACT = 4  # ("risks", i, "impacts", j)


def at_written_keys(problems: Sequence[Diagnostic], data: dict[str, Any]) -> list[Diagnostic]:
    """`problems` (by file path), a target's moved from `task` to `milestone` where the
    file wrote `milestone:`."""
    return [
        replace(d, path=(*d.path[:_IMPACT], "milestone")) if _on_milestone(d.path, data) else d
        for d in problems
    ]


def _on_milestone(path: Path, data: dict[str, Any]) -> bool:
    return (
        len(path) == _IMPACT + 1
        and path[0] == "risks"
        and path[2] == "impacts"
        and path[-1] == "task"
        and _written_key(data, path[:_IMPACT]) == "milestone"
    )


def wrong_keys(
    plan: Plan, data: dict[str, Any], file_path: Callable[[Path], Path]
) -> Iterator[Diagnostic]:
    """A program milestone written under `task:`, or a task under `milestone:`."""
    milestones = {m.id for m in plan.program.milestones} if plan.program else set()
    tasks = {task.id for task, _ in plan.walk_tasks()}
    for i, risk in enumerate(plan.risks):
        for j, impact in enumerate(risk.impacts):
            path = file_path(("risks", i, "impacts", j))
            key, target = _written_key(data, path), impact.target
            if key == "task" and target in milestones and target not in tasks:
                yield Diagnostic(
                    "bad-impact",
                    f"'{target}' is a program milestone, not a task: write `milestone: {target}`",
                    (*path, "task"),
                )
            elif key == "milestone" and target in tasks and target not in milestones:
                yield Diagnostic(
                    "bad-impact",
                    f"'{target}' is a task, not a program milestone: write `task: {target}`",
                    (*path, "milestone"),
                )


def _written_key(data: Any, path: Path) -> str:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return "task"
    return "milestone" if isinstance(data, dict) and "milestone" in data else "task"
