"""An outcome's confidence as a chart: the S-curve of the simulated futures (the share done
by the end of each day), a histogram of the days they finish on, the target, and the
P50, P80 and P90 dates.

The time axis is the Gantt's (calendar days, weekends shaded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ontrack.core.confidence import OutcomeConfidence
from ontrack.reports.gantt_axis import AXIS_H, Scale, axis
from ontrack.reports.model import Span
from ontrack.reports.svg import document, element, group, num, text, text_width, title
from ontrack.reports.wording import fmt_date

LEFT_W = 56
RIGHT_PAD = 16
TITLE_H = 46
LEGEND_H = 24
PLOT_H = 260
BOTTOM_PAD = 28
_GRID = "#d5dce3"
_CURVE = "#4c7dbf"
_BARS = "#9fb3c8"
_TARGET = "#b00020"
_PERCENTILE = "#334e68"


@dataclass(frozen=True)
class _Plot:
    scale: Scale
    top: float
    bottom: float

    def y(self, share: float) -> float:
        return self.bottom - share * (self.bottom - self.top)


def render_confidence(o: OutcomeConfidence, iterations: int) -> str:
    """The chart of one outcome, from `iterations` simulated futures."""
    days = [d for d, _ in o.curve] or [o.p50]
    marks = [d for d in (o.target, o.forecast) if d is not None]
    scale = Scale.fit(Span(min(days[0], *marks), max(days[-1], *marks)), left=LEFT_W,
                      right=RIGHT_PAD)
    axis_top = TITLE_H + LEGEND_H
    top = axis_top + AXIS_H + 12
    bottom = top + PLOT_H
    plot = _Plot(scale, top, bottom)
    legend, legend_right = _legend(TITLE_H)
    width = max(
        scale.right + RIGHT_PAD,
        legend_right,
        text_width(o.statement, 14) + 16,
        text_width(_facts(o, iterations), 11) + 16,
    )
    body = [
        element("rect", x=0, y=0, width=width, height=bottom + BOTTOM_PAD, fill="#fff"),
        *axis(scale, axis_top, bottom),
        *_share_grid(plot),
        _histogram(plot, o.curve),
        _curve(plot, o.curve),
    ]
    if o.target is not None:
        body.append(_target(plot, o.target, o.p_on_time))
    body.append(_percentiles(plot, o))
    body += [*_title(o, iterations), *legend]
    label = f"Confidence of '{o.statement}': {_facts(o, iterations)}"
    return document(width, bottom + BOTTOM_PAD, body, label=label)


def _facts(o: OutcomeConfidence, iterations: int) -> str:
    facts = [f"P50 {fmt_date(o.p50)}", f"P80 {fmt_date(o.p80)}", f"P90 {fmt_date(o.p90)}"]
    if o.target is not None and o.p_on_time is not None:
        facts.append(f"{o.p_on_time:.0%} chance of meeting the target {fmt_date(o.target)}")
    facts.append(f"{iterations:,} futures")
    return " · ".join(facts)


def _title(o: OutcomeConfidence, iterations: int) -> list[str]:
    return [
        text(o.statement, x=8, y=19, font_size=14, font_weight="bold", fill="#102a43"),
        text(_facts(o, iterations), x=8, y=37, font_size=11, fill="#334e68"),
    ]


def _share_grid(plot: _Plot) -> list[str]:
    out = []
    for percent in range(0, 101, 20):
        y = plot.y(percent / 100)
        out.append(element("line", x1=plot.scale.left, x2=plot.scale.right, y1=y, y2=y,
                           stroke=_GRID))
        out.append(text(f"{percent}%", x=plot.scale.left - 6, y=y + 4, font_size=11,
                        fill="#44505c", text_anchor="end"))
    return out


def _daily(curve: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    """The share of futures finishing on each day of the curve."""
    out, before = [], 0.0
    for day, share in curve:
        out.append((day, share - before))
        before = share
    return out


def _histogram(plot: _Plot, curve: Sequence[tuple[date, float]]) -> str:
    """Bars of the futures finishing each day, the highest at half the plot's height."""
    daily = _daily(curve)
    highest = max((s for _, s in daily), default=0.0) or 1.0
    bars = []
    for day, share in daily:
        height = share / highest * (plot.bottom - plot.top) / 2
        bars.append(group([
            title(f"{fmt_date(day)}: {share:.1%} of futures finish this day"),
            element("rect", x=plot.scale.x(day) + 1, y=plot.bottom - height,
                    width=max(plot.scale.day_px - 2, 1.0), height=height, fill=_BARS),
        ]))
    return group(bars, class_="rk-histogram")


def _curve(plot: _Plot, curve: Sequence[tuple[date, float]]) -> str:
    """A step up at the end of each day, to the share of futures done by then."""
    if not curve:
        return group([], class_="rk-curve")
    points = [(plot.scale.x(curve[0][0]), 0.0)]
    for day, share in curve:
        end = plot.scale.x_end(day)
        points += [(end, points[-1][1]), (end, share)]
    text_points = " ".join(f"{num(x)},{num(plot.y(s))}" for x, s in points)
    line = element("polyline", points=text_points, fill="none", stroke=_CURVE, stroke_width=2.5,
                   stroke_linejoin="round")
    return group([title("Share of futures done by the end of each day"), line],
                 class_="rk-curve")


def _target(plot: _Plot, target: date, chance: float | None) -> str:
    x = plot.scale.x_end(target)
    said = "" if chance is None else f": met in {chance:.0%} of futures"
    return group([
        title(f"Target {fmt_date(target)}{said}"),
        element("line", x1=x, x2=x, y1=plot.top - 8, y2=plot.bottom, stroke=_TARGET,
                stroke_width=2, stroke_dasharray="6 3"),
        text(f"Target {fmt_date(target, year=False)}", x=x + 4, y=plot.top - 2, font_size=10,
             font_weight="bold", fill=_TARGET),
    ], class_="rk-target")


def _percentiles(plot: _Plot, o: OutcomeConfidence) -> str:
    """P50, P80 and P90: where the curve crosses 50%, 80% and 90%, down to their day."""
    marks = []
    for name, day, share in (("P50", o.p50, 0.5), ("P80", o.p80, 0.8), ("P90", o.p90, 0.9)):
        x, y = plot.scale.x_end(day), plot.y(share)
        marks.append(group([
            title(f"{name}: done by {fmt_date(day)} in {share:.0%} of futures"),
            element("line", x1=plot.scale.left, x2=x, y1=y, y2=y, stroke=_PERCENTILE,
                    stroke_width=1, stroke_dasharray="2 3"),
            element("line", x1=x, x2=x, y1=y, y2=plot.bottom, stroke=_PERCENTILE,
                    stroke_width=1, stroke_dasharray="2 3"),
            element("circle", cx=x, cy=y, r=4, fill=_PERCENTILE, stroke="#fff", stroke_width=1),
            text(f"{name} {fmt_date(day, year=False)}", x=x - 6, y=y - 6, font_size=10,
                 fill=_PERCENTILE, text_anchor="end"),
        ], class_=f"rk-{name.lower()}"))
    return group(marks, class_="rk-percentiles")


def _legend(y: float) -> tuple[list[str], float]:
    """The legend's elements, and where it ends on the right."""
    x, cy, out = 8.0, y + 10, []
    swatches = [
        ("Share of futures done by the day",
         element("line", x1=0, x2=18, y1=cy, y2=cy, stroke=_CURVE, stroke_width=2.5)),
        ("Futures finishing that day",
         element("rect", x=3, y=cy - 6, width=12, height=12, fill=_BARS)),
        ("Target", element("line", x1=9, x2=9, y1=cy - 8, y2=cy + 8, stroke=_TARGET,
                           stroke_width=2, stroke_dasharray="6 3")),
        ("P50, P80, P90", element("circle", cx=9, cy=cy, r=4, fill=_PERCENTILE)),
    ]
    for label, swatch in swatches:
        out.append(group([swatch], transform=f"translate({num(x)} 0)"))
        out.append(text(label, x=x + 24, y=cy + 4, font_size=11, fill="#334e68"))
        x += 24 + text_width(label, 11) + 16
    return out, x
