"""The import use cases: other tools' files turned into plan files.

Each reader returns a Plan or raises PlanError naming FILE:LINE:COL; the plan is written
only when `ontrack check` would accept it, all or nothing."""

from __future__ import annotations

from pathlib import Path

from ontrack.app.services import write_text
from ontrack.core.model import Plan
from ontrack.interop.psplib import read_psplib
from ontrack.planfile import dump_plan, parse_plan


def write_plan_file(plan: Plan, target: Path) -> None:
    """Write `plan` in canonical form to `target`, or nothing when the result would not pass
    `ontrack check` (so an importer's slip never leaves a plan file that fails later)."""
    text = dump_plan(plan)
    parse_plan(text, str(target))
    write_text(target, text)


def import_psplib(source: Path, target: Path) -> Plan:
    """Write the PSPLIB instance `source` as the plan file `target`, or nothing on an error."""
    plan = read_psplib(source)
    write_plan_file(plan, target)
    return plan
