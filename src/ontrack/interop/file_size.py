"""The largest file an import reads. No project file comes near it (10,000 tasks in MSPDI
are 13 to 30 MB), so a larger one is refused before it is read into memory."""

from __future__ import annotations

from pathlib import Path

from ontrack.core.diagnostics import Diagnostic, Location, PlanError

MAX_BYTES = 256 * 1024 * 1024


def read_limited(path: Path, code: str) -> bytes:
    """The file's bytes, or a PlanError `code` at its line 1 when it is too large.
    OSError passes through: each reader words it its own way."""
    with path.open("rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large(str(path), code)
    return data


def too_large(filename: str, code: str) -> PlanError:
    message = f"the file is larger than {MAX_BYTES // 2**20} MB, far more than any real project"
    return PlanError([Diagnostic(code, message, location=Location(filename, 1, 1))])
