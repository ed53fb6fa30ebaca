"""Plan text to a checked core Plan, or a PlanError with every problem of the file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ontrack.core.collector import collector_paused
from ontrack.core.diagnostics import Diagnostic, Location, PlanError
from ontrack.core.model import Plan, Task
from ontrack.core.validate import validate
from ontrack.planfile.build import build_plan
from ontrack.planfile.check import check
from ontrack.planfile.impacts import at_written_keys, wrong_keys
from ontrack.planfile.parse import Document, load_document
from ontrack.planfile.positions import locate
from ontrack.planfile.schema import shown

_MISSING = frozenset({"missing-field", "missing-duration"})  # located at the mapping's first key


def parse_plan(text: str, filename: str = "<plan>") -> Plan:
    """The plan in the first YAML document of `text`; later documents are ignored."""
    with collector_paused():
        return _parse(text, filename)


def _parse(text: str, filename: str) -> Plan:
    document = load_document(text, filename)
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"{shown(document.data)}, not a mapping"
        problem = Diagnostic(
            "not-a-mapping",
            f"the plan is {what}: a plan file is a mapping that starts with `ontrack: 1` "
            "and `project:`",
        )
        raise PlanError([*document.problems, _at(problem, document, filename)])
    return checked_plan(document, document.data, filename)


def checked_plan(
    document: Document, data: dict[str, Any], filename: str, found: Sequence[Diagnostic] = ()
) -> Plan:
    """The plan `data` (the document's, or made from it) builds, or a PlanError with every
    problem, `found` ones too, located in the document."""
    plan, unlocated = _checked(data)
    problems = located(document, filename, [*found, *unlocated])
    if plan is None or any(d.severity == "error" for d in problems):
        raise PlanError(problems)
    return plan


def plan_from_data(data: dict[str, Any]) -> Plan:
    """The plan that plan-file data (as `plan_data` gives, then edited) builds, checked as
    a file would be; or a PlanError whose problems carry their paths, not positions."""
    plan, problems = _checked(data)
    if plan is None or any(d.severity == "error" for d in problems):
        raise PlanError(problems)
    return plan


# What a task needs around it to be checked on its own (its references are checked with
# the whole plan, by the core's validate).
_ANY_PROJECT = {"id": "p", "name": "p", "start": "2000-01-03"}


def task_from_data(data: dict[str, Any]) -> Task:
    """One task from plan-file data (as `task_data` gives it, changed), with the checks a
    plan file's task gets on its own; a PlanError's paths are within the task. Its
    references and its place in the plan are for `validate` on the plan it goes into."""
    checked = check({"ontrack": 1, "project": _ANY_PROJECT, "tasks": [data]})
    problems = [replace(d, path=d.path[2:]) for d in checked.problems]
    if checked.schema is None or any(d.severity == "error" for d in problems):
        raise PlanError(problems)
    return build_plan(checked.schema).tasks[0]


def _checked(data: dict[str, Any]) -> tuple[Plan | None, list[Diagnostic]]:
    """The plan `data` builds (None when it cannot be built) and every problem, by path."""
    checked = check(data)
    plan = build_plan(checked.schema) if checked.schema else None
    problems = list(checked.problems)
    if plan is not None:
        semantic = validate(plan, checked.unbuilt_ids)
        problems += at_written_keys(
            [replace(d, path=checked.file_path(d.path)) for d in semantic], data
        )
        problems += wrong_keys(plan, data, checked.file_path)
    return plan, problems


def located(document: Document, filename: str, problems: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The document's own problems and `problems` (found by path), located, in file order."""
    return sorted(document.problems + [_at(d, document, filename) for d in problems], key=_order)


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """The plan in the file at `path` (UTF-8)."""
    return parse_plan(read_text(path), str(path))


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of a file, or a located PlanError."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        where = Location(name, 1, 1)
        raise PlanError([Diagnostic("file-unreadable", message, location=where)]) from None
    return decode_text(raw, name)


def decode_text(raw: bytes, name: str) -> str:
    """The UTF-8 text of a file's bytes (read, or uploaded), or a located PlanError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        where = Location(name, raw.count(b"\n", 0, error.start) + 1, column)
        message = "the file is not UTF-8 text: save it as UTF-8"
        raise PlanError([Diagnostic("yaml-syntax", message, location=where)]) from None
    return text


def _at(diagnostic: Diagnostic, document: Document, filename: str) -> Diagnostic:
    first_key = diagnostic.code in _MISSING
    line, column = locate(document.positions, diagnostic.path, first_key=first_key)
    return diagnostic.at(Location(filename, line, column))


def _order(diagnostic: Diagnostic) -> tuple[int, int, str]:
    where = diagnostic.location
    return (where.line, where.column, diagnostic.code) if where else (0, 0, diagnostic.code)
