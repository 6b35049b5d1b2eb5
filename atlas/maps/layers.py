"""Base class for our GeoJSON layers: data in, one small Leaflet script out."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from branca.element import MacroElement


def require_wgs84(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Leaflet takes longitude/latitude: refuse anything not in EPSG:4326."""
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{what} must be in EPSG:4326, got {gdf.crs}")


def feature_collection(gdf: gpd.GeoDataFrame, properties: list[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with only the listed properties (keeps the HTML small)."""
    subset = gdf[[*properties, "geometry"]]
    # Through to_json so missing values become null: a NaN would reach Leaflet as JS NaN.
    return json.loads(subset.to_json(na="null", drop_id=True))  # type: ignore[no-any-return]


class GeoJsonLayer(MacroElement):
    """A named layer whose data is embedded as JSON (escaped by Jinja's ``tojson``)."""

    def __init__(self, data: dict[str, Any], name: str) -> None:
        super().__init__()
        self._name = name
        self.data = data
        self.layer_name = name
