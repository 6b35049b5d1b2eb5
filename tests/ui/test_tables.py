"""The shared table settings: how tall a grid's rows are made for the text they hold."""

from __future__ import annotations

import pandas as pd

from atlas.ui.tables import (
    LINE_HEIGHT,
    MAX_LINES,
    ROW_PADDING,
    WRAPPED_ROW_HEIGHT,
    lines_needed,
    row_height,
)


def test_lines_needed_grows_with_the_text_and_shrinks_with_the_width() -> None:
    name = pd.Series(["Восточно-Казахстанская область; Карагандинская область"])
    assert lines_needed(name, 1000) == 1
    assert lines_needed(name, 200) == 3
    assert lines_needed(name, 120) > lines_needed(name, 200)
    assert lines_needed(pd.Series([], dtype=object), 100) == 1


def test_row_height_is_one_line_when_all_fits_and_else_tall_enough_to_wrap() -> None:
    frame = pd.DataFrame({"a": ["short", "also short"], "b": ["x" * 60, "y"]})
    assert row_height(frame, {"a": 200}) is None  # Streamlit's own one-line rows
    # Two lines would need 48 px, but Streamlit wraps only rows taller than 64.
    assert row_height(frame, {"b": 400}) == WRAPPED_ROW_HEIGHT
    assert row_height(frame, {"b": 150}) == 4 * LINE_HEIGHT + ROW_PADDING
    # A text longer than MAX_LINES does not make every row a page tall.
    huge = pd.DataFrame({"b": ["word " * 500]})
    assert row_height(huge, {"b": 100}) == MAX_LINES * LINE_HEIGHT + ROW_PADDING
    assert row_height(frame, {"not there": 10}) is None
