"""The `ontrack` command: arguments in, one use case, output out."""

from __future__ import annotations

import json
import re
import sys
from contextlib import suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ontrack.app import advise as advising
from ontrack.app import evm as earned
from ontrack.app import health as healths
from ontrack.app import portfolio as portfolios
from ontrack.app import progress as recording
from ontrack.app import reporting, services, tracking
from ontrack.app import risk as risking
from ontrack.app.levelling import LevelSettings
from ontrack.app.schedule_json import schedule_to_json
from ontrack.cli import (
    advise_view,
    evm_view,
    exchange,
    health_view,
    portfolio_view,
    risk_view,
    tracking_view,
    views,
)
from ontrack.cli import team as team_commands
from ontrack.cli.common import JsonOption, NoLevel, PlanArg, emit, err, out, show, user_errors

app = typer.Typer(
    help="Project management that starts from the client's outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    html = "html"
    md = "md"


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
def outcomes(
    plan: PlanArg,
    no_level: NoLevel = False,
    confidence: Annotated[
        bool,
        typer.Option(
            "--confidence",
            help=f"Also simulate the plan ({risking.QUICK_ITERATIONS:,} futures, seed "
            f"{risking.REPORT_SEED}) and show each outcome's P80 and chance of meeting "
            "its target.",
        ),
    ] = False,
) -> None:
    """The outcome view: each outcome's forecast against target, status and what drives it."""
    settings = LevelSettings(level=not no_level)
    with user_errors():
        sp = services.schedule_plan(plan, settings)
        odds = risking.scheduled_confidence(sp, settings) if confidence else None
    views.print_outcomes(out, sp.schedule, odds)


@app.command()
def risk(
    plan: PlanArg,
    iterations: Annotated[
        int,
        typer.Option("--iterations", metavar="N", min=1, help="How many futures to simulate."),
    ] = risking.ITERATIONS,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Seed of the random futures.")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    no_default_estimates: Annotated[
        bool,
        typer.Option(
            "--no-default-estimates",
            help="Leave tasks without an estimate, and program milestones, certain instead "
            "of giving them the default spread of their kind.",
        ),
    ] = False,
    svg: Annotated[
        Path | None,
        typer.Option(
            "--svg",
            metavar="DIR",
            help="Also write each outcome's S-curve to DIR/OUTCOME.svg.",
        ),
    ] = None,
) -> None:
    """How sure is each outcome's date: P50/P80/P90, the chance of meeting its target,
    what drives the uncertainty and what would most raise the chance (Monte Carlo)."""
    with user_errors("nothing was simulated"):
        result = risking.analyse_risk(plan, iterations, seed, not no_default_estimates)
        if svg is not None:
            for written in risking.write_confidence_charts(result, svg):
                err.print(f"wrote {written}", markup=False)
    show(as_json, result, risking.confidence_to_json, risk_view.print_confidence)


@app.command()
def evm(
    plan: PlanArg,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="NAME",
            help="Measure against this saved baseline (default: the last one saved).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
    svg: Annotated[
        Path | None,
        typer.Option("--svg", metavar="FILE", help="Also write the S-curve (PV, EV, AC) as SVG."),
    ] = None,
) -> None:
    """Earned value and earned schedule at the status date, per task, deliverable, outcome
    and project, against a saved baseline."""
    with user_errors("nothing was written"):
        tracked = earned.track(plan, baseline, date.today())
        if svg is not None:
            emit(earned.scurve_svg(tracked), svg)
    show(as_json, tracked, earned.evm_to_json, evm_view.print_evm)


@app.command()
def health(
    plan: PlanArg,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="NAME",
            help="Judge missed tasks and BEI against this saved baseline (default: the "
            "last one saved).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Schedule health: the DCMA 14-point assessment and the outcome checks, pass or fail,
    with the offending tasks."""
    with user_errors():
        result = healths.check_health(plan, baseline)
    show(as_json, result, healths.health_to_json, health_view.print_health)


@app.command()
def advise(
    plan: PlanArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON.")] = False,
) -> None:
    """Course corrections: for each outcome late, at risk or sensitive to the client's
    driver, actions scheduled again to show their effect on every outcome and on cost."""
    with user_errors():
        advice = advising.advise_plan(plan)
    show(as_json, advice, advising.advice_to_json, advise_view.print_advice)


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
    show(as_json, result, portfolios.portfolio_to_json, portfolio_view.print_portfolio)


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
    no_confidence: Annotated[
        bool,
        typer.Option(
            "--no-confidence",
            help="Leave out each outcome's confidence (P80, chance of meeting the target): "
            "the plan is not simulated.",
        ),
    ] = False,
) -> None:
    """Write the client report (--client) or the team briefing (--team)."""
    if client == team:
        err.print("error: choose one of --client or --team.")
        raise typer.Exit(2)
    with user_errors():
        sp = services.schedule_plan(plan)
        odds = None if no_confidence else reporting.report_confidence(sp)
        tracked = reporting.tracking(plan, sp, date.today(), odds)
        text = (
            reporting.client_report(sp, tracked, fmt.value)
            if client
            else reporting.team_briefing(sp, tracked, date.today(), fmt.value)
        )
        emit(text, output)


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
        emit(services.gantt(sp, date.today()), output)


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="A folder of plan files.")] = Path("examples"),
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the reports.")
    ] = Path("out"),
) -> None:
    """Schedule every plan in a folder and write all its reports (what `make run` does)."""
    suffix = tracking.BASELINES_SUFFIX  # baselines kept beside a plan are not plans
    plans = sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(suffix))
    if not plans:
        err.print(f"error: no *.yaml plan files in {folder}")
        raise typer.Exit(1)
    with user_errors():
        for plan in plans:
            target = output / plan.stem
            reporting.publish(plan, target, date.today())
            out.print(f"{plan}: scheduled; reports in {target}/")
    out.print(
        f"\nOpen {output}/<plan>/client-report.html (for the client), team-briefing.html "
        "(for the team) and gantt.svg in a browser."
    )


def _iso_date(text: str) -> date:
    """A date as plan files write it: YYYY-MM-DD."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        with suppress(ValueError):  # not a day of the calendar, like 2027-02-30
            return date.fromisoformat(text)
    raise typer.BadParameter(f"{text!r} is not a date: write YYYY-MM-DD, like 2027-03-01")


def _date_option(flag: str, help: str) -> Any:
    return typer.Option(flag, parser=_iso_date, metavar="DATE", help=help)


@app.command()
def progress(
    plan: PlanArg,
    task: Annotated[str, typer.Argument(help="The task's id.", show_default=False)],
    percent: Annotated[
        float | None,
        typer.Option("--percent", min=0, max=100, metavar="N", help="Percent complete, 0 to 100."),
    ] = None,
    actual_cost: Annotated[
        float | None,
        typer.Option("--actual-cost", min=0, metavar="X", help="What it has cost so far."),
    ] = None,
    actual_start: Annotated[
        date | None, _date_option("--actual-start", "The day it started.")
    ] = None,
    actual_finish: Annotated[
        date | None, _date_option("--actual-finish", "The day it finished: it is done.")
    ] = None,
    done: Annotated[
        bool,
        typer.Option(
            "--done",
            help="It is finished, 100% complete: on --actual-finish, or the day it has, "
            "or the status date.",
        ),
    ] = False,
    status_date: Annotated[
        date | None,
        _date_option("--status-date", "Set the plan's status date: progress is as of it."),
    ] = None,
) -> None:
    """Record progress on a task in the plan file, keeping its comments and layout."""
    if (done or actual_finish) and percent not in (None, 100):
        err.print("error: a finished task is 100% complete: leave out --percent.")
        raise typer.Exit(2)
    if not done and (percent, actual_cost, actual_start, actual_finish, status_date) == (None,) * 5:
        err.print("error: nothing to record: give at least one option (see --help).")
        raise typer.Exit(2)
    given = recording.Progress(percent, actual_cost, actual_start, actual_finish, done, status_date)
    with user_errors("nothing was written"):
        recorded = recording.record_progress(plan, task, given)
    views.print_recorded(out, plan, recorded)


@app.command()
def verify(
    plan: PlanArg,
    outcome: Annotated[str, typer.Argument(help="The outcome's id.", show_default=False)],
    by: Annotated[
        str, typer.Option("--by", metavar="NAME", help="Who checked it.", show_default=False)
    ],
    evidence: Annotated[
        str,
        typer.Option(
            "--evidence",
            metavar="TEXT",
            help="What shows its measure is met, like a signed survey.",
            show_default=False,
        ),
    ],
    on: Annotated[
        date | None, _date_option("--on", "When; the plan's status date when not given.")
    ] = None,
) -> None:
    """Record that an outcome's measure was checked: only then is the outcome done."""
    with user_errors("nothing was written"):
        recorded = recording.record_verification(plan, outcome, by, evidence, on)
    views.print_recorded(out, plan, recorded)


baseline_app = typer.Typer(
    help="Save baselines of a plan, compare them, and trend each outcome's forecast.",
    no_args_is_help=True,
)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("save")
def baseline_save(
    plan: PlanArg,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Its name (default baseline-N, the next number free).", show_default=False
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Save over a baseline of the same name.")
    ] = False,
) -> None:
    """Freeze the plan's current schedule as a named baseline, in PLAN.baselines.yaml."""
    with user_errors("nothing was saved"):
        saved = tracking.save_baseline(plan, name, date.today(), replace)
    tracking_view.print_saved(out, saved)


@baseline_app.command("list")
def baseline_list(plan: PlanArg, as_json: JsonOption = False) -> None:
    """The plan's saved baselines, oldest first."""
    with user_errors("nothing was listed"):
        baselines = tracking.list_baselines(plan)
    show(as_json, baselines, tracking.baselines_to_json, tracking_view.print_baselines)


@baseline_app.command("compare")
def baseline_compare(
    plan: PlanArg,
    was: Annotated[
        str | None,
        typer.Argument(
            metavar="[A]",
            help="The baseline to compare from (default: the latest).",
            show_default=False,
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Argument(
            metavar="[B]",
            help="The one to compare with (default: `now`, the current schedule).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Date and cost variance per outcome, deliverable and task, and what made each
    outcome slip."""
    with user_errors("nothing was compared"):
        comparison = tracking.compare_baselines(plan, was, now, date.today())
    show(as_json, comparison, tracking.comparison_to_json, tracking_view.print_comparison)


@baseline_app.command("trend")
def baseline_trend(plan: PlanArg, as_json: JsonOption = False) -> None:
    """Each outcome's forecast at every baseline and now: is it slipping?"""
    with user_errors():
        trends = tracking.outcome_trend(plan, date.today())
    show(as_json, trends, tracking.trend_to_json, tracking_view.print_trend)


# --- the team's web app and its people ---------------------------------------------------


exchange.register(app)
team_commands.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
