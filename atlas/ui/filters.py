"""Sidebar filters and map options, seeded from and written back to the URL."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from atlas.i18n import localized, t
from atlas.maps.explorer import MapOptions
from atlas.model import PROJECT_STATUSES
from atlas.query import Filters, donor_ids, implementer_ids, project_years
from atlas.snapshot import Snapshot
from atlas.ui.state import choose, current_currency, init_from_url

METRICS = ("funding", "reach", "projects")
COLOURS = ("donor", "sdg")


@dataclass(frozen=True)
class ExplorerView:
    filters: Filters
    options: MapOptions
    url: dict[str, object]


def year_bounds(snap: Snapshot) -> tuple[int, int]:
    years = [y for p in snap.table("projects").to_dict("records") for y in project_years(p) if y]
    return min(years), max(years)


def _reset(keys: list[str]) -> None:
    for key in keys:
        st.session_state.pop(key, None)
    st.query_params.clear()


def explorer_sidebar(snap: Snapshot, lang: str) -> ExplorerView:
    """Render the filters; returns what they select and the URL that reproduces it."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdg_table = snap.table("sdgs").set_index("goal")
    donors, implementers = donor_ids(snap), implementer_ids(snap)
    goals = [int(g) for g in sdg_table.index]
    lo, hi = year_bounds(snap)
    region_codes = sorted(regions, key=regions.__getitem__)

    init_from_url("f_donor", "donor", lambda v: choose(v, donors), [])
    init_from_url("f_sdg", "sdg", lambda v: choose(v, goals, int), [])
    init_from_url("f_region", "region", lambda v: choose(v, region_codes), [])
    init_from_url("f_impl", "impl", lambda v: choose(v, implementers), [])
    init_from_url("f_status", "status", lambda v: choose(v, PROJECT_STATUSES), [])
    init_from_url("f_years", "years",
                  lambda v: tuple(sorted(max(lo, min(hi, int(x))) for x in v[0].split("-"))),
                  (lo, hi))
    init_from_url("o_metric", "metric", lambda v: choose(v, METRICS)[0], "funding")
    init_from_url("o_colour", "colour", lambda v: choose(v, COLOURS)[0], "donor")
    init_from_url("o_tiles", "tiles", lambda v: v[0] == "1", False)
    init_from_url("o_flows", "flows", lambda v: v[0] == "1", False)

    with st.sidebar:
        st.header(t("filters", lang))
        st.multiselect(t("filter_donor", lang), donors, format_func=orgs.__getitem__,
                       key="f_donor", placeholder=t("all", lang))
        st.multiselect(
            t("filter_sdg", lang), goals, key="f_sdg", placeholder=t("all", lang),
            format_func=lambda g: f"{g}. {localized(sdg_table.loc[g], 'name', lang)}")
        st.multiselect(t("filter_region", lang), region_codes, format_func=regions.__getitem__,
                       key="f_region", placeholder=t("all", lang))
        st.multiselect(t("filter_implementer", lang), implementers,
                       format_func=orgs.__getitem__, key="f_impl", placeholder=t("all", lang))
        st.slider(t("filter_years", lang), lo, hi, key="f_years")
        st.multiselect(t("filter_status", lang), PROJECT_STATUSES, key="f_status",
                       format_func=lambda s: t(f"status_{s}", lang), placeholder=t("all", lang))
        st.divider()
        st.radio(t("shade_by", lang), METRICS, key="o_metric",
                 format_func=lambda m: t(f"metric_{m}", lang))
        st.radio(t("colour_by", lang), COLOURS, key="o_colour", horizontal=True,
                 format_func=lambda c: t(f"colour_{c}", lang))
        st.checkbox(t("show_flows", lang), key="o_flows")
        st.checkbox(t("tiles", lang), key="o_tiles")
        st.button(t("reset_filters", lang), on_click=_reset,
                  args=(["f_donor", "f_sdg", "f_region", "f_impl", "f_status", "f_years",
                         "o_metric", "o_colour", "o_tiles", "o_flows", "selected_project"],))

    ss = st.session_state
    years = tuple(ss.f_years)
    filters = Filters(
        donors=tuple(ss.f_donor), sdgs=tuple(ss.f_sdg), regions=tuple(ss.f_region),
        implementers=tuple(ss.f_impl), statuses=tuple(ss.f_status),
        years=None if years == (lo, hi) else (int(years[0]), int(years[1])),
    )
    options = MapOptions(metric=ss.o_metric, colour_by=ss.o_colour, lang=lang,
                         currency=current_currency(), web_tiles=bool(ss.o_tiles),
                         flows=bool(ss.o_flows))
    url: dict[str, object] = {
        "donor": list(ss.f_donor), "sdg": list(ss.f_sdg),
        "region": list(ss.f_region), "impl": list(ss.f_impl), "status": list(ss.f_status),
        "years": None if filters.years is None else f"{years[0]}-{years[1]}",
        "metric": None if ss.o_metric == "funding" else ss.o_metric,
        "colour": None if ss.o_colour == "donor" else ss.o_colour,
        "tiles": "1" if ss.o_tiles else None,
        "flows": "1" if ss.o_flows else None,
    }
    return ExplorerView(filters, options, url)
