"""A small map of one project's sites, complete offline (built like the explorer map).

The regions the project works in are shaded, every other region is neutral; the sites are
the explorer's markers (size: people reached, dashed: reach not stated) with their tooltips.
"""

from __future__ import annotations

import folium

from atlas.maps import style
from atlas.maps.assets import offline_map
from atlas.maps.explorer import KAZAKHSTAN_BOUNDS, MapOptions, region_frame, site_points
from atlas.maps.regions import regions_layer
from atlas.maps.sites import sites_layer
from atlas.query import site_shares
from atlas.snapshot import Snapshot

PROJECT_REGION = style.CONTEXT_FILL
# Room around the sites: a share of their extent, at least enough that one site alone is
# shown with its surroundings rather than at street level.
PADDING_SHARE, MIN_PADDING_DEGREES = 0.2, 1.0


def project_sites_map(snap: Snapshot, project_id: str, lang: str = "en",
                      currency: str = "EUR", height: int = 320) -> folium.Map:
    """The sites of ``project_id`` on its regions, zoomed to the sites."""
    options = MapOptions(metric="projects", colour_by="donor", lang=lang, currency=currency,
                         height=height, shade_regions=False)
    shares = site_shares(snap, [project_id], (), currency)
    fmap = offline_map(location=[48.0, 67.0], zoom_start=5, min_zoom=3, max_zoom=12,
                       zoom_snap=0.25, control_scale=True, scroll_wheel_zoom=False)
    regions_layer(region_frame(snap, shares, options)).add_to(fmap)
    points = site_points(snap, shares, options)
    if points.empty:
        fmap.fit_bounds(KAZAKHSTAN_BOUNDS)
    else:
        sites_layer(points).add_to(fmap)
        west, south, east, north = points.total_bounds
        pad_x = max(MIN_PADDING_DEGREES, PADDING_SHARE * (east - west))
        pad_y = max(MIN_PADDING_DEGREES, PADDING_SHARE * (north - south))
        fmap.fit_bounds([[south - pad_y, west - pad_x], [north + pad_y, east + pad_x]],
                        max_zoom=8)
    fmap.get_root().header.add_child(folium.Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#dfe8ee}</style>"))
    return fmap
