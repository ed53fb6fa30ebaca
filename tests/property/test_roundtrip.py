"""A plan written out and read back is the same plan: parse(dump(p)) == p.

The strategy builds valid plans only (unique ids, references that exist, no cycles,
summaries and milestones of the right shape, consistent progress), with ids and text
drawn from the whole of Unicode so the dumper's quoting is put to the test.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.core.model import (
    WEEKDAYS,
    Away,
    CalendarDef,
    Conversation,
    Correlation,
    Deliverable,
    Dependency,
    Duration,
    Estimate,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Risk,
    RiskImpact,
    Task,
    Vendor,
    Verification,
)
from ontrack.core.validate import validate
from ontrack.planfile import dump_plan, parse_plan

IDS = st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True)
TEXT = st.text(max_size=25)
MAYBE_TEXT = st.none() | TEXT
DATES = st.dates(date(1990, 1, 1), date(2090, 12, 31))
UNITS = st.sampled_from(["h", "d", "w", "ed"])
AMOUNTS = st.integers(0, 10**9) | st.floats(0, 1e12, allow_nan=False)
POSITIVE = st.integers(1, 100) | st.floats(1e-6, 1e4, allow_nan=False)


def pick(draw: st.DrawFn, options: list[str]) -> str | None:
    return draw(st.none() | st.sampled_from(options)) if options else None


def some(draw: st.DrawFn, options: list[str]) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(options), unique=True))) if options else ()


def durations(min_value: float = 0) -> st.SearchStrategy[Duration]:
    values = st.integers(int(min_value), 500) | st.floats(min_value, 500, allow_nan=False)
    return st.builds(Duration, values, UNITS)


@st.composite
def calendars(draw: st.DrawFn, ident: str) -> CalendarDef:
    return CalendarDef(
        id=ident,
        workdays=tuple(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, unique=True))),
        hours_per_day=draw(st.floats(0.25, 24) | st.integers(1, 24)),
        holidays=draw(st.none() | st.sampled_from(["US", "GB", "DE", "FRA"])),
        closed=tuple(draw(st.lists(DATES, max_size=3))),
    )


@st.composite
def resources(draw: st.DrawFn, ident: str, calendar_ids: list[str]) -> Resource:
    starts = draw(st.lists(DATES, max_size=2))
    away = tuple(Away(s, s + timedelta(days=draw(st.integers(0, 20)))) for s in starts)
    return Resource(
        ident, draw(MAYBE_TEXT), draw(POSITIVE), draw(AMOUNTS), pick(draw, calendar_ids), away
    )


@st.composite
def programs(draw: st.DrawFn, milestone_ids: list[str]) -> Program:
    vendors = tuple(draw(st.lists(st.builds(Vendor, TEXT, MAYBE_TEXT), max_size=3)))
    names = [vendor.name for vendor in vendors]
    start, length = draw(st.none() | DATES), draw(st.integers(0, 900))
    return Program(
        name=draw(TEXT),
        benefit=draw(MAYBE_TEXT),
        budget=draw(st.none() | AMOUNTS),
        start=start,
        finish=start + timedelta(days=length) if start else draw(st.none() | DATES),
        vendors=vendors,
        milestones=tuple(
            ProgramMilestone(
                m, draw(TEXT), draw(DATES), pick(draw, names) if names else draw(MAYBE_TEXT)
            )
            for m in milestone_ids
        ),
    )


@st.composite
def progress(draw: st.DrawFn, project_start: date) -> dict[str, object]:
    """None, started, or finished; dates on or after the project start."""
    state = draw(st.sampled_from(["none", "started", "finished"]))
    if state == "none":
        return {"percent_complete": draw(st.none() | st.just(0))}
    start = project_start + timedelta(days=draw(st.integers(0, 60)))
    if state == "started":
        return {"actual_start": start, "percent_complete": draw(st.none() | st.floats(0, 99.9))}
    finish = start + timedelta(days=draw(st.integers(0, 30)))
    return {
        "actual_start": start,
        "actual_finish": finish,
        "percent_complete": draw(st.sampled_from([None, 100])),
    }


@st.composite
def pins(draw: st.DrawFn, item: dict[str, object], floor: date) -> dict[str, object]:
    """A pin on some tasks that have not started, on or after `floor`."""
    if "actual_start" in item or not draw(st.booleans()):
        return {}
    return {"pin": floor + timedelta(days=draw(st.integers(0, 400)))}


@st.composite
def task_trees(
    draw: st.DrawFn, ids: list[str], context: dict[str, list[str]], start: date
) -> tuple[Task, ...]:
    """Tasks in pre-order; each may only wait for earlier tasks outside its ancestors."""
    parents: list[int | None] = []
    for i in range(len(ids)):
        path: list[int] = []
        node = i - 1 if i else None
        while node is not None:
            path.append(node)
            node = parents[node]
        parents.append(draw(st.sampled_from([None, *path])) if i else None)
    has_children = {p for p in parents if p is not None}

    def ancestors(i: int) -> set[int]:
        found, node = set(), parents[i]
        while node is not None:
            found.add(node)
            node = parents[node]
        return found

    fields: list[dict[str, object]] = []

    def pin_floor(i: int, item: dict[str, object]) -> date:
        """After the status date (at most 99 days in) and every not_before that applies."""
        limits = [item["not_before"], *(fields[j]["not_before"] for j in ancestors(i))]
        return max([start + timedelta(days=100), *(d for d in limits if isinstance(d, date))])

    for i, ident in enumerate(ids):
        allowed = [ids[j] for j in range(i) if j not in ancestors(i)] + context["milestones"]
        targets = (
            draw(st.lists(st.sampled_from(allowed), unique=True, max_size=3)) if allowed else []
        )
        after = []
        for target in targets:
            short = draw(st.booleans())
            kind = "FS" if short else draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            lag = (
                None if short else draw(st.none() | st.builds(Duration, st.floats(-50, 50), UNITS))
            )
            after.append(Dependency(target, kind, lag, short=short))
        item: dict[str, object] = {
            "id": ident,
            "name": draw(TEXT),
            "deliverable": pick(draw, context["deliverables"]),
            "outcomes": some(draw, context["outcomes"]),
            "after": tuple(after),
            "not_before": draw(st.none() | DATES),
            "deadline": draw(st.none() | DATES),
            "cost": draw(st.none() | AMOUNTS),
            "expedite_cost_per_day": draw(st.none() | AMOUNTS),
            "calendar": pick(draw, context["calendars"]),
            "notes": draw(MAYBE_TEXT),
            "actual_cost": draw(st.none() | AMOUNTS),
        }
        if i in has_children:
            item["kind"] = draw(st.sampled_from([None, "task", "procurement", "review"]))
        elif draw(st.booleans()):
            item["kind"] = "milestone"
            item["duration"] = draw(st.none() | st.builds(Duration, st.just(0.0), UNITS))
            item |= draw(progress(start))
            item |= draw(pins(item, pin_floor(i, item)))
        else:
            duration = draw(durations())
            item["kind"] = draw(st.sampled_from([None, "task", "procurement", "review"]))
            item["duration"] = duration
            if draw(st.booleans()):
                low = Duration(duration.value * draw(st.floats(0, 1)), duration.unit)
                high = Duration(duration.value * draw(st.floats(1, 10)), duration.unit)
                item["estimate"] = Estimate(
                    low, high, draw(st.sampled_from([None, "triangular", "pert"]))
                )
            units = context["resource_units"]
            item["resources"] = tuple(
                (r, draw(st.floats(0, float(units[r]), exclude_min=True) | st.just(units[r])))
                for r in some(draw, list(units))
            )
            item |= draw(progress(start))
            item |= draw(pins(item, pin_floor(i, item)))
        fields.append(item)

    def build(i: int) -> Task:
        children = tuple(build(j) for j in range(len(ids)) if parents[j] == i)
        return Task(**fields[i], tasks=children)  # type: ignore[arg-type]

    return tuple(build(i) for i in range(len(ids)) if parents[i] is None)


def leaf_tasks(tasks: tuple[Task, ...]) -> list[str]:
    """The tasks that take time: no summaries, no milestones (what correlations name)."""
    found = Plan(ProjectInfo("p", "p", date(2000, 1, 3)), tasks=tasks).walk_tasks()
    return [task.id for task, _ in found if not task.tasks and not task.is_milestone]


@st.composite
def impacts(draw: st.DrawFn, targets: list[str]) -> RiskImpact:
    """A delay on a task that is not a summary, or on a program milestone: fixed, or a
    range in one kind of time that runs forwards whatever the calendar."""
    low = draw(durations())
    if draw(st.booleans()):
        return RiskImpact(draw(st.sampled_from(targets)), low)
    factor = draw(st.integers(1, 5) | st.floats(1, 10))
    unit = "ed" if low.unit == "ed" else "h"
    hours = {"h": 1, "d": 24, "w": 120, "ed": 1}[low.unit]  # at most 24 h a day
    high = (
        Duration(low.value * hours * factor, unit)
        if unit == "h"
        else Duration(low.value * factor, "ed")
    )
    return RiskImpact(draw(st.sampled_from(targets)), low, high)


@st.composite
def risks(draw: st.DrawFn, targets: list[str], outcome_ids: list[str]) -> tuple[Risk, ...]:
    ids = draw(st.lists(IDS, max_size=3, unique=True))
    return tuple(
        Risk(
            ident,
            draw(TEXT),
            draw(st.floats(0, 1, exclude_min=True) | st.just(1.0)),
            tuple(draw(st.lists(impacts(targets), max_size=3))) if targets else (),
            some(draw, outcome_ids),
            draw(MAYBE_TEXT),
            draw(MAYBE_TEXT),
        )
        for ident in ids
    )


@st.composite
def correlations(draw: st.DrawFn, task_ids: list[str]) -> tuple[Correlation, ...]:
    """Correlations on disjoint groups of tasks, so that every one can hold."""
    free = list(draw(st.permutations(task_ids)))
    found = []
    while len(free) >= 2 and draw(st.booleans()):
        size = draw(st.integers(2, min(4, len(free))))
        group, free = tuple(free[:size]), free[size:]
        coefficient = draw(st.floats(0, 1, exclude_min=True, exclude_max=True))
        found.append(Correlation(group, coefficient, draw(MAYBE_TEXT)))
    return tuple(found)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    sizes = [draw(st.integers(0, n)) for n in (2, 3, 3, 3, 2, 8)]
    ids = draw(st.lists(IDS, min_size=sum(sizes), max_size=sum(sizes), unique=True))
    groups, at = [], 0
    for size in sizes:
        groups.append(ids[at : at + size])
        at += size
    calendar_ids, resource_ids, outcome_ids, deliverable_ids, milestone_ids, task_ids = groups
    start = draw(DATES)
    resource_list = tuple(draw(resources(r, calendar_ids)) for r in resource_ids)
    context = {
        "calendars": calendar_ids,
        "outcomes": outcome_ids,
        "deliverables": deliverable_ids,
        "milestones": milestone_ids,
        "resource_units": {r.id: r.units for r in resource_list},
    }
    tasks = draw(task_trees(task_ids, context, start))  # type: ignore[arg-type]
    actuals = [
        d
        for t, _ in Plan(ProjectInfo("p", "p", start), tasks=tasks).walk_tasks()
        for d in (t.actual_start, t.actual_finish)
        if d
    ]
    latest = max(actuals, default=start)
    return Plan(
        project=ProjectInfo(
            id=draw(IDS),
            name=draw(TEXT),
            start=start,
            client=draw(MAYBE_TEXT),
            manager=draw(MAYBE_TEXT),
            status_date=draw(st.none() | st.just(latest + timedelta(days=draw(st.integers(0, 9))))),
            currency=draw(MAYBE_TEXT),
            calendar=pick(draw, calendar_ids),
            driver=draw(st.sampled_from([None, "speed", "security", "cost"])),
            priority=draw(st.none() | st.integers(1, 5)),
        ),
        program=draw(st.none() | programs(milestone_ids))
        if not milestone_ids
        else draw(programs(milestone_ids)),
        calendars=tuple(draw(calendars(c)) for c in calendar_ids),
        resources=resource_list,
        outcomes=tuple(
            Outcome(
                o,
                draw(TEXT),
                draw(st.none() | DATES),
                draw(st.none() | st.integers(1, 5)),
                draw(MAYBE_TEXT),
                draw(st.none() | st.booleans()),
                tuple(draw(st.lists(TEXT, max_size=3))),
                draw(st.none() | st.builds(Verification, TEXT, st.just(start), TEXT)),
            )
            for o in outcome_ids
        ),
        deliverables=tuple(
            Deliverable(d, draw(TEXT), some(draw, outcome_ids), draw(MAYBE_TEXT))
            for d in deliverable_ids
        ),
        tasks=tasks,
        conversations=tuple(
            draw(
                st.lists(
                    st.builds(
                        Conversation,
                        DATES,
                        MAYBE_TEXT,
                        MAYBE_TEXT,
                        st.just(some(draw, outcome_ids)),
                        st.lists(TEXT, max_size=3).map(tuple),
                    ),
                    max_size=2,
                )
            )
        ),
        risks=draw(risks([*leaf_tasks(tasks), *milestone_ids], outcome_ids)),
        correlations=draw(correlations(leaf_tasks(tasks))),
    )


@settings(max_examples=200, deadline=None)
@given(plans())
def test_a_written_plan_reads_back_as_the_same_plan(plan: Plan) -> None:
    assert validate(plan) == [], "the strategy must build valid plans"
    assert parse_plan(dump_plan(plan)) == plan


@settings(max_examples=50, deadline=None)
@given(plans())
def test_writing_a_plan_that_was_read_gives_the_same_text(plan: Plan) -> None:
    text = dump_plan(plan)
    assert dump_plan(parse_plan(text)) == text
