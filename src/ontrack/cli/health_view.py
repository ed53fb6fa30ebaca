"""`ontrack health` in the terminal: presentation only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.core.health import Check, Health

STATUS = {"pass": ("pass", "green"), "fail": ("FAIL", "bold red"), "not_assessed": ("-", "dim")}
SHOWN = 10  # offenders listed per check; --json has them all


def print_health(console: Console, health: Health) -> None:
    as_of = f" as of {health.status_date}" if health.status_date else ""
    against = f", against baseline '{health.baseline}'" if health.baseline else ""
    table = Table(title=f"{health.project_id}: schedule health{as_of}{against}")
    for column in ("#", "check", "threshold", "found", "result"):
        table.add_column(column)
    for c in health.checks:
        word, style = STATUS[c.status]
        table.add_row(
            Text(str(c.rule.number or "")),
            Text(c.rule.name),
            Text(_threshold(c)),
            Text(_found(c)),
            Text(word, style=style),
        )
    console.print(table)
    console.print(
        f"{health.count('pass')} passed, {health.count('fail')} failed, "
        f"{health.count('not_assessed')} not assessed (DCMA 14-point assessment and "
        "ontrack's outcome checks)"
    )
    for c in health.checks:
        if c.offenders:
            word, style = STATUS[c.status]
            console.print(Text.assemble("\n", (c.rule.name, "bold"), " (", (word, style), "):"))
            for o in c.offenders[:SHOWN]:
                console.print(Text(f"- {o.id}: {o.detail}"))
            if len(c.offenders) > SHOWN:
                console.print(f"  … and {len(c.offenders) - SHOWN} more (see --json)")


def _threshold(c: Check) -> str:
    sign = "≥" if c.rule.at_least else "≤"
    value = f"{c.rule.threshold:g}%" if c.rule.unit == "percent" else f"{c.rule.threshold:g}"
    return f"{sign} {value}"


def _found(c: Check) -> str:
    if c.value is None:
        return c.note
    if c.rule.unit == "percent":
        return f"{c.value:.1f}% ({c.count} of {c.total})"
    if c.rule.unit == "count":
        return f"{c.count} of {c.total}"
    return f"{c.value:.2f}" + (f" ({c.note})" if c.note else "")
