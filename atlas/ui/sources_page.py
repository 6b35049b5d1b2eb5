"""The sources page: every document behind the figures, site precision, rates used.

The sites table is made from whole columns once per data version and language, and shown
``SITES_PAGE`` rows at a time: a data set may hold 100,000 sites.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import localized_note_column, t
from atlas.listing import ListPage, localized_column, page_number
from atlas.snapshot import Snapshot
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.paging import page_controls
from atlas.ui.state import declare_page, url_notice
from atlas.ui.tables import WRAPPED_ROW_HEIGHT, money_column, number_text, text_column
from atlas.ui.text import md, safe_url

declare_page("pages/1_Sources.py")  # language and currency only

SITES_PAGE = 1000  # rows of the sites table sent at a time
_SITES_PAGE_KEY = "src_sites_page"
RATE_DECIMALS = 4  # a rate per US dollar such as 0.9236 EUR


def rate_text(value: object, lang: str) -> str:
    """A rate with up to ``RATE_DECIMALS`` decimals and no trailing zeros ("152,1", "0,9236")."""
    text = number_text(value, lang, RATE_DECIMALS)
    return text.rstrip("0").rstrip(",.") if any(sep in text for sep in ",.") else text


@st.cache_resource(show_spinner=False, max_entries=6)
def _sites_table(_snap: Snapshot, version: str, lang: str) -> pd.DataFrame:
    """Every site's name, region, precision and basis in ``lang`` (callers only read it)."""
    sites = pd.DataFrame(_snap.sites.drop(columns="geometry"))
    regions = _snap.region_names(lang)
    precision = sites["precision"].astype(str)
    labels = {p: t(f"precision_{p}", lang) for p in precision.unique()}
    return pd.DataFrame({
        t("col_site", lang): localized_column(sites, f"name_{lang}", "name_en").to_numpy(),
        t("col_regions", lang): sites["region_code"].map(regions).to_numpy(),
        t("col_precision", lang): precision.map(labels).to_numpy(),
        t("col_basis", lang): localized_note_column(sites, "location_basis", lang).to_numpy(),
    })


def render_sources() -> None:
    """List sources, how exact each site is, and the exchange rates."""
    lang = page_frame("sources_title")
    snap = current_snapshot()
    st.title(t("sources_title", lang))
    st.write(t("sources_intro", lang))

    st.subheader(t("sources_doc", lang))
    sources = snap.table("sources")
    st.dataframe(
        pd.DataFrame({
            t("col_source", lang): sources["title"],
            t("col_publisher", lang): localized_note_column(sources, "publisher", lang),
            t("col_date", lang): sources["date"],
            t("col_language", lang): sources["language"],
            t("col_link", lang): [safe_url(u) for u in sources["url"]],
        }),
        hide_index=True, width="stretch", row_height=WRAPPED_ROW_HEIGHT, placeholder="—",
        column_config={t("col_source", lang): text_column("large"),
                       t("col_publisher", lang): text_column("large"),
                       t("col_link", lang): st.column_config.LinkColumn(width="small")},
    )

    st.subheader(t("sources_sites", lang))
    table = _sites_table(snap, snap.version, lang)
    ss = st.session_state
    page, pages = page_number(len(table), int(ss.get(_SITES_PAGE_KEY, 1)), SITES_PAGE)
    ss[_SITES_PAGE_KEY] = page
    first = (page - 1) * SITES_PAGE
    st.dataframe(table.iloc[first:first + SITES_PAGE], hide_index=True, width="stretch",
                 row_height=WRAPPED_ROW_HEIGHT,
                 column_config={t("col_site", lang): text_column("medium"),
                                t("col_basis", lang): text_column("large")})
    page_controls(ListPage(table.iloc[:0], len(table), page, pages, SITES_PAGE),
                  _SITES_PAGE_KEY, lang)
    st.caption(t("sources_boundaries_plain", lang))

    st.subheader(t("sources_rates", lang))
    rates = snap.table("rates")
    rate_h = t("col_rate", lang)
    st.dataframe(
        pd.DataFrame({
            t("col_year", lang): rates["year"].astype(str),
            t("col_currency", lang): rates["currency"],
            rate_h: pd.to_numeric(rates["per_usd"], errors="coerce"),
            t("col_basis", lang): localized_note_column(rates, "source", lang),
        }).style.format({rate_h: lambda v: rate_text(v, lang)}),
        hide_index=True, width="stretch", row_height=WRAPPED_ROW_HEIGHT,
        column_config={rate_h: money_column(), t("col_basis", lang): text_column("large")},
    )
    url_notice(lang)
    # Which state of the data these pages show: support asks for it; donors need not see it
    # on the map.
    st.caption(md(f"{t('data_version', lang)}: {snap.version}"))
