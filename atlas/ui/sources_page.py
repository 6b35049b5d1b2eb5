"""The sources page: every document behind the figures, site precision, rates used."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import localized, t
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.state import declare_page, url_notice
from atlas.ui.text import safe_url

declare_page("pages/1_Sources.py")  # language and currency only


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
            t("col_publisher", lang): sources["publisher"],
            t("col_date", lang): sources["date"],
            t("col_language", lang): sources["language"],
            t("col_link", lang): [safe_url(u) for u in sources["url"]],
        }),
        hide_index=True,
        column_config={t("col_link", lang): st.column_config.LinkColumn()},
    )

    st.subheader(t("sources_sites", lang))
    regions = snap.region_names(lang)
    sites = snap.sites
    st.dataframe(
        pd.DataFrame({
            t("col_site", lang): [localized(s, "name", lang) for s in sites.to_dict("records")],
            t("col_regions", lang): [regions[c] for c in sites["region_code"]],
            t("col_precision", lang): [t(f"precision_{p}", lang) for p in sites["precision"]],
            t("col_basis", lang): sites["location_basis"],
        }),
        hide_index=True,
    )
    st.caption(t("sources_boundaries", lang))

    st.subheader(t("sources_rates", lang))
    rates = snap.table("rates")
    st.dataframe(
        pd.DataFrame({
            t("col_year", lang): rates["year"].astype(str),
            t("col_currency", lang): rates["currency"],
            t("col_rate", lang): rates["per_usd"],
            t("col_basis", lang): rates["source"],
        }),
        hide_index=True,
    )
    url_notice(lang)
