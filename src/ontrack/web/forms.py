"""Form fields to use-case values: the task table's inline editing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from ontrack.app.workspace import EDITABLE_FIELDS, Invalid, Problem


def task_changes(form: FormData) -> tuple[dict[str, Any], int]:
    """The fields the form sent (an empty one clears the field) and the row's version.
    Links are written as in a plan file's short form, comma-separated: `hld, cable-run
    SS+2d`; resources as `tech: 1, pm: 0.5`."""
    version = form.get("version")
    if not isinstance(version, str) or not version.isdigit():
        raise Invalid([Problem("version", "missing", "the form has no version: reload the page")])
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in EDITABLE_FIELDS & set(form.keys()):
        value = form.get(name)
        text = value.strip() if isinstance(value, str) else ""
        try:
            changes[name] = _parsers.get(name, _plain)(text)
        except ValueError as error:
            problems.append(Problem(name, "bad-value", str(error)))
    if problems:
        raise Invalid(problems)
    return changes, int(version)


def _plain(text: str) -> Any:
    return text or None


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"write a number, not {text!r}") from None


def _links(text: str) -> list[Any]:
    """`hld, cable-run SS+2d, x FF-1d` -> plan-file `after` entries."""
    links: list[Any] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        task, _, rest = item.partition(" ")
        rest = rest.strip()
        if not rest:
            links.append(task)
            continue
        kind, sign, lag = rest[:2].upper(), rest[2:3], rest[3:].strip()
        if (
            kind not in ("FS", "SS", "FF", "SF")
            or (sign and sign not in "+-")
            or (sign and not lag)
        ):
            raise ValueError(
                f"{item!r}: write a link as a task id, optionally with its type and lag, like "
                "'hld' or 'cable-run SS+2d'"
            )
        entry: dict[str, Any] = {"task": task, "type": kind}
        if lag:
            entry["lag"] = f"-{lag}" if sign == "-" else lag
        links.append(entry)
    return links


def _resources(text: str) -> dict[str, float]:
    """`tech: 1, pm: 0.5` (or `tech` for 1) -> plan-file `resources`."""
    resources: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, units = item.partition(":")
        try:
            resources[name.strip()] = float(units) if units.strip() else 1.0
        except ValueError:
            raise ValueError(f"{item!r}: write a resource as 'id: units', like 'tech: 1'") from None
    return resources


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


_parsers: dict[str, Callable[[str], Any]] = {
    "after": _links,
    "resources": _resources,
    "outcomes": _ids,
    "cost": _number,
    "percent_complete": _number,
    "actual_cost": _number,
}


def form_values(fields: dict[str, Any]) -> dict[str, str]:
    """A task's plan-file fields as the task table's inputs show them (what
    `task_changes` reads back); a field the task does not have is empty."""
    values = {name: "" for name in EDITABLE_FIELDS}
    values.update((name, readable(value)) for name, value in fields.items())
    return values


def readable(value: Any) -> str:
    """A journal value as a person reads it: {"value": 3, "unit": "d"} as 3d, links as in
    the task table (`hld SS+2d`), resources as `tech: 1`, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        if set(value) == {"value", "unit"}:
            return f"{readable(value['value'])}{value['unit']}"
        if "task" in value:
            lag = value.get("lag")
            lag_text = "" if lag is None else readable(lag)
            sign = "" if not lag_text or lag_text.startswith("-") else "+"
            kind = value.get("type") or "FS"
            return f"{value['task']}" + (f" {kind}{sign}{lag_text}" if kind != "FS" or lag else "")
        return ", ".join(f"{k}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], int | float):
            return f"{value[0]}: {readable(value[1])}"
        return ", ".join(readable(v) for v in value)
    return str(value)
