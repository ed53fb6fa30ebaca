"""The export use cases: a plan's schedule as a calendar, as CSV, as an Excel workbook,
as Microsoft Project XML.

Each schedules the plan file first; a file is written all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.services import saved_baselines, schedule_plan, write_bytes
from ontrack.core.validate import suggest
from ontrack.interop import ical, mspdi, spreadsheet
from ontrack.interop.spreadsheet import What


class UnknownResource(LookupError):
    """A resource id that the plan does not have."""


def ical_export(path: Path, resources: Sequence[str], stamp: datetime) -> str:
    """The plan's calendar: outcome targets and forecasts, milestones, and the tasks of
    each resource in `resources`; raises UnknownResource for an id the plan lacks."""
    sp = schedule_plan(path)
    known = [r.id for r in sp.plan.resources]
    for rid in resources:
        if rid not in known:
            raise UnknownResource(f"no resource has the id '{rid}'" + suggest(rid, known))
    wanted = list(dict.fromkeys(resources))  # each person once, in the order given
    events = ical.plan_events(sp.plan, sp.schedule, wanted)
    return ical.calendar_text(sp.plan.project.name, events, stamp)


def csv_export(path: Path, what: What) -> str:
    """The schedule (one row per task) or the outcome view as CSV."""
    header, rows = spreadsheet.table(schedule_plan(path).schedule, what)
    return spreadsheet.to_csv(header, rows)


def xlsx_export(path: Path) -> bytes:
    """A workbook with a "Schedule" and an "Outcomes" sheet."""
    sched = schedule_plan(path).schedule
    return spreadsheet.to_xlsx(
        [
            ("Schedule", *spreadsheet.table(sched, "schedule")),
            ("Outcomes", *spreadsheet.table(sched, "outcomes")),
        ]
    )


def mspdi_export(path: Path, output: Path) -> None:
    """The plan and its schedule as Microsoft Project XML (MSPDI), written to `output`."""
    sp = schedule_plan(path)
    baselines = saved_baselines(path, sp.plan)
    write_bytes(output, mspdi.to_mspdi(sp.plan, sp.schedule, CountryHolidays(), baselines))
