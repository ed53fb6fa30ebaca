"""Values set in a plan file's text in place: only they change, the rest stays as written."""

from __future__ import annotations

import difflib
from datetime import date

import pytest

from ontrack.planfile import parse_plan
from ontrack.planfile.edit import EditError, PlanText

# Comments everywhere, odd spacing, quoting, flow and block mappings and lists, a literal
# block, a summary, and expectations after the plan.
PLAN = """\
# Plant Wi-Fi: the plan.
ontrack: 1
project: { id: plant,  name: "Plant IT", start: 2027-03-01 }   # flow, spaced

outcomes:
  - id: wifi          # the one that matters
    statement: 'Wi-Fi is up'
    target: 2027-05-28
tasks:
  - id: survey
    name:   RF survey     # odd spacing
    duration: 3d
    outcomes: [ wifi ]
    notes: |
      Bring the ladder.
      Ask for the keys.
  # the order waits for the survey
  - {id: order, name: Order APs, duration: 15ed, after: [survey], actual_cost: 10}
  - id: build
    name: Build
    tasks:
      - id: install
        name: Install
        duration: 5d
        after:
          - order
          - {task: survey, type: SS}   # overlap
---
expect: {}
"""


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), in order."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line[:1] in "+-"]


def test_progress_changes_only_the_lines_of_the_values_set() -> None:
    edit = PlanText(PLAN)
    edit.set(("project", "status_date"), date(2027, 3, 8))
    edit.set(("tasks", 0, "actual_start"), date(2027, 3, 1))
    edit.set(("tasks", 0, "actual_finish"), date(2027, 3, 3))
    edit.set(("tasks", 0, "percent_complete"), 100)
    edit.set(("tasks", 1, "actual_start"), date(2027, 3, 4))
    edit.set(("tasks", 1, "actual_cost"), 1200.5)
    edit.set(("tasks", 2, "tasks", 0, "percent_complete"), 0)
    assert changed_lines(PLAN, edit.text) == [
        '- project: { id: plant,  name: "Plant IT", start: 2027-03-01 }   # flow, spaced',
        '+ project: { id: plant,  name: "Plant IT", start: 2027-03-01, status_date: 2027-03-08 }'
        "   # flow, spaced",
        "+     actual_start: 2027-03-01",
        "+     actual_finish: 2027-03-03",
        "+     percent_complete: 100",
        "-   - {id: order, name: Order APs, duration: 15ed, after: [survey], actual_cost: 10}",
        "+   - {id: order, name: Order APs, duration: 15ed, after: [survey], actual_cost: 1200.5, "
        "actual_start: 2027-03-04}",
        "+         percent_complete: 0",
    ]
    lines = edit.text.splitlines()
    # A new key of a block mapping follows its last value (here a literal block), at the
    # indentation of its keys; after a nested list, it still belongs to its own mapping.
    assert lines[15:19] == [
        "      Ask for the keys.",
        "    actual_start: 2027-03-01",
        "    actual_finish: 2027-03-03",
        "    percent_complete: 100",
    ]
    assert lines[-3:] == ["        percent_complete: 0", "---", "expect: {}"]
    plan = parse_plan(edit.text)
    install = plan.tasks[2].tasks[0]
    assert (plan.project.status_date, plan.tasks[1].actual_cost) == (date(2027, 3, 8), 1200.5)
    assert install.percent_complete == 0


def test_a_value_already_written_is_replaced_where_it_stands_keeping_its_comment() -> None:
    text = "a:\n  n: 40   # a guess\n  m: x\n"
    edit = PlanText(text)
    edit.set(("a", "n"), 60)
    assert edit.text == "a:\n  n: 60   # a guess\n  m: x\n"


def test_an_empty_value_is_filled_and_a_block_scalar_keeps_its_line_break() -> None:
    edit = PlanText("a:\n  n:\n  s: |\n    text\n  z: 1\n")
    edit.set(("a", "n"), 5)
    edit.set(("a", "s"), "short")
    assert edit.text == "a:\n  n: 5\n  s: short\n  z: 1\n"


def test_text_is_quoted_where_plain_text_would_read_otherwise() -> None:
    edit = PlanText("o: {id: wifi}\nb:\n  x: 1\n")
    edit.set(("o", "evidence"), "survey, signed")
    edit.set(("b", "evidence"), "signed: yes # really")
    assert edit.text == (
        'o: {id: wifi, evidence: "survey, signed"}\n'
        'b:\n  x: 1\n  evidence: "signed: yes # really"\n'
    )


def test_a_mapping_is_added_on_one_line_or_merged_into_the_one_written() -> None:
    verified = {"by": "Dana Lee", "date": date(2027, 5, 20), "evidence": "Signed survey"}
    edit = PlanText("o:\n  id: a\nq:\n  verified:\n    by: Raj   # first check\n    date: x\n")
    edit.set(("o", "verified"), verified)
    edit.set(("q", "verified"), verified)
    assert edit.text == (
        "o:\n  id: a\n  verified: {by: Dana Lee, date: 2027-05-20, evidence: Signed survey}\n"
        "q:\n  verified:\n    by: Dana Lee   # first check\n    date: 2027-05-20\n"
        "    evidence: Signed survey\n"
    )


def test_an_empty_flow_mapping_takes_its_first_key() -> None:
    edit = PlanText("a: {}\n")
    edit.set(("a", "k"), 1)
    assert edit.text == "a: {k: 1}\n"


def test_line_endings_a_byte_order_mark_and_a_missing_final_newline_are_kept() -> None:
    edit = PlanText("\ufeffa:\r\n  n: 1\r\n  m: é\U0001f600")
    edit.set(("a", "n"), 2)
    edit.set(("a", "k"), 3)
    assert edit.text == "\ufeffa:\r\n  n: 2\r\n  m: é\U0001f600\r\n  k: 3"


def test_a_value_behind_an_anchor_or_alias_is_not_changed() -> None:
    edit = PlanText("a: &day 2027-03-01\nb: *day\nc: &m {x: 1}\n")
    for path in [("a",), ("b",), ("c", "y")]:
        with pytest.raises(EditError, match="anchor or alias"):
            edit.set(path, date(2027, 3, 2))
    assert edit.text == "a: &day 2027-03-01\nb: *day\nc: &m {x: 1}\n"


def test_a_path_the_file_does_not_have_is_an_error() -> None:
    with pytest.raises(EditError, match=r"tasks\[3\]"):
        PlanText("tasks: [{id: a}]\n").set(("tasks", 3, "n"), 1)


def test_a_value_set_twice_is_written_once_with_the_later_value() -> None:
    edit = PlanText("a:\n  n: 1\n")
    for value in (2, 3):
        edit.set(("a", "n"), value)
        edit.set(("a", "k"), value)
    assert edit.text == "a:\n  n: 3\n  k: 3\n"
