"""`ontrack health` in the terminal: presentation only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.core.health import Health

STATUS = {"pass": ("pass", "green"), "fail": ("FAIL", "bold red"), "not_assessed": ("-", "dim")}
SHOWN = 10  # offenders listed per check; --json has them all


def print_health(console: Console, health: Health) -> None:
    # The reports' wording, loaded here: importing the reports package loads the
    # templates, which no other command needs at start-up.
    from ontrack.reports.wording import health_found, health_threshold

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
            Text(health_threshold(c)),
            Text(health_found(c)),
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
