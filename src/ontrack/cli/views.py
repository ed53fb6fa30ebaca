"""Rich tables for the terminal: presentation only."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.app.progress import Recorded
from ontrack.app.seed import Seeded
from ontrack.core.confidence import Confidence
from ontrack.core.results import OutcomeResult, Schedule

STATUS_STYLE = {"done": "blue", "on_track": "green", "at_risk": "yellow", "late": "red"}


def print_schedule(console: Console, sched: Schedule) -> None:
    table = Table(
        title=f"{sched.project_id}: {sched.start} → {sched.finish}, cost {sched.cost:,.2f}"
    )
    for column in ("task", "name", "start", "finish", "float (d)", "cost", "outcomes"):
        table.add_column(column, justify="right" if column in ("float (d)", "cost") else "left")
    for t in sched.tasks:
        depth = 0
        parent = t.parent
        while parent:
            depth += 1
            parent = sched.task(parent).parent
        style = "bold red" if t.critical and not t.is_summary else ("bold" if t.is_summary else "")
        cells = (
            "  " * depth + t.id,
            t.name,
            str(t.start),
            str(t.finish),
            f"{t.total_float_days:g}",
            f"{t.cost:,.2f}",
            ", ".join(t.outcomes),
        )
        table.add_row(*(Text(c) for c in cells), style=style)
    console.print(table)
    console.print(
        "[bold red]red[/]: on the critical path" + ("; levelled" if sched.levelled else "")
    )
    print_findings(console, sched)


def print_outcomes(console: Console, sched: Schedule, odds: Confidence | None = None) -> None:
    """With `odds`, each outcome's P80 and chance of meeting its target too."""
    title = "Outcomes" if odds is None else f"Outcomes ({odds.iterations:,} simulated futures)"
    table = Table(title=title)
    columns = ["priority", "outcome", "target", "forecast", "slack (d)", "status"]
    columns += [] if odds is None else ["P80", "chance"]
    for column in (*columns, "driven by"):
        table.add_column(column, justify="right" if column == "chance" else "left")
    by_id = {o.id: o for o in odds.outcomes} if odds else {}
    for o in sched.outcomes_by_priority():
        cells = outcome_cells(o)
        if odds is not None:
            found = by_id.get(o.id)
            cells += [
                Text("-" if found is None else str(found.p80)),
                Text("-" if found is None else chance_text(found.p_on_time)),
            ]
        table.add_row(*cells, Text(" → ".join(o.external_drivers + o.driving_tasks)))
    console.print(table)
    print_findings(console, sched)


def chance_text(p: float | None) -> str:
    """`64%`; `-` without a target; `<1%` and `>99%` rather than a certainty not shown."""
    if p is None:
        return "-"
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def outcome_cells(o: OutcomeResult) -> list[Text]:
    """Priority, statement, target, forecast, slack and status: an outcome's row."""
    status = o.status or ""
    awaiting = ", awaiting verification" if o.awaiting_verification else ""
    return [
        Text(str(o.priority or "-")),
        Text(o.statement),
        Text(str(o.target or "-")),
        Text(str(o.forecast or "no work")),
        Text("-" if o.slack_days is None else f"{o.slack_days:g}"),
        Text(status.replace("_", " ") + awaiting, style=STATUS_STYLE.get(status, "")),
    ]


def print_explanation(console: Console, explanation: str) -> None:
    # One unwrapped line, so that scripts can grep it whatever the terminal's width.
    console.print(Text(explanation), soft_wrap=True)


def print_findings(console: Console, sched: Schedule) -> None:
    if not sched.findings:
        return
    console.print("\n[bold]Findings[/]")
    for f in sched.findings:
        console.print(Text.assemble("- ", (f.kind, "bold"), f" {f.subject}: {f.message}"))
        console.print(Text(f"  for the client: {f.impact}\n  what to do: {f.action}"))


def print_recorded(console: Console, plan: Path, recorded: Recorded) -> None:
    """What `progress` or `verify` wrote: `plan.yaml: wip: percent_complete 60, ...`."""
    values = ", ".join(
        f"{key} {value:g}" if isinstance(value, float) else f"{key} {value}"
        for key, value in recorded.values.items()
    )
    if values:
        console.print(Text(f"{plan}: {recorded.subject}: {values}"), soft_wrap=True)
    if recorded.status_date:
        console.print(Text(f"{plan}: project.status_date {recorded.status_date}"))
    if recorded.unfinished:
        console.print(
            Text(
                f"note: it is done, though work that serves it is not finished: "
                f"{', '.join(recorded.unfinished)}"
            ),
            soft_wrap=True,
        )


def print_seeded(console: Console, seeded: Seeded) -> None:
    for key in seeded.imported:
        console.print(f"loaded the example {key}", markup=False)
    console.print("Sign in as:", markup=False)
    for email, password, sees in seeded.sign_ins:
        console.print(f"  {email}  password {password}  ({sees})", markup=False, soft_wrap=True)
