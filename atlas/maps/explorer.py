"""The explorer map: regions shaded by a metric, sites sized by people reached, a legend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Literal, TypeAlias

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.figures import UNKNOWN_STRENGTH, Figure, FigureColumns, format_figure, group_totals
from atlas.flows import flow_legs
from atlas.i18n import localized, t
from atlas.maps import style
from atlas.maps.areas import areas_layer, pointless_legend, pointless_sites
from atlas.maps.assets import offline_map
from atlas.maps.controls import FitView, TouchPopups
from atlas.maps.flows import flow_features, flows_layer, flows_legend
from atlas.maps.legend import Legend, LegendSection, Swatch
from atlas.maps.regions import regions_layer
from atlas.maps.sites import MAX_SEPARATE_SITES, MIXED_COLOUR, sites_layer
from atlas.maps.sites import site_captions as layer_captions
from atlas.maps.texts import localized_texts
from atlas.query import (
    Filters,
    ShareColumns,
    donor_ids,
    donor_ranking,
    filtered_share_columns,
    flow_book,
)
from atlas.query import _region_totals as region_totals_of_columns
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
LEGEND_NEVER_OPEN = 1_000_000  # a map width no screen reaches


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
    # The legend starts folded whatever the map's width (a tour's step: open on demand).
    legend_closed: bool = False


def padded_bounds(bounds: Bounds) -> Bounds:
    """``bounds`` with room around them (see PADDING_SHARE)."""
    west, south, east, north = bounds
    pad_x = max(MIN_PADDING_DEGREES, PADDING_SHARE * (east - west))
    pad_y = max(MIN_PADDING_DEGREES, PADDING_SHARE * (north - south))
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


# A map fitted to a group of sites comes no closer than this.
FIT_MAX_ZOOM = 8


def fit_map(fmap: folium.Map, bounds: Bounds | None) -> None:
    """Move ``fmap`` to ``bounds`` (never closer than zoom 8), or to the whole country, clear
    of its legend where that is open (see ``FitView``; add the legend first)."""
    if bounds is None:
        FitView(KAZAKHSTAN_BOUNDS).add_to(fmap)
    else:
        west, south, east, north = bounds
        FitView([[south, west], [north, east]], FIT_MAX_ZOOM, around_markers=True).add_to(fmap)


def primary_sdgs(snap: Snapshot) -> dict[str, int]:
    """Project id -> its main SDG (the goal of lowest rank), for every project that has one.

    Built once per snapshot: looking up each project's rows of ``project_sdgs`` in turn made a
    map of 20,000 projects take minutes.
    """
    def build() -> dict[str, int]:
        sdgs = snap.table("project_sdgs")
        firsts = sdgs.sort_values("rank", kind="stable").drop_duplicates("project_id")
        return dict(zip(firsts["project_id"].tolist(), firsts["goal"].astype(int).tolist(),
                        strict=True))

    return snap.derived("maps.primary_sdgs", build)


def primary_sdg(snap: Snapshot, project_id: str) -> int | None:
    """The project's main SDG (see ``primary_sdgs``), None when it names none."""
    return primary_sdgs(snap).get(project_id)


def primary_donors(snap: Snapshot) -> dict[str, str]:
    """Project id -> ``primary_donor`` (among all donors), for every project that has one.

    Built once per snapshot from whole columns: the donor whose counted money is largest
    (ties: the greater org id), else the first funding participant in table order.
    """
    def build() -> dict[str, str]:
        donors = set(donor_ids(snap))
        counted = flow_book(snap, "EUR").counted
        flows = pd.DataFrame(
            [(f.project_id, f.from_org_id, f.figure.value or 0.0)
             for mine in counted.values() for f in mine],
            columns=["project_id", "org_id", "value"])
        flows = flows.loc[flows["org_id"].isin(donors)]
        largest = flows.sort_values(["project_id", "value", "org_id"], kind="stable") \
            .drop_duplicates("project_id", keep="last")
        parts = snap.table("participants")
        first_funders = parts.loc[parts["org_id"].isin(donors)] \
            .drop_duplicates("project_id", keep="first")
        out = dict(zip(first_funders["project_id"].tolist(),
                       first_funders["org_id"].astype(str).tolist(), strict=True))
        out.update(zip(largest["project_id"].tolist(), largest["org_id"].tolist(),
                       strict=True))
        return out

    return snap.derived("maps.primary_donors", build)


ProjectColours = dict[str, tuple[str | int | None, str]]
UNCOLOURED = style.UNCOLOURED


def project_colours(
    snap: Snapshot, project_ids: Iterable[str], colour_by: ColourBy
) -> ProjectColours:
    """Per project: what its sites are coloured by (donor id or main SDG) and that colour."""
    keys: dict[str, str] | dict[str, int]
    if colour_by == "sdg":
        palette: dict[Any, str] = dict(zip(snap.table("sdgs")["goal"],
                                           snap.table("sdgs")["colour"], strict=True))
        keys = primary_sdgs(snap)
    else:
        palette = style.donor_palette(donor_ranking(snap))
        keys = primary_donors(snap)
    out: ProjectColours = {}
    for pid in pd.unique(np.asarray(project_ids, dtype=object)).tolist():
        key = keys.get(pid)
        out[pid] = (key, palette.get(key, UNCOLOURED) if key else UNCOLOURED)
    return out


def _metric_figure(row: pd.Series | None, metric: Metric) -> Figure:
    if row is None:
        return Figure.unknown()
    if metric == "projects":
        return Figure(float(row["projects"]))
    return row["funding"] if metric == "funding" else row["reach"]


Shares: TypeAlias = pd.DataFrame | ShareColumns  # a view's site shares, as a frame or as columns


def share_columns_of(snap: Snapshot, shares: Shares) -> ShareColumns:
    """``shares`` as columns (a ``site_shares`` frame is converted once, its figures too)."""
    if isinstance(shares, ShareColumns):
        return shares
    site_ids = shares["site_id"].to_numpy(dtype=object)
    return ShareColumns(
        rows=pd.Index(snap.sites["site_id"]).get_indexer(site_ids),
        site_ids=site_ids,
        project_ids=shares["project_id"].to_numpy(dtype=object),
        region_codes=shares["region_code"].to_numpy(dtype=object),
        sites_in_project=shares["sites_in_project"].to_numpy(),
        funding=FigureColumns.of(shares["funding"]),
        reach=FigureColumns.of(shares["reach"]),
    )


def region_frame(snap: Snapshot, shares: Shares, options: MapOptions) -> gpd.GeoDataFrame:
    """Display regions with the chosen metric, its class colour, and an escaped tooltip."""
    lang, metric = options.lang, options.metric
    columns = share_columns_of(snap, shares)
    totals = region_totals_of_columns(columns.region_codes, columns.project_ids,
                                      columns.funding, columns.reach).set_index("code")
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


def _figure_texts(figures: FigureColumns, lang: str, unit: str = "") -> np.ndarray:
    """``format_figure`` of each figure, formatted once per distinct (value, qualifier,
    derived): the columns are factorized, no Figure is made per row."""
    if not len(figures):
        return np.array([], dtype=object)
    keys = pd.DataFrame({"value": figures.value, "strength": figures.strength,
                         "derived": figures.derived})
    codes = keys.groupby(["value", "strength", "derived"], sort=False, dropna=False).ngroup()
    codes_array = codes.to_numpy()
    firsts = np.unique(codes_array, return_index=True)[1]
    texts = np.array([format_figure(f, lang, unit) for f in figures.take(firsts).figures()],
                     dtype=object)
    return texts[codes_array]


POINT_COLUMNS = ["site_ids", "project_ids", "project_id", "reach_value", "fill", "label", "name",
                 "title", "funding_text", "reach_text", "precision_text"]


def site_points(snap: Snapshot, shares: Shares, options: MapOptions,
                colours: ProjectColours | None = None) -> gpd.GeoDataFrame:
    """One marker per project and place: sites of a project at the same point are merged.

    Whole-column work: one sort groups the shares by (project, lon, lat) and the figures of
    each group are totalled as columns; only places with several sites of one project join
    their names one by one.
    """
    lang = options.lang
    shares = share_columns_of(snap, shares)
    if colours is None:
        colours = project_colours(snap, shares.project_ids, options.colour_by)
    sites = snap.sites
    rows = shares.rows
    known_row = rows >= 0
    lon = np.where(known_row, sites["lon"].to_numpy(dtype=float)[rows], np.nan)
    lat = np.where(known_row, sites["lat"].to_numpy(dtype=float)[rows], np.nan)
    located = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    # groupby(sort=True) order: by project, lon, lat; the shares' order within a place.
    keys = pd.DataFrame({"project_id": pd.Series(shares.project_ids[located], dtype=object),
                         "lon": lon[located], "lat": lat[located]})
    keys = keys.sort_values(["project_id", "lon", "lat"], kind="stable")
    order = located[keys.index.to_numpy()]
    starts = np.flatnonzero((keys != keys.shift()).any(axis=1).to_numpy())
    sizes = np.diff(np.append(starts, len(order)))
    group_of_row = np.repeat(np.arange(len(starts)), sizes)
    funding = group_totals(shares.funding.take(order), group_of_row, len(starts))
    reach = group_totals(shares.reach.take(order), group_of_row, len(starts))
    site_ids = shares.site_ids[order]
    sorted_rows = rows[order]
    names = localized_texts(snap, "sites", "name", lang)[sorted_rows]
    group_ids = [[sid] for sid in site_ids[starts].tolist()]
    group_names = names[starts].tolist()
    labels = list(group_names)
    for g in np.flatnonzero(sizes > 1).tolist():
        group_rows = slice(starts[g], starts[g] + sizes[g])
        group_ids[g] = site_ids[group_rows].tolist()
        group_names[g] = ", ".join(names[group_rows])
        # Several sites at one point (rural districts around one village) are named by
        # the first and a count, so the label stays short enough to read on a map.
        labels[g] = f"{names[starts[g]]} +{sizes[g] - 1}"
    projects = shares.project_ids[order][starts]
    project_series = pd.Series(projects, dtype=object)
    table = snap.table("projects")
    titles = dict(zip(table["project_id"].tolist(),
                      localized_texts(snap, "projects", "title", lang).tolist(), strict=True))
    precision = sites["precision"].to_numpy(dtype=object)[sorted_rows[starts]]
    precision_words = {p: t(f"precision_{p}", lang) for p in set(precision.tolist())}
    known = reach.strength != UNKNOWN_STRENGTH
    values = np.where(known, reach.value, 0.0)
    largest = float(values[known].max()) if known.any() else 0.0
    enlarge = LARGE_PRINT_SCALE if options.large_print else 1.0
    if largest > 0:
        sized = style.MIN_RADIUS + (style.MAX_RADIUS - style.MIN_RADIUS) * np.sqrt(
            np.maximum(values, 0) / largest)
    else:
        sized = np.full(len(values), style.UNKNOWN_RADIUS)
    radius = np.round(enlarge * np.where(known, sized, style.UNKNOWN_RADIUS), 2)
    fills = {pid: colour for pid, (_, colour) in colours.items()}
    frame_out = pd.DataFrame({
        "site_ids": pd.Series(group_ids, dtype=object),
        "project_ids": pd.Series([[p] for p in projects.tolist()], dtype=object),
        "project_id": project_series,
        "reach_value": pd.Series(reach.value, dtype=object).where(known, None),
        "fill": project_series.map(fills),
        "label": pd.Series(labels, dtype=object),
        "name": pd.Series(group_names, dtype=object),
        "title": project_series.map(titles).fillna(""),
        "funding_text": pd.Series(_figure_texts(funding, lang, options.currency), dtype=object),
        "reach_text": pd.Series(_figure_texts(reach, lang), dtype=object),
        "precision_text": pd.Series(precision, dtype=object).map(precision_words),
        "radius": radius,
        "fill_opacity": np.where(known, 0.85, 0.35),
        "dash": pd.Series(np.full(len(known), "3 3", dtype=object)).where(~known, None),
    }, columns=[*POINT_COLUMNS, "radius", "fill_opacity", "dash"])
    return gpd.GeoDataFrame(frame_out, geometry=gpd.points_from_xy(lon[order][starts],
                                                                   lat[order][starts]),
                            crs="EPSG:4326")


def site_captions(options: MapOptions) -> dict[str, str]:
    """The words of a site's tooltip in the viewer's language (the layer adds the values)."""
    return layer_captions(options.lang)


def legend_sections(snap: Snapshot, regions: gpd.GeoDataFrame, colours: ProjectColours,
                    options: MapOptions, markers: int = 0,
                    unstated_reach: bool = True) -> list[LegendSection]:
    """The legend: the regions' metric classes, the sites' colours and, when ``markers``
    (site markers on the map) are many enough to be drawn together, how they are.

    The "not stated" swatches are listed only when the map shows one (a region filled so, or
    ``unstated_reach``: a site drawn dashed): an empty view lists no "unknown"."""
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
    if "fill" not in regions or (regions["fill"] == style.NOT_STATED).any():
        swatches.append(Swatch(style.NOT_STATED, t("legend_unknown_reach", lang)
                               if options.metric == "reach"
                               else format_figure(Figure.unknown(), lang)))
    swatches.append(Swatch(style.NO_DATA, t("legend_no_data", lang)))
    metric_title = t(metric_key, lang) + (f" ({options.currency})" if unit else "")
    if not options.shade_regions:
        metric_title = t("legend_regions", lang)
        swatches = [Swatch(style.CONTEXT_FILL, t("legend_regions_worked", lang)),
                    Swatch(style.NO_DATA, t("legend_no_data", lang))]
    sections = [LegendSection(metric_title, tuple(swatches))]
    if options.colour_by == "donor":
        names = snap.organization_names(lang)
        used = {(str(key), colour) for key, colour in colours.values() if key}
        # Donors past the palette share one grey swatch: a legend of 50 donors in one colour
        # would fill the map and tell them apart no better.
        others = {d for d, colour in used if colour == UNCOLOURED}
        site_swatches = tuple(Swatch(colour, names[d], "circle")
                              for d, colour in sorted(used) if d not in others)
        if others:
            site_swatches += (Swatch(UNCOLOURED, t("other_donors", lang, n=len(others)),
                                     "circle"),)
        title = f"{t('legend_sites', lang)} — {t('colour_donor', lang)}"
    else:
        sdg_table = snap.table("sdgs").set_index("goal")
        goals = sorted({int(key) for key, _ in colours.values() if key})
        site_swatches = tuple(
            Swatch(sdg_table.at[g, "colour"], f"{g}. {localized(sdg_table.loc[g], 'name', lang)}",
                   "circle") for g in goals)
        title = f"{t('legend_sites', lang)} — {t('colour_sdg', lang)}"
    if unstated_reach:
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
    # Regions a project covers as a whole (``PointlessSites.areas``); None: none in view.
    areas: gpd.GeoDataFrame | None = None


def map_layers(snap: Snapshot, filters: Filters, options: MapOptions) -> MapLayers:
    """Regions, sites, flows (if asked) and the legend of a filtered view."""
    shares = filtered_share_columns(snap, filters, options.currency)
    regions = region_frame(snap, shares, options)
    colours = project_colours(snap, shares.project_ids, options.colour_by)
    points = site_points(snap, shares, options, colours)
    unstated = bool(points["reach_value"].isna().any()) if "reach_value" in points else True
    sections = legend_sections(snap, regions, colours, options, len(points), unstated)
    pointless = pointless_sites(snap, shares, options.lang)
    pointless_section = pointless_legend(pointless, options.lang)
    if pointless_section is not None:
        sections.append(pointless_section)
    features = None
    if options.flows:
        flow_map = flow_legs(snap, filters, options.currency)
        features = flow_features(snap, flow_map, options.lang, options.currency)
        if not features.empty:
            sections.append(flows_legend(snap, flow_map, features, options.lang,
                                         options.currency))
    return MapLayers(regions, points, features, sections,
                     pointless.areas if not pointless.areas.empty else None)


def explorer_map(snap: Snapshot, filters: Filters, options: MapOptions) -> folium.Map:
    """The whole explorer map for a filtered view; complete offline (tiles only if asked)."""
    layers = map_layers(snap, filters, options)
    fmap = offline_map(options.lang, location=[48.0, 67.0], zoom_start=5, min_zoom=3,
                       max_zoom=12, zoom_snap=0.25, control_scale=True)
    if options.web_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", opacity=0.6).add_to(fmap)
    regions_layer(layers.regions).add_to(fmap)
    if layers.areas is not None:
        areas_layer(layers.areas).add_to(fmap)
    if layers.flows is not None and not layers.flows.empty:
        flows_layer(layers.flows).add_to(fmap)
    if not layers.points.empty:
        # Names beside the sites when there are few enough to read them from the back row.
        labels = options.large_print and len(layers.points) <= MAX_LABELLED_SITES
        enlarge = LARGE_PRINT_SCALE if options.large_print else 1.0
        sites_layer(layers.points, labels=labels, captions=site_captions(options),
                    radius_floor=style.MIN_RADIUS * enlarge).add_to(fmap)
    Legend(layers.legend, t("legend", options.lang),
           font_px=LARGE_PRINT_LEGEND_PX if options.large_print else 11,
           **({"open_from_width": LEGEND_NEVER_OPEN} if options.legend_closed else {})
           ).add_to(fmap)
    fit_map(fmap, options.bounds)
    TouchPopups().add_to(fmap)  # after every layer with a tooltip
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#dfe8ee}</style>"))
    return fmap
