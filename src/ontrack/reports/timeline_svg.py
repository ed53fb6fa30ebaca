"""A small SVG bar showing where the IT work sits inside the client's program."""

from __future__ import annotations

from datetime import date

from ontrack.reports.model import Span
from ontrack.reports.svg import document, element, text, text_width
from ontrack.reports.wording import fmt_date, fmt_span

_WIDTH = 640
_LABEL_W = 80
_BAR_H = 14


def render_timeline(program: Span, it: Span, status_date: date | None) -> str:
    start, finish = min(program.start, it.start), max(program.finish, it.finish)
    day_px = (_WIDTH - _LABEL_W - 10) / ((finish - start).days + 1)

    def x(day: date, *, end: bool = False) -> float:
        return _LABEL_W + ((day - start).days + end) * day_px

    it_x0, it_x1 = x(it.start), x(it.finish, end=True)
    body = [
        _bar("Program", x(program.start), x(program.finish, end=True), 6, "#bcccdc"),
        _bar("IT work", it_x0, it_x1, 26, "#4c7dbf"),
        _beside(fmt_span(it.start, it.finish), it_x0, it_x1, 26 + 11),
        text(fmt_date(program.start), x=x(program.start), y=58, font_size=10, fill="#486581"),
        text(fmt_date(program.finish), x=x(program.finish, end=True), y=58, font_size=10,
             fill="#486581", text_anchor="end"),
    ]
    if status_date and start <= status_date <= finish:
        sx = x(status_date)
        body.append(element("line", x1=sx, x2=sx, y1=2, y2=44, stroke="#f08c00", stroke_width=2,
                            stroke_dasharray="4 2"))
    label = (
        f"IT work {fmt_span(it.start, it.finish)} within the program "
        f"{fmt_span(program.start, program.finish)}"
    )
    return document(_WIDTH, 64, body, label=label)


def _beside(content: str, x0: float, x1: float, y: float) -> str:
    """A label after the bar, or before it when the bar ends near the right edge."""
    if x1 + 6 + text_width(content, 11) <= _WIDTH:
        return text(content, x=x1 + 6, y=y, font_size=11, fill="#243b53")
    return text(content, x=x0 - 6, y=y, font_size=11, fill="#243b53", text_anchor="end")


def _bar(label: str, x0: float, x1: float, y: float, colour: str) -> str:
    return "".join([
        text(label, x=0, y=y + 11, font_size=11, fill="#334e68", font_weight="bold"),
        element("rect", x=x0, y=y, width=max(x1 - x0, 2.0), height=_BAR_H, rx=3, fill=colour),
    ])
