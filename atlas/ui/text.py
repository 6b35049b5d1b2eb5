"""Putting data text on a page safely: Markdown-escaped, HTML-escaped, never raw."""

from __future__ import annotations

import re
from html import escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def md(text: object) -> str:
    """Escape Markdown (and Streamlit's :directives:) so data shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def safe_url(url: str) -> str | None:
    """Only http(s) links are shown as links; anything else is not a link."""
    return url if re.match(r"^https?://[^\s<>\"']+$", url or "") else None


def sdg_badges_html(badges: list[tuple[int, str, str]], font_size: float = 0.85) -> str:
    """Coloured SDG badges from (goal, name, colour); names escaped, colours validated.

    ``font_size`` is in rem (the presentation uses large badges).
    """
    parts = []
    for goal, name, colour in badges:
        fill = colour if _HEX_COLOUR.match(colour) else "#666666"
        parts.append(
            f'<span style="display:inline-block;background:{fill};color:#fff;font-weight:600;'
            f'padding:0.15em 0.6em;border-radius:4px;margin:0 4px 4px 0;'
            f'font-size:{float(font_size):.2f}rem">'
            f"{int(goal)} · {escape(name)}</span>"
        )
    return "".join(parts)
