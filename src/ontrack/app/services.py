"""The use cases of the command line: each takes plain values and returns plain results."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.levelling import LevelSettings, effort_and_optimizer
from ontrack.app.schedule_json import schedule_to_json
from ontrack.core.explain import not_delayed
from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.core.validate import suggest
from ontrack.interop.psplib import read_psplib
from ontrack.planfile import dump_plan, load_plan, parse_plan

ReportFormat = Literal["html", "md"]


@dataclass(frozen=True)
class Scheduled:
    plan: Plan
    schedule: Schedule

    def report_date(self, today: date) -> date:
        """Reports speak as of the plan's status date, or today when it has none."""
        return self.plan.project.status_date or today


def check_plan(path: Path) -> Plan:
    """Parse and validate; raises PlanError with every problem of the file."""
    return load_plan(path)


def schedule_options(settings: LevelSettings | None = None) -> ScheduleOptions:
    """The core's options for these levelling settings, with the countries' holidays."""
    settings = settings or LevelSettings()
    effort, optimizer = effort_and_optimizer(settings)
    return ScheduleOptions(
        level=settings.level, holidays=CountryHolidays(), effort=effort, optimizer=optimizer
    )


def schedule_plan(path: Path, settings: LevelSettings | None = None) -> Scheduled:
    plan = load_plan(path)
    return Scheduled(plan, schedule(plan, schedule_options(settings)))


class UnknownTask(LookupError):
    """A task id that the plan does not have."""


def explain_task(sp: Scheduled, task_id: str) -> str:
    """Why the task starts where it does: how long levelling delayed it and for what, or
    what the plan says set its start."""
    sched = sp.schedule
    if task_id not in sched.task_index:
        raise UnknownTask(f"no task has the id '{task_id}'" + suggest(task_id, sched.task_index))
    delay = sched.delay(task_id)
    if delay:
        return delay.sentence()
    task = next(t for t, _ in sp.plan.walk_tasks() if t.id == task_id)
    return not_delayed(task, sched.task(task_id), sched.levelled)


def client_report(sp: Scheduled, fmt: ReportFormat = "html") -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.client_report(sp.plan, sp.schedule, format=fmt)


def team_briefing(sp: Scheduled, today: date, fmt: ReportFormat = "html") -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.team_briefing(sp.plan, sp.schedule, today=sp.report_date(today), format=fmt)


def gantt(sp: Scheduled, today: date) -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.gantt_svg(sp.plan, sp.schedule, today=sp.report_date(today))


def write_text(path: Path, text: str) -> None:
    """Write all of it or nothing: a temporary file beside the target, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_psplib(source: Path, target: Path) -> Plan:
    """Write the PSPLIB instance `source` as the plan file `target`, or nothing on an error."""
    plan = read_psplib(source)
    text = dump_plan(plan)
    parse_plan(text, str(target))  # what `ontrack check` does: never write a plan it rejects
    write_text(target, text)
    return plan


def publish(path: Path, out_dir: Path, today: date) -> list[Path]:
    """Schedule one plan and write every report for it into `out_dir`; returns the files."""
    sp = schedule_plan(path)
    outputs = {
        "client-report.html": client_report(sp, "html"),
        "client-report.md": client_report(sp, "md"),
        "team-briefing.html": team_briefing(sp, today, "html"),
        "team-briefing.md": team_briefing(sp, today, "md"),
        "gantt.svg": gantt(sp, today),
        "schedule.json": json.dumps(schedule_to_json(sp.schedule), indent=2) + "\n",
    }
    written = []
    for name, text in outputs.items():
        write_text(out_dir / name, text)
        written.append(out_dir / name)
    return written
