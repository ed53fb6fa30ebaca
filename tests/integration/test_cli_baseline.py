"""`ontrack baseline save|list|compare|trend` as a user meets them: files beside the plan,
JSON, located errors and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plant-wifi.yaml"
HANDOVER = re.compile(r"(id: floor-handover, .*, date: )[0-9-]+")  # BuildCo's, on 2027-04-26
runner = CliRunner()


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "plant-wifi.yaml"))


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def move_the_floor_handover(plan: Path, to: str = "2027-05-03") -> None:
    text, count = HANDOVER.subn(rf"\g<1>{to}", plan.read_text())
    assert count == 1
    plan.write_text(text)


def test_save_names_baselines_in_turn_and_list_shows_them(plan: Path) -> None:
    assert "baseline-1" in ok("baseline", "save", str(plan))
    ok("baseline", "save", str(plan), "after-kickoff")
    ok("baseline", "save", str(plan))
    assert plan.with_name("plant-wifi.baselines.yaml").exists()
    listed = as_json("baseline", "list", str(plan))
    assert [b["name"] for b in listed] == ["baseline-1", "after-kickoff", "baseline-3"]
    assert listed[0]["finish"] == "2027-06-28"
    assert listed[0]["outcomes"]["floor-wifi"] == "2027-06-10"
    assert "after-kickoff" in ok("baseline", "list", str(plan))


def test_a_name_saved_twice_is_refused_unless_replaced(plan: Path) -> None:
    ok("baseline", "save", str(plan), "signed")
    ok("baseline", "save", str(plan), "other")
    file = plan.with_name("plant-wifi.baselines.yaml")
    before = file.read_text()
    again = runner.invoke(app, ["baseline", "save", str(plan), "signed"])
    assert again.exit_code == 1
    assert "already saved" in again.stderr and "--replace" in again.stderr
    assert file.read_text() == before
    assert "replaced" in ok("baseline", "save", str(plan), "signed", "--replace")
    assert [b["name"] for b in as_json("baseline", "list", str(plan))] == ["other", "signed"]


@pytest.mark.parametrize("name", ["now", "not a name"])
def test_a_name_that_cannot_be_one_is_refused(plan: Path, name: str) -> None:
    result = runner.invoke(app, ["baseline", "save", str(plan), name])
    assert result.exit_code == 1
    assert not plan.with_name("plant-wifi.baselines.yaml").exists()


def test_list_without_baselines_says_so(plan: Path) -> None:
    assert "no baselines saved yet" in ok("baseline", "list", str(plan))
    assert as_json("baseline", "list", str(plan)) == []


def test_compare_needs_a_saved_baseline(plan: Path) -> None:
    result = runner.invoke(app, ["baseline", "compare", str(plan)])
    assert result.exit_code == 1
    assert "no baselines saved yet" in result.stderr


def test_compare_names_the_vendor_milestone_that_made_the_outcomes_slip(plan: Path) -> None:
    ok("baseline", "save", str(plan))
    move_the_floor_handover(plan)
    c = as_json("baseline", "compare", str(plan))
    assert (c["was"], c["now"]) == ("baseline-1", "now")
    wifi = next(o for o in c["outcomes"] if o["id"] == "floor-wifi")
    assert wifi["forecast"] == {"was": "2027-06-10", "now": "2027-06-16", "days": 6}
    assert wifi["slipped"] is True
    assert wifi["causes"] == [
        {
            "kind": "milestone",
            "id": "floor-handover",
            "reason": "later",
            "days": 7,
            "longer_days": 0.0,
        }
    ]
    assert c["project"]["finish"]["days"] == 4
    cabling = next(t for t in c["tasks"] if t["id"] == "cab-floor")
    assert cabling["change"] == "changed" and cabling["start"]["days"] == 7
    table = ok("baseline", "compare", str(plan))
    assert "floor-handover (milestone, 7 d later)" in table


def test_compare_two_saved_baselines_by_name(plan: Path) -> None:
    ok("baseline", "save", str(plan), "signed")
    move_the_floor_handover(plan)
    ok("baseline", "save", str(plan), "replanned")
    move_the_floor_handover(plan, "2027-04-26")  # back as it was: now equals "signed" again
    two = as_json("baseline", "compare", str(plan), "signed", "replanned")
    assert (two["was"], two["now"]) == ("signed", "replanned")
    assert two["project"]["finish"]["days"] == 4
    latest = as_json("baseline", "compare", str(plan))
    assert (latest["was"], latest["project"]["finish"]["days"]) == ("replanned", -4)
    assert as_json("baseline", "compare", str(plan), "signed")["project"]["finish"]["days"] == 0


def test_compare_with_an_unknown_name_suggests_one(plan: Path) -> None:
    ok("baseline", "save", str(plan), "signed")
    result = runner.invoke(app, ["baseline", "compare", str(plan), "sigend"])
    assert result.exit_code == 1
    assert "did you mean 'signed'?" in result.stderr


def test_trend_flags_the_outcomes_that_slipped_since_the_last_baseline(plan: Path) -> None:
    ok("baseline", "save", str(plan))
    move_the_floor_handover(plan)
    ok("baseline", "save", str(plan))
    move_the_floor_handover(plan, "2027-04-26")
    trend = as_json("baseline", "trend", str(plan))["outcomes"]
    wifi = next(o for o in trend if o["id"] == "floor-wifi")
    assert [(p["baseline"], p["forecast"], p["slip_days"]) for p in wifi["points"]] == [
        ("baseline-1", "2027-06-10", None),
        ("baseline-2", "2027-06-16", 6),
        ("now", "2027-06-10", -6),
    ]
    assert wifi["slipping"] is False and wifi["slip_days"] == 0
    move_the_floor_handover(plan, "2027-05-10")
    assert all(o["slipping"] for o in as_json("baseline", "trend", str(plan))["outcomes"])
    assert "slipping" in ok("baseline", "trend", str(plan))


def test_a_broken_baselines_file_is_reported_at_its_position(plan: Path) -> None:
    ok("baseline", "save", str(plan))
    file = plan.with_name("plant-wifi.baselines.yaml")
    file.write_text(file.read_text().replace("saved: ", "saved: 2027-13-01 #", 1))
    result = runner.invoke(app, ["baseline", "compare", str(plan)])
    assert result.exit_code == 1
    assert f"{file}:7:12: bad-date:" in result.stderr


def test_demo_leaves_baselines_files_alone(plan: Path, tmp_path: Path) -> None:
    ok("baseline", "save", str(plan))
    out = ok("demo", str(plan.parent), "-o", str(tmp_path / "out"))
    assert "plant-wifi.baselines" not in out
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["plant-wifi"]
