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
    """Rendered pieces of pages, each kept with the object it shows and used again only for
    that same object: the task table's rows, which the app hands out again unchanged
    (app/task_rows.py) when nothing a row shows has changed. Rendering 500 rows takes 40
    ms; with a version every few edits, most views would render all of them again."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, tuple[object, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, shown: object, variant: Hashable, render: Callable[[], str]) -> str:
        """`shown` rendered (for `variant`, like the viewer's kind of role)."""
        name = (id(shown), variant)
        with self._lock:
            found = self._kept.get(name)
            if found is not None and found[0] is shown:  # an id is only unique while alive
                self._kept.move_to_end(name)
                return found[1]
        made = render()  # outside the lock: two first views may both render, harmlessly
        with self._lock:
            self._kept[name] = (shown, made)
            self._kept.move_to_end(name)
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
