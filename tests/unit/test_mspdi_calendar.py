"""MS Project's recurring calendar exceptions, expanded to the dates they close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontrack.interop.mspdi_calendar import MAX_DATES, BadRecurrence, Recurrence, expand


def test_a_daily_exception_closes_every_nth_day_of_its_period() -> None:
    rule = Recurrence(1, date(2027, 3, 1), date(2027, 3, 10), None, period=3)
    assert expand(rule) == [date(2027, 3, 1), date(2027, 3, 4), date(2027, 3, 7), date(2027, 3, 10)]


def test_a_weekly_exception_closes_the_days_of_its_mask_every_other_week() -> None:
    mondays_and_fridays = 2 | 32
    rule = Recurrence(6, date(2027, 3, 1), date(2027, 3, 31), None, period=2,
                      days_of_week=mondays_and_fridays)  # fmt: skip
    assert expand(rule) == [
        date(2027, 3, 1), date(2027, 3, 5), date(2027, 3, 15), date(2027, 3, 19),
        date(2027, 3, 29),
    ]  # fmt: skip


def test_a_monthly_exception_on_the_31st_falls_on_the_last_day_of_short_months() -> None:
    rule = Recurrence(4, date(2027, 1, 1), None, 4, month_day=31)
    assert expand(rule) == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31),
                            date(2027, 4, 30)]  # fmt: skip


def test_a_monthly_exception_by_position_takes_the_last_friday() -> None:
    friday = 3 + 5  # MonthItem 3 is Sunday
    rule = Recurrence(5, date(2027, 1, 1), date(2027, 3, 31), None, position=4, item=friday)
    assert expand(rule) == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_a_yearly_exception_by_position_takes_thanksgiving() -> None:
    thursday = 3 + 4
    rule = Recurrence(3, date(2026, 1, 1), None, 3, month=11, position=3, item=thursday)
    assert expand(rule) == [date(2026, 11, 26), date(2027, 11, 25), date(2028, 11, 23)]


def test_a_weekday_position_skips_weekends() -> None:
    rule = Recurrence(5, date(2027, 5, 1), None, 1, position=0, item=1)  # first weekday
    assert expand(rule) == [date(2027, 5, 3)]


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    count=st.integers(1, 20),
)
def test_a_yearly_exception_gives_its_count_of_dates_one_a_year_on_its_day(
    first: date, month: int, day: int, count: int
) -> None:
    dates = expand(Recurrence(2, first, None, count, month=month, month_day=day))
    assert len(dates) == count
    assert all(d >= first and d.month == month for d in dates)
    assert all(d.day == day or (d + timedelta(days=1)).month != month for d in dates)
    assert [d.year for d in dates] == list(range(dates[0].year, dates[0].year + count))


def test_an_exception_without_an_end_or_a_count_is_refused() -> None:
    with pytest.raises(BadRecurrence, match="neither an end date nor a number"):
        expand(Recurrence(1, date(2027, 1, 1), None, None))


def test_an_exception_that_would_fill_memory_is_refused() -> None:
    with pytest.raises(BadRecurrence, match=f"more than {MAX_DATES} dates"):
        expand(Recurrence(1, date(1900, 1, 1), date(2200, 1, 1), None))


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(BadRecurrence, match="Type 9"):
        expand(Recurrence(9, date(2027, 1, 1), date(2027, 2, 1), None))
