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


def test_the_cache_keeps_the_newest_states_only() -> None:
    cache, computed = ProjectCache(size=2), []

    def compute(version: int) -> Current:
        computed.append(version)
        return state(version)

    for version in (1, 2, 3, 3, 2, 1):
        cache.get("p", version, lambda v=version: compute(v))
    assert computed == [1, 2, 3, 1]  # 3 and 2 were kept; 1 was let go, so made again
