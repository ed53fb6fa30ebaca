"""`ontrack advise` in the terminal: presentation only."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ontrack.cli.views import STATUS_STYLE
from ontrack.core.advise import Action, Advice, OutcomeAdvice

REASONS = {"late": "late", "at_risk": "at risk", "driver": "the client's driver"}


def print_advice(console: Console, advice: Advice) -> None:
    if not advice.outcomes:
        console.print("No outcome is late, at risk or sensitive to the client's driver.")
    for advised in advice.outcomes:
        _print_outcome(console, advised)
    console.print(
        f"\n{advice.reschedules} what-if schedules (at most {advice.max_reschedules})"
        + (f"; {advice.unevaluated} actions not tried" if advice.unevaluated else "")
        + ". Days are working days."
    )


def _print_outcome(console: Console, advised: OutcomeAdvice) -> None:
    o = advised.outcome
    status = o.status or ""
    slack = "" if o.slack_days is None else f", slack {o.slack_days:g} d"
    console.print(
        Text.assemble(
            "\n",
            (f"{o.id}", "bold"),
            f" (priority {o.priority or '-'}): {o.statement}\n  forecast {o.forecast}, "
            f"target {o.target or '-'}{slack}, ",
            (status.replace("_", " "), STATUS_STYLE.get(status, "")),
            "; advised because: " + ", ".join(REASONS[r] for r in advised.reasons),
        )
    )
    if not advised.actions:
        waits = f"; it waits on {', '.join(o.external_drivers)}" if o.external_drivers else ""
        console.print(f"  No action on its driving chain makes it earlier{waits}.")
        return
    for n, a in enumerate(advised.actions, 1):
        _print_action(console, n, a, o.id)


def _print_action(console: Console, n: int, a: Action, focus: str) -> None:
    risk = " (closes the security risk)" if a.closes_risk else ""
    console.print(Text(f"  {n}. {a.description}{risk}", style="bold"))
    days = a.days_gained
    gains = f"gains {days:g} d" if days >= 0 else f"makes it {-days:g} d later"
    effect = Text(f"     {gains}; cost {_cost(a)}")
    for e in a.effects:
        if e.outcome != focus and e.days_earlier:
            later = e.outcome in a.more_important_later
            way = "earlier" if e.days_earlier > 0 else "later"
            effect.append(f"; {e.outcome} {abs(e.days_earlier):g} d {way}")
            effect.append(" (more important)" if later else "", style="bold red")
    console.print(effect)
    for c in a.changes:
        after = "(removed)" if c.after is None else c.after
        change = f"add {after}" if c.field == "new" else f"{c.field}: {c.before} → {after}"
        console.print(Text(f"     {c.target} {c.id}: {change}", style="dim"))
    console.print(Text(f"     cost: {a.cost_basis}", style="dim"))


def _cost(a: Action) -> str:
    if a.cost_change is None:
        return "unknown"
    per_day = f" ({a.cost_per_day:,.2f} a day gained)" if a.cost_per_day is not None else ""
    return f"{a.cost_change:+,.2f}{per_day}"
