"""Page controls of a long list: "Rows 26–50 of 2,001", previous / page number / next, and
the sort picker. The page number lives in one session key the page owns (seeded from the URL);
the controls only change it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from atlas.figures import format_number
from atlas.i18n import t
from atlas.listing import ListPage, page_number
from atlas.ui.tables import markdown_cells, wrapped_table


def rows_text(listed: ListPage, lang: str) -> str:
    """ "Rows 26–50 of 2,001" in ``lang``."""
    return t("list_rows", lang, first=format_number(listed.first, lang),
             last=format_number(listed.last, lang), total=format_number(listed.total, lang))


def paged(frame: pd.DataFrame, page_key: str, page_size: int) -> ListPage:
    """The page of ``frame``'s rows that the session key ``page_key`` names (brought into
    range and kept there): what a wrapped table, which draws every row it is sent, shows of
    a long list."""
    page, pages = page_number(len(frame), int(st.session_state.get(page_key) or 1), page_size)
    st.session_state[page_key] = page
    first = (page - 1) * page_size
    return ListPage(frame.iloc[first:first + page_size], len(frame), page, pages, page_size)


def _go(page_key: str, page: int) -> None:
    st.session_state[page_key] = page


def _typed(page_key: str) -> None:
    st.session_state[page_key] = int(st.session_state[f"{page_key}_box"])


def page_controls(listed: ListPage, page_key: str, lang: str, text: str = "") -> None:
    """Previous, the page number (typed or stepped) and next, under a list, beside ``text``
    (by default "Rows 26–50 of 2,001"); nothing when the list fits on one page."""
    if listed.pages <= 1:
        return
    box = f"{page_key}_box"
    st.session_state[box] = listed.page  # follows the buttons and a page from the URL
    prev_col, number_col, next_col, where = st.columns([1, 1, 1, 2],
                                                       vertical_alignment="bottom")
    prev_col.button(f"← {t('list_prev', lang)}", key=f"{page_key}_prev",
                    disabled=listed.page <= 1, on_click=_go,
                    args=(page_key, listed.page - 1), width="stretch")
    number_col.number_input(t("list_page", lang, pages=format_number(listed.pages, lang)),
                            min_value=1, max_value=listed.pages, step=1, key=box,
                            on_change=_typed, args=(page_key,))
    next_col.button(f"{t('list_next', lang)} →", key=f"{page_key}_next",
                    disabled=listed.page >= listed.pages, on_click=_go,
                    args=(page_key, listed.page + 1), width="stretch")
    where.caption(text or rows_text(listed, lang))


def sort_picker(column: Any, key: str, sorts: Sequence[str], lang: str,
                on_change: Callable[..., None], args: tuple[Any, ...] = ()) -> str:
    """The sort order picker (``sort_<name>`` labels) in ``column``; the order picked."""
    return column.selectbox(t("list_sort", lang), list(sorts), key=key,
                     format_func=lambda s: t(f"sort_{s}", lang), on_change=on_change,
                     args=args)


def paged_table(frame: pd.DataFrame, key: str, page_size: int, lang: str) -> None:
    """``frame`` (plain text cells) as a wrapped table, ``page_size`` rows at a time with the
    page controls beneath: for the lists of a change or an import, which may run to
    thousands of rows and are read, not sorted."""
    listed = paged(frame, f"{key}_page", page_size)
    wrapped_table(markdown_cells(listed.rows), key)
    page_controls(listed, f"{key}_page", lang)
