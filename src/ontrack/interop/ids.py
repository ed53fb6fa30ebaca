"""Plan ids for what other tools name by number or by name: readable, valid, and unique
across one plan (tasks, resources, outcomes, deliverables and calendars share them)."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 32
VALID = re.compile(r"[A-Za-z0-9_-]+")


def slug(name: str, fallback: str) -> str:
    """An id made from a name: ASCII letters and digits, lower case, words joined by `-`,
    at most MAX_LENGTH characters (whole words), `fallback` when nothing is left:
    `Configure switch ports (B2)` -> `configure-switch-ports-b2`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = ""
    for word in re.findall(r"[a-z0-9]+", plain.lower()):
        longer = f"{out}-{word}" if out else word
        if len(longer) > MAX_LENGTH:
            return out or longer[:MAX_LENGTH]
        out = longer
    return out or fallback


class Ids:
    """Hands out ids: one the file itself gives (an ontrack id carried in a text field, a
    resource's code) when it is valid and free, else one made from a name."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def reserve(self, wanted: str | None) -> str | None:
        """Take `wanted` as it is, or None when it is not a valid id or already taken."""
        if wanted and VALID.fullmatch(wanted) and wanted not in self.taken:
            self.taken.add(wanted)
            return wanted
        return None

    def claim(self, base: str) -> str:
        """`base`, or when it is taken the first free of `base-2`, `base-3`, ..."""
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate

    def make(self, name: str | None, fallback: str) -> str:
        """A free id made from `name`."""
        return self.claim(slug(name or "", fallback))
