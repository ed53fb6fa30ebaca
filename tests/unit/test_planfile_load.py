"""Reading a plan from a file: the same plan or problems, and a clear word when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontrack.core.diagnostics import Location, PlanError
from ontrack.planfile import load_plan, parse_plan

PLAN = "ontrack: 1\nproject: {id: p, name: Plant é, start: 2027-03-01}\n"


def only_problem(path: Path) -> tuple[str, Location | None]:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.diagnostics
    return problem.code, problem.location


def test_a_file_reads_as_its_text_does(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    assert load_plan(path) == parse_plan(PLAN)
    assert load_plan(str(path)).project.name == "Plant é"


def test_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN + "tasks: 5\n", encoding="utf-8")
    assert only_problem(path) == ("bad-type", Location(str(path), 3, 8))


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert only_problem(path) == ("file-unreadable", Location(str(path), 1, 1))


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    assert only_problem(tmp_path)[0] == "file-unreadable"


def test_a_file_that_is_not_utf8_is_reported_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"ontrack: 1\nproject: {id: p, name: Caf\xe9, start: 2027-03-01}\n")
    assert only_problem(path) == ("yaml-syntax", Location(str(path), 2, 27))


def test_windows_line_endings_and_a_byte_order_mark_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode("utf-8"))
    assert load_plan(path) == parse_plan(PLAN)
