"""Browser tests: Playwright drives Debian's chromium against a real uvicorn server.

One server per session (127.0.0.1, a free port, a fresh SQLite database in a temporary
folder, seeded with the example plans and three people: a manager who owns every
project, a client of every project, and a member of one), one browser per session, a
fresh browser context (cookies, storage) per test. Every page records the console
errors, uncaught exceptions and Content-Security-Policy violations it sees.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MEMBER = ("member@example.com", "Morgan Member", "member-password-1")
MEMBER_PROJECT = "cloud-move"
SECOND_MANAGER = ("manager2@example.com", "Sam Second", "manager-password-2")
TIMEOUT_MS = 10_000

# Runs in every page before its own scripts (injected by the browser, so the CSP does not
# apply to it): keeps each CSP violation the page reports.
_RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Debian's chromium) against a live server"
    )


def _unavailable(reason: str) -> None:
    """No browser here: skip, except in CI, where a missing browser is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Person:
    email: str
    password: str


@dataclass(frozen=True)
class Site:
    url: str
    engine: Any
    manager: Person
    client: Person
    member: Person
    member_project: str
    second_manager: Person
    """A manager of the member's project too: the other of two editors."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app on a fresh seeded database, served by uvicorn in a background thread."""
    import uvicorn

    from ontrack.app.accounts import add_user
    from ontrack.app.seed import CLIENT, MANAGER, load_examples
    from ontrack.store import open_store, sqlite_url
    from ontrack.store.accounts import grant
    from ontrack.web.app import create_app

    folder = tmp_path_factory.mktemp("e2e")
    engine = open_store(sqlite_url(folder / "ontrack.db"))
    seeded = load_examples(engine, EXAMPLES, folder / "passwords.txt")
    passwords = {email: password for email, password, _ in seeded.sign_ins}
    for (email, name, password), role in ((MEMBER, "member"), (SECOND_MANAGER, "manager")):
        added = add_user(engine, email, name, password, datetime.now(UTC))
        with engine.begin() as conn:
            grant(conn, added.id, MEMBER_PROJECT, role)

    port = _free_port()
    app = create_app(engine, separate_process=True)  # as `ontrack serve` runs it
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Site(
            f"http://127.0.0.1:{port}",
            engine,
            Person(MANAGER, passwords[MANAGER]),
            Person(CLIENT, passwords[CLIENT]),
            Person(*MEMBER[::2]),
            MEMBER_PROJECT,
            Person(*SECOND_MANAGER[::2]),
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole session."""
    if shutil.which(CHROMIUM) is None:
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watched:
    """What went wrong in the pages of one browser context, as the browser reported it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        found: list[str] = []
        for page in self.pages:
            if not page.is_closed():
                found += page.evaluate("window.__cspViolations || []")
        return found

    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + self.csp_violations()


@dataclass
class Browsing:
    """A browser context on the site, and what its pages reported."""

    site: Site
    context: Any
    watched: Watched
    sessions: dict[str, Any]

    def new_page(self) -> Any:
        page = self.context.new_page()
        self.watched.pages.append(page)
        page.on(
            "console",
            lambda m: (
                self.watched.console_errors.append(
                    f"{page.url}: {m.text} ({m.location.get('url', '')})"
                )
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: self.watched.page_errors.append(f"{page.url}: {e}"))
        return page

    def signed_in(self, who: Person, start: str = "/") -> Any:
        """A new page, signed in through the sign-in form, showing `start`."""
        page = self.new_page()
        sign_in(page, who, start)
        self.sessions.setdefault(who.email, self.context.cookies())
        return page

    def as_(self, who: Person, start: str) -> Any:
        """A new page showing `start` to `who`: signed in through the form the first time,
        later on the session cookie that sign-in gave (argon2 is slow on purpose)."""
        cookies = self.sessions.get(who.email)
        if cookies is None:
            return self.signed_in(who, start)
        self.context.add_cookies(cookies)
        page = self.new_page()
        page.goto(start)
        assert page.url.endswith(start), f"{who.email} is signed in"
        return page


def sign_in(page: Any, who: Person, start: str = "/") -> None:
    page.goto(start)
    assert "/sign-in" in page.url, "a signed-out browser is sent to the sign-in page"
    page.get_by_label("E-mail").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(start) + r"$"))


@pytest.fixture(scope="session")
def sessions() -> dict[str, Any]:
    """Each person's session cookie, once they signed in through the form."""
    return {}


@pytest.fixture
def browser_and_site(browser: Any, site: Site) -> tuple[Any, Site]:
    """The browser first: without one, the test is skipped before any server starts."""
    return browser, site


@pytest.fixture
def browsing(browser_and_site: tuple[Any, Site], sessions: dict[str, Any]) -> Iterator[Any]:
    """A factory of fresh browser contexts (each its own cookies: its own person)."""
    browser, site = browser_and_site
    contexts: list[Any] = []

    def open_context() -> Browsing:
        context = browser.new_context(base_url=site.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(_RECORD_CSP)
        contexts.append(context)
        return Browsing(site, context, Watched(), sessions)

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def user(browsing: Any) -> Browsing:
    """One fresh browser context."""
    opened: Browsing = browsing()
    return opened
