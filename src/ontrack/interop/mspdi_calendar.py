"""MSPDI calendar exceptions as dates: one-off periods, and MS Project's recurring ones
(daily, weekly, monthly and yearly) expanded within their range.

Pure: elements in, dates out. The codes (from the MSPDI schema): Type 1 daily, 2 yearly
by month day, 3 yearly by position, 4 monthly by month day, 5 monthly by position,
6 weekly; Month 0 = January; MonthPosition 0-3 first to fourth, 4 last; MonthItem
0 day, 1 weekday, 2 weekend day, 3-9 Sunday to Saturday; DaysOfWeek a bit mask,
1 = Sunday to 64 = Saturday."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DATES = 20_000
"""Exception dates one calendar may expand to (55 years of every day): a file asking for
more is refused rather than allowed to fill memory."""


class BadRecurrence(ValueError):
    """An exception whose range or pattern cannot be expanded."""


@dataclass(frozen=True)
class Recurrence:
    type: int
    first: date
    last: date | None
    occurrences: int | None  # when the range is given by a count
    period: int = 1
    month: int | None = None  # 1-12
    month_day: int | None = None
    position: int | None = None  # 0-3, 4 = last
    item: int | None = None
    days_of_week: int = 0


def expand(rule: Recurrence) -> list[date]:
    """Every date of the exception, in order."""
    if rule.last is None and rule.occurrences is None:
        raise BadRecurrence("it has neither an end date nor a number of occurrences")
    if rule.period < 1:
        raise BadRecurrence(f"its period is {rule.period}: it must be 1 or more")
    out: list[date] = []
    for day in _candidates(rule):
        if rule.last is not None and day > rule.last:
            break
        if day < rule.first:
            continue
        out.append(day)
        if len(out) == rule.occurrences or len(out) > MAX_DATES:
            break
    if len(out) > MAX_DATES:
        raise BadRecurrence(f"it expands to more than {MAX_DATES} dates")
    return out


def _candidates(rule: Recurrence) -> Iterator[date]:
    kind = rule.type
    if kind == 1:
        yield from _every(rule.first, timedelta(days=rule.period))
    elif kind == 6:
        yield from _weekly(rule)
    elif kind in (2, 3):
        if rule.month is None:
            raise BadRecurrence("a yearly exception needs its Month")
        for year in range(rule.first.year, date.max.year):
            yield from _in_month(rule, year, rule.month)
    elif kind in (4, 5):
        year, month = rule.first.year, rule.first.month
        while year < date.max.year:
            yield from _in_month(rule, year, month)
            month += rule.period
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    else:
        raise BadRecurrence(f"its Type {kind} is not one MSPDI defines (1 to 6)")


def _every(first: date, step: timedelta) -> Iterator[date]:
    day = first
    while True:
        yield day
        if date.max - day < step:
            return
        day += step


def _weekly(rule: Recurrence) -> Iterator[date]:
    if not rule.days_of_week & 0x7F:
        raise BadRecurrence("a weekly exception needs its DaysOfWeek")
    monday = rule.first - timedelta(days=rule.first.weekday())
    for week_start in _every(monday, timedelta(weeks=rule.period)):
        for offset in range(7):
            day = week_start + timedelta(days=offset)
            if rule.days_of_week & _bit(day):
                yield day


def _bit(day: date) -> int:
    """The DaysOfWeek bit of a date: Sunday 1, Monday 2, ..., Saturday 64."""
    return 1 << ((day.weekday() + 1) % 7)


def _in_month(rule: Recurrence, year: int, month: int) -> Iterator[date]:
    length = calendar.monthrange(year, month)[1]
    if rule.type in (2, 4):  # by day of the month; a 31st falls on a short month's last
        if rule.month_day is None:
            raise BadRecurrence("the exception needs its MonthDay")
        yield date(year, month, min(rule.month_day, length))
        return
    if rule.position is None or rule.item is None:
        raise BadRecurrence("the exception needs its MonthPosition and MonthItem")
    days = [d for d in (date(year, month, n) for n in range(1, length + 1)) if _is(rule.item, d)]
    if not days:
        raise BadRecurrence(f"its MonthItem {rule.item} is not one MSPDI defines (0 to 9)")
    yield days[-1] if rule.position >= 4 else days[min(rule.position, len(days) - 1)]


def _is(item: int, day: date) -> bool:
    weekend = day.weekday() >= 5
    if item == 0:
        return True
    if item in (1, 2):
        return weekend == (item == 2)
    return 3 <= item <= 9 and _bit(day) == 1 << (item - 3)
