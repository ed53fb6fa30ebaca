"""`ontrack export` as a user meets it: a calendar, CSV and a workbook that equal the
schedule's JSON, formula-like names neutralised, and one clear line for a wrong id."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from export_plan import FORMULA_NAMES, write_plan
from ontrack.cli.main import app

runner = CliRunner()


def _schedule_json(plan: Path) -> dict:
    result = runner.invoke(app, ["schedule", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _events(text: str) -> dict[str, dict[str, str]]:
    events: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events[current["UID"].split("@")[0]] = current
        elif ":" in line:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return events


def _day(value: str) -> str:
    return datetime.strptime(value, "%Y%m%d").date().isoformat()


def _last_day(value: str) -> str:
    return (datetime.strptime(value, "%Y%m%d").date() - timedelta(days=1)).isoformat()


def test_ical_holds_the_schedules_dates(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    target = tmp_path / "out" / "plan.ics"
    result = runner.invoke(
        app, ["export", "ical", str(plan), "-o", str(target), "--resource", "neteng"]
    )
    assert result.exit_code == 0, result.output
    assert str(target) in result.stderr
    raw = target.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    events = _events(raw.decode("utf-8"))
    sched = _schedule_json(plan)
    for o in sched["outcomes"]:
        if o["target"]:
            assert _day(events[f"target-{o['id']}"]["DTSTART"]) == o["target"]
        assert _day(events[f"forecast-{o['id']}"]["DTSTART"]) == o["forecast"]
        assert events[f"forecast-{o['id']}"]["SUMMARY"].startswith("Outcome forecast: ")
    tasks = {t["id"]: t for t in sched["tasks"]}
    for tid in ("kickoff", "live"):
        assert _day(events[f"milestone-{tid}"]["DTSTART"]) == tasks[tid]["finish"]
    assert _day(events["program-milestone-handover"]["DTSTART"]) == "2027-03-10"
    mine = {t["id"] for t in sched["tasks"] if any(r["id"] == "neteng" for r in t["resources"])}
    assert {uid[5:-7] for uid in events if uid.startswith("task-")} == mine
    for tid in mine:
        e = events[f"task-{tid}-neteng"]
        assert (_day(e["DTSTART"]), _last_day(e["DTEND"])) == (
            tasks[tid]["start"],
            tasks[tid]["finish"],
        )


def test_ical_goes_to_stdout_without_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "ical", str(write_plan(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert b"UID:task-" not in result.stdout_bytes


def test_an_unknown_resource_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    target = tmp_path / "plan.ics"
    result = runner.invoke(
        app, ["export", "ical", str(plan), "-o", str(target), "--resource", "netemg"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: no resource has the id 'netemg'; did you mean 'neteng'?"
    ]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_csv_schedule_equals_the_schedule_json(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    target = tmp_path / "schedule.csv"
    result = runner.invoke(
        app, ["export", "csv", str(plan), "--what", "schedule", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    tasks = _schedule_json(plan)["tasks"]
    assert [r["task"] for r in rows] == [t["id"] for t in tasks]
    for row, t in zip(rows, tasks, strict=True):
        assert (row["start"], row["finish"]) == (t["start"], t["finish"])
        assert float(row["float_days"]) == t["total_float_days"]
        assert float(row["cost"]) == t["cost"]
        assert row["critical"] == str(t["critical"]).lower()
        assert float(row["percent_complete"]) == t["percent_complete"]
        want = FORMULA_NAMES.get(t["id"])
        assert row["name"] == ("'" + want if want else t["name"])


def test_csv_outcomes_equal_the_schedule_json(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    result = runner.invoke(app, ["export", "csv", str(plan), "--what", "outcomes"])
    assert result.exit_code == 0, result.output
    rows = {r["outcome"]: r for r in csv.DictReader(io.StringIO(result.stdout, newline=""))}
    for o in _schedule_json(plan)["outcomes"]:
        row = rows[o["id"]]
        assert row["statement"] == o["statement"]
        assert row["forecast"] == o["forecast"] and row["target"] == (o["target"] or "")
        assert row["status"] == o["status"]
        assert row["driving_tasks"] == ", ".join(o["driving_tasks"])


def test_csv_needs_a_known_view(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "csv", str(write_plan(tmp_path)), "--what", "gantt"])
    assert result.exit_code == 2


def test_xlsx_round_trips_and_neutralises(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    plan = write_plan(tmp_path)
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["export", "xlsx", str(plan), "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Schedule", "Outcomes"]
    sheet = book["Schedule"]
    header = [c.value for c in sheet[1]]
    tasks = _schedule_json(plan)["tasks"]
    for row, t in zip(sheet.iter_rows(min_row=2), tasks, strict=True):
        cell = dict(zip(header, row, strict=True))
        assert cell["task"].value == t["id"]
        assert isinstance(cell["start"].value, datetime)
        assert cell["start"].value.date() == date.fromisoformat(t["start"])
        assert cell["finish"].value.date() == date.fromisoformat(t["finish"])
        assert cell["cost"].value == t["cost"] and cell["cost"].data_type == "n"
        assert cell["critical"].value is t["critical"]
        if t["id"] in FORMULA_NAMES:
            assert cell["name"].data_type == "s"
            assert cell["name"].value == "'" + FORMULA_NAMES[t["id"]]
    outcomes = book["Outcomes"]
    ids = [r[0] for r in outcomes.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(o["id"] for o in _schedule_json(plan)["outcomes"])


def test_xlsx_of_a_broken_plan_writes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("ontrack: 1\nproject: {id: x}\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "xlsx", str(plan), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_mspdi_writes_project_xml(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    target = tmp_path / "out" / "plan.xml"
    result = runner.invoke(app, ["export", "mspdi", str(plan), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"<?xml") and b'xmlns="http://schemas.microsoft.com/project"' in raw


def test_mspdi_to_a_bad_path_is_one_line_and_exit_1(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["export", "mspdi", str(plan), "-o", str(blocker / "p.xml")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in result.output
