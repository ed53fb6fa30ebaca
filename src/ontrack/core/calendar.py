"""Working time: the only place that knows weekends, holidays, closed dates and days away.

Time inside the scheduler is an integer number of minutes since midnight of the
project's first day (the *origin*). Each working day's working time is its first
`hours_per_day` hours from midnight, so a day's working minutes are ``[0, H)`` of that
day. This keeps every calendar a single number per day, makes the intersection of two
calendars an element-wise minimum, and gives the spec's `ed` rule for free (an elapsed
task started at the start of a day ends at a midnight, its last covered day being the
day before).

A calendar table holds, for several calendars at once, the working minutes of each day
and their running total, so that conversions between absolute minutes and *work
indices* (the number of working minutes before an instant) are vectorised lookups.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from ontrack.core.model import MINUTES_PER_HOUR, WEEKDAYS, Away, CalendarDef, Plan

MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
IntArray = npt.NDArray[np.int64]

HolidaySource = Callable[[str, int], Iterable[date]]
"""Public holidays of a country (code) in a year; supplied by the caller, so the core stays pure."""

DEFAULT_CALENDAR = CalendarDef(id="(default)")


def calendar_of(plan: Plan, calendar_id: str | None = None) -> CalendarDef:
    """A calendar of the plan by id; None (or no id) is its project calendar."""
    wanted = calendar_id or plan.project.calendar
    return next((c for c in plan.calendars if c.id == wanted), DEFAULT_CALENDAR)


@dataclass(frozen=True)
class WorkPattern:
    """One calendar as the scheduler needs it: a base definition minus days away.

    Several patterns may be intersected (a task that holds resources runs only when all
    of them work).
    """

    parts: tuple[tuple[CalendarDef, tuple[Away, ...]], ...]

    @staticmethod
    def of(calendar: CalendarDef, away: Sequence[Away] = ()) -> WorkPattern:
        return WorkPattern(((calendar, tuple(away)),))

    def intersect(self, other: WorkPattern) -> WorkPattern:
        merged = tuple(dict.fromkeys(self.parts + other.parts))
        return WorkPattern(merged)


def day_minutes(pattern: WorkPattern, origin: date, days: int, holidays: HolidaySource) -> IntArray:
    """Working minutes of each day in ``[origin, origin + days)``."""
    result = np.full(days, MINUTES_PER_DAY, dtype=np.int64)
    weekday0 = origin.weekday()
    weekday = (np.arange(days) + weekday0) % 7
    for calendar, away in pattern.parts:
        per_day = round(calendar.hours_per_day * MINUTES_PER_HOUR)
        works = np.isin(weekday, [WEEKDAYS.index(d) for d in calendar.workdays])
        minutes = np.where(works, per_day, 0).astype(np.int64)
        for off in _closed_offsets(calendar, away, origin, days, holidays):
            minutes[off] = 0
        result = np.minimum(result, minutes)
    return result


def _closed_offsets(
    calendar: CalendarDef,
    away: Sequence[Away],
    origin: date,
    days: int,
    holidays: HolidaySource,
) -> Iterable[int]:
    last = origin + timedelta(days=days - 1)
    closed: set[date] = set(calendar.closed)
    if calendar.holidays:
        for year in range(origin.year, last.year + 1):
            closed.update(holidays(calendar.holidays, year))
    for span in away:
        day = span.start
        while day <= span.end:
            closed.add(day)
            day += timedelta(days=1)
    for day in closed:
        offset = (day - origin).days
        if 0 <= offset < days:
            yield offset


class CalendarTable:
    """Several calendars over the same span of days, with vectorised conversions.

    A *work index* w of calendar c counts working minutes of c; ``start_of(c, w)`` is the
    instant the (w+1)-th working minute begins, ``end_of(c, w)`` the instant the w-th
    one ends, and ``work_before(c, t)`` the number of working minutes before instant t.
    """

    def __init__(self, origin: date, per_day: IntArray) -> None:
        self.origin = origin
        self.per_day = per_day  # shape (calendars, days)
        self.n_calendars, self.days = int(per_day.shape[0]), int(per_day.shape[1])
        cum = np.zeros((self.n_calendars, self.days + 1), dtype=np.int64)
        np.cumsum(per_day, axis=1, out=cum[:, 1:])
        self.cum = cum
        self.total = cum[:, -1]
        # One sorted key per (calendar, day) so a single searchsorted serves every calendar.
        self._stride = int(cum.max()) + 1
        self._keys = (cum + np.arange(self.n_calendars)[:, None] * self._stride).ravel()
        self.horizon = self.days * MINUTES_PER_DAY
        # Plain lists for one value at a time (levelling places tasks one by one), where
        # a dozen numpy calls on one-element arrays would cost ten times more.
        self._cum_rows: list[list[int]] = cum.tolist()
        self._day_rows: list[list[int]] = per_day.tolist()

    @staticmethod
    def build(
        patterns: Sequence[WorkPattern], origin: date, days: int, holidays: HolidaySource
    ) -> CalendarTable:
        rows = [day_minutes(p, origin, days, holidays) for p in patterns]
        return CalendarTable(origin, np.stack(rows) if rows else np.zeros((0, days), np.int64))

    def work_before(self, cal: IntArray, t: IntArray) -> IntArray:
        if t.size == 1 and cal.size == 1:
            return np.array([self._work_before_one(int(cal.flat[0]), int(t.flat[0]))])
        t = np.minimum(np.maximum(t, 0), self.horizon - 1)  # np.clip costs ten times more
        day = t // MINUTES_PER_DAY
        into = t - day * MINUTES_PER_DAY
        result: IntArray = self.cum[cal, day] + np.minimum(into, self.per_day[cal, day])
        return result

    def start_of(self, cal: IntArray, w: IntArray) -> IntArray:
        if w.size == 1 and cal.size == 1:
            return np.array([self._start_of_one(int(cal.flat[0]), int(w.flat[0]))])
        w = np.maximum(w, 0)
        keys = w + cal * self._stride
        row = np.searchsorted(self._keys, keys, side="right") - 1
        day = row - cal * (self.days + 1)
        day = np.minimum(day, self.days - 1)
        result: IntArray = day * MINUTES_PER_DAY + (w - self.cum[cal, day])
        return result

    def _work_before_one(self, cal: int, t: int) -> int:
        day, into = divmod(min(max(t, 0), self.horizon - 1), MINUTES_PER_DAY)
        return self._cum_rows[cal][day] + min(into, self._day_rows[cal][day])

    def _start_of_one(self, cal: int, w: int) -> int:
        w = max(w, 0)
        row = self._cum_rows[cal]
        day = min(bisect_right(row, w) - 1, self.days - 1)
        return day * MINUTES_PER_DAY + w - row[day]

    def end_of(self, cal: IntArray, w: IntArray) -> IntArray:
        result: IntArray = np.where(w > 0, self.start_of(cal, w - 1) + 1, 0)
        return result

    def overflows(self, cal: IntArray, w: IntArray) -> bool:
        """True when a work index lies past the last working minute this table holds."""
        return bool(np.any(w >= self.total[cal]))

    def date_of(self, t: int) -> date:
        return self.origin + timedelta(days=t // MINUTES_PER_DAY)
