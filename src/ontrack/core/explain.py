"""Why levelling delayed a task: the resource it waited for, who held it, and for what.

Levelling records, for each task it moved, the resource that was busy last and the tasks
whose finish freed it at the task's start (`Levelled.waits`). Here those become records
named by ids and outcomes, and the sentence that the JSON and `schedule --explain` show:
"install waited 3 working days for tech: held by cable-run, which serves 'Wi-Fi is up'
(priority 1)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ontrack.core.model import UNRANKED, priority_rank

if TYPE_CHECKING:  # types only: results.py imports this module's records
    from ontrack.core.leveling import Levelled
    from ontrack.core.model import Task
    from ontrack.core.network import Network
    from ontrack.core.results import OutcomeResult, TaskResult

Fixed = Literal["pin", "done"]


@dataclass(frozen=True)
class Served:
    """An outcome that a holder serves."""

    id: str
    statement: str
    priority: int | None

    def phrase(self) -> str:
        quoted = f"'{self.statement}'"
        return quoted if self.priority is None else f"{quoted} (priority {self.priority})"


@dataclass(frozen=True)
class Holder:
    """A task that held the resource until the delayed task could start."""

    task: str
    outcomes: tuple[Served, ...]
    priority: int | None
    """The holder's own priority: its outcomes' best, or one passed back from work after it."""
    fixed: Fixed | None
    """Why levelling could not move the holder instead: a pin, or work already done."""

    def phrase(self) -> str:
        mark = {"pin": " (pinned)", "done": " (already done)", None: ""}[self.fixed]
        if self.outcomes:
            serves = "serves " + _join([o.phrase() for o in self.outcomes], " and ")
        else:
            serves = "serves no outcome"
        best = min((priority_rank(o.priority) for o in self.outcomes), default=UNRANKED)
        if self.priority is not None and self.priority < best:  # it took a better priority
            own = "" if self.outcomes else " itself"
            serves += f"{own} but comes before priority-{self.priority} work"
        return f"{self.task}{mark}, which {serves}"


@dataclass(frozen=True)
class Obstacle:
    """One resource a task waited for on its way to its start, and who held it."""

    days: float  # working days of the project calendar it moved the task
    resource: str
    held_by: tuple[Holder, ...]

    def phrase(self) -> str:
        if not self.held_by:
            return f"for {self.resource}"
        holders = _join([h.phrase() for h in self.held_by], ", and ")
        return f"for {self.resource}: held by {holders}"


@dataclass(frozen=True)
class Delay:
    """How long levelling delayed a task, for which resource, and who held it: the last
    obstacle, whose end set its start, and any it moved past before that."""

    task: str
    days: float
    """Working days of the project calendar, the task's `levelling_delay_days`."""
    resource: str
    held_by: tuple[Holder, ...]
    earlier: tuple[Obstacle, ...] = ()
    last_days: float = 0.0  # the part of `days` the last obstacle accounts for

    def sentence(self) -> str:
        text = f"{self.task} waited {_days(self.days)}"
        last = Obstacle(self.last_days, self.resource, self.held_by)
        if not self.earlier:
            return f"{text} {last.phrase()}"
        parts = [f"{_days(o.days)} {o.phrase()}" for o in (*self.earlier, last)]
        return f"{text}: " + "; then ".join(parts)


def _days(days: float) -> str:
    shown = round(days, 2)  # a minute off a whole day is noise in a sentence
    return f"{shown:g} working {'day' if shown == 1 else 'days'}"


def explain(
    net: Network,
    lev: Levelled | None,
    tasks: Sequence[TaskResult],
    outcomes: Sequence[OutcomeResult],
    days_between: Callable[[int, int], float],
) -> tuple[Delay, ...]:
    """One Delay per task that levelling moved, in task order (tasks are the first nodes).
    `days_between(a, b)`: the project calendar's working days from instant a to b."""
    if lev is None:
        return ()
    served = {o.id: Served(o.id, o.statement, o.priority) for o in outcomes}

    def holder(node: int) -> Holder:
        t = tasks[node]
        fixed: Fixed | None = "pin" if net.user_pin[node] else "done" if t.done else None
        mine = sorted((served[o] for o in t.outcomes), key=lambda o: priority_rank(o.priority))
        return Holder(t.id, tuple(mine), t.priority, fixed)

    delays = []
    for node, waits in sorted(lev.waits.items()):
        starts = [int(lev.earliest[node])] + [w.start for w in waits]
        parts = [
            Obstacle(
                days_between(a, w.start),
                net.resource_ids[w.resource],
                tuple(holder(h) for h in w.holders),
            )
            for a, w in zip(starts, waits, strict=False)
        ]
        *earlier, last = parts  # the last obstacle's end set the task's start
        t = tasks[node]
        delays.append(
            Delay(
                t.id, t.levelling_delay_days, last.resource, last.held_by, tuple(earlier), last.days
            )
        )
    return tuple(delays)


def not_delayed(task: Task, result: TaskResult, levelled: bool) -> str:
    """What the plan says set the start of a task that levelling did not move."""
    if not levelled:
        why = "the schedule is not levelled"
    elif task.is_summary:
        why = "a summary's dates span its children's"
    elif task.pin:
        why = f"it is pinned to {task.pin}"
    elif task.actual_finish:
        why = f"it was done on {task.actual_finish}"
    elif task.actual_start:
        why = f"it started on {task.actual_start}"
    else:
        bounds = [f"after {', '.join(d.task for d in task.after)}"] if task.after else []
        bounds += [f"not before {task.not_before}"] if task.not_before else []
        why = f"it starts on {result.start}, where its links and dates put it"
        why += f" ({'; '.join(bounds)})" if bounds else ""
    return f"{task.id} was not delayed by levelling: {why}"


def _join(parts: list[str], last: str) -> str:
    """'a', 'a<last>b', 'a, b<last>c'."""
    return last.join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else parts[0]
