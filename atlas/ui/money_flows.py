"""The explorer's "where the money goes" section: the Sankey and a band picker beside it.

Streamlit's plotly events report selected points, which a Sankey does not have, so a band
is put on the map with the picker: it sets the sidebar filters to that band. A large view has
thousands of bands: the picker offers the largest (``MAX_PICKS``) and says how many there are,
and the list of flows not drawn is cut likewise.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from atlas.charts.sankey import band_labels
from atlas.figures import format_number
from atlas.flows import SankeyData, band_filters
from atlas.i18n import t
from atlas.query import Filters, donor_ids, implementer_ids
from atlas.snapshot import Snapshot
from atlas.ui.data import view_flow_table, view_sankey, view_sankey_figure
from atlas.ui.tables import PHONE_WIDTH, number_text, wrapped_table
from atlas.ui.text import md

PICK_KEY = "sankey_pick"
MAX_PICKS = 100  # bands the picker offers
MAX_NOT_DRAWN = 20  # flows named in the note on flows that are not drawn
WIDE_KEY, NARROW_KEY, FLOWS_KEY = "sankey_wide", "sankey_narrow", "sankey_flows"
# Streamlit cannot see the viewport's width on the server: both views are sent and the
# browser shows one (``st.container(key=...)`` gives the ``st-key-...`` class): the table
# below PHONE_WIDTH, where a wrapped table's rows stack.
SWITCH_CSS = (
    f"<style>@media (max-width: {PHONE_WIDTH - 0.02}px) {{ .st-key-{WIDE_KEY} "
    f"{{ display: none !important; }} }}\n"
    f"@media (min-width: {PHONE_WIDTH}px) {{ .st-key-{NARROW_KEY} "
    f"{{ display: none !important; }} }}</style>")


def offered_bands(data: SankeyData, limit: int = MAX_PICKS) -> list[int]:
    """Indexes of the bands the picker offers: all of them in their order when there are no
    more than ``limit``, else the ``limit`` largest, largest first (unknown amounts last)."""
    if len(data.bands) <= limit:
        return list(range(len(data.bands)))

    def size(i: int) -> float:
        value = data.bands[i].figure.value
        return -math.inf if value is None else value

    return sorted(range(len(data.bands)), key=lambda i: (-size(i), i))[:limit]


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


def _flow_table(snap: Snapshot, filters: Filters, lang: str, currency: str) -> None:
    table = view_flow_table(snap, filters, lang, currency)
    names = list(table.columns)
    # It stands in for the Sankey on a phone: a wrapped table stacks each flow's from, to,
    # amount and basis, every one whole, with no sideways scroll.
    shown = pd.DataFrame({
        names[0]: table[names[0]].map(md), names[1]: table[names[1]].map(md),
        names[2]: [number_text(v, lang) for v in table[names[2]]],
        names[3]: [md(x) if x else "—" for x in table[names[3]]]})
    wrapped_table(shown, FLOWS_KEY, right=[names[2]])
    st.caption(t("sankey_table_note", lang))


def render_money_flows(snap: Snapshot, filters: Filters, lang: str, currency: str) -> None:
    """The Sankey of the filtered view, with the picker that puts a band on the map."""
    st.subheader(t("sankey_heading", lang))
    data = view_sankey(snap, filters, currency)
    if not data.bands:
        st.info(t("sankey_empty", lang))
    else:
        st.html(SWITCH_CSS)
        with st.container(key=WIDE_KEY):
            # Full width: the labels of the middle and right columns need the room.
            st.plotly_chart(view_sankey_figure(snap, filters, lang, currency), theme=None,
                            key="sankey_chart", config={"displaylogo": False})
        with st.container(key=NARROW_KEY):
            _flow_table(snap, filters, lang, currency)
        offered = offered_bands(data, MAX_PICKS)
        labels = dict(zip(offered, band_labels(snap, [data.bands[i] for i in offered], lang,
                                               currency), strict=True))
        picker, _ = st.columns([2, 3])
        with picker:
            st.selectbox(
                t("sankey_pick", lang), offered, index=None, format_func=labels.__getitem__,
                key=PICK_KEY, help=t("sankey_pick_help", lang),
                on_change=_show_band, args=(snap, data, filters),
                placeholder="—",
            )
            if len(offered) < len(data.bands):
                st.caption(t("sankey_pick_capped", lang, shown=format_number(len(offered), lang),
                             total=format_number(len(data.bands), lang)))
    st.caption(md(t("sankey_rule", lang)))
    if data.not_drawn:
        orgs = snap.organization_names(lang)
        named = data.not_drawn[:MAX_NOT_DRAWN]
        items = "; ".join(f"{orgs[f.from_org_id]} → {orgs.get(f.to_org_id, f.to_org_id)}"
                          for f in named)
        if len(named) < len(data.not_drawn):
            items += " " + t("list_more", lang,
                             n=format_number(len(data.not_drawn) - len(named), lang))
        st.caption(md(t("sankey_not_drawn", lang, items=items)))
