"""docs/plan-format.md documents every field of the schema and every error code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontrack.planfile.codes import ALL_CODES
from ontrack.planfile.reference import BEGIN, END, field_reference, mappings
from ontrack.planfile.schema import yaml_fields

DOCS = Path(__file__).parents[2] / "docs" / "plan-format.md"
TEXT = DOCS.read_text(encoding="utf-8")
REGENERATE = "run `python -m ontrack.planfile.reference docs/plan-format.md`"


def section(title: str) -> str:
    """The generated table of one mapping of the file."""
    start = TEXT.index(f"### {title}\n")
    end = TEXT.find("\n### ", start + 1)
    return TEXT[start : end if end > 0 else None]


def test_the_field_reference_is_generated_from_the_current_schema() -> None:
    generated = TEXT.split(BEGIN, 1)[1].split(END, 1)[0]
    assert generated.strip() == field_reference().strip(), (
        f"the field reference is stale: {REGENERATE}"
    )


@pytest.mark.parametrize(("title", "model"), mappings(), ids=lambda v: getattr(v, "__name__", v))
def test_every_field_of_the_schema_is_in_the_docs(title: str, model: type) -> None:
    table = section(title)
    missing = [name for name in yaml_fields(model) if f"| `{name}` |" not in table]  # type: ignore[arg-type]
    assert not missing, f"{title} lacks {missing}: {REGENERATE}"


def documented_codes() -> set[str]:
    table = TEXT.split("**Codes.**", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \|", table, re.MULTILINE))


def test_every_error_code_is_documented_with_what_to_do() -> None:
    assert ALL_CODES - documented_codes() == set()


def test_the_docs_name_no_error_code_that_does_not_exist() -> None:
    assert documented_codes() - ALL_CODES == set()
