"""What `--optimize` sets up: CP-SAT beside a search with the compiled decoder, and a
search that stops as soon as the solver proves its schedule optimal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ontrack.app.levelling import LevelSettings, effort_and_optimizer
from ontrack.core.rcpsp import decoder, problem

compiled_decode = pytest.importorskip("ontrack.solver.compiled_decode")
pytest.importorskip("ortools")
if not compiled_decode.available():
    pytest.skip("numba is not installed (the optimize extra)", allow_module_level=True)


def test_optimize_hands_the_search_the_compiled_decoder() -> None:
    effort, optimizer = effort_and_optimizer(LevelSettings(optimize=0.1))
    assert optimizer is not None and effort.decoder is compiled_decode.decoder
    assert effort_and_optimizer(LevelSettings())[0].decoder is decoder  # the default: the core's


def test_without_numba_optimize_searches_with_the_core_decoder() -> None:
    code = (
        "import sys; sys.modules['numba'] = None\n"
        "from ontrack.app.levelling import LevelSettings, effort_and_optimizer\n"
        "from ontrack.core.rcpsp import decoder\n"
        "from ontrack.solver import compiled_decode\n"
        "effort, _ = effort_and_optimizer(LevelSettings(optimize=0.1))\n"
        "print(compiled_decode.available(), effort.decoder is decoder)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_the_search_stops_once_the_solver_proves_its_schedule_optimal() -> None:
    effort, optimizer = effort_and_optimizer(LevelSettings(optimize=60))
    assert optimizer is not None and not effort.should_stop()
    pb = problem([2, 2], [], [((0, 1.0),)] * 2, [1.0])  # one after the other: 4, proven at once
    solved = optimizer(pb, [0, 2])()
    assert solved.proven == len(solved.score) and effort.should_stop()
