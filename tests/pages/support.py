"""Helpers of the AppTest modules: open a page with URL parameters, run it, read a metric."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from atlas.i18n import t
from atlas.ui.tables import LAPTOP_GRID_WIDTH

ROOT = Path(__file__).resolve().parents[2]
MAIN = "streamlit_app.py"
TIMEOUT = 60


def open_page(page: str = MAIN, **params: str) -> AppTest:
    """An app (not yet run) showing ``page``, with URL query parameters ``params``.

    Pages other than the entrypoint are reached with ``switch_page``: run as an entrypoint of
    its own, pages/X.py would resolve ``st.page_link("streamlit_app.py")`` against pages/.
    """
    at = AppTest.from_file(str(ROOT / MAIN), default_timeout=TIMEOUT)
    if page != MAIN:
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def run(at: AppTest) -> AppTest:
    """Run the app and fail on any exception it shows."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    """The value of the one metric labelled ``t(key, lang)``."""
    label = t(key, lang)
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, (label, [(m.label, m.value) for m in at.metric])
    return values[0]


def fill_new_site(at: AppTest, lon: float, lat: float, *, site_id: str = "s-test-outside",
                  name: str = "Somewhere", precision: str = "exact") -> None:
    """Type a new Mangystau site into the open Edit form: ids, name, level, precision, basis,
    region and the point (``lon``, ``lat``), as staff would."""
    at.text_input(key="ef_sites_site_id").input(site_id)
    at.text_input(key="ef_sites_name_en").input(name)
    at.selectbox(key="ef_sites_level").set_value("settlement")
    at.selectbox(key="ef_sites_precision").set_value(precision)
    at.text_area(key="ef_sites_location_basis").input("typed by a test")
    at.selectbox(key="ef_sites_region_code").set_value("KAZ014")
    at.number_input(key="ef_sites_lon").set_value(lon)
    at.number_input(key="ef_sites_lat").set_value(lat)



def display_texts(grid: Any) -> dict[str, list[str]]:
    """The text each cell of an st.dataframe (AppTest element) shows, by column: a Styler's
    text where it sets one, else the value."""
    from streamlit import dataframe_util

    styler = grid.proto.arrow_data.styler
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values) \
        if styler.display_values else grid.value
    return {str(c): [str(v) for v in shown[c]] for c in shown.columns}


def grid_columns(grid: Any) -> dict[str, dict[str, Any]]:
    """The column settings of an st.dataframe (AppTest element) by header, hidden ones left
    out."""
    config = json.loads(grid.proto.columns)
    return {name: c for name, c in config.items() if not c.get("hidden")}


def assert_grid_reads_whole(grid: Any, marker: int = 0,
                            width: int | None = LAPTOP_GRID_WIDTH) -> None:
    """An st.dataframe whose every column has a width and, with the selection column
    (``marker`` px), all fit ``width`` (None: a grid that scrolls sideways); numbers
    right-aligned; rows tall enough for the longest text of each text column (up to
    ``MAX_LINES``); no cell says "None"."""
    from atlas.ui.tables import LINE_HEIGHT, MAX_LINES, ROW_PADDING, lines_needed

    columns = grid_columns(grid)
    frame = grid.value
    assert set(columns) == set(frame.columns), (set(columns), list(frame.columns))
    assert all(isinstance(c.get("width"), int) for c in columns.values()), columns
    if width is not None:
        assert sum(c["width"] for c in columns.values()) + marker <= width, columns
    for name, c in columns.items():
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values):
            assert c.get("alignment") == "right", (name, c)
            continue
        assert "None" not in set(values.astype(str)), name
        lines = min(lines_needed(values, c["width"]), MAX_LINES)
        if lines > 1:
            assert grid.proto.row_height >= lines * LINE_HEIGHT + ROW_PADDING, (name, lines)


def plain(cell: str) -> str:
    """A Markdown-escaped table cell as read (``md`` undone)."""
    return re.sub(r"\\(.)", r"\1", cell)


def field_values(cell: str) -> dict[str, str]:
    """A wrapped table's cell of "**field:** value" lines (``tables.field_lines``) as
    {field: value}, as read."""
    pairs = [re.match(r"\*\*(.*?):\*\* (.*)$", line, re.S) for line in cell.split("  \n")]
    return {plain(m[1]): plain(m[2]) for m in pairs if m}
