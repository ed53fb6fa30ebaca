"""Rich tables for `ontrack portfolio`: presentation only."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.cli.views import outcome_cells
from ontrack.core.portfolio import OtherWork, Portfolio, ProjectResult, ResourceLoad

WEEK_WIDTH = 14  # the table's edges and its "week of" column, padded


def print_portfolio(console: Console, result: Portfolio) -> None:
    sched = result.schedule
    console.print(f"[bold]Portfolio[/]: {sched.start} → {sched.finish}, cost {sched.cost:,.2f}")
    for rank, project in enumerate(result.projects, start=1):
        _print_project(console, rank, project)
    _print_loads(console, result.loads)
    for f in result.findings:
        console.print(Text.assemble("- ", (f.kind, "bold"), f" {f.subject}: {f.message}"))


def _print_project(console: Console, rank: int, project: ProjectResult) -> None:
    info, sched = project.plan.project, project.schedule
    client = f" for {info.client}" if info.client else ""
    table = Table(
        title=f"{rank}. {info.id}{client}: {sched.start} → {sched.finish}, cost {sched.cost:,.2f}",
        title_justify="left",
    )
    for column in ("priority", "outcome", "target", "forecast", "slack (d)", "status"):
        table.add_column(column)
    outcomes = sched.outcomes_by_priority()
    for o in outcomes:
        table.add_row(*outcome_cells(o))
    console.print(table)
    # Below the table, not in a column: a sentence a line reads better than a narrow cell;
    # a wait on several outcomes' chains once, with all of them.
    waits: dict[OtherWork, list[str]] = {}
    for o in outcomes:
        for w in project.other_work[o.id]:
            waits.setdefault(w, []).append(o.id)
    for w, ids in waits.items():
        console.print(Text(f"  {', '.join(ids)}: {_waited(w)}"))


def _waited(w: OtherWork) -> str:
    unit = "day" if w.days == 1 else "days"
    return (
        f"{w.task} waited {w.days:g} working {unit} for {w.resource}, "
        f"held by {w.project}'s {w.holder}"
    )


def _print_loads(console: Console, loads: tuple[ResourceLoad, ...]) -> None:
    """Weeks down, people across: a long portfolio scrolls instead of wrapping, and people
    who do not fit the terminal's width go to the next table rather than be squashed."""
    console.print("[bold]Load per week[/]: booked hours, % of available")
    group: list[ResourceLoad] = []
    width = WEEK_WIDTH
    for load in loads:
        column = max(len(load.resource), 3) + 3  # padded, and the space between columns
        if group and width + column > console.width:
            _print_load_table(console, group)
            group, width = [], WEEK_WIDTH
        group.append(load)
        width += column
    if group:
        _print_load_table(console, group)


def _print_load_table(console: Console, loads: list[ResourceLoad]) -> None:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("week of")
    for load in loads:
        table.add_column(f"{load.resource}\n×{load.units:g}", justify="right")
    for w, week in enumerate(loads[0].weeks):
        cells = [Text(str(week.week))]
        for load in loads:
            booked, available = load.weeks[w].booked_hours, load.weeks[w].available_hours
            if available == 0:
                cells.append(Text("off", style="dim"))
            else:
                share = booked / available
                style = "bold" if share >= 0.999 else "dim" if booked == 0 else ""
                cells.append(Text(f"{share:.0%}".removesuffix("%"), style=style))
        table.add_row(*cells)
    console.print(table)
