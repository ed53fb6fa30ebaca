"""The iCalendar export is RFC 5545: CRLF, folded lines, escaped text, balanced blocks,
and the events are the outcomes' dates, the milestones and a person's tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from export_plan import scheduled
from ontrack.interop.ical import Event, calendar_text, escape_text, fold, plan_events

STAMP = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY")


def _calendar(tmp_path: Path, resources: tuple[str, ...] = ()) -> str:
    sp = scheduled(tmp_path)
    return calendar_text(sp.plan.project.name, plan_events(sp.plan, sp.schedule, resources), STAMP)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _events(text: str) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    for line in _unfold(text):
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and not line.startswith(("END:", "BEGIN:")):
            name, value = line.split(":", 1)
            events[-1][name.split(";")[0]] = value
    return events


def test_every_line_ends_in_crlf_and_is_at_most_75_octets(tmp_path: Path) -> None:
    text = _calendar(tmp_path, ("pm", "neteng"))
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long statement was folded


def test_folding_never_splits_a_utf8_character() -> None:
    folded = fold("SUMMARY:" + "é" * 100)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 100


def test_begin_and_end_balance(tmp_path: Path) -> None:
    lines = _unfold(_calendar(tmp_path, ("pm",)))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    depth = []
    for line in lines:
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
        elif line.startswith("END:"):
            assert depth.pop() == line[4:]
    assert depth == []
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)


def test_every_event_has_the_required_properties_and_a_unique_uid(tmp_path: Path) -> None:
    events = _events(_calendar(tmp_path, ("pm", "neteng")))
    for event in events:
        assert all(name in event for name in REQUIRED), event
        assert event["DTSTAMP"] == "20270201T093000Z"
        start = datetime.strptime(event["DTSTART"], "%Y%m%d").date()
        assert datetime.strptime(event["DTEND"], "%Y%m%d").date() > start
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@acme-net.ontrack") for uid in uids)


def test_text_values_escape_backslash_semicolon_comma_and_newline(tmp_path: Path) -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    events = _events(_calendar(tmp_path))
    target = next(e for e in events if e["UID"] == "target-wifi@acme-net.ontrack")
    assert target["SUMMARY"].startswith("Outcome target: Wi-Fi\\, VPN\\; C:\\\\net\\nand a")


def test_the_events_are_targets_forecasts_milestones_and_the_persons_tasks(
    tmp_path: Path,
) -> None:
    sched = scheduled(tmp_path).schedule
    events = {e["UID"].split("@")[0]: e for e in _events(_calendar(tmp_path, ("pm",)))}
    day = timedelta(days=1)

    def dates(uid: str) -> tuple[date, date]:
        e = events[uid]
        return (
            datetime.strptime(e["DTSTART"], "%Y%m%d").date(),
            datetime.strptime(e["DTEND"], "%Y%m%d").date() - day,
        )

    wifi = next(o for o in sched.outcomes if o.id == "wifi")
    assert wifi.target and wifi.forecast
    assert dates("target-wifi") == (wifi.target, wifi.target)
    assert dates("forecast-wifi") == (wifi.forecast, wifi.forecast)
    assert "target-guests" not in events  # it has no target
    for milestone in ("kickoff", "live"):
        t = sched.task(milestone)
        assert dates(f"milestone-{milestone}") == (t.finish, t.finish)
    assert dates("program-milestone-handover") == (date(2027, 3, 10), date(2027, 3, 10))
    pm_tasks = {uid for uid in events if uid.startswith("task-")}
    assert pm_tasks == {"task-f1-pm", "task-f3-pm"}
    for task in ("f1", "f3"):
        t = sched.task(task)
        assert dates(f"task-{task}-pm") == (t.start, t.finish)


def test_an_event_spans_its_days_with_dtend_the_day_after() -> None:
    event = Event("x@p.ontrack", "S", date(2027, 3, 1), date(2027, 3, 3))
    text = calendar_text("P", [event], STAMP)
    assert "DTSTART;VALUE=DATE:20270301\r\n" in text
    assert "DTEND;VALUE=DATE:20270304\r\n" in text


def test_the_icalendar_package_reads_it(tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(_calendar(tmp_path, ("pm",)))
    events = list(cal.walk("VEVENT"))
    summaries = {str(e["UID"]): str(e["SUMMARY"]) for e in events}
    statement = scheduled(tmp_path).plan.outcomes[0].statement
    assert summaries["target-wifi@acme-net.ontrack"] == f"Outcome target: {statement}"
    assert events[0]["DTSTART"].dt == date(2027, 3, 26)
