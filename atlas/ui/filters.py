"""Sidebar filters and map options, seeded from and written back to the URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import streamlit as st

from atlas.figures import format_number
from atlas.i18n import localized, t
from atlas.maps.explorer import MapOptions
from atlas.model import PROJECT_STATUSES
from atlas.query import Filters, choice_counts, donor_ids, implementer_ids, project_index
from atlas.snapshot import Snapshot
from atlas.ui.state import (
    Flag,
    ManyOf,
    OneOf,
    Param,
    YearSpan,
    current_currency,
    init_from_url,
    reset_url,
    url_value,
)

METRICS = ("funding", "reach", "projects")
COLOURS = ("donor", "sdg")

# The map's filters and options, on the explorer and the Present page alike.
DONOR, SDG, REGION = ManyOf("donor"), ManyOf("sdg", cast=int), ManyOf("region")
IMPLEMENTER, STATUS = ManyOf("impl"), ManyOf("status", PROJECT_STATUSES)
YEARS = YearSpan("years")
METRIC = OneOf("metric", METRICS, "funding")
COLOUR = OneOf("colour", COLOURS, "donor")
TILES, FLOWS = Flag("tiles"), Flag("flows")
MAP_PARAMS = (DONOR, SDG, REGION, IMPLEMENTER, STATUS, YEARS, METRIC, COLOUR, TILES, FLOWS)


@dataclass(frozen=True)
class ExplorerView:
    filters: Filters
    options: MapOptions
    url: dict[str, object]


def year_bounds(snap: Snapshot) -> tuple[int, int]:
    """The first and last year any project runs (the year slider's ends)."""
    index = project_index(snap)
    years = np.concatenate([index.start, index.end])
    years = years[~np.isnan(years)]
    if not years.size:  # no project has a date yet: a slider over this year alone
        return date.today().year, date.today().year
    return int(years.min()), int(years.max())


def _reset(keys: list[str]) -> None:
    for key in keys:
        st.session_state.pop(key, None)
    reset_url()  # language and currency stay


def _url_params(snap: Snapshot) -> dict[str, Param]:
    """Widget key -> its URL parameter, bound to the snapshot's choices: one table for both
    the sidebar (which seeds its widgets from it) and the presentation (which reads it alone)."""
    return {
        "f_donor": DONOR.among(donor_ids(snap)),
        "f_sdg": SDG.among(int(g) for g in snap.table("sdgs")["goal"]),
        "f_region": REGION.among(snap.region_names("en")),
        "f_impl": IMPLEMENTER.among(implementer_ids(snap)),
        "f_status": STATUS,
        "f_years": YEARS.within(*year_bounds(snap)),
        "o_metric": METRIC,
        "o_colour": COLOUR,
        "o_tiles": TILES,
        "o_flows": FLOWS,
    }


def _view(snap: Snapshot, values: Mapping[str, Any], lang: str) -> ExplorerView:
    """Filters, map options and URL from the widget values (keys of ``_url_params``)."""
    lo, hi = year_bounds(snap)
    years = tuple(values["f_years"])
    filters = Filters(
        donors=tuple(values["f_donor"]), sdgs=tuple(values["f_sdg"]),
        regions=tuple(values["f_region"]), implementers=tuple(values["f_impl"]),
        statuses=tuple(values["f_status"]),
        years=None if years == (lo, hi) else (int(years[0]), int(years[1])),
    )
    options = MapOptions(metric=values["o_metric"], colour_by=values["o_colour"], lang=lang,
                         currency=current_currency(), web_tiles=bool(values["o_tiles"]),
                         flows=bool(values["o_flows"]))
    url: dict[str, object] = {
        "donor": list(values["f_donor"]), "sdg": list(values["f_sdg"]),
        "region": list(values["f_region"]), "impl": list(values["f_impl"]),
        "status": list(values["f_status"]),
        "years": None if filters.years is None else f"{years[0]}-{years[1]}",
        "metric": None if values["o_metric"] == "funding" else values["o_metric"],
        "colour": None if values["o_colour"] == "donor" else values["o_colour"],
        "tiles": "1" if values["o_tiles"] else None,
        "flows": "1" if values["o_flows"] else None,
    }
    return ExplorerView(filters, options, url)


def url_view(snap: Snapshot, lang: str) -> ExplorerView:
    """The view the URL describes, without drawing any widget (the presentation's view)."""
    values = {key: url_value(param) for key, param in _url_params(snap).items()}
    return _view(snap, values, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def _choice_counts(_snap: Snapshot, version: str, snap_id: int,
                   filters: Filters) -> dict[str, dict[Any, int]]:
    """``choice_counts`` once per data version and filter state (callers only read it)."""
    return choice_counts(_snap, filters)


@dataclass(frozen=True)
class CountedChoices:
    """A filter list's choices with how many projects each would give: those with none last,
    each labelled "name (n)" in the viewer's language."""

    options: list[Any]
    labels: dict[Any, str]

    def label(self, choice: Any) -> str:
        """The label of ``choice`` (a choice no longer offered shows as itself)."""
        return self.labels.get(choice, str(choice))


def counted_choices(choices: list[Any], counts: Mapping[Any, int], name: Any,
                    lang: str) -> CountedChoices:
    """``choices`` in their order, those that give no project moved last; ``name`` gives a
    choice's name in ``lang``."""
    given = [c for c in choices if counts.get(c, 0)]
    none = [c for c in choices if not counts.get(c, 0)]
    labels = {c: t("choice_count", lang, name=name(c), n=format_number(counts.get(c, 0), lang))
              for c in choices}
    return CountedChoices(given + none, labels)


def years_help(counts: Mapping[Any, int], lang: str) -> str:
    """The year slider's help: how many projects run in each year with the other filters."""
    years = ", ".join(f"{y}: {format_number(n, lang)}" for y, n in sorted(counts.items()))
    return t("choices_help", lang) + "\n\n" + t("years_help", lang, years=years or "—")


def explorer_sidebar(snap: Snapshot, lang: str) -> ExplorerView:
    """Render the filters; returns what they select and the URL that reproduces it."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    sdg_table = snap.table("sdgs").set_index("goal")
    donors, implementers = donor_ids(snap), implementer_ids(snap)
    goals = [int(g) for g in sdg_table.index]
    lo, hi = year_bounds(snap)
    region_codes = sorted(regions, key=regions.__getitem__)
    params = _url_params(snap)
    for key, param in params.items():
        init_from_url(key, param)
    # The numbers beside the choices answer for the filters as they stand before this run's
    # widgets are drawn (a change made by a click is already in the session state).
    now = _view(snap, {key: st.session_state[key] for key in params}, lang).filters
    counts = _choice_counts(snap, snap.version, id(snap), now)
    lists = {
        "f_donor": counted_choices(donors, counts["donors"], orgs.__getitem__, lang),
        "f_sdg": counted_choices(
            goals, counts["sdgs"],
            lambda g: f"{g}. {localized(sdg_table.loc[g], 'name', lang)}", lang),
        "f_region": counted_choices(region_codes, counts["regions"], regions.__getitem__, lang),
        "f_impl": counted_choices(implementers, counts["implementers"], orgs.__getitem__, lang),
        "f_status": counted_choices(list(PROJECT_STATUSES), counts["statuses"],
                                    lambda s: t(f"status_{s}", lang), lang),
    }
    labels = {"f_donor": "filter_donor", "f_sdg": "filter_sdg", "f_region": "filter_region",
              "f_impl": "filter_implementer", "f_status": "filter_status"}

    def choice_list(key: str) -> None:
        choices = lists[key]
        # "Select all" is the same view as choosing none, and Streamlit writes it in English.
        st.multiselect(t(labels[key], lang), choices.options, format_func=choices.label,
                       key=key, placeholder=t("all", lang), select_all=False,
                       help=t("choices_help", lang))

    with st.sidebar:
        st.header(t("filters", lang))
        for key in ("f_donor", "f_sdg", "f_region", "f_impl"):
            choice_list(key)
        st.slider(t("filter_years", lang), lo, hi, key="f_years",
                  help=years_help(counts["years"], lang))
        choice_list("f_status")
        st.divider()
        st.radio(t("shade_by", lang), METRICS, key="o_metric",
                 format_func=lambda m: t(f"metric_{m}", lang))
        st.radio(t("colour_by", lang), COLOURS, key="o_colour", horizontal=True,
                 format_func=lambda c: t(f"colour_{c}", lang))
        st.checkbox(t("show_flows", lang), key="o_flows")
        st.checkbox(t("tiles", lang), key="o_tiles")
        st.button(t("reset_filters", lang), on_click=_reset,
                  args=([*params, "selected_project"],))

    return _view(snap, {key: st.session_state[key] for key in params}, lang)
