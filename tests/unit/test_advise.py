"""Course corrections, computed: each action's effect on a plan built for it. Every plan in
tests/planfiles/advise/ works its expected dates and costs out by hand in its comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ontrack.core.advise import UNREVIEWED, Action, Advice, Change, advise
from ontrack.core.model import Driver, Plan
from ontrack.planfile import load_plan

FOLDER = Path(__file__).parents[1] / "planfiles" / "advise"


def plan(name: str, driver: Driver | None = None) -> Plan:
    p = load_plan(FOLDER / f"{name}.yaml")
    return replace(p, project=replace(p.project, driver=driver)) if driver else p


def actions(advice: Advice, outcome: str) -> list[Action]:
    return list(next(a for a in advice.outcomes if a.outcome.id == outcome).actions)


def only(advice: Advice, outcome: str, kind: str) -> Action:
    [found] = [a for a in actions(advice, outcome) if a.kind == kind]
    return found


def moved(action: Action) -> dict[str, float]:
    return {e.outcome: e.days_earlier for e in action.effects}


def test_an_expedite_buys_days_until_another_chain_drives_at_the_plans_price() -> None:
    a = only(advise(plan("expedite")), "wifi", "expedite")
    assert a.changes == (Change("task", "order", "duration", "10ed", "7ed"),)
    assert a.days_gained == 3
    assert a.effects[0].after == date(2027, 3, 9)
    assert (a.cost_change, a.cost_per_day) == (1500, 500)
    assert "a longer cut buys no more" in a.description


def test_an_expedite_without_a_price_has_an_unknown_cost() -> None:
    p = plan("expedite")
    unpriced = replace(p, tasks=(replace(p.tasks[0], expedite_cost_per_day=None), *p.tasks[1:]))
    a = only(advise(unpriced), "wifi", "expedite")
    assert a.days_gained == 3
    assert (a.cost_change, a.cost_per_day) == (None, None)


def test_fast_tracking_starts_the_next_task_when_half_of_the_one_before_is_done() -> None:
    a = only(advise(plan("fast-track")), "app", "fast-track")
    assert a.changes == (
        Change(
            "task", "test", "after", "[build]",
            "[{task: build, type: SS, lag: 2d}, {task: build, type: FF}]",
        ),
    )  # fmt: skip
    assert a.days_gained == 2
    assert a.effects[0].after == date(2027, 3, 8)
    assert a.cost_change == 0


def test_a_unit_of_the_resource_a_driving_task_waited_for_costs_its_rate_for_that_task() -> None:
    a = only(advise(plan("shared-tech")), "phones", "add-unit")
    assert a.changes == (Change("resource", "tech", "units", "1", "2"),)
    assert moved(a) == {"lines": 0, "phones": 2}
    assert a.cost_change == 2400  # 3 days x 8 h x 100
    assert a.more_important_later == ()


def test_reordering_priorities_says_which_more_important_outcome_it_makes_later() -> None:
    a = only(advise(plan("shared-tech")), "phones", "reorder")
    assert set(a.changes) == {
        Change("outcome", "phones", "priority", "2", "1"),
        Change("outcome", "lines", "priority", "1", "2"),
    }
    assert moved(a) == {"lines": -3, "phones": 2}
    assert a.more_important_later == ("lines",)
    assert [e.outcome for e in a.makes_later] == ["lines"]


def test_removing_the_not_before_that_holds_the_chain_starts_it_earlier() -> None:
    a = only(advise(plan("start-earlier")), "site", "start-earlier")
    assert a.changes == (Change("task", "site-work", "not_before", "2027-03-08", None),)
    assert a.days_gained == 4
    assert a.cost_change == 0


def test_the_missing_security_review_goes_before_go_live_and_shows_its_cost_in_days() -> None:
    advice = advise(plan("security-review"))
    review, fast_track = actions(advice, "vault")
    assert review.kind == "security-review" and review.closes_risk
    assert moved(review) == {"vault": -1, "data": 0}
    assert review.cost_change == 2200  # enc-review's fixed 1000 + 8 h x 150
    new, gate = review.changes
    assert new.id == "security-review-vault" and "kind: review" in (new.after or "")
    assert gate == Change(
        "task", "vault-live", "after", "[migrate-2]", "[migrate-2, security-review-vault]"
    )
    assert fast_track.kind == "fast-track" and fast_track.days_gained == 1
    assert actions(advice, "data") == []  # reviewed, and nothing on its chain helps
    assert [f.subject for f in advice.schedule.findings if f.kind == UNREVIEWED] == ["vault"]


def test_security_ranks_closing_the_risk_before_days_and_other_drivers_add_no_review() -> None:
    kinds = [a.kind for a in actions(advise(plan("security-review")), "vault")]
    assert kinds == ["security-review", "fast-track"]
    kinds = [a.kind for a in actions(advise(plan("security-review", "speed")), "vault")]
    assert kinds == ["fast-track"]


def test_speed_ranks_by_days_gained_and_cost_by_cost_per_day_gained() -> None:
    fast = actions(advise(plan("ranking")), "line")
    assert [(a.kind, a.days_gained, a.cost_change) for a in fast] == [
        ("expedite", 7, 4500),  # all but the last day of the order: 9 days x 500
        ("fast-track", 2, 0),
    ]
    assert fast[0].cost_per_day == 642.86
    cheap = actions(advise(plan("ranking", "cost")), "line")
    assert [a.kind for a in cheap] == ["fast-track", "expedite"]


def test_the_what_if_schedules_are_bounded_and_what_was_not_tried_is_counted() -> None:
    advice = advise(plan("ranking"), max_reschedules=2)
    assert advice.reschedules == 2
    assert advice.unevaluated == 1  # the fast-track
    [expedite] = actions(advice, "line")
    assert expedite.days_gained == 7  # the bisection stopped, but on a cut that buys it all


def test_outcomes_on_track_that_the_driver_does_not_single_out_get_no_advice() -> None:
    p = plan("fast-track")
    relaxed = replace(p, outcomes=(replace(p.outcomes[0], target=date(2027, 4, 30)),))
    assert advise(relaxed).outcomes == ()
    assert advise(replace(relaxed, project=replace(p.project, driver="speed"))).outcomes != ()
