"""Column settings shared by the app's tables: money as right-aligned numbers written the
viewer's way, long text shown whole.

``st.column_config.NumberColumn`` formats with the browser's locale or a printf pattern, neither
of which follows the language chosen in the app; a pandas Styler's text is shown instead while
the column stays a number (it sorts as one and is right-aligned).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from atlas.figures import format_number

# px: Streamlit wraps text only in rows taller than 4rem (64 px); three lines fit in 68.
WRAPPED_ROW_HEIGHT = 68


def money_column(label: str | None = None, help: str | None = None) -> Any:
    """A money column: a number, right-aligned, its text from ``number_styler``."""
    return st.column_config.NumberColumn(label, help=help, alignment="right", width=112)


def text_column(width: str | int = "medium", label: str | None = None) -> Any:
    """A text column wide enough for what it holds (rows are made tall enough to wrap)."""
    return st.column_config.TextColumn(label, width=width)  # type: ignore[arg-type]


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
