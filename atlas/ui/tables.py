"""Column settings shared by the app's tables: money as right-aligned numbers written the
viewer's way, long text shown whole.

``st.column_config.NumberColumn`` formats with the browser's locale or a printf pattern, neither
of which follows the language chosen in the app; a pandas Styler's text is shown instead while
the column stays a number (it sorts as one and is right-aligned).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from atlas.figures import format_number

PHONE_WIDTH = 640  # px of viewport below which a wrapped table's rows stack
# px: Streamlit wraps text only in rows taller than 4rem (64 px); three lines fit in 68.
WRAPPED_ROW_HEIGHT = 68
LINE_HEIGHT, ROW_PADDING = 20, 8  # px of a wrapped line of a grid's cell, and around them
CELL_PADDING = 18  # px of a grid cell's width that holds no text
# px a letter of the grid's 14 px type takes: 6.5 on average over the atlas's names and
# regions in en, ru and kk (measured in Chromium), plus a sixth for wrapping's ragged ends
LETTER_WIDTH = 7.6
MAX_LINES = 5  # the tallest a grid's rows get; the row's own page has the rest
GRID_MARKER = 32  # px of the selection column of a grid whose rows can be picked


MONEY_WIDTH = 112  # px: "1 232 570" and a header such as "Получает (EUR)"


def money_column(label: str | None = None, help: str | None = None,
                 width: int = MONEY_WIDTH) -> Any:
    """A money (or count) column: a number, right-aligned, its text from ``number_styler``."""
    return st.column_config.NumberColumn(label, help=help, alignment="right", width=width)


def text_column(width: str | int = "medium", label: str | None = None) -> Any:
    """A text column wide enough for what it holds (rows are made tall enough to wrap)."""
    return st.column_config.TextColumn(label, width=width)  # type: ignore[arg-type]


def lines_needed(texts: pd.Series, width: int) -> int:
    """Lines the longest of ``texts`` takes in a grid column ``width`` px wide (estimated
    from its length: the grid measures in the browser, the server cannot)."""
    if not len(texts):
        return 1
    longest = int(texts.astype(str).str.len().max())
    return max(1, math.ceil(longest * LETTER_WIDTH / max(width - CELL_PADDING, 1)))


def row_height(frame: pd.DataFrame, widths: Mapping[str, int]) -> int | None:
    """A grid's row height that shows the text of ``frame``'s ``widths`` columns whole, up to
    ``MAX_LINES`` lines; None (Streamlit's one-line rows) when every text fits on one."""
    lines = max((lines_needed(frame[c], w) for c, w in widths.items() if c in frame.columns),
                default=1)
    if lines <= 1:
        return None
    return max(WRAPPED_ROW_HEIGHT, min(lines, MAX_LINES) * LINE_HEIGHT + ROW_PADDING)


def number_text(value: object, lang: str, decimals: int = 0) -> str:
    """A cell's number written the viewer's way ("50 000" in ru / kk); blank when missing."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return ""
    return format_number(float(value), lang, decimals=decimals)  # type: ignore[arg-type]


def number_styler(frame: pd.DataFrame, columns: Sequence[str], lang: str,
                  decimals: int = 0) -> Styler:
    """``frame`` with ``columns`` shown as numbers in ``lang``'s way, still numbers."""
    return frame.style.format({c: (lambda v, d=decimals: number_text(v, lang, d))
                               for c in columns})


def styled_texts(frame: pd.DataFrame, texts: dict[str, list[str]]) -> Styler:
    """``frame`` showing ``texts`` (column -> one text a row) in place of its values: a money
    column stays a number to sort and align by, while its cells keep "≈", "+" or "unknown"."""
    styler = frame.style
    for column, cells in texts.items():
        for row, text in enumerate(cells):
            styler = styler.format(lambda _, text=text: text,
                                   subset=pd.IndexSlice[frame.index[row:row + 1], [column]])
    return styler


def _css_text(text: str) -> str:
    """``text`` as the inside of a CSS string (quotes, backslashes and "<" escaped)."""
    return "".join(f"\\{ord(ch):x} " if ch in '\\"<>\n\r' else ch for ch in text)


def stacked_css(key: str, labels: Sequence[str]) -> str:
    """Below ``PHONE_WIDTH`` the rows of the table in the container ``key`` stack: each cell on
    a line of its own, after its column's name (the first column's, a row's name, stands
    alone), so a phone reads every cell whole without scrolling sideways. Static but for the
    escaped column names (st.html keeps a style element)."""
    scope = f".st-key-{key}"
    rules = [f"{scope} thead {{display: none;}}",
             f"{scope} table, {scope} tbody, {scope} tr, {scope} td {{display: block; "
             f"width: auto !important;}}",
             f"{scope} tr {{border-bottom: 1px solid rgba(49, 51, 63, 0.2); "
             f"padding: 0.35rem 0;}}",
             f"{scope} td {{border: none !important; padding: 0.05rem 0.6rem !important; "
             f"text-align: left !important; white-space: normal !important;}}",
             f"{scope} td:first-child {{font-weight: 600;}}"]
    rules += [f'{scope} td.col{i}::before {{content: "{_css_text(label)}: "; '
              f"float: left; margin-right: 0.3em; color: rgba(49, 51, 63, 0.6);}}"
              for i, label in enumerate(labels) if i]
    return f"<style>@media (max-width: {PHONE_WIDTH - 0.02}px) {{\n" + "\n".join(rules) \
        + "\n}</style>"


def wrapped_table(frame: pd.DataFrame, key: str, right: Sequence[str] = (),
                  whole: Sequence[str] = ()) -> None:
    """``frame`` as a page-wide static table whose cells are shown whole: long text wraps
    (rows grow to fit it), nothing scrolls sideways or inside the table; on a phone its rows
    stack (``stacked_css``). For text to be read more than sorted or picked: every row goes
    to the browser, so callers show a bounded page of a long list. Cells are Markdown:
    callers escape data text with ``text.md``. ``right`` columns are right-aligned (numbers
    written as text); they and the ``whole`` columns (dates) stay on one line."""
    columns = list(frame.columns)
    styles = [{"selector": "td > div, th > div", "props": [("max-width", "none")]}]
    # Streamlit caps a cell's text at 400 px: a long text column takes the room the page
    # has (a projector's too), and the table still wraps to fit the page.
    for name in (*right, *whole):
        i = columns.index(name)
        styles.append({"selector": f"td.col{i} > div", "props": [("white-space", "nowrap")]})
    for name in right:
        i = columns.index(name)
        styles.append({"selector": f"td.col{i}, th.col{i}",
                       "props": [("text-align", "right !important")]})
    st.html(stacked_css(key, columns))
    with st.container(key=key):
        st.table(frame.style.set_table_styles(styles), hide_index=True)
