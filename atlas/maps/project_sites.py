"""A small map of one project's sites, complete offline (built like the explorer map).

The regions the project works in are shaded, every other region is neutral; the sites are
the explorer's markers (size: people reached, dashed: reach not stated) with their tooltips.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from atlas.maps.areas import areas_layer, pointless_sites
from atlas.maps.assets import offline_map
from atlas.maps.controls import TouchPopups
from atlas.maps.explorer import (
    MapOptions,
    fit_map,
    padded_bounds,
    region_frame,
    site_captions,
    site_points,
)
from atlas.maps.regions import regions_layer
from atlas.maps.sites import sites_layer
from atlas.query import share_columns
from atlas.snapshot import Snapshot


def project_sites_map(snap: Snapshot, project_id: str, lang: str = "en",
                      currency: str = "EUR", height: int = 320) -> folium.Map:
    """The sites of ``project_id`` on its regions, zoomed to the sites."""
    options = MapOptions(metric="projects", colour_by="donor", lang=lang, currency=currency,
                         height=height, shade_regions=False)
    shares = share_columns(snap, [project_id], (), currency)
    fmap = offline_map(lang, location=[48.0, 67.0], zoom_start=5, min_zoom=3, max_zoom=12,
                       zoom_snap=0.25, control_scale=True, scroll_wheel_zoom=False)
    regions_layer(region_frame(snap, shares, options)).add_to(fmap)
    areas = pointless_sites(snap, shares, lang).areas
    if not areas.empty:
        areas_layer(areas).add_to(fmap)
    points = site_points(snap, shares, options)
    if not points.empty:
        sites_layer(points, captions=site_captions(options)).add_to(fmap)
    # Zoomed to what is drawn: the points and the regions covered as a whole; a project that
    # works only nationwide is shown on the whole country.
    drawn = [frame.geometry for frame in (points, areas) if not frame.empty]
    if drawn:
        west, south, east, north = (float(v) for v in
                                    gpd.GeoSeries(pd.concat(drawn), crs="EPSG:4326").total_bounds)
        fit_map(fmap, padded_bounds((west, south, east, north)))
    else:
        fit_map(fmap, None)
    TouchPopups().add_to(fmap)  # after every layer with a tooltip
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#dfe8ee}</style>"))
    return fmap
