"""Other tools' files in and out: imports into plan files, exports for calendars,
spreadsheets and MS Project."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ontrack.app import exports, imports, services
from ontrack.cli.common import PlanArg, emit, err, user_errors


def register(app: typer.Typer) -> None:
    """Add the `import` and `export` groups to `ontrack`."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


import_app = typer.Typer(help="Turn other tools' files into plan files.", no_args_is_help=True)


@import_app.command("psplib")
def import_psplib(
    source: Annotated[
        Path, typer.Argument(help="A PSPLIB single-mode instance (.sm).", show_default=False)
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The plan file to write.", show_default=False)
    ],
) -> None:
    """Turn a PSPLIB instance into a plan file: one period is one day, seven days a week."""
    with user_errors("nothing was written"):
        plan = imports.import_psplib(source, output)
    err.print(f"wrote {output}: {len(plan.tasks)} tasks, {len(plan.resources)} resources")


export_app = typer.Typer(
    help="Write a plan's schedule for calendars, spreadsheets and MS Project.", no_args_is_help=True
)
ExportOutput = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="The file to write (default: stdout).", show_default=False),
]


class ExportView(StrEnum):
    schedule = "schedule"
    outcomes = "outcomes"


@export_app.command("ical")
def export_ical(
    plan: PlanArg,
    output: ExportOutput = None,
    resource: Annotated[
        list[str] | None,
        typer.Option(
            "--resource", help="Add this person's tasks (repeatable).", show_default=False
        ),
    ] = None,
) -> None:
    """Outcome targets and forecasts, milestones and people's tasks as an iCalendar file."""
    with user_errors("nothing was written"):
        emit(exports.ical_export(plan, resource or [], datetime.now(UTC)), output)


@export_app.command("csv")
def export_csv(
    plan: PlanArg,
    what: Annotated[ExportView, typer.Option("--what", help="The schedule or the outcome view.")],
    output: ExportOutput = None,
) -> None:
    """The schedule (one row per task) or the outcome view as CSV."""
    with user_errors("nothing was written"):
        emit(exports.csv_export(plan, what.value), output)


@export_app.command("xlsx")
def export_xlsx(
    plan: PlanArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The workbook to write.", show_default=False)
    ],
) -> None:
    """The schedule and the outcome view as an Excel workbook, one sheet each."""
    with user_errors("nothing was written"):
        services.write_bytes(output, exports.xlsx_export(plan))
    err.print(f"wrote {output}")


@export_app.command("mspdi")
def export_mspdi(
    plan: PlanArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The XML file to write.", show_default=False)
    ],
) -> None:
    """The plan and its schedule as Microsoft Project XML (MSPDI)."""
    with user_errors("nothing was written"):
        exports.mspdi_export(plan, output)
    err.print(f"wrote {output}")
