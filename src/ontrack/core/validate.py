"""Semantic checks of a plan: what a schema cannot see in one field at a time.

References between ids, dependency cycles, the shape of summaries and milestones,
resource demand, estimates, progress, pins, date ranges, and the risk register and
correlations. Every problem is returned (never
raised) with a path into the plan as written: list indices as in the file, mapping keys
by name. A path that ends in ``KEY`` points at a mapping key rather than its value
(``("tasks", 0, "resources", "neteng", KEY)`` is the key ``neteng`` itself).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import combinations
from typing import Final, NamedTuple

import numpy as np

from ontrack.core.diagnostics import Diagnostic, Path
from ontrack.core.graph import find_cycles
from ontrack.core.model import Correlation, Duration, Plan, Risk, RiskImpact, Task

KEY: Final = "[key]"

CODES: Final = frozenset(
    {
        "duplicate-id",
        "unknown-id",
        "cycle",
        "self-dependency",
        "over-demand",
        "summary-with-work",
        "milestone-with-duration",
        "missing-duration",
        "bad-estimate",
        "bad-range",
        "bad-progress",
        "start-before-project",
        "bad-pin",
        "bad-impact",
        "bad-correlation",
    }
)

_ARTICLE = {
    "task": "a task",
    "program milestone": "a program milestone",
    "outcome": "an outcome",
    "deliverable": "a deliverable",
    "resource": "a resource",
    "calendar": "a calendar",
}
_DEFAULT_HOURS_PER_DAY = 8.0
_PREDECESSOR = ("task", "program milestone")


class _Entry(NamedTuple):
    """A task with where it sits: its path, enclosing summaries, parent and file order."""

    task: Task
    path: Path
    ancestors: tuple[str, ...]
    parent: int | None
    order: int


def validate(plan: Plan, unbuilt_ids: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every semantic problem of `plan`.

    `unbuilt_ids` are ids defined in parts of the file that did not pass the schema;
    references to them are not reported as unknown.
    """
    entries = _task_entries(plan)
    defined = list(_defined_ids(plan, entries))
    kinds: dict[str, set[str]] = {}
    for ident, kind, _ in defined:
        kinds.setdefault(ident, set()).add(kind)
    refs = _References(kinds, unbuilt_ids)
    return [
        *_duplicate_ids(defined),
        *_plan_references(plan, refs),
        *_task_references(entries, refs),
        *_task_shapes(plan, entries),
        *_progress(plan, entries),
        *_verifications(plan),
        *_pins(plan, entries),
        *_ranges(plan),
        *_dependencies(entries),
        *_risks(plan, entries, refs),
        *_correlations(entries, plan.correlations, refs),
    ]


def _task_entries(plan: Plan) -> list[_Entry]:
    """All tasks in file (pre-)order, iteratively so that depth costs no stack."""
    entries: list[_Entry] = []
    pending: list[tuple[Task, Path, _Entry | None]] = [
        (task, ("tasks", i), None) for i, task in reversed(list(enumerate(plan.tasks)))
    ]
    while pending:
        task, path, parent = pending.pop()
        ancestors = (*parent.ancestors, parent.task.id) if parent else ()
        entry = _Entry(task, path, ancestors, parent.order if parent else None, len(entries))
        entries.append(entry)
        for i in reversed(range(len(task.tasks))):
            pending.append((task.tasks[i], (*path, "tasks", i), entry))
    return entries


def _defined_ids(plan: Plan, entries: list[_Entry]) -> Iterator[tuple[str, str, Path]]:
    """(id, kind, path of the id) in the canonical section order of the file."""
    if plan.program:
        for i, milestone in enumerate(plan.program.milestones):
            yield milestone.id, "program milestone", ("program", "milestones", i, "id")
    for calendar in plan.calendars:
        yield calendar.id, "calendar", ("calendars", calendar.id, KEY)
    for i, resource in enumerate(plan.resources):
        yield resource.id, "resource", ("resources", i, "id")
    for i, outcome in enumerate(plan.outcomes):
        yield outcome.id, "outcome", ("outcomes", i, "id")
    for i, deliverable in enumerate(plan.deliverables):
        yield deliverable.id, "deliverable", ("deliverables", i, "id")
    for entry in entries:
        yield entry.task.id, "task", (*entry.path, "id")


def _duplicate_ids(defined: list[tuple[str, str, Path]]) -> Iterator[Diagnostic]:
    first_kind: dict[str, str] = {}
    for ident, kind, path in defined:
        if ident not in first_kind:
            first_kind[ident] = kind
            continue
        yield Diagnostic(
            "duplicate-id",
            f"the id '{ident}' is already used by {_ARTICLE[first_kind[ident]]}; ids must be "
            "unique across tasks, program milestones, outcomes, deliverables, resources and "
            "calendars: rename one of them",
            path,
        )


class _References:
    """Checks that ids name something of the wanted kind, with a did-you-mean."""

    def __init__(self, kinds: dict[str, set[str]], unbuilt_ids: frozenset[str]) -> None:
        self.kinds = kinds
        self.unbuilt_ids = unbuilt_ids
        self._valid: dict[tuple[str, ...], set[str]] = {}

    def valid(self, wanted: tuple[str, ...]) -> set[str]:
        """The ids a reference to one of the `wanted` kinds may use."""
        if wanted not in self._valid:
            ids = {ident for ident, kinds in self.kinds.items() if not kinds.isdisjoint(wanted)}
            self._valid[wanted] = ids | self.unbuilt_ids
        return self._valid[wanted]

    def check(self, ident: str, wanted: tuple[str, ...], path: Path) -> Iterator[Diagnostic]:
        valid = self.valid(wanted)
        if ident in valid:
            return
        noun = " or ".join(_ARTICLE[kind] for kind in wanted)
        found = self.kinds.get(ident)
        if found:
            message = f"'{ident}' is {_ARTICLE[sorted(found)[0]]}, not {noun}"
        else:
            known = valid - self.unbuilt_ids
            message = f"no {' or '.join(wanted)} has the id '{ident}'" + suggest(ident, known)
        yield Diagnostic("unknown-id", message, path)


def suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f"; did you mean '{close[0]}'?" if close else "; check the spelling or define it"


def _plan_references(plan: Plan, refs: _References) -> Iterator[Diagnostic]:
    if plan.project.calendar is not None:
        yield from refs.check(plan.project.calendar, ("calendar",), ("project", "calendar"))
    for i, resource in enumerate(plan.resources):
        if resource.calendar is not None:
            yield from refs.check(resource.calendar, ("calendar",), ("resources", i, "calendar"))
    for i, deliverable in enumerate(plan.deliverables):
        for j, outcome in enumerate(deliverable.outcomes):
            yield from refs.check(outcome, ("outcome",), ("deliverables", i, "outcomes", j))
    for i, conversation in enumerate(plan.conversations):
        for j, outcome in enumerate(conversation.outcomes):
            yield from refs.check(outcome, ("outcome",), ("conversations", i, "outcomes", j))
    yield from _vendor_references(plan, refs.unbuilt_ids)


def _vendor_references(plan: Plan, unbuilt: frozenset[str]) -> Iterator[Diagnostic]:
    """A milestone's vendor must be one of `program.vendors`, when any are listed."""
    if plan.program is None or not plan.program.vendors:
        return
    names = [vendor.name for vendor in plan.program.vendors]
    for i, milestone in enumerate(plan.program.milestones):
        vendor = milestone.vendor
        if vendor is not None and vendor not in names and vendor not in unbuilt:
            yield Diagnostic(
                "unknown-id",
                f"'{vendor}' is not among program.vendors{suggest(vendor, names)}",
                ("program", "milestones", i, "vendor"),
            )


def _task_references(entries: list[_Entry], refs: _References) -> Iterator[Diagnostic]:
    """Each reference of each task; only a miss costs more than a set lookup."""
    deliverables = refs.valid(("deliverable",))
    outcomes = refs.valid(("outcome",))
    resources = refs.valid(("resource",))
    predecessors = refs.valid(_PREDECESSOR)
    calendars = refs.valid(("calendar",))
    for entry in entries:
        task, path = entry.task, entry.path
        if task.deliverable is not None and task.deliverable not in deliverables:
            yield from refs.check(task.deliverable, ("deliverable",), (*path, "deliverable"))
        for j, outcome in enumerate(task.outcomes):
            if outcome not in outcomes:
                yield from refs.check(outcome, ("outcome",), (*path, "outcomes", j))
        for resource, _ in task.resources:
            if resource not in resources:
                yield from refs.check(resource, ("resource",), (*path, "resources", resource, KEY))
        for j, dep in enumerate(task.after):
            if dep.task not in predecessors:
                yield from refs.check(dep.task, _PREDECESSOR, (*path, "after", j, "task"))
        if task.calendar is not None and task.calendar not in calendars:
            yield from refs.check(task.calendar, ("calendar",), (*path, "calendar"))


def _task_shapes(plan: Plan, entries: list[_Entry]) -> Iterator[Diagnostic]:
    units = {resource.id: resource.units for resource in plan.resources}
    for entry in entries:
        task, path = entry.task, entry.path
        if task.tasks:
            yield from _summary_work(task, path)
            continue
        if task.kind == "milestone":
            yield from _milestone_work(task, path)
            continue
        if task.duration is None:
            yield Diagnostic(
                "missing-duration",
                f"task '{task.id}' has no duration: add one (like `duration: 3d`), or make it "
                "a milestone with `kind: milestone`",
                path,
            )
        elif task.estimate is not None:
            yield from _estimate(task, path, _hours_per_day(plan, task))
        for resource, wanted in task.resources:
            if resource in units and wanted > units[resource]:
                yield Diagnostic(
                    "over-demand",
                    f"task '{task.id}' asks for {wanted:g} of '{resource}', which has only "
                    f"{units[resource]:g}: lower the demand or raise the resource's units",
                    (*path, "resources", resource),
                )


def _summary_work(task: Task, path: Path) -> Iterator[Diagnostic]:
    own = {
        "duration": task.duration,
        "estimate": task.estimate,
        "resources": task.resources,
        "pin": task.pin,
        # Scheduling would ignore progress on a summary: it is its tasks' progress.
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "percent_complete": task.percent_complete,
    }
    for field, value in own.items():
        if value:
            yield Diagnostic(
                "summary-with-work",
                f"'{task.id}' is a summary (it has tasks under it), so its dates come from "
                f"its tasks: move `{field}` to one of them or remove it",
                (*path, field),
            )
    if task.is_milestone:
        yield Diagnostic(
            "summary-with-work",
            f"'{task.id}' is a summary (it has tasks under it) and cannot be a milestone: "
            "remove `kind: milestone` or add a milestone task under it",
            (*path, "kind"),
        )


def _milestone_work(task: Task, path: Path) -> Iterator[Diagnostic]:
    if task.duration is not None and task.duration.value != 0:
        yield Diagnostic(
            "milestone-with-duration",
            f"milestone '{task.id}' has a duration of {task.duration}: a milestone takes no "
            "time; remove `duration` or make it a task",
            (*path, "duration"),
        )
    for field, value in (("estimate", task.estimate), ("resources", task.resources)):
        if value:
            yield Diagnostic(
                "milestone-with-duration",
                f"milestone '{task.id}' takes no time, so it has no `{field}`: remove it "
                "or make it a task",
                (*path, field),
            )


def _hours_per_day(plan: Plan, task: Task) -> float:
    wanted = task.calendar or plan.project.calendar
    for calendar in plan.calendars:
        if calendar.id == wanted:
            return calendar.hours_per_day
    return _DEFAULT_HOURS_PER_DAY


def _estimate(task: Task, path: Path, hours_per_day: float) -> Iterator[Diagnostic]:
    estimate, duration = task.estimate, task.duration
    if estimate is None or duration is None:
        return
    if estimate.low.elapsed != duration.elapsed or estimate.high.elapsed != duration.elapsed:
        yield Diagnostic(
            "bad-estimate",
            f"task '{task.id}' mixes elapsed days (ed) and working time (h, d, w) in its "
            "duration and estimate: use one kind for all three",
            (*path, "estimate"),
        )
        return

    def minutes(value: Duration) -> int:
        return value.minutes(hours_per_day)

    if minutes(estimate.low) > minutes(duration):
        yield Diagnostic(
            "bad-estimate",
            f"task '{task.id}': the low estimate {estimate.low} is longer than the duration "
            f"{duration} (the most likely value): lower `low` or raise `duration`",
            (*path, "estimate", "low"),
        )
    if minutes(estimate.high) < minutes(duration):
        yield Diagnostic(
            "bad-estimate",
            f"task '{task.id}': the high estimate {estimate.high} is shorter than the "
            f"duration {duration} (the most likely value): raise `high` or lower `duration`",
            (*path, "estimate", "high"),
        )


def _progress(plan: Plan, entries: list[_Entry]) -> Iterator[Diagnostic]:
    project_start, status_date = plan.project.start, plan.project.status_date
    for entry in entries:
        task, path = entry.task, entry.path
        if task.actual_start is not None and task.actual_start < project_start:
            yield Diagnostic(
                "start-before-project",
                f"task '{task.id}' started on {task.actual_start}, before the project start "
                f"{project_start}: correct the date or move project.start",
                (*path, "actual_start"),
            )
        yield from _progress_consistency(task, path)
        if status_date is None:
            continue
        for field in ("actual_start", "actual_finish"):
            value: date | None = getattr(task, field)
            if value is not None and value > status_date:
                yield Diagnostic(
                    "bad-progress",
                    f"task '{task.id}': {field} {value} is after the status date "
                    f"{status_date}: progress cannot be in the future; correct the date "
                    "or move project.status_date",
                    (*path, field),
                )


def _verifications(plan: Plan) -> Iterator[Diagnostic]:
    status_date = plan.project.status_date
    for i, outcome in enumerate(plan.outcomes):
        verified = outcome.verified
        if verified and status_date and verified.date > status_date:
            yield Diagnostic(
                "bad-progress",
                f"outcome '{outcome.id}' was verified on {verified.date}, after the status "
                f"date {status_date}: a verification cannot be in the future; correct the "
                "date or move project.status_date",
                ("outcomes", i, "verified", "date"),
            )


def _progress_consistency(task: Task, path: Path) -> Iterator[Diagnostic]:
    """Finished means actual_start and actual_finish; started means actual_start."""
    percent = task.percent_complete
    if task.actual_finish is not None:
        if task.actual_start is None:
            yield Diagnostic(
                "bad-progress",
                f"task '{task.id}' has an actual_finish but no actual_start: add the date "
                "it started",
                (*path, "actual_finish"),
            )
        elif task.actual_finish < task.actual_start:
            yield Diagnostic(
                "bad-range",
                f"task '{task.id}' finished ({task.actual_finish}) before it started "
                f"({task.actual_start}): correct one of the dates",
                (*path, "actual_finish"),
            )
        if percent is not None and percent < 100:
            yield Diagnostic(
                "bad-progress",
                f"task '{task.id}' has an actual_finish but is only {percent:g}% complete: "
                "set percent_complete to 100, or remove actual_finish if it is not done",
                (*path, "percent_complete"),
            )
    elif percent == 100:
        missing = "actual_finish" if task.actual_start else "actual_start and actual_finish"
        yield Diagnostic(
            "bad-progress",
            f"task '{task.id}' is 100% complete but has no {missing}: add the dates",
            (*path, "percent_complete"),
        )
    elif percent and task.actual_start is None:
        yield Diagnostic(
            "bad-progress",
            f"task '{task.id}' is {percent:g}% complete but has no actual_start: add the "
            "date it started",
            (*path, "percent_complete"),
        )


def _pins(plan: Plan, entries: list[_Entry]) -> Iterator[Diagnostic]:
    """A pin plans a start: not on work that has started, not before the project start or
    the status date, and not before a `not_before` that applies (its own or a summary's)."""
    project = plan.project
    summary_not_before: dict[int, date] = {}  # by entry order, as its tasks inherit it
    for entry in entries:
        task = entry.task
        inherited = summary_not_before.get(entry.parent) if entry.parent is not None else None
        not_before = max((d for d in (task.not_before, inherited) if d), default=None)
        if task.tasks:  # a pin on a summary is summary-with-work
            if not_before:
                summary_not_before[entry.order] = not_before
            continue
        pin, path = task.pin, (*entry.path, "pin")
        if pin is None:
            continue
        if task.actual_start or task.actual_finish:
            yield Diagnostic(
                "bad-pin",
                f"task '{task.id}' has started, so it keeps its actual dates: remove the pin",
                path,
            )
        elif pin < project.start:
            yield Diagnostic(
                "start-before-project",
                f"task '{task.id}' is pinned to {pin}, before the project start "
                f"{project.start}: move the pin, or move project.start earlier",
                path,
            )
        elif project.status_date and pin < project.status_date:
            yield Diagnostic(
                "bad-pin",
                f"task '{task.id}' is pinned to {pin}, before the status date "
                f"{project.status_date}, but has not started: record its actual_start "
                "instead of the pin, or move the pin",
                path,
            )
        elif not_before and pin < not_before:
            yield Diagnostic(
                "bad-pin",
                f"task '{task.id}' is pinned to {pin}, before the not_before {not_before} "
                "that applies to it (its own or its summary's): move the pin or the not_before",
                path,
            )


def _ranges(plan: Plan) -> Iterator[Diagnostic]:
    for i, resource in enumerate(plan.resources):
        for j, away in enumerate(resource.away):
            if away.start > away.end:
                yield Diagnostic(
                    "bad-range",
                    f"resource '{resource.id}' is away from {away.start} to {away.end}, which "
                    "ends before it starts: swap or correct the dates",
                    ("resources", i, "away", j, "to"),
                )
    program = plan.program
    if program and program.start and program.finish and program.start > program.finish:
        yield Diagnostic(
            "bad-range",
            f"the program finishes ({program.finish}) before it starts ({program.start}): "
            "correct one of the dates",
            ("program", "finish"),
        )


def _dependencies(entries: list[_Entry]) -> Iterator[Diagnostic]:
    """Links a task cannot have, then cycles among the rest.

    Each task has an entry node and an exit node (one node for a task without children):
    a summary's entry leads to its children's entries (its `after` holds them all) and
    their exits lead to its exit (it finishes with them); a link leads from the
    predecessor's exit to the successor's entry.
    """
    first: dict[str, _Entry] = {}
    for entry in entries:
        first.setdefault(entry.task.id, entry)
    count = len(entries)
    exits = [count + entry.order if entry.task.tasks else entry.order for entry in entries]
    successors: dict[int, list[int]] = {node: [] for node in range(count)}
    successors.update((node, []) for node in exits if node >= count)
    links: list[tuple[int, int, _Entry, int]] = []
    for entry in entries:
        if entry.parent is not None:
            successors[entry.parent].append(entry.order)
            successors[exits[entry.order]].append(exits[entry.parent])
        for j, dep in enumerate(entry.task.after):
            target = first.get(dep.task)
            if target is None:
                continue
            problem = _bad_link(entry, dep.task, target)
            if problem:
                yield Diagnostic("self-dependency", problem, (*entry.path, "after", j, "task"))
                continue
            successors[exits[target.order]].append(entry.order)
            links.append((exits[target.order], entry.order, entry, j))
    cycles = find_cycles(successors)
    if cycles:
        labels = {(source, sink): (entry, j) for source, sink, entry, j in links}
        for cycle in cycles:
            yield _cycle(cycle, labels, entries)


def _bad_link(entry: _Entry, target_id: str, target: _Entry) -> str | None:
    task = entry.task
    if target_id == task.id:
        return f"task '{task.id}' waits for itself: remove '{target_id}' from its `after`"
    if target_id in entry.ancestors:
        return (
            f"task '{task.id}' is inside summary '{target_id}', so it cannot wait for it "
            "(the summary finishes only when its tasks do): remove the link"
        )
    if task.id in target.ancestors:
        return (
            f"summary '{task.id}' cannot wait for '{target_id}', one of its own tasks "
            "(its `after` applies to all of them): remove the link"
        )
    return None


def _cycle(
    cycle: list[int], links: dict[tuple[int, int], tuple[_Entry, int]], entries: list[_Entry]
) -> Diagnostic:
    """Name every task on the cycle, ending with the link that comes last in the file."""
    steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
    closing = max(
        (i for i, step in enumerate(steps) if step in links),
        key=lambda i: (links[steps[i]][0].order, links[steps[i]][1]),
    )
    entry, j = links[steps[closing]]
    ordered = cycle[closing + 1 :] + cycle[: closing + 1]
    names: list[str] = []
    for node in [*ordered, ordered[0]]:
        name = entries[node % len(entries)].task.id
        if not names or names[-1] != name:
            names.append(name)
    return Diagnostic(
        "cycle",
        f"dependency cycle: {' -> '.join(names)} (each waits for the one before it; a "
        "summary waits for its tasks and passes its `after` to them): remove or change "
        "one of these links",
        (*entry.path, "after", j, "task"),
    )


# --- the risk register and correlations -------------------------------------------------

_TARGET = ("task", "program milestone")
_POSITIVE_DEFINITE = 1e-9  # the least eigenvalue a correlation matrix may have


def _risks(plan: Plan, entries: list[_Entry], refs: _References) -> Iterator[Diagnostic]:
    tasks = {entry.task.id: entry.task for entry in reversed(entries)}  # the first of an id
    seen: set[str] = set()
    for i, risk in enumerate(plan.risks):
        if risk.id in seen:
            yield Diagnostic(
                "duplicate-id",
                f"another risk already has the id '{risk.id}'; ids of risks must be unique "
                "among risks: rename one of them",
                ("risks", i, "id"),
            )
        seen.add(risk.id)
        for j, impact in enumerate(risk.impacts):
            path: Path = ("risks", i, "impacts", j)
            yield from refs.check(impact.target, _TARGET, (*path, "task"))
            task = tasks.get(impact.target)
            if task is not None and task.tasks:
                yield Diagnostic(
                    "bad-impact",
                    f"risk '{risk.id}' delays summary '{task.id}', which has no duration of "
                    "its own: put the delay on the task under it that takes longer",
                    (*path, "task"),
                )
            hours = _hours_per_day(plan, task) if task else _project_hours_per_day(plan)
            yield from _delay_range(risk, impact, (*path, "delay"), hours)
        for j, outcome in enumerate(risk.threatens):
            yield from refs.check(outcome, ("outcome",), ("risks", i, "threatens", j))


def _project_hours_per_day(plan: Plan) -> float:
    return _hours_per_day(plan, Task("", ""))


def _delay_range(risk: Risk, impact: RiskImpact, path: Path, hours: float) -> Iterator[Diagnostic]:
    low, high = impact.low, impact.high
    if high is None:
        return
    if low.elapsed != high.elapsed:
        yield Diagnostic(
            "bad-range",
            f"risk '{risk.id}': the delay on '{impact.target}' mixes elapsed days (ed) and "
            "working time (h, d, w): write `low` and `high` in one kind",
            path,
        )
    elif high.minutes(hours) < low.minutes(hours):
        yield Diagnostic(
            "bad-range",
            f"risk '{risk.id}': the delay on '{impact.target}' runs backwards (high {high} "
            f"is less than low {low}): swap or correct them",
            (*path, "high"),
        )


def _correlations(
    entries: list[_Entry], correlations: tuple[Correlation, ...], refs: _References
) -> Iterator[Diagnostic]:
    """Each correlation names distinct tasks that take time; no pair is correlated twice;
    and together the coefficients can hold (their matrix is positive definite)."""
    tasks = {entry.task.id: entry.task for entry in reversed(entries)}
    pairs: dict[frozenset[str], float] = {}
    for i, correlation in enumerate(correlations):
        problems = list(_correlation_tasks(i, correlation, tasks, pairs, refs))
        yield from problems
        if problems:
            continue
        added = {
            frozenset(pair): correlation.coefficient for pair in combinations(correlation.tasks, 2)
        }
        if not _positive_definite({**pairs, **added}, set(correlation.tasks)):
            yield Diagnostic(
                "bad-correlation",
                "with the correlations before it, this coefficient cannot hold: tasks that "
                "share tasks correlated with others cannot all be this close (the "
                "correlation matrix is not positive definite): lower a coefficient, or "
                "merge the correlations into one",
                ("correlations", i, "coefficient"),
            )
            continue
        pairs.update(added)


def _correlation_tasks(
    i: int,
    correlation: Correlation,
    tasks: dict[str, Task],
    pairs: dict[frozenset[str], float],
    refs: _References,
) -> Iterator[Diagnostic]:
    seen: list[str] = []
    for j, ident in enumerate(correlation.tasks):
        path: Path = ("correlations", i, "tasks", j)
        task = tasks.get(ident)
        if task is None:
            yield from refs.check(ident, ("task",), path)
            if ident not in refs.unbuilt_ids:
                continue
        elif ident in seen:
            yield Diagnostic(
                "bad-correlation",
                f"'{ident}' is listed twice in this correlation: list each task once",
                path,
            )
            continue
        elif task.tasks or task.is_milestone:
            what = "a summary" if task.tasks else "a milestone"
            yield Diagnostic(
                "bad-correlation",
                f"'{ident}' is {what}, which has no duration of its own to correlate: list "
                "the tasks that take time",
                path,
            )
        for other in seen:
            earlier = pairs.get(frozenset((other, ident)))
            if earlier is not None:
                yield Diagnostic(
                    "bad-correlation",
                    f"'{other}' and '{ident}' are already correlated (coefficient "
                    f"{earlier:g}, by an earlier correlation): a pair has one coefficient; "
                    "take one of them out of this correlation",
                    path,
                )
        seen.append(ident)


def _positive_definite(pairs: dict[frozenset[str], float], tasks: set[str]) -> bool:
    """Whether the correlation matrix of `tasks` and every task linked to them through
    `pairs` is positive definite (pairs not listed are independent)."""
    group, pending = set(tasks), list(tasks)
    neighbours: dict[str, set[str]] = {}
    for pair in pairs:
        a, b = tuple(pair)
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    while pending:
        for other in neighbours.get(pending.pop(), ()):
            if other not in group:
                group.add(other)
                pending.append(other)
    if group == tasks and all(pair <= tasks for pair in pairs if pair & tasks):
        return True  # one correlation alone: equal coefficients below 1 always hold
    order = sorted(group)
    index = {ident: n for n, ident in enumerate(order)}
    matrix = np.eye(len(order))
    for pair, coefficient in pairs.items():
        a, b = tuple(pair)
        if a in index and b in index:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = coefficient
    return bool(np.linalg.eigvalsh(matrix).min() > _POSITIVE_DEFINITE)
