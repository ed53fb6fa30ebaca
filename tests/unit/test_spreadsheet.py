"""The schedule and the outcome view as CSV and as a workbook: the rows round-trip, and a
text cell a spreadsheet would take for a formula comes out as text."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from export_plan import FORMULA_NAMES, scheduled
from ontrack.interop.spreadsheet import (
    OUTCOMES_HEADER,
    SCHEDULE_HEADER,
    neutralise,
    outcome_rows,
    schedule_rows,
    table,
    to_csv,
    to_xlsx,
)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_get_a_leading_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "", "1+1", "a=b", "'quoted"])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_schedule_rows_carry_the_schedules_values(tmp_path: Path) -> None:
    sched = scheduled(tmp_path).schedule
    rows = schedule_rows(sched)
    assert [r[0] for r in rows] == [t.id for t in sched.tasks]
    f3 = dict(zip(SCHEDULE_HEADER, rows[[t.id for t in sched.tasks].index("f3")], strict=True))
    t = sched.task("f3")
    assert f3["start"] == t.start and f3["finish"] == t.finish
    assert f3["parent"] == "build" and f3["resources"] == "pm:1, neteng:0.5"
    assert f3["cost"] == t.cost and f3["float_days"] == t.total_float_days


def test_csv_round_trips_the_schedule(tmp_path: Path) -> None:
    sched = scheduled(tmp_path).schedule
    text = to_csv(*table(sched, "schedule"))
    assert text.endswith("\r\n")
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(read[0]) == list(SCHEDULE_HEADER)
    for row, t in zip(read, sched.tasks, strict=True):
        assert row["task"] == t.id
        assert date.fromisoformat(row["start"]) == t.start
        assert date.fromisoformat(row["finish"]) == t.finish
        assert float(row["duration_days"]) == t.duration_days
        assert float(row["float_days"]) == t.total_float_days
        assert row["critical"] == ("true" if t.critical else "false")
        assert float(row["cost"]) == t.cost
        assert row["outcomes"] == ", ".join(t.outcomes)
        assert row["parent"] == (t.parent or "")


def test_csv_round_trips_the_outcomes(tmp_path: Path) -> None:
    sched = scheduled(tmp_path).schedule
    read = list(csv.DictReader(io.StringIO(to_csv(*table(sched, "outcomes")), newline="")))
    assert list(read[0]) == list(OUTCOMES_HEADER)
    wifi = next(o for o in sched.outcomes if o.id == "wifi")
    row = read[0]
    assert row["outcome"] == "wifi" and row["statement"] == wifi.statement  # newline kept
    assert row["target"] == str(wifi.target) and row["forecast"] == str(wifi.forecast)
    assert float(row["slack_days"]) == wifi.slack_days and row["status"] == wifi.status
    assert row["driving_tasks"] == ", ".join(wifi.driving_tasks)
    assert read[1]["target"] == "" and read[1]["slack_days"] == ""


def test_csv_neutralises_formula_names(tmp_path: Path) -> None:
    read = list(
        csv.DictReader(
            io.StringIO(to_csv(*table(scheduled(tmp_path).schedule, "schedule")), newline="")
        )
    )
    names = {r["task"]: r["name"] for r in read}
    for task, name in FORMULA_NAMES.items():
        assert names[task] == "'" + name


def test_a_negative_number_stays_a_number() -> None:
    text = to_csv(("n", "s"), [(-2.5, "-2.5")])
    assert text.splitlines()[1] == "-2.5,'-2.5"


def test_xlsx_has_both_sheets_with_dates_numbers_and_a_bold_frozen_header(
    tmp_path: Path,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    sched = scheduled(tmp_path).schedule
    data = to_xlsx(
        [("Schedule", *table(sched, "schedule")), ("Outcomes", *table(sched, "outcomes"))]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Schedule", "Outcomes"]
    sheet = book["Schedule"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SCHEDULE_HEADER
    expected = schedule_rows(sched)
    assert len(rows) - 1 == len(expected)
    for got, want in zip(rows[1:], expected, strict=True):
        for header, g, w in zip(SCHEDULE_HEADER, got, want, strict=True):
            if isinstance(w, date):
                assert isinstance(g, datetime) and g.date() == w, header
            elif isinstance(w, str) and w:
                assert g == neutralise(w), header
            elif w in ("", None):
                assert g is None, header
            else:
                assert g == w, header
    outcomes = list(book["Outcomes"].iter_rows(values_only=True))
    assert outcomes[0] == OUTCOMES_HEADER
    assert [r[0] for r in outcomes[1:]] == [r[0] for r in outcome_rows(sched)]


def test_xlsx_writes_formula_names_as_quoted_strings(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    sched = scheduled(tmp_path).schedule
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([("Schedule", *table(sched, "schedule"))])))
    sheet = book["Schedule"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for task, name in FORMULA_NAMES.items():
        assert cells[task].data_type == "s"
        assert cells[task].value == "'" + name
    cost = next(row[12] for row in sheet.iter_rows(min_row=2) if row[0].value == "f1")
    assert cost.data_type == "n" and cost.value == sched.task("f1").cost
