"""The S-curve: cumulative planned value, earned value and actual cost over time.

The time axis is the Gantt's (calendar days, weekends shaded, the status date marked the
same way); cumulative values are plotted at the end of each working day of the curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ontrack.core.evm import EarnedValue
from ontrack.reports.gantt_axis import AXIS_H, Scale, axis
from ontrack.reports.gantt_svg import STATUS_LINE, status_line
from ontrack.reports.model import Span
from ontrack.reports.svg import document, element, group, num, text, text_width, title
from ontrack.reports.wording import fmt_date

LEFT_W = 90
RIGHT_PAD = 16
TITLE_H = 28
LEGEND_H = 24
PLOT_H = 320
_TICKS = 5
_GRID = "#d5dce3"
_SERIES = {"PV": "#4c7dbf", "EV": "#2f9e44", "AC": "#b00020"}
_MEANING = {
    "PV": "Planned value (baseline)",
    "EV": "Earned value",
    "AC": "Actual cost",
}


@dataclass(frozen=True)
class _Plot:
    """Where money and dates land on the drawing."""

    scale: Scale
    top: float
    bottom: float
    high: float

    def y(self, value: float) -> float:
        return self.bottom - value / self.high * (self.bottom - self.top)

    def points(self, days: Sequence[date], values: Sequence[float]) -> str:
        """Value k at the end of day k - 1; value 0 at the start of the first day."""
        xs = [self.scale.x(days[0])] + [self.scale.x_end(d) for d in days[: len(values) - 1]]
        return " ".join(f"{num(x)},{num(self.y(v))}" for x, v in zip(xs, values, strict=True))


def render_scurve(project_name: str, ev: EarnedValue) -> str:
    curve, status = ev.curve, ev.status_date
    days = curve.days or (status,)
    scale = Scale.fit(Span(min(days[0], status), max(days[-1], status)), left=LEFT_W,
                      right=RIGHT_PAD)
    axis_top = TITLE_H + LEGEND_H
    top = axis_top + AXIS_H + 12
    bottom = top + PLOT_H
    high = _nice_ceiling(max(ev.project.bac, *curve.pv, *curve.ac, 1.0))
    plot = _Plot(scale, top, bottom, high)
    legend, legend_right = _legend(TITLE_H)
    width = max(scale.right + RIGHT_PAD, legend_right)
    body = [
        element("rect", x=0, y=0, width=width, height=bottom + 28, fill="#fff"),
        *axis(scale, axis_top, bottom),
        *_money_grid(plot),
        _bac_line(plot, ev.project.bac),
    ]
    for name, values in (("PV", curve.pv), ("EV", curve.ev), ("AC", curve.ac)):
        body.append(_series(plot, days, name, values))
    body.append(status_line(status, scale, axis_top, bottom))
    body += [_status_marks(plot, ev), _title(project_name, ev), *legend]
    label = f"S-curve of {project_name}: planned value, earned value and actual cost"
    return document(width, bottom + 28, body, label=label)


def _nice_ceiling(value: float) -> float:
    """The next round number above `value` that splits into _TICKS round steps."""
    step = value / _TICKS
    magnitude = 10.0 ** math.floor(math.log10(step))
    nice = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    return float(nice * _TICKS)


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _money_grid(plot: _Plot) -> list[str]:
    out = []
    for k in range(_TICKS + 1):
        value = plot.high * k / _TICKS
        y = plot.y(value)
        out.append(element("line", x1=plot.scale.left, x2=plot.scale.right, y1=y, y2=y,
                           stroke=_GRID))
        out.append(text(_money(value), x=plot.scale.left - 6, y=y + 4, font_size=11,
                        fill="#44505c", text_anchor="end"))
    return out


def _bac_line(plot: _Plot, bac: float) -> str:
    y = plot.y(bac)
    return group([
        title(f"Budget at completion (BAC): {_money(bac)}"),
        element("line", x1=plot.scale.left, x2=plot.scale.right, y1=y, y2=y, stroke="#334e68",
                stroke_width=1.5, stroke_dasharray="8 4"),
        text(f"BAC {_money(bac)}", x=plot.scale.left + 4, y=y - 4, font_size=11,
             fill="#334e68"),
    ], class_="sc-bac")


def _series(plot: _Plot, days: Sequence[date], name: str, values: Sequence[float]) -> str:
    line = element("polyline", points=plot.points(days, values), fill="none",
                   stroke=_SERIES[name], stroke_width=2.5, stroke_linejoin="round")
    return group([title(_MEANING[name]), line], class_=f"sc-{name.lower()}")


def _status_marks(plot: _Plot, ev: EarnedValue) -> str:
    """PV, EV and AC at the status date, as dots with their values."""
    x = plot.scale.x(ev.status_date)
    m = ev.project
    marks = []
    for name, value in (("PV", m.pv), ("EV", m.ev), ("AC", m.ac)):
        marks.append(group([
            title(f"{_MEANING[name]} at {fmt_date(ev.status_date)}: {_money(value)}"),
            element("circle", cx=x, cy=plot.y(value), r=4.5, fill=_SERIES[name], stroke="#fff",
                    stroke_width=1),
        ]))
    return group(marks, class_="sc-status-values")


def _title(project_name: str, ev: EarnedValue) -> str:
    facts = [f"against baseline '{ev.baseline}'", f"status date {fmt_date(ev.status_date)}"]
    return text(f"{project_name} · {' · '.join(facts)}", x=8, y=19, font_size=14,
                font_weight="bold", fill="#102a43")


def _legend(y: float) -> tuple[list[str], float]:
    """The legend's elements, and where it ends on the right."""
    x, cy, out = 8.0, y + 10, []
    swatches = [
        *((_MEANING[n], element("line", x1=0, x2=18, y1=cy, y2=cy, stroke=_SERIES[n],
                                stroke_width=2.5)) for n in _SERIES),
        ("Budget at completion", element("line", x1=0, x2=18, y1=cy, y2=cy, stroke="#334e68",
                                         stroke_width=1.5, stroke_dasharray="8 4")),
        ("Status date", element("line", x1=9, x2=9, y1=cy - 8, y2=cy + 8, stroke=STATUS_LINE,
                                stroke_width=2, stroke_dasharray="6 3")),
    ]
    for label, swatch in swatches:
        out.append(group([swatch], transform=f"translate({num(x)} 0)"))
        out.append(text(label, x=x + 24, y=cy + 4, font_size=11, fill="#334e68"))
        x += 24 + text_width(label, 11) + 16
    return out, x
