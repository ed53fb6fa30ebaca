"""A plan from Microsoft Project XML (MSPDI), as MS Project, ProjectLibre and GanttProject
write it, with the dates MS Project stored so that ontrack's schedule can be compared.

Pure: bytes in, a Plan out (or a PlanError naming FILE:LINE:COL). What MS Project has and
ontrack does not (recurring working-day exceptions, manual scheduling, some constraint
types, material resources ...) is left out and said in `remarks`; the mapping is in
docs/interop.md."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from operator import attrgetter
from typing import TypeVar

from ontrack.core.diagnostics import Location, PlanError, task_on_path
from ontrack.core.diagnostics import Path as PlanPath
from ontrack.core.model import (
    Deliverable,
    Dependency,
    DepType,
    Duration,
    DurationUnit,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Task,
    TaskKind,
    Verification,
)
from ontrack.core.validate import validate
from ontrack.interop.ids import Ids, slug
from ontrack.interop.mspdi import (
    FIELD_DELIVERABLE,
    FIELD_ID,
    FIELD_KIND,
    FIELD_OUTCOMES,
    FIELD_VENDOR,
    FIELDS,
    PROGRAM_KIND,
)
from ontrack.interop.mspdi_baselines import BaselineRecord
from ontrack.interop.mspdi_calendars import Calendars
from ontrack.interop.mspdi_xml import Element, Source

T = TypeVar("T")
DEP_TYPE: dict[int, DepType] = {1: "FS", 3: "SS", 0: "FF", 2: "SF"}
"""PredecessorLink/Type, as mspdi.LINK_TYPE writes it."""
ALIASES = {field_id: alias for field_id, _, alias in FIELDS}

# DurationFormat and LagFormat (the "estimated" ones are 32 more): the unit ontrack writes.
UNIT: dict[int, DurationUnit] = {3: "h", 5: "h", 7: "d", 9: "w", 11: "d", 21: "d"}
ELAPSED = frozenset({4, 6, 8, 10, 12})
PERCENT = frozenset({19, 20})
KINDS: dict[str, TaskKind] = {"task": "task", "procurement": "procurement", "review": "review"}
CONSTRAINTS = {
    1: "As Late As Possible",
    3: "Must Finish On",
    5: "Start No Later Than",
    6: "Finish No Earlier Than",
    7: "Finish No Later Than",
}


@dataclass(frozen=True)
class Stored:
    """A task's dates as MS Project last calculated them."""

    start: date
    finish: date


@dataclass(frozen=True)
class Imported:
    plan: Plan
    remarks: tuple[str, ...]
    """What did not travel, one line each, for the user."""
    stored: dict[str, Stored]
    causes: dict[str, str]
    """Why ontrack may date a task differently: what of it did not travel."""
    task_lines: dict[str, Location]
    filename: str
    baselines: dict[int, dict[str, BaselineRecord]]
    """MS Project's baselines by number: each task's record."""

    def locate(self, path: PlanPath) -> Location:
        """Where the plan's part at `path` came from: its task's <Task>, else the file."""
        task, _ = task_on_path(path, self.plan.tasks, attrgetter("tasks"))
        if task is not None and task.id in self.task_lines:
            return self.task_lines[task.id]
        return Location(self.filename, 1, 1)


@dataclass
class _Row:
    """A task being read; frozen into a Task once its children are known."""

    el: Element
    uid: int
    level: int
    id: str = ""
    children: list[_Row] = field(default_factory=list)


def read_mspdi(data: bytes, filename: str) -> Imported:
    """The plan in an MSPDI document; raises PlanError with every problem found."""
    return _Reader(Source(data, filename)).imported()


class _Reader:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.ids = Ids()
        self.remarks: dict[str, list[str]] = defaultdict(list)
        self.causes: dict[str, str] = {}
        self.fields = self._fields()
        self.outcomes = self._lookup(FIELD_OUTCOMES, _outcome)
        self.deliverables = self._lookup(FIELD_DELIVERABLE, _deliverable)
        self.rows = self._rows()
        self.resource_ids, self.resource_els = self._resource_ids()
        for row in self.rows:
            row.id = self.ids.reserve(self._value(row.el, FIELD_ID)) or ""
        self.calendars = Calendars(src, self.ids, self.remarks)
        for row in self.rows:
            row.id = row.id or self.ids.make(src.text(row.el, "Name"), f"task-{row.uid}")
        self.by_uid = {row.uid: row for row in self.rows}
        self.milestones = self._program_milestones()
        self.skipped = self._skipped()
        self.assignments = self._assignments()
        self.stored: dict[str, Stored] = {}
        self.baselines: dict[int, dict[str, BaselineRecord]] = defaultdict(dict)
        self.task_lines = {row.id: src.location(row.el) for row in self.rows}

    # -- what comes back ----------------------------------------------------------------

    def imported(self) -> Imported:
        src = self.src
        tasks = tuple(self._task(row) for row in self._tree())
        resources = tuple(self._resource(el, rid) for el, rid in self.resource_els)
        project = self._project()
        src.raise_problems()
        plan = Plan(
            project=project,
            calendars=self.calendars.used(project.calendar, resources, tasks),
            resources=resources,
            outcomes=tuple(self.outcomes.values()) + self._unlisted_outcomes(tasks),
            deliverables=tuple(self.deliverables.values()) + self._unlisted_deliverables(tasks),
            tasks=tasks,
            program=self._program(),
        )
        remarks = tuple(_remark(what, who) for what, who in self.remarks.items() if who)
        imported = Imported(
            plan,
            remarks,
            self.stored,
            self.causes,
            self.task_lines,
            src.filename,
            dict(sorted(self.baselines.items(), reverse=True)),  # Baseline (0) last: latest
        )
        # The plan's own checks (cycles ...), each at the <Task> it comes from, as the
        # other importers report theirs at their rows.
        problems = [d.at(imported.locate(d.path)) for d in validate(plan) if d.severity == "error"]
        if problems:
            raise PlanError(problems)
        return imported

    def _project(self) -> ProjectInfo:
        src, root = self.src, self.src.root
        file_name = re.sub(r"\.(xml|mpp|mpx)$", "", src.text(root, "Name") or "", flags=re.I)
        name = src.text(root, "Title") or file_name or "Imported project"
        starts = [d for d in (src.day(root, "StartDate"), *self._earliest_dates()) if d]
        if not starts:
            raise src.fail(
                root,
                "mspdi-value",
                "the project has no <StartDate> and no task "
                "has a start: add the project's start date",
            )
        currency = src.text(root, "CurrencyCode")
        return ProjectInfo(
            id=slug(file_name, "") or slug(name, "project"),
            name=name,
            start=min(starts),
            client=src.text(root, "Company"),
            manager=src.text(root, "Manager"),
            status_date=self._status_date(),
            currency=currency if currency and currency.isalpha() else None,
            calendar=self.calendars.project_calendar(),
        )

    def _program(self) -> Program | None:
        if not self.milestones:
            return None
        src = self.src
        name = src.text(src.root, "Subject") or src.text(src.root, "Title") or "Program"
        return Program(name=name, milestones=tuple(self.milestones.values()))

    def _program_milestones(self) -> dict[int, ProgramMilestone]:
        """Rows ontrack wrote for program milestones (Text4 'program'): back into the
        program, with the name the vendor was appended to."""
        src, out = self.src, {}
        for row in self.rows:
            if self._value(row.el, FIELD_KIND) != PROGRAM_KIND:
                continue
            when = src.day(row.el, "ConstraintDate") or src.day(row.el, "Start")
            if when is None:
                src.problem(
                    row.el,
                    "mspdi-value",
                    "a program milestone needs its date (<ConstraintDate>): add it",
                )
                continue
            vendor = self._value(row.el, FIELD_VENDOR)
            name = src.text(row.el, "Name") or row.id
            if vendor and name.endswith(f" ({vendor})"):
                name = name[: -len(vendor) - 3]
            out[row.uid] = ProgramMilestone(row.id, name, when, vendor)
        return out

    def _earliest_dates(self) -> list[date]:
        """Progress and fixed dates before the project's start move the start back: MS
        Project allows them, ontrack's project starts no later than its first work."""
        src, out = self.src, []
        for row in self.rows:
            if row.uid in self.milestones:
                continue  # another vendor's date may come before our start
            for tag in ("ActualStart", "ConstraintDate"):
                day = src.day(row.el, tag)
                if day is not None and (tag == "ActualStart" or self._pinned(row.el)):
                    out.append(day)
        return out

    def _status_date(self) -> date | None:
        src = self.src
        status = src.day(src.root, "StatusDate")
        if status is None:
            return None
        late = [
            row.id
            for row in self.rows
            if any(
                (d := src.day(row.el, t)) and d > status for t in ("ActualStart", "ActualFinish")
            )
        ]
        if late:
            self.remarks["the status date is left out: progress is recorded after it on"] += late
            return None
        return status

    # -- extended attributes: outcomes and deliverables ---------------------------------

    def _fields(self) -> dict[int, Element]:
        """ontrack's fields, found by their alias (a file that uses Text1 for something
        else has no deliverables in it), so a PM who moved them to other fields keeps them."""
        src, found = self.src, {}
        by_alias = {alias: field_id for field_id, alias in ALIASES.items()}
        for el in src.all(src.root, "ExtendedAttributes/ExtendedAttribute"):
            ours = by_alias.get((src.text(el, "Alias") or "").strip().lower())
            if ours is not None:
                found[ours] = el
        return found

    def _field_id(self, ours: int) -> str | None:
        el = self.fields.get(ours)
        return self.src.text(el, "FieldID") if el is not None else None

    def _lookup(self, ours: int, make: Callable[[str, dict[str, object]], T]) -> dict[str, T]:
        src, out = self.src, {}
        el = self.fields.get(ours)
        for item in src.all(el, "ValueList/Value"):
            value = src.text(item, "Value")
            if value is None or self.ids.reserve(value) is None:
                src.problem(
                    item,
                    "mspdi-value",
                    f"the lookup value '{value}' is not a "
                    "usable id (letters, digits, - and _, each once): correct it",
                )
                continue
            try:
                described = json.loads(src.text(item, "Description") or "{}")
                out[value] = make(value, described if isinstance(described, dict) else {})
            except (ValueError, TypeError, KeyError) as e:
                src.problem(
                    item,
                    "mspdi-value",
                    f"the description of '{value}' is not what "
                    f"ontrack wrote ({e}): correct or remove it",
                )
        return out

    def _value(self, task: Element, ours: int) -> str | None:
        field_id = self._field_id(ours)
        for attr in self.src.all(task, "ExtendedAttribute"):
            if field_id is not None and self.src.text(attr, "FieldID") == field_id:
                return self.src.text(attr, "Value")
        return None

    def _unlisted_outcomes(self, tasks: tuple[Task, ...]) -> tuple[Outcome, ...]:
        named = _named(tasks, lambda t: t.outcomes)
        named += [o for d in self.deliverables.values() for o in d.outcomes]
        new = [o for o in dict.fromkeys(named) if o not in self.outcomes]
        self.remarks["outcomes named on tasks but not described (their statement is their id)"] += (
            new
        )
        return tuple(Outcome(o, o) for o in new)

    def _unlisted_deliverables(self, tasks: tuple[Task, ...]) -> tuple[Deliverable, ...]:
        named = _named(tasks, lambda t: (t.deliverable,) if t.deliverable else ())
        new = [d for d in dict.fromkeys(named) if d not in self.deliverables]
        self.remarks["deliverables named on tasks but not described"] += new
        return tuple(Deliverable(d, d) for d in new)

    # -- tasks --------------------------------------------------------------------------

    def _rows(self) -> list[_Row]:
        src, rows = self.src, []
        for el in src.all(src.root, "Tasks/Task"):
            uid = src.integer(el, "UID")
            if uid is None:
                src.problem(el, "mspdi-value", "this <Task> has no <UID>: add one")
                continue
            level = src.integer(el, "OutlineLevel")
            if level is None:
                level = (src.text(el, "OutlineNumber") or "1").count(".") + 1
            if level == 0 or src.flag(el, "IsNull"):
                continue  # the project's own summary, and blank rows
            rows.append(_Row(el, uid, level))
        return rows

    def _skipped(self) -> set[int]:
        """Rows that do not become tasks: inactive ones and tasks of other projects, with
        the tasks under them."""
        src, out, under = self.src, set(), None  # under: the level of a row left out
        for row in self.rows:
            if under is not None and row.level > under:
                out.add(row.uid)
                continue
            under = None
            inactive = src.text(row.el, "Active") in ("0", "false")
            if inactive or src.flag(row.el, "ExternalTask"):
                out.add(row.uid)
                under = row.level
                self.remarks["inactive and external tasks are left out"].append(row.id)
        return out

    def _tree(self) -> list[_Row]:
        top: list[_Row] = []
        stack: list[_Row] = []
        for row in self.rows:
            if row.uid in self.skipped or row.uid in self.milestones:
                continue
            while stack and stack[-1].level >= row.level:
                stack.pop()
            (stack[-1].children if stack else top).append(row)
            stack.append(row)
        return top

    def _task(self, row: _Row) -> Task:
        src, el = self.src, row.el
        name = src.text(el, "Name") or f"Task {src.text(el, 'ID') or row.uid}"
        stored = self._stored(el)
        if stored is not None:
            self.stored[row.id] = stored
        if (src.number(el, "LevelingDelay") or 0) > 0:
            self.causes[row.id] = (
                "the file's dates include a levelling delay (LevelingDelay); ontrack's "
                "here are before levelling, which ontrack does by its own rules"
            )
        if src.flag(el, "Manual"):
            self.causes[row.id] = "it is manually scheduled in MS Project"
            self.remarks["manually scheduled tasks are scheduled from their links"].append(row.id)
        children = tuple(self._task(child) for child in row.children)
        outcomes = self._value(el, FIELD_OUTCOMES)
        task = Task(
            id=row.id,
            name=name,
            kind=KINDS.get(self._value(el, FIELD_KIND) or ""),
            deliverable=self._value(el, FIELD_DELIVERABLE),
            outcomes=tuple(o.strip() for o in (outcomes or "").split(",") if o.strip()),
            after=self._links(row),
            deadline=src.day(el, "Deadline"),
            cost=_positive(src.number(el, "FixedCost")),
            calendar=self.calendars.task_calendar(src.integer(el, "CalendarUID")),
            notes=src.text(el, "Notes"),
            tasks=children,
        )
        task = self._constraint(row, task)
        if children:
            return task
        if src.flag(el, "Milestone") or (src.minutes(el, "Duration") or 0) == 0:
            task = replace(task, kind="milestone")
        else:
            resources = self.assignments.get(row.uid, ())
            task = replace(task, duration=self._duration(el, task), resources=resources)
        self._baseline(row, task)
        return self._progress(row, task)

    def _baseline(self, row: _Row, task: Task) -> None:
        src = self.src
        for el in src.all(row.el, "Baseline"):
            start, minutes = src.day(el, "Start"), src.minutes(el, "Duration")
            if start is None:
                continue  # a baseline that never held this task
            fmt = src.integer(el, "DurationFormat") or 7
            duration = self._length(minutes, fmt, task.calendar) if minutes else None
            cost = src.number(el, "Cost") or 0
            self.baselines[src.integer(el, "Number") or 0][row.id] = BaselineRecord(
                start, duration, cost
            )

    def _stored(self, el: Element) -> Stored | None:
        """MS Project's dates of the task. A finish at or before the day's first working
        time (an elapsed task ending at 08:00) did no work that day: as ontrack dates a
        finish by the last day the task covers, it is the day before."""
        start, finish = self.src.moment(el, "Start"), self.src.moment(el, "Finish")
        if start is None or finish is None:
            return None
        day_start = self.src.clock(self.src.root, "DefaultStartTime") or time(8)
        last = finish.date()
        if finish > start and finish.time() <= day_start:
            last -= timedelta(days=1)
        return Stored(start.date(), last)

    def _duration(self, el: Element, task: Task) -> Duration:
        minutes = self.src.minutes(el, "Duration") or 0
        fmt = self.src.integer(el, "DurationFormat") or 7
        return self._length(minutes, fmt, task.calendar)

    def _length(self, minutes: float, fmt: int, calendar: str | None) -> Duration:
        """`minutes` of MS Project's in ontrack's unit for format `fmt`: working days,
        weeks or hours of the task's calendar, or elapsed days; exact working time first,
        the unit second (so `2.5d` of a 7.5-hour calendar may come back as `18.75h`)."""
        fmt = fmt - 32 if fmt >= 35 else fmt  # an estimated duration: the same unit
        if fmt in ELAPSED:
            return Duration(_round(minutes / (24 * 60)), "ed")
        unit = UNIT.get(fmt, "d")
        hours = minutes / 60
        per = {"h": 1.0, "d": self.calendars.hours_per_day(calendar)}
        per["w"] = 5 * per["d"]
        for candidate in (unit, "d", "h"):
            value = hours / per[candidate]
            if abs(value - round(value, 2)) < 1e-9:
                return Duration(_round(value), candidate)
        return Duration(_round(hours), "h")

    def _links(self, row: _Row) -> tuple[Dependency, ...]:
        src, out = self.src, []
        for link in src.all(row.el, "PredecessorLink"):
            uid = src.integer(link, "PredecessorUID")
            if src.flag(link, "CrossProject"):
                self.remarks["links to other projects are left out"].append(row.id)
                continue
            before = self.by_uid.get(uid) if uid is not None else None
            if before is None:
                if uid != 0:  # a link to the project summary means nothing
                    src.problem(
                        link,
                        "mspdi-link",
                        f"task '{row.id}' follows the task with "
                        f"UID {uid}, which the file does not have: remove the link "
                        "or add the task",
                    )
                continue
            if before.uid in self.skipped:
                self.remarks["links to inactive or external tasks are left out"].append(row.id)
                continue
            code = src.integer(link, "Type")
            kind = DEP_TYPE.get(1 if code is None else code)
            if kind is None:
                src.problem(
                    link,
                    "mspdi-value",
                    "<Type> of a link is 0 (FF), 1 (FS), 2 (SF) or 3 (SS): correct it",
                )
                continue
            lag = self._lag(link, row)
            out.append(Dependency(before.id, kind, lag, short=kind == "FS" and lag is None))
        return tuple(dict.fromkeys(out))

    def _lag(self, link: Element, row: _Row) -> Duration | None:
        src = self.src
        tenths = src.number(link, "LinkLag") or 0
        fmt = src.integer(link, "LagFormat") or 7
        if tenths == 0:
            return None
        if fmt in PERCENT or fmt - 32 in PERCENT:
            self.causes[row.id] = "its lag is a percentage of its predecessor's duration"
            self.remarks["percentage lags are left out (ontrack's lags are durations)"].append(
                row.id
            )
            return None
        calendar = self.calendars.task_calendar(src.integer(row.el, "CalendarUID"))
        return self._length(tenths / 10, fmt, calendar)

    def _pinned(self, el: Element) -> bool:
        return self.src.integer(el, "ConstraintType") == 2

    def _constraint(self, row: _Row, task: Task) -> Task:
        src, el = self.src, row.el
        kind = src.integer(el, "ConstraintType") or 0
        when = src.day(el, "ConstraintDate")
        if kind == 0 or when is None:
            return task
        if kind == 4:
            return replace(task, not_before=when)
        if kind == 2 and not task.tasks and not src.day(el, "ActualStart"):
            return replace(task, pin=when)
        if kind == 2:
            return replace(task, not_before=when)
        if kind == 7 and task.deadline is None:
            return replace(task, deadline=when)
        name = CONSTRAINTS.get(kind, f"type {kind}")
        self.causes[row.id] = f"its constraint '{name}' on {when} is not carried"
        self.remarks[f"'{name}' constraints are left out"].append(row.id)
        return task

    def _progress(self, row: _Row, task: Task) -> Task:
        src, el = self.src, row.el
        started, finished = src.day(el, "ActualStart"), src.day(el, "ActualFinish")
        percent = src.number(el, "PercentComplete") or 0
        if finished and not started:
            started = src.day(el, "Start")
        if not started:
            return task
        if finished:
            percent = 100
        elif percent >= 100:
            percent = 99  # MS Project rounds; without an actual finish it is not done
        return replace(
            task,
            actual_start=started,
            actual_finish=finished,
            percent_complete=percent or None,
            actual_cost=src.number(el, "ActualCost"),
            pin=None,
        )

    # -- resources ----------------------------------------------------------------------

    def _resource_ids(self) -> tuple[dict[int, str], list[tuple[Element, str]]]:
        """Work resources by UID; material and cost resources are left out."""
        src, ids, kept, pending = self.src, {}, [], []
        for el in src.all(src.root, "Resources/Resource"):
            uid, name = src.integer(el, "UID"), src.text(el, "Name")
            if uid is None or (uid == 0 and not name) or src.flag(el, "IsNull"):
                continue
            if (src.integer(el, "Type") if src.text(el, "Type") else 1) != 1:
                self.remarks["material and cost resources are left out"].append(name or str(uid))
                continue
            rid = self.ids.reserve(src.text(el, "Code"))
            pending.append((el, uid, rid, name))
        for el, uid, rid, name in pending:  # names only once every code is reserved
            rid = rid or self.ids.make(name, f"resource-{uid}")
            ids[uid] = rid
            kept.append((el, rid))
        return ids, kept

    def _resource(self, el: Element, rid: str) -> Resource:
        src = self.src
        name = src.text(el, "Name")
        units = src.number(el, "MaxUnits")
        calendar, away = self.calendars.resource_calendar(src.integer(el, "CalendarUID"))
        return Resource(
            id=rid,
            name=name if name and name != rid else None,
            units=units if units and units > 0 else 1,
            rate=src.number(el, "StandardRate") or 0,
            calendar=calendar,
            away=away,
        )

    def _assignments(self) -> dict[int, tuple[tuple[str, float], ...]]:
        src = self.src
        out: dict[int, dict[str, float]] = defaultdict(dict)
        max_units = {rid: src.number(el, "MaxUnits") or 1 for el, rid in self.resource_els}
        kinds = {row.uid: row for row in self.rows}
        for el in src.all(src.root, "Assignments/Assignment"):
            task, rid = (
                src.integer(el, "TaskUID"),
                self.resource_ids.get(src.integer(el, "ResourceUID") or -1),
            )
            row = kinds.get(task) if task is not None else None
            if row is None or rid is None:
                continue  # unassigned (-65535), or a resource left out above
            units = src.number(el, "Units") or 1
            if units > max_units[rid]:
                self.remarks["assignments above a resource's maximum units are capped"].append(
                    row.id
                )
                units = max_units[rid]
            out[row.uid][rid] = units
        return {uid: tuple(units.items()) for uid, units in out.items()}


def _outcome(value: str, d: dict[str, object]) -> Outcome:
    target, priority, needs = d.get("target"), d.get("priority"), d.get("needs")
    security, verified = d.get("security"), d.get("verified")
    return Outcome(
        id=value,
        statement=str(d.get("statement") or value),
        target=date.fromisoformat(target) if isinstance(target, str) else None,
        priority=int(priority) if isinstance(priority, int) else None,
        measure=str(d["measure"]) if d.get("measure") else None,
        security=security if isinstance(security, bool) else None,
        needs=tuple(str(n) for n in needs) if isinstance(needs, list) else (),
        verified=_verification(verified) if isinstance(verified, dict) else None,
    )


def _verification(d: dict[str, object]) -> Verification:
    return Verification(str(d["by"]), date.fromisoformat(str(d["date"])), str(d["evidence"]))


def _deliverable(value: str, d: dict[str, object]) -> Deliverable:
    outcomes = d.get("outcomes")
    return Deliverable(
        id=value,
        name=str(d.get("name") or value),
        outcomes=tuple(str(o) for o in outcomes) if isinstance(outcomes, list) else (),
        acceptance=str(d["acceptance"]) if d.get("acceptance") else None,
    )


def _named(tasks: tuple[Task, ...], of: Callable[[Task], tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for t in tasks:
        out += of(t)
        out += _named(t.tasks, of)
    return out


def _positive(value: float | None) -> float | None:
    return value if value else None


def _round(value: float) -> float:
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _remark(what: str, who: list[str]) -> str:
    shown = ", ".join(who[:5]) + (f" and {len(who) - 5} more" if len(who) > 5 else "")
    return f"{what}: {shown}" if who else what
