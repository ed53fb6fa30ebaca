"""The import use cases: other tools' files turned into plan files.

Each reader returns a Plan or raises PlanError naming FILE:LINE:COL; the plan is written
only when `ontrack check` would accept it, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from ontrack.app.levelling import LevelSettings
from ontrack.app.services import schedule_options, write_text
from ontrack.core.baseline import Baseline, take_baseline
from ontrack.core.model import Plan
from ontrack.core.schedule import schedule, timed_schedule
from ontrack.interop.mpp import mpp_to_mspdi
from ontrack.interop.mspdi_baselines import BaselineRecord, baseline_name, baseline_plan
from ontrack.interop.mspdi_fidelity import Difference, differences
from ontrack.interop.mspdi_read import Imported, read_mspdi
from ontrack.interop.mspdi_xml import read_limited
from ontrack.interop.psplib import read_psplib
from ontrack.interop.table_import import table_plan
from ontrack.interop.table_read import read_csv, read_xlsx
from ontrack.planfile import dump_plan, parse_plan
from ontrack.planfile.baselines import baselines_file, dump_baselines


def write_plan_file(plan: Plan, target: Path) -> None:
    """Write `plan` in canonical form to `target`, or nothing when the result would not pass
    `ontrack check` (so an importer's slip never leaves a plan file that fails later)."""
    write_text(target, plan_text(plan, target))


def plan_text(plan: Plan, target: Path) -> str:
    """The plan file of `plan`, as `write_plan_file` writes it, without writing it."""
    text = dump_plan(plan)
    parse_plan(text, str(target))
    return text


@dataclass(frozen=True)
class MspdiImport:
    plan: Plan
    remarks: tuple[str, ...]
    compared: int
    """Tasks with dates stored by MS Project, compared with ontrack's schedule."""
    differences: tuple[Difference, ...]
    baselines: tuple[Baseline, ...] = ()
    """MS Project's baselines, written beside the plan (PLAN.baselines.yaml)."""


def import_mspdi(source: Path, target: Path) -> MspdiImport:
    """Write the MSPDI file `source` as the plan file `target`, or nothing on an error;
    with what did not travel, and how ontrack's dates compare with MS Project's."""
    return _from_mspdi(read_mspdi(read_limited(source), str(source)), target)


def import_mpp(source: Path, target: Path) -> MspdiImport:
    """As import_mspdi, for a file MPXJ reads (.mpp, .mpx, ...): MPXJ turns it into MSPDI
    first, so a problem's line and column are in that MSPDI, as the message says."""
    data = mpp_to_mspdi(source)
    return _from_mspdi(read_mspdi(data, f"{source} (read as MSPDI)"), target)


def _from_mspdi(imported: Imported, target: Path) -> MspdiImport:
    plan = imported.plan
    text = plan_text(plan, target)
    sched = schedule(plan, schedule_options(LevelSettings(level=False)))
    found = tuple(differences(imported, sched))
    baselines = tuple(_baseline(imported, n, records) for n, records in imported.baselines.items())
    if baselines:  # first, so that a plan file never refers to baselines not written
        write_text(baselines_file(target), dump_baselines(plan.project.id, baselines))
    write_text(target, text)
    return MspdiImport(plan, imported.remarks, len(imported.stored), found, baselines)


def _baseline(imported: Imported, number: int, records: Mapping[str, BaselineRecord]) -> Baseline:
    """MS Project's baseline as ontrack freezes one: its plan scheduled once for the cost
    its resources make, again with each task's fixed cost making up the rest."""
    name = baseline_name(number)

    def frozen(fixed: Mapping[str, float]) -> Baseline:
        plan = baseline_plan(imported.plan, records, fixed)
        sched, timing = timed_schedule(plan, schedule_options())
        return take_baseline(name, plan, sched, timing, plan.project.start)

    first = frozen({})
    made = {t.id: t.cost for t in first.tasks}
    fixed = {
        tid: round(r.cost - made[tid], 2)
        for tid, r in records.items()
        if tid in made and r.cost - made[tid] >= 0.005
    }
    return frozen(fixed) if fixed else first


def import_psplib(source: Path, target: Path) -> Plan:
    """Write the PSPLIB instance `source` as the plan file `target`, or nothing on an error."""
    plan = read_psplib(source)
    write_plan_file(plan, target)
    return plan


def import_table(
    source: Path,
    target: Path,
    kind: Literal["csv", "xlsx"],
    today: date,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    start: date | None = None,
) -> Plan:
    """Write the task list of a CSV file or an .xlsx sheet as the plan file `target`, or
    nothing on an error; the project starts at `start`, else the sheet's earliest date,
    else `today`."""
    table = read_xlsx(source, sheet) if kind == "xlsx" else read_csv(source, delimiter)
    plan = table_plan(table, columns or {}, start, today)
    write_plan_file(plan, target)
    return plan
