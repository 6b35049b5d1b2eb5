"""Column settings shared by the app's tables: money as right-aligned numbers written the
viewer's way, long text shown whole.

``st.column_config.NumberColumn`` formats with the browser's locale or a printf pattern, neither
of which follows the language chosen in the app; a pandas Styler's text is shown instead while
the column stays a number (it sorts as one and is right-aligned).
"""

from __future__ import annotations

import math
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
    column stays a number to sort and align by, while its cells keep "≈", "+" or "unknown".

    A column is formatted in one call, its text looked up by the cell's number; only a cell
    whose number shows another text than an equal number above it ("6 653" and "6 653+") gets
    a call of its own (a call costs a slice of the frame: one a cell took most of a page's
    time)."""
    styler = frame.style
    for column, cells in texts.items():
        shown: dict[object, str] = {}
        own: list[int] = []  # rows whose text differs from an equal number's
        for row, (value, text) in enumerate(zip(frame[column].to_list(), cells, strict=True)):
            if shown.setdefault(_value_key(value), text) != text:
                own.append(row)
        styler = styler.format(lambda v, shown=shown: shown[_value_key(v)], subset=[column])
        for row in own:
            styler = styler.format(lambda _, text=cells[row]: text,
                                   subset=pd.IndexSlice[frame.index[row:row + 1], [column]])
    return styler


def _value_key(value: object) -> object:
    """A cell's value as a lookup key: every missing value is one key (NaN != NaN)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
