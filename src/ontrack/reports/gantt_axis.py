"""The Gantt's time scale and axis: pixels per day chosen so the chart fits its width bound."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ontrack.reports.model import Span
from ontrack.reports.svg import element, text, text_width

MAX_WIDTH = 1600
MAX_DAY_PX = 18.0
AXIS_H = 34
_MONTH_ROW_H = 18
_GRID = "#d5dce3"
_WEEK_GRID = "#edf0f3"
_WEEKEND = "#52606d"
_AXIS_TEXT = "#44505c"


@dataclass(frozen=True)
class Scale:
    """Whole weeks, Monday to Monday, wide enough for the span plus a week for labels."""

    start: date
    days: int
    day_px: float
    left: float

    @classmethod
    def fit(cls, span: Span, *, left: float, right: float) -> Scale:
        start = span.start - timedelta(days=span.start.weekday())
        end = span.finish + timedelta(days=14 - span.finish.weekday())
        days = (end - start).days
        day_px = min(MAX_DAY_PX, (MAX_WIDTH - left - right) / days)
        return cls(start=start, days=days, day_px=day_px, left=left)

    @property
    def right(self) -> float:
        return self.left + self.days * self.day_px

    def x(self, day: date) -> float:
        """The left edge of the day."""
        return self.left + (day - self.start).days * self.day_px

    def x_end(self, day: date) -> float:
        """The right edge of the day: where an inclusive finish ends."""
        return self.x(day) + self.day_px

    def each_day(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)


def axis(scale: Scale, top: float, bottom: float) -> list[str]:
    """Weekend shading, week and month grid lines, and their labels."""
    out: list[str] = []
    week_px = scale.day_px * 7
    for day in scale.each_day():
        if day.weekday() == 5 and scale.day_px >= 6:
            out.append(_band(scale, day, 2, top + AXIS_H, bottom))
        if day.weekday() == 0 and week_px >= 5:
            out.append(_vline(scale.x(day), top + _MONTH_ROW_H, bottom, _WEEK_GRID))
            if week_px >= 22:
                out.append(_label(str(day.day), scale.x(day) + 2, top + AXIS_H - 4))
    for day, label in _months(scale):
        if day >= scale.start:
            out.append(_vline(scale.x(day), top, bottom, _GRID))
        if label:
            out.append(_label(label, max(scale.x(day), scale.left) + 3, top + 13))
    out.append(_vline(scale.left, top, bottom, _GRID))
    out.append(element("line", x1=scale.left, x2=scale.right, y1=top + AXIS_H,
                       y2=top + AXIS_H, stroke=_GRID))
    return out


def _months(scale: Scale) -> Iterator[tuple[date, str]]:
    """Each month start on the scale, labelled as fully as the space allows."""
    month_px = scale.day_px * 30
    day = scale.start.replace(day=1)
    while day < scale.start + timedelta(days=scale.days):
        room = scale.x(_next_month(day)) - max(scale.x(day), scale.left)
        label = _month_label(day, month_px)
        yield day, label if text_width(label, 11) + 6 <= room else ""
        day = _next_month(day)


def _month_label(day: date, month_px: float) -> str:
    if month_px >= 56:
        return f"{day:%b %Y}"
    if month_px < 22 and day.month % 3 != 1:
        return ""
    return str(day.year) if day.month == 1 else f"{day:%b}"


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _band(scale: Scale, day: date, days: int, top: float, bottom: float) -> str:
    return element("rect", x=scale.x(day), y=top, width=scale.day_px * days,
                   height=bottom - top, fill=_WEEKEND, fill_opacity=0.05)


def _vline(x: float, top: float, bottom: float, colour: str) -> str:
    return element("line", x1=x, x2=x, y1=top, y2=bottom, stroke=colour)


def _label(content: str, x: float, y: float) -> str:
    return text(content, x=x, y=y, font_size=11, fill=_AXIS_TEXT)
