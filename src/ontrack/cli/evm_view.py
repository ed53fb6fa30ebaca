"""The text of `ontrack evm`: earned value and earned schedule, a table each."""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ontrack.app.evm import Tracked
from ontrack.core.evm import EarnedValue, Measures

Column = tuple[str, Callable[[Measures], Text]]
_COST: tuple[Column, ...] = (
    ("PV", lambda m: Text(_money(m.pv))),
    ("EV", lambda m: Text(_money(m.ev))),
    ("AC", lambda m: Text(_money(m.ac))),
    ("CV", lambda m: _signed(m.cv, _money)),
    ("CPI", lambda m: Text(_index(m.cpi))),
    ("EAC (CPI)", lambda m: Text(_money(m.eac_cpi))),
    ("TCPI", lambda m: Text(_index(m.tcpi))),
)
_SCHEDULE: tuple[Column, ...] = (
    ("SV", lambda m: _signed(m.sv, _money)),
    ("SPI", lambda m: Text(_index(m.spi))),
    ("ES d", lambda m: Text(_days(m.es_days))),
    ("SV(t) d", lambda m: _signed(m.sv_t_days, _days)),
    ("SPI(t)", lambda m: Text(_index(m.spi_t))),
    ("IEAC(t) d", lambda m: Text(_days(m.ieac_t_days))),
)


def print_evm(console: Console, tracked: Tracked) -> None:
    """Two tables, cost then schedule, each with the project, its outcomes, deliverables
    and tasks by id; then the project's forecasts."""
    ev, project = tracked.earned, tracked.plan.project
    console.print(
        f"[bold]{project.name}[/bold]: earned value at {ev.status_date} against baseline "
        f"'{ev.baseline}', {ev.at_days} of {ev.pd_days} planned working days gone"
    )
    for heading, columns in (("Cost", _COST), ("Schedule", _SCHEDULE)):
        console.print(_table(heading, columns, ev))
    m = ev.project
    console.print(
        f"Cost at completion: {_money(m.eac_cpi)} by CPI, {_money(m.eac_cpi_spi)} by CPI×SPI, "
        f"{_money(m.eac_plan)} if the rest goes to plan (BAC {_money(m.bac)}); "
        f"ETC {_money(m.etc)}, VAC {_money(m.vac)}."
    )
    if ev.ac_assumed:
        console.print(
            f"No actual_cost recorded for {', '.join(ev.ac_assumed)}: their AC is taken as "
            "their EV (cost as planned)."
        )


def _table(heading: str, columns: tuple[Column, ...], ev: EarnedValue) -> Table:
    table = Table(title=heading, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("")
    for name, _ in columns:
        table.add_column(name, justify="right")
    table.add_row(Text("project", style="bold"), *(cell(ev.project) for _, cell in columns))
    for label, rows in (
        ("outcomes", ev.outcomes),
        ("deliverables", ev.deliverables),
        ("tasks", ev.tasks),
    ):
        if rows:
            table.add_section()
            table.add_row(Text(label, style="bold"))
            for row in rows:
                table.add_row(Text(f" {row.id}"), *(cell(row.measures) for _, cell in columns))
    return table


def _signed(value: float | None, fmt: Callable[[float | None], str]) -> Text:
    """Behind schedule or over cost in red."""
    return Text(fmt(value), style="red" if value is not None and value < -0.005 else "")


def _number(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value + 0.0, spec)  # + 0.0: never "-0"


def _money(value: float | None) -> str:
    return _number(value, ",.0f")


def _index(value: float | None) -> str:
    return _number(value, ".2f")


def _days(value: float | None) -> str:
    return _number(value, ".1f")
