"""The use cases of the command line: each takes plain values and returns plain results."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.levelling import LevelSettings, effort_and_optimizer
from ontrack.core.baseline import Baseline
from ontrack.core.explain import not_delayed
from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.core.schedule import ScheduleOptions, schedule
from ontrack.core.validate import suggest
from ontrack.planfile import load_plan
from ontrack.planfile.baselines import baselines_file, load_baselines


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
    """Schedule the plan file; outcomes slipping since its latest baseline, when it has
    one, are judged at risk sooner (docs/scheduling.md#outcomes)."""
    plan = load_plan(path)
    options = schedule_options(settings)
    latest = latest_baseline(path, plan)
    if latest is not None:
        forecasts = {o.id: o.forecast for o in latest.outcomes}
        options = replace(options, baseline_forecasts=forecasts)
    return Scheduled(plan, schedule(plan, options))


def saved_baselines(path: Path, plan: Plan) -> tuple[Baseline, ...]:
    """The baselines saved beside the plan file at `path`, oldest first."""
    file = baselines_file(path)
    return load_baselines(file, plan.project.id) if file.exists() else ()


def latest_baseline(path: Path, plan: Plan) -> Baseline | None:
    """The baseline saved last beside the plan at `path`; None when there is none."""
    saved = saved_baselines(path, plan)
    return saved[-1] if saved else None


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


def gantt(sp: Scheduled, today: date) -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.gantt_svg(sp.plan, sp.schedule, today=sp.report_date(today))


def write_text(path: Path, text: str) -> None:
    """Write all of it or nothing, as UTF-8 with the line endings `text` has."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write all of it or nothing: a temporary file beside the target, then a rename. The
    file keeps the permissions it had (a new one gets the usual ones, by the umask), not
    the private ones of the temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
