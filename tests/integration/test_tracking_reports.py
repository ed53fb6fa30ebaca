"""The reports follow tracking (issue 4, point 8): progress against the latest baseline and
what changed since it, the client's decisions, and for the team the variances, the health
check's failures and the top course corrections."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "line-machines.yaml"
SLIPPED = "Operators see every machine's alarms on the line HMIs and in the control room"
runner = CliRunner()


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "line.yaml"))


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def report(plan: Path, audience: str, fmt: str) -> str:
    return ok("report", str(plan), f"--{audience}", "--format", fmt)


def test_reports_show_the_slip_and_what_changed_since_the_baseline(plan: Path) -> None:
    ok("baseline", "save", str(plan))
    ok("progress", str(plan), "flow-list", "--done", "--actual-finish", "2027-03-26",
       "--actual-cost", "9800", "--status-date", "2027-03-29")
    ok("progress", str(plan), "order-switches", "--percent", "50", "--status-date", "2027-04-05")

    client = report(plan, "client", "md")
    assert "Against the plan of 22 Mar 2027:" in client
    assert f"“{SLIPPED}” slipped: now forecast 24 May 2027, 5 days later" in client
    row = next(line for line in client.splitlines() if line.startswith(f"| {SLIPPED} |"))
    assert row.split(" | ")[1:4] == ["19 May 2027", "24 May 2027", "5 days later"]
    assert re.search(r"\| \d+% \|$", row)  # the share of its work done

    team = report(plan, "team", "md")
    assert "Baseline baseline-1:" in team
    assert f"| {SLIPPED} | 19 May 2027 → 24 May 2027 | 5 days later |" in team
    assert "| Stage and configure machine switches on the bench | 14 Apr 2027 → " in team
    assert "- **Missed tasks**: " in team  # a failed health check, with its offenders
    assert "  - flow-list: finished 2027-03-26, due 2027-03-23" in team
    assert "## Top course corrections" in team
    for fmt in ("html", "md"):
        assert "No baseline is saved yet" not in report(plan, "client", fmt)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_without_a_baseline_each_report_says_how_to_save_one(plan: Path, fmt: str) -> None:
    hint = re.compile(r"No baseline is saved yet: run \\?`ontrack baseline save .*line\.yaml"
                      r"\\?` to track progress against this plan\.")
    for audience in ("client", "team"):
        text = report(plan, audience, fmt)
        assert len(hint.findall(text)) == 1, audience


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_client_report_asks_for_decisions_but_never_shows_costs_or_rates(
    plan: Path, fmt: str
) -> None:
    ok("baseline", "save", str(plan))
    text = report(plan, "client", fmt)
    # The advice adds a field technician at a cost: a decision for the client, without its price.
    assert "Pay for one more Field technician on the team?" in text
    assert "Decided so far" in text
    assert "Standard shipping for all hardware" in text
    for leak in ("USD", "1,800", "174,940", "rate", "cost_per_day", "tech (2", "SPI", "CPI"):
        assert leak not in text, leak
    for rate in re.findall(r"rate: (\d+)", plan.read_text()):
        assert not re.search(rf"\b{rate}(\.\d+)?\b", text), rate
