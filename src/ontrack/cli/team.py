"""The team's database from the command line: the web app, its people, backup and restore."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from ontrack.app import accounts as people
from ontrack.app import backup as backing
from ontrack.app.database import database_url, default_db_file
from ontrack.cli import views
from ontrack.cli.common import DbOption, err, out, user_errors


def register(app: typer.Typer) -> None:
    """Add these commands to `ontrack`."""
    app.command()(backup)
    app.command("restore")(restore_cmd)
    app.command()(serve)
    app.add_typer(user_app, name="user")
    app.command()(grant)
    app.add_typer(token_app, name="token")


BackupFile = Annotated[Path, typer.Argument(help="The backup file.", show_default=False)]


def backup(file: BackupFile, db: DbOption = None) -> None:
    """Back up the database into FILE while it is in use: a copy of a SQLite database, or
    pg_dump's plain SQL of a PostgreSQL one."""
    with user_errors("nothing was written"):
        done = backing.backup_database(database_url(db), file)
    err.print(
        f"wrote {file}: {len(done.projects)} project(s) from {done.database}",
        markup=False,
        soft_wrap=True,
    )


def restore_cmd(
    file: BackupFile,
    db: DbOption = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace the projects the database holds already."),
    ] = False,
) -> None:
    """Restore a backup made by `ontrack backup` into the database, and upgrade it to this
    version of ontrack. A database that holds projects is refused unless --force."""
    with user_errors("nothing was restored"):
        done = backing.restore_database(database_url(db), file, force)
    err.print(
        f"restored {file} into {done.database}: {len(done.projects)} project(s)"
        + (f" ({', '.join(done.projects)})" if done.projects else ""),
        markup=False,
        soft_wrap=True,
    )


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    db: DbOption = None,
    examples: Annotated[
        Path | None,
        typer.Option(
            "--examples",
            metavar="DIR",
            help="Load the plan files of DIR first (once each) with two people to sign in "
            "as, a manager and a client; their passwords are kept beside the database.",
            show_default=False,
        ),
    ] = None,
    secure_cookies: Annotated[
        bool,
        typer.Option("--secure-cookies", help="Send the session cookie over HTTPS only."),
    ] = False,
) -> None:
    """Run the web app: every project in the database, for the team and their clients."""
    from ontrack.app.seed import load_examples
    from ontrack.store import open_store
    from ontrack.web.server import serve as run_server

    url = database_url(db)
    with user_errors("the web app did not start"):
        if examples is not None:
            passwords = (db or default_db_file()).with_suffix(".sign-in.txt")
            seeded = load_examples(open_store(url), examples, passwords)
            views.print_seeded(out, seeded)
    out.print(f"ontrack is at http://{host}:{port}/ (Ctrl-C stops it)", markup=False)
    with user_errors("the web app stopped"):
        run_server(url, host, port, secure_cookies)


user_app = typer.Typer(help="The people who sign in to the web app.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="Their e-mail address: they sign in with it.")],
    name: Annotated[str, typer.Option(help="Their name, as pages show it.")] = "",
    db: DbOption = None,
) -> None:
    """Add a person; asks for their password (at least 10 characters)."""
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with user_errors("nobody was added"):
        user = people.add_user(_store(db), email, name, password, datetime.now(UTC))
    out.print(f"added {user.email}; give them a role with `ontrack grant`", markup=False)


def grant(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    project: Annotated[str, typer.Argument(help="The project's id (its plan's project.id).")],
    role: Annotated[
        str,
        typer.Argument(
            help="owner, manager (edits everything), member (records progress and "
            "notes) or client (the read-only client portal)."
        ),
    ],
    db: DbOption = None,
) -> None:
    """Give a person a role on a project (replacing the role they had there)."""
    with user_errors("no role was given"):
        people.grant(_store(db), email, project, role)
    out.print(f"{email} is now {role} on {project}", markup=False)


token_app = typer.Typer(help="Personal API tokens for the REST API.", no_args_is_help=True)


@token_app.command("add")
def token_add(
    email: Annotated[str, typer.Argument(help="Whose token: their e-mail address.")],
    name: Annotated[str, typer.Option(help="What it is for, to recognise it later.")] = "api",
    db: DbOption = None,
) -> None:
    """Make a personal API token; it is shown once (only its hash is kept). Send it as
    `Authorization: Bearer TOKEN`."""
    with user_errors("no token was made"):
        token = people.new_token(_store(db), email, name, datetime.now(UTC))
    sys.stdout.write(token + "\n")


def _store(db: Path | None) -> Any:
    from ontrack.store import open_store

    return open_store(database_url(db))
