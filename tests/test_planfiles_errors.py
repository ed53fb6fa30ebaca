"""Every plan in tests/planfiles/errors fails with exactly the problems it states.

Each file is a plan, then a line `---` and a second YAML document listing the expected
`errors` as `{code, line, column}`. The plan part may be broken YAML, so the
expectations are read from the text after the last `---` line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ontrack.core.diagnostics import PlanError
from ontrack.planfile import parse_plan
from ontrack.planfile.codes import ALL_CODES

ERRORS = Path(__file__).parent / "planfiles" / "errors"
PLANS = sorted(ERRORS.glob("*.yaml"))
NOT_FROM_A_PLAN = {"file-unreadable"}  # about the file, not its text: see the unit tests

Expected = set[tuple[str, int, int]]


def expectations(text: str) -> Expected:
    lines = text.splitlines()
    separator = max(i for i, line in enumerate(lines) if line.rstrip() == "---")
    spec = YAML(typ="safe", pure=True).load("\n".join(lines[separator + 1 :]))
    return {(e["code"], e["line"], e["column"]) for e in spec["errors"]}


def test_there_are_at_least_18_error_plan_files() -> None:
    assert len(PLANS) >= 18


def test_every_error_code_is_shown_by_some_error_plan_file() -> None:
    shown = {code for path in PLANS for code, _, _ in expectations(path.read_text("utf-8"))}
    assert ALL_CODES - NOT_FROM_A_PLAN - shown == set()


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_error_plan_file_reports_exactly_the_problems_it_states(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expectations(text)
    with pytest.raises(PlanError) as caught:
        parse_plan(text, str(path))
    found = {
        (d.code, d.location.line, d.location.column) for d in caught.value.diagnostics if d.location
    }
    assert all(d.location and d.location.file == str(path) for d in caught.value.diagnostics)
    messages = "\n".join(str(d) for d in caught.value.diagnostics)
    assert found == expected, f"reported:\n{messages}"
