"""Reading an MSPDI document safely, and its values with their positions.

The parser never loads a DTD, never resolves an entity and never touches the network; a
document that declares a DOCTYPE is refused outright (MSPDI has none, and a declared
entity is how an "entity bomb" expands a small file into gigabytes). Files are read up to
`file_size.MAX_BYTES`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeAlias, TypeVar

from lxml import etree

from ontrack.core.diagnostics import Diagnostic, Location, PlanError
from ontrack.interop import file_size
from ontrack.interop.mspdi import NS

TOO_LARGE = "mspdi-too-large"

Element: TypeAlias = etree._Element
T = TypeVar("T")

_DURATION = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing one too large to be a project before reading it."""
    return file_size.read_limited(path, TOO_LARGE)


class Source:
    """An MSPDI file being read: its root element, and where each element is."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.filename = filename
        self._data = data
        self._lines: list[bytes] | None = None
        self.problems: list[Diagnostic] = []
        self._children: dict[Element, dict[object, Element]] = {}
        self.root = self._parse()

    def _parse(self) -> Element:
        if len(self._data) > file_size.MAX_BYTES:
            raise file_size.too_large(self.filename, TOO_LARGE)
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        try:
            root = etree.fromstring(self._data, parser)
        except etree.XMLSyntaxError as e:
            line, column = e.position
            raise self.fail_at(
                line,
                column,
                "mspdi-xml",
                f"this is not well-formed XML ({e.msg}): is it an MSPDI (.xml) file saved "
                "by MS Project, ProjectLibre or GanttProject?",
            ) from None
        if root.getroottree().docinfo.doctype:
            raise self.fail_at(
                1,
                1,
                "mspdi-doctype",
                "the file declares a DOCTYPE, which MSPDI files never have; its entities "
                "are not read, for safety: save the file again from your project tool",
            )
        if root.tag != f"{{{NS}}}Project":
            found = etree.QName(root)
            where = (
                f"in the namespace '{found.namespace}'" if found.namespace else "in no namespace"
            )
            raise self.fail(
                root,
                "mspdi-namespace",
                f"the document is <{found.localname}> {where}; an MSPDI file is <Project> in "
                f"the namespace '{NS}': save it as 'XML' (MSPDI) from MS Project",
            )
        return root

    # -- positions and problems ---------------------------------------------------------

    def location(self, el: Element) -> Location:
        line = el.sourceline or 1
        if self._lines is None:
            self._lines = self._data.splitlines()
        text = self._lines[line - 1] if line <= len(self._lines) else b""
        column = text.find(b"<" + etree.QName(el).localname.encode()) + 1
        return Location(self.filename, line, max(column, 1))

    def fail_at(self, line: int, column: int, code: str, message: str) -> PlanError:
        return PlanError(
            [Diagnostic(code, message, location=Location(self.filename, line, column))]
        )

    def fail(self, el: Element, code: str, message: str) -> PlanError:
        return PlanError([Diagnostic(code, message, location=self.location(el))])

    def problem(self, el: Element, code: str, message: str) -> None:
        """Note a problem and read on, so that one run reports all of them."""
        self.problems.append(Diagnostic(code, message, location=self.location(el)))

    def raise_problems(self) -> None:
        if self.problems:
            raise PlanError(self.problems)

    # -- children and values ------------------------------------------------------------

    def all(self, parent: Element | None, path: str) -> list[Element]:
        """The elements at `path` (names separated by '/') under `parent`."""
        if parent is None:
            return []
        return list(parent.iterfind("/".join(f"{{{NS}}}{p}" for p in path.split("/"))))

    def child(self, parent: Element, tag: str) -> Element | None:
        # The reader asks a task for some 50 values: one pass over its children into a
        # dict beats find() per value (benchmarks/interop.py: 2.3 s -> 2.0 s, 10k tasks).
        children = self._children.get(parent)
        if children is None:
            children = {}
            for el in parent:
                children.setdefault(el.tag, el)
            self._children[parent] = children
        return children.get(f"{{{NS}}}{tag}")

    def text(self, parent: Element, tag: str) -> str | None:
        el = self.child(parent, tag)
        text = str(el.text or "").strip() if el is not None else ""
        return text or None

    def number(self, parent: Element, tag: str) -> float | None:
        return self._value(parent, tag, float, "a number")

    def integer(self, parent: Element, tag: str) -> int | None:
        return self._value(parent, tag, int, "a whole number")

    def flag(self, parent: Element, tag: str) -> bool:
        """MSPDI booleans are 0/1; `true`/`false` from other writers are read too."""
        value = self.text(parent, tag)
        return value is not None and value.lower() in ("1", "true")

    def day(self, parent: Element, tag: str) -> date | None:
        """The date of an xsd:dateTime (or xsd:date); MS Project writes 'NA' for none."""
        return self._value(parent, tag, _date, "a date like 2027-03-01T08:00:00")

    def moment(self, parent: Element, tag: str) -> datetime | None:
        return self._value(parent, tag, datetime.fromisoformat, "a date like 2027-03-01T08:00:00")

    def clock(self, parent: Element, tag: str) -> time | None:
        return self._value(parent, tag, time.fromisoformat, "a time like 08:00:00")

    def minutes(self, parent: Element, tag: str) -> float | None:
        """An xsd:duration (`PT8H0M0S`) in minutes; a day (`P1D`) is 24 hours."""
        return self._value(parent, tag, _duration_minutes, "a duration like PT8H0M0S")

    def _value(self, parent: Element, tag: str, convert: Callable[[str], T], what: str) -> T | None:
        text = self.text(parent, tag)
        if text is None or text == "NA":
            return None
        try:
            return convert(text)
        except ValueError:
            el = self.child(parent, tag)
            assert el is not None
            self.problem(el, "mspdi-value", f"<{tag}> is '{text}', not {what}: correct it")
            return None


def _date(text: str) -> date:
    return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)


def _duration_minutes(text: str) -> float:
    m = _DURATION.fullmatch(text)
    if not m or text in ("P", "PT"):
        raise ValueError(text)
    sign, years, months, days, hours, mins, secs = m.groups()
    if years or months:
        raise ValueError(text)  # months and years have no fixed length
    total = int(days or 0) * 24 * 60 + float(hours or 0) * 60 + float(mins or 0)
    total += float(secs or 0) / 60
    return -total if sign else total
