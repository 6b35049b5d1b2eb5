"""The Projects page: a searchable list of projects and one project in depth.

Everything the viewer chooses lives in the URL (``q``, ``donor``, ``sdg``, ``region``,
``sort``, ``page``, ``project``, plus ``lang`` and ``cur``), so a copied link reopens the same
list page and project. The list is searched, sorted and cut into pages over whole columns
(``atlas.listing``); only the page's projects are drawn, and the downloads are made from the
whole list only when their button is clicked.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.cards import ProjectCard
from atlas.charts.budget import budget_chart
from atlas.figures import format_figure, format_number
from atlas.i18n import localized, t
from atlas.listing import (
    PROJECT_SORT_DEFAULT,
    PROJECT_SORTS,
    ListPage,
    list_page,
    list_view,
    project_list,
    projects_in,
)
from atlas.maps.project_sites import project_sites_map
from atlas.project_detail import (
    BudgetShares,
    ListExports,
    MoneyChain,
    ProjectRow,
    TimelineEvent,
    list_exports,
    project_detail,
    project_rows,
)
from atlas.query import Filters, donor_ids, matching_projects
from atlas.snapshot import Snapshot
from atlas.ui.card import results_markdown, sources_markdown
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.iati_export import render_iati_download
from atlas.ui.paging import page_controls, rows_text, sort_picker
from atlas.ui.state import (
    ManyOf,
    OneOf,
    Text,
    WholeNumber,
    current_currency,
    declare_page,
    init_from_url,
    url_notice,
    url_value,
    write_url,
)
from atlas.ui.text import md, sdg_badges_html
from atlas.workbook import XLSX_MIME, view_workbook

SELECTED, PAGE_KEY = "p_project", "p_page"
MAP_HEIGHT = 320
PAGE_SIZE = 25  # list entries drawn per run; each is a card with a button
MAX_PAGE = 1_000_000  # a page number beyond the list's last page shows the last page

QUERY, PROJECT = Text("q"), OneOf("project")
DONOR, SDG, REGION = ManyOf("donor"), ManyOf("sdg", cast=int), ManyOf("region")
SORT = OneOf("sort", tuple(PROJECT_SORTS), PROJECT_SORT_DEFAULT)
PAGE = WholeNumber("page", default=1, low=1, high=MAX_PAGE)
declare_page("pages/2_Projects.py", QUERY, DONOR, SDG, REGION, SORT, PAGE, PROJECT)


def _select(project_id: str) -> None:
    st.session_state[SELECTED] = project_id


def _close() -> None:
    st.session_state[SELECTED] = None


def _new_list() -> None:
    """A new search, filter or order shows its results from their first page."""
    _close()
    st.session_state[PAGE_KEY] = 1


@st.cache_resource(show_spinner=False, max_entries=6)
def _project_list(_snap: Snapshot, version: str, lang: str, currency: str) -> pd.DataFrame:
    """The list frame of every project, built once per data version, language and currency
    (callers only read it)."""
    return project_list(_snap, lang, currency)


def _controls(snap: Snapshot, lang: str) -> tuple[Filters, str]:
    """Search box and filters above the list, seeded from the URL once per session."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdg_table = snap.table("sdgs").set_index("goal")
    donors = donor_ids(snap)
    goals = [int(g) for g in sdg_table.index]
    region_codes = sorted(regions, key=regions.__getitem__)

    init_from_url("p_q", QUERY)
    init_from_url("p_donor", DONOR.among(donors))
    init_from_url("p_sdg", SDG.among(goals))
    init_from_url("p_region", REGION.among(region_codes))
    init_from_url("p_sort", SORT)
    init_from_url(PAGE_KEY, PAGE)

    c_q, c_donor, c_sdg, c_region, c_sort = st.columns([3, 2, 2, 2, 2.4])
    # A new search or filter shows its results: the list, not the project open before.
    c_q.text_input(t("projects_search", lang), key="p_q", on_change=_new_list,
                   placeholder=t("projects_search_hint", lang),
                   help=t("projects_search_help", lang))
    c_donor.multiselect(t("filter_donor", lang), donors, format_func=orgs.__getitem__,
                        key="p_donor", placeholder=t("all", lang), on_change=_new_list)
    c_sdg.multiselect(
        t("filter_sdg", lang), goals, key="p_sdg", placeholder=t("all", lang),
        on_change=_new_list,
        format_func=lambda g: f"{g}. {localized(sdg_table.loc[g], 'name', lang)}")
    c_region.multiselect(t("filter_region", lang), region_codes, format_func=regions.__getitem__,
                         key="p_region", placeholder=t("all", lang), on_change=_new_list)
    sort_picker(c_sort, "p_sort", tuple(PROJECT_SORTS), lang, _new_list)
    ss = st.session_state
    filters = Filters(donors=tuple(ss.p_donor), sdgs=tuple(ss.p_sdg),
                      regions=tuple(ss.p_region))
    return filters, str(ss.p_q or "")


def _list_entry(row: ProjectRow, lang: str) -> None:
    with st.container(border=True):
        about, money = st.columns([3, 1], vertical_alignment="center")
        with about:
            st.markdown(f"**{md(row.title)}**")
            if row.sdgs:
                st.html(sdg_badges_html(list(row.sdgs)))
            st.caption(md(" · ".join(x for x in ("; ".join(row.donors), row.period, row.status)
                                     if x)))
        with money:
            st.caption(md(t("col_budget", lang)))
            st.markdown(f"**{md(row.budget)}**")
            if row.budget_converted:
                st.caption(md(f"→ {row.budget_converted}"))
            st.button(t("projects_open", lang), key=f"p_open_{row.project_id}",
                      on_click=_select, args=(row.project_id,))


def _downloads(snap: Snapshot, filters: Filters, listed: pd.DataFrame, query: str, sort: str,
               lang: str, currency: str) -> None:
    """The whole list (every page, in the viewer's order) as CSV (projects), GeoJSON (their
    sites) and a workbook; each file is made only when its button is clicked."""
    made: dict[str, Any] = {}  # what one click made, for a click on the other button

    def view_ids() -> list[str]:
        if "ids" not in made:
            made["ids"] = list(list_view(listed, query, PROJECT_SORTS[sort])["project_id"])
        return made["ids"]  # type: ignore[no-any-return]

    def exports() -> ListExports:
        if "exports" not in made:
            made["exports"] = list_exports(snap, filters, view_ids(), lang, currency)
        return made["exports"]  # type: ignore[no-any-return]

    st.markdown(f"**{md(t('projects_downloads', lang))}**")
    d1, d2, d3, d4, _ = st.columns([1, 1, 1, 1, 1])
    d1.download_button(t("projects_dl_csv", lang), lambda: exports().projects_csv,
                       "atlas-projects.csv", "text/csv", on_click="ignore")
    d2.download_button(t("projects_dl_geojson", lang), lambda: exports().sites_geojson,
                       "atlas-project-sites.geojson", "application/geo+json", on_click="ignore")
    d3.download_button(t("projects_dl_excel", lang),
                       lambda: view_workbook(snap, filters, lang, currency,
                                             project_ids=view_ids()),
                       "atlas-projects.xlsx", XLSX_MIME, on_click="ignore")
    render_iati_download(d4, snap, view_ids, lang, "projects_iati")


def _section(title: str) -> None:
    st.markdown(f"#### {md(title)}")


def _budget(b: BudgetShares, lang: str, key: str) -> None:
    _section(t("projects_budget_title", lang))
    st.markdown(f"{md(t('projects_bar_budget', lang))}: **{md(b.budget_stated)}**")
    if b.budget_conversion:
        st.caption(md(b.budget_conversion))
    if not b.budget.is_known and not b.budget_conversion:
        st.caption(t("projects_budget_unknown", lang))
    elif b.budget_basis:  # how a derived budget was derived
        st.caption(md(b.budget_basis))
    fig = budget_chart(b, lang)
    if fig is not None:
        st.plotly_chart(fig, key=key, config={"displayModeBar": False})
        notes = []
        if any(s.figure.derived for s in b.shares) or b.budget.derived or b.rest:
            notes.append(t("projects_hatched", lang))
        if b.budget_conversion:
            notes.append(t("projects_budget_rate", lang))
        if b.rate_sources:
            notes.append(t("projects_rate_sources", lang, sources=" · ".join(b.rate_sources)))
        if notes:
            st.caption(md(" ".join(notes)))
        derived = [s for s in b.shares if s.basis]
        if derived:
            st.markdown("\n".join(
                f"- {md(s.name)} — *{md(t('projects_how_derived', lang))}*: {md(s.basis)}"
                for s in derived))
    if b.not_stated:
        st.markdown(f"**{md(t('projects_not_drawn', lang))}**")
        st.markdown("\n".join(
            f"- {md(s.name)}" + (f" ({md(s.kind)})" if s.kind else "") + f": {md(s.note)}"
            for s in b.not_stated))


def _money_chain(chain: MoneyChain, lang: str) -> None:
    _section(t("projects_chain_title", lang))
    if not chain.flows:
        st.caption(t("projects_chain_none", lang))
        return
    lines = []
    for f in chain.flows:
        facts = ", ".join(x for x in (f.kind, f.year, f.status) if x)
        lines.append(f"- **{md(f.source)} → {md(f.target)}**"
                     + (f" ({md(facts)})" if facts else "") + f": **{md(f.stated)}**")
        if f.conversion:
            lines.append(f"    - {md(f.conversion)}")
        if f.basis:
            lines.append(f"    - *{md(t('projects_how_derived', lang))}*: {md(f.basis)}")
        if f.counted:
            counted = t("projects_chain_counted", lang)
            bound = f" — {md(t('projects_chain_bound', lang))}" if f.bound else ""
            lines.append(f"    - ✔ {md(counted)}: **{md(f.counted_as)}**{bound}")
        else:
            lines.append(f"    - ↳ *{md(t('projects_chain_upstream', lang))}*")
    st.markdown("\n".join(lines))
    total = format_figure(chain.total, lang, chain.currency)
    st.markdown(f"**{md(t('projects_chain_total', lang, amount=total))}**")
    if chain.rate_sources:
        st.caption(md(t("projects_rate_sources", lang, sources=" · ".join(chain.rate_sources))))


def _sites(snap: Snapshot, card: ProjectCard, lang: str, currency: str) -> None:
    _section(f"{t('card_sites', lang)} ({len(card.sites)})")
    fmap = project_sites_map(snap, card.project_id, lang, currency, MAP_HEIGHT)
    st_folium(fmap, key=f"p_map_{card.project_id}_{lang}_{currency}", height=MAP_HEIGHT,
              use_container_width=True, returned_objects=[])
    st.caption(t("projects_map_note", lang))
    st.markdown("\n".join(f"- {md(s)}" for s in card.sites))


def _results(card: ProjectCard, lang: str) -> None:
    if not card.results:
        return
    _section(t("card_results", lang))
    st.markdown(results_markdown(card, lang))
    if card.context:
        with st.expander(t("card_context", lang)):
            st.markdown("\n".join(f"- {md(c.label)}: **{md(c.value)}**" for c in card.context))


def _timeline(events: tuple[TimelineEvent, ...], lang: str) -> None:
    if not events:
        return
    _section(t("projects_timeline", lang))
    lines = []
    for e in events:
        when = f"{e.date} – {e.end}" if e.end else e.date
        lines.append(f"- **{md(when)}** — {md(e.label)}")
        lines.extend(f"    - {md(d)}" for d in e.details)
    st.markdown("\n".join(lines))


def _sources(card: ProjectCard, lang: str) -> None:
    _section(t("card_sources", lang))
    st.markdown(sources_markdown(card))


def _detail(snap: Snapshot, project_id: str, lang: str, currency: str) -> None:
    d = project_detail(snap, project_id, lang, currency)
    card = d.card
    st.subheader(md(card.title))
    st.caption(md(" · ".join(x for x in (card.status, card.period, card.contract, card.method)
                             if x)))
    if d.sdgs:
        st.html(sdg_badges_html(list(d.sdgs)))
    st.write(md(card.summary))

    money_col, place_col = st.columns(2, gap="large")
    with money_col:
        _section(t("card_partners", lang))
        st.markdown("\n".join(
            f"- {md(p.role)}: **{md(p.name)}**"
            + (f" — {md(t('role_in_source', lang))}: «{md(p.as_stated)}»" if p.as_stated else "")
            + (f" *({md(p.note)})*" if p.note else "")
            for p in card.partners))
        _budget(d.budget, lang, key=f"p_budget_{project_id}_{lang}_{currency}")
        _money_chain(d.chain, lang)
    with place_col:
        _sites(snap, card, lang, currency)
        _results(card, lang)
        _timeline(d.timeline, lang)
        _sources(card, lang)


def render_projects() -> None:
    """The Projects page."""
    lang = page_frame("projects_title")
    snap = current_snapshot()
    currency = current_currency()
    ss = st.session_state
    all_ids = list(snap.table("projects")["project_id"])
    if SELECTED not in ss:
        ss[SELECTED] = url_value(PROJECT.among(all_ids))

    st.title(t("projects_title", lang))
    st.caption(t("projects_intro", lang))
    filters, query = _controls(snap, lang)
    sort = str(ss.p_sort)
    filtered = projects_in(_project_list(snap, snap.version, lang, currency),
                           matching_projects(snap, filters))
    listed = list_page(filtered, query, PROJECT_SORTS[sort], int(ss[PAGE_KEY]), PAGE_SIZE)
    ss[PAGE_KEY] = listed.page
    selected = ss[SELECTED] if ss[SELECTED] in all_ids else None

    if selected:
        st.button(t("projects_back", lang, n=listed.total), on_click=_close, key="p_close",
                  type="tertiary")
        _detail(snap, selected, lang, currency)
    else:
        _list(snap, listed, lang, currency)
    if listed.total:
        st.divider()
        _downloads(snap, filters, filtered, query, sort, lang, currency)

    write_url({"q": query.strip() or None, "donor": list(filters.donors),
               "sdg": list(filters.sdgs), "region": list(filters.regions),
               "sort": None if sort == PROJECT_SORT_DEFAULT else sort,
               "page": None if listed.page == 1 else listed.page,
               "project": selected})
    url_notice(lang)


def _list(snap: Snapshot, listed: ListPage, lang: str, currency: str) -> None:
    """One page of the list: how many there are, the page's entries, the page controls."""
    count = t("projects_count", lang, n=format_number(listed.total, lang))
    if listed.pages > 1:
        count += " · " + rows_text(listed, lang)
    st.caption(count + " — " + t("projects_choose", lang))
    if not listed.total:
        st.warning(t("no_projects", lang))
    for row in project_rows(snap, listed.ids, lang, currency):
        _list_entry(row, lang)
    page_controls(listed, PAGE_KEY, lang)
