"""Text a spreadsheet would run as a formula, made inert in every CSV the atlas writes.

Excel, LibreOffice and Google Sheets evaluate a CSV cell that starts with ``=``, ``+``, ``-``
or ``@`` (and tab or carriage return, which they strip first): ``+HYPERLINK(...)`` in a project
name becomes a live link that can carry other cells away. The OWASP rule is to start such a
cell with a single quote, which spreadsheets read as "this is text". Numbers stay numbers: only
text cells are touched, so an amount of -5 is still -5.

The atlas's own data files (``geodata/``) are CSV too and are opened in spreadsheets for review,
so they follow the same rule; ``restore`` undoes it exactly when such a file is read back. A
value that already starts with quotes before a formula character gets one more, so that
reading strips precisely what writing added.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_START)


def inert(value: object) -> object:
    """``value`` as a spreadsheet will show it as text (non-text values unchanged)."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text ``inert`` was given (text not written by ``inert`` is returned unchanged)."""
    if text.startswith("'") and _looks_like_formula(text):
        return text[1:]
    return text


def inert_csv(frame: pd.DataFrame) -> str:
    """CSV text of ``frame`` (no index) with every text cell and header made inert.

    Lines end in CRLF as RFC 4180 and Excel expect; a cell holding a line break of either kind
    is then quoted (with "\n" endings, a lone "\r" in a cell would split its row).
    """
    safe = frame.map(inert)
    safe.columns = [inert(c) for c in frame.columns]
    return safe.to_csv(index=False, lineterminator="\r\n")
