"""Indexes over a plan and its schedule that every report builder needs."""

from __future__ import annotations

from datetime import date

from ontrack.core.model import Conversation, Outcome, Plan, ProgramMilestone
from ontrack.core.results import OutcomeResult, Schedule, TaskResult
from ontrack.reports.wording import units_label


class Lookup:
    """Plan and schedule side by side, found by id; read only."""

    def __init__(self, plan: Plan, schedule: Schedule) -> None:
        self.plan = plan
        self.schedule = schedule
        self.results: dict[str, TaskResult] = {t.id: t for t in schedule.tasks}
        self.outcomes: dict[str, Outcome] = {o.id: o for o in plan.outcomes}
        self.outcome_results: dict[str, OutcomeResult] = {o.id: o for o in schedule.outcomes}
        self.resource_names = {r.id: r.name or r.id for r in plan.resources}
        program = plan.program
        self.program_milestones: dict[str, ProgramMilestone] = {
            m.id: m for m in (program.milestones if program else ())
        }

    @property
    def status_date(self) -> date | None:
        return self.schedule.status_date or self.plan.project.status_date

    def outcomes_by_priority(self) -> list[OutcomeResult]:
        return self.schedule.outcomes_by_priority()

    def conversations_newest_first(self) -> list[Conversation]:
        return sorted(self.plan.conversations, key=lambda c: c.date, reverse=True)

    def statement(self, outcome_id: str) -> str:
        outcome = self.outcomes.get(outcome_id)
        return outcome.statement if outcome else outcome_id

    def who(self, task: TaskResult) -> tuple[str, ...]:
        return tuple(
            units_label(self.resource_names.get(a.resource, a.resource), a.units)
            for a in task.assignments
        )

