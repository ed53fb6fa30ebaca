"""A task list from a spreadsheet (MS Project's export, or one written by hand) as a plan.

The header row names the columns; each field takes the first of its default headers the
sheet has (case and spacing ignored) unless `columns` maps it to another. Every problem
of the sheet is reported at once, each at FILE:ROW:COL; the plan built is checked like a
plan file, with each problem mapped back to the cell it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from ontrack.core.diagnostics import Diagnostic, Location, PlanError, task_on_path
from ontrack.core.model import (
    Deliverable,
    Dependency,
    DepType,
    Duration,
    DurationUnit,
    Outcome,
    Plan,
    ProjectInfo,
    Resource,
    Task,
)
from ontrack.core.validate import validate
from ontrack.interop.ids import VALID, Ids, slug
from ontrack.interop.table_read import (
    Cell,
    Table,
    amount,
    cell_text,
    column_letters,
    day,
    header_key,
    number,
    outline_level,
    percent,
)

HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "task id", "unique id"),
    "name": ("name", "task name", "task"),
    "duration": ("duration",),
    "predecessors": ("predecessors", "predecessor", "unique id predecessors"),
    "resources": ("resource names", "resources", "resource"),
    "deliverable": ("deliverable",),
    "outcomes": ("outcomes", "outcome"),
    "outline_level": ("outline level",),
    "not_before": ("not before", "start no earlier than"),
    "deadline": ("deadline",),
    "notes": ("notes",),
    "cost": ("fixed cost",),  # MS Project's "Cost" adds resource cost: not a fixed cost
    "percent_complete": ("% complete", "percent complete"),
    "start": ("start",),
    "finish": ("finish",),
    "actual_start": ("actual start",),
    "actual_finish": ("actual finish",),
}
"""Each field and its default headers (as matched: lower case, single spaces), first wins."""
REQUIRED = ("name", "duration")

# MS Project's duration units (and their elapsed `e` forms) as ontrack's, with a factor.
_UNIT_NAMES: tuple[tuple[tuple[str, ...], tuple[DurationUnit, float]], ...] = (
    (("m", "min", "mins", "minute", "minutes"), ("h", 1 / 60)),
    (("h", "hr", "hrs", "hour", "hours"), ("h", 1)),
    (("", "d", "dy", "dys", "day", "days"), ("d", 1)),  # MS Project's default unit is days
    (("w", "wk", "wks", "week", "weeks"), ("w", 1)),
    (("mo", "mon", "mons", "month", "months"), ("d", 20)),  # MS Project's 20 days a month
    (("em", "emin", "emins", "eminute", "eminutes"), ("ed", 1 / 1440)),
    (("eh", "ehr", "ehrs", "ehour", "ehours"), ("ed", 1 / 24)),
    (("ed", "edy", "edys", "eday", "edays"), ("ed", 1)),
    (("ew", "ewk", "ewks", "eweek", "eweeks"), ("ed", 7)),
    (("emo", "emon", "emons", "emonth", "emonths"), ("ed", 30)),
)
_UNITS = {name: unit for names, unit in _UNIT_NAMES for name in names}
_DURATION = re.compile(r"([+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)) *([a-z]*) *\??", re.I)
_LINK = re.compile(r"(.+?) *(?:(FS|SS|FF|SF) *(?:([+-]) *([0-9.,].*))?)?", re.I)
_TYPES: dict[str, DepType] = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF"}
T = TypeVar("T")


@dataclass(frozen=True)
class Link:
    """One predecessor in MS Project's notation: `ref` is the other row's ID as written."""

    ref: str
    type: DepType = "FS"
    lag: Duration | None = None


def parse_duration(text: str, *, lag: bool = False) -> Duration:
    """`5 days`, `3d`, `4 hrs`, `2 wks`, `1 edays`, `5 days?` (estimated) or a bare number
    (days); months are 20 working or 30 elapsed days. ValueError says what to write."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or match[2].lower() not in _UNITS:
        raise ValueError(
            f"{text.strip()!r} is not a duration: write a number and a unit, like 5 days, "
            "3d, 4 hrs, 2 wks or 1 eday (elapsed)"
        )
    unit, factor = _UNITS[match[2].lower()]
    value = round(float(match[1].replace(",", ".")) * factor, 6)
    if value < 0 and not lag:
        raise ValueError(f"{text.strip()!r}: a duration cannot be negative")
    return Duration(value + 0.0, unit)  # + 0.0: no -0 lag


def parse_predecessors(text: str) -> list[Link]:
    """MS Project's predecessors: `3`, `3FS+2d`, `5SS-1 day`, `2;4` or `2,4` (`;` when the
    text has one, so `2FS+1,5d;4` keeps its decimal comma). ValueError on a bad item."""
    links = []
    for item in text.split(";" if ";" in text else ","):
        if not item.strip():
            continue
        match = _LINK.fullmatch(item.strip())
        if match is None or not VALID.fullmatch(match[1]):
            raise ValueError(
                f"{item.strip()!r} is not a predecessor: write the row's ID, a type and a "
                "lag, like 3, 3FS+2d, 5SS-1d or 7FF+4h"
            )
        if match[4] and match[4].rstrip().endswith("%"):
            raise ValueError(
                f"{item.strip()!r} has a lag in percent of the predecessor's duration, which "
                "ontrack does not have: write the lag as a duration, like 3FS+2d"
            )
        try:
            lag = parse_duration(match[3] + match[4], lag=True) if match[3] else None
        except ValueError as error:
            raise ValueError(f"{item.strip()!r}: the lag {error}") from None
        links.append(Link(match[1], _TYPES[(match[2] or "FS").upper()], lag))
    return links


def parse_resources(text: str) -> list[tuple[str, float]]:
    """`tech`, `tech[50%]`, `tech;pm[0.5]`: names and units (1 when not given), split at
    `,`, `;` or a line break outside the brackets. ValueError on units that are not a
    number more than 0."""
    items, depth, current = [], 0, ""
    for char in text + ";":
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char in ",;\n" and depth <= 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    out = []
    for item in filter(None, items):
        name, units = item, 1.0
        if item.endswith("]") and "[" in item:
            name, _, written = item[:-1].rpartition("[")
            units = _units(written.strip())
        if not units > 0 or not name.strip():
            raise ValueError(
                f"{item!r}: write a resource's name and, in brackets, its units as a "
                "percentage or a number more than 0, like tech[50%] or tech[0.5]"
            )
        out.append((name.strip(), units))
    return out


def table_plan(table: Table, columns: Mapping[str, str], start: date | None, today: date) -> Plan:
    """The plan of `table`; `columns` maps fields to headers over the defaults; the project
    starts at `start`, else on the earliest date of the sheet, else `today`."""
    columns = {name.strip().lower().replace("-", "_"): h for name, h in columns.items()}
    unknown = sorted(set(columns) - set(HEADERS))
    if unknown:
        known = ", ".join(HEADERS)
        message = (
            f"--column {unknown[0]}=...: there is no field {unknown[0]!r}; the fields: {known}"
        )
        raise PlanError([Diagnostic("table-column", message)])
    return _Importer(table, columns).plan(start, today)


# --- one row, its cells read --------------------------------------------------------------


@dataclass
class _Row:
    number: int
    name: str
    level: int = 1
    ref: str = ""
    duration: Duration | None = None
    duration_text: str = ""
    links: list[Link] = field(default_factory=list)
    resources: dict[str, float] = field(default_factory=dict)
    deliverable: str = ""
    outcomes: list[str] = field(default_factory=list)
    dates: dict[str, date] = field(default_factory=dict)
    notes: str | None = None
    cost: float | None = None
    percent: float | None = None
    children: list[_Row] = field(default_factory=list)


_DATE_FIELDS = ("not_before", "deadline", "start", "finish", "actual_start", "actual_finish")
_PLAN_FIELD_COLUMN = {"after": "predecessors", "kind": "duration", "id": "name"}
"""Which column a problem with a task's plan field points at, where the names differ."""


class _Importer:
    def __init__(self, table: Table, columns: Mapping[str, str]) -> None:
        self.table = table
        self.problems: list[Diagnostic] = []
        if not table.rows:
            self._fail(1, 1, "table-format", "the file is empty: it needs a header row")
            raise self._stop()
        self.header_row, header = table.rows[0]
        self.headers = [cell_text(cell) for cell in header]
        self.columns = self._columns([header_key(cell) for cell in header], columns)
        if self.problems:
            raise self._stop()
        self.explicit_ids = "id" in columns

    def plan(self, start: date | None, today: date) -> Plan:
        rows = [self._row(number, cells) for number, cells in self.table.rows[1:]]
        title = rows.pop(0).name if rows and rows[0].level == 0 else None  # MS Project's ID 0
        if not rows:
            self._fail(
                self.header_row, 1, "table-format", "there are no task rows under the header"
            )
        ids = self._ids(rows)
        roots = self._tree(rows)
        tasks = tuple(self._task(row, ids) for row in roots)
        if self.problems:
            raise self._stop()
        stem = Path(self.table.file).stem
        dates = [
            row.dates[k]
            for row in rows
            for k in ("start", "not_before", "actual_start")
            if k in row.dates
        ]
        plan = Plan(
            project=ProjectInfo(
                slug(stem, "project"), title or stem, start or min(dates, default=today)
            ),
            resources=tuple(self._resources(rows, ids)),
            outcomes=tuple(
                Outcome(ids[("outcome", s)], s) for s in _first(o for r in rows for o in r.outcomes)
            ),
            deliverables=tuple(
                Deliverable(ids[("deliverable", n)], n) for n in _first(r.deliverable for r in rows)
            ),
            tasks=tasks,
        )
        self._check(plan, roots)
        return plan

    # --- the header ------------------------------------------------------------------------

    def _columns(self, header: list[str], columns: Mapping[str, str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for name, defaults in HEADERS.items():
            wanted = (header_key(columns[name]),) if name in columns else defaults
            index = next((header.index(h) for h in wanted if h in header), None)
            if index is not None:
                found[name] = index
            elif name in columns or name in REQUIRED:
                self._missing_column(name, wanted, columns.get(name))
        return found

    def _missing_column(self, name: str, wanted: tuple[str, ...], given: str | None) -> None:
        have = ", ".join(repr(h) for h in self.headers if h) or "no headers"
        if given is not None:
            message = f"--column {name}={given}: the header row has no such column; it has {have}"
        else:
            looked = ", ".join(repr(h) for h in wanted)
            message = (
                f"no column for the task's {name} (looked for {looked}); the header row has "
                f"{have}: name it with --column {name}=HEADER"
            )
        self._fail(self.header_row, 1, "table-column", message)

    # --- reading a row's cells --------------------------------------------------------------

    def _row(self, number: int, cells: tuple[Cell, ...]) -> _Row:
        def cell(name: str) -> Cell:
            index = self.columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        def read(name: str, parse: Callable[[Cell], T]) -> T | None:
            if cell_text(cell(name)).upper() in ("", "NA"):  # MS Project writes NA for no date
                return None
            try:
                return parse(cell(name))
            except ValueError as error:
                self._fail(number, self.columns[name] + 1, _CODES[name], str(error))
                return None

        level = read("outline_level", outline_level)
        row = _Row(
            number, cell_text(cell("name")), 1 if level is None else level, cell_text(cell("id"))
        )
        if row.level == 0:  # MS Project's project summary task (ID 0): only its name counts
            return row
        if not row.name:
            self._fail(number, self.columns["name"] + 1, "missing-value", "a task needs a name")
        row.duration, row.duration_text = read("duration", _duration), cell_text(cell("duration"))
        row.links = read("predecessors", lambda c: parse_predecessors(cell_text(c))) or []
        for name, units in read("resources", lambda c: parse_resources(cell_text(c))) or []:
            row.resources[name] = row.resources.get(name, 0) + units  # `tech;tech` is 2
        row.deliverable, row.notes = (
            cell_text(cell("deliverable")),
            cell_text(cell("notes")) or None,
        )
        row.outcomes = [
            o.strip() for o in re.split(r"[;\n]", cell_text(cell("outcomes"))) if o.strip()
        ]
        for name in _DATE_FIELDS:
            value = read(name, day)
            if value is not None:
                row.dates[name] = value
        row.cost = read("cost", amount)
        row.percent = read("percent_complete", percent)
        return row

    # --- ids, the outline, tasks -----------------------------------------------------------

    def _ids(self, rows: list[_Row]) -> dict[tuple[str, str], str]:
        """Ids of tasks (by row), deliverables, outcomes and resources (by name), in one
        namespace: a taken id gets `-2`, `-3`, ... in that order of claim."""
        ids: dict[tuple[str, str], str] = {}
        given = Ids()

        if self.explicit_ids:
            column = self.columns["id"] + 1
            for row in rows:
                if not VALID.fullmatch(row.ref):
                    self._fail(
                        row.number,
                        column,
                        "bad-id",
                        f"{row.ref!r} is not a valid id: use only letters, digits, - and _",
                    )
                elif row.ref in given.taken:
                    self._fail(
                        row.number, column, "duplicate-id", f"another row has the id {row.ref!r}"
                    )
                given.taken.add(row.ref)
                ids[("task", str(row.number))] = row.ref
        else:
            for row in rows:
                ids[("task", str(row.number))] = given.make(row.name, "task")
        for kind, names in (
            ("deliverable", (r.deliverable for r in rows)),
            ("outcome", (o for r in rows for o in r.outcomes)),
            ("resource", (n for r in rows for n in r.resources)),
        ):
            for name in _first(names):
                ids[(kind, name)] = given.make(name, kind)
        # What predecessors refer to: the ID column, else the task's place among the rows.
        for place, row in enumerate(rows, 1):
            ref = row.ref if "id" in self.columns else str(place)
            if not ref:
                continue
            if ("ref", ref) in ids and not self.explicit_ids:
                message = f"another row has the ID {ref}: predecessors could not tell them apart"
                self._fail(row.number, self.columns["id"] + 1, "duplicate-id", message)
            ids.setdefault(("ref", ref), ids[("task", str(row.number))])
        return ids

    def _tree(self, rows: list[_Row]) -> list[_Row]:
        """Rows nested by outline level: a row one level deeper than the one before is its
        child (MS Project's outline)."""
        roots: list[_Row] = []
        stack: list[_Row] = []
        for row in rows:
            if not 1 <= row.level <= len(stack) + 1:
                where = f"under level {len(stack)}" if stack else "on the first task row"
                self._fail(
                    row.number,
                    self.columns["outline_level"] + 1,
                    "bad-outline",
                    f"outline level {row.level} {where}: use 1 to {len(stack) + 1}",
                )
                row.level = len(stack) + 1
            del stack[row.level - 1 :]
            (stack[-1].children if stack else roots).append(row)
            stack.append(row)
        return roots

    def _task(self, row: _Row, ids: dict[tuple[str, str], str]) -> Task:
        after = []
        for link in row.links:
            target = ids.get(("ref", link.ref))
            if target is None:
                what = "ID" if "id" in self.columns else "row (counting task rows from 1)"
                self._fail(
                    row.number,
                    self.columns["predecessors"] + 1,
                    "unknown-id",
                    f"predecessor {link.ref}: no task has that {what}; correct the number",
                )
                continue
            after.append(Dependency(target, link.type, link.lag, short=link == Link(link.ref)))
        task = Task(
            ids[("task", str(row.number))],
            row.name,
            deliverable=ids.get(("deliverable", row.deliverable)),
            outcomes=tuple(ids[("outcome", o)] for o in dict.fromkeys(row.outcomes)),
            resources=tuple((ids[("resource", n)], u) for n, u in row.resources.items()),
            after=tuple(after),
            not_before=row.dates.get("not_before"),
            deadline=row.dates.get("deadline"),
            cost=row.cost,
            notes=row.notes,
            tasks=tuple(self._task(child, ids) for child in row.children),
        )
        if row.children:  # MS Project's summary duration and progress come from its tasks
            return task
        if not row.duration_text:
            message = "a task needs a duration, like 5 days (0 days makes it a milestone)"
            self._fail(row.number, self.columns["duration"] + 1, "missing-value", message)
        if row.duration is not None and row.duration.value == 0:
            return self._progress(replace(task, kind="milestone"), row)
        return self._progress(replace(task, duration=row.duration), row)

    def _progress(self, task: Task, row: _Row) -> Task:
        """% Complete with the dates it needs: Actual Start (else Start) once begun, Actual
        Finish (else Finish) when done; 0 % is left out, as a plan file would."""
        if not row.percent:
            return task
        column = self.columns["percent_complete"] + 1
        started = row.dates.get("actual_start", row.dates.get("start"))
        finished = (
            row.dates.get("actual_finish", row.dates.get("finish")) if row.percent == 100 else None
        )
        if started is None or (row.percent == 100 and finished is None):
            self._fail(
                row.number,
                column,
                "bad-progress",
                f"{row.percent:g}% complete needs the dates it started and (at 100%) "
                "finished: add Actual Start and Actual Finish (or Start and Finish) columns",
            )
        return replace(
            task, percent_complete=row.percent, actual_start=started, actual_finish=finished
        )

    def _resources(self, rows: list[_Row], ids: dict[tuple[str, str], str]) -> Iterable[Resource]:
        """One resource per name, with the units of its largest assignment (at least 1):
        the sheet does not say how many there are, and MS Project's default is 100%."""
        most: dict[str, float] = {}
        for row in rows:
            for name, units in row.resources.items():
                most[name] = max(most.get(name, 1.0), units)
        for name, units in most.items():
            yield Resource(ids[("resource", name)], name, units=units)

    # --- problems, where they are ----------------------------------------------------------

    def _check(self, plan: Plan, roots: list[_Row]) -> None:
        """The plan-file checks (cycles, links to an own summary, resources on a summary or
        a milestone), each reported at the cell it came from."""
        for problem in validate(plan):
            if problem.severity != "error":
                continue
            row, path = task_on_path(problem.path, roots, attrgetter("children"))
            name = str(path[0]) if path else "name"
            column = self.columns.get(_PLAN_FIELD_COLUMN.get(name, name), self.columns["name"])
            line = row.number if row else self.header_row
            self._fail(line, column + 1, problem.code, problem.message)
        if self.problems:
            raise self._stop()

    def _stop(self) -> PlanError:
        """Every problem found, in the order of the sheet."""
        return PlanError(sorted(self.problems, key=_position))

    def _fail(self, row: int, column: int, code: str, message: str) -> None:
        if self.table.sheet is not None:
            message += f" (cell {self.table.sheet}!{column_letters(column)}{row})"
        where = Location(self.table.file, row, column)
        self.problems.append(Diagnostic(code, message, location=where))


_CODES = {
    "outline_level": "bad-outline",
    "duration": "bad-duration",
    "predecessors": "bad-predecessor",
    "resources": "bad-resource",
    "cost": "bad-value",
    "percent_complete": "bad-value",
    **dict.fromkeys(_DATE_FIELDS, "bad-date"),
}


def _duration(cell: Cell) -> Duration:
    """A number typed in a cell is days, as MS Project reads a duration without a unit."""
    return parse_duration(f"{cell}d" if isinstance(cell, int | float) else cell_text(cell))


def _units(text: str) -> float:
    """`50%` (MS Project's way) or a plain number of units: `0.5`; 0 when neither, which
    the caller refuses with the rest of its reasons."""
    try:
        return number(text[:-1]) / 100 if text.endswith("%") else number(text)
    except ValueError:
        return 0


def _position(problem: Diagnostic) -> tuple[int, int]:
    where = problem.location
    return (where.line, where.column) if where else (0, 0)


def _first(names: Iterable[str]) -> list[str]:
    """The names that are not blank, each once, in order of first appearance."""
    return list(dict.fromkeys(n for n in names if n))
