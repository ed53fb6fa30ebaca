"""The web app's cache of project states: each version is scheduled once, however many
requests ask for it at the same moment; readers may see the state before meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ontrack.app.current import Current, ProjectCache
from ontrack.app.services import Scheduled, schedule_options
from ontrack.core.schedule import schedule
from ontrack.planfile import load_plan

PLAN = load_plan(Path(__file__).parents[2] / "examples" / "plant-wifi.yaml")
SCHEDULE = schedule(PLAN, schedule_options())


def state(version: int) -> Current:
    return Current("p", version, Scheduled(PLAN, SCHEDULE), (), {})


def test_a_version_asked_for_by_many_threads_at_once_is_computed_once() -> None:
    cache, calls, start = ProjectCache(), [], threading.Barrier(8)

    def compute() -> Current:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive meanwhile
        return state(2)

    got: list[Current] = []

    def ask() -> None:
        start.wait()
        got.append(cache.get("p", 2, compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)


def test_a_reader_sees_the_state_before_while_a_new_one_is_computed_but_not_after() -> None:
    cache = ProjectCache()
    cache.get("p", 1, lambda: state(1))
    computing, release = threading.Event(), threading.Event()

    def slow() -> Current:
        computing.set()
        release.wait(5)
        return state(2)

    editor = threading.Thread(target=lambda: cache.get("p", 2, slow))
    editor.start()
    assert computing.wait(5)
    assert cache.get("p", 2, lambda: state(99), stale_ok=True).version == 1
    release.set()
    editor.join()
    assert cache.get("p", 2, lambda: state(99), stale_ok=True).version == 2


def test_a_newer_state_answers_for_an_older_version_without_computing() -> None:
    cache, computed = ProjectCache(), []
    cache.get("p", 3, lambda: state(3))
    assert cache.get("p", 2, lambda: computed.append(2) or state(2)).version == 3
    assert computed == []


def test_edits_saved_while_the_project_is_scheduled_share_the_next_schedule() -> None:
    cache, computed = ProjectCache(), []
    computing, release = threading.Event(), threading.Event()
    newest = [1]  # the version the next computation would schedule

    def compute() -> Current:
        version = newest[0]
        computed.append(version)
        if len(computed) == 1:
            computing.set()
            release.wait(5)
        return state(version)

    first = threading.Thread(target=lambda: cache.get("p", 1, compute))
    first.start()
    assert computing.wait(5)
    newest[0] = 4  # three more edits saved meanwhile, each waiting for its version
    waiters = [threading.Thread(target=lambda v=v: cache.get("p", v, compute)) for v in (2, 3, 4)]
    for w in waiters:
        w.start()
    time.sleep(0.05)
    release.set()
    for t in (first, *waiters):
        t.join()
    assert computed == [1, 4]  # not 1, 2, 3, 4


def test_the_cache_keeps_the_newest_states_only() -> None:
    cache, computed = ProjectCache(size=2), []

    def compute(key: str) -> Current:
        computed.append(key)
        return Current(key, 1, Scheduled(PLAN, SCHEDULE), (), {})

    for key in ("p", "q", "r", "r", "q", "p"):
        cache.get(key, 1, lambda k=key: compute(k))
    assert computed == ["p", "q", "r", "p"]  # r and q were kept; p was let go, so made again
