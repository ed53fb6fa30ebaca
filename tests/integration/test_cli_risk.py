"""`ontrack risk PLAN [--iterations N] [--seed S] [--json] [--no-default-estimates]
[--svg DIR]`: each outcome's confidence from simulated futures."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
PLANT = ROOT / "examples" / "plant-wifi.yaml"
FIXED = ("p50", "p80", "p90", "p_on_time")
runner = CliRunner()


def risk_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["risk", str(PLANT), "--json", "--iterations", "400", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_json_gives_every_outcome_its_fixed_keys() -> None:
    data = risk_json()
    assert (data["iterations"], data["seed"]) == (400, 0)
    assert [o["id"] for o in data["outcomes"]] == [
        "floor-wifi", "lines-on-mes", "office-day-one", "guest-internet", "it-runs-it",
    ]  # fmt: skip
    for o in data["outcomes"]:
        for key in FIXED:
            assert key in o
        assert o["p50"] <= o["p80"] <= o["p90"]  # ISO dates sort as dates
        assert o["p_on_time"] is None or 0 <= o["p_on_time"] <= 1
        for key in ("status", "convergence_days", "criticality", "influences", "actions", "curve"):
            assert key in o
        assert o["curve"][-1]["share"] == 1.0


def test_the_same_seed_gives_the_same_json_and_another_seed_differs() -> None:
    assert risk_json("--seed", "7") == risk_json("--seed", "7")
    one, other = risk_json("--seed", "1"), risk_json("--seed", "2")
    assert other["seed"] == 2
    assert [o["curve"] for o in one["outcomes"]] != [o["curve"] for o in other["outcomes"]]


def test_iterations_sets_how_many_futures_are_simulated() -> None:
    data = risk_json("--iterations", "50")
    assert data["iterations"] == 50
    shares = [p["share"] for p in data["outcomes"][0]["curve"]]
    assert all(round(s * 50, 6) == round(s * 50) for s in shares)  # whole futures of 50


CHAIN = """ontrack: 1
project: {id: chain, name: Chain, start: 2027-03-01}
outcomes:
  - {id: done-soon, statement: It works, target: 2027-03-12}
tasks:
  - {id: a, name: Design, duration: 5d, outcomes: [done-soon]}
  - {id: b, name: Build, duration: 5d, after: [a], outcomes: [done-soon]}
"""


def test_without_default_estimates_a_plan_without_estimates_is_certain(tmp_path: Path) -> None:
    plan = tmp_path / "chain.yaml"
    plan.write_text(CHAIN)
    runs = {}
    for flag in ([], ["--no-default-estimates"]):
        result = runner.invoke(app, ["risk", str(plan), "--json", "--iterations", "300", *flag])
        assert result.exit_code == 0, result.output
        [runs[bool(flag)]] = json.loads(result.stdout)["outcomes"]
    certain, spread = runs[True], runs[False]
    assert certain["p50"] == certain["p90"] == "2027-03-12"
    assert (certain["p_on_time"], certain["influences"]) == (1.0, [])
    assert spread["p90"] > "2027-03-12" and spread["p_on_time"] < 1


def test_svg_writes_one_valid_chart_per_outcome(tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    result = runner.invoke(app, ["risk", str(PLANT), "--iterations", "200", "--svg", str(folder)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.iterdir())
    assert "lines-on-mes.svg" in files and len(files) == 5
    root = ET.parse(folder / "lines-on-mes.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = (folder / "lines-on-mes.svg").read_text()
    for mark in ("rk-target", "rk-p50", "rk-p80", "rk-p90", "rk-curve"):
        assert mark in text


def test_the_table_shows_each_outcome_with_its_p80_and_chance() -> None:
    result = runner.invoke(app, ["risk", str(PLANT), "--iterations", "300"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "300 simulated futures" in text
    assert "lines-on-mes" in text and "chance" in text
    assert "What would most raise the chance" in text


def test_a_plan_without_outcomes_has_nothing_to_simulate(tmp_path: Path) -> None:
    plan = tmp_path / "bare.yaml"
    plan.write_text(
        "ontrack: 1\nproject: {id: bare, name: Bare, start: 2027-03-01}\n"
        "tasks:\n  - {id: a, name: Design, duration: 3d}\n"
    )
    result = runner.invoke(app, ["risk", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcomes"] == []
    shown = runner.invoke(app, ["risk", str(plan)])
    assert shown.exit_code == 0 and "no outcome" in shown.stdout


@pytest.mark.parametrize(
    "args",
    [["missing.yaml"], ["BROKEN"]],
)
def test_errors_are_one_line_each_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    if args == ["BROKEN"]:
        broken = tmp_path / "broken.yaml"
        broken.write_text("ontrack: 1\nproject: {id: x, name: X, start: 2027-03-01}\ntasks: 7\n")
        args = [str(broken)]
    else:
        args = [str(tmp_path / args[0])]
    result = runner.invoke(app, ["risk", *args, "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.strip() for line in lines)
    assert "Traceback" not in result.stderr


def test_outcomes_with_confidence_adds_p80_and_chance_columns() -> None:
    result = runner.invoke(app, ["outcomes", str(PLANT), "--confidence"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "2,000 simulated futures" in text
    assert "P80" in text and "chance" in text
    plain = runner.invoke(app, ["outcomes", str(PLANT)])
    assert "P80" not in plain.stdout
