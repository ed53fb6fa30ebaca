"""`ontrack import mspdi` as a user meets it: the plan (and MS Project's baseline) written
with what did not travel and how the dates compare, or for a bad file a FILE:LINE:COL
message and nothing written."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ontrack.cli.main import app
from ontrack.interop import file_size
from ontrack.planfile import load_plan
from ontrack.planfile.baselines import baselines_file, load_baselines

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "tests" / "data" / "mspdi" / "features.xml"
runner = CliRunner()


def _import(source: Path, target: Path, kind: str = "mspdi") -> tuple[int, str]:
    result = runner.invoke(app, ["import", kind, str(source), "-o", str(target)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_a_file_from_ms_project_becomes_a_plan_with_its_baseline_and_a_date_report(
    tmp_path: Path,
) -> None:
    target = tmp_path / "refit.yaml"
    code, said = _import(FEATURES, target)
    assert code == 0, said
    assert f"wrote {target}: 14 tasks, 2 resources, 0 outcomes, 0 deliverables" in said
    assert "note: material and cost resources are left out: Cat6 cable (box)" in said
    assert "names no client outcomes" in said
    assert "agrees on 12 of 14 tasks" in said
    assert "decommission-the-old-router: ontrack 2027-03-01 to 2027-03-01, MS Project " in said
    assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    (baseline,) = load_baselines(baselines_file(target), load_plan(target).project.id)
    assert baseline.name == "ms-project"
    task = next(t for t in baseline.tasks if t.id == "install-the-switches")
    assert (str(task.start), str(task.finish), task.cost) == ("2027-03-16", "2027-03-18", 1200)
    assert {t.id for t in baseline.tasks} == {"install-the-switches", "network"}  # its summary
    listed = runner.invoke(app, ["baseline", "list", str(target)])
    assert "ms-project" in listed.output


def test_a_plan_with_baselines_goes_to_ms_project_and_back_with_them(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(ROOT / "examples" / "plant-wifi.yaml", plan)
    assert runner.invoke(app, ["baseline", "save", str(plan), "signed"]).exit_code == 0
    xml = tmp_path / "plan.xml"
    assert runner.invoke(app, ["export", "mspdi", str(plan), "-o", str(xml)]).exit_code == 0
    back = tmp_path / "back.yaml"
    code, said = _import(xml, back)
    assert code == 0, said
    project = load_plan(plan).project.id
    (was,) = load_baselines(baselines_file(plan), project)
    (now,) = load_baselines(baselines_file(back), project)
    assert now.cost == pytest.approx(was.cost)
    before = {t.id: t for t in was.tasks}
    assert {t.id for t in now.tasks} == set(before)
    for t in now.tasks:
        old = before[t.id]
        assert (t.start, t.cost) == (old.start, pytest.approx(old.cost)), t.id
        # A baseline keeps days, not hours: a task that started at noon comes back
        # starting in the morning, so it may finish up to a working day sooner.
        assert old.finish - timedelta(days=4) < t.finish <= old.finish, t.id


BAD = {
    "not-xml": ("this is a plan\n", "1:1: mspdi-xml:"),
    "wrong-namespace": (
        '<?xml version="1.0"?>\n<Project xmlns="http://example.com/plans"><Tasks/></Project>',
        "2:1: mspdi-namespace:",
    ),
    "a-gantt-project-file": (
        '<?xml version="1.0"?>\n<project name="x" version="3.2"><tasks/></project>',
        "2:1: mspdi-namespace:",
    ),
    "entity-bomb": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
            for i in range(1, 10)
        )
        + ']>\n<Project xmlns="http://schemas.microsoft.com/project">&lol9;</Project>',
        "mspdi-",
    ),
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<Project xmlns="http://schemas.microsoft.com/project"><Name>&secret;</Name></Project>',
        "1:1: mspdi-doctype:",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_file_names_where_and_writes_nothing(tmp_path: Path, case: str) -> None:
    text, expected = BAD[case]
    source = tmp_path / "plan.xml"
    source.write_text(text)
    target = tmp_path / "plan.yaml"
    started = time.monotonic()
    code, said = _import(source, target)
    assert time.monotonic() - started < 30  # an entity bomb is refused, never expanded
    assert code == 1
    assert f"{source}:" in said and expected in said
    assert "nothing was written" in said
    assert "root:" not in said  # no file's content ever reaches the message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xml"]


def test_a_link_to_a_missing_task_and_bad_values_are_all_reported_at_their_lines(
    tmp_path: Path,
) -> None:
    text = FEATURES.read_text()
    text = text.replace("<PredecessorUID>3</PredecessorUID>", "<PredecessorUID>99</PredecessorUID>")
    text = text.replace("<Duration>PT8H0M0S</Duration>", "<Duration>eight hours</Duration>", 1)
    source = tmp_path / "broken.xml"
    source.write_text(text)
    lines = text.splitlines()
    link = next(i for i, s in enumerate(lines, 1) if "<PredecessorUID>99<" in s)
    value = next(i for i, s in enumerate(lines, 1) if "eight hours" in s)
    code, said = _import(source, tmp_path / "plan.yaml")
    assert code == 1
    column = lines[link - 1].index("<PredecessorLink>") + 1
    assert f"{source}:{link}:{column}: mspdi-link: " in said
    assert "UID 99" in said
    assert f"{source}:{value}:" in said and "mspdi-value" in said and "eight hours" in said
    assert "2 problems found; nothing was written." in said


def test_a_cycle_is_reported_at_the_task_it_passes_through(tmp_path: Path) -> None:
    text = FEATURES.read_text().replace(
        "<UID>2</UID><ID>2</ID><Name>Survey the site</Name><Type>0</Type>",
        "<UID>2</UID><ID>2</ID><Name>Survey the site</Name><Type>0</Type>"
        "<PredecessorLink><PredecessorUID>4</PredecessorUID><Type>1</Type></PredecessorLink>",
    )
    source = tmp_path / "cycle.xml"
    source.write_text(text)
    names = ("Survey the site", "Order the switches", "Install the switches")
    lines = text.splitlines()
    tasks = {i - 1 for i, s in enumerate(lines, 1) for n in names if f"<Name>{n}<" in s}
    code, said = _import(source, tmp_path / "plan.yaml")
    assert code == 1
    where = said.split(": cycle: ")[0]
    assert where.startswith(f"{source}:")
    assert int(where.split(":")[-2]) in tasks  # at the <Task> of a task on the cycle


def test_a_file_too_large_to_be_a_project_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_size, "MAX_BYTES", 1000)
    code, said = _import(FEATURES, tmp_path / "plan.yaml")
    assert code == 1
    assert "1:1: mspdi-too-large:" in said
    assert not (tmp_path / "plan.yaml").exists()


def test_a_failed_import_leaves_an_existing_plan_and_its_baselines_as_they_were(
    tmp_path: Path,
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("before\n")
    baselines_file(target).write_text("kept\n")
    source = tmp_path / "bad.xml"
    source.write_text("<nope")
    code, _ = _import(source, target)
    assert code == 1
    assert target.read_text() == "before\n"
    assert baselines_file(target).read_text() == "kept\n"


def test_a_missing_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    code, said = _import(tmp_path / "nope.xml", tmp_path / "plan.yaml")
    assert code == 1
    assert "nope.xml" in said


@pytest.mark.skipif(
    shutil.which("java") is None, reason="MPXJ needs Java: apt install default-jre-headless"
)
def test_import_mpp_reads_a_project_file_through_mpxj(tmp_path: Path) -> None:
    xml = tmp_path / "plan.xml"
    plan = ROOT / "examples" / "line-machines.yaml"
    assert runner.invoke(app, ["export", "mspdi", str(plan), "-o", str(xml)]).exit_code == 0
    target = tmp_path / "back.yaml"
    code, said = _import(xml, target, kind="mpp")
    assert code == 0, said
    back, was = load_plan(target), load_plan(plan)
    assert [t.id for t, _ in back.walk_tasks()] == [t.id for t, _ in was.walk_tasks()]
    assert "agrees on" in said


def test_import_mpp_without_the_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    code, said = _import(FEATURES, tmp_path / "plan.yaml", kind="mpp")
    assert code == 1
    assert "pip install 'ontrack[msproject]'" in said
    assert not (tmp_path / "plan.yaml").exists()
