"""The web app under load: 50 people reading and editing a 500-task project at once.

For each database (SQLite in a temporary file; PostgreSQL at --postgres-url, or
ONTRACK_TEST_POSTGRES_URL, or else a throwaway server started here as `scripts/test-services`
does), it imports a realistic plan (benchmarks/web_plan.py: work packages, deliverables,
outcomes with targets, 21 resources, progress recorded up to the status date), adds the
people (a fifth managers, the rest members; one person owns the project) with API tokens,
saves a baseline, starts the app with uvicorn on 127.0.0.1 in its own process, and runs
locust in this one (headless) for --seconds once every simulated person has signed in.

The people: two in ten use the browser (signed in with their password; the project
page, the task table, and saving a row as HTMX does, with the CSRF header), the rest the
API with a Bearer token (/api/projects, the project, its tasks, its schedule, and PATCH of
a task). Each person pauses 0.25 to 1.25 s between requests (--think): more than a click
a second (the target of 50 requests/s from 50 people needs that), busier than anyone at a
keyboard. About one request in ten is an edit: managers change a duration, members record
progress. An edit names the version the person last read; a 409
(someone saved that task first) is optimistic locking doing its job: it is counted as a
conflict, not an error, and the person reads the tasks again and retries. Any other 4xx, a
5xx or a failed connection is an error.

Prints per database: requests/s, p50/p95/p99 latency, errors, conflicts and edits/s beside
the targets (>= 50 requests/s, p95 <= 300 ms, no errors), a line per kind of request, and
the CPU the server used (its scheduling worker process included).

    .venv/bin/python benchmarks/web_load.py [--seconds 60] [--users 50] [--tasks 500]
        [--db sqlite|postgresql|both] [--scheduling worker|inline|both] [--workers 1]
        [--think 0.25,1.25] [--profile DIR]
"""

# locust first: it patches the standard library for gevent before anything imports it.
from locust import FastHttpUser, events, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import gevent
import numpy as np
import sqlalchemy as sa

from ontrack.app import accounts
from ontrack.app.workspace import Workspace
from ontrack.store import accounts as stored_accounts
from ontrack.store import import_plan, open_store, sqlite_url
from web_plan import STATUS_DATE, leaf_ids, project_plan

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-123"
TARGET_RPS, TARGET_P95_MS = 50.0, 300.0
MANAGERS = 0.2  # of the people; the rest are members
BROWSERS = 0.2  # of the people; the rest use the API

# --- the people -------------------------------------------------------------------------


@dataclass
class Person:
    email: str
    role: str  # owner, manager or member
    token: str


@dataclass
class Run:
    """What the simulated people share: the project, who is still to be played, and the
    tally of the measured window (outcomes of requests, kept by the request listener)."""

    key: str = ""
    people: list[Person] = field(default_factory=list)
    editable: list[str] = field(default_factory=list)
    think: tuple[float, float] = (0.25, 1.25)
    edit_share: float = 0.1
    measuring: bool = False
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    edits: int = 0
    conflicts: int = 0
    retries_exhausted: int = 0
    ready: int = 0  # people past on_start (signed in)

    def take(self, browser: bool) -> Person:
        """The next person to play; browser people come from the end of the list."""
        return self.people.pop() if browser else self.people.pop(0)


RUN = Run()


@events.request.add_listener
def _tally(
    request_type: str,
    name: str,
    response_time: float,
    response: Any,
    exception: Any,
    **_: Any,
) -> None:
    if not RUN.measuring:
        return
    label = f"{request_type} {name}"
    RUN.times[label].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    RUN.statuses[(label, status)] += 1
    if exception is not None:
        RUN.errors[f"{label} -> {status}: {str(exception)[:160]}"] += 1


class Person_(FastHttpUser):
    abstract = True
    browser = False

    def wait_time(self) -> float:
        return random.uniform(*RUN.think)

    def on_start(self) -> None:
        self.me = RUN.take(self.browser)
        self.manager = self.me.role in ("owner", "manager")
        self.key = RUN.key
        self.rows: dict[str, dict[str, Any]] = {}

    reads: ClassVar[dict[str, float]] = {}

    @task
    def act(self) -> None:
        """One of the reads by their weights, or an edit, as often as --edits says."""
        share = RUN.edit_share
        names = [*self.reads, "edit"]
        total = sum(self.reads.values())
        weights = [*self.reads.values(), total * share / (1 - share) if share < 1 else 1.0]
        if share >= 1:
            weights = [0.0] * len(self.reads) + [1.0]
        getattr(self, random.choices(names, weights)[0])()

    def edit_values(self, row: dict[str, Any]) -> dict[str, Any]:
        """A manager mostly changes a duration; a member records progress (with the start
        date when the task had not started)."""
        if self.manager and random.random() < 0.7:
            return {"duration": f"{random.randint(1, 10)}d"}
        values: dict[str, Any] = {"percent_complete": float(random.randint(5, 95))}
        if not row.get("actual_start"):
            values["actual_start"] = STATUS_DATE.isoformat()
        return values


class ApiPerson(Person_):
    """Someone (or their script) on the API with a personal token."""

    def on_start(self) -> None:
        super().on_start()
        self.auth = {"authorization": f"Bearer {self.me.token}"}
        RUN.ready += 1

    reads: ClassVar[dict[str, float]] = {
        "portfolio": 2, "overview": 3, "task_list": 3, "schedule": 2,
    }  # fmt: skip

    def portfolio(self) -> None:
        self.client.get("/api/projects", headers=self.auth)

    def overview(self) -> None:
        self.client.get(f"/api/projects/{self.key}", name="/api/projects/[key]", headers=self.auth)

    def task_list(self) -> None:
        self.read_tasks()

    def schedule(self) -> None:
        self.client.get(
            f"/api/projects/{self.key}/schedule",
            name="/api/projects/[key]/schedule",
            headers=self.auth,
        )

    def edit(self) -> None:
        if not self.rows:
            self.read_tasks()
        task_id = random.choice(RUN.editable)
        for _ in range(3):
            row = self.rows.get(task_id)
            if row is None:
                return
            body = {"version": row["version"], **self.edit_values(row)}
            with self.client.patch(
                f"/api/projects/{self.key}/tasks/{task_id}",
                json=body,
                headers=self.auth,
                name="/api/projects/[key]/tasks/[id]",
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    answer.success()
                    done = answer.json()["task"]
                    self.rows[task_id] = {**done["plan"], "version": done["version"]}
                    _edited()
                    return
                if answer.status_code != 409:
                    answer.failure(f"{answer.status_code}: {(answer.text or '')[:200]}")
                    return
                answer.success()  # optimistic locking: read again and retry
            _conflicted()
            self.read_tasks()
        _gave_up()

    def read_tasks(self) -> None:
        answer = self.client.get(
            f"/api/projects/{self.key}/tasks", name="/api/projects/[key]/tasks", headers=self.auth
        )
        if answer.status_code == 200:
            self.rows = {
                r["id"]: {**r["plan"], "version": r["version"]} for r in answer.json()["tasks"]
            }


ROW = re.compile(
    r'<tr id="task-(?P<id>[^"]+)".*?name="version" value="(?P<version>\d+)"'
    r'(?:(?!<tr ).)*?(?:name="actual_start" type="date" value="(?P<start>[^"]*)"|</tr>)',
    re.S,
)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class BrowserPerson(Person_):
    """Someone in a browser: signs in with the password, reads the pages, saves a row of
    the task table as HTMX does (X-CSRF-Token header, HX-Request)."""

    browser = True

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/sign-in")
        token = CSRF.search(page.text or "")
        signed_in = self.client.post(
            "/sign-in",
            data={
                "email": self.me.email,
                "password": PASSWORD,
                "next": "/",
                "csrf": token[1] if token else "",
            },
        )
        self.csrf = CSRF.search(signed_in.text or "")
        RUN.ready += 1

    reads: ClassVar[dict[str, float]] = {"portfolio": 1, "project": 3, "task_table": 2}

    def portfolio(self) -> None:
        self.client.get("/")

    def project(self) -> None:
        self.client.get(f"/projects/{self.key}", name="/projects/[key]")

    def task_table(self) -> None:
        self.read_tasks()

    def edit(self) -> None:
        if not self.rows:
            self.read_tasks()
        task_id = random.choice(RUN.editable)
        headers = {"hx-request": "true", "x-csrf-token": self.csrf[1] if self.csrf else ""}
        for _ in range(3):
            row = self.rows.get(task_id)
            if row is None:
                return
            form = {"version": str(row["version"]), **self.edit_values(row)}
            with self.client.post(
                f"/projects/{self.key}/tasks/{task_id}",
                data={k: str(v) for k, v in form.items()},
                headers=headers,
                name="/projects/[key]/tasks/[id] (htmx)",
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    answer.success()
                    _edited()
                    self.rows[task_id] = {
                        **row,
                        "version": row["version"] + 1,
                        "actual_start": row.get("actual_start") or form.get("actual_start"),
                    }
                    return
                if answer.status_code != 409:
                    answer.failure(f"{answer.status_code}: {(answer.text or '')[:200]}")
                    return
                answer.success()
            _conflicted()
            self.read_tasks()
        _gave_up()

    def read_tasks(self) -> None:
        page = self.client.get(f"/projects/{self.key}/tasks", name="/projects/[key]/tasks")
        if page.status_code == 200:
            self.rows = {
                m["id"]: {"version": int(m["version"]), "actual_start": m["start"] or None}
                for m in ROW.finditer(page.text or "")
            }
            found = CSRF.search(page.text or "")
            self.csrf = found or self.csrf


def _edited() -> None:
    if RUN.measuring:
        RUN.edits += 1


def _conflicted() -> None:
    if RUN.measuring:
        RUN.conflicts += 1


def _gave_up() -> None:
    if RUN.measuring:
        RUN.retries_exhausted += 1


# --- the database and the people in it ----------------------------------------------------


def populate(url: str, n_tasks: int, n_people: int) -> tuple[str, list[Person], list[str], float]:
    """The project and its people in a new database at `url`; the key, the people (owner
    first), the tasks they may edit and the seconds it took."""
    begin = time.perf_counter()
    tag = uuid.uuid4().hex[:6]
    plan = project_plan(n_tasks, key=f"bench-{tag}")
    engine = open_store(url)
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            key = import_plan(conn, plan, "benchmark")
        managers = max(1, round(n_people * MANAGERS))
        people, password_hash = [], ""
        for i in range(n_people):
            role = "owner" if i == 0 else ("manager" if i < managers else "member")
            email = f"{role}{i}-{tag}@bench.example"
            if not password_hash:  # argon2 takes a quarter second a hash: hash once
                user = accounts.add_user(engine, email, f"Person {i}", PASSWORD, now)
                password_hash = user.password_hash
            with engine.begin() as conn:
                if i:
                    user = stored_accounts.add_user(conn, email, f"Person {i}", password_hash, now)
                stored_accounts.grant(conn, user.id, key, role)
            token = accounts.new_token(engine, email, "load test", now)
            people.append(Person(email, role, token))
        owner = stored_accounts_user(engine, people[0].email)
        Workspace(engine).save_baseline(owner, key, "approved", STATUS_DATE)
    finally:
        engine.dispose()
    # Interleave so that browser people (taken from the end) are managers and members too.
    random.Random(1).shuffle(people)
    return key, people, leaf_ids(plan), time.perf_counter() - begin


def stored_accounts_user(engine: sa.Engine, email: str) -> Any:
    with engine.connect() as conn:
        return stored_accounts.find_user(conn, email)


@contextmanager
def sqlite_database() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="ontrack-web-load.")
    try:
        yield sqlite_url(Path(folder) / "ontrack.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_database(url: str | None) -> Iterator[tuple[str, str]]:
    """`url` when given; else a throwaway PostgreSQL on loopback in a temporary directory
    (as the `postgres` user when run as root), with its default durability (fsync and
    synchronous commit on, as SQLite's synchronous=FULL), removed afterwards."""
    if url:
        yield url, "given server"
        return
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = str(found[-1]) if found else shutil.which("initdb")
    if initdb is None:
        raise SystemExit("no PostgreSQL: pass --postgres-url or install the postgresql package")
    bin_dir = Path(initdb).parent
    root = os.geteuid() == 0
    as_server = ["runuser", "-u", "postgres", "--"] if root else []
    folder = Path(tempfile.mkdtemp(prefix="ontrack-web-load-pg."))
    if root:
        shutil.chown(folder, "postgres", "postgres")
    data, port, started = folder / "data", _free_port(), False

    def run(*args: str, **kw: Any) -> None:
        subprocess.run([*as_server, *args], check=True, cwd="/", capture_output=True, **kw)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "--no-locale", "-E", "UTF8", "--no-sync")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}"
        )
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
            "-s", "-o", options, "start", start_new_session=True)  # fmt: skip
        started = True
        run(
            str(bin_dir / "createdb"),
            "-h",
            str(folder),
            "-p",
            str(port),
            "-U",
            "postgres",
            "ontrack",
        )
        version = subprocess.run(
            [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.split()[-1]
        yield (
            f"postgresql+psycopg://postgres@127.0.0.1:{port}/ontrack",
            f"throwaway PostgreSQL {version}",
        )
    finally:
        if started:
            subprocess.run(
                [*as_server, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                cwd="/", capture_output=True,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


# --- the server ------------------------------------------------------------------------


@contextmanager
def server(
    url: str, workers: int, scheduling: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn serving the app on 127.0.0.1 in its own process group."""
    port = _free_port()
    command = [
        sys.executable, "-m", "uvicorn", "web_server:app", "--factory", "--app-dir", str(HERE),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "ONTRACK_BENCH_URL": url, "ONTRACK_BENCH_SCHEDULING": scheduling}
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sign-in", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start (exit status {process.poll()})")
            time.sleep(0.2)
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _machine_busy() -> tuple[float, float]:
    """Seconds of CPU the whole machine spent busy, and in all, so far (/proc/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


# --- one run --------------------------------------------------------------------------------


@dataclass
class Figures:
    database: str
    seconds: float
    requests: int
    errors: int
    conflicts: int
    gave_up: int
    edits: int
    p50: float
    p95: float
    p99: float
    server_cpu: float
    own_cpu: float
    other_cpu: float
    by_kind: list[tuple[str, int, float, float, float]]
    statuses: Counter[tuple[str, int]]
    error_kinds: Counter[str]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def met(self) -> bool:
        return self.rps >= TARGET_RPS and self.p95 <= TARGET_P95_MS and self.errors == 0


def run_load(database: str, url: str, args: argparse.Namespace, scheduling: str) -> Figures:
    key, people, editable, setup = populate(url, args.tasks, args.users)
    ready = f"{args.tasks}-task project '{key}' and {args.users} people ready"
    print(f"  {database}: {ready} in {setup:.1f}s")
    RUN.__init__()  # type: ignore[misc]
    RUN.key, RUN.people, RUN.editable = key, list(people), editable
    RUN.think, RUN.edit_share = args.think, args.edits
    browsers = round(args.users * BROWSERS)
    ApiPerson.fixed_count = args.users - browsers
    BrowserPerson.fixed_count = browsers
    with server(url, args.workers, scheduling) as (base, process):
        env = Environment(user_classes=[ApiPerson, BrowserPerson], host=base, events=events)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=args.users / 2)
        while RUN.ready < args.users:
            gevent.sleep(0.1)
        gevent.sleep(3)  # everybody signed in and past their first requests
        profiler = _profile(process.pid, database, args)
        cpu0 = {pid: _cpu_seconds([pid]) for pid in _process_tree(process.pid)}
        own0, machine0 = time.process_time(), _machine_busy()
        RUN.measuring = True
        begin = time.perf_counter()
        gevent.sleep(args.seconds)
        RUN.measuring = False
        elapsed = time.perf_counter() - begin
        # The server's processes now (its scheduling worker may have started meanwhile).
        pids = _process_tree(process.pid)
        cpu = _cpu_seconds(pids) - sum(cpu0.get(pid, 0.0) for pid in pids)
        own = time.process_time() - own0
        machine1 = _machine_busy()
        others = max(0.0, machine1[0] - machine0[0] - cpu - own)
        runner.quit()
        if profiler is not None:
            profiler.wait()
    every = (
        np.concatenate([np.asarray(v) for v in RUN.times.values()]) if RUN.times else np.zeros(1)
    )
    p50, p95, p99 = (float(x) for x in np.percentile(every, [50, 95, 99]))
    by_kind = [
        (label, len(v), *(float(x) for x in np.percentile(v, [50, 95, 99])))
        for label, v in sorted(RUN.times.items(), key=lambda kv: -len(kv[1]))
    ]
    return Figures(
        database=database,
        seconds=elapsed,
        requests=int(every.size) if RUN.times else 0,
        errors=sum(RUN.errors.values()),
        conflicts=RUN.conflicts,
        gave_up=RUN.retries_exhausted,
        edits=RUN.edits,
        p50=p50,
        p95=p95,
        p99=p99,
        server_cpu=cpu / elapsed,
        own_cpu=own / elapsed,
        other_cpu=others / elapsed,
        by_kind=by_kind,  # type: ignore[arg-type]
        statuses=RUN.statuses.copy(),
        error_kinds=RUN.errors.copy(),
    )


def _profile(pid: int, database: str, args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    """py-spy recording the server (and its workers) for the measured window, if asked."""
    if not args.profile:
        return None
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    folder = Path(args.profile)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"web-load-{database}-{args.workers}w"
    command = [
        spy, "record", "--pid", str(pid), "--duration", str(int(args.seconds)), "--subprocesses",
        "--nonblocking", "--gil", "--rate", "50", "--format", "raw", "--output", f"{out}.txt",
    ]  # fmt: skip
    print(f"  profiling the server with py-spy into {out}.txt (collapsed stacks)")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- the report ---------------------------------------------------------------------------


def report(f: Figures, where: str, args: argparse.Namespace) -> None:
    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    think = f"{args.think[0]:g}-{args.think[1]:g}s"
    print(
        f"\n{f.database} ({where}), {args.users} people, {args.workers} uvicorn worker(s), "
        f"think time {think}, {100 * args.edits:g}% of actions edits, measured {f.seconds:.0f}s"
    )
    print(f"  {'figure':<22}{'measured':>12}   {'target':<12}")
    print(f"  {'requests/s':<22}{f.rps:>12.1f}   {'>= 50':<12}{mark(f.rps >= TARGET_RPS)}")
    print(f"  {'p50 latency (ms)':<22}{f.p50:>12.0f}")
    print(
        f"  {'p95 latency (ms)':<22}{f.p95:>12.0f}   {'<= 300':<12}{mark(f.p95 <= TARGET_P95_MS)}"
    )
    print(f"  {'p99 latency (ms)':<22}{f.p99:>12.0f}")
    print(f"  {'errors':<22}{f.errors:>12d}   {'0':<12}{mark(f.errors == 0)}")
    retried = f"(retried; {f.gave_up} edits gave up after 3 tries)"
    print(f"  {'conflicts (409)':<22}{f.conflicts:>12d}   {retried}")
    print(f"  {'edits/s':<22}{f.edits / f.seconds:>12.1f}   ({f.edits} saved)")
    per_request = 1000 * f.server_cpu * f.seconds / max(1, f.requests)
    print(
        f"  {'server CPU':<22}{100 * f.server_cpu:>11.0f}%   "
        f"(of one core; {per_request:.1f} ms a request)"
    )
    others = f"{100 * f.other_cpu:.0f}%"
    print(
        f"  {'other CPU':<22}{100 * f.own_cpu:>11.0f}%   load generator; other processes on "
        f"the machine {others} (of {os.cpu_count()} cores: {others} was not ours to use)"
    )
    print(f"  all targets: {mark(f.met)}")
    print(f"  {'request':<48}{'count':>7}{'p50':>8}{'p95':>8}{'p99':>8}")
    for label, count, a, b, c in f.by_kind:
        print(f"  {label:<48}{count:>7}{a:>8.0f}{b:>8.0f}{c:>8.0f}")
    odd = {k: v for k, v in f.statuses.items() if k[1] not in (200,)}
    if odd:
        print(
            "  answers other than 200: "
            + ", ".join(f"{k[0]} {k[1]}: {v}" for k, v in sorted(odd.items()))
        )
    for kind, count in f.error_kinds.most_common(8):
        print(f"  error x{count}: {kind}")


SCHEDULING = {"worker": "in a worker process", "inline": "in the request's thread"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="measured time per database")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("ONTRACK_TEST_POSTGRES_URL"),
        help="default: ONTRACK_TEST_POSTGRES_URL, else a throwaway server",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--think",
        default="0.25,1.25",
        help="each person's pause between requests, uniform in LOW,HIGH seconds",
    )
    parser.add_argument(
        "--edits",
        type=float,
        default=0.1,
        help="share of a person's actions that are edits (0 to 1)",
    )
    parser.add_argument(
        "--scheduling",
        choices=("worker", "inline", "both"),
        default="both",
        help="where the server schedules a project: in its worker process (as `ontrack "
        "serve` does), in the request's thread (the baseline), or both, one after the other",
    )
    parser.add_argument("--profile", metavar="DIR", help="record the server with py-spy into DIR")
    args = parser.parse_args()
    low, _, high = args.think.partition(",")
    args.think = (float(low), float(high or low))
    results = []
    ways = ("worker", "inline") if args.scheduling == "both" else (args.scheduling,)
    for way in ways:
        shown = f"scheduling {SCHEDULING[way]}"
        if args.db in ("sqlite", "both"):
            with sqlite_database() as url:
                figures = run_load("sqlite", url, args, way)
                results.append((figures, f"temporary file, WAL, synchronous=FULL; {shown}"))
        if args.db in ("postgresql", "both"):
            with postgres_database(args.postgres_url) as (url, where):
                results.append((run_load("postgresql", url, args, way), f"{where}; {shown}"))
    for figures, where in results:
        report(figures, where, args)
    print("\nsummary: " + "; ".join(
        f"{f.database} {f.rps:.1f} req/s, p95 {f.p95:.0f} ms, {f.errors} errors "
        f"-> {'met' if f.met else 'NOT met'}" for f, _ in results
    ))  # fmt: skip
    sys.exit(0 if all(f.met for f, _ in results) else 1)


if __name__ == "__main__":
    main()
