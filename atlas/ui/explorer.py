"""The explorer page: headline figures, the map, the project card and the projects table."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import folium
import streamlit as st
from streamlit_folium import st_folium

from atlas.cards import project_card
from atlas.exports import filtered_sites, sites_csv, sites_geojson
from atlas.figures import format_figure, format_number
from atlas.formulas import inert_csv
from atlas.i18n import t
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.query import Filters
from atlas.snapshot import Snapshot
from atlas.ui.card import conversion_footnote, render_card
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot, view_projects_table, view_summary
from atlas.ui.exports import render_exports
from atlas.ui.filters import MAP_PARAMS, explorer_sidebar
from atlas.ui.iati_export import render_iati_download
from atlas.ui.money_flows import render_money_flows
from atlas.ui.state import OneOf, declare_page, url_notice, url_params, url_value, write_url
from atlas.ui.text import md
from atlas.workbook import XLSX_MIME, view_workbook

PROJECT = OneOf("project")  # the open card
declare_page("streamlit_app.py", *MAP_PARAMS, PROJECT)


@dataclass(frozen=True)
class SharedMap:
    """A built explorer map shared by every session that shows the same view.

    st_folium renders the map it is given (and rewrites its element ids): ``lock`` keeps two
    sessions from rendering the one shared object at the same time.
    """

    fmap: folium.Map
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


@st.cache_resource(max_entries=32, show_spinner=False)
def shared_map(_snap: Snapshot, version: str, filters: Filters,
               options: MapOptions) -> SharedMap:
    """The explorer map of a view, built once per (data version, filters, map options):
    a rerun that changes none of them (a card opened, a table row picked) reuses it."""
    return SharedMap(explorer_map(_snap, filters, options))


def show_map(snap: Snapshot, filters: Filters, options: MapOptions, key: str) -> object:
    """Draw the view's map; returns what streamlit-folium reports (the last clicked site).

    The same map with the same ``key`` gives streamlit-folium the same component key, so the
    browser keeps the map it has drawn instead of drawing it again.
    """
    shared = shared_map(snap, snap.version, filters, options)
    with shared.lock:
        return st_folium(shared.fmap, key=key, height=options.height,
                         use_container_width=True, returned_objects=["last_active_drawing"])


def _clicked_project(clicked: object, visible: list[str]) -> str | None:
    """The project of a clicked site marker (region clicks select nothing)."""
    if not isinstance(clicked, dict):
        return None
    props = clicked.get("properties") or {}
    if props.get("layer") != "site":
        return None
    ids = [p for p in props.get("project_ids") or [] if p in visible]
    return ids[0] if ids else None


def _reset_map_clicks() -> None:
    st.session_state["map_nonce"] = st.session_state.get("map_nonce", 0) + 1


def _close_card() -> None:
    st.session_state["selected_project"] = None
    _reset_map_clicks()


def _new_table_pick(project_ids: list[str]) -> str | None:
    """The project of a row the viewer has just selected in the table (each pick once)."""
    state = st.session_state.get("projects_table")
    rows = list(state["selection"]["rows"]) if state else []
    if not rows or rows == st.session_state.get("consumed_rows"):
        return None
    st.session_state["consumed_rows"] = rows
    return project_ids[rows[0]] if rows[0] < len(project_ids) else None


def render_explorer() -> None:
    """The first page: the atlas map with its filters."""
    lang = page_frame("app_title")
    snap = current_snapshot()
    view = explorer_sidebar(snap, lang)
    currency = view.options.currency
    summary = view_summary(snap, view.filters, currency)

    st.title(t("app_title", lang))
    st.caption(t("app_tagline", lang))
    k1, k2, k3, k4 = st.columns([1.6, 0.8, 0.8, 1.1])
    k1.metric(t("kpi_funding", lang), format_figure(summary.funding, lang, currency, compact=True),
              help=t("funding_help", lang))
    k2.metric(t("kpi_projects", lang), format_number(len(summary.project_ids), lang))
    k3.metric(t("kpi_sites", lang), format_number(summary.sites, lang))
    k4.metric(t("kpi_reach", lang), format_figure(summary.people_reached, lang, compact=True),
              help=t("split_rule", lang))

    conversion_footnote(snap, summary.flows, lang)

    ss = st.session_state
    if "selected_project" in ss:
        selected = ss["selected_project"]
    else:
        selected = url_value(PROJECT.among(summary.project_ids))
    table = view_projects_table(snap, view.filters, lang, currency)
    picked = _new_table_pick(list(table["project_id"]) if len(table) else [])
    if picked:
        selected = picked
        _reset_map_clicks()
    if selected not in summary.project_ids:
        selected = None

    map_col, card_col = st.columns([5, 3], gap="small")
    with map_col:
        # A fresh key after every selection made elsewhere: streamlit-folium reports only a
        # *changed* click, so without it the same site could not be clicked open again.
        result = show_map(snap, view.filters, view.options,
                          f"explorer_map_{ss.get('map_nonce', 0)}")
        st.caption(t("click_hint", lang) + " " + t("split_rule", lang))
    drawing = result.get("last_active_drawing") if isinstance(result, dict) else None
    clicked = _clicked_project(drawing, summary.project_ids)
    click_event = (ss.get("map_nonce", 0), clicked)
    if clicked and ss.get("consumed_click") != click_event:
        ss["consumed_click"] = click_event
        selected = clicked
    ss["selected_project"] = selected
    with card_col:
        if selected:
            render_card(project_card(snap, selected, lang, currency), lang)
            st.button(t("card_close", lang), on_click=_close_card)
        else:
            st.info(t("click_hint", lang))

    render_money_flows(snap, view.filters, lang, currency)

    st.subheader(t("matching_projects", lang))
    if not summary.project_ids:
        st.warning(t("no_projects", lang))
    else:
        st.dataframe(table.drop(columns=["project_id"]), hide_index=True,
                     on_select="rerun", selection_mode="single-row", key="projects_table")
        d1, d2, d3, d4, d5 = st.columns(5)
        # The files are built only when clicked: at 100,000 sites each is megabytes.
        d1.download_button(t("projects_dl_csv", lang), lambda: inert_csv(table),
                           "atlas-projects.csv", "text/csv", on_click="ignore")
        filters = view.filters
        d2.download_button(t("dl_sites_csv", lang),
                           lambda: sites_csv(filtered_sites(snap, filters, lang, currency)),
                           "atlas-sites.csv", "text/csv", on_click="ignore")
        d3.download_button(t("projects_dl_geojson", lang),
                           lambda: sites_geojson(filtered_sites(snap, filters, lang, currency)),
                           "atlas-sites.geojson", "application/geo+json", on_click="ignore")
        # Built only when clicked: the workbook is the heaviest download.
        d4.download_button(t("xl_download", lang),
                           lambda: view_workbook(snap, view.filters, lang, currency),
                           "atlas-view.xlsx", XLSX_MIME, on_click="ignore")
        project_ids = list(summary.project_ids)
        render_iati_download(d5, snap, lambda: project_ids, lang, "explorer_iati")
    render_exports(snap, view, lang)
    # The same view as a tour: the Present page reads these filters from its URL.
    st.page_link("pages/7_Present.py", label=t("present_this_view", lang),
                 query_params=url_params(view.url))
    st.caption(md(f"{t('data_version', lang)}: {snap.version}"))
    write_url({**view.url, "project": st.session_state.get("selected_project")})
    url_notice(lang)
