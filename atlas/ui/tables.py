"""Column settings shared by the app's tables: money as right-aligned numbers written the
viewer's way, long text shown whole.

``st.column_config.NumberColumn`` formats with the browser's locale or a printf pattern, neither
of which follows the language chosen in the app; a pandas Styler's text is shown instead while
the column stays a number (it sorts as one and is right-aligned).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from atlas.figures import Figure, format_number
from atlas.ui.text import md

PHONE_WIDTH = 640  # px of viewport below which a wrapped table's rows stack
# px: Streamlit wraps text only in rows taller than 4rem (64 px); three lines fit in 68.
WRAPPED_ROW_HEIGHT = 68
ROW_HEIGHT, HEADER_HEIGHT = 35, 40  # px: Streamlit's one-line row; its header row and borders
LINE_HEIGHT, ROW_PADDING = 20, 8  # px of a wrapped line of a grid's cell, and around them
CELL_PADDING = 20  # px of a grid cell's width that holds no text (and a pixel or two to spare)
MAX_LINES = 5  # the tallest a grid's rows get; the row's own page has the rest
# px inside a page-wide grid at 1440 x 900, the laptop the tables are sized for (Chromium);
# columns grow to fill a wider page (a projector's 1458 px).
LAPTOP_GRID_WIDTH = 978
PROJECTOR_GRID_WIDTH = 1458  # px inside a page-wide grid at 1920 x 1080
# px each letter takes in the grid's type (Source Sans, 14 px), measured in Chromium, to the
# half pixel; the server cannot measure, the grid does not wrap its headers.
_LETTER_WIDTHS = {
    3.0: " \u00a0", 3.5: "',.:;Iijl|Іі·", 4.0: "!()[]f{}", 4.5: "-t", 5.0: "/\\r",
    6.0: '"*?sxzгхғ«»“”', 6.5: "JYcvyзстуэҰҮұү–",
    7.0: "#$+0123456789<=>FLVX^_aegk~ГУХавеёкчьяә≈", 7.5: "AESTZ`bhnouАЕЁЗТбдлопҒқөһ",
    8.0: "BCKPRdpqБВКРСЬЭЯийнрцң", 8.5: "&DGЧъҺ→", 9.0: "HNUДИЙЛНПЦмӘҚ", 9.5: "OQОжыҢӨ",
    10.0: "MwМФЪ", 10.5: "фшщю", 11.0: "WЫ—", 11.5: "%mЖ", 12.0: "@", 12.5: "ШЩЮ№",
    13.5: "…"}
LETTER_WIDTH = {ch: px for px, letters in _LETTER_WIDTHS.items() for ch in letters}
OTHER_LETTER = 9.0  # px of a letter not measured (wider than most, to be safe)
LONGEST = 50  # texts of a column measured: its longest
TEXT_MIN = 120  # px: the least a wrapping text column gets, though the grid then scrolls
WORD_MAX = 200  # px: a column is wide enough for its longest word ("Восточно-Казахстанская")
MONEY_WIDTH = 112  # px: "1 232 570" and a header such as "Получает (EUR)"


def money_column(label: str | None = None, help: str | None = None,
                 width: int = MONEY_WIDTH) -> Any:
    """A money (or count) column: a number, right-aligned, its text from ``number_styler``."""
    return st.column_config.NumberColumn(label, help=help, alignment="right", width=width)


def text_column(width: str | int = "medium", label: str | None = None,
                alignment: str | None = None) -> Any:
    """A text column wide enough for what it holds (rows are made tall enough to wrap);
    ``alignment`` "right" for amounts written as text."""
    return st.column_config.TextColumn(label, width=width,  # type: ignore[arg-type]
                                       alignment=alignment)  # type: ignore[arg-type]


def longest(texts: Iterable[object], count: int = LONGEST) -> list[str]:
    """The ``count`` longest of the distinct ``texts``: what a column's width and its rows'
    height depend on (a list of thousands is not measured whole on every run)."""
    return heapq.nlargest(count, {str(x) for x in texts}, key=len)


def text_width(text: str) -> float:
    """px ``text`` takes on one line of a grid."""
    return sum(LETTER_WIDTH.get(ch, OTHER_LETTER) for ch in text)


def wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes in a grid column ``width`` px wide, wrapped between words as the
    grid wraps it (a word longer than the line is broken)."""
    room, space = max(width - CELL_PADDING, 1), LETTER_WIDTH[" "]
    lines = 0
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0.0
        for word in paragraph.split(" "):
            wide = text_width(word)
            if used and used + space + wide > room:
                lines, used = lines + 1, wide
            else:
                used += (space if used else 0.0) + wide
            while used > room:  # a word longer than the line goes on over the next
                lines, used = lines + 1, used - room
    return lines


def lines_needed(texts: pd.Series, width: int) -> int:
    """Lines the longest of ``texts`` takes in a grid column ``width`` px wide."""
    return max((wrapped_lines(x, width) for x in longest(texts)), default=1)


def row_height(frame: pd.DataFrame, widths: Mapping[str, int]) -> int | None:
    """A grid's row height that shows the text of ``frame``'s ``widths`` columns whole, up to
    ``MAX_LINES`` lines; None (Streamlit's one-line rows) when every text fits on one."""
    lines = max((lines_needed(frame[c], w) for c, w in widths.items() if c in frame.columns),
                default=1)
    if lines <= 1:
        return None
    return max(WRAPPED_ROW_HEIGHT, min(lines, MAX_LINES) * LINE_HEIGHT + ROW_PADDING)


def one_line_width(texts: Sequence[str]) -> int:
    """px a grid column needs to show the longest of ``texts`` (its header among them) on one
    line."""
    return math.ceil(max((text_width(x) for x in longest(texts)), default=0.0)) + CELL_PADDING


def width_for_lines(texts: Sequence[str], lines: int) -> int:
    """The narrowest grid column (px) in which each of ``texts`` wraps in ``lines`` lines."""
    distinct = longest(texts)
    low, high = CELL_PADDING + 1, one_line_width(distinct)
    while low < high:
        width = (low + high) // 2
        low, high = (low, width) if all(wrapped_lines(x, width) <= lines for x in distinct) \
            else (width + 1, high)
    return high


def fitted_widths(shown: Mapping[str, Sequence[str]], inset: int = 0,
                  numbers: Collection[str] = ()) -> dict[str, int]:
    """Widths of a grid's columns from the texts it shows (header -> every cell's text).

    Each column is as wide as its longest text on one line when they all fit a laptop's page
    (less ``inset``, px of boxes around the grid); else the widest text columns are narrowed
    alike, their text wrapping, until they fit. None is narrower than its header (a grid
    does not wrap headers), ``TEXT_MIN`` or than its texts need to wrap in ``MAX_LINES``,
    nor, unless that is what makes it fit, than its longest word (up to ``WORD_MAX``).
    Too many columns for a laptop are fitted to a projector's page (scrolling sideways on a
    laptop); too many for that are each as narrow as keeps its words whole. ``numbers``
    columns keep one line. The grid grows to fill a wider page."""
    natural = {c: max(one_line_width([c]), one_line_width(cells)) for c, cells in shown.items()}
    loose = {c: natural[c] if c in numbers else max(
        one_line_width([c]), min(natural[c], TEXT_MIN), width_for_lines(cells, MAX_LINES))
        for c, cells in shown.items()}
    strict = {c: max(loose[c], min(natural[c], WORD_MAX, one_line_width(
        [w for x in longest(cells) for w in x.split()]))) for c, cells in shown.items()}

    def fitted(floor: Mapping[str, int], cap: int) -> dict[str, int]:
        return {c: min(natural[c], max(floor[c], cap)) for c in shown}

    for space in (LAPTOP_GRID_WIDTH - inset, PROJECTOR_GRID_WIDTH - inset):
        for floor in (strict, loose):
            if sum(floor.values()) <= space:
                low, high = 0, max(natural.values(), default=0)  # the widest cap that fits
                while low < high:
                    cap = (low + high + 1) // 2
                    low, high = (cap, high) if sum(fitted(floor, cap).values()) <= space \
                        else (low, cap - 1)
                return fitted(floor, low)
    # It scrolls sideways even on a projector: each column as narrow as keeps its words
    # whole (the tallest column sets every row's height), so the most columns are in view.
    return strict


def grid_height(count: int, row_px: int | None, most: int | None = None) -> int:
    """px a grid needs to show ``count`` rows of ``row_px`` (None: one-line rows) with no
    scrollbar inside it; at most ``most``, past which it scrolls."""
    height = (row_px or ROW_HEIGHT) * count + HEADER_HEIGHT
    return height if most is None else min(height, most)


def number_text(value: object, lang: str, decimals: int = 0) -> str:
    """A cell's number written the viewer's way ("50 000" in ru / kk); blank when missing."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return ""
    return format_number(float(value), lang, decimals=decimals)  # type: ignore[arg-type]


def decimal_text(value: object, lang: str, decimals: int) -> str:
    """A number with up to ``decimals`` decimals, written the viewer's way without trailing
    zeros ("152,1", "0,9236", "458 412"); blank when missing."""
    text = number_text(value, lang, decimals)
    return text.rstrip("0").rstrip(",.") if decimals > 0 and text else text


def shown_texts(frame: pd.DataFrame,
                formats: Mapping[str, Callable[[object], str]]) -> dict[str, list[str]]:
    """Each column's cells as the grid shows them: through ``formats`` (column -> how a
    number is written), else as text ("" when missing)."""
    return {c: [formats[c](v) for v in frame[c]] if c in formats else
            frame[c].astype(object).where(frame[c].notna(), "").astype(str).to_list()
            for c in frame.columns}


def grid_settings(frame: pd.DataFrame, shown: Mapping[str, Sequence[str]],
                  inset: int = 0, right: Collection[str] = (),
                  pinned: Collection[str] = ()) -> tuple[dict[str, Any], int | None]:
    """The column settings of a read-only grid of ``frame`` (its cells shown as ``shown``):
    ``fitted_widths``, numbers and the ``right`` text columns (amounts written as text)
    right-aligned on one line, ``pinned`` columns kept in view when the grid scrolls
    sideways; and the row height its wrapping text needs."""
    numbers = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    widths = fitted_widths(shown, inset, numbers | set(right))
    config = {c: money_column(width=w) if c in numbers else
              text_column(w, alignment="right" if c in right else None)
              for c, w in widths.items()}
    for c in pinned:
        config[c]["pinned"] = True
    texts = {c: w for c, w in widths.items() if c not in numbers}
    return config, row_height(pd.DataFrame({c: list(shown[c]) for c in texts}), texts)


def show_grid(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None,
              *, right: Collection[str] = (), pinned: Collection[str] = (),
              most: int | None = None, inset: int = 0, **options: Any) -> Any:
    """``frame`` as a page-wide read-only grid (st.dataframe) set by ``grid_settings``:
    numbers written through ``formats`` (column -> text of a value) and right-aligned, a
    missing one a dash; every row shown without a scrollbar inside, up to ``most`` px tall.
    ``options`` go to st.dataframe (a key, a selection)."""
    formats = dict(formats or {})
    config, row_px = grid_settings(frame, shown_texts(frame, formats), inset, right, pinned)
    return st.dataframe(frame.style.format(formats) if formats else frame, hide_index=True,
                        width="stretch", row_height=row_px,
                        height=grid_height(len(frame), row_px, most), column_config=config,
                        placeholder="—", **options)


def number_styler(frame: pd.DataFrame, columns: Sequence[str], lang: str,
                  decimals: int = 0) -> Styler:
    """``frame`` with ``columns`` shown as numbers in ``lang``'s way, still numbers."""
    return frame.style.format({c: (lambda v, d=decimals: number_text(v, lang, d))
                               for c in columns})


def figure_values(figures: Iterable[Figure | None]) -> np.ndarray:
    """Money (or count) cells' numbers for a grid: the value; -inf for an unknown amount
    (Streamlit shows its own placeholder for a missing number, never the cell's text, and
    "unknown" must show; -inf also sorts it below every amount); NaN where there is no figure
    at all (shown as "—")."""
    return np.array([math.nan if f is None else (f.value if f.value is not None else -math.inf)
                     for f in figures], dtype=float)


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


# A date as the atlas writes it (2024, 2024-04, 2024-04-15), perhaps Markdown-escaped.
_DATE_CELL = re.compile(r"\d{4}(?:\\?-\d{2}){0,2}")


def date_columns(frame: pd.DataFrame) -> list[str]:
    """The columns whose every cell is a date or a dash: a browser breaks "2024-04-15" at its
    hyphens, so a wrapped table keeps these on one line."""
    found = []
    for name in frame.columns:
        cells = [str(v) for v in frame[name] if str(v) not in ("", "—", "None", "nan")]
        if cells and all(_DATE_CELL.fullmatch(c) for c in cells) \
                and any("-" in c for c in cells):
            found.append(name)
    return found


def wrapped_table(frame: pd.DataFrame, key: str, right: Sequence[str] = (),
                  whole: Sequence[str] = (), tight: bool = False) -> None:
    """``frame`` as a page-wide static table whose cells are shown whole: long text wraps
    (rows grow to fit it), nothing scrolls sideways or inside the table; on a phone its rows
    stack (``stacked_css``). For text to be read more than sorted or picked: every row goes
    to the browser, so callers show a bounded page of a long list. Cells are Markdown:
    callers escape data text with ``text.md``. ``right`` columns are right-aligned (numbers
    written as text), wrapping only between words (a number's own spaces are no-break
    spaces: "не менее 6 653" / "(расчёт)"); the ``whole`` columns (dates) stay on one line.
    ``tight``: cells have 3 px at their sides, not 6, so a table of many columns keeps its
    longest words whole on a laptop's page."""
    columns = list(frame.columns)
    whole = [*whole, *(c for c in date_columns(frame) if c not in whole)]
    styles = [{"selector": "td > div, th > div", "props": [("max-width", "none")]}]
    # Streamlit caps a cell's text at 400 px: a long text column takes the room the page
    # has (a projector's too), and the table still wraps to fit the page.
    for name in whole:
        i = columns.index(name)
        # On the paragraph too: Streamlit sets its white-space, which inheritance cannot undo.
        styles.append({"selector": f"td.col{i} > div, td.col{i} p",
                       "props": [("white-space", "nowrap")]})
    for name in right:
        i = columns.index(name)
        styles.append({"selector": f"td.col{i}, th.col{i}",
                       "props": [("text-align", "right !important")]})
    css = stacked_css(key, columns)
    if tight:
        css += (f"<style>@media (min-width: {PHONE_WIDTH}px) {{ .st-key-{key} th, "
                f".st-key-{key} td {{padding-left: 3px !important; "
                f"padding-right: 3px !important;}} }}</style>")
    st.html(css)
    with st.container(key=key):
        st.table(frame.style.set_table_styles(styles), hide_index=True)


def markdown_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s cells as a wrapped table's Markdown: each one's text escaped (``text.md``),
    a missing one a dash."""
    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            return "—"
        return md(str(value))

    return frame.map(cell)


def field_lines(pairs: Iterable[tuple[str, object]]) -> str:
    """A row's fields as a wrapped table's cell: one "**field:** value" line each (both
    escaped, a value's own line breaks kept as spaces), so a row of any number of columns
    reads whole at any width."""
    return "  \n".join(f"**{md(label)}:** {md(' '.join(str(value).split()) or '—')}"
                        for label, value in pairs)
