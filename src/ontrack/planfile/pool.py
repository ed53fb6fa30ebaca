"""The files of a portfolio: the pool file of shared people, and positions in plan files.

A pool file is the `resources` list of a plan file (and the `calendars` they name), in
the same syntax, checked by the same rules: it is read as a plan around a stand-in
project, so every problem is located as in `ontrack check`.
"""

from __future__ import annotations

import os

from ontrack.core.collector import collector_paused
from ontrack.core.diagnostics import Diagnostic, Location, Path
from ontrack.core.portfolio import Pool
from ontrack.core.validate import KEY
from ontrack.planfile.parse import load_document
from ontrack.planfile.positions import locate
from ontrack.planfile.read import checked_plan, read_text

POOL_FIELDS = ("resources", "calendars")
_STAND_IN = {"ontrack": 1, "project": {"id": "pool", "name": "pool", "start": "0001-01-01"}}
_WHAT = "a pool file is a mapping with `resources:` (and the `calendars:` they name)"


def load_pool(path: str | os.PathLike[str]) -> Pool:
    """The pool in the file at `path`, or a PlanError with every problem of the file."""
    name = str(path)
    with collector_paused():
        document = load_document(read_text(path), name)
        mapping = isinstance(document.data, dict)
        data = document.data if mapping else {}
        found = [] if mapping else [Diagnostic("not-a-mapping", f"this is no pool: {_WHAT}")]
        found += [
            Diagnostic("unknown-field", f"a pool file has no `{key}`: {_WHAT}", (key, KEY))
            for key in data
            if key not in POOL_FIELDS
        ]
        if mapping and "resources" not in data:
            found.append(Diagnostic("missing-field", f"the pool has no `resources`: {_WHAT}"))
        kept = {key: value for key, value in data.items() if key in POOL_FIELDS}
        plan = checked_plan(document, {**_STAND_IN, **kept}, name, found)
    return Pool(plan.resources, plan.calendars)


def location_in(path: str | os.PathLike[str], at: Path) -> Location:
    """Where the value at `at` is written in the (readable, YAML) file at `path`."""
    name = str(path)
    line, column = locate(load_document(read_text(path), name).positions, at)
    return Location(name, line, column)
