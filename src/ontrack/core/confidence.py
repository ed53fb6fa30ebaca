"""What the futures say about each outcome: its P50/P80/P90 dates and chance of meeting
its target, what drives the uncertainty, and which actions would most raise the chance.

The status of an outcome judged by its chance (docs/risk.md): `on_track` when it meets its
target in at least ON_TRACK of the futures, `late` when in less than LATE of them,
`at_risk` in between; an outcome whose work is all done keeps `done`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np

from ontrack.core.model import Plan
from ontrack.core.results import OutcomeStatus
from ontrack.core.risk import Model, Overrides, RiskOptions, Samples, risk_model, simulate
from ontrack.core.schedule import ScheduleOptions

ON_TRACK = 0.8
LATE = 0.5
WHAT_IF_FUTURES = 2_000  # futures per what-if: common random numbers keep it steady
CANDIDATE_TASKS = 5  # per outcome, the most influential tasks tried as what-ifs
TOP_ACTIONS = 3
MIN_GAIN = 0.01  # an action that raises the chance by less than a point is not worth a line
PERCENTILES = (50, 80, 90)
_TEN_TO_NINETY = 2 * 1.2816  # standard deviations between a normal's 10th and 90th percentile


@dataclass(frozen=True)
class Influence:
    """An input's pull on an outcome's date: `correlation` of its sampled value (a task's
    duration, a milestone's slip, a risk event happening) with the outcome's finish;
    `swing_days`, how much later the outcome's expected finish is with the input at its
    90th percentile than at its 10th, by the linear fit over the futures (for a risk
    event: with the event than without it), in working days."""

    input: str
    kind: Literal["task", "milestone", "risk"]
    correlation: float
    swing_days: float


@dataclass(frozen=True)
class Action:
    """A change tried by simulating again: how much it raises the chance of meeting the
    target."""

    kind: Literal["mitigate", "protect"]
    subject: str  # the risk's or the task's id
    gain: float  # in chance of meeting the target (0-1)
    p_on_time: float  # the chance with the action


@dataclass(frozen=True)
class OutcomeConfidence:
    id: str
    statement: str
    target: date | None
    forecast: date | None  # the schedule's date (every duration at its most likely)
    p50: date
    p80: date
    p90: date
    p_on_time: float | None
    status: OutcomeStatus
    convergence_days: float
    """How far P80 moved over the last tenth of the futures, in working days."""
    criticality: tuple[tuple[str, float], ...]  # task, share of futures it drove this
    influences: tuple[Influence, ...]  # the tornado, strongest first
    actions: tuple[Action, ...]  # what would most raise the chance, best first
    curve: tuple[tuple[date, float], ...]  # S-curve: day, share of futures done by it


@dataclass(frozen=True)
class Confidence:
    iterations: int
    seed: int
    outcomes: tuple[OutcomeConfidence, ...]


def confidence(plan: Plan, schedule_options: ScheduleOptions, options: RiskOptions) -> Confidence:
    sched, model = risk_model(plan, schedule_options, options)
    samples = simulate(model, options.iterations, options.seed, workers=options.workers)
    statements = {o.id: o for o in sched.outcomes}
    found = []
    for o, oid in enumerate(model.outcome_ids):
        result = statements[oid]
        found.append(_outcome(model, samples, o, result.statement, result.forecast, options))
    done = [
        o for o in sched.outcomes if o.status == "done"
    ]  # nothing left to chance: certain, at the day it was done
    found += [_done(o.id, o.statement, o.target, o.forecast) for o in done if o.forecast]
    order = {o.id: k for k, o in enumerate(sched.outcomes)}
    found.sort(key=lambda c: order[c.id])
    return Confidence(options.iterations, options.seed, tuple(found))


def status_of(p_on_time: float | None) -> OutcomeStatus:
    if p_on_time is None:
        return "on_track"
    if p_on_time >= ON_TRACK:
        return "on_track"
    return "late" if p_on_time < LATE else "at_risk"


def _outcome(
    model: Model,
    samples: Samples,
    o: int,
    statement: str,
    forecast: date | None,
    options: RiskOptions,
) -> OutcomeConfidence:
    f = samples.finishes[o]
    p50, p80, p90 = model.date_of(np.percentile(f, PERCENTILES))
    target = model.targets[o]
    on_time = None if target is None else float(np.mean(f <= target))
    tail = max(1, f.size * 9 // 10)
    moved = abs(float(np.percentile(f, 80)) - float(np.percentile(f[:tail], 80)))
    counts = samples.critical[o]
    # Tasks that drive in the futures: not summaries (their children do), not the
    # program's milestones, not fixed work that nothing can move (done, pinned and sure).
    settled = _summaries(model) | set(np.flatnonzero(model.fixed).tolist())
    settled -= set(model.uncertain.tolist())
    shares = [
        (model.ids[i], float(counts[i]) / f.size)
        for i in np.argsort(-counts, kind="stable").tolist()
        if counts[i] > 0 and model.kinds[i] != "milestone" and i not in settled
    ]
    influences = _influences(model, samples, o)
    actions = (
        _actions(model, options, o, influences, target)
        if target is not None and on_time is not None and on_time < 1.0
        else ()
    )
    outcome_id = model.outcome_ids[o]
    return OutcomeConfidence(
        id=outcome_id,
        statement=statement,
        target=_target_date(model, target),
        forecast=forecast,
        p50=p50,
        p80=p80,
        p90=p90,
        p_on_time=on_time,
        status=status_of(on_time),
        convergence_days=round(moved / model.minutes_per_day, 2),
        criticality=tuple((i, round(s, 4)) for i, s in shares),
        influences=influences,
        actions=actions,
        curve=_curve(model, f),
    )


def _done(oid: str, statement: str, target: date | None, day: date) -> OutcomeConfidence:
    return OutcomeConfidence(
        oid, statement, target, day, day, day, day, None if target is None else 1.0,
        "done", 0.0, (), (), (), ((day, 1.0),),
    )  # fmt: skip


def _summaries(model: Model) -> set[int]:
    return {int(s) for level in model.levels for s in level[3].tolist()}


def _target_date(model: Model, target: float | None) -> date | None:
    return None if target is None else model.date_of(np.array([target]))[0]


def _influences(model: Model, samples: Samples, o: int) -> tuple[Influence, ...]:
    n, sx, sxx, sf, sff, sxf = (samples.moments[:, o, k] for k in range(6))
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sxf / n - (sx / n) * (sf / n)
        var_x = sxx / n - (sx / n) ** 2
        var_f = sff / n - (sf / n) ** 2
        usable = (var_x > 1e-12) & (var_f > 1e-12)
        corr = np.where(usable, cov / np.sqrt(var_x * var_f), 0.0)
        slope = np.where(usable, cov / var_x, 0.0)
    kinds = _input_kinds(model)
    found = []
    for j in np.argsort(-np.abs(corr), kind="stable").tolist():
        if abs(corr[j]) < 0.05:
            break
        # A risk: happening (1) against not (0), the difference of the mean finishes;
        # a duration or a slip: from its 10th to its 90th percentile, by the linear fit.
        spread = 1.0 if kinds[j] == "risk" else _TEN_TO_NINETY * math.sqrt(float(var_x[j]))
        days = float(slope[j]) * spread / model.minutes_per_day
        found.append(
            Influence(samples.inputs[j], kinds[j], round(float(corr[j]), 3), round(days, 2))
        )
    return tuple(found[:10])


def _input_kinds(model: Model) -> list[Literal["task", "milestone", "risk"]]:
    kinds: list[Literal["task", "milestone", "risk"]] = ["task"] * model.uncertain.size
    kinds += ["milestone"] * model.slipping.size
    kinds += ["risk"] * len(model.risks)
    return kinds


def _actions(
    model: Model,
    options: RiskOptions,
    o: int,
    influences: tuple[Influence, ...],
    target: float,
) -> tuple[Action, ...]:
    """Re-simulate with each candidate: every risk that pulls on the outcome mitigated
    away, and each of the most influential tasks held to its most likely duration."""
    futures = min(options.iterations, WHAT_IF_FUTURES)
    base = _p_on_time(model, futures, options, Overrides(), o, target)
    index = {name: i for i, name in enumerate(model.ids)}
    risk_index = {risk_id: r for r, (risk_id, _, _) in enumerate(model.risks)}
    tasks = [i for i in influences if i.kind == "task"][:CANDIDATE_TASKS]
    tried: list[Action] = []
    for influence in influences:
        if influence.kind == "risk":
            r = risk_index[influence.input]
            what = Overrides(probability={r: 0.0})
            chance = _p_on_time(model, futures, options, what, o, target)
            tried.append(Action("mitigate", influence.input, chance - base, chance))
    for influence in tasks:
        what = Overrides(capped=frozenset({index[influence.input]}))
        chance = _p_on_time(model, futures, options, what, o, target)
        tried.append(Action("protect", influence.input, chance - base, chance))
    best = sorted((a for a in tried if a.gain >= MIN_GAIN), key=lambda a: -a.gain)[:TOP_ACTIONS]
    return tuple(replace(a, gain=round(a.gain, 4), p_on_time=round(a.p_on_time, 4)) for a in best)


def _p_on_time(
    model: Model, futures: int, options: RiskOptions, what: Overrides, o: int, target: float
) -> float:
    one = replace(
        model,
        outcome_ids=[model.outcome_ids[o]],
        outcome_nodes=[model.outcome_nodes[o]],
        targets=[target],
    )
    run = simulate(one, futures, options.seed, what, options.workers)
    return float(np.mean(run.finishes[0] <= target))


def _curve(model: Model, f: np.ndarray) -> tuple[tuple[date, float], ...]:
    """The share of futures finished by the end of each day from the first to the last."""
    days = model.date_of(f)
    unique, counts = np.unique(np.array(days, dtype="datetime64[D]"), return_counts=True)
    cumulative = np.cumsum(counts) / f.size
    return tuple(
        (d.astype(object), round(float(c), 4)) for d, c in zip(unique, cumulative, strict=True)
    )
