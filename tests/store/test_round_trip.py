from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ontrack.core.model import Plan
from ontrack.planfile import dump_plan, load_plan
from ontrack.store import ProjectExists, export_plan, import_plan, list_projects

ROOT = Path(__file__).parents[2]
PLAN_FILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/planfiles/correct/*.yaml")])


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_plan_file_imported_and_exported_gives_the_canonical_file(
    engine: sa.Engine, path: Path
) -> None:
    plan = load_plan(path)
    with engine.begin() as conn:
        key = import_plan(conn, plan, "pm")
    with engine.connect() as conn:
        exported = export_plan(conn, key)
    assert dump_plan(exported) == dump_plan(plan)


def test_projects_are_listed_by_key_and_a_key_is_imported_once(
    engine: sa.Engine, plan: Plan
) -> None:
    with engine.begin() as conn:
        import_plan(conn, plan, "pm")
    with pytest.raises(ProjectExists), engine.begin() as conn:
        import_plan(conn, plan, "pm")
    with engine.connect() as conn:
        assert [(p.key, p.version) for p in list_projects(conn)] == [("line-machines", 1)]
