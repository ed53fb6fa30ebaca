"""`ontrack import csv` and `ontrack import xlsx` as a user meets them: a plan file that
checks and schedules with the sheet's links, or FILE:ROW:COL messages and nothing written."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

runner = CliRunner()

# As MS Project's "Save As CSV" writes a task table: a BOM, Windows line ends, its own
# headers, the project summary task (ID 0), durations and lags in words, US dates.
MS_PROJECT_CSV = (
    "\ufeffID,Unique ID,Name,Duration,Start,Finish,Predecessors,Resource Names,"
    "Outline Level,Fixed Cost,% Complete,Deadline,Notes\r\n"
    "0,0,Plant IT fit-out,13 days,Mon 3/1/27,Wed 3/17/27,,,0,$0.00,0%,NA,\r\n"
    "1,1,Wireless,13 days,Mon 3/1/27,Wed 3/17/27,,,1,$0.00,0%,NA,\r\n"
    "2,2,RF site survey,3 days,Mon 3/1/27,Wed 3/3/27,,Network engineer,2,$0.00,0%,NA,\r\n"
    '3,3,Order access points,5 days?,Thu 3/4/27,Wed 3/10/27,2,,2,"$38,000.00",0%,NA,'
    '"Express, if the survey allows"\r\n'
    "4,4,Install access points,3 days,Mon 3/15/27,Wed 3/17/27,3FS+2 days,"
    '"Technician[200%],Network engineer[50%]",2,$0.00,0%,Fri 3/19/27,\r\n'
    "5,5,Patch panels,2 days,Mon 3/8/27,Tue 3/9/27,2SS+1 day,Technician,2,$0.00,0%,NA,\r\n"
    "6,6,Wi-Fi live,0 days,Wed 3/17/27,Wed 3/17/27,4;5,,1,$0.00,0%,NA,\r\n"
)


def write_csv(folder: Path, text: str, name: str = "tasks.csv") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def import_file(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["import", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def scheduled(plan: Path) -> dict[str, tuple[str, str]]:
    result = runner.invoke(app, ["schedule", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    return {t["id"]: (t["start"], t["finish"]) for t in json.loads(result.stdout)["tasks"]}


def test_an_ms_project_csv_export_imports_checks_and_schedules_with_its_links(
    tmp_path: Path,
) -> None:
    source = write_csv(tmp_path, MS_PROJECT_CSV)
    target = tmp_path / "plans" / "plant.yaml"
    code, stderr = import_file("csv", str(source), "-o", str(target))
    assert code == 0, stderr
    assert "6 tasks, 2 resources" in " ".join(stderr.split())  # the console may wrap it
    assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    dates = scheduled(target)
    assert dates["rf-site-survey"] == ("2027-03-01", "2027-03-03")
    assert dates["order-access-points"] == ("2027-03-04", "2027-03-10")
    # 3FS+2 days: two working days after Wednesday's finish, then three days of work.
    assert dates["install-access-points"] == ("2027-03-15", "2027-03-17")
    # 2SS+1 day: a working day after the survey starts.
    assert dates["patch-panels"][0] == "2027-03-02"
    assert dates["wi-fi-live"] == ("2027-03-17", "2027-03-17")
    assert dates["wireless"] == ("2027-03-01", "2027-03-17")
    text = target.read_text()
    assert "name: Plant IT fit-out" in text and "start: 2027-03-01" in text
    assert "cost: 38000" in text and "deadline: 2027-03-19" in text


def test_a_workbook_made_in_a_spreadsheet_imports_and_schedules(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    sheet = book.create_sheet("Tasks")
    sheet.append(["Task", "Work days", "Depends on", "Deliverable", "Outcome", "Start"])
    sheet.append(["Survey", 3, None, "Wireless network", "Wi-Fi is up", datetime(2027, 3, 1)])
    sheet.append(["Order", "15 edays", 1, "Wireless network", "Wi-Fi is up", None])
    sheet.append(["Install", "5d", "2FS+2d", "Wireless network", "Wi-Fi is up", None])
    source = tmp_path / "plan.xlsx"
    book.save(source)
    target = tmp_path / "plan.yaml"
    code, stderr = import_file(
        "xlsx",
        str(source),
        "--output",
        str(target),
        "--sheet",
        "Tasks",
        "--column",
        "duration=work days",
        "--column",
        "predecessors=Depends on",
    )
    assert code == 0, stderr
    assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    dates = scheduled(target)
    assert dates["order"] == ("2027-03-04", "2027-03-18")
    assert dates["install"] == ("2027-03-23", "2027-03-29")
    text = target.read_text()
    assert "statement: Wi-Fi is up" in text and "deliverable: wireless-network" in text


def test_the_delimiter_and_the_start_can_be_given(tmp_path: Path) -> None:
    source = write_csv(tmp_path, "Name|Duration\nA|2d\n")
    target = tmp_path / "plan.yaml"
    code, stderr = import_file(
        "csv", str(source), "-o", str(target), "--delimiter", "|", "--start", "2027-05-03"
    )
    assert code == 0, stderr
    assert scheduled(target)["a"] == ("2027-05-03", "2027-05-04")


BROKEN = [
    pytest.param(
        "Task,Length\nA,2d\n",
        "tasks.csv:1:1: table-column: no column for the task's duration",
        id="missing column",
    ),
    pytest.param(
        "ID,Name,Duration,Predecessors\n1,A,2d,\n2,B,2d,7\n",
        "tasks.csv:3:4: unknown-id: predecessor 7",
        id="unknown predecessor",
    ),
    pytest.param(
        "ID,Name,Duration\n1,A,two days\n",
        "tasks.csv:2:3: bad-duration: 'two days' is not a duration",
        id="bad duration",
    ),
    pytest.param(
        "ID,Name,Duration,Predecessors\n1,A,2d,2\n2,B,2d,1FS+1d\n",
        "tasks.csv:3:4: cycle: dependency cycle: b -> a -> b",
        id="cycle",
    ),
    pytest.param(
        "ID,Name,Duration,Predecessors\n1,A,2d,\n2,B,2d,1FS+25%\n",
        "tasks.csv:3:4: bad-predecessor: '1FS+25%' has a lag in percent",
        id="percent lag",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_a_broken_sheet_names_file_row_and_column_and_leaves_the_plan_as_it_was(
    tmp_path: Path, text: str, message: str
) -> None:
    source = write_csv(tmp_path, text)
    target = tmp_path / "plan.yaml"
    target.write_text("before\n")
    code, stderr = import_file("csv", str(source), "-o", str(target))
    assert code == 1
    assert f"{tmp_path}/{message}" in stderr
    assert "nothing was written" in stderr
    assert target.read_text() == "before\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml", "tasks.csv"]


def test_every_problem_of_a_sheet_is_reported_in_one_run(tmp_path: Path) -> None:
    source = write_csv(tmp_path, "ID,Name,Duration,Predecessors\n1,A,2 dayz,\n2,B,,9\n")
    code, stderr = import_file("csv", str(source), "-o", str(tmp_path / "plan.yaml"))
    assert code == 1
    found = [line.split(": ")[0:2] for line in stderr.splitlines() if line.startswith(str(source))]
    assert found == [
        [f"{source}:2:3", "bad-duration"],
        [f"{source}:3:3", "missing-value"],
        [f"{source}:3:4", "unknown-id"],
    ]
    assert "3 problems found; nothing was written." in stderr


def test_a_workbook_problem_names_the_sheet_and_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Tasks"
    book.active.append(["Name", "Duration"])
    book.active.append(["A", "soon"])
    source = tmp_path / "plan.xlsx"
    book.save(source)
    code, stderr = import_file("xlsx", str(source), "-o", str(tmp_path / "plan.yaml"))
    assert code == 1
    assert f"{source}:2:2: bad-duration:" in stderr and "(cell Tasks!B2)" in stderr
    assert not (tmp_path / "plan.yaml").exists()


@pytest.mark.parametrize(
    ("command", "name", "content", "message"),
    [
        ("xlsx", "plan.xlsx", b"Name,Duration\nA,2d\n", "not an Excel workbook"),
        ("xlsx", "plan.xlsx", b"PK\x03\x04 a damaged zip", "not an Excel workbook"),
        ("csv", "plan.csv", b"PK\x03\x04 a workbook", "not a CSV file"),
    ],
)
def test_a_file_of_the_wrong_kind_is_reported_and_nothing_written(
    tmp_path: Path, command: str, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    target = tmp_path / "plan.yaml"
    target.write_text("before\n")
    code, stderr = import_file(command, str(source), "-o", str(target))
    assert code == 1
    assert f"{source}:1:1: table-format: this is {message}" in stderr
    assert target.read_text() == "before\n"


def test_a_column_option_that_is_not_field_equals_header_is_a_usage_error(
    tmp_path: Path,
) -> None:
    source = write_csv(tmp_path, "Name,Duration\nA,2d\n")
    result = runner.invoke(
        app, ["import", "csv", str(source), "-o", str(tmp_path / "p.yaml"), "--column", "name"]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "p.yaml").exists()


def test_a_column_option_naming_no_field_lists_the_fields(tmp_path: Path) -> None:
    source = write_csv(tmp_path, "Name,Duration\nA,2d\n")
    code, stderr = import_file(
        "csv", str(source), "-o", str(tmp_path / "p.yaml"), "--column", "length=Duration"
    )
    assert code == 1
    assert "no field 'length'" in stderr and "duration" in stderr


def test_a_workbook_whose_sheet_is_damaged_inside_the_zip_is_reported(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Duration"])
    book.save(whole)
    source = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as intact, zipfile.ZipFile(source, "w") as damaged:
        for item in intact.infolist():
            broken = item.filename == "xl/worksheets/sheet1.xml"
            damaged.writestr(item, b"<worksheet><row" if broken else intact.read(item))
    target = tmp_path / "plan.yaml"
    code, stderr = import_file("xlsx", str(source), "-o", str(target))
    assert code == 1
    assert f"{source}:1:1: table-format: this is not an Excel workbook" in stderr
    assert not target.exists()
