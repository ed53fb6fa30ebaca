"""`ontrack evm` as a user meets it: a baseline saved first, progress recorded, then the
measures as a table, as JSON with the keys of issue 4, and the S-curve as SVG."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
KEYS = {
    "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac_cpi", "eac_cpi_spi", "eac_plan", "etc",
    "vac", "tcpi", "es_days", "sv_t_days", "spi_t", "ieac_t_days",
}

# The case of tests/planfiles/evm/three-tasks-late-in-progress-unstarted.yaml: planned first,
# then progress recorded as of Fri 2027-03-12.
PLANNED = """\
ontrack: 1
project: {id: three, name: Three tasks, start: 2027-03-01}
outcomes:
  - {id: wifi, statement: Wi-Fi is up, priority: 1}
deliverables:
  - {id: wlan, name: Wireless network, outcomes: [wifi]}
tasks:
  - {id: a, name: Survey, duration: 5d, cost: 1000, deliverable: wlan}
  - {id: b, name: Install, duration: 5d, cost: 500, after: [a], deliverable: wlan}
  - {id: c, name: Test, duration: 5d, cost: 800, after: [b], deliverable: wlan}
"""
PROGRESS = {
    "start: 2027-03-01}": "start: 2027-03-01, status_date: 2027-03-12}",
    "cost: 1000,": "cost: 1000, actual_start: 2027-03-01, actual_finish: 2027-03-09, "
    "actual_cost: 1400,",
    "cost: 500,": "cost: 500, actual_start: 2027-03-10, percent_complete: 40, actual_cost: 300,",
}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(PLANNED, encoding="utf-8")
    return path


def save_baseline_then_record_progress(plan: Path) -> None:
    saved = runner.invoke(app, ["baseline", "save", str(plan), "signed"])
    assert saved.exit_code == 0, saved.output
    text = plan.read_text(encoding="utf-8")
    for old, new in PROGRESS.items():
        text = text.replace(old, new)
    plan.write_text(text, encoding="utf-8")


def test_without_a_saved_baseline_it_says_to_save_one_first(plan: Path) -> None:
    result = runner.invoke(app, ["evm", str(plan)])
    assert result.exit_code == 1
    assert f"ontrack baseline save {plan}" in result.stderr.replace("\n", "")


def test_json_has_the_keys_of_the_issue_for_project_tasks_deliverables_outcomes(
    plan: Path,
) -> None:
    save_baseline_then_record_progress(plan)
    result = runner.invoke(app, ["evm", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["project"]) - {"id"} == KEYS
    for kind, name in (("tasks", "name"), ("deliverables", "name"), ("outcomes", "statement")):
        assert data[kind], kind
        assert all(set(row) - {"id", name} == KEYS for row in data[kind]), kind
    project = data["project"]
    assert (data["baseline"], data["status_date"], data["at_days"]) == ("signed", "2027-03-12", 9)
    assert (project["pv"], project["ev"], project["ac"]) == (1400, 1200, 1700)
    assert (project["es_days"], project["sv_t_days"]) == (7, -2)
    assert project["spi"] == 0.8571


def test_the_baseline_option_picks_one_and_an_unknown_name_is_an_error(plan: Path) -> None:
    save_baseline_then_record_progress(plan)
    assert runner.invoke(app, ["evm", str(plan), "--baseline", "signed"]).exit_code == 0
    result = runner.invoke(app, ["evm", str(plan), "--baseline", "signd"])
    assert result.exit_code == 1
    assert "signed" in result.stderr  # the did-you-mean


def test_the_table_shows_cost_and_schedule_for_the_project_and_each_task(plan: Path) -> None:
    save_baseline_then_record_progress(plan)
    result = runner.invoke(app, ["evm", str(plan)])
    assert result.exit_code == 0, result.output
    for words in ("Cost", "Schedule", "project", "wifi", "wlan", "1,400", "3,258", "-2.0"):
        assert words in result.stdout, words


def test_svg_writes_a_well_formed_s_curve_with_the_status_date(
    plan: Path, tmp_path: Path
) -> None:
    save_baseline_then_record_progress(plan)
    target = tmp_path / "s-curve.svg"
    result = runner.invoke(app, ["evm", str(plan), "--svg", str(target)])
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()
    assert root.tag == f"{SVG}svg"
    lines = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    assert {"sc-pv", "sc-ev", "sc-ac", "sc-bac", "gt-status-line"} <= lines.keys()
    pv_points = lines["sc-pv"].find(f"{SVG}polyline").get("points").split()  # type: ignore[union-attr]
    ev_points = lines["sc-ev"].find(f"{SVG}polyline").get("points").split()  # type: ignore[union-attr]
    assert (len(pv_points), len(ev_points)) == (16, 10)  # 15 planned days, 9 before the status
