"""Levelling's options as a user meets them: the search, --optimize and its report, and
the message when the optimize extra is missing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app
from ontrack.interop.psplib import read_psplib
from ontrack.planfile import dump_plan
from ontrack.solver.cpsat import MISSING

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def j301_1(tmp_path: Path) -> Path:
    """PSPLIB j301_1 (optimum 43 periods), on which the priority rule alone needs 49."""
    path = tmp_path / "j301_1.yaml"
    path.write_text(dump_plan(read_psplib(ROOT / "tests/data/psplib/j301_1.sm")))
    return path


def makespan(output: str) -> int:
    data = json.loads(output)
    start = date.fromisoformat(data["project"]["start"])
    ends = [date.fromisoformat(t["finish"]) for t in data["tasks"] if t["kind"] != "milestone"]
    return (max(ends) - start).days + 1


def test_the_default_search_finds_the_optimum_the_rule_misses(j301_1: Path) -> None:
    result = runner.invoke(app, ["schedule", str(j301_1), "--json"])
    assert result.exit_code == 0, result.output
    assert makespan(result.stdout) == 43
    assert json.loads(result.stdout)["levelling"]["method"] == "search"


def test_the_same_seed_gives_the_same_schedule(j301_1: Path) -> None:
    runs = [runner.invoke(app, ["schedule", str(j301_1), "--json", "--seed", "5"]) for _ in "ab"]
    assert runs[0].stdout == runs[1].stdout


def test_optimize_says_the_schedule_is_proven_optimal(j301_1: Path) -> None:
    result = runner.invoke(app, ["schedule", str(j301_1), "--json", "--optimize", "5"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["levelling"]
    assert makespan(result.stdout) == 43
    assert report["optimal"] is True


def test_without_the_extra_optimize_says_what_to_install(j301_1: Path) -> None:
    code = (
        "import sys; sys.modules['ortools'] = None\n"
        "from ontrack.cli.main import app\n"
        f"app(['schedule', {str(j301_1)!r}, '--optimize', '1'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert MISSING in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
