"""The explorer map: regions shaded by a metric, sites sized by people reached, a legend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.figures import Figure, format_figure, total
from atlas.flows import flow_legs
from atlas.i18n import localized, t
from atlas.maps import style
from atlas.maps.assets import offline_map
from atlas.maps.flows import flow_features, flows_layer, flows_legend
from atlas.maps.legend import Legend, LegendSection, Swatch
from atlas.maps.regions import regions_layer
from atlas.maps.sites import MAX_SEPARATE_SITES, MIXED_COLOUR, sites_layer
from atlas.maps.sites import site_captions as layer_captions
from atlas.query import (
    Filters,
    donor_ids,
    filtered_site_shares,
    primary_donor,
    region_totals,
)
from atlas.snapshot import Snapshot

Metric = Literal["funding", "reach", "projects"]
ColourBy = Literal["donor", "sdg"]
KAZAKHSTAN_BOUNDS = [[40.6, 46.5], [55.4, 87.3]]
Bounds = tuple[float, float, float, float]  # west, south, east, north (EPSG:4326)
# Room around a group of sites: a share of their extent, and at least a degree, so that one
# site alone is shown with its surroundings rather than at street level.
PADDING_SHARE, MIN_PADDING_DEGREES = 0.2, 1.0
LARGE_PRINT_SCALE, LARGE_PRINT_LEGEND_PX = 1.35, 15
MAX_LABELLED_SITES = 12


@dataclass(frozen=True)
class MapOptions:
    """How the explorer map is drawn (the filters decide what)."""

    metric: Metric = "funding"
    colour_by: ColourBy = "donor"
    lang: str = "en"
    currency: str = "EUR"
    web_tiles: bool = False
    flows: bool = False
    height: int = 540
    # West, south, east, north (EPSG:4326) to move the map to; None shows the whole country.
    bounds: Bounds | None = None
    # False: regions where the view works get one light fill instead of the metric's classes
    # (a single project's map, where one class would be the darkest blue and hide its sites).
    shade_regions: bool = True
    # For a projector: a larger legend, larger markers and stronger region borders.
    large_print: bool = False


def padded_bounds(bounds: Bounds) -> Bounds:
    """``bounds`` with room around them (see PADDING_SHARE)."""
    west, south, east, north = bounds
    pad_x = max(MIN_PADDING_DEGREES, PADDING_SHARE * (east - west))
    pad_y = max(MIN_PADDING_DEGREES, PADDING_SHARE * (north - south))
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


def fit_map(fmap: folium.Map, bounds: Bounds | None) -> None:
    """Move ``fmap`` to ``bounds`` (never closer than zoom 8), or to the whole country."""
    if bounds is None:
        fmap.fit_bounds(KAZAKHSTAN_BOUNDS)
    else:
        west, south, east, north = bounds
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=8)


def primary_sdg(snap: Snapshot, project_id: str) -> int | None:
    sdgs = snap.table("project_sdgs")
    rows = sdgs.loc[sdgs["project_id"] == project_id].sort_values("rank")
    return None if rows.empty else int(rows["goal"].iloc[0])


ProjectColours = dict[str, tuple[str | int | None, str]]
UNCOLOURED = style.UNCOLOURED


def project_colours(
    snap: Snapshot, project_ids: Iterable[str], colour_by: ColourBy
) -> ProjectColours:
    """Per project: what its sites are coloured by (donor id or main SDG) and that colour."""
    out: ProjectColours = {}
    if colour_by == "sdg":
        sdg_colours = dict(zip(snap.table("sdgs")["goal"], snap.table("sdgs")["colour"],
                               strict=True))
        for pid in dict.fromkeys(project_ids):
            goal = primary_sdg(snap, pid)
            out[pid] = (goal, sdg_colours.get(goal, UNCOLOURED) if goal else UNCOLOURED)
    else:
        donors = donor_ids(snap)
        palette = style.donor_palette(donors)
        for pid in dict.fromkeys(project_ids):
            donor = primary_donor(snap, pid, set(donors))
            out[pid] = (donor, palette.get(donor, UNCOLOURED) if donor else UNCOLOURED)
    return out


def _metric_figure(row: pd.Series | None, metric: Metric) -> Figure:
    if row is None:
        return Figure.unknown()
    if metric == "projects":
        return Figure(float(row["projects"]))
    return row["funding"] if metric == "funding" else row["reach"]


def region_frame(snap: Snapshot, shares: pd.DataFrame, options: MapOptions) -> gpd.GeoDataFrame:
    """Display regions with the chosen metric, its class colour, and an escaped tooltip."""
    lang, metric = options.lang, options.metric
    totals = region_totals(shares).set_index("code")
    regions = snap.regions.copy()
    figures = [
        _metric_figure(totals.loc[c] if c in totals.index else None, metric)
        for c in regions["code"]
    ]
    values = [f.value or 0.0 for f in figures]
    breaks = style.class_breaks(values)
    regions["figure"] = figures
    regions["value"] = values
    fills = []
    tooltips = []
    for code, name, value in zip(regions["code"], regions[f"name_{lang}"], values, strict=True):
        has_projects = code in totals.index
        if not has_projects:
            fill = style.NO_DATA
        elif not options.shade_regions:
            fill = style.CONTEXT_FILL
        elif value > 0:
            fill = style.class_colour(value, breaks)
        else:
            fill = style.NOT_STATED
        fills.append(fill)
        lines = [f"<b>{escape(name)}</b>"]
        if has_projects:
            row = totals.loc[code]
            lines.append(f"{escape(t('kpi_projects', lang))}: {int(row['projects'])}")
            lines.append(f"{escape(t('kpi_funding', lang))}: "
                         f"{escape(format_figure(row['funding'], lang, options.currency))}")
            lines.append(f"{escape(t('kpi_reach', lang))}: "
                         f"{escape(format_figure(row['reach'], lang))}")
        else:
            lines.append(escape(t("legend_no_data", lang)))
        tooltips.append("<br>".join(lines))
    regions["fill"] = fills
    regions["tooltip"] = tooltips
    regions["style"] = [
        {"fillColor": f, "color": style.BORDER, "weight": 1.6 if options.large_print else 1,
         "fillOpacity": 0.85}
        for f in fills
    ]
    regions.attrs["breaks"] = breaks
    return regions


def _localized_column(table: pd.DataFrame, field: str, lang: str) -> pd.Series:
    """``field_<lang>`` of every row, English where the translation is missing (as
    ``localized`` does for one record)."""
    own = table.get(f"{field}_{lang}")
    english = table[f"{field}_en"].fillna("").astype(str)
    if own is None:
        return english
    own = own.fillna("").astype(str)
    return own.where(own != "", english)


def _figure_texts(figures: Sequence[Figure], lang: str, unit: str = "") -> list[str]:
    """``format_figure`` of each figure, formatted once per distinct (value, qualifier,
    derived): the figures are factorized as columns, not hashed one dataclass at a time."""
    if not len(figures):
        return []
    keys = pd.DataFrame({
        "value": [f.value for f in figures],
        "qualifier": [f.qualifier.value for f in figures],
        "derived": [f.derived for f in figures],
    })
    codes = keys.groupby(["value", "qualifier", "derived"], sort=False, dropna=False).ngroup()
    codes_array = codes.to_numpy()
    firsts = np.unique(codes_array, return_index=True)[1]
    texts = np.array([format_figure(figures[i], lang, unit) for i in firsts], dtype=object)
    return list(texts[codes_array])


POINT_COLUMNS = ["site_ids", "project_ids", "project_id", "reach_value", "fill", "label", "name",
                 "title", "funding_text", "reach_text", "precision_text"]


def site_points(snap: Snapshot, shares: pd.DataFrame, options: MapOptions,
                colours: ProjectColours | None = None) -> gpd.GeoDataFrame:
    """One marker per project and place: sites of a project at the same point are merged.

    Whole-column work: one pass groups the shares by (project, lon, lat); only places with
    several sites of one project sum their figures one by one.
    """
    lang = options.lang
    if colours is None:
        colours = project_colours(snap, shares["project_id"], options.colour_by)
    sites = snap.sites
    info = pd.DataFrame({
        "lon": sites["lon"].to_numpy(), "lat": sites["lat"].to_numpy(),
        "precision": sites["precision"].to_numpy(),
        "name": _localized_column(sites, "name", lang).to_numpy(),
    }, index=sites["site_id"].to_numpy())
    frame = shares[["site_id", "project_id", "funding", "reach"]].join(info, on="site_id")
    frame = frame.dropna(subset=["lon", "lat"])
    # groupby(sort=True) order: by project, lon, lat; the shares' order within a place.
    frame = frame.sort_values(["project_id", "lon", "lat"], kind="stable")
    keys = frame[["project_id", "lon", "lat"]]
    starts = np.flatnonzero((keys != keys.shift()).any(axis=1).to_numpy())
    sizes = np.diff(np.append(starts, len(frame)))
    site_ids = frame["site_id"].to_numpy()
    names = frame["name"].to_numpy()
    funding = frame["funding"].to_numpy()[starts].copy()
    reach = frame["reach"].to_numpy()[starts].copy()
    group_ids = [[sid] for sid in site_ids[starts]]
    group_names = list(names[starts])
    labels = list(group_names)
    all_funding, all_reach = frame["funding"].to_numpy(), frame["reach"].to_numpy()
    for g in np.flatnonzero(sizes > 1):
        rows = slice(starts[g], starts[g] + sizes[g])
        funding[g] = total(all_funding[rows])
        reach[g] = total(all_reach[rows])
        group_ids[g] = list(site_ids[rows])
        group_names[g] = ", ".join(names[rows])
        # Several sites at one point (rural districts around one village) are named by
        # the first and a count, so the label stays short enough to read on a map.
        labels[g] = f"{names[starts[g]]} +{sizes[g] - 1}"
    projects = frame["project_id"].to_numpy()[starts]
    table = snap.table("projects")
    titles = dict(zip(table["project_id"], _localized_column(table, "title", lang), strict=True))
    precision_words = {p: t(f"precision_{p}", lang) for p in set(frame["precision"])}
    reach_values = [f.value if f.is_known else None for f in reach]
    known = np.array([v is not None for v in reach_values], dtype=bool)
    values = np.array([v if v is not None else 0.0 for v in reach_values], dtype=float)
    largest = float(values[known].max()) if known.any() else 0.0
    enlarge = LARGE_PRINT_SCALE if options.large_print else 1.0
    if largest > 0:
        sized = style.MIN_RADIUS + (style.MAX_RADIUS - style.MIN_RADIUS) * np.sqrt(
            np.maximum(values, 0) / largest)
    else:
        sized = np.full(len(values), style.UNKNOWN_RADIUS)
    radius = np.round(enlarge * np.where(known, sized, style.UNKNOWN_RADIUS), 2)
    frame_out = pd.DataFrame({
        "site_ids": group_ids,
        "project_ids": [[p] for p in projects],
        "project_id": projects,
        "reach_value": reach_values,
        "fill": [colours[p][1] for p in projects],
        "label": labels,
        "name": group_names,
        "title": [titles.get(p, "") for p in projects],
        "funding_text": _figure_texts(funding, lang, options.currency),
        "reach_text": _figure_texts(reach, lang),
        "precision_text": [precision_words[p]
                           for p in frame["precision"].to_numpy()[starts]],
        "radius": radius,
        "fill_opacity": np.where(known, 0.85, 0.35),
        "dash": [None if k else "3 3" for k in known],
    }, columns=[*POINT_COLUMNS, "radius", "fill_opacity", "dash"])
    lon = frame["lon"].to_numpy(dtype=float)[starts]
    lat = frame["lat"].to_numpy(dtype=float)[starts]
    return gpd.GeoDataFrame(frame_out, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def site_captions(options: MapOptions) -> dict[str, str]:
    """The words of a site's tooltip in the viewer's language (the layer adds the values)."""
    return layer_captions(options.lang)


def legend_sections(snap: Snapshot, regions: gpd.GeoDataFrame, colours: ProjectColours,
                    options: MapOptions, markers: int = 0) -> list[LegendSection]:
    """The legend: the regions' metric classes, the sites' colours and, when ``markers``
    (site markers on the map) are many enough to be drawn together, how they are."""
    lang = options.lang
    metric_key = {"funding": "metric_funding", "reach": "metric_reach",
                  "projects": "metric_projects"}[options.metric]
    breaks: Sequence[float] = regions.attrs.get("breaks", [])
    swatches = []
    lower = 0.0
    palette = style.SEQUENTIAL[-len(breaks):] if breaks else ()
    unit = options.currency if options.metric == "funding" else ""
    for colour, upper in zip(palette, breaks, strict=False):
        low_text = format_figure(Figure(lower), lang)
        up_text = format_figure(Figure(upper), lang, unit)
        label = up_text if lower == 0 and options.metric == "projects" else \
            f"{low_text} – {up_text}"
        swatches.append(Swatch(colour, label))
        lower = upper
    swatches.append(Swatch(style.NOT_STATED, t("legend_unknown_reach", lang)
                           if options.metric == "reach" else format_figure(Figure.unknown(), lang)))
    swatches.append(Swatch(style.NO_DATA, t("legend_no_data", lang)))
    metric_title = t(metric_key, lang) + (f" ({options.currency})" if unit else "")
    if not options.shade_regions:
        metric_title = t("legend_regions", lang)
        swatches = [Swatch(style.CONTEXT_FILL, t("legend_regions_worked", lang)),
                    Swatch(style.NO_DATA, t("legend_no_data", lang))]
    sections = [LegendSection(metric_title, tuple(swatches))]
    if options.colour_by == "donor":
        names = snap.organization_names(lang)
        used = sorted({(str(key), colour) for key, colour in colours.values() if key})
        site_swatches = tuple(Swatch(colour, names[d], "circle") for d, colour in used)
        title = f"{t('legend_sites', lang)} — {t('colour_donor', lang)}"
    else:
        sdg_table = snap.table("sdgs").set_index("goal")
        goals = sorted({int(key) for key, _ in colours.values() if key})
        site_swatches = tuple(
            Swatch(sdg_table.at[g, "colour"], f"{g}. {localized(sdg_table.loc[g], 'name', lang)}",
                   "circle") for g in goals)
        title = f"{t('legend_sites', lang)} — {t('colour_sdg', lang)}"
    site_swatches += (Swatch("#ffffff", t("legend_unknown_reach", lang), "circle",
                             outline_dashed=True),)
    note = ""
    if markers > MAX_SEPARATE_SITES:
        # The sites layer draws nearby sites as one circle from this many markers on.
        site_swatches += (Swatch(MIXED_COLOUR, t("legend_cluster_mixed", lang), "circle"),)
        note = t("legend_cluster_rule", lang)
    sections.append(LegendSection(title, site_swatches, note))
    return sections


@dataclass(frozen=True)
class MapLayers:
    """What a map of a filtered view draws, in EPSG:4326, whatever draws it.

    The interactive map (folium) and the printed one (matplotlib) are both drawn from this, so
    an export shows exactly what the explorer shows.
    """

    regions: gpd.GeoDataFrame  # with ``fill``, ``figure`` and ``tooltip``
    points: gpd.GeoDataFrame  # see ``site_points``
    flows: gpd.GeoDataFrame | None  # see ``flow_features``; None when the layer is off
    legend: list[LegendSection]


def map_layers(snap: Snapshot, filters: Filters, options: MapOptions) -> MapLayers:
    """Regions, sites, flows (if asked) and the legend of a filtered view."""
    shares = filtered_site_shares(snap, filters, options.currency)
    regions = region_frame(snap, shares, options)
    colours = project_colours(snap, shares["project_id"], options.colour_by)
    points = site_points(snap, shares, options, colours)
    sections = legend_sections(snap, regions, colours, options, len(points))
    features = None
    if options.flows:
        flow_map = flow_legs(snap, filters, options.currency)
        features = flow_features(snap, flow_map, options.lang, options.currency)
        if not features.empty:
            sections.append(flows_legend(snap, flow_map, features, options.lang,
                                         options.currency))
    return MapLayers(regions, points, features, sections)


def explorer_map(snap: Snapshot, filters: Filters, options: MapOptions) -> folium.Map:
    """The whole explorer map for a filtered view; complete offline (tiles only if asked)."""
    layers = map_layers(snap, filters, options)
    fmap = offline_map(location=[48.0, 67.0], zoom_start=5, min_zoom=3, max_zoom=12,
                       zoom_snap=0.25, control_scale=True)
    if options.web_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", opacity=0.6).add_to(fmap)
    regions_layer(layers.regions).add_to(fmap)
    if layers.flows is not None and not layers.flows.empty:
        flows_layer(layers.flows).add_to(fmap)
    if not layers.points.empty:
        # Names beside the sites when there are few enough to read them from the back row.
        labels = options.large_print and len(layers.points) <= MAX_LABELLED_SITES
        enlarge = LARGE_PRINT_SCALE if options.large_print else 1.0
        sites_layer(layers.points, labels=labels, captions=site_captions(options),
                    radius_floor=style.MIN_RADIUS * enlarge).add_to(fmap)
    Legend(layers.legend, t("legend", options.lang),
           font_px=LARGE_PRINT_LEGEND_PX if options.large_print else 11).add_to(fmap)
    fit_map(fmap, options.bounds)
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#dfe8ee}</style>"))
    return fmap
