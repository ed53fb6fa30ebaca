"""Scheduling in a worker process gives the very schedule of scheduling in this one."""

from __future__ import annotations

from pathlib import Path

from ontrack.app.scheduler import Scheduler
from ontrack.app.services import schedule_options
from ontrack.planfile import load_plan

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_a_worker_process_schedules_each_example_as_this_process_does() -> None:
    options = schedule_options()
    inline, separate = Scheduler(), Scheduler(separate_process=True)
    try:
        for name in ("plant-wifi", "line-machines", "cloud-move"):
            plan = load_plan(EXAMPLES / f"{name}.yaml")
            assert separate(plan, options) == inline(plan, options)
    finally:
        separate.close()
