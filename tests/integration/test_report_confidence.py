"""`ontrack report` shows each outcome's confidence by default (2,000 futures from seed 0,
so the same plan gives the same report), and leaves it out with --no-confidence."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from ontrack.app.reporting import publish
from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
PLANT = ROOT / "examples" / "plant-wifi.yaml"
runner = CliRunner()


def report(*args: str) -> str:
    result = runner.invoke(app, ["report", str(PLANT), "--format", "md", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_client_report_is_confident_by_a_date_per_outcome_and_reproducible() -> None:
    text = report("--client")
    assert len(re.findall(r"80% confident by \d+ \w+ 20\d\d", text)) == 5
    assert "2,000 simulated futures" in text
    assert report("--client") == text


def test_the_team_briefing_adds_p50_p90_and_the_top_risk_drivers() -> None:
    text = report("--team")
    assert re.search(r"P50 [^,]+, P80 [^,]+, P90 [^;]+; a \d+% chance", text)
    assert "The top risk drivers" in text


def test_no_confidence_leaves_the_simulation_out() -> None:
    for which in ("--client", "--team"):
        text = report(which, "--no-confidence")
        assert "confident by" not in text and "simulated futures" not in text


def test_publish_writes_reports_with_confidence(tmp_path: Path) -> None:
    written = publish(PLANT, tmp_path, date(2027, 4, 12))
    client = (tmp_path / "client-report.html").read_text()
    assert tmp_path / "client-report.html" in written
    assert "80% confident by" in client
