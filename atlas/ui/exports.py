"""Download buttons for presenting: map image, map page, slide deck and offline HTML map."""

from __future__ import annotations

from functools import partial

import streamlit as st

from atlas.figures import format_number
from atlas.i18n import t
from atlas.render import EXPORT_FORMATS, EXPORT_MIME, PNG_WIDTH, export_bytes, export_filename
from atlas.snapshot import Snapshot
from atlas.tour import TourBy
from atlas.ui.filters import ExplorerView


def render_exports(snap: Snapshot, view: ExplorerView, lang: str, by: TourBy = "project",
                   order: list[str] | None = None) -> None:
    """The four exports of ``view`` (the deck's steps: ``by`` in ``order``); each file is
    made only when its button is clicked."""
    st.subheader(t("export_title", lang))
    st.caption(t("export_help", lang, width=format_number(PNG_WIDTH, lang)))
    columns = st.columns(len(EXPORT_FORMATS))
    for column, fmt in zip(columns, EXPORT_FORMATS, strict=True):
        column.download_button(
            t(f"export_{fmt}", lang),
            partial(export_bytes, snap, view.filters, view.options, fmt, by=by, order=order),
            export_filename(fmt, view.filters), EXPORT_MIME[fmt], on_click="ignore",
            key=f"export_{fmt}")
