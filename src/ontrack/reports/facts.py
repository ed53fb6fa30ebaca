"""The label/value facts shown at the top of reports, shared by every format."""

from __future__ import annotations

from ontrack.reports.model import Header, ProgramView, Span
from ontrack.reports.wording import fmt_date, fmt_span, money, percent

Facts = list[tuple[str, str]]


def span_text(span: Span) -> str:
    return fmt_span(span.start, span.finish)


def client_facts(header: Header) -> Facts:
    return _present([
        ("Client", header.client),
        ("Status date", fmt_date(header.status_date) if header.status_date else None),
        ("Forecast finish", fmt_date(header.span.finish)),
        ("Project manager", header.manager),
    ])


def briefing_facts(header: Header) -> Facts:
    return _present([
        ("Client", header.client),
        ("Status date", fmt_date(header.status_date) if header.status_date else None),
        ("Our work", span_text(header.span)),
        ("Project manager", header.manager),
    ])


def program_facts(program: ProgramView) -> Facts:
    share = program.it_share
    return _present([
        ("Program budget", money(program.budget, program.currency) if program.budget else None),
        ("Our cost", money(program.it_cost, program.currency)),
        ("IT share of the budget", percent(share) if share is not None else None),
        ("Program", span_text(program.span) if program.span else None),
    ])


def _present(items: list[tuple[str, str | None]]) -> Facts:
    return [(label, value) for label, value in items if value]
