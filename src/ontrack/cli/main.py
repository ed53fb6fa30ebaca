"""The `ontrack` command: arguments in, one use case, output out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ontrack.app import portfolio as portfolios
from ontrack.app import services
from ontrack.app.levelling import LevelSettings
from ontrack.app.schedule_json import schedule_to_json
from ontrack.cli import portfolio_view, views
from ontrack.core.diagnostics import PlanError
from ontrack.core.schedule import ScheduleError
from ontrack.solver.cpsat import SolverMissing

app = typer.Typer(
    help="Project management that starts from the client's outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
NoLevel = Annotated[
    bool,
    typer.Option("--no-level", help="Do not level resources; report over-allocations instead."),
]


class Format(StrEnum):
    html = "html"
    md = "md"


@contextmanager
def user_errors(consequence: str = "nothing was scheduled") -> Iterator[None]:
    """Turn the errors a user can fix into messages and exit status 1; never a traceback."""
    try:
        yield
    except PlanError as e:
        for d in e.diagnostics:  # one line each, unwrapped, for editors and scripts
            sys.stderr.write(f"{d}\n")
        count = len(e.diagnostics)
        err.print(f"{count} problem{'s' if count != 1 else ''} found; {consequence}.")
        raise typer.Exit(1) from None
    except (ScheduleError, OSError, SolverMissing, services.UnknownTask) as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(1) from None
    except Exception as e:  # a bug of ours: say so plainly, never a traceback
        err.print(
            f"internal error ({type(e).__name__}: {e}). This is a bug in ontrack, not in "
            "your plan; please report it with the plan file.",
            markup=False,
        )
        raise typer.Exit(70) from None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        services.write_text(output, text)
        err.print(f"wrote {output}")


@app.command()
def check(plan: PlanArg) -> None:
    """Validate a plan file; print every problem as FILE:LINE:COL: code: message."""
    with user_errors():
        services.check_plan(plan)
    out.print(f"{plan}: ok")


@app.command("schedule")
def schedule_cmd(
    plan: PlanArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the schedule as JSON.")] = False,
    no_level: NoLevel = False,
    optimize: Annotated[
        float | None,
        typer.Option(
            "--optimize",
            metavar="SECONDS",
            min=0.1,
            help="Level with OR-Tools CP-SAT too (extra 'optimize'), in this many seconds "
            "in all; says whether the result is proven optimal, or its gap.",
        ),
    ] = None,
    level_time: Annotated[
        float | None,
        typer.Option(
            "--level-time",
            metavar="SECONDS",
            min=0.0,
            help="Let levelling's search run this long instead of its usual effort.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of levelling's search.")] = 0,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="TASK",
            help="Say why TASK starts where it does: how long levelling delayed it, for "
            "which resource, held by which task for which outcome.",
        ),
    ] = None,
) -> None:
    """Schedule a plan: dates, float, critical path, cost, outcome forecasts and findings."""
    settings = LevelSettings(not no_level, seed, level_time, optimize)
    if as_json and explain is not None:
        err.print("error: choose one of --json or --explain.")
        raise typer.Exit(2)
    with user_errors():
        sp = services.schedule_plan(plan, settings)
        explained = None if explain is None else services.explain_task(sp, explain)
    if explained is not None:
        views.print_explanation(out, explained)
    elif as_json:
        sys.stdout.write(json.dumps(schedule_to_json(sp.schedule), indent=2) + "\n")
    else:
        views.print_schedule(out, sp.schedule)


@app.command()
def outcomes(plan: PlanArg, no_level: NoLevel = False) -> None:
    """The outcome view: each outcome's forecast against target, status and what drives it."""
    with user_errors():
        sp = services.schedule_plan(plan, LevelSettings(level=not no_level))
    views.print_outcomes(out, sp.schedule)


@app.command()
def portfolio(
    plans: Annotated[
        list[Path],
        typer.Argument(
            help="The plan files, most important first (unless their project.priority "
            "says otherwise).",
            show_default=False,
        ),
    ],
    pool: Annotated[
        Path | None,
        typer.Option(
            "--pool",
            help="A YAML file of the people the plans share (`resources:`, as in a plan); "
            "its definitions replace the plans'.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the portfolio as JSON.")] = False,
) -> None:
    """Level several clients' plans together over shared people: each project's outcomes,
    what other clients' work delays them, and each person's load per week."""
    with user_errors():
        result = portfolios.level_plans(plans, pool)
    if as_json:
        sys.stdout.write(json.dumps(portfolios.portfolio_to_json(result), indent=2) + "\n")
    else:
        portfolio_view.print_portfolio(out, result)


@app.command()
def report(
    plan: PlanArg,
    client: Annotated[
        bool, typer.Option("--client", help="The client report, in outcomes.")
    ] = False,
    team: Annotated[
        bool, typer.Option("--team", help="The team briefing: the client's story.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="html or md.")] = Format.html,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here instead of to standard output."),
    ] = None,
) -> None:
    """Write the client report (--client) or the team briefing (--team)."""
    if client == team:
        err.print("error: choose one of --client or --team.")
        raise typer.Exit(2)
    with user_errors():
        sp = services.schedule_plan(plan)
        text = (
            services.client_report(sp, fmt.value)
            if client
            else services.team_briefing(sp, date.today(), fmt.value)
        )
        _emit(text, output)


@app.command()
def gantt(
    plan: PlanArg,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the SVG here instead of to standard output."),
    ] = None,
    no_level: NoLevel = False,
) -> None:
    """Draw the Gantt chart as SVG, grouped by outcome and deliverable."""
    with user_errors():
        sp = services.schedule_plan(plan, LevelSettings(level=not no_level))
        _emit(services.gantt(sp, date.today()), output)


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="A folder of plan files.")] = Path("examples"),
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the reports.")
    ] = Path("out"),
) -> None:
    """Schedule every plan in a folder and write all its reports (what `make run` does)."""
    plans = sorted(folder.glob("*.yaml"))
    if not plans:
        err.print(f"error: no *.yaml plan files in {folder}")
        raise typer.Exit(1)
    with user_errors():
        for plan in plans:
            target = output / plan.stem
            services.publish(plan, target, date.today())
            out.print(f"{plan}: scheduled; reports in {target}/")
    out.print(
        f"\nOpen {output}/<plan>/client-report.html (for the client), team-briefing.html "
        "(for the team) and gantt.svg in a browser."
    )


import_app = typer.Typer(help="Turn other tools' files into plan files.", no_args_is_help=True)
app.add_typer(import_app, name="import")


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
        plan = services.import_psplib(source, output)
    err.print(f"wrote {output}: {len(plan.tasks)} tasks, {len(plan.resources)} resources")


def main() -> None:  # pragma: no cover - console entry point
    app()
