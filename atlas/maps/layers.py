"""Base class for our GeoJSON layers: data in, one small Leaflet script out."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from branca.element import MacroElement
from markupsafe import Markup


def require_wgs84(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Leaflet takes longitude/latitude: refuse anything not in EPSG:4326."""
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{what} must be in EPSG:4326, got {gdf.crs}")


def feature_collection(gdf: gpd.GeoDataFrame, properties: list[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with only the listed properties (keeps the HTML small)."""
    subset = gdf[[*properties, "geometry"]]
    # Through to_json so missing values become null: a NaN would reach Leaflet as JS NaN.
    return json.loads(subset.to_json(na="null", drop_id=True))  # type: ignore[no-any-return]


def script_json(data: object, *, compact: bool = False) -> Markup:
    """JSON safe inside a <script> element: <, >, & and ' only occur inside JSON strings, so
    their \\u escapes keep the value and no text can end the script or open a comment."""
    separators = (",", ":") if compact else (", ", ": ")
    text = json.dumps(data, ensure_ascii=False, separators=separators, allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)


def shared_canvas(map_name: str) -> str:
    """JS for the one canvas renderer all our layers share on a map.

    Sites above an SVG region layer on a separate canvas would swallow every mouse event, so
    regions would never show their tooltips; on one canvas Leaflet hit-tests the topmost
    layer (sites, added last) and passes the rest to the regions beneath.
    """
    return f"({map_name}._atlasCanvas = {map_name}._atlasCanvas || L.canvas({{padding: 0.5}}))"


class GeoJsonLayer(MacroElement):
    """A named layer whose data is embedded as JSON (see ``script_json``)."""

    def __init__(self, data: dict[str, Any], name: str) -> None:
        super().__init__()
        self._name = name
        self.data = data
        self.layer_name = name
        # Serialized once: streamlit-folium renders the map's script again on every rerun.
        self.data_json = script_json(data)

    def render(self, **kwargs: Any) -> Any:
        assert self._parent is not None, "add the layer to a map before rendering"
        self.canvas = shared_canvas(self._parent.get_name())
        return super().render(**kwargs)
