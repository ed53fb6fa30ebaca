"""A plan and its schedule as Microsoft Project XML (MSPDI), which MS Project, ProjectLibre
and GanttProject open. The mapping, and what does not travel: docs/interop.md.

Pure: Plan + Schedule in, bytes out. Elements are written in the order of the MSPDI
schema's sequences (a reader that validates refuses any other order)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lxml import etree

from ontrack.core.baseline import Baseline
from ontrack.core.calendar import HolidaySource, calendar_of
from ontrack.core.model import (
    MINUTES_PER_HOUR,
    WEEKDAYS,
    CalendarDef,
    Duration,
    Plan,
    ProgramMilestone,
    Resource,
    Task,
    Verification,
)
from ontrack.core.results import Schedule, TaskResult

NS = "http://schemas.microsoft.com/project"

LINK_TYPE = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
"""PredecessorLink/Type."""
FORMAT = {"h": 5, "d": 7, "ed": 8, "w": 9}
"""DurationFormat and LagFormat: hours, days, elapsed days, weeks."""
START_NO_EARLIER_THAN = 4
MUST_START_ON = 2
FIXED_DURATION = 1
MAX_BASELINES = 11  # Baseline, Baseline 1, ..., Baseline 10

FIELD_DELIVERABLE = 188743731  # Text1
FIELD_OUTCOMES = 188743734  # Text2
FIELD_ID = 188743737  # Text3
FIELD_KIND = 188743740  # Text4
FIELD_VENDOR = 188743743  # Text5
FIELDS = (
    (FIELD_DELIVERABLE, "Text1", "ontrack deliverable"),
    (FIELD_OUTCOMES, "Text2", "ontrack outcomes"),
    (FIELD_ID, "Text3", "ontrack id"),
    (FIELD_KIND, "Text4", "ontrack kind"),
    (FIELD_VENDOR, "Text5", "ontrack vendor"),
)
PROGRAM_KIND = "program"
"""Text4 of a program milestone: a date outside our control, not a task of ours."""
HOLIDAYS = " (holidays: {})"
"""The end of a public holiday's exception name: the calendar's `holidays` country."""

DAY_START = 8 * MINUTES_PER_HOUR  # working time starts at 08:00
LUNCH = (12 * MINUTES_PER_HOUR, 13 * MINUTES_PER_HOUR)
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
MSPDI_DAY = {"sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7}


def working_times(hours_per_day: float) -> list[tuple[int, int]]:
    """A day's working periods in minutes from midnight: from 08:00, with an hour's lunch
    at noon when the day runs past it; a day too long for that ends at midnight."""
    length = round(hours_per_day * MINUTES_PER_HOUR)
    if DAY_START + length <= LUNCH[0]:
        return [(DAY_START, DAY_START + length)]
    if LUNCH[1] + length - (LUNCH[0] - DAY_START) <= MINUTES_PER_DAY:
        return [(DAY_START, LUNCH[0]), (LUNCH[1], LUNCH[1] + length - (LUNCH[0] - DAY_START))]
    return [(MINUTES_PER_DAY - length, MINUTES_PER_DAY)]


def clock(minutes: int) -> str:
    """An xsd:time; midnight at the end of a day is 00:00:00, as MS Project writes it."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def moment(day: date, minutes: int) -> str:
    """An xsd:dateTime without a zone, as MSPDI has it."""
    return f"{day.isoformat()}T{clock(minutes)}"


def pt(minutes: float) -> str:
    """An xsd:duration as MSPDI writes one: PT#H#M#S."""
    whole = round(minutes)
    return f"PT{whole // 60}H{whole % 60}M0S"


def number(value: float) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class _Row:
    """A task with its place in the outline."""

    task: Task
    uid: int
    level: int
    outline: str


def _outline(
    tasks: tuple[Task, ...], prefix: str = "", level: int = 1
) -> Iterator[tuple[Task, int, str]]:
    for i, t in enumerate(tasks, start=1):
        number_ = f"{prefix}{i}"
        yield t, level, number_
        yield from _outline(t.tasks, f"{number_}.", level + 1)


def _rows(plan: Plan) -> list[_Row]:
    return [_Row(t, uid, lvl, num) for uid, (t, lvl, num) in enumerate(_outline(plan.tasks), 1)]


class _Writer:
    def __init__(
        self,
        plan: Plan,
        sched: Schedule,
        holidays: HolidaySource,
        baselines: Sequence[Baseline],
    ) -> None:
        self.plan = plan
        self.sched = sched
        self.holidays = holidays
        # MS Project's Baseline (0) is the one it measures against, as ontrack does with
        # the latest saved: the latest is 0, the one before 1, ... up to Baseline 10.
        self.baselines = [
            {t.id: t for t in b.tasks} for b in list(reversed(baselines))[:MAX_BASELINES]
        ]
        self.project_calendar = calendar_of(plan)
        self.calendar_uid: dict[str, int] = {}
        self.rows = _rows(plan)
        self.task_uid = {r.task.id: r.uid for r in self.rows}
        program = plan.program.milestones if plan.program is not None else ()
        self.program = [(m, len(self.rows) + i) for i, m in enumerate(program, 1)]
        self.task_uid.update((m.id, uid) for m, uid in self.program)
        self.resource_uid = {r.id: i for i, r in enumerate(plan.resources, 1)}

    def sub(self, parent: etree._Element, tag: str, text: object = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{NS}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el

    def calendar_def(self, calendar_id: str | None) -> CalendarDef:
        return calendar_of(self.plan, calendar_id)

    # -- the document ------------------------------------------------------------------

    def document(self) -> bytes:
        plan, sched, cal = self.plan, self.sched, self.project_calendar
        root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        sub = self.sub
        sub(root, "SaveVersion", 14)
        sub(root, "Name", plan.project.id)  # MS Project puts the file's name here
        sub(root, "Title", plan.project.name)
        if plan.program is not None:
            sub(root, "Subject", plan.program.name)
        if plan.project.client:
            sub(root, "Company", plan.project.client)
        if plan.project.manager:
            sub(root, "Manager", plan.project.manager)
        sub(root, "ScheduleFromStart", 1)
        times = working_times(cal.hours_per_day)
        sub(root, "StartDate", moment(sched.start, times[0][0]))
        sub(root, "FinishDate", moment(sched.finish, times[-1][1]))
        currency = plan.project.currency
        if currency and len(currency) == 3 and currency.isalpha():
            sub(root, "CurrencyCode", currency.upper())
        calendars = self.calendars_element()  # numbers the calendars first
        sub(root, "CalendarUID", self.calendar_uid[cal.id])
        sub(root, "DefaultStartTime", clock(times[0][0]))
        sub(root, "DefaultFinishTime", clock(times[-1][1]))
        minutes_per_day = round(cal.hours_per_day * MINUTES_PER_HOUR)
        sub(root, "MinutesPerDay", minutes_per_day)
        sub(root, "MinutesPerWeek", minutes_per_day * len(cal.workdays))
        sub(root, "DaysPerMonth", 4 * len(cal.workdays))
        if plan.project.status_date is not None:
            sub(root, "StatusDate", moment(plan.project.status_date, times[-1][1]))
        root.append(self.extended_attributes())
        root.append(calendars)
        root.append(self.tasks_element())
        root.append(self.resources_element())
        root.append(self.assignments_element())
        return bytes(
            etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True, pretty_print=True
            )
        )

    # -- extended attributes ------------------------------------------------------------

    def extended_attributes(self) -> etree._Element:
        """Text1-3 defined with an alias; the deliverables and the outcomes, which MS
        Project has no place for, as the lookup tables (ValueList) of Text1 and Text2: each
        entry's Value the id, its Description a JSON object of the rest."""
        el = etree.Element(f"{{{NS}}}ExtendedAttributes")
        lists = {
            FIELD_DELIVERABLE: [
                (
                    d.id,
                    _json(name=d.name, outcomes=list(d.outcomes) or None, acceptance=d.acceptance),
                )
                for d in self.plan.deliverables
            ],
            FIELD_OUTCOMES: [
                (
                    o.id,
                    _json(
                        statement=o.statement,
                        target=o.target.isoformat() if o.target else None,
                        priority=o.priority,
                        measure=o.measure,
                        security=o.security,
                        needs=list(o.needs) or None,
                        verified=_verified(o.verified),
                    ),
                )
                for o in self.plan.outcomes
            ],
        }
        for field_id, name, alias in FIELDS:
            attr = self.sub(el, "ExtendedAttribute")
            self.sub(attr, "FieldID", field_id)
            self.sub(attr, "FieldName", name)
            self.sub(attr, "Alias", alias)
            entries = lists.get(field_id)
            if entries:
                self.sub(attr, "RestrictValues", 0)  # a task's outcomes are several ids
                values = self.sub(attr, "ValueList")
                for i, (value, description) in enumerate(entries, 1):
                    item = self.sub(values, "Value")
                    self.sub(item, "ID", i)
                    self.sub(item, "Value", value)
                    self.sub(item, "Description", description)
        return el

    # -- calendars ----------------------------------------------------------------------

    def calendars_element(self) -> etree._Element:
        el = etree.Element(f"{{{NS}}}Calendars")
        bases = list(self.plan.calendars)
        if self.project_calendar not in bases:
            bases.insert(0, self.project_calendar)
        for cal in bases:
            uid = len(self.calendar_uid) + 1
            self.calendar_uid[cal.id] = uid
            name = "Standard" if cal.id == "(default)" else cal.id
            self.calendar(el, uid, name, cal)
        for r in self.plan.resources:
            self.resource_calendar(el, r)
        return el

    def calendar(self, parent: etree._Element, uid: int, name: str, cal: CalendarDef) -> None:
        sub = self.sub
        c = sub(parent, "Calendar")
        sub(c, "UID", uid)
        sub(c, "Name", name)
        sub(c, "IsBaseCalendar", 1)
        sub(c, "BaseCalendarUID", -1)
        days = sub(c, "WeekDays")
        for wd in sorted(WEEKDAYS, key=MSPDI_DAY.__getitem__):
            day = sub(days, "WeekDay")
            sub(day, "DayType", MSPDI_DAY[wd])
            working = wd in cal.workdays
            sub(day, "DayWorking", int(working))
            if working:
                times = sub(day, "WorkingTimes")
                for start, finish in working_times(cal.hours_per_day):
                    wt = sub(times, "WorkingTime")
                    sub(wt, "FromTime", clock(start))
                    sub(wt, "ToTime", clock(finish))
        closed = [(d, d, "Closed") for d in cal.closed]
        self.exceptions(c, sorted(closed + self.public_holidays(cal)))

    def public_holidays(self, cal: CalendarDef) -> list[tuple[date, date, str]]:
        """The country's holidays in the years the schedule spans, named so that an
        import gives the calendar its `holidays` country back."""
        if not cal.holidays:
            return []
        name = f"Public holiday{HOLIDAYS.format(cal.holidays)}"
        years = range(self.sched.start.year, self.sched.finish.year + 1)
        days = {d for y in years for d in self.holidays(cal.holidays, y)} - set(cal.closed)
        return [(d, d, name) for d in days]

    def resource_calendar(self, parent: etree._Element, r: Resource) -> None:
        """Each resource's own calendar: its base calendar, minus its days away."""
        sub = self.sub
        uid = len(self.calendar_uid) + 1
        self.calendar_uid[f"resource:{r.id}"] = uid
        c = sub(parent, "Calendar")
        sub(c, "UID", uid)
        sub(c, "Name", r.name or r.id)
        sub(c, "IsBaseCalendar", 0)
        sub(c, "BaseCalendarUID", self.calendar_uid[self.calendar_def(r.calendar).id])
        self.exceptions(c, [(a.start, a.end, "Away") for a in r.away])

    def exceptions(self, calendar: etree._Element, spans: list[tuple[date, date, str]]) -> None:
        if not spans:
            return
        sub = self.sub
        el = sub(calendar, "Exceptions")
        for first, last, name in spans:
            ex = sub(el, "Exception")
            sub(ex, "EnteredByOccurrences", 0)
            period = sub(ex, "TimePeriod")
            sub(period, "FromDate", moment(first, 0))
            sub(period, "ToDate", f"{last.isoformat()}T23:59:00")
            sub(ex, "Occurrences", (last - first).days + 1)
            sub(ex, "Name", name)
            sub(ex, "Type", 1)  # daily
            sub(ex, "DayWorking", 0)

    # -- tasks --------------------------------------------------------------------------

    def tasks_element(self) -> etree._Element:
        el = etree.Element(f"{{{NS}}}Tasks")
        for row in self.rows:
            self.task(el, row, self.sched.task(row.task.id))
        for m, uid in self.program:
            self.program_milestone(el, m, uid)
        return el

    def program_milestone(self, parent: etree._Element, m: ProgramMilestone, uid: int) -> None:
        """A date outside our control: a milestone that must start on it, last in the file."""
        sub = self.sub
        at = moment(m.date, working_times(self.project_calendar.hours_per_day)[0][0])
        el = sub(parent, "Task")
        sub(el, "UID", uid)
        sub(el, "ID", uid)
        sub(el, "Name", f"{m.name} ({m.vendor})" if m.vendor else m.name)
        sub(el, "Type", FIXED_DURATION)
        sub(el, "OutlineNumber", len(self.plan.tasks) + uid - len(self.rows))
        sub(el, "OutlineLevel", 1)
        sub(el, "Start", at)
        sub(el, "Finish", at)
        sub(el, "Duration", pt(0))
        sub(el, "DurationFormat", FORMAT["d"])
        sub(el, "EffortDriven", 0)
        sub(el, "Milestone", 1)
        sub(el, "Summary", 0)
        sub(el, "ConstraintType", MUST_START_ON)
        sub(el, "ConstraintDate", at)
        self.values(el, [(FIELD_ID, m.id), (FIELD_KIND, PROGRAM_KIND), (FIELD_VENDOR, m.vendor)])

    def hours_per_day(self, task: Task) -> float:
        return self.calendar_def(task.calendar).hours_per_day

    def duration(self, task: Task, result: TaskResult) -> tuple[str, int]:
        """Duration as PT#H#M#S of working time (calendar time for `ed`) and its format."""
        if task.is_milestone:
            return pt(0), FORMAT["d"]
        if task.duration is not None and not task.is_summary:
            return pt(task.duration.minutes(self.hours_per_day(task))), FORMAT[task.duration.unit]
        cal = self.calendar_def(task.calendar)
        if task.is_summary:  # its span: the working days from its start to its finish
            span = (result.finish - result.start).days + 1
            days = sum(
                WEEKDAYS[(result.start + timedelta(days=i)).weekday()] in cal.workdays
                for i in range(span)
            )
            return pt(days * cal.hours_per_day * MINUTES_PER_HOUR), FORMAT["d"]
        return pt(result.duration_days * cal.hours_per_day * MINUTES_PER_HOUR), FORMAT["d"]

    def task(self, parent: etree._Element, row: _Row, result: TaskResult) -> None:
        sub, t = self.sub, row.task
        times = working_times(self.hours_per_day(t))
        first, last = times[0][0], times[-1][1]
        el = sub(parent, "Task")
        sub(el, "UID", row.uid)
        sub(el, "ID", row.uid)
        sub(el, "Name", t.name)
        sub(el, "Type", FIXED_DURATION)
        sub(el, "OutlineNumber", row.outline)
        sub(el, "OutlineLevel", row.level)
        if t.is_milestone:
            sub(el, "Start", moment(result.start, first))
            sub(el, "Finish", moment(result.start, first))
        else:
            sub(el, "Start", moment(result.start, first))
            sub(el, "Finish", moment(result.finish, last))
        text, fmt = self.duration(t, result)
        sub(el, "Duration", text)
        sub(el, "DurationFormat", fmt)
        sub(el, "EffortDriven", 0)
        sub(el, "Milestone", int(t.is_milestone))
        sub(el, "Summary", int(t.is_summary))
        sub(el, "Critical", int(result.critical))
        if t.cost is not None:
            sub(el, "FixedCost", number(t.cost))
        sub(el, "PercentComplete", round(result.percent_complete))
        if t.actual_start is not None:
            sub(el, "ActualStart", moment(t.actual_start, first))
        if t.actual_finish is not None:
            sub(el, "ActualFinish", moment(t.actual_finish, last))
        if t.actual_cost is not None:
            sub(el, "ActualCost", number(t.actual_cost))
        if t.pin is not None:
            sub(el, "ConstraintType", MUST_START_ON)
        elif t.not_before is not None:
            sub(el, "ConstraintType", START_NO_EARLIER_THAN)
        if t.calendar is not None:
            sub(el, "CalendarUID", self.calendar_uid[self.calendar_def(t.calendar).id])
        constraint = t.pin or t.not_before
        if constraint is not None:
            sub(el, "ConstraintDate", moment(constraint, first))
        if t.deadline is not None:
            sub(el, "Deadline", moment(t.deadline, last))
        if result.levelling_delay_days > 0 and not t.is_summary:  # as MS Project levels
            delay = result.levelling_delay_days * self.hours_per_day(t) * MINUTES_PER_HOUR
            sub(el, "LevelingDelay", round(10 * delay))
            sub(el, "LevelingDelayFormat", FORMAT["d"])
        if t.notes:
            sub(el, "Notes", t.notes)
        for dep in t.after:
            link = sub(el, "PredecessorLink")
            sub(link, "PredecessorUID", self.task_uid[dep.task])
            sub(link, "Type", LINK_TYPE[dep.type])
            lag = dep.lag or Duration(0, "d")
            sub(link, "LinkLag", 10 * lag.minutes(self.hours_per_day(t)))
            sub(link, "LagFormat", FORMAT[lag.unit])
        values = [
            (FIELD_DELIVERABLE, t.deliverable),
            (FIELD_OUTCOMES, ", ".join(t.outcomes) or None),
            (FIELD_ID, t.id),
            (FIELD_KIND, t.kind if t.kind not in (None, "milestone") else None),
        ]
        self.values(el, values)
        self.task_baselines(el, t)

    def task_baselines(self, el: etree._Element, t: Task) -> None:
        times = working_times(self.hours_per_day(t))
        for index, tasks in enumerate(self.baselines):
            b = tasks.get(t.id)
            if b is None:
                continue
            base = self.sub(el, "Baseline")
            self.sub(base, "Number", index)
            self.sub(base, "Start", moment(b.start, times[0][0]))
            self.sub(base, "Finish", moment(b.finish, times[-1][1]))
            elapsed = t.duration is not None and t.duration.elapsed
            day = 24 * MINUTES_PER_HOUR if elapsed else self.hours_per_day(t) * MINUTES_PER_HOUR
            self.sub(base, "Duration", pt(0 if t.is_milestone else b.duration_days * day))
            self.sub(base, "DurationFormat", FORMAT["ed" if elapsed else "d"])
            self.sub(base, "Work", pt(b.work_hours * MINUTES_PER_HOUR))
            self.sub(base, "Cost", number(b.cost))

    def values(self, task: etree._Element, values: list[tuple[int, str | None]]) -> None:
        for field_id, value in values:
            if value:
                attr = self.sub(task, "ExtendedAttribute")
                self.sub(attr, "FieldID", field_id)
                self.sub(attr, "Value", value)

    # -- resources and assignments ------------------------------------------------------

    def resources_element(self) -> etree._Element:
        sub = self.sub
        el = etree.Element(f"{{{NS}}}Resources")
        for r in self.plan.resources:
            res = sub(el, "Resource")
            sub(res, "UID", self.resource_uid[r.id])
            sub(res, "ID", self.resource_uid[r.id])
            sub(res, "Name", r.name or r.id)
            sub(res, "Type", 1)  # work
            sub(res, "Code", r.id)
            sub(res, "MaxUnits", number(r.units))
            sub(res, "StandardRate", number(r.rate))
            sub(res, "StandardRateFormat", 2)  # per hour
            sub(res, "CalendarUID", self.calendar_uid[f"resource:{r.id}"])
        return el

    def assignments_element(self) -> etree._Element:
        sub = self.sub
        el = etree.Element(f"{{{NS}}}Assignments")
        uid = 0
        for row in self.rows:
            result = self.sched.task(row.task.id)
            times = working_times(self.hours_per_day(row.task))
            for a in result.assignments:
                uid += 1
                asg = sub(el, "Assignment")
                sub(asg, "UID", uid)
                sub(asg, "TaskUID", row.uid)
                sub(asg, "ResourceUID", self.resource_uid[a.resource])
                sub(asg, "Cost", number(a.cost))
                sub(asg, "Finish", moment(result.finish, times[-1][1]))
                sub(asg, "Start", moment(result.start, times[0][0]))
                sub(asg, "Units", number(a.units))
                sub(asg, "Work", pt(a.hours * a.units * MINUTES_PER_HOUR))
        return el


def _verified(v: Verification | None) -> dict[str, str] | None:
    if v is None:
        return None
    return {"by": v.by, "date": v.date.isoformat(), "evidence": v.evidence}


def _json(**fields: object) -> str:
    return json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False)


def to_mspdi(
    plan: Plan, sched: Schedule, holidays: HolidaySource, baselines: Sequence[Baseline] = ()
) -> bytes:
    """The plan and its schedule as an MSPDI document (UTF-8, with its declaration);
    public holidays, from `holidays`, as calendar exceptions; the saved `baselines` (in
    the order saved) as each task's Baseline elements."""
    return _Writer(plan, sched, holidays, baselines).document()
