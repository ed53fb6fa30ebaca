"""The schedule and the outcome view as rows, and those rows as CSV or an Excel workbook.

Safe against formula injection (OWASP "CSV injection"): a text cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return gets a leading single quote, and in a workbook
is also stored as a string, so no spreadsheet evaluates it. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from ontrack.core.results import Schedule

Cell = str | float | int | bool | date | None
Row = tuple[Cell, ...]
What = Literal["schedule", "outcomes"]

SCHEDULE_HEADER: Row = (
    "task",
    "name",
    "parent",
    "start",
    "finish",
    "duration_days",
    "float_days",
    "critical",
    "percent_complete",
    "resources",
    "outcomes",
    "deliverable",
    "cost",
)
OUTCOMES_HEADER: Row = (
    "outcome",
    "statement",
    "priority",
    "target",
    "forecast",
    "slack_days",
    "status",
    "driving_tasks",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text with a leading single quote when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(TRIGGERS) else text


def schedule_rows(sched: Schedule) -> list[Row]:
    """One row per task, summaries included, in schedule order (header not included)."""
    return [
        (
            t.id,
            t.name,
            t.parent,
            t.start,
            t.finish,
            t.duration_days,
            t.total_float_days,
            t.critical,
            t.percent_complete,
            ", ".join(f"{a.resource}:{a.units:g}" for a in t.assignments),
            ", ".join(t.outcomes),
            t.deliverable,
            t.cost,
        )
        for t in sched.tasks
    ]


def outcome_rows(sched: Schedule) -> list[Row]:
    """One row per outcome, most important first (header not included)."""
    return [
        (
            o.id,
            o.statement,
            o.priority,
            o.target,
            o.forecast,
            o.slack_days,
            o.status,
            ", ".join(o.driving_tasks),
        )
        for o in sched.outcomes_by_priority()
    ]


def table(sched: Schedule, what: What) -> tuple[Row, list[Row]]:
    """The header and the rows of one view."""
    if what == "schedule":
        return SCHEDULE_HEADER, schedule_rows(sched)
    return OUTCOMES_HEADER, outcome_rows(sched)


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_csv(header: Row, rows: Iterable[Row]) -> str:
    """RFC 4180 CSV (CRLF line ends), text cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (header, *rows):
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def to_xlsx(sheets: Sequence[tuple[str, Row, Sequence[Row]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows): a bold, frozen header row, dates
    as dates, numbers as numbers, every text cell a string (neutralised)."""
    from openpyxl import Workbook  # loaded only when a workbook is asked for
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        for r, row in enumerate((header, *rows), start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str):
                    cell.value = neutralise(value)
                    cell.data_type = "s"
                else:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
                if r == 1:
                    cell.font = bold
        sheet.freeze_panes = "A2"
        for c, name in enumerate(header, start=1):
            width = max(len(str(name)), 10) + 2
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
