"""The explorer's "where the money goes" section: the Sankey and a band picker beside it.

Streamlit's plotly events report selected points, which a Sankey does not have, so a band
is put on the map with the picker: it sets the sidebar filters to that band.
"""

from __future__ import annotations

import streamlit as st

from atlas.charts.sankey import band_label, sankey_figure
from atlas.flows import SankeyData, band_filters, sankey_data
from atlas.i18n import t
from atlas.query import Filters, donor_ids, implementer_ids
from atlas.snapshot import Snapshot
from atlas.ui.text import md

PICK_KEY = "sankey_pick"


def _show_band(snap: Snapshot, data: SankeyData, base: Filters) -> None:
    """on_change of the picker: the chosen band's filters replace the sidebar's."""
    ss = st.session_state
    picked = ss.get(PICK_KEY)
    if picked is None:
        return
    chosen = band_filters(data.bands[int(picked)], set(implementer_ids(snap)), base)
    donors = set(donor_ids(snap))
    # An unnamed co-funder is not a donor anyone can pick: keep the current donor filter.
    ss["f_donor"] = [d for d in chosen.donors if d in donors] or list(base.donors)
    ss["f_impl"] = list(chosen.implementers)
    ss["f_region"] = list(chosen.regions)
    ss[PICK_KEY] = None
    ss["map_nonce"] = ss.get("map_nonce", 0) + 1


def render_money_flows(snap: Snapshot, filters: Filters, lang: str, currency: str) -> None:
    """The Sankey of the filtered view, with the picker that puts a band on the map."""
    st.subheader(t("sankey_heading", lang))
    data = sankey_data(snap, filters, currency)
    if not data.bands:
        st.info(t("sankey_empty", lang))
    else:
        # Full width: the labels of the middle and right columns need the room.
        st.plotly_chart(sankey_figure(snap, data, lang, currency), theme=None,
                        key="sankey_chart", config={"displaylogo": False})
        picker, _ = st.columns([2, 3])
        with picker:
            st.selectbox(
                t("sankey_pick", lang), list(range(len(data.bands))), index=None,
                format_func=lambda i: band_label(snap, data.bands[i], lang, currency),
                key=PICK_KEY, help=t("sankey_pick_help", lang),
                on_change=_show_band, args=(snap, data, filters),
                placeholder="—",
            )
    st.caption(md(t("sankey_rule", lang)))
    if data.not_drawn:
        orgs = snap.organization_names(lang)
        items = "; ".join(f"{orgs[f.from_org_id]} → {orgs.get(f.to_org_id, f.to_org_id)}"
                          for f in data.not_drawn)
        st.caption(md(t("sankey_not_drawn", lang, items=items)))
