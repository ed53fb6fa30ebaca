"""What the project manager should know, each with its meaning for the client and a next step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from ontrack.core.cpm import link_work
from ontrack.core.model import Plan
from ontrack.core.network import Network
from ontrack.core.overallocation import overallocations
from ontrack.core.results import Finding, Overallocation, Schedule

if TYPE_CHECKING:
    from ontrack.core.schedule import Timing


def find(plan: Plan, sched: Schedule, timing: Timing) -> tuple[Finding, ...]:
    return tuple(
        [
            *(_untraced(sched) if plan.outcomes else _no_outcomes(plan)),
            *_unserved(plan, sched),
            *_late_outcomes(sched),
            *_missed_deadlines(sched),
            *_overallocated(sched),
            *_pins_breaking_links(plan, timing),
            *_pins_overallocating(timing),
            *_external(plan, sched, timing),
            *_security_without_review(plan, sched, timing),
        ]
    )


def _untraced(sched: Schedule) -> Iterator[Finding]:
    for t in sched.tasks:
        if not t.is_summary and not t.outcomes:
            yield Finding(
                "untraced-task",
                t.id,
                f"'{t.name}' serves no client outcome.",
                "The client pays for work they cannot connect to anything they asked for.",
                "Link it to a deliverable or outcome, or question whether it is needed.",
                "info",
            )


def _no_outcomes(plan: Plan) -> Iterator[Finding]:
    """One finding for the whole plan, not one per task: the usual state of a plan that
    comes from MS Project or a spreadsheet."""
    if plan.tasks:
        yield Finding(
            "no-outcomes",
            plan.project.id,
            "The plan names no client outcomes: none of its work is tied to what the "
            "client wants to be true.",
            "Nobody can say which work matters most to the client, so levelling, forecasts "
            "and the client report have nothing to speak about.",
            "Name the outcomes the client cares about (`outcomes:` with a target date and a "
            "priority), and link deliverables or tasks to them.",
            "warning",
        )


def _unserved(plan: Plan, sched: Schedule) -> Iterator[Finding]:
    for o in sched.outcomes:
        if not o.tasks:
            yield Finding(
                "unserved-outcome",
                o.id,
                f"No work is planned for '{o.statement}'.",
                "Nothing in the plan makes this outcome true: the client will not get it.",
                "Add the deliverables and tasks that deliver it, or agree with the client "
                "to drop it.",
                "problem",
            )


def _late_outcomes(sched: Schedule) -> Iterator[Finding]:
    for o in sched.outcomes:
        if o.status == "late" and o.slack_days is not None:
            yield Finding(
                "late-outcome",
                o.id,
                f"'{o.statement}' is forecast {-o.slack_days:g} working days after its target "
                f"({o.forecast} against {o.target}).",
                "The client will not have this when they need it.",
                "Shorten the driving chain (" + ", ".join(o.driving_tasks[-3:]) + "), add people "
                "to it, or agree a new date with the client now.",
                "problem",
            )


def _missed_deadlines(sched: Schedule) -> Iterator[Finding]:
    for t in sched.tasks:
        if t.deadline and t.finish > t.deadline:
            yield Finding(
                "missed-deadline",
                t.id,
                f"'{t.name}' finishes {t.finish}, after its deadline {t.deadline}.",
                "A commitment tied to this task will be broken"
                + (f" ({', '.join(t.outcomes)})." if t.outcomes else "."),
                "Start it earlier, shorten it, or renegotiate the deadline.",
                "problem",
            )


def _overallocated(sched: Schedule) -> Iterator[Finding]:
    for o, peak in _first_by_resource(sched.overallocations):
        yield Finding(
            "over-allocation",
            o.resource,
            f"{o.resource} is asked for up to {peak:g} of "
            f"{o.units:g} units, first from {o.start} to {o.finish} ({', '.join(o.tasks)}).",
            "These dates cannot all hold: something the client expects will slip.",
            "Level the schedule (drop --no-level), add people, or move the work.",
            "problem",
        )


def _first_by_resource(spans: Iterable[Overallocation]) -> Iterator[tuple[Overallocation, float]]:
    """Each resource's first over-allocated stretch, with the most it is asked for in any."""
    by_resource: dict[str, list[Overallocation]] = {}
    for o in spans:
        by_resource.setdefault(o.resource, []).append(o)
    for found in by_resource.values():
        yield found[0], max(x.demand for x in found)


def _pins_breaking_links(plan: Plan, timing: Timing) -> Iterator[Finding]:
    """Links that a pinned task starts (or, for FF and SF, finishes) too early for."""
    net, axis, ps = timing.net, timing.axis, timing.passes
    links = np.flatnonzero(net.user_pin[net.succ])
    if not links.size:
        return
    allowed = link_work(net, axis, links, ps.early_start, ps.early_finish, ps.finish_driven)
    succ = net.succ[links]
    early = allowed - axis.work_before(net.cal[succ], ps.early_start[succ])
    days = early / (net.hours_per_day[succ] * 60)
    milestones = {m.id: m.name for m in plan.program.milestones} if plan.program else {}
    for i in np.flatnonzero(early > 0).tolist():
        link, task, pred = int(links[i]), net.tasks[succ[i]], int(net.pred[links[i]])
        assert task is not None and task.pin is not None
        predecessor = net.tasks[pred]
        to_finish = bool(net.to_finish[link])
        if predecessor is None:
            name = milestones[net.ids[pred]]
            what = f"link to program milestone '{name}'"
        else:
            name = predecessor.name
            kind = ("F" if net.from_finish[link] else "S") + ("F" if to_finish else "S")
            what = f"{kind} link from '{name}'"
        yield Finding(
            "pin-breaks-dependency",
            task.id,
            f"'{task.name}' is pinned to {task.pin}, but its {what} needs it to "
            f"{'finish' if to_finish else 'start'} {round(float(days[i]), 2):g} working days "
            "later.",
            "The pinned date leaves no time for work it depends on: the date will slip, or "
            "the work will be rushed or done out of order.",
            f"Move the pin later, bring '{name}' forward, or remove the link if it does not "
            "really apply.",
            "problem",
        )


def _pins_overallocating(timing: Timing) -> Iterator[Finding]:
    """Where work that never moves (pins, done work) alone needs more than a resource has:
    levelling cannot help, since it places other work around it."""
    net, axis, ps = timing.net, timing.axis, timing.passes
    if not net.user_pin.any():
        return
    start = axis.to_minutes(ps.early_start, end=False)
    finish = axis.to_minutes(ps.early_finish, end=True)
    spans = overallocations(net, timing.table, start, finish, only=net.pinned)
    with_pins = [o for o in spans if any(net.user_pin[net.index[t]] for t in o.tasks)]
    for o, peak in _first_by_resource(with_pins):
        yield Finding(
            "pin-over-allocates",
            o.resource,
            f"Pinned work needs up to {peak:g} of {o.resource}'s {o.units:g} units, first "
            f"from {o.start} to {o.finish} ({', '.join(o.tasks)}).",
            "These pinned dates cannot all hold: something the client expects will slip.",
            f"Move or remove one of the pins, or add units to {o.resource}.",
            "problem",
        )


def _external(plan: Plan, sched: Schedule, timing: Timing) -> Iterator[Finding]:
    milestones = {m.id: m for m in plan.program.milestones} if plan.program else {}
    for o in sched.outcomes:
        orders = [t for t in o.driving_tasks if sched.task(t).kind == "procurement"]
        outside = [milestones[m].name for m in o.external_drivers if m in milestones]
        if not orders and not outside:
            continue
        parts = [f"order '{sched.task(t).name}'" for t in orders]
        parts += [f"'{name}'" for name in outside]
        yield Finding(
            "external-dependency",
            o.id,
            f"'{o.statement}' waits on {', '.join(parts)}, outside the team's control.",
            "A supplier's or another vendor's delay moves this outcome date one for one.",
            "Expedite or confirm those dates in writing, track them weekly, and have a fallback.",
            "warning",
        )


def _security_without_review(plan: Plan, sched: Schedule, timing: Timing) -> Iterator[Finding]:
    if plan.project.driver != "security":
        return
    net = timing.net
    depends_on = _dependencies(net)
    by_id = {o.id: o for o in sched.outcomes}
    for outcome in plan.outcomes:
        if not outcome.security or not by_id[outcome.id].tasks:
            continue
        # Go-live: the serving task that finishes last, where the outcome's driving chain
        # ends. A review on go-live's own date can be that task (a tie): it counts too.
        last = net.index[by_id[outcome.id].driving_tasks[-1]]
        before = _ancestors(last, depends_on) | {last}
        if not any(sched.tasks[v].kind == "review" for v in before if v < len(sched.tasks)):
            yield Finding(
                "security-without-review",
                outcome.id,
                f"'{outcome.statement}' promises security, but no review comes before it.",
                "The client chose security as their driver: going live unreviewed breaks "
                "that promise.",
                f"Add a security review (kind: review) before '{sched.tasks[last].name}'.",
                "problem",
            )


def _dependencies(net: Network) -> dict[int, list[int]]:
    """What each node waits for: its predecessors by the plan's own links (a wait for a
    resource is no review gate) and, for a summary, its children."""
    depends_on: dict[int, list[int]] = {}
    plan_links = ~net.wait
    for p, s in zip(net.pred[plan_links].tolist(), net.succ[plan_links].tolist(), strict=True):
        depends_on.setdefault(s, []).append(p)
    for child, up in enumerate(net.parent.tolist()):
        if up >= 0:
            depends_on.setdefault(up, []).append(child)
    return depends_on


def _ancestors(node: int, depends_on: dict[int, list[int]]) -> set[int]:
    """Every node the given one depends on, directly or through others."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        for u in depends_on.get(stack.pop(), []):
            if u not in seen:
                seen.add(u)
                stack.append(u)
    return seen
