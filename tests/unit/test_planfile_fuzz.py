"""Any input at all gives a Plan or a PlanError with located problems, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ontrack.core.diagnostics import PlanError
from ontrack.planfile import parse_plan
from ontrack.planfile.codes import ALL_CODES

SAMPLES = sorted((Path(__file__).parents[1] / "planfiles").glob("*/*.yaml"))
SCHEMA_WORDS = [
    "ontrack",
    "project",
    "program",
    "calendars",
    "resources",
    "outcomes",
    "deliverables",
    "tasks",
    "conversations",
    "id",
    "name",
    "start",
    "duration",
    "after",
    "task",
    "type",
    "lag",
    "estimate",
    "low",
    "high",
    "units",
    "kind",
    "milestone",
    "away",
    "from",
    "to",
    "workdays",
    "holidays",
    "priority",
    "percent_complete",
    "actual_start",
    "vendors",
]
SNIPPETS = [
    ": ",
    "- ",
    "\n",
    "\n  ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "'",
    '"',
    "|",
    "---\n",
    "\t",
    "\x00",
    "é",
    "\u2028",
    "? ",
    "!!str ",
    "5d",
    "2027-03-01",
    "1",
    "-1",
]


def check(text: str) -> None:
    try:
        parse_plan(text)
    except PlanError as error:
        assert error.diagnostics
        for problem in error.diagnostics:
            assert problem.code in ALL_CODES, problem
            assert problem.location and problem.location.line >= 1 and problem.location.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_plan_or_located_problems(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS + SCHEMA_WORDS), max_size=40).map("".join))
def test_text_made_of_yaml_symbols_and_field_names_gives_a_plan_or_located_problems(
    text: str,
) -> None:
    check(text)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["5d", "-1d", "2027-03-01", "FS", "SS", "milestone", "mon", "US", "a", "b"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(SCHEMA_WORDS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(SCHEMA_WORDS), VALUES, max_size=6))
def test_any_yaml_structure_gives_a_plan_or_located_problems(data: dict[str, object]) -> None:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, stream)
    check(stream.getvalue())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_plan_file_with_random_edits_gives_a_plan_or_located_problems(
    data: st.DataObject,
) -> None:
    text = data.draw(st.sampled_from(SAMPLES)).read_text("utf-8")
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        text = text[:at] + data.draw(st.sampled_from(["", *SNIPPETS])) + text[at + cut :]
    check(text)
