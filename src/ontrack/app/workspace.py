"""The team's projects in the database: the use cases of the web app and its API.

Every use case names the user asking; the role they hold on the project decides what they
may see and do (app.access). Reading returns plain JSON-ready data, the same for a page
and its JSON twin; writing happens in one transaction with its journal entry, after the
change passed the checks a plan file passes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from ontrack.app.access import Denied, Permission, is_team, require
from ontrack.app.accounts import grant
from ontrack.app.advise import advice_to_json, advise_on
from ontrack.app.current import Current, ProjectCache
from ontrack.app.evm import Tracked, evm_to_json, measure, scurve_svg
from ontrack.app.health import health_of, health_to_json
from ontrack.app.levelling import LevelSettings
from ontrack.app.reporting import ReportFormat, client_report, team_briefing, tracking_of
from ontrack.app.risk import confidence_figures, confidence_of, confidence_to_json
from ontrack.app.schedule_json import finding_json, iso, outcome_json, schedule_to_json, task_json
from ontrack.app.scheduler import Scheduler
from ontrack.app.services import Scheduled, gantt, schedule_options
from ontrack.app.task_rows import TaskRows
from ontrack.app.tracking import (
    BaselineError,
    baseline_name,
    baselines_to_json,
    comparison_to_json,
    current_baseline,
    frozen_baseline,
    trend_to_json,
)
from ontrack.core.baseline import Baseline, compare, trend
from ontrack.core.confidence import Confidence
from ontrack.core.diagnostics import PlanError
from ontrack.core.model import Conversation, Plan, Task, edit_task
from ontrack.core.validate import validate
from ontrack.planfile import dump_plan, parse_plan
from ontrack.planfile.dump import plan_data, task_data
from ontrack.planfile.read import plan_from_data, task_from_data
from ontrack.store import NotFound, accounts, repository
from ontrack.store.accounts import User
from ontrack.store.repository import ProjectMoved

# What a member may record on a task; everything else about a task is a manager's edit.
PROGRESS_FIELDS = frozenset({"percent_complete", "actual_start", "actual_finish", "actual_cost"})
EDITABLE_FIELDS = frozenset(
    {"name", "duration", "after", "resources", "not_before", "pin", "deadline", "cost",
     "notes", "kind", "deliverable", "outcomes", *PROGRESS_FIELDS}
)  # fmt: skip
_ATTEMPTS = 5  # an edit is checked again this often while others change the project


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class _Base:
    """What an edit is checked against: the plan at a version, with its baselines."""

    plan: Plan
    version: int
    baselines: tuple[Baseline, ...]
    task_versions: dict[str, int] | None = None
    """Every task's version at `version`, when known (after a save)."""


@dataclass(frozen=True)
class _Saved:
    base: _Base
    """The project after the change."""
    versions: dict[str, int] | None
    """Every task's version after it; None when the change changed nothing."""
    task: Task


class Busy(RuntimeError):
    """Others kept changing the project while this change was being checked."""


class Invalid(ValueError):
    """A change the plan cannot take; each problem names the field. Nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


class Workspace:
    """The use cases over one database. It keeps the last project states it scheduled
    (app.current), so reading an unchanged project does not schedule it again."""

    def __init__(
        self,
        engine: sa.Engine,
        settings: LevelSettings | None = None,
        separate_process: bool = False,
    ) -> None:
        """`separate_process`: schedule in a worker process (app.scheduler), as a server
        with many users should; close() stops it."""
        self.engine = engine
        self._options = schedule_options(settings)
        self._schedule = Scheduler(separate_process)
        self._cache = ProjectCache()
        # Per project, the plan after this process's last edit (what the next edit is
        # checked against) and a lock that makes this process's edits take turns.
        self._bases: dict[str, _Base] = {}
        self._rows = TaskRows()
        self._edit_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- reading -----------------------------------------------------------------------

    def role(self, user: User, key: str) -> str | None:
        with self.engine.connect() as conn:
            return accounts.role_on(conn, user.id, key)

    def current(self, user: User, key: str, permission: Permission = "see_team") -> Current:
        require(self.role(user, key), permission, key)
        return self._current(key)

    def portfolio(self, user: User) -> dict[str, Any]:
        """Every project the user has a role on, with its outcomes by status."""
        with self.engine.connect() as conn:
            roles = accounts.roles_of(conn, user.id)
        projects = []
        for key, role in roles.items():
            now = self._current(key)
            outcomes = [_client_outcome(o) for o in now.scheduled.schedule.outcomes]
            counts: dict[str, int] = {}
            for o in outcomes:
                counts[str(o["status"])] = counts.get(str(o["status"]), 0) + 1
            info = now.plan.project
            projects.append(
                {
                    "key": key,
                    "name": info.name,
                    "client": info.client,
                    "role": role,
                    "finish": iso(now.scheduled.schedule.finish),
                    "outcomes_by_status": counts,
                    "outcomes": outcomes,
                }
            )
        return {"user": {"email": user.email, "name": user.name}, "projects": projects}

    def overview(self, user: User, key: str) -> dict[str, Any]:
        """The project page: for the team, the outcome dashboard and the client's story;
        for a client, the portal (outcomes, deliverables, milestones; no money)."""
        role = require(self.role(user, key), "see", key)
        now = self._current(key)
        if not is_team(role):
            return {"role": role, **client_view(now)}
        plan, sched = now.plan, now.scheduled.schedule
        program = plan.program
        return {
            "role": role,
            "project": _project_json(now),
            "program": None
            if program is None
            else {
                "name": program.name,
                "benefit": program.benefit,
                "budget": program.budget,
                "start": iso(program.start),
                "finish": iso(program.finish),
                "vendors": [{"name": v.name, "role": v.role} for v in program.vendors],
                "milestones": [
                    {"id": m.id, "name": m.name, "date": iso(m.date), "vendor": m.vendor}
                    for m in program.milestones
                ],
            },
            "outcomes": [outcome_json(o) for o in sched.outcomes_by_priority()],
            "findings": len(sched.findings),
            "baselines": [b.name for b in now.baselines],
        }

    def tasks(self, user: User, key: str) -> dict[str, Any]:
        """The task table: what the plan says of each task, what the schedule made of it,
        and the version an edit must name."""
        role = require(self.role(user, key), "see_team", key)
        now = self._current(key)
        rows = now.derived("task rows", lambda: self._rows.of(now))
        return {"role": role, "project": _project_json(now), "tasks": rows}

    def schedule(self, user: User, key: str) -> dict[str, Any]:
        now = self.current(user, key)
        return now.derived("schedule", lambda: schedule_to_json(now.scheduled.schedule))

    def plan_text(self, user: User, key: str) -> str:
        """The project as its canonical plan file."""
        return dump_plan(self.current(user, key).plan)

    def conversations(self, user: User, key: str) -> dict[str, Any]:
        now = self.current(user, key)
        return {
            "project": _project_json(now),
            "conversations": [
                {
                    "date": iso(c.date),
                    "with": c.with_,
                    "notes": c.notes,
                    "outcomes": list(c.outcomes),
                    "decisions": list(c.decisions),
                }
                for c in reversed(now.plan.conversations)
            ],
        }

    def history(self, user: User, key: str) -> dict[str, Any]:
        require(self.role(user, key), "see_team", key)
        with self.engine.connect() as conn:
            entries = repository.journal_entries(conn, key)
        return {
            "project": key,
            "entries": [
                {
                    "id": e.id,
                    "at": e.at.isoformat(timespec="seconds"),
                    "who": e.who,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "action": e.action,
                    "version": e.version,
                    "before": None if e.action in ("import", "replace", "restore") else e.before,
                    "after": None if e.action in ("import", "replace", "restore") else e.after,
                }
                for e in reversed(entries)
            ],
        }

    def plan_at(self, user: User, key: str, journal_id: int) -> str:
        """The project's plan file as it was just after a journal entry."""
        require(self.role(user, key), "see_team", key)
        with self.engine.connect() as conn:
            return dump_plan(repository.project_at(conn, key, journal_id))

    def findings(self, user: User, key: str) -> dict[str, Any]:
        """What the PM should know (each with its meaning for the client and what to do),
        and the schedule's health checks against the latest baseline."""
        now = self.current(user, key)
        sched = now.scheduled.schedule
        latest = now.baselines[-1] if now.baselines else None
        return {
            "project": _project_json(now),
            "findings": [finding_json(f) for f in sched.findings],
            "health": health_to_json(health_of(now.plan, latest)),
        }

    def advice(self, user: User, key: str) -> dict[str, Any]:
        """Course corrections per outcome at stake, each scheduled again (what-ifs)."""
        now = self.current(user, key)
        return {
            "project": _project_json(now),
            **advice_to_json(now.derived("advice", lambda: advise_on(now.plan))),
        }

    def evm(self, user: User, key: str, today: date, baseline: str | None = None) -> dict[str, Any]:
        """Earned value against the named baseline (the latest when None); without any
        saved baseline, none can be measured."""
        now = self.current(user, key)
        tracked = _tracked(now, baseline, today)
        evm = None if tracked is None else evm_to_json(tracked)
        return {"project": _project_json(now), "evm": evm}

    def evm_chart(self, user: User, key: str, today: date, baseline: str | None = None) -> str:
        tracked = _tracked(self.current(user, key), baseline, today)
        if tracked is None:
            raise BaselineError("save a baseline first: earned value is measured against one")
        return scurve_svg(tracked)

    def baselines(self, user: User, key: str, today: date) -> dict[str, Any]:
        """The saved baselines, the latest against the schedule now, and each outcome's
        forecast at every baseline."""
        now = self.current(user, key)
        # Freezing the schedule schedules the plan again (it needs the minute-exact timing):
        # once per version and day, not per request.
        current = now.derived(f"baseline now {today}", lambda: current_baseline(now.plan, today))
        latest = now.baselines[-1] if now.baselines else None
        return {
            "project": _project_json(now),
            "baselines": baselines_to_json(now.baselines),
            "comparison": comparison_to_json(compare(latest, current)) if latest else None,
            "trend": trend_to_json(trend([*now.baselines, current])),
        }

    def confidence(
        self, user: User, key: str, today: date, permission: Permission = "see"
    ) -> dict[str, Any]:
        """Each outcome's P50/P80/P90 and chance of meeting its target from simulated
        futures (QUICK_ITERATIONS, REPORT_SEED: the same version gives the same figures),
        worked out once per project version. The team also sees what drives each date
        and what would most raise its chance; a client sees the dates and chances only
        (no task, resource or cost)."""
        role = require(self.role(user, key), permission, key)
        now = self._current(key)
        odds = self._confidence(now)
        as_of = iso(now.plan.project.status_date or today)
        if not is_team(role):
            return {
                "role": role,
                "project": client_view(now)["project"],
                "as_of": as_of,
                "iterations": odds.iterations,
                "seed": odds.seed,
                "outcomes": [
                    {**confidence_figures(o), "statement": o.statement} for o in odds.outcomes
                ],
            }
        return {
            "role": role,
            "project": _project_json(now),
            "as_of": as_of,
            **confidence_to_json(odds),
        }

    def _confidence(self, now: Current) -> Confidence:
        return now.derived("confidence", lambda: confidence_of(now.plan, self._options))

    def report(self, user: User, key: str, which: str, fmt: ReportFormat, today: date) -> str:
        """The client report (which anyone on the project may read) or the team briefing,
        with each outcome's confidence."""
        now = self.current(user, key, "see" if which == "client" else "see_team")
        sp = now.scheduled
        latest = now.baselines[-1] if now.baselines else None
        odds = self._confidence(now)
        tracked = now.derived(
            f"tracking {today}", lambda: tracking_of(sp, latest, today, key, odds)
        )
        if which == "client":
            return client_report(sp, tracked, fmt)
        return team_briefing(sp, tracked, today, fmt)

    def report_pdf(self, user: User, key: str, which: str, today: date) -> bytes:
        from ontrack.reports.pdf import html_to_pdf  # WeasyPrint loads only for a PDF

        return html_to_pdf(self.report(user, key, which, "html", today))

    def gantt(self, user: User, key: str, today: date) -> str:
        return gantt(self.current(user, key).scheduled, today)

    def members(self, user: User, key: str) -> dict[str, Any]:
        require(self.role(user, key), "see_team", key)
        with self.engine.connect() as conn:
            people = accounts.members(conn, key)
        return {
            "project": key,
            "members": [{"email": u.email, "name": u.name, "role": role} for u, role in people],
        }

    def outcomes(self, user: User, key: str) -> dict[str, Any]:
        """For a client, the portal's outcomes; for the team, each with its driving tasks."""
        role = require(self.role(user, key), "see", key)
        now = self._current(key)
        if not is_team(role):
            return {"role": role, "outcomes": client_view(now)["outcomes"]}
        shown = [outcome_json(o) for o in now.scheduled.schedule.outcomes_by_priority()]
        return {"role": role, "outcomes": shown}

    def deliverables(self, user: User, key: str) -> dict[str, Any]:
        """The portal's deliverables (forecast, acceptance); the team also sees their tasks."""
        role = require(self.role(user, key), "see", key)
        now = self._current(key)
        shown = client_view(now)["deliverables"]
        if is_team(role):
            tasks: dict[str, list[str]] = {}
            for task, _ in now.plan.walk_tasks():
                if task.deliverable and not task.is_summary:
                    tasks.setdefault(task.deliverable, []).append(task.id)
            shown = [{**d, "tasks": tasks.get(d["id"], [])} for d in shown]
        return {"role": role, "deliverables": shown}

    def resources(self, user: User, key: str) -> dict[str, Any]:
        """The plan's resources: units, rates, calendars and days away (the team only)."""
        now = self.current(user, key)
        return {
            "project": _project_json(now),
            "resources": [
                {
                    "id": r.id,
                    "name": r.name,
                    "units": r.units,
                    "rate": r.rate,
                    "calendar": r.calendar,
                    "away": [{"from": iso(a.start), "to": iso(a.end)} for a in r.away],
                }
                for r in now.plan.resources
            ],
        }

    def dependencies(self, user: User, key: str) -> dict[str, Any]:
        """Every link: the task, the task it waits for, the link's type and lag."""
        now = self.current(user, key)
        links = [
            {
                "task": task.id,
                "predecessor": d.task,
                "type": d.type,
                "lag": None if d.lag is None else str(d.lag),
            }
            for task, _ in now.plan.walk_tasks()
            for d in task.after
        ]
        return {"project": _project_json(now), "dependencies": links}

    # --- writing -----------------------------------------------------------------------

    def create_project(self, user: User, text: str, filename: str) -> str:
        """A new project from an uploaded plan file; its uploader owns it. Someone who is
        a client on every project they have a role on is a client, and starts none."""
        with self.engine.connect() as conn:
            roles = set(accounts.roles_of(conn, user.id).values())
        if roles == {"client"}:
            raise Denied("a client cannot start projects: ask your project manager")
        plan = parse_plan(text, filename)
        with self.engine.begin() as conn:
            key = repository.import_plan(conn, plan, user.email)
            accounts.grant(conn, user.id, key, "owner")
        return key

    def upload(self, user: User, key: str, text: str, filename: str, version: int) -> int:
        """Replace the project with an uploaded plan file, if nobody changed it since
        `version` (the project's version when the uploader looked)."""
        require(self.role(user, key), "edit", key)
        plan = parse_plan(text, filename)
        with self.engine.begin() as conn:
            return repository.replace_plan(conn, key, plan, version, user.email)

    def edit_task(
        self, user: User, key: str, task_id: str, changes: Mapping[str, Any], version: int
    ) -> dict[str, Any]:
        """Change a task's fields (plan-file names and notation: "3d", ["hld", {"task":
        "x", "type": "SS", "lag": "2d"}], {"tech": 1}), if it is still at `version`.
        A member may change only progress. Returns the task and every outcome, scheduled
        again."""
        role = require(self.role(user, key), "record", key)
        unknown = sorted(set(changes) - EDITABLE_FIELDS)
        if unknown:
            raise Invalid([Problem(f, "not-editable", _not_editable(f)) for f in unknown])
        if role == "member" and set(changes) - PROGRESS_FIELDS:
            require(role, "edit", key)
        with self._edit_lock(key):  # this process's edits of a project, one at a time
            base = self._bases.get(key) or self._base_now(key)
            for _ in range(_ATTEMPTS):
                saved = self._saved_edit(user, key, task_id, changes, version, base)
                if isinstance(saved, _Base):
                    base = saved  # changed by another process meanwhile: check again
                    continue
                break
            else:
                raise Busy(f"project {key!r} is changing too fast to save this: try again")
            self._bases[key] = saved.base
        task, now = saved.task, saved.base
        if saved.versions is None:  # nothing to change
            after = self._current(key)
            version = after.task_versions[task_id]
        else:
            # The schedule with this change, or with it and later ones: edits that arrive
            # while the project is being scheduled share the next schedule.
            after = self._cache.get(key, now.version, lambda: self._newest(key))
            version = saved.versions[task_id]  # what this editor saw, not a later edit
        sched = after.scheduled.schedule
        return {
            "role": role,
            "task": {
                **task_json(sched.task(task_id), sched.delay(task_id)),
                "version": version,
                "plan": task_data(task),
            },
            "outcomes": [outcome_json(o) for o in sched.outcomes_by_priority()],
            "project": _project_json(after),
        }

    def _saved_edit(
        self,
        user: User,
        key: str,
        task_id: str,
        changes: Mapping[str, Any],
        version: int,
        base: _Base,
    ) -> _Saved | _Base:
        """The change checked against `base` and saved onto that version only; or, when
        the project has changed since `base`, the project as it is now, to check the
        change against again."""
        path = _path_of(base.plan, task_id)
        plan = _changed(base.plan, path, changes)  # checked as a plan file is
        old, task = _task_at(base.plan, path), _task_at(plan, path)
        values = {f: getattr(task, f) for f in changes if getattr(task, f) != getattr(old, f)}
        if not values:
            return _Saved(base, None, task)
        try:
            with self.engine.begin() as conn:
                # Onto the version it was checked against only: a cycle with a link
                # someone added meanwhile cannot slip in.
                repository.update_task(
                    conn, key, task_id, values, version, user.email, base.version
                )
                versions = repository.task_versions(conn, key)
        except ProjectMoved:
            with self.engine.connect() as conn:
                now = repository.caught_up(conn, key, base.plan, base.version)
                saved = repository.baselines(conn, key) if now.baselines_changed else base.baselines
            return _Base(now.plan, now.version, saved)
        return _Saved(_Base(plan, base.version + 1, base.baselines, versions), versions, task)

    def _base_now(self, key: str) -> _Base:
        now = self._current(key)
        return _Base(now.plan, now.version, now.baselines)

    def _edit_lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._edit_locks.setdefault(key, threading.Lock())

    def add_note(
        self,
        user: User,
        key: str,
        when: date,
        with_: str | None,
        notes: str,
        outcomes: tuple[str, ...] = (),
        decisions: tuple[str, ...] = (),
    ) -> None:
        require(self.role(user, key), "record", key)
        now = self._current(key)
        note = Conversation(when, with_ or None, notes, outcomes, decisions)
        noted = replace(now.plan, conversations=(*now.plan.conversations, note))
        _checked(plan_data(noted), ("conversations", len(now.plan.conversations)))
        with self.engine.begin() as conn:
            repository.add_conversation(conn, key, note, user.email)

    def save_baseline(self, user: User, key: str, name: str | None, today: date) -> Baseline:
        """Freeze the schedule as a baseline; a name already saved is refused."""
        require(self.role(user, key), "edit", key)
        now = self._current(key, fresh=True)  # the schedule with every change made so far
        name = baseline_name(now.baselines, name)
        if name in {b.name for b in now.baselines}:
            raise BaselineError(f"a baseline named '{name}' is already saved: choose another name")
        baseline = frozen_baseline(now.plan, name, today)
        with self.engine.begin() as conn:
            repository.save_baseline(conn, key, baseline, user.email)
        return baseline

    def grant(self, user: User, key: str, email: str, role: str) -> None:
        """Give `email` a role on the project (its owner only)."""
        grant(self.engine, email, key, role, by=user)

    def revoke(self, user: User, key: str, email: str) -> None:
        with self.engine.begin() as conn:
            require(accounts.role_on(conn, user.id, key), "grant", key)
            found = accounts.find_user(conn, email)
            if found is None:
                raise NotFound(f"no user {email!r}")
            if found.id == user.id:
                raise Invalid([Problem("email", "own-role", "you cannot take away your own role")])
            accounts.revoke(conn, found.id, key)

    def restore(self, user: User, key: str, journal_id: int) -> None:
        require(self.role(user, key), "edit", key)
        with self.engine.begin() as conn:
            repository.restore(conn, key, journal_id, user.email)

    # --- the cache of schedules ---------------------------------------------------------

    def _current(self, key: str, fresh: bool = False) -> Current:
        """The project's newest state; unless `fresh`, while it is being scheduled after a
        change, the one before (what a reader may see for a moment)."""
        with self.engine.connect() as conn:
            version = repository.project_version(conn, key)
        return self._cache.get(key, version, lambda: self._load(key), stale_ok=not fresh)

    def _newest(self, key: str) -> Current:
        """The project after the last change saved here, scheduled (read again from the
        database when another process saved last)."""
        base = self._bases.get(key)
        if base is None or base.task_versions is None:
            return self._load(key)
        return self._scheduled(key, base.version, base.plan, base.baselines, base.task_versions)

    def _load(self, key: str) -> Current:
        """The project as the database has it now, scheduled."""
        with self.engine.connect() as conn:
            version = repository.project_version(conn, key)
            plan = repository.export_plan(conn, key)
            versions = repository.task_versions(conn, key)
            saved = repository.baselines(conn, key)
        return self._scheduled(key, version, plan, saved, versions)

    def _scheduled(
        self,
        key: str,
        version: int,
        plan: Plan,
        saved: tuple[Baseline, ...],
        versions: dict[str, int],
    ) -> Current:
        """Outcomes slipping since the latest baseline are judged at risk sooner, as for
        a plan file (services.schedule_plan)."""
        options = self._options
        if saved:
            forecasts = {o.id: o.forecast for o in saved[-1].outcomes}
            options = replace(options, baseline_forecasts=forecasts)
        return Current(
            key, version, Scheduled(plan, self._schedule(plan, options)), saved, versions
        )

    def close(self) -> None:
        self._schedule.close()


def _tracked(now: Current, baseline: str | None, today: date) -> Tracked | None:
    """Earned value against the named baseline (the latest when None); None without any."""
    chosen = _baseline(now, baseline)
    return None if chosen is None else Tracked(now.plan, measure(now.plan, chosen, today))


def _baseline(now: Current, name: str | None) -> Baseline | None:
    if name is None:
        return now.baselines[-1] if now.baselines else None
    for baseline in now.baselines:
        if baseline.name == name:
            return baseline
    raise NotFound(f"no baseline {name!r} in project {now.key!r}")


def client_view(now: Current) -> dict[str, Any]:
    """What a client may see: outcomes, deliverables and milestones, with dates and status;
    no costs, rates, notes, resources or task-level detail."""
    plan, sched = now.plan, now.scheduled.schedule
    finishes: dict[str, date] = {}
    milestones = []
    for task, _ in plan.walk_tasks():
        result = sched.task(task.id)
        if task.deliverable and not task.is_summary:
            finishes[task.deliverable] = max(
                result.finish, finishes.get(task.deliverable, result.finish)
            )
        if task.is_milestone:
            milestones.append(
                {
                    "id": task.id,
                    "name": task.name,
                    "date": iso(result.finish),
                    "done": bool(task.actual_finish),
                }
            )
    if plan.program:
        milestones += [
            {"id": m.id, "name": m.name, "date": iso(m.date), "done": False}
            for m in plan.program.milestones
        ]
    info = plan.project
    return {
        "project": {
            "key": now.key,
            "name": info.name,
            "client": info.client,
            "manager": info.manager,
            "status_date": iso(info.status_date),
            "finish": iso(sched.finish),
        },
        "outcomes": [_client_outcome(o) for o in sched.outcomes_by_priority()],
        "deliverables": [
            {
                "id": d.id,
                "name": d.name,
                "outcomes": list(d.outcomes),
                "acceptance": d.acceptance,
                "forecast": iso(finishes.get(d.id)),
            }
            for d in plan.deliverables
        ],
        "milestones": sorted(milestones, key=lambda m: m["date"] or ""),
    }


def _client_outcome(o: Any) -> dict[str, Any]:
    return {
        "id": o.id,
        "statement": o.statement,
        "priority": o.priority,
        "target": iso(o.target),
        "forecast": iso(o.forecast),
        "slack_days": o.slack_days,
        "status": o.status,
    }


def _project_json(now: Current) -> dict[str, Any]:
    info, sched = now.plan.project, now.scheduled.schedule
    return {
        "key": now.key,
        "name": info.name,
        "client": info.client,
        "manager": info.manager,
        "driver": info.driver,
        "currency": info.currency,
        "status_date": iso(info.status_date),
        "start": iso(sched.start),
        "finish": iso(sched.finish),
        "cost": sched.cost,
        "version": now.version,
    }


def _changed(plan: Plan, path: tuple[str | int, ...], changes: Mapping[str, Any]) -> Plan:
    """The plan with `changes` made to the task at `path`, checked as a plan file is: the
    task on its own, then the plan around it (references, cycles)."""
    old = _task_at(plan, path)
    data = {"id": old.id, **task_data(old)}
    for name, value in changes.items():
        if value is None or value == "" or value == [] or value == {}:
            data.pop(name, None)
        else:
            data[name] = value
    try:
        task = replace(task_from_data(data), tasks=old.tasks)
    except PlanError as error:
        own = [_problem({}, d.path, (), d.code, d.message) for d in error.diagnostics]
        raise Invalid(own) from None
    changed = edit_task(plan, old.id, lambda _: (task,))
    found = [d for d in validate(changed) if d.severity == "error"]
    if found:
        data_of = plan_data(changed)  # to name the task a problem elsewhere lies in
        raise Invalid([_problem(data_of, d.path, path, d.code, d.message) for d in found])
    return changed


def _path_of(plan: Plan, task_id: str) -> tuple[str | int, ...]:
    """Where the task is in the plan (and in its plan file): ("tasks", 0, "tasks", 7)."""

    def search(
        tasks: tuple[Task, ...], prefix: tuple[str | int, ...]
    ) -> tuple[str | int, ...] | None:
        for i, task in enumerate(tasks):
            if task.id == task_id:
                return (*prefix, i)
            found = search(task.tasks, (*prefix, i, "tasks"))
            if found is not None:
                return found
        return None

    found = search(plan.tasks, ("tasks",))
    if found is None:
        raise NotFound(f"no task {task_id!r}")
    return found


def _task_at(plan: Plan, path: tuple[str | int, ...]) -> Task:
    node: Any = plan
    for step in path:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    task: Task = node
    return task


def _checked(data: dict[str, Any], subject: tuple[str | int, ...]) -> Plan:
    try:
        return plan_from_data(data)
    except PlanError as error:
        problems = [_problem(data, d.path, subject, d.code, d.message) for d in error.diagnostics]
        raise Invalid(problems) from None


def _problem(
    data: dict[str, Any],
    path: tuple[str | int, ...],
    subject: tuple[str | int, ...],
    code: str,
    message: str,
) -> Problem:
    """A problem named by its field within the subject (`duration`, `after[0].task`), or,
    when it lies in another task (a cycle through it), by that task's id and field."""
    if path[: len(subject)] == subject:
        prefix, rest = "", path[len(subject) :]
    else:
        prefix, rest = "", path
        entry: Any = data
        for i, step in enumerate(path):
            if isinstance(entry, dict):
                entry = entry.get(step)
            elif isinstance(entry, list) and isinstance(step, int):
                entry = entry[step]
            else:
                break
            if isinstance(entry, dict) and "id" in entry and path[i - 1 : i] != ("outcomes",):
                prefix, rest = f"{entry['id']}.", path[i + 1 :]
    name = ""
    for step in rest:
        if step == "[key]":  # the key of a mapping entry, like a resource's id
            continue
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return Problem(prefix + name if name else prefix.rstrip(".") or "task", code, message)


def _not_editable(name: str) -> str:
    return f"'{name}' cannot be edited here: edit one of {', '.join(sorted(EDITABLE_FIELDS))}"
