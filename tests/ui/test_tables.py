"""The shared table settings: text measured as the grid draws it, column widths that fit a
laptop's page, and rows tall enough for the text they hold."""

from __future__ import annotations

import pandas as pd

from atlas.ui.tables import (
    CELL_PADDING,
    LAPTOP_GRID_WIDTH,
    LINE_HEIGHT,
    MAX_LINES,
    PROJECTOR_GRID_WIDTH,
    ROW_PADDING,
    TEXT_MIN,
    WRAPPED_ROW_HEIGHT,
    date_columns,
    decimal_text,
    field_lines,
    fitted_widths,
    lines_needed,
    one_line_width,
    row_height,
    text_width,
    width_for_lines,
    wrapped_lines,
)

REGIONS = "Восточно-Казахстанская область; Карагандинская область"


def test_text_width_is_the_grids_measure() -> None:
    # Measured in Chromium with the grid's type: 158.5, 132.6 and 99.3 px.
    assert abs(text_width("Бюджет: насколько точно") - 158.5) < 2
    assert abs(text_width("auyldy-birlese-damytu") - 132.6) < 2
    assert abs(text_width("Идентификатор") - 99.3) < 2
    assert text_width("漢字") == 18  # letters not measured count as wide ones


def test_wrapping_breaks_between_words_and_inside_a_word_too_long() -> None:
    assert wrapped_lines(REGIONS, 1000) == 1
    assert wrapped_lines(REGIONS, 200) == 3  # "…область;" / "Карагандинская" / "область"
    assert wrapped_lines("x" * 60, 130) == 4  # 360 px over lines of 110
    assert wrapped_lines("one\ntwo", 500) == 2
    assert lines_needed(pd.Series([REGIONS, "short"]), 120) > lines_needed(
        pd.Series([REGIONS]), 200)
    assert lines_needed(pd.Series([], dtype=object), 100) == 1


def test_row_height_is_one_line_when_all_fits_and_else_tall_enough_to_wrap() -> None:
    frame = pd.DataFrame({"a": ["short", "also short"], "b": [REGIONS, "y"]})
    assert row_height(frame, {"a": 200}) is None  # Streamlit's own one-line rows
    # Two lines would need 48 px, but Streamlit wraps only rows taller than 64.
    assert row_height(frame, {"b": 260}) == WRAPPED_ROW_HEIGHT
    lines = wrapped_lines(REGIONS, 150)
    assert lines == 4 and row_height(frame, {"b": 150}) == lines * LINE_HEIGHT + ROW_PADDING
    # A text longer than MAX_LINES does not make every row a page tall.
    huge = pd.DataFrame({"b": ["word " * 500]})
    assert row_height(huge, {"b": 100}) == MAX_LINES * LINE_HEIGHT + ROW_PADDING
    assert row_height(frame, {"not there": 10}) is None


def test_columns_that_fit_keep_one_line_and_long_text_shares_the_rest() -> None:
    short = {"Id": ["glocal", "eu-tald-east-central"], "Year": ["2017", "2020"]}
    assert fitted_widths(short) == {c: one_line_width([c, *v]) for c, v in short.items()}
    long_text = {**short, "Title": ["word " * 40, "x"], "Note": ["note " * 50]}
    widths = fitted_widths(long_text)
    assert sum(widths.values()) <= LAPTOP_GRID_WIDTH
    assert widths["Id"] == one_line_width(short["Id"])  # whole, on one line
    assert widths["Title"] == widths["Note"] >= TEXT_MIN  # the long ones narrowed alike
    # Boxed in (History's details): still fits what is left.
    assert sum(fitted_widths(long_text, inset=66).values()) <= LAPTOP_GRID_WIDTH - 66


def test_too_many_columns_fit_a_projector_or_else_each_gets_its_room() -> None:
    many = {f"Column {i}": ["word " * 12] for i in range(9)}
    widths = fitted_widths(many)
    assert LAPTOP_GRID_WIDTH < sum(widths.values()) <= PROJECTOR_GRID_WIDTH
    very_many = {f"Column {i}": ["word " * 30] for i in range(20)}
    widths = fitted_widths(very_many)  # each as narrow as keeps its text whole
    assert set(widths.values()) == {width_for_lines(["word " * 30], MAX_LINES)}
    # A header is never cut (a grid does not wrap it); numbers keep one line.
    header = "A very long header of a short column"
    numbers = {header: ["1"], "Amount": ["1 234 567 890"], **many}
    widths = fitted_widths(numbers, numbers=["Amount"])
    assert widths[header] >= text_width(header) + CELL_PADDING
    assert widths["Amount"] == one_line_width(["Amount", "1 234 567 890"])


def test_decimal_text_drops_trailing_zeros_only_after_the_point() -> None:
    assert decimal_text(458412.0, "ru", 2) == "458\u00a0412"
    assert decimal_text(1000.0, "en", 2) == "1,000"
    assert decimal_text(0.5, "kk", 6) == "0,5"
    assert decimal_text(1000.0, "en", 0) == "1,000"
    assert decimal_text(None, "en", 2) == ""


def test_a_rows_fields_are_lines_of_field_and_value_escaped() -> None:
    """A row of any number of columns in one cell: "**field:** value" lines, the data's
    markup shown as typed, its line breaks as spaces, an empty value a dash."""
    cell = field_lines([("Name (en)", "A *bold*\nclaim"), ("Amount", "45 842"), ("Note", "")])
    assert cell.split("  \n") == ["**Name \\(en\\):** A \\*bold\\* claim",
                                   "**Amount:** 45 842", "**Note:** —"]


def test_columns_of_dates_are_found_escaped_or_not_and_only_they() -> None:
    # A browser breaks "2024-04-15" at its hyphens: these columns stay on one line.
    frame = pd.DataFrame({
        "start": ["2024\\-04\\-15", "—", "2017"],  # as text.md escapes it
        "end": ["2020-01", "", "2019-10"],
        "year": ["2017", "2018", "2019"],  # no hyphen to break at
        "id": ["2024-04-15", "glocal", "2017"],
    })
    assert date_columns(frame) == ["start", "end"]
