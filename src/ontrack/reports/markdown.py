"""Render the report models to Markdown (GitHub flavour: tables, no raw HTML)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ontrack.reports.facts import (
    Facts,
    briefing_facts,
    client_facts,
    program_facts,
    span_text,
)
from ontrack.reports.model import (
    BaselineProgress,
    ClientReport,
    ConversationView,
    CorrectionView,
    FindingView,
    Header,
    HealthFailure,
    Lookahead,
    OutcomeView,
    ProgramView,
    Span,
    Step,
    TeamBriefing,
    Variances,
)
from ontrack.reports.wording import (
    CLIENT_LABELS,
    TEAM_LABELS,
    OutcomeLabels,
    attention_note,
    changes_since,
    client_confidence,
    confidence_note,
    date_or_dash,
    driver_meaning,
    driver_name,
    driver_words,
    fmt_date,
    forecast_sentence,
    gained_text,
    index_text,
    money,
    moved,
    overall_forecast,
    program_story,
    severity_words,
    share_done,
    slip_words,
    status_summary,
    status_words,
    team_confidence,
    verified_note,
    who_text,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_BAR_CHARS = 40

Lines = list[str]


def md(text: str) -> str:
    """Escape what Markdown would otherwise read as formatting or table cells."""
    return _SPECIAL.sub(r"\\\1", text)


def render_client_report(report: ClientReport) -> str:
    h = report.header
    lines = [f"# {md(h.project)}", "", "**Status report**", ""]
    lines += _facts(client_facts(h)) + _context(h)
    lines += _section("In short")
    summary = status_summary(o.status for o in report.outcomes)
    lines += [f"{overall_forecast(h.span.finish)} {summary}"]
    lines += [""] + [_attention(o) for o in report.attention]
    lines += _progress(report.progress, report.baseline_hint)
    lines += _decisions(report)
    lines += _section("Outcomes, most important first")
    lines += _confidence_note(report.futures)
    for outcome in report.outcomes:
        lines += _outcome(outcome, CLIENT_LABELS)
    lines += _deliverables(report)
    lines += _milestones(report)
    lines += ["---", "", f"_{_footer(h)}_"]
    return _join(lines)


def render_team_briefing(briefing: TeamBriefing) -> str:
    h = briefing.header
    lines = [f"# {md(h.project)}", "", f"**Team briefing · internal · {fmt_date(briefing.today)}**"]
    lines += ["", *_facts(briefing_facts(h))]
    if briefing.program:
        lines += _program(briefing.program, h)
    lines += _section(f"What matters most to the client: {driver_name(briefing.driver)}")
    lines += [driver_meaning(briefing.driver), ""]
    lines += _section("Outcomes, most important first")
    lines += _confidence_note(briefing.futures)
    for outcome in briefing.outcomes:
        lines += _outcome(outcome, TEAM_LABELS)
    lines += _variances(briefing.variances, briefing.baseline_hint)
    lines += _health(briefing.health_failures)
    lines += _corrections(briefing.corrections)
    lines += _findings(briefing.findings)
    lines += _lookahead(briefing.lookahead)
    lines += _conversations(briefing.conversations)
    lines += _section("Gantt chart")
    lines += ["The Gantt chart is drawn in the HTML version of this briefing."]
    return _join(lines)


def _join(lines: Lines) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _section(title: str) -> Lines:
    return ["", f"## {md(title)}", ""]


def _facts(items: Facts) -> Lines:
    return [f"- **{label}:** {md(value)}" for label, value in items] + [""]


def _context(h: Header) -> Lines:
    if not h.program:
        return []
    benefit = f": {md(h.benefit)}" if h.benefit else ""
    return [f"Part of **{md(h.program)}**{benefit}.", ""]


def _footer(h: Header) -> str:
    by = f"Prepared by {md(h.manager)}. " if h.manager else ""
    as_of = f" as of {fmt_date(h.status_date)}" if h.status_date else ""
    return f"{by}Dates are forecasts from the current plan{as_of}."


def _attention(o: OutcomeView) -> str:
    note = attention_note(o.status, o.forecast, o.target, o.slack_days, o.work_finished)
    return f"- **{md(o.statement)}** {note}."


def _outcome(o: OutcomeView, labels: OutcomeLabels) -> Lines:
    priority = f"Priority {o.priority}: " if o.priority is not None else ""
    lines = [f"### {priority}{md(o.statement)} ({status_words(o.status)})", ""]
    sentence = forecast_sentence(o.status, o.forecast, o.target, o.slack_days, o.work_finished)
    lines += [f"**{sentence}.**", ""]
    if o.verified:
        lines += [f"{md(verified_note(o.verified))}.", ""]
    lines += _odds(o, team=labels is TEAM_LABELS)
    if o.security and labels.security:
        lines += [f"_{labels.security}._", ""]
    if o.measure:
        lines += [f"{labels.measure}: {md(o.measure)}", ""]
    if o.needs:
        lines += [f"{labels.needs}:", ""] + [f"- {md(need)}" for need in o.needs] + [""]
    if o.crucial_work:
        lines += ["The work that sets the date:", ""]
        lines += _table(["Task", "Dates", "Who"], [_work_cells(s) for s in o.crucial_work])
    return lines


def _confidence_note(futures: int | None) -> Lines:
    return [f"_{md(confidence_note(futures))}._", ""] if futures else []


def _odds(o: OutcomeView, *, team: bool) -> Lines:
    c = o.confidence
    if c is None:
        return []
    if not team:
        return [f"{md(client_confidence(c))}.", ""]
    lines = [f"{md(team_confidence(c))}.", ""]
    if c.drivers:
        lines += ["The top risk drivers:", ""] + [f"- {md(driver_words(d))}" for d in c.drivers]
        lines += [""]
    return lines


def _work_cells(step: Step) -> list[str]:
    name = md(step.name) + (" (done)" if step.done else "") + _critical(step)
    return [name, span_text(step.span), md(who_text(step.who, step.kind))]


def _critical(step: Step) -> str:
    return " **critical**" if step.critical else ""


def _table(head: list[str], rows: Iterable[list[str]]) -> Lines:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return [*lines, ""]


def _deliverables(report: ClientReport) -> Lines:
    if not report.deliverables:
        return []
    rows = [
        [
            f"**{md(d.name)}**",
            md(d.acceptance or "To be agreed"),
            md("; ".join(d.outcomes)),
            (("Delivered " if d.done else "") + fmt_date(d.forecast)) if d.forecast
            else "Not yet planned",
        ]
        for d in report.deliverables
    ]
    head = ["Deliverable", "How you accept it", "Serves", "Forecast"]
    return _section("What you will receive") + _table(head, rows)


def _milestones(report: ClientReport) -> Lines:
    if not report.milestones:
        return []
    rows = [[fmt_date(m.date), md(m.name), md(m.owner or "Our team")] for m in report.milestones]
    return _section("Key milestones") + _table(["Date", "Milestone", "Who"], rows)


def _program(p: ProgramView, h: Header) -> Lines:
    lines = [*_section("The client's story"), md(program_story(h.client, p.name, p.benefit)), ""]
    lines += _facts(program_facts(p))
    if p.span:
        lines += ["Where our work sits in the program:", "", "```text"]
        lines += [*_text_timeline(p.span, p.it_span), "```", ""]
    if p.vendors:
        lines += ["Who else is on the program:", ""]
        lines += _table(["Vendor", "Role"], [[md(v.name), md(v.role or "")] for v in p.vendors])
    return lines


def _text_timeline(program: Span, it: Span) -> Lines:
    """Two bars of the same scale, the Markdown cousin of the timeline SVG."""
    start, finish = min(program.start, it.start), max(program.finish, it.finish)
    days = (finish - start).days + 1

    def bar(span: Span) -> str:
        first = (span.start - start).days * _BAR_CHARS // days
        last = max((span.finish - start).days * _BAR_CHARS // days, first)
        return " " * first + "#" * (last - first + 1) + " " * (_BAR_CHARS - last - 1)

    return [
        f"Program  [{bar(program)}]  {span_text(program)}",
        f"IT work  [{bar(it)}]  {span_text(it)}",
    ]


def _findings(findings: tuple[FindingView, ...]) -> Lines:
    if not findings:
        return []
    lines = _section("What we found")
    for f in findings:
        lines += [f"### {severity_words(f.severity)}: {md(f.message)}", ""]
        lines += [f"- **For the client:** {md(f.impact)}", f"- **What to do:** {md(f.action)}", ""]
    return lines


def _lookahead(lookahead: Lookahead) -> Lines:
    rows = []
    for person in lookahead.people:
        rows += _person_rows(f"**{md(person.name)}**", person.work)
    rows += _person_rows("**No one on our team**", lookahead.unassigned, empty=None)
    return _section(f"Next two weeks: {span_text(lookahead.span)}") + _table(
        ["Who", "Task", "Dates"], rows
    )


def _person_rows(
    who: str, work: tuple[Step, ...], empty: str | None = "Nothing scheduled"
) -> list[list[str]]:
    if not work:
        return [[who, f"_{empty}_", ""]] if empty else []
    return [
        [who if i == 0 else "", md(s.name) + _critical(s), span_text(s.span)]
        for i, s in enumerate(work)
    ]


def _conversations(conversations: tuple[ConversationView, ...]) -> Lines:
    if not conversations:
        return []
    lines = _section("What the client told us")
    for c in conversations:
        with_ = f" · {md(c.with_)}" if c.with_ else ""
        lines += [f"### {fmt_date(c.date)}{with_}", ""]
        if c.notes:
            lines += [md(c.notes), ""]
        if c.decisions:
            lines += ["Decided:", ""] + [f"- {md(d)}" for d in c.decisions] + [""]
        if c.outcomes:
            lines += [f"_About: {md('; '.join(c.outcomes))}_", ""]
    return lines


def _progress(progress: BaselineProgress | None, hint: str) -> Lines:
    lines = _section("Progress since the last report")
    if progress is None:
        return [*lines, md(hint)]
    lines += [f"Against the plan of {fmt_date(progress.saved)}:", ""]
    lines += [f"- {md(change)}" for change in changes_since(progress)] + [""]
    rows = [
        [md(o.statement), date_or_dash(o.was), date_or_dash(o.now), slip_words(o.slip_days),
         share_done(o.done_share)]
        for o in progress.outcomes
    ]
    return lines + _table(["Outcome", "Planned", "Forecast now", "Change", "Work done"], rows)


def _decisions(report: ClientReport) -> Lines:
    lines = _section("Decisions for you")
    if not report.decisions:
        lines += ["Nothing needs your decision now.", ""]
    for decision in report.decisions:
        lines += [f"### {md(decision.question)}?", ""]
        lines += [f"- {md(m.statement)}: {moved(m.was, m.now)}" for m in decision.moves] + [""]
    if report.decided:
        lines += ["Decided so far:", ""]
        lines += [f"- {fmt_date(d.date)}: {md(d.text)}" for d in report.decided] + [""]
    return lines


def _variances(variances: Variances | None, hint: str) -> Lines:
    lines = _section("Variances against the baseline")
    if variances is None:
        return [*lines, md(hint)]
    cur = variances.currency
    rows = [
        [md(v.forecast.statement), moved(v.forecast.was, v.forecast.now),
         slip_words(v.forecast.slip_days), money(v.sv, cur), money(v.cv, cur),
         index_text(v.spi), index_text(v.cpi)]
        for v in variances.outcomes
    ]
    lines += [f"Baseline {md(variances.baseline)}:", ""]
    lines += _table(["Outcome", "Forecast", "Slip", "SV", "CV", "SPI", "CPI"], rows)
    if variances.task_slips:
        lines += ["The biggest task slips:", ""]
        lines += _table(
            ["Task", "Finish", "Slip"],
            [[md(t.name), moved(t.was, t.now), slip_words(t.days)] for t in variances.task_slips],
        )
    return lines


def _health(failures: tuple[HealthFailure, ...] | None) -> Lines:
    if failures is None:
        return []
    lines = _section("Schedule health: what fails")
    if not failures:
        return [*lines, "Every health check passes or cannot be assessed yet."]
    for f in failures:
        lines += [f"- **{md(f.name)}**: {md(f.measured)}"]
        lines += [f"  - {md(o)}" for o in f.offenders]
    return lines


def _corrections(corrections: tuple[CorrectionView, ...] | None) -> Lines:
    if corrections is None:
        return []
    lines = _section("Top course corrections")
    if not corrections:
        return [*lines, "No course correction found for the outcomes at stake."]
    for n, c in enumerate(corrections, 1):
        later = f"; makes later: {md('; '.join(c.makes_later))}" if c.makes_later else ""
        lines += [f"{n}. {md(c.description)} (for {md(c.outcome)}): "
                  f"{gained_text(c.days_gained)}, {md(c.cost)}{later}"]
    return lines
