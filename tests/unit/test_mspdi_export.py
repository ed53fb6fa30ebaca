"""The MSPDI export is well-formed XML in Microsoft Project's namespace, in the schema's
element order, and carries links, outline, durations, constraints, progress, resources
and outcomes as docs/interop.md maps them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from ontrack.app.holiday_source import CountryHolidays
from ontrack.app.services import schedule_plan
from ontrack.interop.mspdi import NS, to_mspdi

N = {"p": NS}
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))

PLAN = """ontrack: 1
project: {id: links, name: Links, start: 2027-03-01}
resources:
  - {id: eng, name: Engineer, rate: 90, units: 2}
outcomes:
  - {id: up, statement: "Wi-Fi is up", target: 2027-04-30, priority: 1}
deliverables:
  - {id: net, name: Network, outcomes: [up]}
tasks:
  - id: phase
    name: Phase
    tasks:
      - id: inner
        name: Inner
        tasks:
          - {id: a, name: A, duration: 3d, resources: {eng: 0.5}, deliverable: net,
             outcomes: [up], cost: 100, notes: Do it}
      - {id: b, name: B, duration: 4h, after: [{task: a, type: FS, lag: 2d}]}
  - {id: c, name: C, duration: 2d, after: [{task: a, type: SS}], not_before: 2027-03-10}
  - {id: d, name: D, duration: 2d, after: [{task: a, type: FF, lag: -1d}], pin: 2027-03-15}
  - {id: e, name: E, duration: 1w, after: [{task: a, type: SF}], deadline: 2027-04-01}
  - {id: f, name: F, duration: 3ed, after: [{task: b, lag: 2ed}]}
  - {id: g, name: G, duration: 2d, actual_start: 2027-03-01, percent_complete: 50,
     actual_cost: 40}
  - {id: m, name: M, kind: milestone, after: [f]}
"""


def _doc(tmp_path: Path, text: str = PLAN) -> etree._Element:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    sp = schedule_plan(path)
    return etree.fromstring(to_mspdi(sp.plan, sp.schedule, CountryHolidays()))


def _tasks(root: etree._Element) -> dict[str, etree._Element]:
    out = {}
    for t in root.findall("p:Tasks/p:Task", N):
        for attr in t.findall("p:ExtendedAttribute", N):
            if attr.findtext("p:FieldID", namespaces=N) == "188743737":
                out[attr.findtext("p:Value", namespaces=N)] = t
    return out


def _text(el: etree._Element, path: str) -> str | None:
    return el.findtext(path, namespaces=N)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def test_the_document_is_a_project_in_the_mspdi_namespace(tmp_path: Path) -> None:
    sp_bytes = etree.tostring(_doc(tmp_path))
    root = etree.fromstring(sp_bytes)
    assert root.tag == f"{{{NS}}}Project"
    assert _text(root, "p:Name") == "links"  # where MS Project puts the file's name
    assert _text(root, "p:Title") == "Links"
    assert _text(root, "p:StartDate") == "2027-03-01T08:00:00"
    assert (_text(root, "p:MinutesPerDay"), _text(root, "p:MinutesPerWeek")) == ("480", "2400")
    assert _text(root, "p:DaysPerMonth") == "20"


def test_project_children_follow_the_schema_order(tmp_path: Path) -> None:
    order = [
        "SaveVersion", "Name", "Title", "Subject", "Company", "Manager", "ScheduleFromStart",
        "StartDate", "FinishDate", "CurrencyCode", "CalendarUID", "DefaultStartTime",
        "DefaultFinishTime", "MinutesPerDay", "MinutesPerWeek", "DaysPerMonth", "StatusDate",
        "ExtendedAttributes", "Calendars", "Tasks", "Resources", "Assignments",
    ]  # fmt: skip
    names = [_local(c) for c in _doc(tmp_path)]
    assert names == sorted(names, key=order.index)
    assert names[-4:] == ["Calendars", "Tasks", "Resources", "Assignments"]


def test_task_children_follow_the_schema_order(tmp_path: Path) -> None:
    order = [
        "UID", "ID", "Name", "Type", "OutlineNumber", "OutlineLevel", "Start", "Finish",
        "Duration", "DurationFormat", "EffortDriven", "Milestone", "Summary", "Critical",
        "FixedCost", "PercentComplete", "ActualStart", "ActualFinish", "ActualCost",
        "ConstraintType", "CalendarUID", "ConstraintDate", "Deadline", "LevelingDelay",
        "LevelingDelayFormat", "Notes", "PredecessorLink", "ExtendedAttribute", "Baseline",
    ]  # fmt: skip
    for task in _doc(tmp_path).findall("p:Tasks/p:Task", N):
        names = [_local(c) for c in task]
        assert names == sorted(names, key=order.index)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports(example: Path) -> None:
    sp = schedule_plan(example)
    root = etree.fromstring(to_mspdi(sp.plan, sp.schedule, CountryHolidays()))
    uids = {_text(t, "p:UID") for t in root.findall("p:Tasks/p:Task", N)}
    links = root.findall("p:Tasks/p:Task/p:PredecessorLink/p:PredecessorUID", N)
    assert links and all(link.text in uids for link in links)


def test_links_encode_type_and_lag(tmp_path: Path) -> None:
    tasks = _tasks(_doc(tmp_path))

    def link(tid: str) -> tuple[str | None, ...]:
        el = tasks[tid].find("p:PredecessorLink", N)
        return tuple(_text(el, f"p:{n}") for n in ("Type", "LinkLag", "LagFormat"))

    assert link("b") == ("1", str(2 * 480 * 10), "7")
    assert link("c") == ("3", "0", "7")
    assert link("d") == ("0", str(-480 * 10), "7")
    assert link("e") == ("2", "0", "7")
    assert link("f") == ("1", str(2 * 24 * 60 * 10), "8")
    uid_a = _text(tasks["a"], "p:UID")
    assert _text(tasks["b"], "p:PredecessorLink/p:PredecessorUID") == uid_a


def test_outline_levels_and_numbers_follow_the_summary_tree(tmp_path: Path) -> None:
    tasks = _tasks(_doc(tmp_path))
    got = {
        tid: (_text(t, "p:OutlineLevel"), _text(t, "p:OutlineNumber"), _text(t, "p:Summary"))
        for tid, t in tasks.items()
    }
    assert got["phase"] == ("1", "1", "1")
    assert got["inner"] == ("2", "1.1", "1")
    assert got["a"] == ("3", "1.1.1", "0")
    assert got["b"] == ("2", "1.2", "0")
    assert got["c"] == ("1", "2", "0")


def test_durations_are_pt_in_working_hours(tmp_path: Path) -> None:
    tasks = _tasks(_doc(tmp_path))
    got = {tid: (_text(t, "p:Duration"), _text(t, "p:DurationFormat")) for tid, t in tasks.items()}
    assert got["a"] == ("PT24H0M0S", "7")
    assert got["b"] == ("PT4H0M0S", "5")
    assert got["e"] == ("PT40H0M0S", "9")
    assert got["f"] == ("PT72H0M0S", "8")
    assert got["m"][0] == "PT0H0M0S" and _text(tasks["m"], "p:Milestone") == "1"
    assert _text(tasks["a"], "p:Start") == "2027-03-01T08:00:00"
    assert _text(tasks["a"], "p:Finish") == "2027-03-03T17:00:00"


def test_constraints_deadline_and_progress(tmp_path: Path) -> None:
    tasks = _tasks(_doc(tmp_path))
    assert _text(tasks["c"], "p:ConstraintType") == "4"
    assert _text(tasks["c"], "p:ConstraintDate") == "2027-03-10T08:00:00"
    assert _text(tasks["d"], "p:ConstraintType") == "2"
    assert _text(tasks["d"], "p:ConstraintDate") == "2027-03-15T08:00:00"
    assert _text(tasks["e"], "p:Deadline") == "2027-04-01T17:00:00"
    assert _text(tasks["a"], "p:FixedCost") == "100.00"
    assert _text(tasks["a"], "p:Notes") == "Do it"
    g = tasks["g"]
    assert _text(g, "p:PercentComplete") == "50"
    assert _text(g, "p:ActualStart") == "2027-03-01T08:00:00"
    assert _text(g, "p:ActualCost") == "40.00"


def test_resources_and_assignments_carry_units(tmp_path: Path) -> None:
    root = _doc(tmp_path)
    (res,) = root.findall("p:Resources/p:Resource", N)
    assert (_text(res, "p:Name"), _text(res, "p:Code")) == ("Engineer", "eng")
    assert (_text(res, "p:MaxUnits"), _text(res, "p:StandardRate")) == ("2.00", "90.00")
    (asg,) = root.findall("p:Assignments/p:Assignment", N)
    assert _text(asg, "p:TaskUID") == _text(_tasks(root)["a"], "p:UID")
    assert _text(asg, "p:ResourceUID") == _text(res, "p:UID")
    assert _text(asg, "p:Units") == "0.50"


def test_extended_attributes_carry_deliverable_and_outcomes(tmp_path: Path) -> None:
    root = _doc(tmp_path)
    defs = {
        _text(a, "p:FieldID"): a
        for a in root.findall("p:ExtendedAttributes/p:ExtendedAttribute", N)
    }
    assert _text(defs["188743731"], "p:Alias") == "ontrack deliverable"
    assert _text(defs["188743734"], "p:Alias") == "ontrack outcomes"
    (outcome,) = defs["188743734"].findall("p:ValueList/p:Value", N)
    assert _text(outcome, "p:Value") == "up"
    assert json.loads(_text(outcome, "p:Description") or "") == {
        "statement": "Wi-Fi is up",
        "target": "2027-04-30",
        "priority": 1,
    }
    values = {
        _text(a, "p:FieldID"): _text(a, "p:Value")
        for a in _tasks(root)["a"].findall("p:ExtendedAttribute", N)
    }
    assert values == {"188743731": "net", "188743734": "up", "188743737": "a"}
