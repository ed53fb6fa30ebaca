"""Baselines, their comparison and each outcome's trend, as rich tables: presentation only."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.app.tracking import Saved
from ontrack.core.baseline import Baseline, Cause, Comparison, CostChange, DateChange, OutcomeTrend


def print_saved(console: Console, saved: Saved) -> None:
    b = saved.baseline
    verb = "replaced" if saved.replaced else "saved"
    console.print(
        Text(
            f"{verb} baseline '{b.name}' in {saved.file}: {b.project_start} → "
            f"{b.project_finish}, cost {b.cost:,.2f}, {len(b.tasks)} tasks"
        ),
        soft_wrap=True,
    )


def print_baselines(console: Console, baselines: Sequence[Baseline]) -> None:
    if not baselines:
        console.print("no baselines saved yet: `ontrack baseline save PLAN [NAME]` saves one")
        return
    table = Table(title="Baselines, oldest first")
    for column in ("name", "saved", "start", "finish", "cost", "tasks"):
        table.add_column(column, justify="right" if column in ("cost", "tasks") else "left")
    for b in baselines:
        cells = (b.name, b.saved, b.project_start, b.project_finish, f"{b.cost:,.2f}", len(b.tasks))
        table.add_row(*(Text(str(c)) for c in cells))
    console.print(table)


def print_comparison(console: Console, c: Comparison) -> None:
    console.print(
        Text.assemble(
            (f"{c.was} → {c.now}", "bold"),
            f": finish {c.finish.was} → {c.finish.now} (",
            _days(c.finish.days),
            f"), cost {c.cost.was:,.2f} → {c.cost.now:,.2f} (",
            _money(c.cost),
            ")",
        )
    )
    outcomes = Table(title="Outcomes")
    for column in ("outcome", "target", "was", "now", "slip (d)", "cost change", "caused by"):
        outcomes.add_column(column)
    for o in c.outcomes:
        causes = ", ".join(_cause(x) for x in o.causes)
        row = (Text(o.id), Text(str(o.target or "-")), *_dates(o.forecast), _money(o.cost))
        outcomes.add_row(*row, Text(causes))
    console.print(outcomes)
    deliverables = Table(title="Deliverables")
    for column in ("deliverable", "was", "now", "slip (d)", "cost change"):
        deliverables.add_column(column)
    for d in c.deliverables:
        deliverables.add_row(Text(d.id), *_dates(d.finish), _money(d.cost))
    console.print(deliverables)
    changed = [t for t in c.tasks if t.change != "same"]
    if not changed:
        console.print("No task changed.")
        return
    tasks = Table(title="Tasks that changed")
    for column in ("task", "change", "start (d)", "finish (d)", "longer (d)", "cost change"):
        tasks.add_column(column)
    for t in changed:
        longer = "-" if t.longer_days is None else f"{t.longer_days:+g}"
        tasks.add_row(
            Text(t.id),
            Text(t.change),
            _days(t.start.days),
            _days(t.finish.days),
            Text(longer),
            _money(t.cost),
        )
    console.print(tasks)


def print_trend(console: Console, trends: Sequence[OutcomeTrend]) -> None:
    if not trends:
        console.print("The plan has no outcomes.")
        return
    table = Table(title="Outcome forecasts, baseline by baseline (slip since the one before)")
    table.add_column("outcome")
    table.add_column("target")
    for p in trends[0].points:
        table.add_column(f"{p.baseline}\n{p.saved}")
    table.add_column("slip (d)")
    table.add_column("trend")
    for t in trends:
        points = [
            Text(f"{p.forecast or 'no work'}")
            + (Text(" (") + _days(p.slip_days) + ")" if p.slip_days else "")
            for p in t.points
        ]
        flag = Text("slipping", style="bold red") if t.slipping else Text("steady", style="green")
        table.add_row(Text(t.id), Text(str(t.target or "-")), *points, _days(t.slip_days), flag)
    console.print(table)


def _cause(cause: Cause) -> str:
    if cause.reason == "added":
        why = "added"
    elif cause.reason == "longer":
        why = f"{cause.longer_days:g} d longer"
    else:
        why = f"{cause.days} d later"
    return f"{cause.id} ({'milestone, ' if cause.kind == 'milestone' else ''}{why})"


def _dates(change: DateChange) -> tuple[Text, Text, Text]:
    return Text(str(change.was or "-")), Text(str(change.now or "-")), _days(change.days)


def _days(days: int | None) -> Text:
    return Text("-" if days is None else f"{days:+d}" if days else "0", style=_style(days))


def _money(change: CostChange) -> Text:
    v = change.variance
    return Text(f"{v:+,.2f}" if v else "0", style=_style(v))


def _style(change: float | None) -> str:
    """Later or dearer in red, earlier or cheaper in green."""
    return "red" if change and change > 0 else "green" if change and change < 0 else ""
