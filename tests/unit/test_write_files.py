"""Files ontrack writes are written whole or not at all, and keep their permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ontrack.app.services import write_bytes, write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("old\n")
    plan.chmod(0o664)
    write_text(plan, "new\r\n")  # line endings as given: bytes, not text mode
    assert _mode(plan) == 0o664
    assert plan.read_bytes() == b"new\r\n"


def test_a_new_file_gets_the_usual_permissions_not_the_temporary_files(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_bytes(tmp_path / "out.xlsx", b"PK")
    finally:
        os.umask(umask)
    assert _mode(tmp_path / "out.xlsx") == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
