"""The explorer page: headline figures, the map, the project card and the projects table."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.cards import project_card
from atlas.exports import filtered_sites, sites_csv, sites_geojson
from atlas.figures import Figure, format_figure, format_number
from atlas.formulas import inert_csv
from atlas.i18n import t
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.query import Filters, Summary, project_funding, project_reach
from atlas.snapshot import Snapshot
from atlas.ui.card import conversion_footnote, render_card
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot, view_projects_table, view_summary
from atlas.ui.exports import render_exports
from atlas.ui.filters import (
    DONOR,
    IMPLEMENTER,
    MAP_PARAMS,
    REGION,
    SDG,
    STATUS,
    YEARS,
    explorer_sidebar,
)
from atlas.ui.iati_export import render_iati_download
from atlas.ui.money_flows import render_money_flows
from atlas.ui.state import (
    OneOf,
    declare_page,
    drop_url_param,
    reseed_from_url,
    url_notice,
    url_params,
    url_value,
    write_url,
)
from atlas.ui.tables import (
    GRID_MARKER,
    figure_values,
    grid_height,
    grid_settings,
    shown_texts,
    styled_texts,
)
from atlas.workbook import XLSX_MIME, view_workbook

PROJECT = OneOf("project")  # the open card
PROJECTS_HEIGHT = 640  # px: the most the projects table takes; a longer one scrolls inside
declare_page("streamlit_app.py", *MAP_PARAMS, PROJECT)
# What "clear all filters" empties (the map's options are not filters).
FILTER_PARAMS = (DONOR, SDG, REGION, IMPLEMENTER, STATUS, YEARS)
# The card's side panel: wide enough for its lists to read as lines, not a narrow column; the
# map keeps the page's width beneath it. On a phone the panel takes the screen's width.
CARD_PANEL_PX = 560
# Static CSS (no data in it). On a phone Streamlit stacks columns one per row: the four
# headline figures took half a screen before the map; two by two, smaller, they fit in a
# thumb's reach above it. Metric values are never cut with "…": a long one wraps before its
# unit (the number's own spaces are no-break spaces, so it never breaks inside the number).
EXPLORER_CSS = """<style>
.st-key-atlas_headline [data-testid="stMetricValue"] * {white-space: normal !important;
  overflow: visible !important; overflow-wrap: normal; word-break: keep-all;}
@media (max-width: 640px) {
  .st-key-atlas_headline [data-testid="stHorizontalBlock"] {flex-wrap: wrap; gap: 0.5rem 1rem;}
  .st-key-atlas_headline [data-testid="stColumn"] {flex: 1 1 calc(50% - 1rem) !important;
    min-width: calc(50% - 1rem) !important; width: calc(50% - 1rem) !important;}
  .st-key-atlas_headline [data-testid="stMetricValue"] {font-size: 1.6rem;}
}
</style>"""


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


def projects_grid(snap: Snapshot, table: pd.DataFrame, donors: tuple[str, ...], lang: str,
                  currency: str) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The view's projects table as the page shows it: the project, then the money (counted
    funding and the budget), who and where, then when, status, reach and SDGs; funding and
    reach as numbers to sort by (right-aligned), their cells showing the table's own text
    with its qualifier ("≈ 3 000", "unknown"). Rows stay in the table's order (a selected
    row is a position in it)."""
    funding_h = f"{t('col_funding', lang)} ({currency})"
    reach_h = t("col_reach", lang)
    ids = list(table["project_id"])
    order = [t("col_project", lang), funding_h, t("col_budget", lang),
             t("col_donors", lang), t("col_implementers", lang), t("col_regions", lang),
             t("col_period", lang), t("col_status", lang), reach_h, t("col_sdgs", lang)]
    shown = table[order].copy()
    shown[funding_h] = figure_values(project_funding(snap, p, donors, currency) for p in ids)
    shown[reach_h] = figure_values(project_reach(snap, p) for p in ids)
    return shown, {funding_h: list(table[funding_h]), reach_h: list(table[reach_h])}


@st.cache_resource(show_spinner=False, max_entries=16)
def _projects_grid(_snap: Snapshot, version: str, snap_id: int, filters: Filters, lang: str,
                   currency: str) -> tuple[pd.DataFrame, dict[str, list[str]], dict[str, Any],
                                           int | None]:
    """``projects_grid`` of a view and its column settings, once per view (thousands of
    projects are measured in a quarter of a second); callers only read them."""
    table = view_projects_table(_snap, filters, lang, currency)
    shown, texts = projects_grid(_snap, table, filters.donors, lang, currency)
    config, row_px = grid_settings(shown, {**shown_texts(shown, {}), **texts},
                                   inset=GRID_MARKER, right=[t("col_budget", lang)])
    return shown, texts, config, row_px


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


def _clear_filters() -> None:
    """Drop every filter from the URL and the sidebar; map options, language and currency
    stay (the sidebar's reset button resets the options too)."""
    for param in FILTER_PARAMS:
        drop_url_param(param.name)
    reseed_from_url()
    _close_card()


def headline_texts(summary: Summary, lang: str, currency: str) -> dict[str, str]:
    """The four headline figures as shown. A view without projects shows zeros: its total is
    nothing, not an unknown amount (the library's sum of no figure is "unknown")."""
    empty = not summary.project_ids
    funding = Figure(0.0) if empty else summary.funding
    reach = Figure(0.0) if empty else summary.people_reached
    return {
        "kpi_funding": format_figure(funding, lang, currency, compact=True),
        "kpi_projects": format_number(len(summary.project_ids), lang),
        "kpi_sites": format_number(summary.sites, lang),
        "kpi_reach": format_figure(reach, lang, compact=True),
    }


def render_headline(summary: Summary, lang: str, currency: str) -> None:
    """The headline figures: four in a row, two by two on a phone (see EXPLORER_CSS)."""
    texts = headline_texts(summary, lang, currency)
    helps = {"kpi_funding": t("funding_help", lang), "kpi_reach": t("split_rule", lang)}
    with st.container(key="atlas_headline"):
        for column, key in zip(st.columns([1.6, 0.8, 0.8, 1.1]), texts, strict=True):
            column.metric(t(key, lang), texts[key], help=helps.get(key))


def open_card(snap: Snapshot, project_id: str, lang: str, currency: str) -> None:
    """The project's card in a side panel over the page (a full-width sheet on a phone).

    Closing it by its cross, Escape or a click beside it reruns the page without the card.
    """
    def body() -> None:
        render_card(project_card(snap, project_id, lang, currency), lang)
        if st.button(t("card_close", lang), key="card_close"):
            _close_card()
            st.rerun()

    st.dialog(t("card_panel_title", lang), width=CARD_PANEL_PX, position="right",
              on_dismiss=_close_card)(body)()


def render_explorer() -> None:
    """The first page: the atlas map with its filters."""
    lang = page_frame("app_title")
    snap = current_snapshot()
    view = explorer_sidebar(snap, lang)
    currency = view.options.currency
    summary = view_summary(snap, view.filters, currency)
    st.html(EXPLORER_CSS)

    st.title(t("app_title", lang))
    st.caption(t("app_tagline", lang))
    render_headline(summary, lang, currency)
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

    if not summary.project_ids:
        with st.container(key="atlas_no_match"):
            st.warning(t("no_projects", lang))
            st.button(t("map_clear_filters", lang), on_click=_clear_filters,
                      key="clear_filters", type="primary")
    # A fresh key after every selection made elsewhere: streamlit-folium reports only a
    # *changed* click, so without it the same site could not be clicked open again.
    result = show_map(snap, view.filters, view.options,
                      f"explorer_map_{ss.get('map_nonce', 0)}")
    drawing = result.get("last_active_drawing") if isinstance(result, dict) else None
    clicked = _clicked_project(drawing, summary.project_ids)
    click_event = (ss.get("map_nonce", 0), clicked)
    if clicked and ss.get("consumed_click") != click_event:
        ss["consumed_click"] = click_event
        selected = clicked
    ss["selected_project"] = selected
    if selected:
        open_card(snap, selected, lang, currency)
    elif summary.project_ids:
        st.info(t("click_hint", lang))
    st.caption(t("split_rule", lang))

    render_money_flows(snap, view.filters, lang, currency)

    st.subheader(t("matching_projects", lang))
    if summary.project_ids:
        shown, texts, config, row_px = _projects_grid(snap, snap.version, id(snap),
                                                      view.filters, lang, currency)
        st.dataframe(styled_texts(shown, texts), hide_index=True, row_height=row_px,
                     height=grid_height(len(shown), row_px, PROJECTS_HEIGHT),
                     column_config=config,
                     placeholder="—", on_select="rerun", selection_mode="single-row",
                     key="projects_table")
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
    write_url({**view.url, "project": st.session_state.get("selected_project")})
    url_notice(lang)
