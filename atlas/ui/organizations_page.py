"""The organizations page: a searchable list of donors and implementers, and one page each.

URL state: ``org`` (the open organization), ``kind`` (repeatable), ``role`` (donors /
implementers), ``q`` (search text), ``sort`` and ``page``, plus ``lang`` and ``cur``. The URL
rules whenever it changes from outside the page (a shared link, a link from another page); the
widgets rule otherwise.

The list is one frame of every organization built once per data version, language and
currency (``organization_list``), searched, sorted and shown a page at a time; the full
profile is made only for the organization opened.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.cards import conversion_in_words, conversion_lines
from atlas.figures import Figure, format_figure, format_number
from atlas.i18n import LANGUAGES, localized_note, t
from atlas.listing import ListPage, list_page
from atlas.model import ORGANIZATION_KINDS
from atlas.organizations import (
    ORGANIZATION_SORT_DEFAULT,
    ORGANIZATION_SORTS,
    ROLE_GROUPS,
    Involvement,
    OrganizationProfile,
    filter_list,
    organization_list,
    organization_profile,
)
from atlas.snapshot import Snapshot
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.paging import page_controls, sort_picker
from atlas.ui.state import (
    ManyOf,
    OneOf,
    Param,
    Text,
    WholeNumber,
    adopt_from_url,
    current_currency,
    declare_page,
    remember_url,
    shared_params,
    url_notice,
    write_url,
)
from atlas.ui.tables import wrapped_table
from atlas.ui.text import md, safe_url

PAGE_SIZE = 50  # table rows per page (a wrapped table draws every row it is sent)
TABLE_KEY = "org_table"  # the list's wrapped table
MAX_PAGE = 1_000_000  # a page number beyond the list's last page shows the last page

ORG, KIND = OneOf("org"), ManyOf("kind")
ROLE, QUERY = OneOf("role", ROLE_GROUPS, "all"), Text("q")
SORT = OneOf("sort", tuple(ORGANIZATION_SORTS), ORGANIZATION_SORT_DEFAULT)
PAGE = WholeNumber("page", default=1, low=1, high=MAX_PAGE)
declare_page("pages/3_Organizations.py", ORG, KIND, ROLE, QUERY, SORT, PAGE)

# Session keys of the page's lasting values (the widgets have their own, see _widget_key).
_SELECTED = "org_selected"
_KINDS, _ROLE, _QUERY, _SORT, _PAGE = "org_kinds", "org_role", "org_query", "org_sort", "org_page"


@st.cache_resource(show_spinner=False, max_entries=6)
def _organizations(_snap: Snapshot, version: str, lang: str, currency: str) -> pd.DataFrame:
    """Every organization's list columns, built once per data version, language and currency
    (callers only read the frame)."""
    return organization_list(_snap, lang, currency)


def _widget_key(name: str, lang: str) -> str:
    """One widget per language: Streamlit matches a choice by its label, and labels change
    with the language, so a widget kept across languages would report a label, not a code."""
    return f"w_{name}_{lang}"


def _keep(name: str, lang: str) -> None:
    """Copy a filter widget's value to its lasting key (widget state is dropped when hidden);
    a new filter, search or order shows its results from their first page."""
    st.session_state[name] = st.session_state[_widget_key(name, lang)]
    st.session_state[_PAGE] = 1


def _adopt_url(name: str, param: Param) -> None:
    """Take a value from the URL when the URL changed since this page last wrote it; the
    widgets showing it then start again from it."""
    if adopt_from_url(name, param):
        for lang in LANGUAGES:
            st.session_state.pop(_widget_key(name, lang), None)


def _open(org_id: str | None) -> None:
    st.session_state[_SELECTED] = org_id


def _pick_from_widget(lang: str) -> None:
    st.session_state[_SELECTED] = st.session_state.get(_widget_key("org_pick", lang))


def _pick_from_list(lang: str) -> None:
    """on_change of the list's picker: the organization picked opens (the picker empties,
    for the list shown again later)."""
    key = _widget_key("org_open", lang)
    st.session_state[_SELECTED] = st.session_state.get(key)
    st.session_state[key] = None


def _money(figure: Figure | None, lang: str, unit: str = "", *, compact: bool = False) -> str:
    """A money figure with its qualifier; a dash when no flow is recorded at all."""
    return "—" if figure is None else format_figure(figure, lang, unit, compact=compact)


def _roles_text(roles: tuple[str, ...], lang: str) -> str:
    return ", ".join(t(f"role_{r}", lang) for r in roles)


def _kinds_present(organizations: pd.DataFrame) -> list[str]:
    """The kind filter's choices: the kinds some organization has, in the model's order."""
    present = set(organizations["kind"])
    return [k for k in ORGANIZATION_KINDS if k in present]


def _list_view(organizations: pd.DataFrame, listed: ListPage, lang: str, currency: str) -> None:
    ss = st.session_state
    st.title(t("nav_organizations", lang))
    st.caption(t("org_intro", lang))
    for name in (_ROLE, _KINDS, _QUERY, _SORT):
        if _widget_key(name, lang) not in ss:
            ss[_widget_key(name, lang)] = ss[name]
    # The sort picker wide enough for its longest order ("Выделяет (сначала больше)").
    c1, c2, c3, c4 = st.columns([1.1, 1.3, 1.1, 1.4])
    c1.radio(t("org_role_filter", lang), ROLE_GROUPS, horizontal=True, key=_widget_key(_ROLE, lang),
             format_func=lambda g: t(f"org_role_{g}", lang), on_change=_keep,
             args=(_ROLE, lang))
    c2.multiselect(t("org_kind_filter", lang), _kinds_present(organizations),
                   key=_widget_key(_KINDS, lang), format_func=lambda k: t(f"org_kind_{k}", lang),
                   placeholder=t("all", lang), on_change=_keep, args=(_KINDS, lang))
    c3.text_input(t("org_search", lang), key=_widget_key(_QUERY, lang),
                  help=t("org_search_help", lang), on_change=_keep, args=(_QUERY, lang))
    sort_picker(c4, _widget_key(_SORT, lang), tuple(ORGANIZATION_SORTS), lang, _keep,
                (_SORT, lang))

    st.caption(count_line(listed, len(organizations), lang))
    if not listed.total:
        st.info(t("org_none", lang))
        return
    names = dict(zip(listed.ids, listed.rows["name"], strict=True))
    picker, _ = st.columns([2, 3])
    picker.selectbox(t("org_open", lang), list(names), index=None,
                     format_func=names.__getitem__, key=_widget_key("org_open", lang),
                     on_change=_pick_from_list, args=(lang,), placeholder="—")
    table = organization_table(listed.rows, lang, currency)
    money = list(table.columns)[1:4]
    wrapped_table(table, TABLE_KEY, right=money)
    page_controls(listed, _PAGE, lang)
    st.caption(t("funding_help", lang))


def count_line(listed: ListPage, total: int, lang: str) -> str:
    """How many organizations the list holds (of how many, when a filter or search narrows
    it), and which rows this page shows: each number said once."""
    if listed.total == total:
        count = t("org_count_all", lang, n=format_number(total, lang))
    else:
        count = t("org_count", lang, n=format_number(listed.total, lang),
                  total=format_number(total, lang))
    if listed.pages > 1:
        count += " · " + t("list_rows_short", lang, first=format_number(listed.first, lang),
                           last=format_number(listed.last, lang))
    return count


def organization_table(rows: pd.DataFrame, lang: str, currency: str) -> pd.DataFrame:
    """One page of the list as a wrapped table's Markdown cells in ``lang``: the name, the
    money given and received (with its qualifier, "6 653+", "≈ 3 000", or unknown; a dash
    when no flow is recorded) and the count of projects, written the language's way, then
    roles, kind and regions."""
    # Money next to the name, so it comes first on a phone; compact ("6 653+", "≈ 3 000"):
    # the organization's own page says "(derived)" too.
    return pd.DataFrame({
        t("org_col_name", lang): [md(x) for x in rows["name"]],
        t("org_col_gives", lang, cur=currency): [md(_money(f, lang, compact=True))
                                                 for f in rows["gives"]],
        t("org_col_receives", lang, cur=currency): [md(_money(f, lang, compact=True))
                                                    for f in rows["receives"]],
        t("kpi_projects", lang): [format_number(n, lang) for n in rows["project_count"]],
        t("org_col_roles", lang): [md(_roles_text(r, lang)) for r in rows["roles"]],
        t("org_col_kind", lang): [md(t(f"org_kind_{k}", lang)) for k in rows["kind"]],
        t("col_regions", lang): [md("; ".join(r)) or "—" for r in rows["regions"]],
    })


def _map_links(profile: OrganizationProfile, lang: str) -> None:
    keep = {k: v for k, v in shared_params().items() if v}
    links = []
    if profile.is_donor:
        links.append(("org_map_donor", {"donor": profile.org_id}))
    if profile.is_implementer:
        links.append(("org_map_impl", {"impl": profile.org_id}))
    for key, params in links:
        st.page_link("streamlit_app.py", label=f"{t(key, lang)} →",
                     query_params={**params, **keep})


def _project_line(snap: Snapshot, item: Involvement, lang: str, currency: str) -> str:
    """One project as a list line: title, roles, money in and out, regions (all escaped)."""
    regions = snap.region_names(lang)
    parts = [", ".join(t(f"role_{r}", lang) for r in item.roles)]
    if item.gives is not None:
        parts.append(f"{t('org_gives', lang)}: {_money(item.gives, lang, currency)}")
    if item.receives is not None:
        parts.append(f"{t('org_receives', lang)}: {_money(item.receives, lang, currency)}")
    parts.append("; ".join(regions.get(c, c) if c else t("where_national", lang)
                           for c in item.region_codes)
                 or t("org_no_regions", lang))
    return f"- **{md(item.title)}** — " + " · ".join(md(p) for p in parts if p)


def _money_given(snap: Snapshot, profile: OrganizationProfile, lang: str) -> list[str]:
    lines = conversion_lines(snap, [g.flow for g in profile.given], lang)
    return [line + (f" — {t('org_passed_on', lang)}" if g.passed_on else "")
            for line, g in zip(lines, profile.given, strict=True)]


def _money_received(snap: Snapshot, profile: OrganizationProfile, lang: str) -> list[str]:
    orgs = snap.organization_names(lang)
    titles = {i.project_id: i.title for i in profile.projects}
    lines = []
    for r in profile.received:
        c = r.conversion
        detail = conversion_in_words(snap, c, lang) if c.original.is_known \
            else t("amount_not_stated", lang)
        lines.append(f"{orgs.get(r.from_org_id, r.from_org_id)} → {profile.name} "
                     f"({titles.get(r.project_id, r.project_id)}): {detail}")
    return lines


def _detail_view(snap: Snapshot, profile: OrganizationProfile, names: dict[str, str],
                 lang: str, currency: str) -> None:
    """One organization's page; the sidebar picks another of ``names`` (those on the list's
    page, and this one)."""
    st.button(f"← {t('org_back', lang)}", on_click=_open, args=(None,))
    pick = _widget_key("org_pick", lang)
    st.session_state[pick] = profile.org_id
    with st.sidebar:
        st.selectbox(t("org_pick_on_page", lang), list(names), format_func=names.__getitem__,
                     key=pick, on_change=_pick_from_widget, args=(lang,))
    # The acronyms in the data are Latin ("EU", "MISD"): a ru/kk title gives the name alone.
    shown_acronym = profile.acronym if lang == "en" else ""
    title = profile.name + (f" ({shown_acronym})" if shown_acronym else "")
    st.title(md(title))
    st.caption(md(" · ".join(x for x in (t(f"org_kind_{profile.kind}", lang),
                                         _roles_text(profile.roles, lang)) if x)))
    home = profile.home
    if home.place:
        # "Astana", not "Astana (Astana (city))": the region is added only when it says more.
        same = home.region.casefold().startswith(home.place.casefold())
        place = home.place + (f" ({home.region})" if home.region and not same else "")
        line = f"**{md(t('org_home', lang))}:** {md(place)}"
        if home.assumed:
            line += f" — *{md(t('org_home_assumed', lang))}*"
        st.markdown(line)
        if home.basis:
            st.caption(md(f"{t('col_basis', lang)}: {home.basis}"))
    else:
        st.markdown(f"**{md(t('org_home', lang))}:** {md(t('org_home_unknown', lang))}")

    k1, k2, k3, k4 = st.columns([1.3, 1.3, 0.7, 0.7])
    k1.metric(t("org_gives", lang), _money(profile.gives, lang, currency, compact=True),
              help=t("org_gives_help", lang))
    k2.metric(t("org_receives", lang), _money(profile.receives, lang, currency, compact=True),
              help=t("org_receives_help", lang))
    k3.metric(t("kpi_projects", lang), format_number(len(profile.projects), lang))
    k4.metric(t("col_regions", lang), format_number(len(profile.regions), lang))

    st.markdown(f"**{md(t('org_regions', lang))}:** "
                + md("; ".join(profile.regions) or t("org_no_regions", lang)))
    _map_links(profile, lang)

    st.subheader(t("org_projects", lang))
    st.markdown("\n".join(_project_line(snap, i, lang, currency) for i in profile.projects))

    st.subheader(t("org_given_list", lang))
    given = _money_given(snap, profile, lang)
    if given:
        st.markdown("\n".join(f"- {md(line)}" for line in given))
    else:
        st.caption(t("org_no_money_given", lang))

    st.subheader(t("org_received_list", lang))
    if profile.received:
        orgs = snap.organization_names(lang)
        st.markdown("\n".join(f"- {md(line)}" for line in _money_received(snap, profile, lang)))
        st.markdown(f"**{md(t('org_by_source', lang))}**")
        st.markdown("\n".join(
            f"- {md(orgs.get(o, o))}: **{md(format_figure(f, lang, currency))}**"
            for o, f in profile.received_by_source.items()))
    else:
        st.caption(t("org_no_money_received", lang))

    if profile.note:
        st.markdown(f"**{md(t('org_note', lang))}:** {md(profile.note)}")
    sources = snap.table("sources").set_index("source_id")
    lines = []
    for s in profile.source_ids:
        if s not in sources.index:
            continue
        url = safe_url(str(sources.at[s, "url"]))
        title = md(sources.at[s, "title"])
        lines.append(f"- {f'[{title}]({url})' if url else title} — "
                     f"{md(localized_note(sources.loc[s], lang, 'publisher'))}")
    if lines:
        st.markdown(f"**{md(t('card_sources', lang))}**")
        st.markdown("\n".join(lines))


def render_organizations() -> None:
    """The list of organizations, or one organization's page when ``?org=`` names it."""
    lang = page_frame("nav_organizations")
    snap = current_snapshot()
    currency = current_currency()
    organizations = _organizations(snap, snap.version, lang, currency)
    ids = organizations["org_id"].to_list()

    _adopt_url(_SELECTED, ORG.among(ids))
    _adopt_url(_KINDS, KIND.among(_kinds_present(organizations)))
    _adopt_url(_ROLE, ROLE)
    _adopt_url(_QUERY, QUERY)
    _adopt_url(_SORT, SORT)
    _adopt_url(_PAGE, PAGE)

    ss = st.session_state
    shown = filter_list(organizations, tuple(ss[_KINDS]), ss[_ROLE])
    listed = list_page(shown, ss[_QUERY], ORGANIZATION_SORTS[ss[_SORT]], int(ss[_PAGE]),
                       PAGE_SIZE)
    ss[_PAGE] = listed.page
    selected = ss.get(_SELECTED)
    if isinstance(selected, str) and selected in set(ids):
        names = dict(zip(listed.ids, listed.rows["name"], strict=True))
        if selected not in names:
            row = organizations.loc[organizations["org_id"] == selected]
            names = {selected: str(row["name"].iloc[0]), **names}
        _detail_view(snap, organization_profile(snap, selected, lang, currency), names, lang,
                     currency)
    else:
        ss[_SELECTED] = None
        _list_view(organizations, listed, lang, currency)

    write_url({
        "org": ss.get(_SELECTED),
        "kind": list(ss[_KINDS]),
        "role": None if ss[_ROLE] == "all" else ss[_ROLE],
        "q": ss[_QUERY].strip() or None,
        "sort": None if ss[_SORT] == ORGANIZATION_SORT_DEFAULT else ss[_SORT],
        "page": None if listed.page == 1 else listed.page,
    })
    remember_url((ORG, KIND, ROLE, QUERY, SORT, PAGE))
    url_notice(lang)
