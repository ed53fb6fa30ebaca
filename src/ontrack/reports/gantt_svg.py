"""Draw a GanttChart as SVG: a label column, a time axis and one fixed-height row per item.

Rows are fixed height and labels are cut to the column, so 300 tasks stay readable; full
names and dates are in each row's tooltip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ontrack.core.results import OutcomeStatus
from ontrack.reports.gantt_axis import AXIS_H, Scale, axis
from ontrack.reports.model import GanttChart, GanttMarker, GroupRow, TaskRow
from ontrack.reports.svg import document, element, fit, group, num, text, text_width, title
from ontrack.reports.wording import (
    fmt_date,
    fmt_span,
    forecast_sentence,
    join_words,
    status_words,
    working_days,
)

ROW_H = 20
LABEL_W = 340
RIGHT_PAD = 16
TITLE_H = 28
LEGEND_H = 24
_INDENT = 12
_LABEL_CLIP = "gt-label-clip"
_FONT_PX = 11.5
_BOLD_PX = 14.0
"""Group labels are bold, so they are cut as if set in a larger font."""
_NOTE_PX = 10

_STATUS_COLOURS: dict[OutcomeStatus | None, str] = {
    "done": "#627d98",
    "on_track": "#2f9e44",
    "at_risk": "#e8a317",
    "late": "#b00020",
    None: "#9aa5b1",
}
_OUTSIDE = "#7b3fa0"
STATUS_LINE = "#f08c00"
_TARGET = "#102a43"

_STYLE = """
.gt-label{font-size:11.5px;fill:#1f2933}
.gt-outcome{font-size:12px;font-weight:bold;fill:#102a43}
.gt-deliverable{font-size:11.5px;font-weight:bold;fill:#334e68}
.gt-note{font-size:10px;font-style:italic;fill:#627d98}
.gt-bar{fill:#4c7dbf}
.gt-summary{fill:#334e68}
.gt-crit{fill:#d9480f}
.gt-progress{fill:#102a43;fill-opacity:.55}
.gt-outside{fill:#7b3fa0}
.gt-stripe{fill:#f4f6f8}
.gt-outcome-bg{fill:#e3ebf4}
.gt-deliverable-bg{fill:#eef2f6}
.gt-deliverable-span{fill:#9fb3c8}
"""


def render_gantt(chart: GanttChart) -> str:
    scale = Scale.fit(chart.span, left=LABEL_W, right=RIGHT_PAD)
    axis_top = TITLE_H + LEGEND_H
    rows_top = axis_top + AXIS_H
    outside_rows = 1 if chart.program_milestones else 0
    bottom = rows_top + (len(chart.rows) + outside_rows) * ROW_H
    body = [
        element("style", _STYLE),
        _label_clip(bottom),
        element("rect", x=0, y=0, width=scale.right + RIGHT_PAD, height=bottom + 8, fill="#fff"),
        *_backgrounds(chart.rows, rows_top + outside_rows * ROW_H, scale.right),
        *axis(scale, axis_top, bottom),
    ]
    if chart.program_milestones:
        body.append(_outside_row(chart.program_milestones, scale, rows_top, bottom))
    for index, row in enumerate(chart.rows):
        body.append(_row(row, rows_top + (index + outside_rows) * ROW_H, scale))
    if chart.status_date:
        body.append(status_line(chart.status_date, scale, axis_top, bottom))
    body += [_title(chart), *_legend(TITLE_H)]
    label = f"Gantt chart of {chart.title}"
    return document(scale.right + RIGHT_PAD, bottom + 8, body, label=label)


def _label_clip(bottom: float) -> str:
    """Labels are cut to fit by estimate; the clip makes sure none spills onto the bars."""
    rect = element("rect", x=0, y=0, width=LABEL_W - 4, height=bottom)
    return element("defs", element("clipPath", rect, id=_LABEL_CLIP))


def _backgrounds(rows: tuple[GroupRow | TaskRow, ...], top: float, right: float) -> list[str]:
    """Group rows get a tint, task rows alternate so the eye can follow a row across."""
    out = []
    for index, row in enumerate(rows):
        css = f"gt-{row.level}-bg" if isinstance(row, GroupRow) else "gt-stripe"
        if isinstance(row, GroupRow) or index % 2:
            out.append(element("rect", x=0, y=top + index * ROW_H, width=right, height=ROW_H,
                               class_=css))
    return out


def _row(row: GroupRow | TaskRow, y: float, scale: Scale) -> str:
    return _task_row(row, y, scale) if isinstance(row, TaskRow) else _group_row(row, y, scale)


def _label(content: str, depth: int, y: float, css: str, font_px: float = _FONT_PX) -> str:
    x = 8 + depth * _INDENT
    return text(fit(content, LABEL_W - x - 8, font_px), x=x, y=y + 14, class_=css,
                clip_path=f"url(#{_LABEL_CLIP})")


def _task_row(row: TaskRow, y: float, scale: Scale) -> str:
    parts = [title(_task_tooltip(row)), _label(row.name, row.depth, y, "gt-label")]
    parts += _task_shape(row, y, scale)
    if row.also_tags:
        parts.append(_note("also " + ", ".join(row.also_tags), row, y, scale))
    return group(parts, class_="gt-task", data_task=row.task_id)


def _task_tooltip(row: TaskRow) -> str:
    facts = [fmt_span(row.span.start, row.span.finish)]
    facts.append("critical" if row.critical else f"float {working_days(row.float_days)}")
    if row.progress:
        facts.append(f"{row.progress:g}% done")
    lines = [row.name, ", ".join(facts)]
    if row.also_serves:
        lines.append("Also serves: " + join_words(row.also_serves))
    return "\n".join(lines)


def _task_shape(row: TaskRow, y: float, scale: Scale) -> list[str]:
    x0, x1 = scale.x(row.span.start), scale.x_end(row.span.finish)
    crit = " gt-crit" if row.critical else ""
    if row.shape == "milestone":
        cx = scale.x(row.span.finish) + scale.day_px / 2
        return [_diamond(cx, y + 10, 6, "gt-summary" + crit)]
    if row.shape == "summary":
        return [_bracket(x0, x1, y, "gt-summary" + crit)]
    bar = element("rect", x=x0, y=y + 4, width=x1 - x0, height=12, rx=2, class_="gt-bar" + crit)
    shapes = [bar]
    if row.progress:
        done = (x1 - x0) * min(row.progress, 100) / 100
        shapes.append(element("rect", x=x0, y=y + 12, width=done, height=4, class_="gt-progress"))
    return shapes


def _diamond(cx: float, cy: float, r: float, css: str) -> str:
    corners = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
    return element("polygon", points=_points(corners), class_=css)


def _points(corners: list[tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in corners)


def _bracket(x0: float, x1: float, y: float, css: str) -> str:
    """A summary bar with downward end caps, the usual mark for 'spans its children'."""
    cap = min(5.0, (x1 - x0) / 2)
    path = (
        f"M{num(x0)} {num(y + 5)}H{num(x1)}V{num(y + 15)}L{num(x1 - cap)} {num(y + 10)}"
        f"H{num(x0 + cap)}L{num(x0)} {num(y + 15)}Z"
    )
    return element("path", d=path, class_=css)


def _note(content: str, row: TaskRow, y: float, scale: Scale) -> str:
    """Beside the bar: after it when there is room, else before it."""
    content = fit(content, 260, _NOTE_PX)
    after = scale.x_end(row.span.finish) + 6
    if after + text_width(content, _NOTE_PX) <= scale.right:
        return text(content, x=after, y=y + 14, class_="gt-note")
    before = scale.x(row.span.start) - 6
    return text(content, x=before, y=y + 14, text_anchor="end", class_="gt-note")


def _group_row(row: GroupRow, y: float, scale: Scale) -> str:
    depth = 0 if row.level == "outcome" else 1
    parts = [_label(row.label, depth, y, f"gt-{row.level}", _BOLD_PX)]
    if row.level == "deliverable" and row.span:
        x0, x1 = scale.x(row.span.start), scale.x_end(row.span.finish)
        parts.append(element("rect", x=x0, y=y + 8, width=x1 - x0, height=4, rx=2,
                             class_="gt-deliverable-span"))
    if row.level == "outcome":
        parts += _outcome_marks(row, y, scale)
    return group([title(_group_tooltip(row)), *parts], class_=f"gt-{row.level}-row")


def _group_tooltip(row: GroupRow) -> str:
    if row.level == "outcome" and row.span:
        sentence = forecast_sentence(
            row.status, row.forecast, row.target, row.slack_days, row.work_finished
        )
        return f"{row.label}\n{status_words(row.status)}: {sentence}"
    if row.span:
        return f"{row.label}\n{fmt_span(row.span.start, row.span.finish)}"
    return row.label


def _outcome_marks(row: GroupRow, y: float, scale: Scale) -> list[str]:
    """The outcome's span to its forecast, and the gap from forecast to target."""
    colour = _STATUS_COLOURS[row.status]
    marks = []
    if row.span and row.forecast:
        x0, xf = scale.x(row.span.start), scale.x_end(row.forecast)
        marks.append(element("rect", x=x0, y=y + 8, width=xf - x0, height=4, rx=2, fill=colour,
                             fill_opacity=0.45))
        if row.target:
            xt = scale.x_end(row.target)
            marks.append(element("line", x1=xf, x2=xt, y1=y + 10, y2=y + 10, stroke=colour,
                                 stroke_width=2, stroke_dasharray="3 2"))
        marks.append(_forecast_dot(xf, y + 10, colour))
    if row.target:
        marks.append(_target_flag(scale.x_end(row.target), y))
    return marks


def _forecast_dot(x: float, y: float, colour: str) -> str:
    return element("circle", cx=x, cy=y, r=4.5, fill=colour, stroke="#fff", stroke_width=1)


def _target_flag(x: float, y: float) -> str:
    """A downward triangle on a post: the date the client needs it by."""
    return group([
        element("line", x1=x, x2=x, y1=y + 2, y2=y + 18, stroke=_TARGET, stroke_width=1.5),
        element("polygon", points=_points([(x - 5, y + 2), (x + 5, y + 2), (x, y + 9)]),
                fill=_TARGET),
    ])


def _outside_row(
    markers: tuple[GanttMarker, ...], scale: Scale, y: float, bottom: float
) -> str:
    """Dates outside our control, each with a faint line down through the whole chart."""
    parts = [_label("Outside dates (client and other vendors)", 0, y, "gt-deliverable", _BOLD_PX)]
    for marker in markers:
        cx = scale.x(marker.date) + scale.day_px / 2
        parts.append(group([
            title(f"{marker.label}: {fmt_date(marker.date)}"),
            element("line", x1=cx, x2=cx, y1=y + 10, y2=bottom, stroke=_OUTSIDE,
                    stroke_opacity=0.45, stroke_dasharray="2 3"),
            _diamond(cx, y + 10, 6, "gt-outside"),
            text(fit(marker.label, 200, _NOTE_PX), x=cx + 9, y=y + 14, class_="gt-note"),
        ]))
    return group(parts, class_="gt-outside-row")


def status_line(day: date, scale: Scale, top: float, bottom: float) -> str:
    """The status date: a dashed line down from the axis, tagged with the date."""
    x = scale.x(day)
    tag = fmt_date(day, year=False)
    tag_w = text_width(tag, 10) + 8
    return group([
        title(f"Status date {fmt_date(day)}"),
        element("line", x1=x, x2=x, y1=top + 18, y2=bottom, stroke=STATUS_LINE, stroke_width=2,
                stroke_dasharray="6 3"),
        element("rect", x=x - tag_w / 2, y=top + 19, width=tag_w, height=14, rx=3,
                fill=STATUS_LINE),
        text(tag, x=x, y=top + 30, font_size=10, font_weight="bold", fill="#fff",
             text_anchor="middle"),
    ], class_="gt-status-line")


def _title(chart: GanttChart) -> str:
    facts = [fmt_span(chart.span.start, chart.span.finish)]
    if chart.status_date:
        facts.append(f"status date {fmt_date(chart.status_date)}")
    return text(f"{chart.title} · {' · '.join(facts)}", x=8, y=19, font_size=14,
                font_weight="bold", fill="#102a43")


def _legend(y: float) -> Iterator[str]:
    """One swatch per kind of mark, drawn with the same shapes as the chart."""
    x = 8.0
    cy = y + 10
    swatches = [
        ("Task", element("rect", x=0, y=cy - 6, width=18, height=12, rx=2, class_="gt-bar")),
        ("Critical", element("rect", x=0, y=cy - 6, width=18, height=12, rx=2,
                             class_="gt-bar gt-crit")),
        ("Done so far", element("rect", x=0, y=cy - 2, width=18, height=4, class_="gt-progress")),
        ("Summary", _bracket(0, 18, cy - 10, "gt-summary")),
        ("Milestone", _diamond(9, cy, 6, "gt-summary")),
        ("Outside date", _diamond(9, cy, 6, "gt-outside")),
        ("Outcome forecast", _forecast_dot(9, cy, _STATUS_COLOURS["on_track"])),
        ("Target", _target_flag(9, cy - 10)),
        ("Status date", element("line", x1=9, x2=9, y1=cy - 8, y2=cy + 8, stroke=STATUS_LINE,
                                stroke_width=2, stroke_dasharray="6 3")),
    ]
    for label, swatch in swatches:
        yield group([swatch], transform=f"translate({num(x)} 0)")
        yield text(label, x=x + 24, y=cy + 4, font_size=11, fill="#334e68")
        x += 24 + text_width(label, 11) + 16
