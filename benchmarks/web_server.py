"""The app factory the web benchmark hands uvicorn (`--factory`), so that uvicorn can start
it in each of its worker processes: the database URL comes from ONTRACK_BENCH_URL, and
ONTRACK_BENCH_SCHEDULING says where to schedule (`worker`, as `ontrack serve` does, or
`inline`).

    ONTRACK_BENCH_URL=sqlite:///tmp/x.db .venv/bin/uvicorn --app-dir benchmarks \\
        web_server:app --factory --workers 2
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from ontrack.store import open_store
from ontrack.web.app import create_app


def app() -> FastAPI:
    worker = os.environ.get("ONTRACK_BENCH_SCHEDULING", "worker") == "worker"
    return create_app(open_store(os.environ["ONTRACK_BENCH_URL"]), separate_process=worker)
