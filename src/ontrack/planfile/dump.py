"""A plan as canonical YAML: keys in schema order, empty fields left out, one style.

Small mappings and lists of ids or dates are written on one line (`flow`), as in the
format's example; everything else in block style. Text is written plain when it would
read back as the same text (here and in YAML 1.1 tools), else double-quoted; text of
several lines as a literal block where that is exact.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ontrack.core.model import Dependency, Duration, Plan, Task
from ontrack.planfile.scalars import resolve
from ontrack.planfile.schema import PlanSchema, inner_type, yaml_fields

WIDTH = 100
_INDENT = "  "

# Characters written as they are; anything else is escaped inside double quotes.
_SAFE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_SAFE_TEXT = re.compile(f"[{_SAFE}]*")
_UNSAFE_CHAR = re.compile(f'[^{_SAFE}]|["\\\\]')
_PLAIN_FIRST = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ]")
_YAML11_WORDS = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def dump_plan(plan: Plan) -> str:
    return dump_mapping(plan_data(plan), PlanSchema)


def dump_mapping(data: dict[str, Any], model: type[BaseModel]) -> str:
    """`data`, keyed by the file's names, as a canonical file of the mapping `model` (other
    files than plans use the same writer): its sections apart, in `model`'s order."""
    lines: list[str] = []
    for name, info in yaml_fields(model).items():
        if name in data:
            if lines:
                lines.append("")
            _entry(lines, name, data[name], info.annotation, _style(info.json_schema_extra), "")
    return "\n".join(lines) + "\n"


# --- the plan as plain data, keyed by the names the file uses ---------------------------


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as the plain data of its canonical file (what `plan_from_data` reads)."""
    data: dict[str, Any] = _plain(plan)
    data["calendars"] = {c["id"]: _omit(c, "id") for c in data.get("calendars", [])}
    for resource in data.get("resources", []):
        for away in resource.get("away", []):
            away["from"], away["to"] = away.pop("start"), away.pop("end")
    for conversation in data.get("conversations", []):
        if "with_" in conversation:
            conversation["with"] = conversation.pop("with_")
    milestones = {m.id for m in plan.program.milestones} if plan.program else set()
    for risk in data.get("risks", []):
        risk["impacts"] = [_impact(impact, milestones) for impact in risk["impacts"]]
    kept: dict[str, Any] = _drop_empty(data)
    return kept


def task_data(task: Task) -> dict[str, Any]:
    """A task's own fields (not its id or subtasks) in the plan file's notation, ready
    for JSON: durations as text like "3d", dates as ISO text."""
    data: dict[str, Any] = _json_ready(_drop_empty(_task(replace(task, tasks=()))))
    data.pop("id", None)
    return data


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, Duration | date):
        return _scalar(value, flow=True)
    return value


def _plain(value: Any) -> Any:
    """Dataclasses as dicts of their fields; tuples as lists."""
    if isinstance(value, Task):
        return _task(value)
    if isinstance(value, Dependency):
        return _dependency(value)
    if is_dataclass(value) and not isinstance(value, Duration | type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def _task(task: Task) -> dict[str, Any]:
    data = {f.name: _plain(getattr(task, f.name)) for f in fields(task)}
    data["resources"] = dict(task.resources)
    return data


def _dependency(dependency: Dependency) -> Any:
    if dependency.short and dependency.type == "FS" and dependency.lag is None:
        return dependency.task
    return {
        "task": dependency.task,
        "type": None if dependency.type == "FS" else dependency.type,
        "lag": dependency.lag,
    }


def _impact(impact: dict[str, Any], milestones: set[str]) -> dict[str, Any]:
    """An impact as written: on a task or a milestone (ids are unique across the two), and
    its delay as a duration when fixed, else as a range."""
    target = "milestone" if impact["target"] in milestones else "task"
    low, high = impact["low"], impact["high"]
    return {target: impact["target"], "delay": low if high is None else {"low": low, "high": high}}


def _omit(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_drop_empty(item) for item in value]
    return value


# --- writing ------------------------------------------------------------------------------


def _style(extra: Any) -> str | None:
    return extra.get("style") if isinstance(extra, dict) else None


def _entry(lines: list[str], key: str, value: Any, annotation: Any, style: Any, pad: str) -> None:
    """Write `key: value` (and whatever lines the value needs below it) at `pad`."""
    kind = inner_type(annotation)
    head = f"{pad}{_scalar(key, flow=False)}:"
    if isinstance(value, dict):
        if style == "flow":
            lines.append(f"{head} {_flow_mapping(value, kind)}")
        else:
            lines.append(head)
            _mapping(lines, value, kind, pad + _INDENT)
    elif isinstance(value, list):
        _sequence(lines, head, value, inner_type(get_args(kind)[0]), style, pad)
    elif isinstance(value, str) and (block := _literal_lines(value)):
        lines.append(f"{head} {'|' if value.endswith(chr(10)) else '|-'}")
        lines.extend(f"{pad}{_INDENT}{line}" if line else "" for line in block)
    else:
        lines.append(f"{head} {_scalar(value, flow=False)}")


def _mapping(lines: list[str], value: dict[str, Any], kind: Any, pad: str) -> None:
    """A mapping of a schema model in field order, or a dict of id -> model in its order."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, info in yaml_fields(kind).items():
            if name in value:
                style = _style(info.json_schema_extra)
                _entry(lines, name, value[name], info.annotation, style, pad)
    else:
        item_kind = get_args(kind)[-1] if get_origin(kind) is dict else kind
        for key, item in value.items():
            _entry(lines, key, item, item_kind, None, pad)


def _sequence(
    lines: list[str], head: str, items: list[Any], kind: Any, style: Any, pad: str
) -> None:
    flat = not any(isinstance(item, dict) for item in items)
    if flat or style == "flow":
        line = f"{head} [{', '.join(_flow_item(item, kind) for item in items)}]"
        if len(line) <= WIDTH:
            lines.append(line)
            return
    lines.append(head)
    dash = f"{pad}{_INDENT}- "
    for item in items:
        if not isinstance(item, dict):
            lines.append(dash + _scalar(item, flow=False))
        elif style in ("flow", "flow-items"):
            lines.append(dash + _flow_mapping(item, kind))
        else:
            block: list[str] = []
            _mapping(block, item, kind, pad + _INDENT * 2)
            block[0] = dash + block[0].lstrip(" ")
            lines.extend(block)


def _flow_item(item: Any, kind: Any) -> str:
    return _flow_mapping(item, kind) if isinstance(item, dict) else _scalar(item, flow=True)


def _flow_mapping(value: dict[str, Any], kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        known = yaml_fields(kind)
        keys = [name for name in known if name in value]
        kinds = {name: inner_type(known[name].annotation) for name in keys}
    else:
        keys, kinds = list(value), {}
    pairs = (
        f"{_scalar(key, flow=True)}: {_flow_value(value[key], kinds.get(key))}" for key in keys
    )
    return "{" + ", ".join(pairs) + "}"


def _flow_value(value: Any, kind: Any) -> str:
    """A value inside a flow mapping: a scalar, or a mapping or list of its own."""
    if isinstance(value, dict):
        return _flow_mapping(value, kind)
    if isinstance(value, list):
        item_kind = inner_type(get_args(kind)[0]) if get_origin(kind) is list else None
        return "[" + ", ".join(_flow_value(item, item_kind) for item in value) + "]"
    return _scalar(value, flow=True)


def _scalar(value: Any, *, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, Duration):
        return f"{_number(value.value)}{value.unit}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if _plain_ok(text, flow) else _quoted(text)


def _number(value: float) -> str:
    """Digits only, never an exponent: a duration's number is read back by a regex."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether `text` written unquoted reads back as the same text, here and elsewhere."""
    return (
        bool(text)
        and _PLAIN_FIRST.match(text) is not None
        and _SAFE_TEXT.fullmatch(text) is not None
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not (flow and any(ch in text for ch in ",[]{}:?"))
        and resolve(text) == text
        and _YAML11_WORDS.fullmatch(text) is None
    )


def _quoted(text: str) -> str:
    return '"' + _UNSAFE_CHAR.sub(lambda m: _escape(m.group()), text) + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _literal_lines(text: str) -> list[str] | None:
    """The lines of a `|` or `|-` block that reads back as `text`, if there is one."""
    body = text[:-1] if text.endswith("\n") else text
    if "\n" not in body or body.endswith("\n"):
        return None
    lines = body.split("\n")
    exact = (
        lines[0][:1] not in ("", " ", "\t")
        and all(_SAFE_TEXT.fullmatch(line.replace("\t", " ")) for line in lines)
        and not any(line.endswith((" ", "\t")) for line in lines)
    )
    return lines if exact else None
