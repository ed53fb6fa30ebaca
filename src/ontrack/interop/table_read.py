"""A spreadsheet's cells, read from a CSV file or an .xlsx sheet, with their row numbers,
and what one cell holds: text, a number or a date, as spreadsheets write them.

Which column means what is `table_import`'s business. Rows keep their numbers in the file
(1 is the first line or sheet row) so that every problem can name FILE:ROW:COL; blank
rows are dropped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from ontrack.core.diagnostics import Diagnostic, Location, PlanError
from ontrack.interop import file_size

Cell = str | int | float | date | None
"""Text, or a number or date where an .xlsx cell is typed as one (booleans count as text)."""

_DELIMITERS = (",", ";", "\t")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ].*)?")
_US = re.compile(r"(?:[a-z]+,? +)?([0-9]{1,2})/([0-9]{1,2})/([0-9]{2}|[0-9]{4})(?: .*)?", re.I)
_DOTTED = re.compile(
    r"(?:[a-z]+,? +)?([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2}|[0-9]{4})(?: .*)?", re.I
)
_BINARY = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (.xlsx) and OLE2 (.xls, .mpp)
TOO_LARGE = "table-too-large"
MAX_ROWS = 200_000  # 100,000 tasks is the largest plan ontrack is measured on


@dataclass(frozen=True)
class Table:
    file: str
    sheet: str | None
    """The sheet's name for a workbook, so messages can name the cell (`Tasks!C7`)."""
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    """(row number, cells) of every row that is not blank, in file order."""


def read_csv(path: Path, delimiter: str | None = None) -> Table:
    """The rows of a CSV file: UTF-8 (a BOM is dropped) or, failing that, Windows-1252 as
    MS Project writes it; `delimiter` (one character, or `tab`) None picks the one of `,` `;`
    tab most frequent in the first line, since a spreadsheet saves with the locale's list
    separator."""
    if delimiter == "tab":
        delimiter = "\t"
    if delimiter is not None and len(delimiter) != 1:
        raise _fail(path, f"--delimiter {delimiter!r}: give one character, like ';' (or 'tab')")
    raw = _read(path)
    if raw.startswith(_BINARY) or b"\0" in raw:
        raise _fail(
            path,
            "this is not a CSV file (it is binary): save the sheet as CSV, or "
            "use `ontrack import xlsx` for an Excel workbook",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    chosen = delimiter or max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    line = 1  # a quoted cell may span lines: a row is numbered by the line it starts on
    try:
        for row in reader:
            rows.append((line, tuple(row)))
            line = reader.line_num + 1
    except csv.Error as error:
        raise _fail(path, f"this is not a readable CSV file: {error}", line=line) from None
    return Table(str(path), None, _not_blank(rows))


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """The rows of one sheet of a workbook (the first unless `sheet` names one). Cells keep
    their types; a number formatted as a percentage is read as the percentage (0.5 as 50)."""
    raw = _read(path)
    rows: list[tuple[int, tuple[Cell, ...]]] | None = None
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            names = book.sheetnames
            name = names[0] if sheet is None else sheet
            if name in names:
                rows = _sheet_rows(book[name].iter_rows(min_row=1, min_col=1))
        finally:
            book.close()
    except _TooManyRows:
        raise _fail(
            path,
            f"the sheet has more than {MAX_ROWS:,} rows, far more than any real project",
            TOO_LARGE,
        ) from None
    except Exception:  # a damaged file fails anywhere in openpyxl: zip, XML, its own checks
        raise _fail(
            path,
            "this is not an Excel workbook (.xlsx) or it is damaged: open it in "
            "a spreadsheet and save it again as .xlsx",
        ) from None
    if rows is None:
        listed = ", ".join(repr(n) for n in names)
        raise _fail(path, f"the workbook has no sheet {name!r}; its sheets: {listed}")
    return Table(str(path), name, _not_blank(rows))


class _TooManyRows(Exception):
    pass


def _sheet_rows(cells: Iterable[Sequence[object]]) -> list[tuple[int, tuple[Cell, ...]]]:
    """The sheet's rows, numbered, up to MAX_ROWS: a compressed workbook of a few MB can
    hold millions of cells, so the count is checked as the rows are read."""
    rows = []
    for n, row in enumerate(cells, 1):
        if n > MAX_ROWS:
            raise _TooManyRows
        rows.append((n, tuple(_value(cell) for cell in row)))
    return rows


def _value(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    if isinstance(value, bool):
        return str(value).upper()  # as a spreadsheet shows it
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, int | float) and "%" in str(getattr(cell, "number_format", "")):
        return round(value * 100, 6)  # 0.07 is 7, not 7.000000000000001
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _not_blank(
    rows: list[tuple[int, tuple[Cell, ...]]],
) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    return tuple((number, cells) for number, cells in rows if any(_filled(cell) for cell in cells))


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _read(path: Path) -> bytes:
    try:
        return file_size.read_limited(path, TOO_LARGE)
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise _fail(path, message, "file-unreadable") from None


def _fail(path: Path, message: str, code: str = "table-format", line: int = 1) -> PlanError:
    return PlanError([Diagnostic(code, message, location=Location(str(path), line, 1))])


# --- what a cell holds: text, numbers and dates as spreadsheets write them ------------


def header_key(cell: Cell) -> str:
    """A header as it is matched: case and spacing ignored."""
    return " ".join(cell_text(cell).split()).casefold()


def cell_text(cell: Cell) -> str:
    """A cell as text, stripped; a whole number typed as 3.0 is `3`, as a sheet shows it."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def number(text: str) -> float:
    """A number as spreadsheets write it: `1200`, `1,200.50`, `1.200,50`, `0,5`, `$1,200`."""
    plain = re.sub(r"[\s$€£¥]", "", text)
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?", plain):
        plain = plain.replace(",", "")
    elif re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?", plain):
        plain = plain.replace(".", "").replace(",", ".")
    try:
        value = float(plain.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def amount(cell: Cell) -> float:
    value = float(cell) if isinstance(cell, int | float) else number(cell_text(cell))
    if value < 0:
        raise ValueError(f"{cell_text(cell)!r}: a cost cannot be negative")
    return value


def percent(cell: Cell) -> float:
    value = float(cell) if isinstance(cell, int | float) else number(cell_text(cell).rstrip("%"))
    if not 0 <= value <= 100:
        raise ValueError(f"{cell_text(cell)!r}: % complete is 0 to 100")
    return value


def outline_level(cell: Cell) -> int:
    text = cell_text(cell)
    if not text.isdigit():
        raise ValueError(f"{text!r} is not an outline level: write 1 for a top-level task")
    return int(text)


def day(cell: Cell) -> date:
    """An .xlsx date, or text: ISO (2027-03-01), MS Project's US default (Mon 3/1/27,
    3/1/2027 8:00 AM: month first) or day first with dots (1.3.2027)."""
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    for pattern, order in ((_ISO, (0, 1, 2)), (_US, (2, 0, 1)), (_DOTTED, (2, 1, 0))):
        match = pattern.fullmatch(text)
        if match:
            year, month, number_of_day = (int(match[i + 1]) for i in order)
            try:
                return date(year + 2000 if year < 100 else year, month, number_of_day)
            except ValueError:
                break
    raise ValueError(f"{text!r} is not a date: write it like 2027-03-01 (or 3/1/2027)")


def column_letters(column: int) -> str:
    """A column's letters as a spreadsheet names it (1 is A, 27 is AA)."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out
