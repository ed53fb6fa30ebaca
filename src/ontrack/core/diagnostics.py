"""Problems found in a plan, each with a stable code and where it is.

The core knows only the *path* of the offending value inside the plan (for example
``("tasks", 2, "after", 0, "task")``); the plan-file layer turns that path into a
file position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Path = tuple[str | int, ...]


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
