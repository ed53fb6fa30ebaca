"""Scheduling a plan for the web app: in this process, or in a worker process of its own.

Python runs one thread at a time, so a server that schedules a 500-task project (about a
tenth of a second) in the thread of an edit holds up every other request meanwhile. In a
worker process, the schedule uses the machine's other core and the server's threads go on
answering; the plan goes there and the schedule comes back pickled (a few milliseconds).
The schedule is the same either way: the core is deterministic.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.core.schedule import ScheduleOptions, schedule


class Scheduler:
    def __init__(self, separate_process: bool = False) -> None:
        self._separate = separate_process
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def __call__(self, plan: Plan, options: ScheduleOptions) -> Schedule:
        if not self._separate:
            return schedule(plan, options)
        try:
            return self._worker().submit(schedule, plan, options).result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): start another
            with self._lock:
                self._pool = None
            return self._worker().submit(schedule, plan, options).result()

    def _worker(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: forking a process that runs threads can copy held locks
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
