"""The canonical form: a plan written out reads back as the same plan, in one style."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ontrack.core.model import Dependency, Duration, Outcome, Plan, ProjectInfo, Task
from ontrack.planfile import dump_plan, parse_plan

DOCS = Path(__file__).parents[2] / "docs" / "plan-format.md"
PROJECT = ProjectInfo("p", "P", date(2027, 3, 1))


def docs_example() -> str:
    match = re.search(r"## A whole example\n\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert match, "docs/plan-format.md shows a whole example"
    return match.group(1)


def with_text(text: str) -> Plan:
    return Plan(PROJECT, outcomes=(Outcome("o", text),))


def test_the_example_of_the_docs_reads_and_writes_back_the_same() -> None:
    plan = parse_plan(docs_example())
    assert parse_plan(dump_plan(plan)) == plan


def test_the_canonical_form_of_the_docs_example_is_the_example_without_comments() -> None:
    uncommented = "\n".join(re.sub(r"\s+#.*$", "", line) for line in docs_example().splitlines())
    assert dump_plan(parse_plan(docs_example())) == uncommented.strip() + "\n"


def test_fields_come_in_canonical_order_and_empty_ones_are_left_out() -> None:
    plan = parse_plan(
        "tasks:\n  - {after: [], duration: 2d, name: A, id: a, notes: ~}\n"
        "project: {start: 2027-03-01, name: P, id: p}\nontrack: 1\n"
    )
    assert dump_plan(plan) == (
        "ontrack: 1\n\nproject:\n  id: p\n  name: P\n  start: 2027-03-01\n\n"
        "tasks:\n  - id: a\n    name: A\n    duration: 2d\n"
    )


def test_short_dependencies_stay_short_and_long_ones_long() -> None:
    tasks = (
        Task("a", "A", duration=Duration(1, "d")),
        Task("b", "B", duration=Duration(1, "d"), after=(Dependency("a", short=True),)),
        Task(
            "c",
            "C",
            duration=Duration(1, "d"),
            after=(Dependency("a"), Dependency("b", "SS", Duration(-1, "d"), short=True)),
        ),
    )
    text = dump_plan(Plan(PROJECT, tasks=tasks))
    assert "    after: [a]\n" in text
    assert "    after:\n      - {task: a}\n      - {task: b, type: SS, lag: -1d}\n" in text


@pytest.mark.parametrize(
    ("lag", "written"),
    [
        (5.0, "5d"),
        (0.5, "0.5d"),
        (-1.0, "-1d"),
        (1e-07, "0.0000001d"),
        (1.5e20, "150000000000000000000d"),
    ],
)
def test_durations_are_written_as_digits_and_a_unit(lag: float, written: str) -> None:
    first = Task("a", "A", duration=Duration(1, "d"))
    second = Task(
        "b", "B", duration=Duration(1, "d"), after=(Dependency("a", lag=Duration(lag, "d")),)
    )
    plan = Plan(PROJECT, tasks=(first, second))
    text = dump_plan(plan)
    assert f"lag: {written}}}" in text
    assert parse_plan(text) == plan


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Wi-Fi is up", "Wi-Fi is up"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("true", '"true"'),
        ("null", '"null"'),
        ("", '""'),
        ("12", '"12"'),
        ("1e3", '"1e3"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("- item", '"- item"'),
        ("[x]", '"[x]"'),
        (" lead", '" lead"'),
        ("trail ", '"trail "'),
        ('say "hi"', 'say "hi"'),
        ("tab\there", '"tab\\there"'),
        ("bell\x07", '"bell\\x07"'),
        ("line\u2028break", '"line\\u2028break"'),
        ("2027-03-01", "2027-03-01"),
    ],
)
def test_text_is_plain_only_when_it_reads_back_as_the_same_text(text: str, written: str) -> None:
    dumped = dump_plan(with_text(text))
    assert f"    statement: {written}\n" in dumped
    assert parse_plan(dumped) == with_text(text)


def test_text_of_several_lines_is_a_literal_block() -> None:
    dumped = dump_plan(with_text("first line\n\nthird line"))
    assert "    statement: |-\n      first line\n\n      third line\n" in dumped
    assert parse_plan(dumped) == with_text("first line\n\nthird line")


def test_text_in_a_one_line_list_is_quoted_where_a_comma_or_colon_would_break_it() -> None:
    plan = Plan(PROJECT, outcomes=(Outcome("o", "O", needs=("a, b", "c:d", "what?", "plain")),))
    dumped = dump_plan(plan)
    assert 'needs: ["a, b", "c:d", "what?", plain]' in dumped
    assert parse_plan(dumped) == plan


def test_a_list_too_long_for_one_line_is_written_one_item_per_line() -> None:
    plan = Plan(
        PROJECT, outcomes=(Outcome("o", "O", needs=tuple(f"need number {i}" for i in range(12))),)
    )
    dumped = dump_plan(plan)
    assert "    needs:\n      - need number 0\n" in dumped
    assert parse_plan(dumped) == plan


def test_ids_that_look_like_numbers_are_quoted() -> None:
    plan = Plan(PROJECT, tasks=(Task("007", "Bond", duration=Duration(1, "d")),))
    assert '  - id: "007"\n' in dump_plan(plan)
    assert parse_plan(dump_plan(plan)) == plan
