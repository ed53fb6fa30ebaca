"""MSPDI calendars as ontrack's: base calendars become calendars (working weekdays, hours
a day, closed dates), a resource's own calendar its base calendar and its days away.

Non-working exceptions travel, one-off or recurring, in both forms MSPDI has (the
`Exceptions` of Project 2007 and later, and the older `WeekDay` of DayType 0). What
ontrack's calendars cannot say is left out and noted: working exceptions (an extra
working Saturday), alternate work weeks, and days of different lengths."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from ontrack.core.model import WEEKDAYS, Away, CalendarDef, Resource, Task, Weekday
from ontrack.interop.ids import Ids
from ontrack.interop.mspdi import HOLIDAYS
from ontrack.interop.mspdi_calendar import BadRecurrence, Recurrence, expand
from ontrack.interop.mspdi_xml import Element, Source

DAY_TYPE: dict[int, Weekday] = {
    1: "sun",
    2: "mon",
    3: "tue",
    4: "wed",
    5: "thu",
    6: "fri",
    7: "sat",
}
DEFAULT = CalendarDef("(default)")
"""The project calendar ontrack assumes when a plan names none: MS Project's Standard."""


class Calendars:
    def __init__(self, src: Source, ids: Ids, remarks: dict[str, list[str]]) -> None:
        self.src, self.remarks = src, remarks
        self.elements: dict[int, Element] = {}
        self.base: dict[int, CalendarDef] = {}
        for el in src.all(src.root, "Calendars/Calendar"):
            uid = src.integer(el, "UID")
            if uid is None:
                continue
            self.elements[uid] = el
            if src.flag(el, "IsBaseCalendar"):
                name = src.text(el, "Name") or f"calendar-{uid}"
                self.base[uid] = self._calendar(el, ids.make(name, f"calendar-{uid}"), name)
        self.project_uid = src.integer(src.root, "CalendarUID")
        self.project = self.base.get(self.project_uid or -1)
        self.plain = self.project is not None and _plain(self.project)
        self.by_id = {c.id: c for c in self.base.values()}

    def project_calendar(self) -> str | None:
        """The project calendar's id; none when it is MS Project's plain Standard calendar
        (Monday to Friday, 8 hours, no exceptions), which is ontrack's default too."""
        if self.project is None or self.plain:
            return None
        return self.project.id

    def task_calendar(self, uid: int | None) -> str | None:
        cal = self._base_of(uid)
        return None if cal is None or cal is self.project else cal.id

    def hours_per_day(self, calendar: str | None) -> float:
        cal = self.by_id.get(calendar or "") or self.project or DEFAULT
        return cal.hours_per_day

    def resource_calendar(self, uid: int | None) -> tuple[str | None, tuple[Away, ...]]:
        """A resource's calendar (None: the project's) and its days away."""
        el = self.elements.get(uid if uid is not None else -1)
        if el is None:
            return None, ()
        if self.src.flag(el, "IsBaseCalendar"):
            return self.task_calendar(uid), ()
        name = self.src.text(el, "Name") or f"calendar {uid}"
        if any(self.src.integer(d, "DayType") for d in self.src.all(el, "WeekDays/WeekDay")):
            self.remarks[
                "a resource's own working week is left out (its base calendar's applies)"
            ].append(name)
        closed = _spans(sorted(self._closed(el, name)))
        return self.task_calendar(self.src.integer(el, "BaseCalendarUID")), closed

    def used(
        self, project: str | None, resources: tuple[Resource, ...], tasks: tuple[Task, ...]
    ) -> tuple[CalendarDef, ...]:
        """The calendars the plan refers to, in the file's order."""
        wanted = {project} | {r.calendar for r in resources} | _task_calendars(tasks)
        return tuple(c for c in self.base.values() if c.id in wanted)

    # -- reading ------------------------------------------------------------------------

    def _base_of(self, uid: int | None) -> CalendarDef | None:
        seen: set[int] = set()
        while uid is not None and uid not in self.base and uid not in seen:
            seen.add(uid)
            el = self.elements.get(uid)
            uid = self.src.integer(el, "BaseCalendarUID") if el is not None else None
        return self.base.get(uid) if uid is not None else None

    def _calendar(self, el: Element, cal_id: str, name: str) -> CalendarDef:
        src = self.src
        minutes: dict[Weekday, int] = {}
        days = [d for d in src.all(el, "WeekDays/WeekDay") if src.integer(d, "DayType")]
        if not days:
            return CalendarDef(cal_id, closed=tuple(sorted(self._closed(el, name))))
        holidays = self._holidays(el)
        for day in days:
            weekday = DAY_TYPE.get(src.integer(day, "DayType") or 0)
            if weekday is not None and src.flag(day, "DayWorking"):
                minutes[weekday] = self._working_minutes(day) or 8 * 60
        if src.all(el, "WorkWeeks/WorkWeek"):
            self.remarks["alternate work weeks are left out of calendars"].append(name)
        lengths = Counter(minutes.values())
        if len(lengths) > 1:
            self.remarks[
                "days of different lengths take the most common length, in calendars"
            ].append(name)
        hours = lengths.most_common(1)[0][0] / 60 if lengths else 8
        return CalendarDef(
            cal_id,
            workdays=tuple(d for d in WEEKDAYS if d in minutes),
            hours_per_day=int(hours) if hours == int(hours) else hours,
            holidays=holidays,
            closed=tuple(sorted(self._closed(el, name, skip=holidays))),
        )

    def _holidays(self, el: Element) -> str | None:
        """The country of the public holidays ontrack wrote as exceptions, if any."""
        prefix, suffix = HOLIDAYS.split("{}")
        for ex in self.src.all(el, "Exceptions/Exception"):
            name = self.src.text(ex, "Name") or ""
            if name.endswith(suffix) and prefix in name:
                return name[name.rindex(prefix) + len(prefix) : -len(suffix)] or None
        return None

    def _working_minutes(self, parent: Element) -> int:
        total = 0
        for wt in self.src.all(parent, "WorkingTimes/WorkingTime"):
            start, finish = (
                _clock(self.src.text(wt, "FromTime")),
                _clock(self.src.text(wt, "ToTime")),
            )
            if start is not None and finish is not None:
                total += (finish or 24 * 60) - start  # 00:00 at the end is midnight
        return total

    def _closed(self, el: Element, name: str, skip: str | None = None) -> set[date]:
        """Its non-working exceptions' dates, but for the holidays of country `skip`."""
        src, out = self.src, set()
        old_style = [d for d in src.all(el, "WeekDays/WeekDay") if src.integer(d, "DayType") == 0]
        for ex in [*src.all(el, "Exceptions/Exception"), *old_style]:
            if skip and (src.text(ex, "Name") or "").endswith(HOLIDAYS.format(skip)):
                continue
            if src.flag(ex, "DayWorking"):
                self.remarks[
                    "working exceptions (extra or changed working days) are left out of calendars"
                ].append(name)
                continue
            try:
                out.update(expand(self._recurrence(ex)))
            except BadRecurrence as e:
                src.problem(
                    ex,
                    "mspdi-value",
                    f"an exception of calendar '{name}' cannot be "
                    f"read: {e}; correct it in your project tool",
                )
        return out

    def _recurrence(self, ex: Element) -> Recurrence:
        src = self.src
        period = src.child(ex, "TimePeriod")
        first = src.day(period, "FromDate") if period is not None else None
        if first is None:
            raise BadRecurrence("it has no <TimePeriod><FromDate>")
        month = src.integer(ex, "Month")
        by_count = src.flag(ex, "EnteredByOccurrences")
        return Recurrence(
            type=src.integer(ex, "Type") or 1,
            first=first,
            last=src.day(period, "ToDate") if period is not None else None,
            occurrences=src.integer(ex, "Occurrences") if by_count else None,
            period=src.integer(ex, "Period") or 1,
            month=month + 1 if month is not None else None,
            month_day=src.integer(ex, "MonthDay"),
            position=src.integer(ex, "MonthPosition"),
            item=src.integer(ex, "MonthItem"),
            days_of_week=src.integer(ex, "DaysOfWeek") or 0,
        )


def _plain(cal: CalendarDef) -> bool:
    return (cal.workdays, cal.hours_per_day, cal.holidays, cal.closed) == (
        DEFAULT.workdays,
        DEFAULT.hours_per_day,
        None,
        (),
    )


def _clock(text: str | None) -> int | None:
    try:
        hours, minutes, *_ = (int(p) for p in (text or "").split(":"))
    except ValueError:
        return None  # the day then counts as a standard one
    return hours * 60 + minutes


def _spans(days: list[date]) -> tuple[Away, ...]:
    """Dates as runs of consecutive days."""
    out: list[Away] = []
    for d in days:
        if out and out[-1].end + timedelta(days=1) == d:
            out[-1] = Away(out[-1].start, d)
        else:
            out.append(Away(d, d))
    return tuple(out)


def _task_calendars(tasks: tuple[Task, ...]) -> set[str | None]:
    out: set[str | None] = set()
    for t in tasks:
        out.add(t.calendar)
        out |= _task_calendars(t.tasks)
    return out
