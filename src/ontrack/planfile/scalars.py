"""What a plain (unquoted) YAML scalar means: the YAML 1.2 core schema, plus our choices.

`yes`, `no`, `on` and `off` stay text (YAML 1.2), and dates stay text too: the schema
turns them into dates where a field wants one, so a quoted date works the same.
"""

from __future__ import annotations

import math
import re

Scalar = str | int | float | bool | None

_FIXED: dict[str, Scalar] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
_NUMBER_START = frozenset("0123456789+-.")
_NUMBER = re.compile(
    r"(?P<int>[-+]?[0-9]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
    r"|0o(?P<oct>[0-7]+)"
    r"|0x(?P<hex>[0-9a-fA-F]+)"
)
_BASES = {"int": 10, "oct": 8, "hex": 16}
_MAX_DIGITS = 4000  # Python refuses to convert longer digit strings; nobody writes them


def resolve(text: str) -> Scalar:
    """The value of a plain scalar written as `text`."""
    if text in _FIXED:
        return _FIXED[text]
    if text[0] not in _NUMBER_START or len(text) > _MAX_DIGITS:
        return text
    number = _NUMBER.fullmatch(text)
    if number is None:
        return text
    kind = number.lastgroup or "int"
    return float(text) if kind == "float" else int(number[kind], _BASES[kind])
