"""Working-time conversions: one value at a time agrees with whole arrays, and the basic
facts of a calendar hold (weekends, holidays, closed dates, days away, intersections)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.core.calendar import MINUTES_PER_DAY, CalendarTable, WorkPattern
from ontrack.core.model import Away, CalendarDef

START = date(2027, 3, 1)  # a Monday
STANDARD = CalendarDef(id="std", closed=(date(2027, 3, 3),))
SIX_DAYS = CalendarDef(
    id="six", workdays=("mon", "tue", "wed", "thu", "fri", "sat"), hours_per_day=6
)


def july_fourth(country: str, year: int) -> list[date]:
    return [date(year, 7, 5)] if country == "US" else []


def table() -> CalendarTable:
    away = WorkPattern.of(STANDARD, (Away(date(2027, 3, 8), date(2027, 3, 9)),))
    patterns = [
        WorkPattern.of(STANDARD),
        WorkPattern.of(SIX_DAYS),
        away.intersect(WorkPattern.of(SIX_DAYS)),
        WorkPattern.of(CalendarDef(id="us", holidays="US")),
    ]
    return CalendarTable.build(patterns, START, 200, july_fourth)


def test_weekends_closed_dates_and_days_away_have_no_working_time() -> None:
    t = table()
    assert t.per_day[0, :7].tolist() == [480, 480, 0, 480, 480, 0, 0]  # Wed 3rd closed
    assert t.per_day[1, :7].tolist() == [360] * 6 + [0]
    # Intersection: days away (8th, 9th) and the shorter day of the two calendars.
    assert t.per_day[2, 7:10].tolist() == [0, 0, 360]
    assert t.per_day[3, (date(2027, 7, 5) - START).days] == 0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=6),
    st.lists(st.integers(-2000, 200 * MINUTES_PER_DAY + 2000), min_size=6, max_size=6),
)
def test_one_value_at_a_time_agrees_with_whole_arrays(cals: list[int], values: list[int]) -> None:
    t = table()
    cal = np.array(cals, np.int64)
    x = np.array(values[: len(cals)], np.int64)
    for convert in (t.work_before, t.start_of, t.end_of):
        whole = convert(cal, x)
        one_by_one = [int(convert(cal[i : i + 1], x[i : i + 1])[0]) for i in range(len(cals))]
        assert whole.tolist() == one_by_one


def test_start_of_and_work_before_invert_each_other_on_working_minutes() -> None:
    t = table()
    cal = np.zeros(50, np.int64)
    w = np.arange(0, 50 * 97, 97, dtype=np.int64)
    assert t.work_before(cal, t.start_of(cal, w)).tolist() == w.tolist()
    assert t.work_before(cal, t.end_of(cal, w + 1)).tolist() == (w + 1).tolist()
