"""Each outcome's forecast, slack to target, status and the chain of work that drives it.

Status rule (stated in docs/scheduling.md):
- ``done``: the outcome is verified (its measure checked: by whom, when, the evidence);
- ``late``: the forecast is after the target;
- ``at_risk``: on time, but with less than ``at_risk_days`` working days of slack (default
  5, one working week), or no work at all is planned for it;
- ``on_track``: otherwise (also when the outcome has no target).

An outcome whose work is all finished but not verified awaits verification: it is judged
as of the status date when that is later than its work's finish, since the check is
still to come.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from ontrack.core.cpm import link_work
from ontrack.core.model import Plan
from ontrack.core.network import links_by
from ontrack.core.results import OutcomeResult, OutcomeStatus, TaskResult
from ontrack.core.trace import Trace

if TYPE_CHECKING:
    from ontrack.core.calendar import CalendarTable
    from ontrack.core.schedule import Timing


def outcome_results(
    plan: Plan,
    tr: Trace,
    tasks: list[TaskResult],
    index: dict[str, int],
    timing: Timing,
    at_risk_days: float,
    baseline_forecasts: Mapping[str, date | None],
) -> tuple[OutcomeResult, ...]:
    chains = DrivingChains(timing)
    results = []
    for outcome in plan.outcomes:
        serving = [tasks[index[t]] for t in tr.leaves_serving(outcome.id)]
        forecast = max((t.finish for t in serving), default=None)
        chain: list[int] = []
        if serving:
            last = max(serving, key=lambda t: (t.finish, -t.total_float_days, t.start))
            chain = chains.chain(timing.net.index[last.id])
        finished = forecast if serving and all(t.done for t in serving) else None
        judged = judged_date(forecast, finished, plan.project.status_date)
        ids = [timing.net.ids[v] for v in chain]
        external = timing.net.external
        before = baseline_forecasts.get(outcome.id)
        slipping = forecast is not None and before is not None and forecast > before
        results.append(
            OutcomeResult(
                id=outcome.id,
                statement=outcome.statement,
                priority=outcome.priority,
                target=outcome.target,
                forecast=forecast,
                slack_days=slack_between(timing.table, forecast, outcome.target),
                status=outcome_status(
                    outcome.verified is not None,
                    serving != [],
                    slack_between(timing.table, judged, outcome.target),
                    at_risk_days,
                    slipping,
                ),
                driving_tasks=tuple(i for v, i in zip(chain, ids, strict=True) if not external[v]),
                tasks=tuple(t.id for t in serving),
                external_drivers=tuple(i for v, i in zip(chain, ids, strict=True) if external[v]),
                work_finished=finished,
                verified=outcome.verified,
                baseline_forecast=before,
                slipping=slipping,
            )
        )
    return tuple(results)


def outcome_status(
    verified: bool,
    has_work: bool,
    slack: float | None,
    at_risk_days: float,
    slipping: bool = False,
) -> OutcomeStatus:
    """`slack`: working days from the date the outcome is judged by to its target; an
    outcome `slipping` since the latest baseline is at risk with twice as much."""
    if verified:
        return "done"
    if slack is not None and slack < 0:
        return "late"
    margin = at_risk_days * (2 if slipping else 1)
    if not has_work or (slack is not None and slack < margin):
        return "at_risk"
    return "on_track"


def judged_date(
    forecast: date | None, work_finished: date | None, status_date: date | None
) -> date | None:
    """The date an outcome's status is judged by: its forecast, but no earlier than the
    status date once its work is finished (an unverified outcome is not reached yet)."""
    if work_finished is None or status_date is None:
        return forecast
    return max(work_finished, status_date)


def slack_between(table: CalendarTable, day: date | None, target: date | None) -> float | None:
    """Working days from `day` to `target`; None without either."""
    return working_days_between(table, day, target) if day and target else None


def working_days_between(table: CalendarTable, forecast: date, target: date) -> float:
    """Working days d of the project calendar with forecast < d ≤ target (negative if late)."""
    lo, hi = sorted((forecast, target))
    a = (lo - table.origin).days + 1
    b = (hi - table.origin).days + 1
    per_day = table.per_day[0]
    a, b = max(a, 0), min(max(b, 0), per_day.size)
    count = int(np.count_nonzero(per_day[a:b])) if b > a else 0
    return float(count if target >= forecast else -count)


class DrivingChains:
    """Walks back from a task through the links that set its start."""

    def __init__(self, timing: Timing) -> None:
        self.timing = timing
        net = timing.net
        self.incoming = links_by(net.succ, net.size)

    def chain(self, node: int) -> list[int]:
        net, seen = self.timing.net, set()
        chain = [node]
        while node not in seen:
            seen.add(node)
            driver = self._driver(node)
            if driver is None:
                break
            chain.append(driver)
            node = driver
        return [v for v in reversed(chain) if not net.summary[v]]

    def _driver(self, node: int) -> int | None:
        net, ps, axis = self.timing.net, self.timing.passes, self.timing.axis
        if net.pinned[node] or net.summary[node]:
            return None
        links = self.incoming.of(node)
        if not links.size:
            return None
        w = link_work(net, axis, links, ps.early_start, ps.early_finish, ps.finish_driven)
        at = axis.work_before(net.cal[node : node + 1], ps.early_start[node : node + 1])[0]
        if ps.finish_driven[node]:
            at = axis.work_before(net.cal[node : node + 1], ps.early_finish[node : node + 1])[0]
        binding = links[w >= at]
        if not binding.size:
            return None
        # Of the links that bind, follow the one whose predecessor finishes last.
        best = int(binding[np.argmax(ps.early_finish[net.pred[binding]])])
        return self._leaf_of(int(net.pred[best]), bool(net.from_finish[best]))

    def _leaf_of(self, node: int, by_finish: bool) -> int:
        """A summary drives through its last-finishing (or first-starting) child."""
        net, ps = self.timing.net, self.timing.passes
        while net.summary[node]:
            kids = np.flatnonzero(net.parent == node)
            node = (
                int(kids[np.argmax(ps.early_finish[kids])])
                if by_finish
                else int(ps.first_child[node])
            )
        return node
