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
    project again."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._states: OrderedDict[tuple[str, int], Current] = OrderedDict()
        self._lock = threading.Lock()
        self._gates: dict[tuple[str, int], threading.Lock] = {}

    def get(
        self,
        key: str,
        version: int,
        compute: Callable[[], Current],
        stale_ok: bool = False,
    ) -> Current:
        """The state at `version`, computed here if nobody is computing it yet. With
        `stale_ok`, while another request computes it, the newest state already known
        instead of waiting (a reader sees the change a moment later; the editor who made
        it waits for it)."""
        name = (key, version)
        with self._lock:
            found = self._hit(name)
            if found is not None:
                return found
            computing = name in self._gates
            gate = self._gates.setdefault(name, threading.Lock())
            if computing and stale_ok:
                older = self._newest(key)
                if older is not None:
                    return older
        with gate:
            with self._lock:
                found = self._hit(name)
            if found is None:
                found = self.put(compute())
        with self._lock:
            self._gates.pop(name, None)
        return found

    def _newest(self, key: str) -> Current | None:
        known = [state for (k, _), state in self._states.items() if k == key]
        return max(known, key=lambda state: state.version, default=None)

    def put(self, state: Current) -> Current:
        with self._lock:
            self._states[(state.key, state.version)] = state
            self._states.move_to_end((state.key, state.version))
            while len(self._states) > self._size:
                self._states.popitem(last=False)
        return state

    def _hit(self, name: tuple[str, int]) -> Current | None:
        found = self._states.get(name)
        if found is not None:
            self._states.move_to_end(name)
        return found
