"""Task lists from spreadsheets: MS Project's notations, the column mapping, the outline,
ids, and every problem at its cell."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontrack.core.diagnostics import PlanError
from ontrack.core.model import Dependency, Duration, Task
from ontrack.interop import file_size, table_read
from ontrack.interop.ids import slug
from ontrack.interop.table_import import (
    Link,
    parse_duration,
    parse_predecessors,
    parse_resources,
    table_plan,
)
from ontrack.interop.table_read import Cell, Table, read_csv, read_xlsx

TODAY = date(2027, 1, 4)


def table(*rows: tuple[Cell, ...], sheet: str | None = None) -> Table:
    """Rows numbered from 1, as in a file."""
    return Table("plan.csv", sheet, tuple((n, row) for n, row in enumerate(rows, 1)))


def problems(error: pytest.ExceptionInfo[PlanError]) -> list[tuple[str, int, int]]:
    """(code, row, column) of each problem, in order."""
    out = []
    for d in error.value.diagnostics:
        assert d.location is not None
        out.append((d.code, d.location.line, d.location.column))
    return out


def all_tasks(tasks: tuple[Task, ...]) -> dict[str, Task]:
    out: dict[str, Task] = {}
    for task in tasks:
        out[task.id] = task
        out.update(all_tasks(task.tasks))
    return out


# --- MS Project's predecessors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("3", [Link("3")]),
        ("3FS+2d", [Link("3", "FS", Duration(2, "d"))]),
        ("5SS-1d", [Link("5", "SS", Duration(-1, "d"))]),
        ("2;4", [Link("2"), Link("4")]),
        ("2, 4", [Link("2"), Link("4")]),
        ("7FF+4h", [Link("7", "FF", Duration(4, "h"))]),
        ("3FS+2 days,8SF", [Link("3", "FS", Duration(2, "d")), Link("8", "SF")]),
        ("3ss+1 eday", [Link("3", "SS", Duration(1, "ed"))]),
        ("2FS+1,5d;4", [Link("2", "FS", Duration(1.5, "d")), Link("4")]),
        ("", []),
    ],
)
def test_predecessors_are_read_in_ms_projects_notation(text: str, links: list[Link]) -> None:
    assert parse_predecessors(text) == links


def test_a_lag_in_percent_is_refused_with_what_to_write_instead() -> None:
    with pytest.raises(ValueError, match=r"'3FS\+50%'.*percent.*like 3FS\+2d"):
        parse_predecessors("2;3FS+50%")


@pytest.mark.parametrize("text", ["3FS+two days", "3 FS + 2 parsecs", "C:\\other.mpp\\5"])
def test_a_predecessor_that_is_not_in_the_notation_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_predecessors(text)


_SPELLINGS = {
    "h": ("h", "hr", "hrs", " hours"),
    "d": ("d", "day", " days", " days?"),
    "w": ("w", "wk", " wks", " weeks"),
    "ed": ("ed", "eday", " edays"),
}
_links = st.builds(
    Link,
    st.integers(1, 9999).map(str),
    st.sampled_from(["FS", "SS", "FF", "SF"]),
    st.none()
    | st.builds(
        Duration, st.integers(-80, 80).map(lambda n: n / 2), st.sampled_from(list(_SPELLINGS))
    ),
)


@given(st.lists(_links, max_size=6), st.sampled_from([";", ",", "; "]), st.data())
def test_links_written_in_ms_project_notation_read_back_the_same(
    links: list[Link], separator: str, data: st.DataObject
) -> None:
    def written(link: Link) -> str:
        if link.lag is None:
            plain = link.type == "FS" and data.draw(st.booleans())
            return link.ref if plain else f"{link.ref}{link.type}"
        sign = "-" if link.lag.value < 0 else "+"
        unit = data.draw(st.sampled_from(_SPELLINGS[link.lag.unit]))
        return f"{link.ref}{link.type}{sign}{abs(link.lag.value):g}{unit}"

    assert parse_predecessors(separator.join(written(link) for link in links)) == links


# --- durations, resources, ids ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("5 days", Duration(5, "d")),
        ("5 days?", Duration(5, "d")),
        ("3d", Duration(3, "d")),
        ("4 hrs", Duration(4, "h")),
        ("30 mins", Duration(0.5, "h")),
        ("2 wks", Duration(2, "w")),
        ("1 edays", Duration(1, "ed")),
        ("12 ehrs", Duration(0.5, "ed")),
        ("1 mon", Duration(20, "d")),
        ("0 days", Duration(0, "d")),
        ("2,5 days", Duration(2.5, "d")),
        ("4", Duration(4, "d")),
    ],
)
def test_durations_are_read_as_ms_project_writes_them(text: str, duration: Duration) -> None:
    assert parse_duration(text) == duration


@pytest.mark.parametrize("text", ["five days", "3 parsecs", "-2d", "d"])
def test_a_duration_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "resources"),
    [
        ("tech", [("tech", 1.0)]),
        ("tech[50%]", [("tech", 0.5)]),
        ("tech;pm[0.5]", [("tech", 1.0), ("pm", 0.5)]),
        (
            "Network engineer[50%], Field tech [200%]",
            [("Network engineer", 0.5), ("Field tech", 2.0)],
        ),
        ("Crew [1,5]", [("Crew", 1.5)]),
        ("tech\npm[25%]\n", [("tech", 1.0), ("pm", 0.25)]),
    ],
)
def test_resource_names_are_read_with_their_units(
    text: str, resources: list[tuple[str, float]]
) -> None:
    assert parse_resources(text) == resources


@pytest.mark.parametrize("text", ["tech[0%]", "tech[lots]", "tech[-1]", "tech[nan]", "[50%]"])
def test_units_that_are_not_more_than_zero_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"tech\[50%\]"):
        parse_resources(text)


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("RF site survey", "rf-site-survey"),
        ("Café: déjà vu!", "cafe-deja-vu"),
        ("Install and patch the access points on every floor", "install-and-patch-the-access"),
        ("???", "task"),
    ],
)
def test_ids_are_made_from_names(name: str, ident: str) -> None:
    assert slug(name, "task") == ident


# --- a sheet as a plan -------------------------------------------------------------------------

HEADER = ("ID", "Name", "Duration", "Predecessors", "Resource Names", "Outline Level")


def test_an_ms_project_export_becomes_tasks_with_links_resources_and_an_outline() -> None:
    plan = table_plan(
        table(
            HEADER,
            (0, "Plant IT", "9 days", "", "", 0),
            (1, "Network", "9 days", "", "", 1),
            (2, "Survey", "3 days", "", "Tech[50%]", 2),
            (3, "Install", "5 days", "2FS+1d", "Tech[200%];PM", 2),
            (4, "Live", "0 days", "3", "", 1),
        ),
        {},
        None,
        TODAY,
    )
    assert plan.project.name == "Plant IT"
    assert [t.id for t in plan.tasks] == ["network", "live"]
    network = plan.tasks[0]
    assert network.duration is None and [t.id for t in network.tasks] == ["survey", "install"]
    install = network.tasks[1]
    assert install.after == (Dependency("survey", "FS", Duration(1, "d")),)
    assert install.resources == (("tech", 2.0), ("pm", 1.0))
    assert plan.tasks[1].kind == "milestone" and plan.tasks[1].after == (Dependency("install"),)
    assert {r.id: (r.name, r.units) for r in plan.resources} == {
        "tech": ("Tech", 2.0),
        "pm": ("PM", 1.0),
    }


def test_without_an_id_column_predecessors_count_task_rows_from_one() -> None:
    plan = table_plan(
        table(
            ("Task Name", "Duration", "Predecessors"),
            ("A", "1d", ""),
            ("B", "1d", "1"),
        ),
        {},
        None,
        TODAY,
    )
    assert plan.tasks[1].after == (Dependency("a"),)


def test_headers_match_in_any_case_and_a_column_option_overrides_them() -> None:
    plan = table_plan(
        table(("  TASK   name", "Work days", "Duration"), ("A", "2", "9d")),
        {"duration": "work DAYS"},
        None,
        TODAY,
    )
    assert plan.tasks[0].duration == Duration(2, "d")


def test_names_that_repeat_get_numbered_ids_in_one_namespace() -> None:
    plan = table_plan(
        table(
            ("Name", "Duration", "Resources", "Deliverable", "Outcomes"),
            ("Install", "1d", "Install", "Install", "Wi-Fi is up; Install"),
            ("Install", "1d", "", "", ""),
        ),
        {},
        None,
        TODAY,
    )
    assert [t.id for t in plan.tasks] == ["install", "install-2"]
    assert [(d.id, d.name) for d in plan.deliverables] == [("install-3", "Install")]
    assert [(o.id, o.statement, o.priority) for o in plan.outcomes] == [
        ("wi-fi-is-up", "Wi-Fi is up", None),
        ("install-4", "Install", None),
    ]
    assert [r.id for r in plan.resources] == ["install-5"]
    assert plan.tasks[0].deliverable == "install-3"
    assert plan.tasks[0].outcomes == ("wi-fi-is-up", "install-4")


def test_an_id_column_given_by_option_names_the_tasks() -> None:
    plan = table_plan(
        table(
            ("Code", "Name", "Duration", "Predecessors"),
            ("s1", "A", "1d", ""),
            ("s2", "B", "1d", "s1"),
        ),
        {"id": "code"},
        None,
        TODAY,
    )
    assert [t.id for t in plan.tasks] == ["s1", "s2"]
    assert plan.tasks[1].after == (Dependency("s1"),)


def test_ids_given_by_option_must_be_valid_and_unique() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(
                ("Code", "Name", "Duration"), ("a b", "A", "1d"), ("x", "B", "1d"), ("x", "C", "1d")
            ),
            {"id": "Code"},
            None,
            TODAY,
        )
    assert problems(error) == [("bad-id", 2, 1), ("duplicate-id", 4, 1)]


def test_the_project_starts_on_the_earliest_date_of_the_sheet_in_any_of_its_forms() -> None:
    sheet = table(
        ("Name", "Duration", "Start", "Deadline", "Not before"),
        ("A", "1d", "Mon 3/8/27", "NA", ""),
        ("B", "1d", "2027-03-03", "2027-04-01", "5.3.2027"),
        ("C", "1d", date(2027, 3, 4), "", ""),
    )
    plan = table_plan(sheet, {}, None, TODAY)
    assert plan.project.start == date(2027, 3, 3)
    assert plan.tasks[1].deadline == date(2027, 4, 1)
    assert plan.tasks[1].not_before == date(2027, 3, 5)
    assert table_plan(sheet, {}, date(2027, 2, 1), TODAY).project.start == date(2027, 2, 1)
    no_dates = table(("Name", "Duration"), ("A", "1d"))
    assert table_plan(no_dates, {}, None, TODAY).project.start == TODAY


def test_costs_notes_and_progress_are_read() -> None:
    plan = table_plan(
        table(
            ("Name", "Duration", "Fixed Cost", "Notes", "% Complete", "Start", "Finish"),
            ("A", "2d", "$1,200.50", "Call first", "100%", "2027-03-01", "2027-03-02"),
            ("B", "2d", "1.200,50", "", 40, "2027-03-03", "2027-03-04"),
            ("C", "2d", 7, "", "0%", "2027-03-05", "2027-03-08"),
        ),
        {},
        None,
        TODAY,
    )
    a, b, c = plan.tasks
    assert (a.cost, a.notes, a.percent_complete) == (1200.5, "Call first", 100)
    assert (a.actual_start, a.actual_finish) == (date(2027, 3, 1), date(2027, 3, 2))
    assert (b.cost, b.percent_complete, b.actual_start, b.actual_finish) == (
        1200.5,
        40,
        date(2027, 3, 3),
        None,
    )
    assert (c.cost, c.percent_complete, c.actual_start) == (7, None, None)


def test_a_finished_milestone_keeps_its_progress() -> None:
    plan = table_plan(
        table(
            ("Name", "Duration", "% Complete", "Actual Start", "Actual Finish"),
            ("Kick-off", "0 days", "100%", "2027-03-01", "2027-03-01"),
        ),
        {},
        None,
        TODAY,
    )
    kickoff = plan.tasks[0]
    assert (kickoff.kind, kickoff.percent_complete, kickoff.actual_finish) == (
        "milestone",
        100,
        date(2027, 3, 1),
    )


def test_a_cost_that_is_not_a_finite_number_is_a_problem_at_its_cell() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(("Name", "Duration", "Fixed Cost"), ("A", "1d", "inf"), ("B", "1d", "-5")),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [("bad-value", 2, 3), ("bad-value", 3, 3)]


def test_progress_without_the_dates_it_needs_is_a_problem_at_its_cell() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(table(("Name", "Duration", "% Complete"), ("A", "2d", "50%")), {}, None, TODAY)
    assert problems(error) == [("bad-progress", 2, 3)]


def test_a_missing_column_names_the_headers_found_and_the_option() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(table(("Task", "Length"), ("A", "2d")), {}, None, TODAY)
    assert problems(error) == [("table-column", 1, 1)]
    message = error.value.diagnostics[0].message
    assert "'Task', 'Length'" in message and "--column duration=HEADER" in message


def test_a_column_option_naming_no_column_or_no_field_is_refused() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(table(("Name", "Duration"), ("A", "2d")), {"notes": "Remarks"}, None, TODAY)
    assert problems(error) == [("table-column", 1, 1)]
    with pytest.raises(PlanError, match="no field 'length'"):
        table_plan(table(("Name", "Duration"), ("A", "2d")), {"length": "Duration"}, None, TODAY)


def test_every_problem_of_the_sheet_is_reported_at_its_row_and_column() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(
                ("ID", "Name", "Duration", "Predecessors", "Resource Names", "Deadline"),
                (1, "A", "2 dayz", "", "tech[lots]", ""),
                (2, "", "", "9", "", "soon"),
                (2, "C", "1d", "1FS+10%", "", ""),
            ),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [
        ("bad-duration", 2, 3),
        ("bad-resource", 2, 5),
        ("missing-value", 3, 2),
        ("missing-value", 3, 3),
        ("unknown-id", 3, 4),
        ("bad-date", 3, 6),
        ("duplicate-id", 4, 1),
        ("bad-predecessor", 4, 4),
    ]


def test_a_cycle_is_reported_at_the_predecessors_cell_that_closes_it() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(
                ("Name", "Duration", "Predecessors"),
                ("A", "1d", "3"),
                ("B", "1d", "1"),
                ("C", "1d", "2"),
            ),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [("cycle", 4, 3)]
    assert "c -> a -> b -> c" in error.value.diagnostics[0].message


def test_plan_rules_are_reported_at_the_cell_they_came_from() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(
                ("Name", "Duration", "Predecessors", "Resource Names", "Outline Level"),
                ("Phase", "3d", "", "pm", 1),
                ("A", "1d", "1", "", 2),
                ("Gate", "0d", "", "pm", 1),
            ),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [
        ("summary-with-work", 2, 4),
        ("self-dependency", 3, 3),
        ("milestone-with-duration", 4, 4),
    ]


def test_an_outline_that_skips_a_level_is_a_problem() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            table(("Name", "Duration", "Outline Level"), ("A", "1d", 2), ("B", "1d", "1.5")),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [("bad-outline", 2, 3), ("bad-outline", 3, 3)]


def test_a_workbook_problem_also_names_the_cell_as_a_spreadsheet_does() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(
            Table("plan.xlsx", "Tasks", ((3, ("Name", "Duration")), (7, ("A", "soon")))),
            {},
            None,
            TODAY,
        )
    assert problems(error) == [("bad-duration", 7, 2)]
    assert error.value.diagnostics[0].message.endswith("(cell Tasks!B7)")


def test_a_sheet_without_task_rows_is_a_problem() -> None:
    with pytest.raises(PlanError) as error:
        table_plan(table(("Name", "Duration")), {}, None, TODAY)
    assert problems(error) == [("table-format", 1, 1)]
    with pytest.raises(PlanError):
        table_plan(table(), {}, None, TODAY)


# --- reading the files -----------------------------------------------------------------------


def test_a_csv_file_is_read_with_its_bom_dropped_its_delimiter_guessed_and_blanks_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tasks.csv"
    text = 'Name;Duration;Notes\r\n\r\nA;5 days;"two\r\nlines"\r\n;;\r\nB;2d;x,y\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert read_csv(path).rows == (
        (1, ("Name", "Duration", "Notes")),
        (3, ("A", "5 days", "two\r\nlines")),
        (6, ("B", "2d", "x,y")),
    )
    assert read_csv(path, ",").rows[0] == (1, ("Name;Duration;Notes",))


def test_a_csv_file_that_is_not_utf_8_is_read_as_windows_text(tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    path.write_bytes("Name,Duration\nCafé,1d\n".encode("cp1252"))
    assert read_csv(path).rows[1] == (2, ("Café", "1d"))


@pytest.mark.parametrize("content", [b"PK\x03\x04rest", b"Name\0,Duration\n"])
def test_a_binary_file_is_not_read_as_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tasks.csv"
    path.write_bytes(content)
    with pytest.raises(PlanError, match="not a CSV file") as error:
        read_csv(path)
    assert problems(error) == [("table-format", 1, 1)]


def test_a_delimiter_of_more_than_one_character_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    path.write_text("Name\tDuration\nA\t1d\n")
    assert read_csv(path, "tab").rows[1] == (2, ("A", "1d"))
    with pytest.raises(PlanError, match="one character"):
        read_csv(path, ";;")


def test_a_workbook_keeps_numbers_dates_and_percentages_typed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Tasks")
    sheet["B2"], sheet["C2"], sheet["D2"] = "Name", "Duration", "% Complete"
    sheet["B4"], sheet["C4"], sheet["D4"] = "A", 3, 0.25
    sheet["D4"].number_format = "0%"
    sheet["E4"] = datetime(2027, 3, 1, 8, 0)
    sheet["F4"] = True
    path = tmp_path / "plan.xlsx"
    book.save(path)
    read = read_xlsx(path, "Tasks")
    assert read.sheet == "Tasks"
    assert read.rows == (
        (2, (None, "Name", "Duration", "% Complete", None, None)),
        (4, (None, "A", 3, 25.0, date(2027, 3, 1), "TRUE")),
    )
    assert read_xlsx(path).sheet == "Notes"


def test_a_workbook_without_the_sheet_asked_for_lists_its_sheets(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(PlanError, match="no sheet 'Tasks'; its sheets: 'Sheet'"):
        read_xlsx(path, "Tasks")


@pytest.mark.parametrize("content", [b"Name,Duration\n", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_a_workbook_is_reported_not_raised(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(PlanError, match="not an Excel workbook") as error:
        read_xlsx(path)
    assert problems(error) == [("table-format", 1, 1)]


def test_a_missing_file_is_reported_as_unreadable(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read") as error:
        read_csv(tmp_path / "nope.csv")
    assert problems(error) == [("file-unreadable", 1, 1)]


@pytest.mark.parametrize("reader", [read_csv, read_xlsx])
def test_a_file_too_large_to_be_a_project_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: object
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Name,Duration\n" + "A task,1d\n" * 20)
    monkeypatch.setattr(file_size, "MAX_BYTES", 100)
    with pytest.raises(PlanError, match="larger than") as error:
        reader(path)  # type: ignore[operator]
    assert problems(error) == [("table-too-large", 1, 1)]


def test_a_sheet_of_more_rows_than_any_project_is_refused_as_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook is compressed: a small file can unpack to millions of rows."""
    book = openpyxl.Workbook()
    for n in range(1, 6):
        book.active.append([f"Task {n}", n])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    monkeypatch.setattr(table_read, "MAX_ROWS", 5)
    assert len(read_xlsx(path).rows) == 5
    monkeypatch.setattr(table_read, "MAX_ROWS", 4)
    with pytest.raises(PlanError, match="more than 4 rows") as error:
        read_xlsx(path)
    assert problems(error) == [("table-too-large", 1, 1)]
