"""`ontrack risk`: how sure is each outcome's date? A Monte Carlo over the scheduled plan
(core.risk), read per outcome (core.confidence): P50/P80/P90, the chance of meeting the
target, what drives the uncertainty and what would most raise the chance."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ontrack.app.levelling import LevelSettings
from ontrack.app.services import Scheduled, schedule_options, write_text
from ontrack.core.confidence import Confidence, OutcomeConfidence, confidence
from ontrack.core.model import Plan
from ontrack.core.risk import RiskOptions
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import load_plan

ITERATIONS = RiskOptions.iterations
"""Futures `ontrack risk` simulates unless told otherwise."""
QUICK_ITERATIONS = 2_000
"""Futures where confidence accompanies something else (outcomes, reports, the web app):
P80 moves by well under a day between 2,000 and 10,000 on the example plans."""
REPORT_SEED = 0
"""Reports and the web app always use this seed: the same plan gives the same figures."""
WORKERS = os.cpu_count() or 1
"""Chunks of futures simulated at once, one per core; the figures do not depend on it."""


def analyse_risk(
    path: Path,
    iterations: int = ITERATIONS,
    seed: int = 0,
    default_estimates: bool = True,
) -> Confidence:
    """Load the plan file at `path` and simulate it `iterations` times from `seed`."""
    plan = load_plan(path)
    risk = RiskOptions(iterations, seed, default_estimates, WORKERS)
    return confidence_of(plan, schedule_options(), risk)


def confidence_of(
    plan: Plan, options: ScheduleOptions, risk: RiskOptions | None = None
) -> Confidence:
    """The plan's confidence, as reports and the web app show it (QUICK_ITERATIONS futures
    from REPORT_SEED unless `risk` says otherwise). Slipping against a baseline does not
    change a chance, so the baseline's forecasts are left out."""
    risk = risk or RiskOptions(QUICK_ITERATIONS, REPORT_SEED, workers=WORKERS)
    return confidence(plan, replace(options, baseline_forecasts={}), risk)


def scheduled_confidence(
    sp: Scheduled, settings: LevelSettings | None = None, risk: RiskOptions | None = None
) -> Confidence:
    """The confidence of a plan scheduled with `settings` (as confidence_of)."""
    return confidence_of(sp.plan, schedule_options(settings), risk)


def confidence_to_json(c: Confidence) -> dict[str, Any]:
    """Per outcome the fixed keys `p50`, `p80`, `p90` (ISO dates) and `p_on_time` (0-1;
    null without a target), then what explains them."""
    return {
        "iterations": c.iterations,
        "seed": c.seed,
        "outcomes": [outcome_confidence_json(o) for o in c.outcomes],
    }


def outcome_confidence_json(o: OutcomeConfidence) -> dict[str, Any]:
    return {
        **confidence_figures(o),
        "statement": o.statement,
        "forecast": _iso(o.forecast),
        "convergence_days": o.convergence_days,
        "criticality": [{"task": t, "share": s} for t, s in o.criticality],
        "influences": [
            {
                "input": i.input,
                "kind": i.kind,
                "correlation": i.correlation,
                "swing_days": i.swing_days,
            }
            for i in o.influences
        ],
        "actions": [
            {"kind": a.kind, "subject": a.subject, "gain": a.gain, "p_on_time": a.p_on_time}
            for a in o.actions
        ],
        "curve": [{"date": d.isoformat(), "share": s} for d, s in o.curve],
    }


def confidence_figures(o: OutcomeConfidence) -> dict[str, Any]:
    """What anyone on the project may see of an outcome's confidence (a client too): dates
    and chances, no task, resource or cost."""
    return {
        "id": o.id,
        "target": _iso(o.target),
        "p50": o.p50.isoformat(),
        "p80": o.p80.isoformat(),
        "p90": o.p90.isoformat(),
        "p_on_time": None if o.p_on_time is None else round(o.p_on_time, 4),
        "status": o.status,
    }


def confidence_charts(c: Confidence) -> dict[str, str]:
    """Each outcome's S-curve as an SVG document, by outcome id."""
    from ontrack.reports.risk_svg import render_confidence  # only when a chart is asked for

    return {o.id: render_confidence(o, c.iterations) for o in c.outcomes}


def write_confidence_charts(c: Confidence, folder: Path) -> list[Path]:
    """Write `<outcome id>.svg` into `folder` for every outcome; returns the files."""
    written = []
    for outcome_id, svg in confidence_charts(c).items():
        target = folder / f"{outcome_id}.svg"
        write_text(target, svg)
        written.append(target)
    return written


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
