"""Read the first YAML document of a plan file into plain data, with positions.

ruamel.yaml's compiled parser (libyaml) produces the events and this module composes
them itself: three times faster than ruamel's composer over the same parser (fifteen
times faster than its pure-Python loader), and it lets the loader
- keep the line and column of every key and value (see positions.py),
- report every duplicate key instead of stopping at the first,
- read plain scalars the YAML 1.2 way (see scalars.py),
- stop after the first document, so expectations may follow a `---` line,
- refuse documents nested too deeply or blown up by aliases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ontrack.core.diagnostics import Diagnostic, Location, PlanError
from ontrack.planfile.positions import MapPos, Mark, Pos, SeqPos
from ontrack.planfile.scalars import resolve

try:
    from _ruamel_yaml import CParser
except ImportError:  # pragma: no cover - where no wheel exists, the pure parser does
    CParser = None

MAX_DEPTH = 100
MAX_VALUES = 10_000_000

# Characters YAML forbids in a stream; finding them first gives a precise position.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HINTS = {
    "mapping values are not allowed": "quote a value that contains ': ', or check the indentation",
    "expected <block end>": "check the indentation of this line",
    "did not find expected key": "check the indentation, or quote a value starting with a symbol",
}


class At(NamedTuple):
    """A position made up here, in the parser's 0-based terms."""

    line: int
    column: int


@dataclass
class Document:
    data: Any
    positions: Pos
    problems: list[Diagnostic] = field(default_factory=list)


class _Stop(Exception):
    def __init__(self, code: str, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(code, message)
        self.mark = mark


def load_document(text: str, filename: str, *, pure: bool = False) -> Document:
    """The first document of `text`; `pure` forces ruamel's pure-Python parser.

    Raises PlanError when the text is not YAML; duplicate and non-text keys are
    returned as problems, keeping the first value.
    """
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start())
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1)
        message = f"the character U+{ord(bad.group()):04X} is not allowed in YAML: remove it"
        raise PlanError([_diagnostic("yaml-syntax", message, At(line, column), filename)])
    try:
        return _compose(_events(text, pure), filename)
    except _Stop as stop:
        raise PlanError([_locate(stop.diagnostic, stop.mark, filename)]) from None
    except MarkedYAMLError as error:
        raise PlanError([_syntax(error, text, filename)]) from None
    except YAMLError as error:
        raise PlanError([_diagnostic("yaml-syntax", str(error), At(0, 0), filename)]) from None


def _events(text: str, pure: bool) -> Callable[[], Any]:
    get_event: Callable[[], Any]
    if pure or CParser is None:
        get_event = iter(YAML(typ="safe", pure=True).parse(text)).__next__
    else:
        get_event = CParser(text).get_event
    return get_event


def _syntax(error: MarkedYAMLError, text: str, filename: str) -> Diagnostic:
    problem = error.problem or "this is not valid YAML"
    message = f"not valid YAML: {problem}"
    if error.context and error.context_mark:
        where = f"line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
        message += f" ({error.context} at {where})"
    mark = error.problem_mark or error.context_mark or At(0, 0)
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent and mark.column <= len(indent):
        message += ": indent with spaces, not tabs"
    else:
        message += next((f": {hint}" for cue, hint in _HINTS.items() if cue in problem), "")
    return _diagnostic("yaml-syntax", message, mark, filename)


def _diagnostic(code: str, message: str, mark: Mark, filename: str) -> Diagnostic:
    return _locate(Diagnostic(code, message), mark, filename)


def _locate(diagnostic: Diagnostic, mark: Mark, filename: str) -> Diagnostic:
    return diagnostic.at(Location(filename, mark.line + 1, mark.column + 1))


_EXPECT_KEY = object()  # the open mapping waits for a key
_DISCARD = object()  # the open mapping drops the next value (its key was bad or repeated)


class _Frame:
    """An open mapping (`keys` set) or sequence (`items` set) while its events arrive."""

    __slots__ = ("anchor", "container", "items", "key", "keys", "pos", "start_count", "values")

    def __init__(self, mapping: bool, mark: Mark, anchor: str | None, count: int) -> None:
        self.keys: dict[str, Mark] | None = None
        self.values: dict[str, Pos] | None = None
        self.items: list[Pos] | None = None
        self.pos: MapPos | SeqPos
        if mapping:
            self.pos = MapPos(mark)
            self.container: Any = {}
            self.keys, self.values = self.pos.keys, self.pos.values
        else:
            self.pos = SeqPos(mark)
            self.container = []
            self.items = self.pos.items
        self.anchor = anchor
        self.start_count = count
        self.key: Any = _EXPECT_KEY


def _compose(next_event: Callable[[], Any], filename: str) -> Document:
    """Build data and positions from parser events.

    The open container's parts live in local variables: this loop runs once per
    event, hundreds of thousands of times for a large plan.
    """
    problems: list[Diagnostic] = []
    anchors: dict[str, tuple[Any, Pos, int]] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None
    container: Any = None
    keys: dict[str, Mark] | None = None
    values: dict[str, Pos] | None = None
    items: list[Pos] | None = None
    key: Any = None
    root: tuple[Any, Pos] = (None, At(0, 0))
    count = 0  # values so far, aliases expanded
    while True:
        event = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            text = event.value
            mark = event.start_mark
            if keys is not None and key is _EXPECT_KEY:
                if text in keys:
                    problems.append(_duplicate(text, keys[text], mark, filename))
                    key = _DISCARD
                else:
                    keys[text] = mark
                    key = text
                continue
            count += 1
            value = resolve(text) if event.implicit[0] else text
            if event.anchor is not None:
                anchors[event.anchor] = (value, mark, 1)
            if keys is not None:
                if key is not _DISCARD:
                    if value is None and not text:
                        mark = keys[key]  # an empty value is where its key is
                    container[key] = value
                    values[key] = mark  # type: ignore[index]
                key = _EXPECT_KEY
            elif items is not None:
                container.append(value)
                items.append(mark)
            else:
                root = (value, mark)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                message = f"the file nests more than {MAX_DEPTH} levels deep"
                raise _Stop("too-large", message, event.start_mark)
            if top is not None:
                top.key = key
            top = _Frame(kind is MappingStartEvent, event.start_mark, event.anchor, count)
            stack.append(top)
            container, keys, values, items, key = (
                top.container,
                top.keys,
                top.values,
                top.items,
                _EXPECT_KEY,
            )
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            done = stack.pop()
            count += 1
            if done.anchor is not None:
                anchors[done.anchor] = (done.container, done.pos, count - done.start_count)
            top = stack[-1] if stack else None
            if top is None:
                root = (done.container, done.pos)
                container = keys = values = items = None
                continue
            container, keys, values, items = top.container, top.keys, top.values, top.items
            key = _place(top, top.key, done.container, done.pos, problems, filename)
        elif kind is AliasEvent:
            value, pos, size = _alias(event, anchors, stack)
            count += size
            if count > MAX_VALUES:
                message = f"the aliases in this file expand it to more than {MAX_VALUES:,} values"
                raise _Stop("too-large", message, event.start_mark)
            if top is None:
                root = (value, pos)
            else:
                key = _place(top, key, value, pos, problems, filename)
        elif kind is DocumentEndEvent or kind is StreamEndEvent:
            return Document(root[0], root[1], problems)


def _place(
    top: _Frame, key: Any, value: Any, pos: Pos, problems: list[Diagnostic], filename: str
) -> Any:
    """Put a finished mapping, sequence or alias into `top`; the key `top` waits for next."""
    if top.items is not None:
        top.container.append(value)
        top.items.append(pos)
        return key
    if key is _EXPECT_KEY:
        message = "a key must be a plain name (like `name:`), not a list, mapping or alias"
        problems.append(_diagnostic("bad-type", message, _start(pos), filename))
        return _DISCARD
    if key is not _DISCARD:
        top.container[key] = value
        top.values[key] = pos  # type: ignore[index]
    return _EXPECT_KEY


def _alias(event: Any, anchors: dict[str, tuple[Any, Pos, int]], stack: list[_Frame]) -> Any:
    name = event.anchor
    if name not in anchors:
        inside = any(frame.anchor == name for frame in stack)
        problem = "refers to a value that contains it" if inside else "is not defined above it"
        raise _Stop("yaml-syntax", f"the alias *{name} {problem}", event.start_mark)
    value, pos, size = anchors[name]
    return value, (event.start_mark if size == 1 else pos), size


def _duplicate(key: str, first: Mark, mark: Mark, filename: str) -> Diagnostic:
    message = (
        f"`{key}` is already given on line {first.line + 1} of this mapping: "
        "remove one of them (the first is used)"
    )
    return _diagnostic("duplicate-key", message, mark, filename)


def _start(pos: Pos) -> Mark:
    return pos.mark if isinstance(pos, MapPos | SeqPos) else pos
