"""Where every key and value of a plan file was written, and how to find it by path.

The loader builds a tree of positions beside the plain data; a path such as
``("tasks", 2, "after", 0, "task")`` walks it. When the path goes deeper than the file
(a plain id stands for ``{task: id}``, or a field is missing), the deepest position
that exists is the answer.
"""

from __future__ import annotations

from typing import Protocol

from ontrack.core.diagnostics import Path
from ontrack.core.validate import KEY


class Mark(Protocol):
    """A position as the YAML parser reports it (0-based)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class MapPos:
    """A mapping: where it starts, where each key is, and the position of each value."""

    __slots__ = ("keys", "mark", "values")

    def __init__(self, mark: Mark) -> None:
        self.mark = mark
        self.keys: dict[str, Mark] = {}
        self.values: dict[str, Pos] = {}


class SeqPos:
    __slots__ = ("items", "mark")

    def __init__(self, mark: Mark) -> None:
        self.mark = mark
        self.items: list[Pos] = []


Pos = Mark | MapPos | SeqPos


def locate(root: Pos, path: Path, *, first_key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at `path`, or of the key when `KEY` follows it.

    With `first_key`, a mapping is located at its first key rather than at its start
    (the two differ for `{a: 1}`): that is where a missing field is reported.
    """
    pos = root
    for i, step in enumerate(path):
        if isinstance(pos, MapPos) and isinstance(step, str):
            if path[i + 1 : i + 2] == (KEY,) and step in pos.keys:
                return _one_based(pos.keys[step])
            if step in pos.values:
                pos = pos.values[step]
                continue
        elif isinstance(pos, SeqPos) and isinstance(step, int) and 0 <= step < len(pos.items):
            pos = pos.items[step]
            continue
        break
    if isinstance(pos, MapPos):
        return _one_based(next(iter(pos.keys.values()), pos.mark) if first_key else pos.mark)
    if isinstance(pos, SeqPos):
        return _one_based(pos.mark)
    return _one_based(pos)


def _one_based(mark: Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1
