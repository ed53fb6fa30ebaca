"""Set values in a plan file's text in place: everything else stays as written.

Comments, key order, quoting, flow or block style and spacing are kept; only the values
set change. A value already written is replaced where it stands; a new key is added to
its mapping after the mapping's last value: on a line of its own at the indentation of
the mapping's keys (block style), or as `, key: value` (flow style). The parser's
positions of each value's start and end say where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

from ontrack.core.diagnostics import Path
from ontrack.planfile.dump import _flow_mapping, _scalar
from ontrack.planfile.parse import _events


class EditError(ValueError):
    """A value that cannot be set in place."""


@dataclass
class _Node:
    start: int
    end: int  # where its text ends; a block collection's is its last value's end
    in_flow: bool  # inside a flow collection, where `,[]{}` need quotes
    shared: bool  # anchored or an alias: setting it would change other values too
    flow: bool = False
    keys: dict[str, tuple[int, _Node]] | None = None  # a mapping: key -> (its start, value)
    items: list[_Node] = field(default_factory=list)


class PlanText:
    """A plan file's text, with the values set on it so far."""

    def __init__(self, text: str) -> None:
        self.original = text
        # libyaml's positions do not count a byte-order mark.
        self._offset = 1 if text.startswith("\ufeff") else 0
        self._newline = "\r\n" if "\r\n" in text else "\n"
        get_event = _events(text, pure=False)
        while type(event := get_event()) is not MappingStartEvent:  # the document's start
            if type(event) is StreamEndEvent:
                raise EditError("the file is not a mapping of keys and values")
        self._root = self._node(get_event, event, in_flow=False)
        # Path -> (start, end, new text): setting a value again replaces its splice.
        self._splices: dict[Path, tuple[int, int, str]] = {}

    def set(self, path: Path, value: Any) -> None:
        """Set the value at `path` (mapping keys and list indices). A dict merges into a
        mapping already written there, key by key."""
        *parents, key = path
        mapping = self._at(tuple(parents))
        if mapping.keys is None or not isinstance(key, str):
            raise EditError(f"{_shown(tuple(parents))} is not a mapping")
        if key not in mapping.keys:
            self._splices[path] = self._added(mapping, key, value)
            return
        node = mapping.keys[key][1]
        if isinstance(value, dict) and node.keys is not None:
            for name, item in value.items():
                self.set((*path, name), item)
            return
        self._check(node, path)
        self._splices[path] = self._replaced(node, value)

    @property
    def text(self) -> str:
        text = self.original
        # From the end, so that earlier positions still hold; at one position, the later
        # splice goes in first, so the one set first ends up first.
        for (start, _), end, new in sorted(
            (((start, i), end, new) for i, (start, end, new) in enumerate(self._splices.values())),
            reverse=True,
        ):
            text = text[:start] + new + text[end:]
        return text

    # --- where the values are -------------------------------------------------------------

    def _node(self, get_event: Any, event: Any, *, in_flow: bool) -> _Node:
        start, end = event.start_mark.index + self._offset, event.end_mark.index + self._offset
        shared = event.anchor is not None or type(event) is AliasEvent
        node = _Node(start, end, in_flow, shared)
        if type(event) in (ScalarEvent, AliasEvent):
            return node
        node.flow = bool(event.flow_style)
        inner = in_flow or node.flow
        closing: Any  # the collection's end event
        if type(event) is MappingStartEvent:
            node.keys = {}
            while type(key := get_event()) is not MappingEndEvent:
                value = self._node(get_event, get_event(), in_flow=inner)
                node.keys[key.value] = (key.start_mark.index + self._offset, value)
            closing, values = key, [value for _, value in node.keys.values()]
        else:
            while type(item := get_event()) is not SequenceEndEvent:
                node.items.append(self._node(get_event, item, in_flow=inner))
            closing, values = item, node.items
        node.end = closing.end_mark.index + self._offset if node.flow else values[-1].end
        return node

    def _at(self, path: Path) -> _Node:
        node = self._root
        for i, step in enumerate(path):
            if isinstance(step, str) and node.keys is not None and step in node.keys:
                node = node.keys[step][1]
            elif isinstance(step, int) and 0 <= step < len(node.items):
                node = node.items[step]
            else:
                raise EditError(f"the file has no {_shown(path[: i + 1])}")
            self._check(node, path[: i + 1])
        return node

    def _check(self, node: _Node, path: Path) -> None:
        if node.shared:
            raise EditError(
                f"{_shown(path)} is written with an anchor or alias, so changing it would "
                "change other values too: edit the file by hand"
            )

    # --- changing them --------------------------------------------------------------------

    def _replaced(self, node: _Node, value: Any) -> tuple[int, int, str]:
        new = _written(value, flow=node.in_flow)
        old = self.original[node.start : node.end]
        if not old:  # `key:` with nothing after it
            new = " " + new
        # A block scalar's text runs to the next line: keep its line break.
        new += old[len(old.rstrip("\r\n")) :]
        return node.start, node.end, new

    def _added(self, mapping: _Node, key: str, value: Any) -> tuple[int, int, str]:
        assert mapping.keys is not None
        entry = f"{_scalar(key, flow=mapping.flow)}: {_written(value, flow=mapping.flow)}"
        written = list(mapping.keys.values())
        if mapping.flow:
            if written:
                return _insert(written[-1][1].end, f", {entry}")
            return _insert(mapping.start + 1, entry)  # into `{}`
        first_key = written[0][0]
        indent = " " * (first_key - (self.original.rfind("\n", 0, first_key) + 1))
        line = indent + entry
        text, end = self.original, mapping.end
        if text[end - 1 : end] == "\n":  # a block scalar ends at the start of a line
            return _insert(end, line + self._newline)
        if (line_end := text.find("\n", end)) >= 0:  # after the line, and its comment
            return _insert(line_end + 1, line + self._newline)
        return _insert(len(text), self._newline + line)


def _insert(at: int, text: str) -> tuple[int, int, str]:
    return at, at, text


def _written(value: Any, *, flow: bool) -> str:
    return _flow_mapping(value, None) if isinstance(value, dict) else _scalar(value, flow=flow)


def _shown(path: Path) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)[1:]
