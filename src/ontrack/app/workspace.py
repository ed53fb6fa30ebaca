"""The team's projects in the database: the use cases of the web app and its API.

Every use case names the user asking; the role they hold on the project decides what they
may see and do (app.access). Reading returns plain JSON-ready data, the same for a page
and its JSON twin; writing happens in one transaction with its journal entry, after the
change passed the checks a plan file passes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa

from ontrack.app.access import Denied, is_team, require
from ontrack.app.accounts import grant
from ontrack.app.advise import advice_to_json, advise_on
from ontrack.app.evm import Tracked, evm_to_json, measure, scurve_svg
from ontrack.app.health import health_of, health_to_json
from ontrack.app.levelling import LevelSettings
from ontrack.app.reporting import ReportFormat, client_report, team_briefing, tracking_of
from ontrack.app.schedule_json import finding_json, iso, outcome_json, schedule_to_json, task_json
from ontrack.app.services import Scheduled, gantt, schedule_options
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
from ontrack.core.diagnostics import PlanError
from ontrack.core.model import Conversation, Plan, Task
from ontrack.core.schedule import schedule
from ontrack.planfile import dump_plan, parse_plan
from ontrack.planfile.dump import plan_data, task_data
from ontrack.planfile.read import plan_from_data
from ontrack.store import NotFound, accounts, repository
from ontrack.store import tables as t
from ontrack.store.accounts import User

# What a member may record on a task; everything else about a task is a manager's edit.
PROGRESS_FIELDS = frozenset({"percent_complete", "actual_start", "actual_finish", "actual_cost"})
EDITABLE_FIELDS = frozenset(
    {"name", "duration", "after", "resources", "not_before", "pin", "deadline", "cost",
     "notes", "kind", "deliverable", "outcomes", *PROGRESS_FIELDS}
)  # fmt: skip
T = TypeVar("T")
_CACHED = 64  # schedules kept: one per project version; a change makes a new version


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


class Invalid(ValueError):
    """A change the plan cannot take; each problem names the field. Nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Current:
    """A project as it stands: the plan, its schedule, its baselines and every task's
    version (what an edit must name)."""

    key: str
    version: int
    scheduled: Scheduled
    baselines: tuple[Baseline, ...]
    task_versions: dict[str, int]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """What is worked out from this version once (advice, the reports' tracking)."""
        if name not in self._derived:
            self._derived[name] = compute()
        result: T = self._derived[name]
        return result

    @property
    def plan(self) -> Plan:
        return self.scheduled.plan


class Workspace:
    """The use cases over one database. It keeps the last schedules it computed, keyed by
    the project's newest journal entry, so reading an unchanged project does not
    schedule it again; every change writes a journal entry, so a cached one is never stale.
    """

    def __init__(self, engine: sa.Engine, settings: LevelSettings | None = None) -> None:
        self.engine = engine
        self._options = schedule_options(settings)
        self._cache: OrderedDict[tuple[str, int], Current] = OrderedDict()
        self._lock = threading.Lock()

    # --- reading -----------------------------------------------------------------------

    def role(self, user: User, key: str) -> str | None:
        with self.engine.connect() as conn:
            return accounts.role_on(conn, user.id, key)

    def current(self, user: User, key: str, permission: str = "see_team") -> Current:
        require(self.role(user, key), permission, key)  # type: ignore[arg-type]
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
        sched = now.scheduled.schedule
        rows = []
        for task, parent in now.plan.walk_tasks():
            result = task_json(sched.task(task.id), sched.delay(task.id))
            rows.append(
                {
                    **result,
                    "parent": parent.id if parent else None,
                    "version": now.task_versions[task.id],
                    "plan": task_data(task),
                }
            )
        return {"role": role, "project": _project_json(now), "tasks": rows}

    def schedule(self, user: User, key: str) -> dict[str, Any]:
        return schedule_to_json(self.current(user, key).scheduled.schedule)

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
        chosen = _baseline(now, baseline)
        if chosen is None:
            return {"project": _project_json(now), "evm": None}
        tracked = Tracked(now.plan, measure(now.plan, chosen, today))
        return {"project": _project_json(now), "evm": evm_to_json(tracked)}

    def evm_chart(self, user: User, key: str, today: date, baseline: str | None = None) -> str:
        now = self.current(user, key)
        chosen = _baseline(now, baseline)
        if chosen is None:
            raise BaselineError("save a baseline first: earned value is measured against one")
        return scurve_svg(Tracked(now.plan, measure(now.plan, chosen, today)))

    def baselines(self, user: User, key: str, today: date) -> dict[str, Any]:
        """The saved baselines, the latest against the schedule now, and each outcome's
        forecast at every baseline."""
        now = self.current(user, key)
        current = current_baseline(now.plan, today)
        latest = now.baselines[-1] if now.baselines else None
        return {
            "project": _project_json(now),
            "baselines": baselines_to_json(now.baselines),
            "comparison": comparison_to_json(compare(latest, current)) if latest else None,
            "trend": trend_to_json(trend([*now.baselines, current])),
        }

    def report(self, user: User, key: str, which: str, fmt: ReportFormat, today: date) -> str:
        """The client report (which anyone on the project may read) or the team briefing."""
        now = self.current(user, key, "see" if which == "client" else "see_team")
        sp = now.scheduled
        latest = now.baselines[-1] if now.baselines else None
        tracked = now.derived(f"tracking {today}", lambda: tracking_of(sp, latest, today, key))
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
        now = self._current(key)
        task = _changed(now.plan, task_id, changes)
        old = next(t for t, _ in now.plan.walk_tasks() if t.id == task_id)
        values = {f: getattr(task, f) for f in changes if getattr(task, f) != getattr(old, f)}
        with self.engine.begin() as conn:
            repository.update_task(conn, key, task_id, values, version, user.email)
        after = self._current(key)
        sched = after.scheduled.schedule
        return {
            "role": role,
            "task": {
                **task_json(sched.task(task_id), sched.delay(task_id)),
                "version": after.task_versions[task_id],
                "plan": task_data(task),
            },
            "outcomes": [outcome_json(o) for o in sched.outcomes_by_priority()],
            "project": _project_json(after),
        }

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
        now = self._current(key)
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

    def _current(self, key: str) -> Current:
        with self.engine.connect() as conn:
            head = _journal_head(conn, key)
            cache_key = (key, head)
            with self._lock:
                cached = self._cache.get(cache_key)
                if cached is not None:
                    self._cache.move_to_end(cache_key)
                    return cached
            plan = repository.export_plan(conn, key)
            versions = repository.task_versions(conn, key)
            version = repository.project_version(conn, key)
            saved = repository.baselines(conn, key)
        options = self._options
        if saved:
            options = replace(
                options, baseline_forecasts={o.id: o.forecast for o in saved[-1].outcomes}
            )
        current = Current(key, version, Scheduled(plan, schedule(plan, options)), saved, versions)
        with self._lock:
            self._cache[cache_key] = current
            while len(self._cache) > _CACHED:
                self._cache.popitem(last=False)
        return current


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


def _changed(plan: Plan, task_id: str, changes: Mapping[str, Any]) -> Task:
    """The task with `changes`, checked with the whole plan as a plan file is."""
    data = plan_data(plan)
    path = _task_path(data["tasks"], task_id, ("tasks",))
    if path is None:
        raise NotFound(f"no task {task_id!r}")
    entry: Any = data
    for step in path:
        entry = entry[step]
    for name, value in changes.items():
        if value is None or value == "" or value == [] or value == {}:
            entry.pop(name, None)
        else:
            entry[name] = value
    return next(t for t, _ in _checked(data, path).walk_tasks() if t.id == task_id)


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


def _task_path(
    tasks: list[dict[str, Any]], task_id: str, prefix: tuple[str | int, ...]
) -> tuple[str | int, ...] | None:
    for i, entry in enumerate(tasks):
        here = (*prefix, i)
        if entry.get("id") == task_id:
            return here
        found = _task_path(entry.get("tasks", []), task_id, (*here, "tasks"))
        if found is not None:
            return found
    return None


def _not_editable(name: str) -> str:
    return f"'{name}' cannot be edited here: edit one of {', '.join(sorted(EDITABLE_FIELDS))}"


def _journal_head(conn: sa.Connection, key: str) -> int:
    j, p = t.journal.c, t.projects.c
    head = conn.execute(
        sa.select(sa.func.max(j.id)).join(t.projects, p.id == j.project_id).where(p.key == key)
    ).scalar()
    if head is None:
        raise NotFound(f"no project {key!r}")
    return int(head)
