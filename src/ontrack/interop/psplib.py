"""PSPLIB single-mode instances (`.sm`) as plans: one period is one day of a seven-day week.

A `.sm` file is a header of `key : value` lines, then sections that end at a line of
asterisks: PRECEDENCE RELATIONS (each job's successors, finish-to-start), REQUESTS/DURATIONS
(each job's duration and demand of each resource) and RESOURCEAVAILABILITIES (the capacity
of each renewable resource). Jobs keep their numbers (job 7 is task `j7`, resource `R 2`
is `r2`), so a result maps back to the instance.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ontrack.core.diagnostics import Diagnostic, Location, PlanError
from ontrack.core.graph import find_cycles
from ontrack.core.model import (
    WEEKDAYS,
    CalendarDef,
    Dependency,
    Duration,
    Plan,
    ProjectInfo,
    Resource,
    Task,
)
from ontrack.core.rcpsp import Problem, problem

DEFAULT_START = date(2027, 1, 4)  # a Monday
CALENDAR = "every-day"
_TASK_ID = re.compile(r"j([1-9][0-9]*)")
_COUNT = re.compile(r"[0-9]+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Job:
    number: int
    duration: int
    demands: tuple[int, ...]
    """Per resource, in the file's order."""
    successors: tuple[int, ...]


@dataclass(frozen=True)
class Instance:
    capacities: tuple[int, ...]
    jobs: tuple[Job, ...]
    """Job n at index n - 1."""


def task_id(job: int) -> str:
    return f"j{job}"


def job_number(task: str) -> int:
    """The PSPLIB job number of an imported task id (the inverse of `task_id`)."""
    match = _TASK_ID.fullmatch(task)
    if match is None:
        raise ValueError(f"'{task}' is not the id of an imported PSPLIB job")
    return int(match.group(1))


def resource_id(index: int) -> str:
    """The id of the file's resource `R <index>` (from 1)."""
    return f"r{index}"


def read_psplib(path: str | os.PathLike[str], start: date = DEFAULT_START) -> Plan:
    """The plan of the `.sm` file at `path`; a PlanError naming file:line when it is broken."""
    return to_plan(load_instance(path), Path(path).stem, start)


def load_instance(path: str | os.PathLike[str]) -> Instance:
    """The numbers of the `.sm` file at `path`, checked, before any mapping to a plan."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        diagnostic = Diagnostic("file-unreadable", message, location=Location(str(path), 1, 1))
        raise PlanError([diagnostic]) from None
    # Not UTF-8 is reported where it matters: a replaced character is not a number or a title.
    return parse_sm(raw.decode("utf-8", errors="replace"), str(path))


def to_plan(instance: Instance, name: str, start: date = DEFAULT_START) -> Plan:
    predecessors: dict[int, list[int]] = {job.number: [] for job in instance.jobs}
    for job in instance.jobs:
        for successor in job.successors:
            predecessors[successor].append(job.number)
    project_id = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "psplib"
    return Plan(
        project=ProjectInfo(
            id=project_id, name=f"PSPLIB instance {name}", start=start, calendar=CALENDAR
        ),
        calendars=(CalendarDef(CALENDAR, workdays=WEEKDAYS, hours_per_day=8),),
        resources=tuple(
            Resource(resource_id(index), units=capacity)
            for index, capacity in enumerate(instance.capacities, 1)
        ),
        tasks=tuple(_task(job, predecessors[job.number]) for job in instance.jobs),
    )


def to_problem(instance: Instance) -> Problem:
    """The instance as levelling's search sees it, without a plan around it: job n is job
    n - 1, links finish-to-start, whole units (for the solver's and decoder's own tests and
    benchmarks)."""
    jobs = instance.jobs
    links = [(j.number - 1, s - 1, True, False, 0) for j in jobs for s in j.successors]
    demands = [tuple((r, float(u)) for r, u in enumerate(j.demands) if u) for j in jobs]
    capacity = [float(c) for c in instance.capacities]
    return problem([j.duration for j in jobs], links, demands, capacity)


def _task(job: Job, predecessors: list[int]) -> Task:
    ident, name = task_id(job.number), f"Job {job.number}"
    after = tuple(Dependency(task_id(number), short=True) for number in predecessors)
    if job.duration == 0:  # the dummy source and sink; a zero-length job occupies nothing
        return Task(ident, name, kind="milestone", after=after)
    demands = tuple(
        (resource_id(index), demand) for index, demand in enumerate(job.demands, 1) if demand
    )
    return Task(ident, name, duration=Duration(job.duration, "d"), resources=demands, after=after)


# --- reading the file ----------------------------------------------------------------------

_Row = tuple[int, list[tuple[int, str]]]
"""A line's number and the (column, text) of each of its words."""


def parse_sm(text: str, filename: str) -> Instance:
    return _Reader(filename, text.splitlines()).instance()


class _Reader:
    def __init__(self, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    def instance(self) -> Instance:
        count = self._job_count()
        capacities = self._capacities()
        precedence = self._table("PRECEDENCE RELATIONS:", 2, count)
        successors = [self._successors(row, n, count) for n, row in enumerate(precedence, 1)]
        # Found here, a cycle (or an over-demand below) points at the .sm file, not the plan.
        for cycle in find_cycles(dict(enumerate(successors, 1)))[:1]:
            jobs_in_turn = " -> ".join(str(number) for number in [*cycle, cycle[0]])
            message = f"jobs {jobs_in_turn} form a cycle: each is a successor of the one before"
            raise self._fail(precedence[cycle[0] - 1][0], 1, "cycle", message)
        requests = self._table("REQUESTS/DURATIONS:", 3, count)
        jobs = []
        for number, row in enumerate(requests, 1):
            duration, demands = self._request(row, number, capacities)
            jobs.append(Job(number, duration, demands, successors[number - 1]))
        return Instance(capacities, tuple(jobs))

    def _job_count(self) -> int:
        index = self._find("jobs (incl. supersource/sink )")
        row = self._row(index, after=":")
        values = self._numbers(row, "the number of jobs")
        self._length(row, values, 1)
        if values[0] == 0:
            raise self._fail(row[0], row[1][0][0], "psplib-format", "the file has no jobs")
        return values[0]

    def _capacities(self) -> tuple[int, ...]:
        """One capacity per resource; only renewable resources (`R 1`) can be imported."""
        index = self._find("RESOURCEAVAILABILITIES:")
        line, _ = self._row(index + 1)
        names = list(re.finditer(r"([A-Z]+) *([0-9]+)", self.lines[index + 1]))
        if not names:
            raise self._fail(line, 1, "psplib-format", "expected the resources (`R 1  R 2`)")
        for name in names:
            if name.group(1) != "R":
                message = f"'{name.group()}' is not renewable: only renewable resources"
                raise self._fail(line, name.start() + 1, "psplib-unsupported", message)
        row = self._row(index + 2)
        values = self._numbers(row, "one capacity per resource")
        self._length(row, values, len(names))
        return tuple(values)

    def _request(
        self, row: _Row, number: int, capacities: tuple[int, ...]
    ) -> tuple[int, tuple[int, ...]]:
        """A job's duration and demands."""
        values = self._numbers(row, "job, mode, duration and one demand per resource")
        self._leading(row, values, [number, 1])
        self._length(row, values, 3 + len(capacities))
        demands = zip(row[1][3:], values[3:], capacities, strict=True)
        for index, ((column, _), demand, capacity) in enumerate(demands, 1):
            if demand > capacity:
                message = f"job {number} asks for {demand} of R {index}, which has only {capacity}"
                raise self._fail(row[0], column, "over-demand", message)
        return values[2], tuple(values[3:])

    def _successors(self, row: _Row, number: int, count: int) -> tuple[int, ...]:
        values = self._numbers(row, "job, modes, number of successors, successors")
        if len(values) > 1 and values[1] != 1:
            message = f"job {number} has {values[1]} modes: only single-mode (.sm) files"
            raise self._fail(row[0], row[1][1][0], "psplib-unsupported", message)
        self._leading(row, values, [number, 1])
        self._length(row, values, 3 + values[2] if len(values) > 2 else 3)
        for (column, _), successor in zip(row[1][3:], values[3:], strict=True):
            if not 1 <= successor <= count or successor == number:
                message = f"job {successor} cannot be a successor of job {number}"
                raise self._fail(row[0], column, "psplib-reference", message)
        return tuple(values[3:])

    # --- finding lines, reading numbers, saying where ------------------------------------

    def _find(self, title: str) -> int:
        for index, line in enumerate(self.lines):
            if line.lstrip().startswith(title):
                return index
        message = f"no `{title}` line: this is not a PSPLIB single-mode (.sm) file"
        raise self._fail(len(self.lines), 1, "psplib-format", message)

    def _row(self, index: int, after: str = "") -> _Row:
        if index >= len(self.lines):
            raise self._fail(len(self.lines), 1, "psplib-format", "the file ends too early")
        text = self.lines[index]
        start = text.find(after) + 1 if after else 0  # no `after`: the whole line, reported
        return index + 1, [(m.start() + 1, m.group()) for m in _WORD.finditer(text, start)]

    def _table(self, title: str, skip: int, count: int) -> list[_Row]:
        """The `count` rows of a section: the lines after its title and headings up to `***`."""
        index = self._find(title) + skip
        rows = []
        while index < len(self.lines) and not self.lines[index].lstrip().startswith("*"):
            if self.lines[index].strip():
                rows.append(self._row(index))
            index += 1
        if len(rows) != count:
            line = rows[count][0] if len(rows) > count else min(index + 1, len(self.lines))
            message = f"`{title}` lists {len(rows)} jobs, but the header says {count}"
            raise self._fail(line, 1, "psplib-format", message)
        return rows

    def _numbers(self, row: _Row, what: str) -> list[int]:
        line, words = row
        for column, word in words:
            if _COUNT.fullmatch(word) is None:
                message = f"'{word}' is not a whole number of 0 or more; expected {what}"
                raise self._fail(line, column, "psplib-format", message)
        return [int(word) for _, word in words]

    def _leading(self, row: _Row, values: list[int], wanted: list[int]) -> None:
        """The row starts with the numbers `wanted` (its job number and mode)."""
        for (column, _), want, found in zip(row[1], wanted, values, strict=False):
            if found != want:
                message = f"expected {want} here, found {found}"
                raise self._fail(row[0], column, "psplib-format", message)

    def _length(self, row: _Row, values: list[int], length: int) -> None:
        line, words = row
        if len(values) != length:
            column = words[length][0] if len(words) > length else len(self.lines[line - 1]) + 1
            message = f"expected {length} numbers on this line, found {len(values)}"
            raise self._fail(line, column, "psplib-format", message)

    def _fail(self, line: int, column: int, code: str, message: str) -> PlanError:
        where = Location(self.filename, max(line, 1), column)
        return PlanError([Diagnostic(code, message, location=where)])
