"""Earned value and earned schedule, computed by hand on small plans (docs/tracking.md).

The plan: Mon-Fri calendar, no holidays, from Mon 2027-03-01; each task's cost is spread
evenly over its working days (periods: 1 = Mon 03-01, 5 = Fri 03-05, 6 = Mon 03-08, ...).

    a  03-01..03-05  1000 (200 a day)  deliverable d1  finished late: 03-01..03-09, AC 1400
    s  summary of b and c               deliverable d2
    b  03-08..03-12   500 (100 a day)  in progress: started 03-10, 40%, AC 300
    c  03-15..03-19   800 (160 a day)  not started
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from ontrack.core.baseline import Baseline, BaselineTask
from ontrack.core.evm import EarnedValue, Measures, earned_schedule, earned_value, measures
from ontrack.core.model import Deliverable, Outcome, Plan, ProjectInfo, Task

START = date(2027, 3, 1)


def no_holidays(country: str, year: int) -> list[date]:
    return []


def weekdays(first: date, last: date) -> list[date]:
    days = (first + timedelta(n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def planned(
    task_id: str, first: date, last: date, cost: float, parent: str | None = None
) -> BaselineTask:
    days = weekdays(first, last)
    values = tuple((d, cost * (i + 1) / len(days)) for i, d in enumerate(days))
    return BaselineTask(task_id, first, last, 0.0, cost, values, parent=parent)


def baseline_of(*tasks: BaselineTask) -> Baseline:
    leaves = [t for t in tasks if not t.is_summary]
    return Baseline(
        name="signed",
        saved=START,
        project_start=START,
        project_finish=max(t.finish for t in tasks),
        cost=sum(t.cost for t in leaves),
        tasks=tasks,
        outcomes=(),
        deliverables=(),
    )


BASELINE = baseline_of(
    planned("a", date(2027, 3, 1), date(2027, 3, 5), 1000),
    BaselineTask("s", date(2027, 3, 8), date(2027, 3, 19), 0.0, 1300, (), is_summary=True),
    planned("b", date(2027, 3, 8), date(2027, 3, 12), 500, parent="s"),
    planned("c", date(2027, 3, 15), date(2027, 3, 19), 800, parent="s"),
)


def plan_at(status: date) -> Plan:
    a = Task(
        "a", "Survey", deliverable="d1", actual_start=date(2027, 3, 1),
        actual_finish=date(2027, 3, 9), actual_cost=1400,
    )
    b = Task("b", "Install", actual_start=date(2027, 3, 10), percent_complete=40, actual_cost=300)
    c = Task("c", "Test")
    return Plan(
        project=ProjectInfo("p", "P", START, status_date=status),
        outcomes=(Outcome("o", "Wi-Fi is up"),),
        deliverables=(Deliverable("d1", "Survey", ("o",)), Deliverable("d2", "WLAN", ("o",))),
        tasks=(a, Task("s", "Network", deliverable="d2", tasks=(b, c))),
    )


def evm_at(status: date) -> EarnedValue:
    return earned_value(plan_at(status), BASELINE, status, no_holidays)


def row(result: EarnedValue, kind: str, ident: str) -> Measures:
    return next(r.measures for r in getattr(result, kind) if r.id == ident)


# Status date Fri 03-12 (the start of that day): AT = 9 periods (03-01..03-05, 03-08..03-11).
AT_FRIDAY = evm_at(date(2027, 3, 12))


def test_the_project_at_the_status_date_by_hand() -> None:
    m = AT_FRIDAY.project
    # PV after 9 periods: a 1000 + b 4 days x 100; EV: a 1000 + b 40% of 500; AC 1400 + 300.
    assert (m.bac, m.pv, m.ev, m.ac) == (2300, 1400, 1200, 1700)
    assert (m.sv, m.cv) == (-200, -500)
    assert m.spi == pytest.approx(1200 / 1400)
    assert m.cpi == pytest.approx(1200 / 1700)
    assert m.eac_cpi == pytest.approx(2300 * 1700 / 1200)  # BAC / CPI = 3258.33
    assert m.eac_cpi_spi == pytest.approx(1700 + 1100 / ((1200 / 1700) * (1200 / 1400)))
    assert m.eac_plan == 2800  # AC + BAC - EV
    assert m.etc == pytest.approx(2300 * 1700 / 1200 - 1700)
    assert m.vac == pytest.approx(2300 - 2300 * 1700 / 1200)
    assert m.tcpi == pytest.approx(1100 / 600)  # (BAC - EV) / (BAC - AC)


def test_the_project_earned_schedule_by_hand() -> None:
    # PV after each period: 200..1000 (a), 1100..1500 (b), 1660..2300 (c); EV 1200 is
    # reached 1/1 of the way into period 7 (1100 -> 1200): ES = 7, AT = 9, PD = 15.
    m = AT_FRIDAY.project
    assert (AT_FRIDAY.at_days, AT_FRIDAY.pd_days) == (9, 15)
    assert m.es_days == pytest.approx(7)
    assert m.sv_t_days == pytest.approx(-2)
    assert m.spi_t == pytest.approx(7 / 9)
    assert m.ieac_t_days == pytest.approx(15 / (7 / 9))


def test_a_task_finished_late_is_measured_at_its_actual_finish() -> None:
    # Planned 5 days, took 7 (03-01..03-09): ES = 5, AT = 7 (not 9: it is done).
    m = row(AT_FRIDAY, "tasks", "a")
    assert (m.pv, m.ev, m.ac, m.sv, m.cv) == (1000, 1000, 1400, 0, -400)
    assert m.cpi == pytest.approx(1000 / 1400)
    assert m.es_days == pytest.approx(5)
    assert m.sv_t_days == pytest.approx(-2)
    assert m.ieac_t_days == pytest.approx(7)  # PD / SPI(t) = 5 / (5/7): its actual duration


def test_a_task_in_progress() -> None:
    # b: PV 4 days x 100 = 400; EV 40% x 500 = 200, planned by the end of period 7.
    m = row(AT_FRIDAY, "tasks", "b")
    assert (m.pv, m.ev, m.ac, m.sv, m.cv) == (400, 200, 300, -200, -100)
    assert (m.spi, m.cpi) == (pytest.approx(0.5), pytest.approx(200 / 300))
    assert m.es_days == pytest.approx(7)
    assert m.sv_t_days == pytest.approx(-2)
    assert m.ieac_t_days == pytest.approx(10 / (7 / 9))  # planned to end after period 10


def test_an_unstarted_task_not_yet_due_is_on_schedule() -> None:
    # c plans nothing before period 11: at AT 9 its EV 0 equals its PV, so ES = AT.
    m = row(AT_FRIDAY, "tasks", "c")
    assert (m.pv, m.ev, m.ac, m.sv) == (0, 0, 0, 0)
    assert (m.spi, m.cpi, m.eac_cpi, m.etc, m.vac) == (None, None, None, None, None)
    assert (m.eac_plan, m.tcpi) == (800, 1)
    assert (m.es_days, m.sv_t_days, m.spi_t) == (9, 0, 1)


def test_an_unstarted_task_that_is_overdue_is_behind_by_the_days_it_should_have_run() -> None:
    # Status Wed 03-17: AT = 12; c should have started after period 10, so ES = 10.
    later = evm_at(date(2027, 3, 17))
    m = row(later, "tasks", "c")
    assert (later.at_days, m.pv, m.ev) == (12, 320, 0)
    assert (m.es_days, m.sv_t_days) == (10, -2)


def test_a_summary_deliverable_and_outcome_add_up_their_leaves_only() -> None:
    s = row(AT_FRIDAY, "tasks", "s")
    assert (s.bac, s.pv, s.ev, s.ac) == (1300, 400, 200, 300)  # b + c, not its own 1300 again
    d1, d2 = row(AT_FRIDAY, "deliverables", "d1"), row(AT_FRIDAY, "deliverables", "d2")
    assert (d1.bac, d2.bac) == (1000, 1300)  # b and c inherit d2 from their summary
    o = row(AT_FRIDAY, "outcomes", "o")
    assert (o.bac, o.pv, o.ev, o.ac) == (2300, 1400, 1200, 1700)
    assert o == AT_FRIDAY.project


def test_without_an_actual_cost_the_cost_is_taken_as_earned() -> None:
    plan = plan_at(date(2027, 3, 12))
    a, s = plan.tasks
    b, c = s.tasks
    unpriced = Plan(
        project=plan.project,
        tasks=(a, Task(s.id, s.name, tasks=(Task(b.id, b.name, actual_start=b.actual_start,
                                                  percent_complete=40), c))),
    )
    result = earned_value(unpriced, BASELINE, date(2027, 3, 12), no_holidays)
    assert row(result, "tasks", "b").ac == 200
    assert result.ac_assumed == ("b",)


def test_work_added_after_the_baseline_has_no_budget_but_its_cost_counts() -> None:
    plan = plan_at(date(2027, 3, 12))
    extra = Task("x", "Extra cabling", actual_start=date(2027, 3, 8), percent_complete=50,
                 actual_cost=90)
    grown = Plan(project=plan.project, tasks=(*plan.tasks, extra))
    result = earned_value(grown, BASELINE, date(2027, 3, 12), no_holidays)
    x = row(result, "tasks", "x")
    assert (x.bac, x.pv, x.ev, x.ac, x.es_days) == (0, 0, 0, 90, None)
    assert result.project.ac == 1790


def test_before_the_baseline_starts_nothing_is_planned_and_time_ratios_are_null() -> None:
    fresh = Plan(project=ProjectInfo("p", "P", START), tasks=(Task("a", "Survey"),))
    result = earned_value(fresh, BASELINE, START, no_holidays)
    m = result.project
    assert (result.at_days, m.pv, m.spi) == (0, 0, None)
    assert (m.es_days, m.spi_t, m.ieac_t_days) == (0, None, None)


def test_the_s_curve_ends_at_the_measured_values() -> None:
    curve = AT_FRIDAY.curve
    assert curve.pv[9] == pytest.approx(1400) and curve.pv[-1] == pytest.approx(2300)
    assert len(curve.ev) == 10  # after 0..9 periods: up to the status date
    assert (curve.ev[-1], curve.ac[-1]) == (pytest.approx(1200), pytest.approx(1700))
    # a ran 03-01..03-09 (7 periods): 1000 / 7 a day; b from 03-10: 200 over 2 periods.
    assert curve.ev[7] == pytest.approx(1000)
    assert curve.ac[1] == pytest.approx(200)


def test_a_flat_stretch_of_planned_value_reads_as_on_schedule_when_work_matches_it() -> None:
    pv = [0, 100, 100, 100, 200]
    assert earned_schedule(pv, 100, at=2) == 2  # anywhere in 1..3 matches: the nearest to AT
    assert earned_schedule(pv, 100, at=5) == 3
    assert earned_schedule(pv, 150, at=5) == pytest.approx(3.5)
    assert earned_schedule(pv, 250, at=9) == 4  # never beyond the planned duration


def test_division_by_zero_gives_null_not_infinity() -> None:
    m = measures(np.array([0.0, 0.0]), bac=0, ev=0, ac=0, at=1, at_es=1, pd=1)
    assert (m.spi, m.cpi, m.eac_cpi, m.eac_cpi_spi, m.tcpi, m.es_days) == (None,) * 6


# A published worked example: the weekly project data of S. Vandevoorde and M. Vanhoucke,
# "A comparison of different project duration forecasting methods using earned value
# metrics", International Journal of Project Management 24 (2006) 289-302, as tabulated in
# M. Vanhoucke, "Earned Value Management: Forecasting time", PM Knowledge Center
# (pmknowledgecenter.com). Cumulative PV and EV by week W1..W11 (planned duration 9 weeks,
# the project finished in week 11), and the ES the table gives for W1..W6, to 2 decimals.
PUBLISHED_PV = [5, 10, 25, 55, 85, 120, 130, 140, 150, 150, 150]
PUBLISHED_EV = [3.33, 6.67, 10.00, 22.50, 70.00, 82.50, 90.00, 120.00, 130.00, 140.00, 150.00]
PUBLISHED_ES = [0.67, 1.33, 2.00, 2.83, 4.50, 4.92]


def test_earned_schedule_reproduces_the_published_example() -> None:
    pv = [0, *PUBLISHED_PV[:9]]  # the baseline: 9 weeks
    for week, (ev, es) in enumerate(zip(PUBLISHED_EV, PUBLISHED_ES, strict=False), start=1):
        assert round(earned_schedule(pv, ev, at=week), 2) == es, f"W{week}"
    # The later weeks by the same formula: EV equals PV of weeks 6, 7, 8, then all of it.
    later = [earned_schedule(pv, ev, at=w) for w, ev in enumerate(PUBLISHED_EV, 1)][6:]
    assert later == pytest.approx([5 + 5 / 35, 6, 7, 8, 9])


def test_the_published_example_through_a_baseline_one_working_day_a_week() -> None:
    """The same numbers through earned_value: one task, each week one working day."""
    days = weekdays(START, START + timedelta(30))
    values = tuple(zip(days[:9], map(float, PUBLISHED_PV[:9]), strict=True))
    baseline = baseline_of(BaselineTask("w", days[0], days[8], 0.0, 150, values))
    for week, (ev, es) in enumerate(zip(PUBLISHED_EV, PUBLISHED_ES, strict=False), start=1):
        status = days[week]  # the start of the day after week `week`
        task = Task("w", "Work", actual_start=START, percent_complete=ev / 150 * 100)
        plan = Plan(project=ProjectInfo("p", "P", START), tasks=(task,))
        m = earned_value(plan, baseline, status, no_holidays).project
        assert (m.pv, round(m.ev, 2)) == (PUBLISHED_PV[week - 1], ev)
        assert round(m.es_days or 0, 2) == es
        assert m.spi_t == pytest.approx((m.es_days or 0) / week)
        assert m.ieac_t_days == pytest.approx(9 / (m.spi_t or 1))
