"""Check plain plan data against the schema: every problem, and what can still be built.

pydantic reports every schema problem of the file at once. To run the semantic checks
on the rest, each broken part is cut out (the smallest enclosing list item or mapping
entry, or its whole section) and the data validated again; ids defined in the cut parts
are remembered so that references to them are not reported as unknown.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ontrack.core.diagnostics import Diagnostic, Path
from ontrack.core.validate import KEY
from ontrack.planfile.codes import ALL_CODES
from ontrack.planfile.schema import PlanSchema, model_at, shown, yaml_fields

_PASSES = 3  # cutting out what failed leaves nothing to fail; more passes are a safety net
# What replaces a required section that is cut out, so the rest can still be checked.
_STAND_INS: dict[str, Any] = {
    "ontrack": 1,
    "project": {"id": "project", "name": "project", "start": "0001-01-01"},
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (like `[a, b]`)",
    "dict_type": "a mapping (`key: value` lines)",
    "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)",
}
_LIMITS = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be one of {expected}",
    "too_short": "must list at least {min_length}",
    "finite_number": "must be a finite number",
}
_NOUNS = {
    "tasks": "task",
    "resources": "resource",
    "outcomes": "outcome",
    "deliverables": "deliverable",
    "conversations": "conversation",
    "milestones": "milestone",
    "vendors": "vendor",
    "calendars": "calendar",
    "after": "dependency",
    "away": "away period",
    "baselines": "baseline",
    "risks": "risk",
    "impacts": "impact",
    "correlations": "correlation",
}


@dataclass
class Checked:
    """The schema objects (None when the file cannot be built at all) and the problems.

    Problem paths are file paths. `kept` maps the file path of each list that lost items
    to the file indices of the items it kept, so that paths into the built plan can be
    turned back into file paths.
    """

    schema: PlanSchema | None
    problems: list[Diagnostic]
    unbuilt_ids: frozenset[str] = frozenset()
    kept: dict[Path, list[int]] = field(default_factory=dict)

    def file_path(self, path: Path) -> Path:
        steps: list[str | int] = []
        for step in path:
            kept = self.kept.get(tuple(steps))
            if isinstance(step, int) and kept is not None and step < len(kept):
                step = kept[step]
            steps.append(step)
        return tuple(steps)


def check(data: dict[str, Any]) -> Checked:
    result = Checked(None, [])
    cuts: set[Path] = set()
    current = data
    seen: set[tuple[str, Path]] = set()
    for _ in range(_PASSES):
        try:
            result.schema = PlanSchema.model_validate(current)
            break
        except ValidationError as error:
            for details in error.errors():
                path = _within(result.file_path(tuple(details["loc"])), data)
                problem = _diagnostic(details, path, data)
                if (problem.code, problem.path) not in seen:
                    seen.add((problem.code, problem.path))
                    result.problems.append(problem)
                if path:
                    cuts.add(_cut_point(path, data))
        result.kept = {}
        current = _without(data, _trie(cuts), (), result.kept)
        current.update({key: value for key, value in _STAND_INS.items() if (key,) in cuts})
    result.unbuilt_ids = frozenset(ident for cut in cuts for ident in _ids_in(data, cut))
    return result


def schema_problems(
    error: ValidationError, data: dict[str, Any], root: type[BaseModel]
) -> list[Diagnostic]:
    """What pydantic found wrong with `data` read as `root`, for files other than plans."""
    return [_diagnostic(d, _within(tuple(d["loc"]), data), data, root) for d in error.errors()]


def _diagnostic(
    details: ErrorDetails, path: Path, data: dict[str, Any], root: type[BaseModel] = PlanSchema
) -> Diagnostic:
    kind = details["type"]
    if kind in ALL_CODES:
        whole = bool(path) and isinstance(path[-1], int) and isinstance(_get(data, path), dict)
        subject = _owner(path, data, root) if whole else _subject(path)
        return Diagnostic(kind, f"{subject}: {details['msg']}", path)
    if kind == "missing":
        return Diagnostic(
            "missing-field", f"{_owner(path[:-1], data, root)} has no `{path[-1]}`: add it", path
        )
    if kind == "extra_forbidden":
        return Diagnostic("unknown-field", _unknown_field(path, data, root), (*path, KEY))
    got = shown(details["input"])
    if kind in _EXPECTED:
        message = f"{_subject(path)} must be {_EXPECTED[kind]}, not {got}"
        return Diagnostic("bad-type", message, path)
    rule = _LIMITS.get(kind)
    context = {
        k: f"{v:g}" if isinstance(v, float) else v for k, v in details.get("ctx", {}).items()
    }
    limit = rule.format(**context) if rule else details["msg"]
    return Diagnostic("bad-value", f"{_subject(path)} {limit}, not {got}", path)


def _subject(path: Path) -> str:
    """How a message names the value at `path`."""
    if path[-1:] == (KEY,):
        return f"a key of `{path[-3]}`" if len(path) >= 3 else "a key"
    names = [step for step in path if isinstance(step, str)]
    name = names[-1] if names else "the plan"
    return f"each item of `{name}`" if isinstance(path[-1], int) else f"`{name}`"


def _owner(path: Path, data: dict[str, Any], root: type[BaseModel]) -> str:
    """How a message names the mapping at `path`: "task 'survey'", "the project"."""
    names = [step for step in path if isinstance(step, str)]
    if not names:
        return "the plan" if root is PlanSchema else "the file"
    value = _get(data, path)
    ident = value.get("id") if isinstance(value, dict) else None
    if isinstance(path[-1], int) or path[-2:-1] == ("calendars",):
        noun = _NOUNS.get(str(path[-2]), "item")
        if path[-2:-1] == ("calendars",):
            ident = path[-1]
        return f"{noun} '{ident}'" if isinstance(ident, str | int) else f"this {noun}"
    return f"the {names[-1]}"


def _unknown_field(path: Path, data: dict[str, Any], root: type[BaseModel]) -> str:
    model = model_at(path[:-1], root)
    known = list(yaml_fields(model)) if model else []
    close = difflib.get_close_matches(str(path[-1]), known, n=1)
    if close:
        hint = f": did you mean `{close[0]}`?"
    elif _get(data, path) is None:  # `{role: Builder (walls, roof)}` reads `roof)` as a key
        hint = ": if it belongs to the text before it, quote that text (a comma ends a value)"
    else:
        hint = f"; the fields here are {', '.join(known)}"
    return f"{_owner(path[:-1], data, root)} has no field `{path[-1]}`{hint}"


def _within(path: Path, data: Any) -> Path:
    """`path` cut where it would go inside a single value (`after: [a]` is `{task: a}`)."""
    for n, step in enumerate(path):
        if isinstance(data, dict | list):
            try:
                data = data[step]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                return path
        else:
            return path[:n]
    return path


def _get(data: Any, path: Path) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _is_collection(path: Path) -> bool:
    """Mappings whose entries stand alone: calendars by id, and a task's resources."""
    return path == ("calendars",) or (path[-1:] == ("resources",) and len(path) > 1)


def _cut_point(path: Path, data: dict[str, Any]) -> Path:
    """The smallest list item or collection entry around `path`, else its section; a
    correlation is cut whole (one task fewer would make a different correlation)."""
    steps = tuple(step for step in path if step != KEY)
    if steps[:1] == ("correlations",) and len(steps) > 1:
        return steps[:2]
    cut = steps[:1]
    container: Any = data
    for n, step in enumerate(steps):
        if isinstance(container, list) or (
            isinstance(container, dict) and _is_collection(steps[:n])
        ):
            cut = steps[: n + 1]
        try:
            container = container[step]
        except (KeyError, IndexError, TypeError):
            break
    return cut


def _trie(cuts: set[Path]) -> dict[Any, Any]:
    """The cuts as nested dicts; None marks a part that is cut out."""
    root: dict[Any, Any] = {}
    for cut in sorted(cuts, key=len):
        node: dict[Any, Any] | None = root
        for step in cut[:-1]:
            node = node.setdefault(step, {}) if node is not None else None
        if node is not None:
            node[cut[-1]] = None
    return root


def _without(value: Any, trie: dict[Any, Any], path: Path, kept: dict[Path, list[int]]) -> Any:
    """A copy of `value` without the parts cut out; untouched parts are shared."""
    if isinstance(value, list):
        indices = [i for i in range(len(value)) if trie.get(i, {}) is not None]
        if len(indices) < len(value):
            kept[path] = indices
        return [
            _without(value[i], trie[i], (*path, i), kept) if i in trie else value[i]
            for i in indices
        ]
    if isinstance(value, dict):
        return {
            key: _without(item, trie[key], (*path, key), kept) if key in trie else item
            for key, item in value.items()
            if trie.get(key, {}) is not None
        }
    return value


def _ids_in(data: dict[str, Any], cut: Path) -> set[str]:
    """The ids (and vendor names) defined in the part of the file at `cut`."""
    found: set[str] = set()
    pending = [_get(data, cut)]
    if cut[:-1] == ("calendars",):
        found.add(str(cut[-1]))
    if cut == ("calendars",) and isinstance(pending[0], dict):
        found.update(pending[0])
    vendors = cut[:2] == ("program", "vendors")  # milestones name vendors by `name`
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            ident = value.get("name" if vendors else "id")
            if isinstance(ident, str | int) and not isinstance(ident, bool):
                found.add(str(ident))
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return found
