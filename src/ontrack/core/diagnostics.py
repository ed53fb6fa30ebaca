"""Problems found in a plan, each with a stable code and where it is.

The core knows only the *path* of the offending value inside the plan (for example
``("tasks", 2, "after", 0, "task")``); the plan-file layer turns that path into a
file position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

Path = tuple[str | int, ...]
N = TypeVar("N")


def task_on_path(
    path: Path, roots: Sequence[N], children: Callable[[N], Sequence[N]]
) -> tuple[N | None, Path]:
    """The task a path is about, in a tree shaped like the plan's tasks (the plan's own,
    or an importer's rows), and the rest of the path: ("tasks", 2, "tasks", 0, "after",
    1) is the first task under the third, and ("after", 1)."""
    found, level = None, roots
    while len(path) > 1 and path[0] == "tasks" and isinstance(path[1], int):
        found = level[path[1]]
        level, path = children(found), path[2:]
    return found, path


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: Path = ()
    severity: Literal["error", "warning"] = "error"
    location: Location | None = None

    def at(self, location: Location) -> Diagnostic:
        return replace(self, location=location)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.code}: {self.message}"


class PlanError(Exception):
    """Raised with every problem of one plan; never carries a partial result."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics
