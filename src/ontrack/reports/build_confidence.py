"""The reports' confidence: each outcome's P50/P80/P90 and chance of meeting its target
from the simulated futures, and for the team what most moves its date, named as the plan
names it (tasks by name, program milestones by name, risks by description)."""

from __future__ import annotations

from ontrack.core.confidence import Confidence, OutcomeConfidence
from ontrack.reports.lookup import Lookup
from ontrack.reports.model import ConfidenceView, DriverView

TOP_DRIVERS = 3
"""Risk drivers the team briefing lists per outcome."""


def confidence_views(
    look: Lookup, confidence: Confidence | None, *, with_drivers: bool
) -> dict[str, ConfidenceView]:
    """By outcome id; an outcome that is done has none (nothing is left to chance)."""
    if confidence is None:
        return {}
    return {o.id: _view(look, o, with_drivers) for o in confidence.outcomes if o.status != "done"}


def _view(look: Lookup, o: OutcomeConfidence, with_drivers: bool) -> ConfidenceView:
    return ConfidenceView(
        p50=o.p50,
        p80=o.p80,
        p90=o.p90,
        chance=o.p_on_time,
        status=o.status,
        drivers=_drivers(look, o) if with_drivers else (),
    )


def _drivers(look: Lookup, o: OutcomeConfidence) -> tuple[DriverView, ...]:
    """The inputs that pull the date later the most (the tornado's top), by their swing."""
    drove = dict(o.criticality)
    later = sorted((i for i in o.influences if i.swing_days > 0), key=lambda i: -i.swing_days)
    return tuple(
        DriverView(
            name=_name(look, i.input, i.kind),
            kind=i.kind,
            swing_days=i.swing_days,
            drove_share=drove.get(i.input) if i.kind == "task" else None,
        )
        for i in later[:TOP_DRIVERS]
    )


def _name(look: Lookup, input_id: str, kind: str) -> str:
    if kind == "task" and input_id in look.results:
        return look.results[input_id].name
    if kind == "milestone" and input_id in look.program_milestones:
        return look.program_milestones[input_id].name
    if kind == "risk":
        risk = next((r for r in look.plan.risks if r.id == input_id), None)
        if risk is not None:
            return risk.description
    return input_id
