"""What every `ontrack` command shares: the consoles, the common arguments, the one answer
to an error a user can fix, and printing a result as a view or as JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from ontrack.app import accounts as people
from ontrack.app import backup as backing
from ontrack.app import exports, services, tracking
from ontrack.app import progress as recording
from ontrack.core.diagnostics import PlanError
from ontrack.core.schedule import ScheduleError
from ontrack.interop.mpp import MppUnavailable
from ontrack.solver.cpsat import SolverMissing
from ontrack.store import NotFound
from ontrack.store.accounts import UserExists

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
NoLevel = Annotated[
    bool,
    typer.Option("--no-level", help="Do not level resources; report over-allocations instead."),
]


JsonOption = Annotated[bool, typer.Option("--json", help="Print it as JSON.")]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="The SQLite database file (default: $ONTRACK_DATABASE_URL, else ontrack.db in "
        "the user's data folder).",
        show_default=False,
    ),
]


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
    except (
        ScheduleError,
        OSError,
        SolverMissing,
        MppUnavailable,
        services.UnknownTask,
        exports.UnknownResource,
        recording.Refused,
        tracking.BaselineError,
        backing.BackupError,
        people.SignInRefused,
        people.UnknownUser,
        NotFound,
        UserExists,
        people.AccountRefused,
    ) as e:
        err.print(f"error: {e}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except Exception as e:  # a bug of ours: say so plainly, never a traceback
        err.print(
            f"internal error ({type(e).__name__}: {e}). This is a bug in ontrack, not in "
            "your plan; please report it with the plan file.",
            markup=False,
        )
        raise typer.Exit(70) from None


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        services.write_text(output, text)
        err.print(f"wrote {output}")


T = TypeVar("T")


def show(
    as_json: bool, result: T, to_json: Callable[[T], object], view: Callable[[Console, T], None]
) -> None:
    """Print a command's result as JSON (`--json`) or as its terminal view."""
    if as_json:
        sys.stdout.write(json.dumps(to_json(result), indent=2) + "\n")
    else:
        view(out, result)
