"""The Gantt: one row per task, grouped by outcome, readable at 300 tasks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ontrack.core.model import Plan
from ontrack.core.results import Schedule
from ontrack.reports import gantt_svg
from ontrack.reports.build_gantt import UNTRACED, build_gantt
from ontrack.reports.gantt_axis import MAX_WIDTH, Scale
from ontrack.reports.gantt_svg import LABEL_W, RIGHT_PAD, ROW_H
from ontrack.reports.model import GroupRow, Span, TaskRow

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def task_rows(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='gt-task']", NS)


def test_gantt_is_well_formed_svg(plan: Plan, schedule: Schedule, today: date) -> None:
    root = parse(gantt_svg(plan, schedule, today=today))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_gantt_has_one_row_per_task(plan: Plan, schedule: Schedule, today: date) -> None:
    rows = task_rows(parse(gantt_svg(plan, schedule, today=today)))
    assert sorted(r.get("data-task", "") for r in rows) == sorted(t.id for t in schedule.tasks)


def test_gantt_marks_critical_tasks_and_only_them(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    rows = task_rows(parse(gantt_svg(plan, schedule, today=today)))
    marked = {
        r.get("data-task")
        for r in rows
        if any("gt-crit" in (e.get("class") or "") for e in r)
    }
    assert marked == {t.id for t in schedule.tasks if t.critical}


def test_gantt_draws_milestones_as_diamonds(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    rows = {r.get("data-task"): r for r in task_rows(parse(gantt_svg(plan, schedule, today=today)))}
    assert rows["wifi-live"].find("svg:polygon", NS) is not None
    assert rows["wifi-live"].find("svg:rect", NS) is None


def test_gantt_draws_the_status_line_on_the_status_date(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    root = parse(gantt_svg(plan, schedule, today=today))
    line = root.find(".//svg:g[@class='gt-status-line']", NS)
    assert line is not None
    title = line.find("svg:title", NS)
    assert title is not None and title.text == "Status date 12 Apr 2027"


def test_gantt_without_a_status_date_has_no_status_line(plan: Plan, schedule: Schedule) -> None:
    plan = replace(plan, project=replace(plan.project, status_date=None))
    schedule = replace(schedule, status_date=None)
    assert "gt-status-line" not in gantt_svg(plan, schedule)


def test_gantt_groups_tasks_under_their_best_priority_outcome(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    chart = build_gantt(plan, schedule, status_date=today)
    headers = [r.label for r in chart.rows if isinstance(r, GroupRow) and r.level == "outcome"]
    assert headers == [
        "P1 · Wi-Fi is up in the offices and on the plant floor",
        "P2 · Handheld scanners work on packaging line 1",
        "P3 · Only staff devices can reach the plant network",
        UNTRACED,
    ]
    under: dict[str, str] = {}
    outcome = ""
    for row in chart.rows:
        if isinstance(row, GroupRow) and row.level == "outcome":
            outcome = row.label
        elif isinstance(row, TaskRow):
            under[row.task_id] = outcome
    assert under["ap-install"].startswith("P1")
    assert under["pilot-shift"].startswith("P2")
    assert under["tidy-comms"] == UNTRACED


def test_a_task_serving_several_outcomes_notes_the_others(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    chart = build_gantt(plan, schedule, status_date=today)
    rows = {r.task_id: r for r in chart.rows if isinstance(r, TaskRow)}
    assert rows["ap-install"].also_tags == ("P2",)
    assert rows["pilot-shift"].also_tags == ()


def test_summary_children_are_indented_under_their_summary(
    plan: Plan, schedule: Schedule, today: date
) -> None:
    chart = build_gantt(plan, schedule, status_date=today)
    rows = [r for r in chart.rows if isinstance(r, TaskRow)]
    ids = [r.task_id for r in rows]
    at = ids.index("cable-run")
    assert ids[at + 1 : at + 3] == ["cab-offices", "cab-floor"]
    assert rows[at].shape == "summary"
    assert rows[at + 1].depth == rows[at].depth + 1


def test_gantt_escapes_names(plan: Plan, schedule: Schedule, today: date) -> None:
    svg = gantt_svg(plan, schedule, today=today)
    assert "&amp; label &lt;patch&gt;" in svg


def test_gantt_is_the_same_every_time(plan: Plan, schedule: Schedule, today: date) -> None:
    assert gantt_svg(plan, schedule, today=today) == gantt_svg(plan, schedule, today=today)


def test_gantt_of_300_tasks_stays_within_the_width_bound_with_a_row_for_each(
    large: tuple[Plan, Schedule],
) -> None:
    plan, schedule = large
    root = parse(gantt_svg(plan, schedule))
    assert float(root.get("width", "0")) <= MAX_WIDTH
    rows = task_rows(root)
    assert len(rows) == len(schedule.tasks) == 300
    assert {r.get("data-task") for r in rows} == {t.id for t in schedule.tasks}
    assert float(root.get("height", "0")) >= 300 * ROW_H


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    days=st.integers(min_value=0, max_value=5 * 365),
)
def test_any_span_fits_the_width_bound(start: date, days: int) -> None:
    scale = Scale.fit(Span(start, start + timedelta(days=days)), left=LABEL_W, right=RIGHT_PAD)
    assert scale.right + RIGHT_PAD <= MAX_WIDTH + 0.01
    assert scale.x(start) >= LABEL_W
    assert scale.x_end(start + timedelta(days=days)) <= scale.right
