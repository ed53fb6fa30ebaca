"""`ontrack portfolio` as a user meets it: tables or JSON out, located errors, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from ontrack.cli.main import app

FOLDER = Path(__file__).parents[1] / "planfiles" / "portfolio"
ACME, BOLT, CORA, POOL = (
    str(FOLDER / name)
    for name in ("acme.yaml", "bolt.yaml", "cora-neteng-differs.yaml", "pool.yaml")
)
runner = CliRunner()


def test_portfolio_prints_outcomes_the_other_clients_delays_and_the_load() -> None:
    result = runner.invoke(app, ["portfolio", BOLT, ACME], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert result.stdout.index("1. acme") < result.stdout.index("2. bolt")
    assert "The warehouse LAN is up" in result.stdout
    assert "design waited 5 working days for neteng, held by acme's install" in result.stdout
    # neteng (a full week, then 3 of 5 days), tech (3 of 5 days, then none).
    assert re.search(r"2027-03-01 +100 +60 *\n +2027-03-08 +60 +0 *\n", result.stdout)


def test_portfolio_json_has_each_projects_schedule_delays_and_loads() -> None:
    result = runner.invoke(app, ["portfolio", ACME, BOLT, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["schedule"]["project"]["id"] for p in data["projects"]] == ["acme", "bolt"]
    bolt = data["projects"][1]
    assert bolt["rank"] == 2 and bolt["priority"] == 2
    assert bolt["delayed_by_other_clients"] == [
        {
            "outcome": "lan",
            "task": "design",
            "days": 5.0,
            "resource": "neteng",
            "project": "acme",
            "holder": "install",
        }
    ]
    neteng = next(r for r in data["resources"] if r["id"] == "neteng")
    assert neteng["weeks"][0] == {
        "week": "2027-03-01",
        "booked_hours": 40.0,
        "available_hours": 40.0,
    }
    assert data["portfolio"]["finish"] == "2027-03-10"


def test_a_clash_between_plans_is_reported_at_its_position_and_nothing_is_printed() -> None:
    result = runner.invoke(app, ["portfolio", ACME, CORA])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{CORA}:7:12: resource-conflict:" in result.stderr
    assert f"{ACME}:5:" in result.stderr


def test_a_pool_file_settles_the_clash() -> None:
    result = runner.invoke(app, ["portfolio", ACME, CORA, "--pool", POOL, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["projects"][0]["schedule"]["project"]["cost"] == 5200.0


def test_portfolio_needs_a_plan() -> None:
    assert runner.invoke(app, ["portfolio"]).exit_code == 2


def test_the_bundled_examples_level_together_over_the_example_pool() -> None:
    examples = sorted(str(p) for p in (FOLDER.parents[2] / "examples").glob("*.yaml"))
    pool = str(FOLDER.parents[2] / "examples" / "portfolio" / "pool.yaml")
    clash = runner.invoke(app, ["portfolio", *examples])
    assert clash.exit_code == 1 and "resource-conflict" in clash.stderr
    result = runner.invoke(app, ["portfolio", *examples, "--pool", pool, "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["projects"]) == len(examples)
