"""Other tools' files in and out: imports into plan files, exports for calendars,
spreadsheets and MS Project."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer

from ontrack.app import exports, imports, services
from ontrack.cli.common import PlanArg, emit, err, user_errors
from ontrack.core.model import Plan


def register(app: typer.Typer) -> None:
    """Add the `import` and `export` groups to `ontrack`."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


import_app = typer.Typer(help="Turn other tools' files into plan files.", no_args_is_help=True)

PlanOutput = Annotated[
    Path, typer.Option("-o", "--output", help="The plan file to write.", show_default=False)
]


@import_app.command("psplib")
def import_psplib(
    source: Annotated[
        Path, typer.Argument(help="A PSPLIB single-mode instance (.sm).", show_default=False)
    ],
    output: PlanOutput,
) -> None:
    """Turn a PSPLIB instance into a plan file: one period is one day, seven days a week."""
    with user_errors("nothing was written"):
        plan = imports.import_psplib(source, output)
    err.print(f"wrote {output}: {len(plan.tasks)} tasks, {len(plan.resources)} resources")


@import_app.command("mspdi")
def import_mspdi(
    source: Annotated[
        Path,
        typer.Argument(
            help="Microsoft Project XML (MSPDI), as MS Project, ProjectLibre or GanttProject "
            "save it.",
            show_default=False,
        ),
    ],
    output: PlanOutput,
) -> None:
    """Turn a Microsoft Project XML file into a plan file, and compare ontrack's dates with
    the ones MS Project stored."""
    with user_errors("nothing was written"):
        done = imports.import_mspdi(source, output)
    show_mspdi_import(done, output)


@import_app.command("mpp")
def import_mpp(
    source: Annotated[
        Path,
        typer.Argument(
            help="A Microsoft Project .mpp file (or another format MPXJ reads).",
            show_default=False,
        ),
    ],
    output: PlanOutput,
) -> None:
    """Turn an MS Project .mpp file into a plan file, through MPXJ (the `msproject` extra,
    which needs Java) and the MSPDI import."""
    with user_errors("nothing was written"):
        done = imports.import_mpp(source, output)
    show_mspdi_import(done, output)


def show_mspdi_import(done: imports.MspdiImport, output: Path) -> None:
    """What was written, what did not travel, and how the dates compare."""
    plan = done.plan
    tasks = sum(1 for _ in plan.walk_tasks())
    err.print(
        f"wrote {output}: {tasks} tasks, {len(plan.resources)} resources, "
        f"{len(plan.outcomes)} outcomes, {len(plan.deliverables)} deliverables",
        markup=False,
        soft_wrap=True,
    )
    for remark in done.remarks:
        err.print(f"note: {remark}", markup=False, soft_wrap=True)
    if not plan.outcomes:
        err.print(
            "note: the plan names no client outcomes; name them (`outcomes:`) and link the "
            "work to them, so ontrack can put what matters to the client first",
            markup=False,
            soft_wrap=True,
        )
    same = done.compared - len(done.differences)
    err.print(
        f"MS Project's dates: ontrack's schedule (without levelling) agrees on {same} of "
        f"{done.compared} tasks" + (":" if done.differences else "."),
        markup=False,
        soft_wrap=True,
    )
    for d in done.differences:
        err.print(
            f"  {d.task}: ontrack {d.ours.start} to {d.ours.finish}, MS Project "
            f"{d.theirs.start} to {d.theirs.finish}: {d.cause}",
            markup=False,
            soft_wrap=True,
        )


ColumnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        metavar="FIELD=HEADER",
        help="Read FIELD (like duration) from the column headed HEADER (repeatable).",
        show_default=False,
    ),
]
StartOption = Annotated[
    datetime | None,
    typer.Option(
        "--start",
        formats=["%Y-%m-%d"],
        metavar="DATE",
        help="The project's start (default: the sheet's earliest date, else today).",
        show_default=False,
    ),
]


@import_app.command("csv")
def import_csv(
    source: Annotated[Path, typer.Argument(help="A task list as CSV.", show_default=False)],
    output: PlanOutput,
    column: ColumnOption = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="The cell separator: one character, or tab (default: guessed).",
            show_default=False,
        ),
    ] = None,
    start: StartOption = None,
) -> None:
    """Turn a task list in CSV (like MS Project's export) into a plan file."""
    _import_table(source, output, "csv", column, start, delimiter=delimiter)


@import_app.command("xlsx")
def import_xlsx(
    source: Annotated[Path, typer.Argument(help="An Excel workbook (.xlsx).", show_default=False)],
    output: PlanOutput,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="The sheet to read (default: the first).", show_default=False),
    ] = None,
    column: ColumnOption = None,
    start: StartOption = None,
) -> None:
    """Turn a task list in an Excel sheet into a plan file."""
    _import_table(source, output, "xlsx", column, start, sheet=sheet)


def _import_table(
    source: Path,
    output: Path,
    kind: Literal["csv", "xlsx"],
    column: list[str] | None,
    start: datetime | None,
    **options: str | None,
) -> None:
    columns = _columns(column)
    with user_errors("nothing was written"):
        plan = imports.import_table(
            source,
            output,
            kind,
            date.today(),
            columns=columns,
            start=start and start.date(),
            **options,
        )
    _wrote(output, plan)


def _columns(options: list[str] | None) -> dict[str, str]:
    """`--column FIELD=HEADER` options as a mapping; the import checks the fields."""
    columns = {}
    for option in options or []:
        field, equals, header = option.partition("=")
        if not equals or not header.strip():
            message = f"{option!r}: write FIELD=HEADER, like duration='Work days'"
            raise typer.BadParameter(message, param_hint="'--column'")
        columns[field] = header
    return columns


def _wrote(output: Path, plan: Plan) -> None:
    tasks = sum(1 for _ in plan.walk_tasks())
    err.print(f"wrote {output}: {tasks} tasks, {len(plan.resources)} resources", markup=False)


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
