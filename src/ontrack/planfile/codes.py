"""The diagnostic codes of the plan-file layer; the semantic ones live in core.validate."""

from __future__ import annotations

from typing import Final

from ontrack.core.validate import CODES as SEMANTIC_CODES

FILE_CODES: Final = frozenset(
    {
        "file-unreadable",
        "yaml-syntax",
        "too-large",
        "not-a-mapping",
        "duplicate-key",
        "missing-field",
        "unknown-field",
        "bad-type",
        "bad-value",
        "bad-duration",
        "bad-date",
        "bad-id",
        "bad-version",
        "bad-holidays",
    }
)

ALL_CODES: Final = FILE_CODES | SEMANTIC_CODES
