"""Tracking against plan: baselines saved beside the plan, compared, and each outcome's
forecast trend over them (docs/scheduling.md#baselines)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

from ontrack.app.schedule_json import iso
from ontrack.app.services import saved_baselines, schedule_options, write_text
from ontrack.core.baseline import (
    Baseline,
    Comparison,
    CostChange,
    DateChange,
    OutcomeTrend,
    compare,
    take_baseline,
    trend,
)
from ontrack.core.model import Plan
from ontrack.core.schedule import timed_schedule
from ontrack.core.validate import suggest
from ontrack.planfile import load_plan
from ontrack.planfile.baselines import SUFFIX, baselines_file, dump_baselines
from ontrack.planfile.schema import ID_PATTERN

NOW = "now"
"""The current schedule, as a baseline that is not saved: never a saved baseline's name."""

BASELINES_SUFFIX = SUFFIX


class BaselineError(LookupError):
    """A baseline that is not saved, or a name that cannot be saved; nothing was written."""


@dataclass(frozen=True)
class Saved:
    baseline: Baseline
    file: Path
    replaced: bool  # a baseline of the same name was replaced


def save_baseline(path: Path, name: str | None, today: date, replace: bool = False) -> Saved:
    """Save the plan's current schedule as baseline `name` (default `baseline-N`, N the
    first number not taken) at the end of its baselines file. A name that is taken is
    refused unless `replace`: then the old one goes and the new one comes last."""
    plan = load_plan(path)
    file = baselines_file(path)
    saved = saved_baselines(path, plan)
    names = {b.name for b in saved}
    name = baseline_name(saved, name)
    if name in names and not replace:
        raise BaselineError(
            f"a baseline named '{name}' is already saved in {file}: choose another name, or "
            "pass --replace to save over it"
        )
    baseline = frozen_baseline(plan, name, today)
    kept = [b for b in saved if b.name != name]
    write_text(file, dump_baselines(plan.project.id, [*kept, baseline]))
    return Saved(baseline, file, replaced=name in names)


def baseline_name(saved: Sequence[Baseline], name: str | None) -> str:
    """`name` checked, or the first `baseline-N` not taken, N from the count saved + 1."""
    names = {b.name for b in saved}
    name = name or next(
        f"baseline-{n}" for n in count(len(saved) + 1) if f"baseline-{n}" not in names
    )
    if name == NOW or not ID_PATTERN.fullmatch(name):
        raise BaselineError(
            f"'{name}' cannot name a baseline: use letters, digits, - and _ (and not "
            f"'{NOW}', which stands for the current schedule)"
        )
    return name


def list_baselines(path: Path) -> tuple[Baseline, ...]:
    """The plan's saved baselines, in the order they were saved."""
    return saved_baselines(path, load_plan(path))


def compare_baselines(path: Path, was: str | None, now: str | None, today: date) -> Comparison:
    """Baseline `was` (default: the latest saved) against `now` (default: the current
    schedule, which the name `now` also means)."""
    plan = load_plan(path)
    saved = saved_baselines(path, plan)

    def pick(name: str | None) -> Baseline:
        return frozen_baseline(plan, NOW, today) if name == NOW else _chosen(path, saved, name)

    return compare(pick(was), pick(now or NOW))


def outcome_trend(path: Path, today: date) -> tuple[OutcomeTrend, ...]:
    """Each outcome's forecast at every saved baseline and now."""
    plan = load_plan(path)
    return trend([*saved_baselines(path, plan), frozen_baseline(plan, NOW, today)])


def saved_baseline(path: Path, plan: Plan, name: str | None) -> Baseline:
    """The baseline `name` of the plan at `path` (its latest when None), for the use cases
    that measure against one (earned value, health)."""
    return _chosen(path, saved_baselines(path, plan), name)


def current_baseline(plan: Plan, today: date) -> Baseline:
    """The plan's schedule now, as a baseline that is not saved (named `now`)."""
    return frozen_baseline(plan, NOW, today)


def _chosen(path: Path, saved: Sequence[Baseline], name: str | None) -> Baseline:
    if not saved:
        raise BaselineError(
            f"{path} has no baselines saved yet: run `ontrack baseline save {path}` first"
        )
    if name is None:
        return saved[-1]
    for baseline in saved:
        if baseline.name == name:
            return baseline
    raise BaselineError(f"no baseline is named '{name}'" + suggest(name, [b.name for b in saved]))


def frozen_baseline(plan: Plan, name: str, today: date) -> Baseline:
    """The plan's schedule now, as a baseline dated by the status date (or today)."""
    sched, timing = timed_schedule(plan, schedule_options())
    return take_baseline(name, plan, sched, timing, plan.project.status_date or today)


# --- JSON -------------------------------------------------------------------------------


def baselines_to_json(baselines: Sequence[Baseline]) -> list[dict[str, Any]]:
    return [
        {
            "name": b.name,
            "saved": iso(b.saved),
            "start": iso(b.project_start),
            "finish": iso(b.project_finish),
            "cost": b.cost,
            "outcomes": {o.id: iso(o.forecast) for o in b.outcomes},
        }
        for b in baselines
    ]


def comparison_to_json(c: Comparison) -> dict[str, Any]:
    return {
        "was": c.was,
        "now": c.now,
        "project": {"start": _dates(c.start), "finish": _dates(c.finish), "cost": _cost(c.cost)},
        "outcomes": [
            {
                "id": o.id,
                "target": iso(o.target),
                "forecast": _dates(o.forecast),
                "cost": _cost(o.cost),
                "slipped": o.slipped,
                "causes": [cause._asdict() for cause in o.causes],
            }
            for o in c.outcomes
        ],
        "deliverables": [
            {"id": d.id, "finish": _dates(d.finish), "cost": _cost(d.cost)} for d in c.deliverables
        ],
        "tasks": [
            {
                "id": t.id,
                "change": t.change,
                "start": _dates(t.start),
                "finish": _dates(t.finish),
                "longer_days": t.longer_days,
                "cost": _cost(t.cost),
            }
            for t in c.tasks
        ],
    }


def trend_to_json(trends: Sequence[OutcomeTrend]) -> dict[str, Any]:
    return {
        "outcomes": [
            {
                "id": t.id,
                "target": iso(t.target),
                "slipping": t.slipping,
                "slip_days": t.slip_days,
                "points": [
                    {
                        "baseline": p.baseline,
                        "saved": iso(p.saved),
                        "forecast": iso(p.forecast),
                        "slip_days": p.slip_days,
                    }
                    for p in t.points
                ],
            }
            for t in trends
        ]
    }


def _dates(change: DateChange) -> dict[str, Any]:
    return {"was": iso(change.was), "now": iso(change.now), "days": change.days}


def _cost(change: CostChange) -> dict[str, float]:
    return {"was": change.was, "now": change.now, "variance": change.variance}
