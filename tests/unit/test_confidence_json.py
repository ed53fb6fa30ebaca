"""confidence_to_json: the fixed keys per outcome, ISO dates, null chance without a
target, and what a client may see (confidence_figures) holds no task."""

from __future__ import annotations

import json
from datetime import date

from ontrack.app.risk import confidence_figures, confidence_to_json
from ontrack.core.confidence import Action, Confidence, Influence, OutcomeConfidence

D = date(2027, 5, 3)


def outcome(target: date | None, chance: float | None) -> OutcomeConfidence:
    return OutcomeConfidence(
        "wifi", "Wi-Fi is up", target, date(2027, 4, 28), date(2027, 4, 29), D,
        date(2027, 5, 4), chance, "at_risk", 0.25, (("cab", 0.64),),
        (Influence("cab", "task", 0.61, 2.64),), (Action("protect", "cab", 0.12, 0.74),),
        ((date(2027, 4, 29), 0.5), (D, 1.0)),
    )  # fmt: skip


def test_each_outcome_has_the_fixed_keys_as_iso_dates_and_a_share() -> None:
    data = confidence_to_json(Confidence(500, 3, (outcome(date(2027, 5, 7), 0.62),)))
    assert (data["iterations"], data["seed"]) == (500, 3)
    [o] = data["outcomes"]
    assert (o["p50"], o["p80"], o["p90"], o["p_on_time"]) == (
        "2027-04-29", "2027-05-03", "2027-05-04", 0.62,
    )  # fmt: skip
    assert (o["target"], o["forecast"], o["status"]) == ("2027-05-07", "2027-04-28", "at_risk")
    assert o["convergence_days"] == 0.25
    assert o["criticality"] == [{"task": "cab", "share": 0.64}]
    assert o["influences"] == [
        {"input": "cab", "kind": "task", "correlation": 0.61, "swing_days": 2.64}
    ]
    assert o["actions"] == [{"kind": "protect", "subject": "cab", "gain": 0.12, "p_on_time": 0.74}]
    assert o["curve"] == [
        {"date": "2027-04-29", "share": 0.5},
        {"date": "2027-05-03", "share": 1.0},
    ]
    json.dumps(data)  # plain JSON all through


def test_without_a_target_the_chance_is_null() -> None:
    [o] = confidence_to_json(Confidence(10, 0, (outcome(None, None),)))["outcomes"]
    assert o["target"] is None and o["p_on_time"] is None


def test_what_a_client_sees_names_no_task() -> None:
    seen = confidence_figures(outcome(date(2027, 5, 7), 0.62))
    assert set(seen) == {"id", "target", "p50", "p80", "p90", "p_on_time", "status"}
    assert "cab" not in json.dumps(seen)
