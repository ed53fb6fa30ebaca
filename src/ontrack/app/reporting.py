"""The reports as use cases: the plan measured against its latest saved baseline, its
health, its course corrections and (when asked) its confidence, then the client report
and the team briefing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ontrack.app.advise import advise_on
from ontrack.app.evm import measure
from ontrack.app.health import health_of
from ontrack.app.risk import confidence_to_json, scheduled_confidence
from ontrack.app.schedule_json import schedule_to_json
from ontrack.app.services import Scheduled, gantt, latest_baseline, schedule_plan, write_text
from ontrack.app.tracking import current_baseline
from ontrack.core.baseline import Baseline, compare
from ontrack.core.confidence import Confidence

if TYPE_CHECKING:
    from ontrack.reports import Tracking

ReportFormat = Literal["html", "md"]


def tracking(
    path: Path, sp: Scheduled, today: date, confidence: Confidence | None = None
) -> Tracking:
    """What the reports show about tracking: the plan against the baseline saved last
    (nothing when none is), its health checks, the course corrections and, when given,
    each outcome's confidence."""
    return tracking_of(sp, latest_baseline(path, sp.plan), today, str(path), confidence)


def tracking_of(
    sp: Scheduled,
    baseline: Baseline | None,
    today: date,
    plan_file: str,
    confidence: Confidence | None = None,
) -> Tracking:
    """What the reports show, measured against `baseline`; `plan_file` names the plan in
    the hint to save a first baseline."""
    from ontrack.reports import Measured, Tracking  # templates load only for a report

    plan = sp.plan
    measured = (
        Measured(
            baseline,
            compare(baseline, current_baseline(plan, today)),
            measure(plan, baseline, today),
        )
        if baseline
        else None
    )
    return Tracking(plan_file, measured, health_of(plan, baseline), advise_on(plan), confidence)


def client_report(sp: Scheduled, tracked: Tracking, fmt: ReportFormat = "html") -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.client_report(sp.plan, sp.schedule, format=fmt, tracking=tracked)


def team_briefing(
    sp: Scheduled, tracked: Tracking, today: date, fmt: ReportFormat = "html"
) -> str:
    from ontrack import reports  # templates load only when a report is asked for

    return reports.team_briefing(
        sp.plan, sp.schedule, today=sp.report_date(today), format=fmt, tracking=tracked
    )


def report_confidence(sp: Scheduled) -> Confidence:
    """The confidence the reports show: QUICK_ITERATIONS futures from REPORT_SEED, so the
    same plan gives the same report."""
    return scheduled_confidence(sp)


def publish(path: Path, out_dir: Path, today: date) -> list[Path]:
    """Schedule one plan and write every report for it into `out_dir`, confidence
    included; returns the files."""
    sp = schedule_plan(path)
    odds = report_confidence(sp)
    tracked = tracking(path, sp, today, odds)
    outputs = {
        "client-report.html": client_report(sp, tracked, "html"),
        "client-report.md": client_report(sp, tracked, "md"),
        "team-briefing.html": team_briefing(sp, tracked, today, "html"),
        "team-briefing.md": team_briefing(sp, tracked, today, "md"),
        "gantt.svg": gantt(sp, today),
        "schedule.json": json.dumps(schedule_to_json(sp.schedule), indent=2) + "\n",
        "risk.json": json.dumps(confidence_to_json(odds), indent=2) + "\n",
    }
    written = []
    for name, text in outputs.items():
        write_text(out_dir / name, text)
        written.append(out_dir / name)
    return written
