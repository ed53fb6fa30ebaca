"""A plant Wi-Fi project, plan and schedule written by hand, for the report tests.

The schedule is what the scheduler would return for the plan as of 12 Apr 2027; it is
written out so the report tests do not depend on the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from ontrack.core.confidence import Action, Confidence, Influence, OutcomeConfidence
from ontrack.core.model import (
    Conversation,
    Deliverable,
    Dependency,
    Duration,
    Outcome,
    Plan,
    Program,
    ProgramMilestone,
    ProjectInfo,
    Resource,
    Task,
    Vendor,
)
from ontrack.core.results import (
    Assignment,
    Finding,
    OutcomeResult,
    OutcomeStatus,
    Schedule,
    TaskResult,
)

STATUS_DATE = date(2027, 4, 12)
RATES = {"neteng": 125.0, "tech": 85.0, "sec": 145.0}
WLAN = ("wifi", "scanners")
INTERNAL_NOTES = (
    "Northwind quote includes our 12% margin; do not share.",
    "Night shift only; Raj has the keys to the plant floor.",
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def working_days(start: date, finish: date) -> int:
    return sum((start + timedelta(n)).weekday() < 5 for n in range((finish - start).days + 1))


def plant_plan() -> Plan:
    return Plan(
        project=ProjectInfo(
            id="plant-it", name="Plant IT fit-out", start=d("2027-03-01"), client="Acme Foods",
            manager="Dana Lee", status_date=STATUS_DATE, currency="USD", driver="speed",
        ),
        program=Program(
            name="New plant expansion",
            benefit="Raise packaging capacity by 40% before the peak season",
            budget=14_000_000, start=d("2026-11-02"), finish=d("2027-10-29"),
            vendors=(Vendor("BuildCo", "General contractor"),
                     Vendor("PackTech", "Packaging line equipment")),
            milestones=(
                ProgramMilestone("building-handover", "Offices handed over by BuildCo",
                                 d("2027-04-05"), "BuildCo"),
                ProgramMilestone("line1-ready", "Packaging line 1 commissioned by PackTech",
                                 d("2027-05-03"), "PackTech"),
            ),
        ),
        resources=(
            Resource("neteng", "Network engineer", units=2, rate=RATES["neteng"]),
            Resource("tech", "Field technician", units=3, rate=RATES["tech"]),
            Resource("sec", "Security specialist", units=1, rate=RATES["sec"]),
        ),
        outcomes=(
            Outcome("wifi", "Wi-Fi is up in the offices and on the plant floor",
                    target=d("2027-05-07"), priority=1,
                    measure="A survey shows -67 dBm or better in every office and on the "
                            "whole plant floor",
                    needs=("Access to the plant floor outside production hours",)),
            Outcome("secure", "Only staff devices can reach the plant network",
                    target=d("2027-05-04"), priority=3,
                    measure="An independent penetration test finds no critical issue",
                    security=True),
            Outcome("scanners", "Handheld scanners work on packaging line 1",
                    target=d("2027-05-10"), priority=2,
                    measure="A pilot shift scans every pallet without a dropped connection",
                    needs=("A pilot shift booked with the line 1 supervisor",)),
        ),
        deliverables=(
            Deliverable("wlan", "Wireless network", WLAN, "Signed heat-map survey"),
            Deliverable("scan", "Scanner integration & pilot", ("scanners",),
                        "Pilot shift signed off by the line 1 supervisor"),
            Deliverable("nac", "Network access control", ("secure",),
                        "Penetration test report with no critical findings"),
        ),
        tasks=_plan_tasks(),
        conversations=(
            Conversation(d("2027-02-10"), "Plant manager",
                         "Line trials start in June; speed matters more than cost.",
                         ("wifi", "scanners"), ("Pay for express shipping of access points",)),
            Conversation(d("2027-04-08"), "Plant manager",
                         "Happy with the cabling; asked when the scanner pilot can run."),
            Conversation(d("2027-03-22"), "IT security lead",
                         "Guest devices must never see the production network.", ("secure",),
                         ("Add a penetration test before go-live", "Guest Wi-Fi on its own VLAN")),
        ),
    )


def days(count: float) -> Duration:
    return Duration(count, "d")


def _plan_tasks() -> tuple[Task, ...]:
    return (
        Task("rf-survey", "RF site survey", deliverable="wlan", duration=days(3),
             resources=(("neteng", 1),)),
        Task("order-aps", "Order access points", kind="procurement", deliverable="wlan",
             duration=Duration(15, "ed"), cost=38_000, after=(Dependency("rf-survey"),),
             notes=INTERNAL_NOTES[0]),
        Task("cable-run", "Structured cabling", deliverable="wlan",
             after=(Dependency("building-handover"),), tasks=(
                 Task("cab-offices", "Pull cable in the offices", duration=days(4),
                      resources=(("tech", 2),)),
                 Task("cab-floor", "Pull cable on the plant floor", duration=days(5),
                      resources=(("tech", 2),), after=(Dependency("cab-offices"),),
                      notes=INTERNAL_NOTES[1]),
             )),
        Task("ap-install", "Install and patch access points", deliverable="wlan",
             duration=days(5), resources=(("tech", 2), ("neteng", 1)),
             after=(Dependency("order-aps"), Dependency("cable-run"))),
        Task("heatmap", "Heat-map survey and tuning", deliverable="wlan", duration=days(3),
             resources=(("neteng", 1),), after=(Dependency("ap-install"),)),
        Task("wifi-live", "Wi-Fi live", kind="milestone", deliverable="wlan",
             after=(Dependency("heatmap"),)),
        Task("scanner-config", "Configure scanner profiles", deliverable="scan",
             duration=days(5), resources=(("neteng", 1),), after=(Dependency("heatmap"),)),
        Task("pilot-shift", "Pilot shift on packaging line 1", deliverable="scan",
             duration=days(2), resources=(("tech", 1),),
             after=(Dependency("scanner-config"), Dependency("line1-ready"))),
        Task("nac-design", "Design network access control", deliverable="nac", duration=days(4),
             resources=(("sec", 1),), not_before=STATUS_DATE),
        Task("nac-build", "Build 802.1X and guest isolation", deliverable="nac",
             duration=days(10), resources=(("neteng", 1), ("sec", 0.5)),
             after=(Dependency("nac-design"),)),
        Task("pentest", "Security review and penetration test", kind="review",
             deliverable="nac", duration=days(5), cost=6_500, resources=(("sec", 1),),
             after=(Dependency("nac-build"),)),
        Task("tidy-comms", "Tidy the comms room & label <patch> panels", duration=days(1),
             resources=(("tech", 1),), after=(Dependency("pilot-shift"),)),
    )


@dataclass
class _Row:
    """One task's schedule line, compactly: the fixture table below."""

    id: str
    start: str
    finish: str
    float_days: float
    outcomes: tuple[str, ...]
    priority: int | None
    resources: tuple[tuple[str, float], ...] = ()
    fixed: float = 0.0
    done: bool = False


def _rows() -> list[_Row]:
    return [
        _Row("rf-survey", "2027-03-01", "2027-03-03", 22, WLAN, 1, (("neteng", 1),), done=True),
        _Row("order-aps", "2027-03-04", "2027-03-18", 22, WLAN, 1, fixed=38_000, done=True),
        _Row("cable-run", "2027-04-06", "2027-04-16", 0, WLAN, 1),
        _Row("cab-offices", "2027-04-06", "2027-04-09", 0, WLAN, 1, (("tech", 2),), done=True),
        _Row("cab-floor", "2027-04-12", "2027-04-16", 0, WLAN, 1, (("tech", 2),)),
        _Row("ap-install", "2027-04-19", "2027-04-23", 0, WLAN, 1, (("tech", 2), ("neteng", 1))),
        _Row("heatmap", "2027-04-26", "2027-04-28", 0, WLAN, 1, (("neteng", 1),)),
        _Row("wifi-live", "2027-04-28", "2027-04-28", 8, WLAN, 1),
        _Row("scanner-config", "2027-04-29", "2027-05-05", 0, ("scanners",), 2,
             (("neteng", 1),)),
        _Row("pilot-shift", "2027-05-06", "2027-05-07", 0, ("scanners",), 2, (("tech", 1),)),
        _Row("nac-design", "2027-04-12", "2027-04-15", 2, ("secure",), 3, (("sec", 1),)),
        _Row("nac-build", "2027-04-16", "2027-04-29", 2, ("secure",), 3,
             (("neteng", 1), ("sec", 0.5))),
        _Row("pentest", "2027-04-30", "2027-05-06", 2, ("secure",), 3, (("sec", 1),),
             fixed=6_500),
        _Row("tidy-comms", "2027-05-10", "2027-05-10", 0, (), None, (("tech", 1),)),
    ]


def _task_result(row: _Row, task: Task, parent: Task | None) -> TaskResult:
    start, finish = d(row.start), d(row.finish)
    hours = 8 * working_days(start, finish)
    assignments = tuple(
        Assignment(res, units, units * RATES[res] * hours) for res, units in row.resources
    )
    deliverable = task.deliverable or (parent.deliverable if parent else None)
    return TaskResult(
        id=row.id, name=task.name, start=start, finish=finish,
        early_start=start, early_finish=finish, late_start=start, late_finish=finish,
        total_float_days=row.float_days, critical=row.float_days <= 0,
        cost=row.fixed + sum(a.cost for a in assignments), outcomes=row.outcomes,
        deliverable=deliverable, priority=row.priority, kind=task.effective_kind,
        parent=parent.id if parent else None, is_summary=task.is_summary,
        duration_days=0 if task.is_milestone else working_days(start, finish),
        assignments=assignments, done=row.done, percent_complete=100 if row.done else 0,
    )


def _with_summary_costs(tasks: list[TaskResult]) -> list[TaskResult]:
    children_cost: dict[str, float] = {}
    for t in tasks:
        if t.parent:
            children_cost[t.parent] = children_cost.get(t.parent, 0) + t.cost
    return [t._replace(cost=t.cost + children_cost.get(t.id, 0)) for t in tasks]


def plant_schedule(plan: Plan) -> Schedule:
    walked = {task.id: (task, parent) for task, parent in plan.walk_tasks()}
    tasks = _with_summary_costs([_task_result(row, *walked[row.id]) for row in _rows()])
    chain = ("cab-offices", "cab-floor", "ap-install", "heatmap")
    wlan_tasks = ("rf-survey", "order-aps", "cable-run", "cab-offices", "cab-floor",
                  "ap-install", "heatmap", "wifi-live")
    outcomes = (
        OutcomeResult("wifi", "Wi-Fi is up in the offices and on the plant floor", 1,
                      d("2027-05-07"), d("2027-04-28"), 7, "on_track", (*chain, "wifi-live"),
                      wlan_tasks, external_drivers=("building-handover",)),
        OutcomeResult("secure", "Only staff devices can reach the plant network", 3,
                      d("2027-05-04"), d("2027-05-06"), -2, "late",
                      ("nac-design", "nac-build", "pentest"),
                      ("nac-design", "nac-build", "pentest")),
        OutcomeResult("scanners", "Handheld scanners work on packaging line 1", 2,
                      d("2027-05-10"), d("2027-05-07"), 1, "at_risk",
                      (*chain, "scanner-config", "pilot-shift"),
                      (*wlan_tasks, "scanner-config", "pilot-shift"),
                      external_drivers=("building-handover",)),
    )
    return Schedule(
        project_id="plant-it", start=d("2027-03-01"), finish=d("2027-05-10"),
        cost=sum(t.cost for t in tasks if not t.is_summary), levelled=True,
        status_date=STATUS_DATE, tasks=tuple(tasks), outcomes=outcomes,
        findings=_findings(), task_index={t.id: i for i, t in enumerate(tasks)},
    )


def _findings() -> tuple[Finding, ...]:
    return (
        Finding("untraced-task", "tidy-comms",
                "'Tidy the comms room & label <patch> panels' serves no client outcome.",
                "The client pays for work they cannot connect to anything they asked for.",
                "Link it to a deliverable or outcome, or question whether it is needed.",
                "info"),
        Finding("late-outcome", "secure",
                "'Only staff devices can reach the plant network' is forecast 2 working days "
                "after its target (2027-05-06 against 2027-05-04).",
                "The client will not have this when they need it.",
                "Shorten the driving chain (nac-design, nac-build, pentest), add people to it, "
                "or agree a new date with the client now.",
                "problem"),
        Finding("external-driver", "wifi",
                "'Wi-Fi is up in the offices and on the plant floor' waits for Offices handed "
                "over by BuildCo.",
                "If BuildCo hands over late, the Wi-Fi is late by the same number of days.",
                "Confirm the handover date with BuildCo every week until it happens.",
                "warning"),
    )


@pytest.fixture
def plan() -> Plan:
    return plant_plan()


@pytest.fixture
def schedule(plan: Plan) -> Schedule:
    return plant_schedule(plan)


@pytest.fixture
def today() -> date:
    return STATUS_DATE


def large_project(count: int = 300) -> tuple[Plan, Schedule]:
    """`count` tasks in summaries of ten over about two years, with long names."""
    outcomes = tuple(
        Outcome(f"o{n}", f"Outcome number {n} that the client cares about", priority=n,
                target=date(2028, 6, 30))
        for n in (1, 2, 3)
    )
    deliverables = tuple(Deliverable(f"d{n}", f"Deliverable {n}", (f"o{n % 3 + 1}",))
                         for n in range(6))
    plan_tasks, results = [], []
    base = date(2027, 1, 4)
    for g in range(count // 10):
        deliverable = deliverables[g % 6]
        children = []
        for c in range(9):
            start = base + timedelta(days=g * 20 + c * 2)
            finish = start + timedelta(days=4 + c % 5)
            task = Task(f"t{g}-{c}", f"Configure and verify access switch stack {g}.{c} "
                        "in building wing north", duration=days(5))
            children.append(task)
            results.append(_large_result(task, start, finish, deliverable, f"s{g}",
                                         critical=c % 4 == 0))
        summary = Task(f"s{g}", f"Work package {g}", deliverable=deliverable.id,
                       tasks=tuple(children))
        plan_tasks.append(summary)
        results.append(_large_result(summary, results[-9].start, results[-1].finish,
                                     deliverable, None, critical=True))
    plan = Plan(project=ProjectInfo("big", "Campus network", base), outcomes=outcomes,
                deliverables=deliverables, tasks=tuple(plan_tasks))
    schedule = Schedule(
        project_id="big", start=min(t.start for t in results),
        finish=max(t.finish for t in results), cost=0, levelled=False,
        status_date=date(2027, 9, 1), tasks=tuple(results),
        outcomes=tuple(
            OutcomeResult(o.id, o.statement, o.priority, o.target, date(2028, 3, 1), 80,
                          "on_track", (), tuple(t.id for t in results
                                                if o.id in t.outcomes))
            for o in outcomes
        ),
    )
    return plan, schedule


def _large_result(task: Task, start: date, finish: date, deliverable: Deliverable,
                  parent: str | None, *, critical: bool) -> TaskResult:
    return TaskResult(
        id=task.id, name=task.name, start=start, finish=finish, early_start=start,
        early_finish=finish, late_start=start, late_finish=finish,
        total_float_days=0 if critical else 3, critical=critical, cost=0,
        outcomes=deliverable.outcomes, deliverable=deliverable.id, priority=None,
        kind="task", parent=parent, is_summary=task.is_summary,
        duration_days=working_days(start, finish),
    )


@pytest.fixture
def internal_notes() -> tuple[str, ...]:
    return INTERNAL_NOTES


@pytest.fixture
def rates() -> dict[str, float]:
    return RATES


@pytest.fixture(scope="session")
def large() -> tuple[Plan, Schedule]:
    return large_project(300)


def plant_confidence() -> Confidence:
    """What simulating the plant plan could say, written out like its schedule: scanners
    at risk by its chance, secure late, wifi sure; drivers of every kind."""

    def outcome(oid: str, target: str, dates: tuple[str, str, str], chance: float,
                status: OutcomeStatus, influences: tuple[Influence, ...]) -> OutcomeConfidence:
        p50, p80, p90 = (d(x) for x in dates)
        return OutcomeConfidence(
            oid, oid, d(target), p50, p50, p80, p90, chance, status, 0.1,
            (("cab-floor", 0.64), ("rf-survey", 1.0)), influences,
            (Action("protect", "cab-floor", 0.12, chance + 0.12),),
            ((p50, 0.5), (p80, 0.8), (p90, 0.9), (p90 + timedelta(days=1), 1.0)),
        )  # fmt: skip

    cab = Influence("cab-floor", "task", 0.61, 2.64)
    handover = Influence("building-handover", "milestone", 0.4, 3.5)
    return Confidence(2000, 0, (
        outcome("wifi", "2027-05-07", ("2027-04-29", "2027-05-03", "2027-05-04"), 0.97,
                "on_track", (cab,)),
        outcome("secure", "2027-05-04", ("2027-05-07", "2027-05-11", "2027-05-12"), 0.04,
                "late", (Influence("pentest", "task", 0.5, 1.25), cab)),
        outcome("scanners", "2027-05-10", ("2027-05-07", "2027-05-12", "2027-05-14"), 0.62,
                "at_risk", (handover, cab, Influence("rf-survey", "task", -0.1, -0.3))),
    ))  # fmt: skip


@pytest.fixture
def confidence() -> Confidence:
    return plant_confidence()
