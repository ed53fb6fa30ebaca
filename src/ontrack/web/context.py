"""What the web app's routes share: the database's use cases, the clock and the templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from fastapi.templating import Jinja2Templates

from ontrack.app.workspace import Workspace

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


@dataclass(frozen=True)
class State:
    engine: sa.Engine
    workspace: Workspace
    templates: Jinja2Templates
    now: Callable[[], datetime]
    """The clock, UTC; tests pass their own."""

    def today(self) -> date:
        return self.now().date()
