"""Plan + Schedule -> the Gantt model: rows grouped by outcome, then deliverable, then task.

A top-level task (with its subtree) is drawn once, under the best-priority outcome that
it or any of its children serve; other outcomes it serves become a note on its row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from ontrack.core.model import Plan, Task
from ontrack.core.results import OutcomeResult, Schedule, TaskResult
from ontrack.reports.lookup import Lookup
from ontrack.reports.model import GanttChart, GanttMarker, GroupRow, Shape, Span, TaskRow

UNTRACED = "Not traced to an outcome"
NO_DELIVERABLE = "Work outside any deliverable"


def build_gantt(plan: Plan, schedule: Schedule, *, status_date: date | None) -> GanttChart:
    look = Lookup(plan, schedule)
    ranked = look.outcomes_by_priority()
    homes = _homes(look, ranked)
    rows: list[GroupRow | TaskRow] = []
    for outcome in ranked:
        rows.append(_outcome_row(look, outcome))
        rows.extend(_deliverable_rows(look, homes.get(outcome.id, []), outcome.id))
    if homes.get(None):
        rows.append(GroupRow(level="outcome", label=UNTRACED, span=None))
        rows.extend(_deliverable_rows(look, homes[None], None))
    markers = tuple(GanttMarker(m.name, m.date) for m in look.program_milestones.values())
    return GanttChart(
        title=plan.project.name,
        span=_span(look, markers, status_date),
        rows=tuple(rows),
        program_milestones=markers,
        status_date=status_date,
    )


def _homes(look: Lookup, ranked: list[OutcomeResult]) -> dict[str | None, list[Task]]:
    """Top-level tasks keyed by the outcome they are drawn under (None: untraced)."""
    rank = {o.id: i for i, o in enumerate(ranked)}
    homes: dict[str | None, list[Task]] = defaultdict(list)
    for task in look.plan.tasks:
        served = {o for t in _subtree(task) for o in _outcomes_of(look, t) if o in rank}
        homes[min(served, key=rank.__getitem__, default=None)].append(task)
    return homes


def _subtree(task: Task) -> Iterator[Task]:
    yield task
    for child in task.tasks:
        yield from _subtree(child)


def _outcomes_of(look: Lookup, task: Task) -> tuple[str, ...]:
    result = look.results.get(task.id)
    return result.outcomes if result else ()


def _outcome_row(look: Lookup, outcome: OutcomeResult) -> GroupRow:
    tasks = [look.results[t] for t in outcome.tasks if t in look.results]
    starts = [t.start for t in tasks]
    span = Span(min(starts), outcome.forecast) if starts and outcome.forecast else None
    tag = _tag(outcome)
    return GroupRow(
        level="outcome",
        label=f"{tag} · {outcome.statement}" if tag else outcome.statement,
        span=span,
        forecast=outcome.forecast,
        target=outcome.target,
        slack_days=outcome.slack_days,
        status=outcome.status,
        work_finished=outcome.work_finished,
    )


def _tag(outcome: OutcomeResult | None) -> str:
    """`P2`: short enough to note on a task row; empty without a priority."""
    return f"P{outcome.priority}" if outcome and outcome.priority is not None else ""


def _deliverable_rows(
    look: Lookup, tasks: list[Task], outcome_id: str | None
) -> Iterator[GroupRow | TaskRow]:
    by_deliverable: dict[str | None, list[Task]] = defaultdict(list)
    for task in tasks:
        by_deliverable[_deliverable_of(look, task)].append(task)
    names = {d.id: d.name for d in look.plan.deliverables}
    order = [*names, None]
    for deliverable_id in sorted(by_deliverable, key=order.index):
        group = by_deliverable[deliverable_id]
        label = names[deliverable_id] if deliverable_id else NO_DELIVERABLE
        yield GroupRow(level="deliverable", label=label, span=_tasks_span(look, group))
        for task in group:
            yield from _task_rows(look, task, 2, outcome_id)


def _deliverable_of(look: Lookup, task: Task) -> str | None:
    """The task's deliverable, if the plan defines it (so it has a name to show)."""
    result = look.results.get(task.id)
    deliverable = result.deliverable if result else task.deliverable
    known = any(d.id == deliverable for d in look.plan.deliverables)
    return deliverable if known else None


def _tasks_span(look: Lookup, tasks: list[Task]) -> Span | None:
    results = [look.results[t.id] for t in tasks if t.id in look.results]
    if not results:
        return None
    return Span(min(r.start for r in results), max(r.finish for r in results))


def _task_rows(
    look: Lookup, task: Task, depth: int, outcome_id: str | None
) -> Iterator[TaskRow]:
    result = look.results.get(task.id)
    if result is not None:
        others = [o for o in result.outcomes if o != outcome_id]
        yield TaskRow(
            task_id=task.id,
            name=result.name,
            depth=depth,
            span=Span(result.start, result.finish),
            shape=_shape(result),
            critical=result.critical,
            progress=100.0 if result.done else result.percent_complete,
            float_days=result.total_float_days,
            also_serves=tuple(look.statement(o) for o in others),
            also_tags=tuple(_tag(look.outcome_results.get(o)) or look.statement(o) for o in others),
        )
    for child in task.tasks:
        yield from _task_rows(look, child, depth + 1, outcome_id)


def _shape(result: TaskResult) -> Shape:
    if result.is_summary:
        return "summary"
    return "milestone" if result.kind == "milestone" else "bar"


def _span(look: Lookup, markers: tuple[GanttMarker, ...], status_date: date | None) -> Span:
    """Everything the chart must show: work, outside dates, targets and the status line."""
    schedule = look.schedule
    days = [schedule.start, schedule.finish, *(m.date for m in markers)]
    days += [t.start for t in schedule.tasks] + [t.finish for t in schedule.tasks]
    days += [o.target for o in schedule.outcomes if o.target]
    if status_date:
        days.append(status_date)
    return Span(min(days), max(days))
