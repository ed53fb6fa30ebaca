"""What the web app's routes share: the database's use cases, the clock and the templates."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from fastapi.templating import Jinja2Templates

from ontrack.app.workspace import Workspace

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


class Fragments:
    """Rendered pieces of pages that depend only on a project version (and the like):
    the task table's 500 rows take 40 ms to render, a third of a core under load if
    every view of the page renders them again."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: Hashable, render: Callable[[], str]) -> str:
        with self._lock:
            found = self._kept.get(name)
            if found is not None:
                self._kept.move_to_end(name)
                return found
        made = render()  # outside the lock: two first views may both render, harmlessly
        with self._lock:
            self._kept[name] = made
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return made


@dataclass(frozen=True)
class State:
    engine: sa.Engine
    workspace: Workspace
    templates: Jinja2Templates
    now: Callable[[], datetime]
    """The clock, UTC; tests pass their own."""
    fragments: Fragments = field(default_factory=Fragments)

    def today(self) -> date:
        return self.now().date()
