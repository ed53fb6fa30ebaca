"""`ontrack risk` in the terminal: presentation only."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.cli.views import STATUS_STYLE, chance_text
from ontrack.core.confidence import Confidence, OutcomeConfidence

TOP_DRIVERS = 5
TORNADO = 6
KIND_WORDS = {"task": "task", "milestone": "milestone slip", "risk": "risk event"}
ACTION_WORDS = {"mitigate": "mitigate the risk", "protect": "protect the task (no overrun)"}


def print_confidence(console: Console, c: Confidence) -> None:
    """The outcomes' figures in one table, then what drives each uncertain outcome."""
    if not c.outcomes:
        console.print("The plan has no outcome to simulate.")
        return
    years = {d.year for o in c.outcomes for d in (o.target, o.p50, o.p80, o.p90) if d}
    short = len(years) == 1  # then the year is said once, in the title: it fits 80 columns
    table = Table(
        title=f"Confidence{f' ({years.pop()})' if short else ''}: {c.iterations:,} simulated "
        f"futures, seed {c.seed}",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("outcome", overflow="fold", min_width=12)
    for column in ("target", "P50", "P80", "P90", "chance", "status", "conv. d"):
        right = column in ("chance", "conv. d")
        table.add_column(column, justify="right" if right else "left", no_wrap=True)
    for o in c.outcomes:
        table.add_row(*_cells(o, short))
    console.print(table)
    for o in c.outcomes:
        _print_outcome(console, o)
    console.print(
        "\nchance: of meeting the target; conv.: how far P80 moved over the last tenth of "
        "the futures. Days are working days. How to read this: docs/risk.md."
    )


def _cells(o: OutcomeConfidence, short: bool) -> list[Text]:
    def day(d: date | None) -> str:
        return "-" if d is None else f"{d.day} {d:%b}" if short else d.isoformat()

    return [
        Text(o.id),
        Text(day(o.target)),
        Text(day(o.p50)),
        Text(day(o.p80), style="bold"),
        Text(day(o.p90)),
        Text(chance_text(o.p_on_time)),
        Text(o.status.replace("_", " "), style=STATUS_STYLE.get(o.status, "")),
        Text(f"{o.convergence_days:g}"),
    ]


def _print_outcome(console: Console, o: OutcomeConfidence) -> None:
    if o.status == "done" or not (o.criticality or o.influences or o.actions):
        return
    console.print(Text.assemble("\n", (o.id, "bold"), f": {o.statement}"))
    if o.criticality:
        drivers = ", ".join(f"{t} {s:.0%}" for t, s in o.criticality[:TOP_DRIVERS])
        console.print(Text(f"  Drives the date (share of futures): {drivers}"))
    if o.influences:
        tornado = Table(box=None, padding=(0, 2), show_edge=False)
        for column in ("  input", "kind", "correlation", "swing (d)"):
            tornado.add_column(column, justify="left" if column in ("  input", "kind") else "right")
        for i in o.influences[:TORNADO]:
            tornado.add_row(
                f"  {i.input}", KIND_WORDS[i.kind], f"{i.correlation:+.2f}", f"{i.swing_days:+g}"
            )
        console.print(tornado)
    if o.actions:
        console.print("  What would most raise the chance of meeting the target:")
        for n, a in enumerate(o.actions, 1):
            console.print(
                Text(
                    f"    {n}. {ACTION_WORDS[a.kind]} {a.subject}: "
                    f"+{_points(a.gain)} points, to {chance_text(a.p_on_time)}"
                )
            )


def _points(gain: float) -> str:
    """A gain in percentage points: whole ones, or a decimal below one."""
    return f"{gain * 100:.0f}" if gain >= 0.01 else f"{gain * 100:.1f}"
