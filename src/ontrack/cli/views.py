"""Rich tables for the terminal: presentation only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.core.results import Schedule

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


def print_outcomes(console: Console, sched: Schedule) -> None:
    table = Table(title="Outcomes")
    for column in ("priority", "outcome", "target", "forecast", "slack (d)", "status", "driven by"):
        table.add_column(column)
    for o in sched.outcomes_by_priority():
        status = o.status or ""
        table.add_row(
            Text(str(o.priority or "-")),
            Text(o.statement),
            Text(str(o.target or "-")),
            Text(str(o.forecast or "no work")),
            Text("-" if o.slack_days is None else f"{o.slack_days:g}"),
            Text(status.replace("_", " "), style=STATUS_STYLE.get(status, "")),
            Text(" → ".join(o.external_drivers + o.driving_tasks)),
        )
    console.print(table)
    print_findings(console, sched)


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
