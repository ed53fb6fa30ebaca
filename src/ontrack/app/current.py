"""A project as it stands at one version, scheduled, and the cache that keeps the last few.

Every change moves a project's version on (store.repository), in the order the changes
commit, so (project, version) names one state for good: a cached state is never stale,
only superseded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ontrack.app.services import Scheduled
from ontrack.core.baseline import Baseline
from ontrack.core.model import Plan

T = TypeVar("T")


@dataclass(frozen=True)
class Current:
    """A project at one version: the plan, its schedule, its baselines and every task's
    version (what an edit must name)."""

    key: str
    version: int
    scheduled: Scheduled
    baselines: tuple[Baseline, ...]
    task_versions: dict[str, int]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _derived_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """What is worked out from this version once (the task rows, advice, the reports'
        tracking), by the first request that needs it; the others wait for it."""
        with self._derived_lock:
            if name not in self._derived:
                self._derived[name] = compute()
            result: T = self._derived[name]
        return result

    @property
    def plan(self) -> Plan:
        return self.scheduled.plan


class ProjectCache:
    """The last `size` project states. A state missing is computed once: requests that
    arrive for it meanwhile wait for that one computation instead of each scheduling the
    project again. A project is computed by one request at a time, and a state newer than
    the one asked for answers too: so edits saved while the project was being scheduled
    share the next computation, of the newest state, instead of queueing one each."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._states: OrderedDict[tuple[str, int], Current] = OrderedDict()
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Lock] = {}
        self._computing: set[str] = set()

    def get(
        self,
        key: str,
        version: int,
        compute: Callable[[], Current],
        stale_ok: bool = False,
    ) -> Current:
        """The newest state at `version` or later; when none is known, `compute` (which
        gives one at `version` or later) runs here once the project's previous computation,
        if any, is done. With `stale_ok`, while another request computes, the newest state
        already known instead of waiting (a reader sees the change a moment later; the
        editor who made it waits for it)."""
        with self._lock:
            found = self._newest(key, version)
            if found is not None:
                return found
            if stale_ok and key in self._computing:
                older = self._newest(key)
                if older is not None:
                    return older
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                found = self._newest(key, version)
                if found is not None:
                    return found
                self._computing.add(key)
            try:
                return self.put(compute())
            finally:
                with self._lock:
                    self._computing.discard(key)

    def _newest(self, key: str, at_least: int = 0) -> Current | None:
        known = [state for (k, v), state in self._states.items() if k == key and v >= at_least]
        found = max(known, key=lambda state: state.version, default=None)
        if found is not None:
            self._states.move_to_end((key, found.version))
        return found

    def put(self, state: Current) -> Current:
        with self._lock:
            self._states[(state.key, state.version)] = state
            self._states.move_to_end((state.key, state.version))
            while len(self._states) > self._size:
                self._states.popitem(last=False)
        return state
