"""Values set in place on any valid plan file read back as the plan with those values,
and every other line of the file stays as it was."""

from __future__ import annotations

import difflib
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from test_roundtrip import plans

from ontrack.core.diagnostics import Path
from ontrack.core.model import Plan, Task, Verification
from ontrack.planfile import dump_plan, parse_plan
from ontrack.planfile.edit import PlanText


def task_paths(tasks: tuple[Task, ...], at: Path = ("tasks",)) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for i, task in enumerate(tasks):
        found.append((task.id, (*at, i)))
        found += task_paths(task.tasks, (*at, i, "tasks"))
    return found


def with_cost(tasks: tuple[Task, ...], task_id: str, cost: float) -> tuple[Task, ...]:
    return tuple(
        replace(t, actual_cost=cost)
        if t.id == task_id
        else replace(t, tasks=with_cost(t.tasks, task_id, cost))
        for t in tasks
    )


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_a_cost_and_a_verification_set_in_place_read_back_as_that_plan(
    plan: Plan, data: st.DataObject
) -> None:
    text = dump_plan(plan)
    edit, expected = PlanText(text), plan
    if plan.tasks:
        task_id, path = data.draw(st.sampled_from(task_paths(plan.tasks)))
        cost = data.draw(st.integers(0, 10**6) | st.floats(0, 1e6))
        edit.set((*path, "actual_cost"), cost)
        expected = replace(expected, tasks=with_cost(plan.tasks, task_id, cost))
    if plan.outcomes:
        i = data.draw(st.integers(0, len(plan.outcomes) - 1))
        verified = Verification(data.draw(st.text(max_size=20)), plan.project.start, "a, b: #c")
        edit.set(("outcomes", i, "verified"), vars(verified))
        outcomes = list(expected.outcomes)
        outcomes[i] = replace(outcomes[i], verified=verified)
        expected = replace(expected, outcomes=tuple(outcomes))
    assert parse_plan(edit.text) == expected
    removed = [line for line in difflib.ndiff(text.splitlines(), edit.text.splitlines())
               if line.startswith("- ")]
    assert len(removed) <= 2  # at most the task's cost and the outcome's verification
