"""Serving the web app with uvicorn: the database migrated on start, then one process."""

from __future__ import annotations

import uvicorn

from ontrack.store import open_store
from ontrack.web.app import create_app


def serve(url: str, host: str, port: int, secure_cookies: bool = False) -> None:
    """Run until interrupted. Migrations run first (open_store), so a database from an
    older ontrack is upgraded before the first request."""
    app = create_app(open_store(url), secure_cookies=secure_cookies, separate_process=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
