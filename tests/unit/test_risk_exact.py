"""The Monte Carlo engine (core/risk.py, core/confidence.py) against exact answers.

Every plan here runs on a 7-day calendar of 8-hour days from Mon 2027-03-01, so working
days are calendar days: a finish x working days after the start (x > 0) falls on day
ceil(x) - 1, i.e. on START + ceil(x) - 1. The exact answers are computed here with numpy
and math (closed forms, a numerical convolution, Gauss-Hermite quadrature).

Tolerances are Monte Carlo standard errors at the iterations used (N = 20,000 unless a
test says otherwise), taken at four (sometimes five) standard errors: the seeds are fixed,
so the tests are deterministic, and any seed would pass them with probability above
0.9999 each.
- a probability p estimated from N futures: SE = sqrt(p (1 - p) / N) (at most 0.0035);
- a whole empirical CDF: the Dvoretzky-Kiefer-Wolfowitz bound P(sup |F_N - F| > e) <=
  2 exp(-2 N e^2), so e = 0.015 fails with probability 2.5e-4 at N = 20,000;
- a p-quantile: SE = sqrt(p (1 - p) / N) / f(q), f the density at the quantile; each
  P-date test first checks that the exact quantile +- 4 SE stays inside one day (so the
  day is decided by the distribution, not by the noise), then that the engine's date is
  that day;
- a mean: SE = sd / sqrt(N); a variance: SE ~ var sqrt((kurtosis - 1) / N).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from ontrack.core import risk
from ontrack.core.confidence import Confidence, OutcomeConfidence, confidence
from ontrack.core.model import Correlation, Duration, Plan, Risk, RiskImpact
from ontrack.core.risk import Model, Overrides, RiskOptions, risk_model, simulate
from ontrack.core.schedule import ScheduleOptions
from ontrack.planfile import parse_plan

START = date(2027, 3, 1)
N = 20_000
DAY = 480.0  # working minutes of a day of the 7-day, 8-hour calendar
DKW = 0.015  # see the module docstring: sup |F_N - F| at N = 20,000, P(fail) = 2.5e-4
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CERTAIN = RiskOptions(iterations=N, default_estimates=False)

HEAD = """\
ontrack: 1
project: {id: p, name: P, start: 2027-03-01, calendar: all}
calendars:
  all: {workdays: [mon, tue, wed, thu, fri, sat, sun], hours_per_day: 8}
"""


def plan_of(body: str) -> Plan:
    return parse_plan(HEAD + body)


def day(x: float) -> date:
    """The date a finish x working days after the start falls on."""
    return START + timedelta(days=math.ceil(x) - 1)


def by_id(c: Confidence) -> dict[str, OutcomeConfidence]:
    return {o.id: o for o in c.outcomes}


def finishes_of(plan: Plan, options: RiskOptions = CERTAIN, **kw: object) -> dict[str, np.ndarray]:
    """Each outcome's finish in every future, in working days."""
    _, model = risk_model(plan, ScheduleOptions(), options)
    s = simulate(model, options.iterations, options.seed, **kw)  # type: ignore[arg-type]
    return {oid: s.finishes[k] / DAY for k, oid in enumerate(model.outcome_ids)}


# --- exact distributions ----------------------------------------------------------------


def tri_cdf(x: np.ndarray | float, a: float, m: float, b: float) -> np.ndarray:
    x = np.clip(np.asarray(x, np.float64), a, b)
    left = (x - a) ** 2 / ((b - a) * (m - a)) if m > a else np.ones_like(x)
    right = 1 - (b - x) ** 2 / ((b - a) * (b - m)) if b > m else np.ones_like(x)
    return np.where(x <= m, left, right)


def tri_pdf(x: np.ndarray, a: float, m: float, b: float) -> np.ndarray:
    up = np.where((x >= a) & (x < m), 2 * (x - a) / ((b - a) * (m - a)), 0.0)
    down = np.where((x >= m) & (x <= b), 2 * (b - x) / ((b - a) * (b - m)), 0.0)
    return up + down


def tri_var(a: float, m: float, b: float) -> float:
    return (a * a + m * m + b * b - a * m - a * b - m * b) / 18


def quantile(cdf: Callable[[float], float], p: float, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def assert_p_date(
    got: date, cdf: Callable[[float], float], p: float, lo: float, hi: float, n: int = N
) -> None:
    """The engine's P-date is the day of the exact quantile (see the module docstring)."""
    q = quantile(cdf, p, lo, hi)
    h = 1e-4
    density = (cdf(q + h) - cdf(q - h)) / (2 * h)
    se = math.sqrt(p * (1 - p) / n) / density
    assert day(q - 4 * se) == day(q + 4 * se), f"test design: P{p * 100:.0f} too near a day end"
    assert got == day(q), (p, q, got)


def assert_cdf(samples: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray]) -> None:
    """The empirical CDF is within the DKW bound of the exact one everywhere."""
    x = np.sort(samples)
    n = x.size
    above = np.arange(1, n + 1) / n - cdf(x)
    below = cdf(x - 1e-9) - np.arange(0, n) / n  # F(x-): a distribution may have atoms
    assert max(above.max(), below.max()) < DKW


def prob_tol(p: float, n: int = N) -> float:
    return 4 * math.sqrt(max(p * (1 - p), 1e-4) / n)


# --- (a) one triangular task ------------------------------------------------------------

# A 4-hour kickoff first, so that the quantiles of 0.5 + T(4, 5, 9) (6.34, 7.5, 8.09
# days) sit well inside their days (T's own P80 is exactly 7.0, a day's end).
ONE = """\
outcomes:
  - {id: o, statement: O, target: 2027-03-07}
tasks:
  - {id: kick, name: Kickoff, duration: 4h}
  - id: a
    name: A
    duration: 5d
    estimate: {low: 4d, high: 9d, distribution: triangular}
    after: [kick]
    outcomes: [o]
"""


def test_one_triangular_task_gives_the_exact_quantiles_and_chance() -> None:
    plan = plan_of(ONE)
    o = by_id(confidence(plan, ScheduleOptions(), CERTAIN))["o"]

    def cdf(x: float) -> float:
        return float(tri_cdf(x - 0.5, 4, 5, 9))

    assert o.forecast == date(2027, 3, 6)  # 0.5 + 5 days: ends on day 5
    for p, got in ((0.5, o.p50), (0.8, o.p80), (0.9, o.p90)):
        assert_p_date(got, cdf, p, 0, 20)
    assert (o.p50, o.p80, o.p90) == (date(2027, 3, 7), date(2027, 3, 8), date(2027, 3, 9))
    # On time: finished by the end of 03-07 (day 6), so T <= 6.5: F = 1 - 2.5^2 / 20.
    exact = 1 - 2.5**2 / 20
    assert o.p_on_time == pytest.approx(exact, abs=prob_tol(exact))
    # The whole distribution, not only three points; and the raw percentiles in minutes.
    f = finishes_of(plan)["o"]
    assert_cdf(f, lambda x: tri_cdf(x - 0.5, 4, 5, 9))
    assert f.min() >= 4.5 and f.max() <= 9.5


def test_the_s_curve_is_the_exact_cdf_at_each_days_end() -> None:
    o = by_id(confidence(plan_of(ONE), ScheduleOptions(), CERTAIN))["o"]
    for when, share in o.curve:
        end = (when - START).days + 1  # working days to the end of that day
        exact = float(tri_cdf(end - 0.5, 4, 5, 9))
        assert share == pytest.approx(exact, abs=prob_tol(exact))


# --- (b) two in parallel: the merge bias -------------------------------------------------


def test_two_tasks_in_parallel_multiply_their_chances() -> None:
    plan = plan_of("""\
outcomes:
  - {id: oa, statement: A alone, target: 2027-03-07}
  - {id: ob, statement: B alone, target: 2027-03-07}
  - {id: both, statement: Both, target: 2027-03-07}
tasks:
  - {id: kick, name: Kickoff, duration: 4h}
  - {id: a, name: A, duration: 5d, estimate: {low: 4d, high: 9d}, after: [kick], outcomes: [oa, both]}
  - {id: b, name: B, duration: 5d, estimate: {low: 4d, high: 9d}, after: [kick], outcomes: [ob, both]}
""")  # noqa: E501
    c = by_id(confidence(plan, ScheduleOptions(), CERTAIN))
    single = 1 - 2.5**2 / 20
    for oid in ("oa", "ob"):
        assert c[oid].p_on_time == pytest.approx(single, abs=prob_tol(single))
    assert c["both"].p_on_time == pytest.approx(single**2, abs=prob_tol(single**2))

    def cdf(x: float) -> float:
        return float(tri_cdf(x - 0.5, 4, 5, 9)) ** 2

    assert_p_date(c["both"].p50, cdf, 0.5, 0, 20)
    # Merge bias: each path alone is done by 03-07 half the time, both together by 03-08.
    assert c["oa"].p50 == c["ob"].p50 == date(2027, 3, 7)
    assert c["both"].p50 == date(2027, 3, 8) > c["oa"].p50
    assert c["both"].forecast == c["oa"].forecast  # the schedule cannot see it
    assert_cdf(finishes_of(plan)["both"], lambda x: tri_cdf(x - 0.5, 4, 5, 9) ** 2)


# --- (c) two in series: the convolution ---------------------------------------------------

STEP = 2e-3
GRID = np.arange(0.0, 16.0, STEP)


@functools.cache
def series_cdf() -> Callable[[np.ndarray], np.ndarray]:
    """CDF of 0.5 + T(4, 5, 9) + T(1, 2, 6): the two densities convolved on a 0.002-day
    grid (midpoint rule: the error is O(STEP^2), far below the Monte Carlo error)."""
    mid = GRID + STEP / 2
    dens = np.convolve(tri_pdf(mid, 4, 5, 9), tri_pdf(mid, 1, 2, 6))[: GRID.size] * STEP
    cum = np.concatenate([[0.0], np.cumsum(dens) * STEP])
    # dens[k] is the density at (k + 1) STEP (a sum of two midpoints), over a cell of
    # width STEP around it: cum[i] is the CDF at (i + 0.5) STEP.
    xs = (np.arange(GRID.size + 1) + 0.5) * STEP

    def cdf(x: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(x, np.float64) - 0.5, xs, cum)

    return cdf


def test_the_convolution_of_the_grid_is_exact_enough() -> None:
    cdf = series_cdf()
    assert float(cdf(np.array(16.0))) == pytest.approx(1.0, abs=1e-6)
    # Mean of the sum: 0.5 + 6 + 3 = 9.5 working days.
    xs = np.linspace(0, 16, 160_001)
    mean = 16 - np.trapezoid(cdf(xs), xs)
    assert mean == pytest.approx(9.5, abs=1e-4)


def test_two_tasks_in_series_follow_the_convolution() -> None:
    plan = plan_of("""\
outcomes:
  - {id: o, statement: O, target: 2027-03-10}
tasks:
  - {id: kick, name: Kickoff, duration: 4h}
  - {id: a, name: A, duration: 5d, estimate: {low: 4d, high: 9d}, after: [kick], outcomes: [o]}
  - {id: b, name: B, duration: 2d, estimate: {low: 1d, high: 6d}, after: [a], outcomes: [o]}
""")
    cdf = series_cdf()
    f = finishes_of(plan)["o"]
    for x in (7.0, 8.0, 9.0, 9.5, 10.0, 11.0, 12.0, 13.0):
        exact = float(cdf(np.array(x)))
        assert np.mean(f <= x) == pytest.approx(exact, abs=prob_tol(exact)), x
    assert_cdf(f, cdf)
    o = by_id(confidence(plan, ScheduleOptions(), CERTAIN))["o"]
    exact = float(cdf(np.array(10.0)))  # target 03-10: day 9 ends at 10 working days
    assert o.p_on_time == pytest.approx(exact, abs=prob_tol(exact))
    for p, got in ((0.5, o.p50), (0.8, o.p80), (0.9, o.p90)):
        assert_p_date(got, lambda x: float(cdf(np.array(x))), p, 0, 20)


# --- (d) a risk event ---------------------------------------------------------------------

FIXED = """\
outcomes:
  - {id: o, statement: O, target: 2027-03-06}
tasks:
  - {id: a, name: A, duration: 5d, outcomes: [o]}
"""


def with_risk(plan: Plan, p: float, low: float, high: float | None = None) -> Plan:
    impact = RiskImpact("a", Duration(low, "d"), None if high is None else Duration(high, "d"))
    return replace(plan, risks=(Risk("r", "Late", p, (impact,)),))


def test_a_risk_event_splits_the_futures_between_two_dates() -> None:
    plan = with_risk(plan_of(FIXED), 0.3, 3)
    o = by_id(confidence(plan, ScheduleOptions(), CERTAIN))["o"]
    # 5 days (03-05) in 70% of futures, 8 days (03-08) in 30%; target 03-06 between.
    assert o.forecast == date(2027, 3, 5)
    assert o.p_on_time == pytest.approx(0.7, abs=prob_tol(0.7))
    assert (o.p50, o.p80, o.p90) == (date(2027, 3, 5), date(2027, 3, 8), date(2027, 3, 8))
    f = finishes_of(plan)["o"]
    assert set(np.round(f, 9).tolist()) == {5.0, 8.0}
    (risk_input,) = (i for i in o.influences if i.kind == "risk")
    assert risk_input.swing_days == pytest.approx(3.0)  # happens minus does not: exactly 3
    (action,) = o.actions
    assert (action.kind, action.subject, action.p_on_time) == ("mitigate", "r", 1.0)


def test_a_risk_with_a_range_adds_a_uniform_delay() -> None:
    f = finishes_of(with_risk(plan_of(FIXED), 0.3, 2, 4))["o"]

    def cdf(x: np.ndarray) -> np.ndarray:
        return np.where(x < 5, 0.0, 0.7) + 0.3 * np.clip((x - 7) / 2, 0, 1)

    assert_cdf(f, cdf)


# --- (e) PERT ------------------------------------------------------------------------------


def test_pert_has_the_mean_and_variance_of_its_beta() -> None:
    plan = plan_of("""\
outcomes:
  - {id: o, statement: O}
tasks:
  - {id: a, name: A, duration: 5d, estimate: {low: 4d, high: 9d, distribution: pert}, outcomes: [o]}
""")
    f = finishes_of(plan)["o"]
    a, m, b = 4.0, 5.0, 9.0
    mean = (a + 4 * m + b) / 6  # 5.5
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)  # 1.8, 4.2
    var = (b - a) ** 2 * alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))  # 0.75
    # SE of the mean sqrt(0.75 / N) = 0.0061 days; of the variance about 0.9% of it.
    assert f.mean() == pytest.approx(mean, abs=4 * math.sqrt(var / N))
    assert f.var() == pytest.approx(var, rel=0.04)
    assert f.min() >= a and f.max() <= b
    # The whole distribution: the beta's CDF integrated numerically on a fine grid.
    u = np.linspace(0, 1, 200_001)
    pdf = u ** (alpha - 1) * (1 - u) ** (beta - 1)
    cum = np.concatenate([[0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)])
    cum /= cum[-1]
    assert_cdf(f, lambda x: np.interp((x - a) / (b - a), u, cum))


def test_pert_is_narrower_than_triangular_on_the_same_range() -> None:
    text = FIXED.replace(
        "duration: 5d,", "duration: 5d, estimate: {low: 4d, high: 9d, distribution: %s},"
    )
    tri = finishes_of(plan_of(text % "triangular"))["o"]
    pert = finishes_of(plan_of(text % "pert"))["o"]
    assert tri.mean() == pytest.approx(6.0, abs=4 * math.sqrt(tri_var(4, 5, 9) / N))
    assert pert.var() < tri.var()


# --- (f) the most likely futures reproduce the schedule ------------------------------------


def without_uncertainty(model: Model) -> Model:
    none, empty = np.zeros(0, np.int64), np.zeros(0)
    return replace(
        model, uncertain=none, low=empty, high=empty, pert=np.zeros(0, bool), group=none,
        slipping=none, risks=[],
    )  # fmt: skip


def strip_estimates(plan: Plan) -> Plan:
    def strip(tasks: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(replace(t, estimate=None, tasks=strip(t.tasks)) for t in tasks)

    return replace(plan, tasks=strip(plan.tasks), risks=(), correlations=())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_futures_at_the_most_likely_values_reproduce_the_schedule(path: Path) -> None:
    plan = parse_plan(path.read_text())
    sched, model = risk_model(plan, ScheduleOptions(), RiskOptions())
    assert model.uncertain.size > 0 and model.outcome_ids
    forecast = {o.id: o.forecast for o in sched.outcomes}
    s = simulate(without_uncertainty(model), 4, 0)
    assert np.all(s.finishes == s.finishes[:, :1])
    for k, oid in enumerate(model.outcome_ids):
        assert model.date_of(s.finishes[k, :1]) == [forecast[oid]], oid
    # The same from the plan: no estimates, no risks, no default spread or slips.
    sched, model = risk_model(strip_estimates(plan), ScheduleOptions(), CERTAIN)
    assert model.uncertain.size == model.slipping.size == len(model.risks) == 0
    assert {o.id: o.forecast for o in sched.outcomes} == forecast
    s = simulate(model, 4, 0)
    for k, oid in enumerate(model.outcome_ids):
        assert model.date_of(s.finishes[k]) == [forecast[oid]] * 4, oid


# --- (g) determinism and chunks -------------------------------------------------------------


def example_model() -> Model:
    return risk_model(parse_plan((EXAMPLES / "plant-wifi.yaml").read_text()), ScheduleOptions(),
                      RiskOptions())[1]  # fmt: skip


def test_same_seed_same_futures_other_seed_other_futures() -> None:
    model = example_model()
    one, two = simulate(model, 3_000, 5), simulate(model, 3_000, 5)
    assert np.array_equal(one.finishes, two.finishes)
    assert np.array_equal(one.critical, two.critical)
    assert np.array_equal(one.moments, two.moments)
    other = simulate(model, 3_000, 6)
    assert not np.array_equal(one.finishes, other.finishes)


def test_chunks_in_threads_give_the_same_figures_as_one_after_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(risk, "CHUNK_CELLS", 64 * 66)  # plant-wifi: 66 nodes, 64 futures a chunk
    model = example_model()
    alone, threaded = simulate(model, 3_000, 5), simulate(model, 3_000, 5, workers=2)
    assert np.array_equal(alone.finishes, threaded.finishes)
    assert np.array_equal(alone.critical, threaded.critical)
    assert np.array_equal(alone.moments, threaded.moments)  # summed in chunk order


def test_the_chunk_size_changes_the_futures_not_the_percentiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = example_model()
    n = 10_000
    big = simulate(model, n, 3).finishes  # one chunk (10k futures x 66 nodes < 2M cells)
    monkeypatch.setattr(risk, "CHUNK_CELLS", model.size * 64)  # 157 chunks of 64 futures
    small = simulate(model, n, 3).finishes
    # Chunks seed the generator with (seed, chunk): other chunks, other futures, by design.
    assert not np.array_equal(big, small)
    # Two independent samples of one distribution: the big run's p-quantile has, in the
    # small run, a share p of futures at or below it, +- 4 SE of a difference of two
    # proportions, sqrt(2 p (1 - p) / n) (two-sided at atoms: share below < p < share at).
    for o in range(len(model.outcome_ids)):
        for p in (0.1, 0.5, 0.8, 0.9):
            q = np.percentile(big[o], 100 * p)
            tol = 4 * math.sqrt(2 * p * (1 - p) / n)
            assert np.mean(small[o] < q) <= p + tol and np.mean(small[o] <= q) >= p - tol


# --- (h) links and lags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "finish"),
    [
        ("{task: a, type: FS, lag: 2d}", 10),  # starts 2 days after A's finish
        ("{task: a, type: FS, lag: -2d}", 6),  # a lead
        ("{task: a, type: FS, lag: 2ed}", 10),  # elapsed days = working days here
        ("{task: a, type: SS, lag: 2d}", 5),
        ("{task: a, type: FF, lag: 2d}", 7),
        ("{task: a, type: SF, lag: 2d}", 2),
    ],
)
def test_links_and_lags_move_the_successor_by_the_exact_amount(link: str, finish: int) -> None:
    """Z (2d) -> A (5d) -> B (3d) by the link; a risk on Z that adds a day, on (p = 1)
    and off (overridden to 0): B ends `finish` days after Z ends, in both futures."""
    plan = plan_of(f"""\
outcomes:
  - {{id: o, statement: O}}
tasks:
  - {{id: z, name: Z, duration: 2d}}
  - {{id: a, name: A, duration: 5d, after: [z]}}
  - {{id: b, name: B, duration: 3d, after: [{link}], outcomes: [o]}}
""")
    plan = replace(plan, risks=(Risk("r", "Z slips", 1.0, (RiskImpact("z", Duration(1, "d")),)),))
    sched, model = risk_model(plan, ScheduleOptions(), CERTAIN)
    assert sched.outcomes[0].forecast == day(2 + finish)
    late = simulate(model, 100, 0).finishes[0] / DAY
    base = simulate(model, 100, 0, Overrides(probability={0: 0.0})).finishes[0] / DAY
    assert np.allclose(base, 2 + finish) and np.allclose(late, 3 + finish)


def test_a_summary_link_waits_for_the_last_child() -> None:
    plan = plan_of("""\
outcomes:
  - {id: o, statement: O}
tasks:
  - id: s
    name: S
    tasks:
      - {id: a, name: A, duration: 2d, estimate: {low: 1d, high: 6d}}
      - {id: b, name: B, duration: 3d, estimate: {low: 2d, high: 4d}}
  - {id: c, name: C, duration: 1d, after: [s], outcomes: [o]}
""")
    f = finishes_of(plan)["o"]
    assert_cdf(f, lambda x: tri_cdf(x - 1, 1, 2, 6) * tri_cdf(x - 1, 2, 3, 4))


# --- (i) correlation ---------------------------------------------------------------------------


def copula_correlation(r: float, a: float, m: float, b: float) -> float:
    """Pearson correlation of two T(a, m, b) joined by a Gaussian copula of coefficient r:
    E[g(Z1) g(Z2)] by Gauss-Hermite quadrature (Z2 = r Z1 + sqrt(1 - r^2) W)."""
    z, w = np.polynomial.hermite_e.hermegauss(160)
    w = w / w.sum()
    z1, z2 = z[:, None], r * z[:, None] + math.sqrt(1 - r * r) * z[None, :]

    def g(x: np.ndarray) -> np.ndarray:
        u = 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))
        cut = (m - a) / (b - a)
        return np.where(
            u < cut, a + np.sqrt(u * (b - a) * (m - a)), b - np.sqrt((1 - u) * (b - a) * (b - m))
        )

    mean = (a + m + b) / 3
    cov = float(np.sum(w[:, None] * w[None, :] * (g(z1) - mean) * (g(z2) - mean)))
    return cov / tri_var(a, m, b)


PAIR = """\
outcomes:
  - {id: oa, statement: A}
  - {id: ob, statement: B}
  - {id: o, statement: Series}
tasks:
  - {id: a, name: A, duration: 5d, estimate: {low: 4d, high: 9d}, outcomes: [oa, o]}
  - {id: b, name: B, duration: 5d, estimate: {low: 4d, high: 9d}, outcomes: [ob]}
  - {id: c, name: C, duration: 5d, estimate: {low: 4d, high: 9d}, after: [a], outcomes: [o]}
"""


@pytest.mark.parametrize("r", [0.3, 0.8])
def test_correlated_durations_correlate_and_widen_the_sum(r: float) -> None:
    plain = plan_of(PAIR)
    tied = replace(plain, correlations=(Correlation(("a", "b", "c"), r),))
    free, joined = finishes_of(plain), finishes_of(tied)
    var = tri_var(4, 5, 9)
    rho = copula_correlation(r, 4, 5, 9)  # 0.29 at r = 0.3, 0.79 at r = 0.8
    # A and B start at 0, so their finishes are their durations. SE of a sample
    # correlation: (1 - rho^2) / sqrt(N) < 0.0071.
    assert np.corrcoef(free["oa"], free["ob"])[0, 1] == pytest.approx(0.0, abs=0.03)
    assert np.corrcoef(joined["oa"], joined["ob"])[0, 1] == pytest.approx(rho, abs=0.03)
    # Each duration keeps its own distribution: the copula changes the joint law only.
    assert_cdf(joined["ob"], lambda x: tri_cdf(x, 4, 5, 9))
    # A then C: Var(A + C) = 2 var (1 + rho); sample variance within 4% (SE about 1%).
    assert free["o"].var() == pytest.approx(2 * var, rel=0.04)
    assert joined["o"].var() == pytest.approx(2 * var * (1 + rho), rel=0.04)
    assert joined["o"].var() > free["o"].var()


# --- (j) progress --------------------------------------------------------------------------------

PROGRESS = """\
ontrack: 1
project: {id: p, name: P, start: 2027-03-01, calendar: all, status_date: 2027-03-10}
calendars:
  all: {workdays: [mon, tue, wed, thu, fri, sat, sun], hours_per_day: 8}
outcomes:
  - {id: od, statement: Done work}
  - {id: o, statement: The rest, target: 2027-03-15}
tasks:
  - id: d
    name: Done, with an estimate it no longer needs
    duration: 5d
    estimate: {low: 4d, high: 9d}
    actual_start: 2027-03-01
    actual_finish: 2027-03-06
    outcomes: [od, o]
  - id: w
    name: In progress, 40% of 5 days done by the status date
    duration: 5d
    estimate: {low: 4d, high: 9d}
    actual_start: 2027-03-07
    percent_complete: 40
    after: [d]
    outcomes: [o]
  - {id: n, name: Not started, duration: 2d, after: [w], outcomes: [o]}
"""


def test_done_work_never_moves_and_remaining_work_varies() -> None:
    plan = parse_plan(PROGRESS)
    f = finishes_of(plan)
    assert np.all(f["od"] == 6.0)  # the end of 03-06, in every future
    spread = finishes_of(plan, RiskOptions(iterations=1_000))  # default spreads on
    assert np.all(spread["od"] == 6.0) and spread["o"].std() > 0
    # W's remaining 3 days from the status date (day 9), scaled by its estimate's shares
    # T(0.8, 1, 1.8), then N's 2 days: 9 + 3 T + 2.
    assert_cdf(f["o"], lambda x: tri_cdf((x - 11) / 3, 0.8, 1.0, 1.8))
    assert f["o"].min() >= 11 + 2.4 and f["o"].max() <= 11 + 5.4
    o = by_id(confidence(plan, ScheduleOptions(), CERTAIN))["o"]
    exact = float(tri_cdf(4 / 3, 0.8, 1.0, 1.8))  # target 03-15 ends at 15: 3 T <= 4
    assert o.p_on_time == pytest.approx(exact, abs=prob_tol(exact))
    _, model = risk_model(plan, ScheduleOptions(), RiskOptions())
    assert [model.ids[i] for i in model.uncertain] == ["w", "n"]  # d is done: not sampled


# --- floors: the project start, the status date and not_before hold in every future ------


def test_an_ff_successor_longer_than_its_link_allows_still_starts_at_the_project_start() -> None:
    """A (5d) FF-> B (3d, T(2, 3, 9)): B cannot start before the project, so it ends at
    max(5, B) days."""
    plan = plan_of("""\
outcomes:
  - {id: o, statement: O, target: 2027-03-05}
tasks:
  - {id: a, name: A, duration: 5d}
  - {id: b, name: B, duration: 3d, estimate: {low: 2d, high: 9d}, after: [{task: a, type: FF}], outcomes: [o]}
""")  # noqa: E501
    o = by_id(confidence(plan, ScheduleOptions(), CERTAIN))["o"]
    exact = float(tri_cdf(5, 2, 3, 9))  # 1 - 16/42 = 0.619
    assert o.p_on_time == pytest.approx(exact, abs=prob_tol(exact))
    assert o.p80 == date(2027, 3, 7)  # 9 - sqrt(8.4) = 6.10 days


def test_a_lead_never_starts_work_before_the_project() -> None:
    """A (T(4, 5, 9)) FS -5d-> B (3d): B starts at max(0, A - 5), never before the
    project, though A runs short in 20% of futures."""
    plan = plan_of("""\
outcomes:
  - {id: o, statement: O}
tasks:
  - {id: a, name: A, duration: 5d, estimate: {low: 4d, high: 9d}}
  - {id: b, name: B, duration: 3d, after: [{task: a, type: FS, lag: -5d}], outcomes: [o]}
""")
    assert finishes_of(plan)["o"].min() >= 3.0
