"""The sources page: every document behind the figures, site precision, rates used.

The sites table is made from whole columns once per data version and language, and shown
``SITES_PAGE`` rows at a time: a data set may hold 100,000 sites.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from atlas.i18n import LANGUAGES, localized_note_column, t
from atlas.listing import localized_column
from atlas.snapshot import Snapshot
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.paging import page_controls, paged
from atlas.ui.state import declare_page, url_notice
from atlas.ui.tables import decimal_text, wrapped_table
from atlas.ui.text import md, safe_url

declare_page("pages/1_Sources.py")  # language and currency only

# Rows of the sites table sent at a time: a wrapped table draws every row it is sent.
SITES_PAGE = 100
_SITES_PAGE_KEY = "src_sites_page"
RATE_DECIMALS = 4  # a rate per US dollar such as 0.9236 EUR
_LANGUAGE_KEYS = {f"src_language_{code}" for code in LANGUAGES}


def rate_text(value: object, lang: str) -> str:
    """A rate with up to ``RATE_DECIMALS`` decimals and no trailing zeros ("152,1", "0,9236")."""
    return decimal_text(value, lang, RATE_DECIMALS)


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


def link_cell(url: object) -> str:
    """A document's link as Markdown: its site's name ("argonet.org") opening the whole
    address, which is too long to read in a table; a dash when it is not an http(s) link."""
    safe = safe_url(str(url or ""))
    if not safe:
        return "—"
    host = (urlsplit(safe).hostname or safe).removeprefix("www.")
    return f"[{md(host)}]({safe})"


def documents_table(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every document behind the figures as Markdown cells in ``lang``: title, publisher,
    date, language and link, each shown whole."""
    def language(code: object) -> str:
        key = f"src_language_{code}"
        return t(key, lang) if key in _LANGUAGE_KEYS else md(code)

    return pd.DataFrame({
        t("col_source", lang): sources["title"].map(md),
        t("col_publisher", lang): localized_note_column(sources, "publisher", lang).map(md),
        t("col_date", lang): [md(d) if isinstance(d, str) and d else "—"
                              for d in sources["date"]],
        t("col_language", lang): sources["language"].map(language),
        t("col_link", lang): sources["url"].map(link_cell),
    })


def render_sources() -> None:
    """List sources, how exact each site is, and the exchange rates."""
    lang = page_frame("sources_title")
    snap = current_snapshot()
    st.title(t("sources_title", lang))
    st.write(t("sources_intro", lang))

    st.subheader(t("sources_doc", lang))
    wrapped_table(documents_table(snap.table("sources"), lang), "src_documents")

    st.subheader(t("sources_sites", lang))
    listed = paged(_sites_table(snap, snap.version, lang), _SITES_PAGE_KEY, SITES_PAGE)
    wrapped_table(listed.rows.map(md), "src_sites")
    page_controls(listed, _SITES_PAGE_KEY, lang)
    st.caption(t("sources_boundaries_plain", lang))

    st.subheader(t("sources_rates", lang))
    rates = snap.table("rates")
    rate_h = t("col_rate", lang)
    wrapped_table(pd.DataFrame({
        t("col_year", lang): rates["year"].astype(str),
        t("col_currency", lang): rates["currency"].map(md),
        rate_h: [rate_text(v, lang) for v in pd.to_numeric(rates["per_usd"], errors="coerce")],
        t("col_basis", lang): localized_note_column(rates, "source", lang).map(md),
    }), "src_rates", right=[rate_h], whole=[rate_h])
    url_notice(lang)
    # Which state of the data these pages show: support asks for it; donors need not see it
    # on the map.
    st.caption(md(f"{t('data_version', lang)}: {snap.version}"))
