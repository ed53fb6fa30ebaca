"""A few helpers for writing SVG by hand: escaped text, compact numbers, elements."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHAR_PX = 0.52
"""Average glyph width of the sans-serif font, as a fraction of the font size."""

Attr = str | float | int


def num(value: float) -> str:
    """At most one decimal and no trailing zeros: small, stable output."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(name: str, content: str = "", /, **attrs: Attr) -> str:
    """`<name a="1">content</name>`; `class_` becomes `class`, `font_size` `font-size`."""
    parts = [name]
    for key, value in attrs.items():
        text = num(value) if isinstance(value, float) else str(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{escape(text)}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{name}>" if content else f"<{opening}/>"


def text(content: str, /, **attrs: Attr) -> str:
    return element("text", escape(content, quote=False), **attrs)


def title(content: str) -> str:
    """A tooltip for the enclosing element."""
    return element("title", escape(content, quote=False))


def group(children: Iterable[str], /, **attrs: Attr) -> str:
    return element("g", "".join(children), **attrs)


def fit(content: str, width_px: float, font_px: float) -> str:
    """Cut text to what fits in width_px, marking the cut with an ellipsis."""
    limit = max(int(width_px / (font_px * CHAR_PX)), 1)
    return content if len(content) <= limit else content[: limit - 1].rstrip() + "…"


def text_width(content: str, font_px: float) -> float:
    return len(content) * font_px * CHAR_PX


def document(width: float, height: float, body: Iterable[str], *, label: str) -> str:
    attrs: dict[str, Attr] = {
        "xmlns": SVG_NS,
        "width": width,
        "height": height,
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "role": "img",
        "aria_label": label,
        "font_family": FONT,
    }
    return element("svg", "\n".join(body), **attrs) + "\n"
