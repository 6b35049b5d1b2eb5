"""The explorer page: headline figures, the map, the project card and the projects table."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.cards import project_card
from atlas.exports import filtered_sites, sites_csv, sites_geojson
from atlas.figures import Figure, format_figure, format_number
from atlas.formulas import inert_csv
from atlas.i18n import t
from atlas.listing import SortOrder, collation_key, project_list, sort
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
from atlas.ui.paging import page_controls, paged, sort_picker
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
from atlas.ui.tables import figure_values, wrapped_table
from atlas.ui.text import md
from atlas.workbook import XLSX_MIME, view_workbook

PROJECT = OneOf("project")  # the open card
# The projects table: a wrapped table draws every row it is sent, so a view of thousands of
# projects is shown a page at a time, in the order the reader picks.
PROJECTS_KEY, PROJECTS_PAGE = "atlas_projects", 100
PROJECTS_PAGE_KEY, PROJECTS_SORT_KEY = "projects_page", "projects_sort"
PROJECTS_PICK_KEY = "projects_pick"  # the picker that opens a project's card
TABLE_SORTS = {
    "title": SortOrder(("title_key",), (True,)),
    "funding": SortOrder(("funding", "title_key"), (False, True)),
    "budget": SortOrder(("budget", "title_key"), (False, True)),
    "newest": SortOrder(("start", "title_key"), (False, True)),
    "oldest": SortOrder(("start", "title_key"), (True, True)),
    "reach": SortOrder(("reach", "title_key"), (False, True)),
}
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


def projects_view(snap: Snapshot, table: pd.DataFrame, donors: tuple[str, ...], lang: str,
                  currency: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's projects table as the page shows it, and what it is sorted by.

    The cells (Markdown): the project, then the money (the funding counted and the budget,
    each with its own qualifier, "≈ 3 000", "unknown"), who and where, then when, status,
    reach and SDGs. The keys, row for row: the project's id and title, the title as the
    reader's alphabet orders it, funding and reach as numbers (-inf when unknown, NaN when
    none), the budget in ``currency`` and the start year."""
    funding_h = f"{t('col_funding', lang)} ({currency})"
    order = [t("col_project", lang), funding_h, t("col_budget", lang),
             t("col_donors", lang), t("col_implementers", lang), t("col_regions", lang),
             t("col_period", lang), t("col_status", lang), t("col_reach", lang),
             t("col_sdgs", lang)]
    ids = list(table["project_id"])
    cells = pd.DataFrame({c: [md(x) if x else "—" for x in table[c]] for c in order})
    listed = project_list(snap, lang, currency).set_index("project_id")
    keys = pd.DataFrame({
        "project_id": ids,
        "title": list(table[order[0]]),
        "title_key": [collation_key(x, lang) for x in table[order[0]]],
        "funding": figure_values(project_funding(snap, p, donors, currency) for p in ids),
        "budget": listed["budget"].reindex(ids).to_numpy(float),
        "start": listed["start"].reindex(ids).to_numpy(float),
        "reach": figure_values(project_reach(snap, p) for p in ids),
    })
    return cells, keys


@st.cache_resource(show_spinner=False, max_entries=16)
def _projects_view(_snap: Snapshot, version: str, snap_id: int, filters: Filters, lang: str,
                   currency: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``projects_view`` of a view, once per view (thousands of projects); callers only
    read it."""
    table = view_projects_table(_snap, filters, lang, currency)
    return projects_view(_snap, table, filters.donors, lang, currency)


def _first_page() -> None:
    st.session_state[PROJECTS_PAGE_KEY] = 1


def _open_picked() -> None:
    """on_change of the card picker: its project's card opens (the picker empties)."""
    ss = st.session_state
    picked = ss.get(PROJECTS_PICK_KEY)
    ss[PROJECTS_PICK_KEY] = None
    if picked:
        ss["selected_project"] = picked
        _reset_map_clicks()


def render_projects_table(snap: Snapshot, filters: Filters, lang: str, currency: str) -> None:
    """One page of the view's projects as a wrapped table (every cell whole, a row as tall
    as its own text; on a phone each project's cells stack), in the order the reader picks,
    with the card picker of the page's projects above it and the page controls below."""
    ss = st.session_state
    cells, keys = _projects_view(snap, snap.version, id(snap), filters, lang, currency)
    view = (snap.version, filters, currency)
    if ss.get("projects_view") != view:  # another view starts from its first page
        ss["projects_view"] = view
        _first_page()
    sort_column, pick_column = st.columns([1, 2])
    order = sort_picker(sort_column, PROJECTS_SORT_KEY, tuple(TABLE_SORTS), lang, _first_page)
    listed = paged(sort(keys, TABLE_SORTS.get(order, TABLE_SORTS["title"])), PROJECTS_PAGE_KEY,
                   PROJECTS_PAGE)
    shown = cells.loc[listed.rows.index]
    titles = dict(zip(listed.ids, listed.rows["title"], strict=True))
    pick_column.selectbox(t("map_open_card", lang), listed.ids, index=None,
                          format_func=titles.__getitem__, key=PROJECTS_PICK_KEY,
                          on_change=_open_picked, placeholder="—")
    names = list(cells.columns)
    # Ten columns: their longest words ("Софинансирование") whole on a laptop's page only
    # with a cell's sides 3 px, not 6.
    wrapped_table(shown, PROJECTS_KEY, right=[names[1], names[2], names[8]], tight=True)
    page_controls(listed, PROJECTS_PAGE_KEY, lang)


def _reset_map_clicks() -> None:
    st.session_state["map_nonce"] = st.session_state.get("map_nonce", 0) + 1


def _close_card() -> None:
    st.session_state["selected_project"] = None
    _reset_map_clicks()


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
        render_projects_table(snap, view.filters, lang, currency)
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
