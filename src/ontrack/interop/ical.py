"""A plan's dates as an RFC 5545 calendar: outcome targets and forecasts, milestones, and
chosen people's task assignments, each an all-day event with a stable UID.

Pure: the time stamp (DTSTAMP) is a parameter, never the clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ontrack.core.model import Plan
from ontrack.core.results import Schedule

LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class Event:
    """An all-day event from `start` to `end` inclusive (DTEND is the day after `end`)."""

    uid: str
    summary: str
    start: date
    end: date
    description: str | None = None
    category: str | None = None


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
    each continuation starts with a space, which counts toward its 75."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, LINE_OCTETS
        current.append(char)
        size += width
    parts.append("".join(current))
    return CRLF.join(parts)


def _date(d: date) -> str:
    return d.strftime("%Y%m%d")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
        f"DTEND;VALUE=DATE:{_date(event.end + timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.category:
        lines.append(f"CATEGORIES:{escape_text(event.category)}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar_text(name: str, events: Iterable[Event], stamp: datetime) -> str:
    """The VCALENDAR: CRLF line ends, every line folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ontrack//ontrack export ical//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def plan_events(plan: Plan, sched: Schedule, resources: Sequence[str] = ()) -> list[Event]:
    """Each outcome's target and forecast, every task and program milestone, and the tasks
    of each resource in `resources` (start to finish)."""
    domain = f"{plan.project.id}.ontrack"
    events: list[Event] = []
    for o in sched.outcomes:
        if o.target is not None:
            events.append(
                Event(
                    f"target-{o.id}@{domain}",
                    f"Outcome target: {o.statement}",
                    o.target,
                    o.target,
                    f"Outcome {o.id}: the date the client wants it true.",
                    "Outcome target",
                )
            )
        if o.forecast is not None:
            status = f" ({o.status.replace('_', ' ')})" if o.status else ""
            events.append(
                Event(
                    f"forecast-{o.id}@{domain}",
                    f"Outcome forecast: {o.statement}{status}",
                    o.forecast,
                    o.forecast,
                    f"Outcome {o.id}: the date the schedule forecasts it true.",
                    "Outcome forecast",
                )
            )
    for t in sched.tasks:
        if t.kind == "milestone":
            events.append(
                Event(
                    f"milestone-{t.id}@{domain}",
                    f"Milestone: {t.name}",
                    t.finish,
                    t.finish,
                    f"Task {t.id}.",
                    "Milestone",
                )
            )
    if plan.program is not None:
        for m in plan.program.milestones:
            vendor = f" ({m.vendor})" if m.vendor else ""
            events.append(
                Event(
                    f"program-milestone-{m.id}@{domain}",
                    f"Program milestone: {m.name}{vendor}",
                    m.date,
                    m.date,
                    f"Program milestone {m.id} of {plan.program.name}.",
                    "Program milestone",
                )
            )
    for resource in resources:
        for t in sched.tasks:
            if any(a.resource == resource for a in t.assignments):
                events.append(
                    Event(
                        f"task-{t.id}-{resource}@{domain}",
                        f"{resource}: {t.name}",
                        t.start,
                        t.finish,
                        f"Task {t.id}, assigned to {resource}.",
                        "Task",
                    )
                )
    return events
