"""Calibration: an outcome's P50 and P80 dates are met in 50% and 80% of actual executions.

The "actuals" are drawn here, independently of the engine: 10,000 executions of a
13-task plan (Mon-Fri calendar, no holidays, no resources) with parallel and serial parts,
FS links with and without lag, an SS link with lag, triangular and PERT estimates, a
correlated group (a Gaussian copula written out here) and a risk event. Each execution's
durations are drawn with numpy (numpy's own beta for PERT, an inverse CDF for the
triangular), its finishes computed by forward pass over the precedence in working days,
and each outcome's finish turned into a date with numpy's business-day calendar.

Tolerance: the share of actuals at or before the engine's quantile has standard error
sqrt(p (1 - p) / 10,000) = 0.4% at p = 0.8 (0.5% at 0.5) from the actuals, and the
engine's quantile (20,000 futures) adds sqrt(p (1 - p) / 20,000) = 0.28% (0.35%): about
0.5% (0.6%) together, so +-2% is four standard errors or more.
The P-dates are rounded up to the day the finish falls in, so the share of actuals done by
the P80 date is at least 80% and the share done by the day before at most 80% (+-2%);
the raw percentiles, in working minutes, are held to 80% +- 2% exactly.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from ontrack.core.confidence import confidence
from ontrack.core.model import Correlation, Duration, Plan, Risk, RiskImpact
from ontrack.core.risk import RiskOptions, risk_model, simulate
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import parse_plan

START = date(2027, 3, 1)  # a Monday
ACTUALS = 10_000
FUTURES = 20_000
TOL = 0.02
DAY = 480.0

PLAN = """\
ontrack: 1
project: {id: cal, name: Calibration, start: 2027-03-01}
outcomes:
  - {id: built, statement: Both parts built and tested, target: 2027-04-09}
  - {id: trained, statement: Users trained, target: 2027-04-02}
  - {id: live, statement: Live, target: 2027-04-23}
tasks:
  - {id: req, name: Requirements, duration: 3d, estimate: {low: 2d, high: 6d}}
  - {id: design, name: Design, duration: 5d, estimate: {low: 4d, high: 9d, distribution: pert}, after: [req]}
  - {id: buy, name: Buy hardware, kind: procurement, duration: 10d, estimate: {low: 8d, high: 16d}, after: [req]}
  - {id: build-a, name: Build A, duration: 6d, estimate: {low: 5d, high: 10d}, after: [design]}
  - {id: build-b, name: Build B, duration: 4d, estimate: {low: 3d, high: 8d}, after: [design]}
  - {id: build-c, name: Build C, duration: 5d, estimate: {low: 4d, high: 8d}, after: [{task: build-a, type: SS, lag: 2d}]}
  - {id: install, name: Install, duration: 3d, estimate: {low: 2d, high: 5d}, after: [buy, build-a]}
  - {id: test-a, name: Test A and B, duration: 2d, estimate: {low: 1.5d, high: 4d}, after: [build-a, build-b], outcomes: [built]}
  - {id: test-b, name: Test C, duration: 3d, estimate: {low: 2d, high: 6d}, after: [build-c, {task: install, lag: 1d}], outcomes: [built]}
  - {id: docs, name: Write guides, duration: 4d, estimate: {low: 3d, high: 7d}, after: [design]}
  - {id: train, name: Train users, duration: 2d, estimate: {low: 2d, high: 4d}, after: [docs, test-a], outcomes: [trained]}
  - {id: migrate, name: Migrate, duration: 3d, estimate: {low: 2d, high: 7d, distribution: pert}, after: [test-b]}
  - {id: golive, name: Go live, duration: 1d, estimate: {low: 1d, high: 2d}, after: [migrate, train], outcomes: [live]}
"""  # noqa: E501
RHO = 0.5
GROUP = ("build-a", "build-b", "build-c")
RISK_P, RISK_LOW, RISK_HIGH = 0.3, 3.0, 6.0  # adds U(3, 6) days to `buy`


def the_plan() -> Plan:
    impact = RiskImpact("buy", Duration(RISK_LOW, "d"), Duration(RISK_HIGH, "d"))
    return replace(
        parse_plan(PLAN),
        risks=(Risk("vendor-late", "The vendor ships late", RISK_P, (impact,)),),
        correlations=(Correlation(GROUP, RHO, "Same team"),),
    )


def actual_finishes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """n executions of the plan, drawn from its estimates: each outcome's finish in
    working days from the start (forward pass, written out by hand)."""
    plan = the_plan()
    tasks = {t.id: t for t in plan.tasks}
    u = {t: rng.random(n) for t in tasks}
    phi = np.frompyfunc(lambda z: 0.5 * math.erfc(-z / math.sqrt(2)), 1, 1)
    common = rng.standard_normal(n)
    for t in GROUP:
        z = math.sqrt(RHO) * common + math.sqrt(1 - RHO) * rng.standard_normal(n)
        u[t] = phi(z).astype(np.float64)
    d: dict[str, np.ndarray] = {}
    for t in tasks.values():
        assert t.duration is not None and t.estimate is not None
        a, m, b = t.estimate.low.value, t.duration.value, t.estimate.high.value
        if t.estimate.distribution == "pert":
            alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
            if t.id in GROUP:
                raise AssertionError("the copula here is for triangular tasks only")
            d[t.id] = a + (b - a) * rng.beta(alpha, beta, n)
        else:
            cut = (m - a) / (b - a)
            x = u[t.id]
            d[t.id] = np.where(
                x < cut,
                a + np.sqrt(x * (b - a) * (m - a)),
                b - np.sqrt((1 - x) * (b - a) * (b - m)),
            )
    happens = rng.random(n) < RISK_P
    d["buy"] = d["buy"] + np.where(happens, rng.uniform(RISK_LOW, RISK_HIGH, n), 0.0)
    return forward(d)


def forward(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each outcome's finish, in working days from the start, given every duration."""
    s: dict[str, np.ndarray] = {}
    f: dict[str, np.ndarray] = {}

    def run(t: str, start: np.ndarray) -> None:
        s[t] = start
        f[t] = start + d[t]

    run("req", np.zeros_like(d["req"]))
    run("design", f["req"])
    run("buy", f["req"])
    run("build-a", f["design"])
    run("build-b", f["design"])
    run("build-c", s["build-a"] + 2)
    run("install", np.maximum(f["buy"], f["build-a"]))
    run("test-a", np.maximum(f["build-a"], f["build-b"]))
    run("test-b", np.maximum(f["build-c"], f["install"] + 1))
    run("docs", f["design"])
    run("train", np.maximum(f["docs"], f["test-a"]))
    run("migrate", f["test-b"])
    run("golive", np.maximum(f["migrate"], f["train"]))
    return {
        "built": np.maximum(f["test-a"], f["test-b"]),
        "trained": f["train"],
        "live": f["golive"],
    }


def dates_of(x: np.ndarray) -> np.ndarray:
    """The working day each finish (x working days from the start) falls on."""
    day = np.ceil(x - 1e-9).astype(np.int64) - 1
    return np.busday_offset(np.datetime64(START, "D"), day, roll="forward")


def d64(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


@pytest.fixture(scope="module")
def actuals() -> dict[str, np.ndarray]:
    return actual_finishes(np.random.default_rng(20270301), ACTUALS)


def test_the_actuals_follow_the_plans_logic() -> None:
    """Guard for the hand-written forward pass: at the most likely durations it gives the
    schedule's forecast of every outcome."""
    plan = the_plan()
    sched, model = risk_model(plan, ScheduleOptions(), RiskOptions())
    assert model.uncertain.size == 13 and len(model.risks) == 1
    likely = {t.id: np.array([t.duration.value]) for t in plan.tasks if t.duration}
    mine = {o: dates_of(x)[0] for o, x in forward(likely).items()}
    assert mine == {o.id: d64(o.forecast) for o in sched.outcomes if o.forecast}
    assert mine["built"] == d64(date(2027, 3, 29))  # 3 + 10 + 3 + lag 1 + 3 = 20 days


@pytest.mark.parametrize("seed", [0, 1])
def test_p50_and_p80_dates_are_met_as_often_as_they_say(
    actuals: dict[str, np.ndarray], seed: int
) -> None:
    plan = the_plan()
    result = confidence(plan, ScheduleOptions(), RiskOptions(iterations=FUTURES, seed=seed))
    _, model = risk_model(plan, ScheduleOptions(), RiskOptions())
    samples = simulate(model, FUTURES, seed)
    for o in result.outcomes:
        real = actuals[o.id]
        done_on = dates_of(real)
        for p, when in ((0.5, o.p50), (0.8, o.p80), (0.9, o.p90)):
            met = float(np.mean(done_on <= d64(when)))
            before = float(np.mean(done_on < d64(when)))
            assert met >= p - TOL and before <= p + TOL, (o.id, p, when, met, before)
        # The raw percentiles, in working minutes (no rounding to days): within +-2%.
        k = model.outcome_ids.index(o.id)
        for p in (0.5, 0.8, 0.9):
            q = float(np.percentile(samples.finishes[k], 100 * p)) / DAY
            assert float(np.mean(real <= q)) == pytest.approx(p, abs=TOL), (o.id, p)
        # And the chance of meeting the target is the share of actuals that meet it.
        assert o.target is not None and o.p_on_time is not None
        truth = float(np.mean(done_on <= d64(o.target)))
        assert o.p_on_time == pytest.approx(truth, abs=TOL), o.id


def test_the_calibration_test_can_fail() -> None:
    """The same check against a plan whose estimates are too narrow (all at the most
    likely value): its P80 dates are met far less than 80% of the time."""
    plan = the_plan()
    tasks = tuple(replace(t, estimate=None) for t in plan.tasks)
    narrow = replace(plan, tasks=tasks, risks=(), correlations=())
    real = actual_finishes(np.random.default_rng(1), 2_000)
    options = RiskOptions(iterations=2_000, default_estimates=False)
    result = confidence(narrow, ScheduleOptions(), options)
    shares = [float(np.mean(dates_of(real[o.id]) <= d64(o.p80))) for o in result.outcomes]
    assert max(shares) < 0.5
