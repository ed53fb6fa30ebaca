"""Every phrase the reports share, so HTML and Markdown always say the same thing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ontrack.core.health import Check
from ontrack.core.model import Driver, Verification
from ontrack.core.results import OutcomeStatus
from ontrack.reports.model import BaselineProgress, ConfidenceView, DriverView

_STATUS_WORDS: dict[OutcomeStatus, str] = {
    "done": "Done",
    "on_track": "On track",
    "at_risk": "At risk",
    "late": "Late",
}

@dataclass(frozen=True)
class OutcomeLabels:
    """How one audience is told about an outcome."""

    measure: str
    needs: str
    security: str | None


CLIENT_LABELS = OutcomeLabels(
    measure="What you will see",
    needs="What we need from you and other vendors",
    security=None,
)
TEAM_LABELS = OutcomeLabels(
    measure="How the client will know",
    needs="What we need from the client and other vendors",
    security="Carries a security promise: review before go-live, no shortcuts on hardening",
)

_DRIVER_MEANING: dict[Driver, str] = {
    "speed": (
        "Speed matters most to the client, so we buy time wherever it is for sale: we "
        "expedite the critical chain, add people or overtime to critical tasks, pay for "
        "express delivery of long-lead equipment and overlap work where the risk is small. "
        "Every extra cost should move a date on the critical path; if it does not, we do "
        "not spend it."
    ),
    "security": (
        "Security matters most to the client, so no date is worth a weaker network: every "
        "security-critical change gets a review task before go-live, hardening is never cut "
        "to save time, and we test what we promise. When a date and a control conflict, we "
        "tell the client and let them choose; we do not trim the control quietly."
    ),
    "cost": (
        "Cost matters most to the client, so we plan to the budget: no expediting or "
        "overtime, standard shipping, and work levelled to the team we have. When a date "
        "slips, we tell the client early and offer options with their price, rather than "
        "buying time on our own."
    ),
}
_NO_DRIVER = (
    "The client has not told us what matters most: speed, security or cost. Ask them at "
    "the next meeting; it decides how we trade time, money and risk."
)


def fmt_date(day: date, *, year: bool = True) -> str:
    """`21 May 2027`: unambiguous for readers on both sides of the Atlantic."""
    text = f"{day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def fmt_span(start: date, finish: date) -> str:
    """`12–16 Apr 2027`, `28 Apr – 5 May 2027`, or one date when both are the same day."""
    if start == finish:
        return fmt_date(start)
    if start.year != finish.year:
        return f"{fmt_date(start)} – {fmt_date(finish)}"
    if start.month != finish.month:
        return f"{fmt_date(start, year=False)} – {fmt_date(finish)}"
    return f"{start.day}–{fmt_date(finish)}"


def status_words(status: OutcomeStatus | None) -> str:
    return _STATUS_WORDS[status] if status else "Not forecast"


def status_slug(status: OutcomeStatus | None) -> str:
    """A CSS-friendly name for the status (`on-track`)."""
    return (status or "none").replace("_", "-")


def working_days(count: float) -> str:
    count = abs(count)
    unit = "working day" if count == 1 else "working days"
    return f"{count:g} {unit}"


def forecast_sentence(
    status: OutcomeStatus | None,
    forecast: date | None,
    target: date | None,
    slack_days: float | None,
    work_finished: date | None = None,
) -> str:
    """`Forecast 21 May 2027, 5 working days before the 28 May target`; for work finished
    that nobody has verified yet, `Finished …; awaiting verification`."""
    if forecast is None:
        return "No work is planned for it yet"
    awaiting = work_finished is not None and status != "done"
    lead = f"{'Finished' if status == 'done' or awaiting else 'Forecast'} {fmt_date(forecast)}"
    return _against_target(lead, forecast, target, slack_days) + (
        "; awaiting verification" if awaiting else ""
    )


def chance_words(chance: float) -> str:
    """`64%`; `<1%` and `>99%` rather than a certainty the futures do not show."""
    if 0 < chance < 0.005:
        return "<1%"
    if 0.995 <= chance < 1:
        return ">99%"
    return f"{chance:.0%}"


def client_confidence(c: ConfidenceView) -> str:
    """`80% confident by 14 Jun 2027; a 64% chance of meeting the target` (no final stop)."""
    said = f"80% confident by {fmt_date(c.p80)}"
    if c.chance is None:
        return said
    return f"{said}; a {chance_words(c.chance)} chance of meeting the target"


def team_confidence(c: ConfidenceView) -> str:
    """`P50 11 Jun, P80 14 Jun, P90 15 Jun 2027; a 64% chance of meeting the target (at
    risk by that chance)`."""
    same = c.p50.year == c.p90.year
    days = [fmt_date(c.p50, year=not same), fmt_date(c.p80, year=not same), fmt_date(c.p90)]
    said = f"P50 {days[0]}, P80 {days[1]}, P90 {days[2]}"
    if c.chance is None:
        return f"{said}; no target to meet"
    judged = status_words(c.status).lower()
    return f"{said}; a {chance_words(c.chance)} chance of meeting the target ({judged} by it)"


def driver_words(d: DriverView) -> str:
    """`Cable the floor (task): 2.8 working days later when it runs long; sets the date in
    64% of futures`."""
    days = working_days(round(d.swing_days, 1))
    if d.kind == "risk":
        return f"{d.name} (risk): {days} later when it happens"
    if d.kind == "milestone":
        return f"{d.name} (another party's date): {days} later when it slips"
    drove = (
        f"; sets the date in {chance_words(d.drove_share)} of futures" if d.drove_share else ""
    )
    return f"{d.name} (task): {days} later when it runs long{drove}"


def confidence_note(futures: int) -> str:
    """What the confidence figures mean, once per report."""
    return (
        f"Confidence comes from {futures:,} simulated futures of the plan, each drawing "
        "every task's duration from its range: \"80% confident by\" a date means the work "
        "was finished by then in 80% of them"
    )


def verified_note(verified: Verification) -> str:
    """`Verified by Dana Lee on 20 May 2027: signed heat-map survey` (no final stop)."""
    evidence = verified.evidence.rstrip(".")
    return f"Verified by {verified.by} on {fmt_date(verified.date)}: {evidence}"


def _against_target(
    lead: str, forecast: date, target: date | None, slack_days: float | None
) -> str:
    if target is None:
        return f"{lead}; no target date is set"
    the_target = f"the {fmt_date(target, year=target.year != forecast.year)} target"
    gap = _gap(forecast, target, slack_days)
    if gap == 0:
        return f"{lead}, on {the_target} date"
    side = "before" if gap > 0 else "after"
    amount = f"{working_days(gap)} " if slack_days is not None else ""
    return f"{lead}, {amount}{side} {the_target}"


def attention_note(
    status: OutcomeStatus | None,
    forecast: date | None,
    target: date | None,
    slack_days: float | None,
    work_finished: date | None = None,
) -> str:
    """`is late: forecast 6 May 2027, 2 working days after the 4 May target`."""
    sentence = forecast_sentence(status, forecast, target, slack_days, work_finished)
    return f"is {status_words(status).lower()}: {sentence[0].lower()}{sentence[1:]}"


def overall_forecast(finish: date) -> str:
    return f"We forecast our work to be finished on {fmt_date(finish)}."


def _gap(forecast: date, target: date, slack_days: float | None) -> float:
    """Working days of slack; falls back to the sign of the date difference."""
    if slack_days is not None:
        return slack_days
    return (target - forecast).days


def status_summary(statuses: Iterable[OutcomeStatus | None]) -> str:
    """`3 outcomes: 1 on track, 1 at risk and 1 late.`"""
    counts = Counter(s for s in statuses if s)
    if not counts:
        return "No outcome has a forecast yet."
    total = sum(counts.values())
    noun = "outcome" if total == 1 else "outcomes"
    parts = [f"{counts[s]} {words.lower()}" for s, words in _STATUS_WORDS.items() if counts[s]]
    return f"{total} {noun}: {join_words(parts)}."


def join_words(items: Iterable[str]) -> str:
    """`a, b and c`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def needed_by(name: str, day: date) -> str:
    """What we need from someone else: `Offices handed over by BuildCo by 5 Apr 2027`."""
    return f"{name} by {fmt_date(day)}"


def money(amount: float, currency: str | None) -> str:
    figure = f"{amount:,.0f}"
    return f"{currency} {figure}" if currency else figure


def percent(share: float) -> str:
    """One decimal, but never rounds a real share down to nothing."""
    value = share * 100
    if 0 < value < 0.1:
        return "under 0.1%"
    return f"{value:.1f}%"


def driver_meaning(driver: Driver | None) -> str:
    return _DRIVER_MEANING[driver] if driver else _NO_DRIVER


def driver_name(driver: Driver | None) -> str:
    return driver.capitalize() if driver else "Not stated"


_SEVERITY_WORDS = {"problem": "Problem", "warning": "Warning", "info": "Note"}


def severity_words(severity: str) -> str:
    return _SEVERITY_WORDS.get(severity, severity.capitalize())


def who_text(who: tuple[str, ...], kind: str) -> str:
    """The people on a task; work nobody on our team holds still says who does it."""
    if who:
        return ", ".join(who)
    return "Supplier" if kind == "procurement" else "—"


def program_story(client: str | None, program: str, benefit: str | None) -> str:
    """`Acme Foods is running New plant expansion, to raise …. Our IT work is one part of it.`"""
    purpose = f", to {benefit[0].lower()}{benefit[1:].rstrip('.')}" if benefit else ""
    return f"{client or 'The client'} is running {program}{purpose}. Our IT work is one part of it."


def units_label(name: str, units: float) -> str:
    """`Field technician ×2`; one unit needs no count."""
    return name if units == 1 else f"{name} ×{units:g}"


def health_threshold(c: Check) -> str:
    """`≤ 5%`, `≥ 0.95`."""
    sign = "≥" if c.rule.at_least else "≤"
    value = f"{c.rule.threshold:g}%" if c.rule.unit == "percent" else f"{c.rule.threshold:g}"
    return f"{sign} {value}"


def health_found(c: Check) -> str:
    """What a check measured: `12.5% (2 of 16)`, `2 of 40`, `0.80`; why it was not assessed."""
    if c.value is None:
        return c.note
    if c.rule.unit == "percent":
        return f"{c.value:.1f}% ({c.count} of {c.total})"
    if c.rule.unit == "count":
        return f"{c.count} of {c.total}"
    return f"{c.value:.2f}" + (f" ({c.note})" if c.note else "")


def baseline_hint(plan_file: str) -> str:
    """The one line a report shows where progress against a baseline would be."""
    return (
        f"No baseline is saved yet: run `ontrack baseline save {plan_file}` to track "
        "progress against this plan."
    )


def slip_words(days: int | None) -> str:
    """`3 days later`, `2 days earlier`, `no change` (calendar days); `–` without both
    dates."""
    if days is None:
        return "–"
    if days == 0:
        return "no change"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}"


def date_or_dash(day: date | None) -> str:
    return fmt_date(day) if day else "–"


def share_done(share: float | None) -> str:
    """The share of an outcome's work done: `45%`; `–` when its work has no budget."""
    return "–" if share is None else f"{share * 100:.0f}%"


def index_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def moved(was: date | None, now: date | None) -> str:
    """`31 May 2027 → 4 Jun 2027`."""
    return f"{date_or_dash(was)} → {date_or_dash(now)}"


def gained_text(days: float) -> str:
    """`gains 6 working days`, `costs 2 working days`."""
    return f"{'gains' if days >= 0 else 'costs'} {working_days(days)}"


def changes_since(progress: BaselineProgress) -> list[str]:
    """What changed since the baseline, in the client's words: outcomes that slipped or
    improved, deliverables finished."""
    lines = [
        f"“{o.statement}” {'slipped' if (o.slip_days or 0) > 0 else 'improved'}: now forecast "
        f"{date_or_dash(o.now)}, {slip_words(o.slip_days)}"
        for o in (*progress.slipped, *progress.improved)
    ]
    if progress.finished:
        lines.append(f"Finished: {join_words(progress.finished)}")
    return lines or ["No outcome's forecast has moved and no deliverable was finished."]
