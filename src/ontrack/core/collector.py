"""Pausing Python's cycle collector around work that builds many small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Parsing and scheduling a large plan build a few objects per task, all alive until
    the result is done and none in a reference cycle; the cycle collector would rescan
    them again and again (half the time of a 100k-task schedule, measured), so it waits.
    The previous state is restored, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
