"""Base class for our GeoJSON layers: data in, one small Leaflet script out."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from markupsafe import Markup


def require_wgs84(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Leaflet takes longitude/latitude: refuse anything not in EPSG:4326."""
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{what} must be in EPSG:4326, got {gdf.crs}")


# GeoJSON geometry by the digest of the shapes' WKB: the 20 regions are the same shapes on
# every map of a data version, and turning them into JSON took most of a map's build time.
_GEOMETRY_JSON: dict[bytes, list[dict[str, Any]]] = {}
_GEOMETRY_JSON_LIMIT = 16


def _geometry_json(gdf: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The GeoJSON geometry of each row, as geopandas writes it (computed once per shapes)."""
    digest = hashlib.sha256(b"".join(shapely.to_wkb(gdf.geometry.values))).digest()
    cached = _GEOMETRY_JSON.get(digest)
    if cached is None:
        if len(_GEOMETRY_JSON) >= _GEOMETRY_JSON_LIMIT:
            _GEOMETRY_JSON.clear()
        shapes = json.loads(gdf[["geometry"]].to_json(drop_id=True))["features"]
        cached = _GEOMETRY_JSON[digest] = [f["geometry"] for f in shapes]
    return cached


def _plain(value: Any) -> Any:
    """A missing value as None (JSON null): a NaN would reach Leaflet as JS NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def feature_collection(gdf: gpd.GeoDataFrame, properties: list[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with only the listed properties (keeps the HTML small)."""
    records = gdf[properties].to_dict("records")
    geometries = _geometry_json(gdf)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {k: _plain(v) for k, v in record.items()},
         "geometry": geometry}
        for record, geometry in zip(records, geometries, strict=True)]}


# "{{", "{%" and "{#" open Jinja code, and branca compiles every rendered script as a Jinja
# template once more: a name holding "{{ ... }}" would run on the server. In JSON they occur
# only inside strings (a structural brace is followed by a quote or a brace that closes it).
_JINJA_OPENER = re.compile(r"\{(?=[{%#])")


def script_json(data: object, *, compact: bool = False) -> Markup:
    """JSON safe inside a <script> element: <, >, & and ' only occur inside JSON strings, so
    their \\u escapes keep the value and no text can end the script or open a comment; nor
    can text open Jinja code when branca compiles the script as a template."""
    separators = (",", ":") if compact else (", ", ": ")
    text = json.dumps(data, ensure_ascii=False, separators=separators, allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(_JINJA_OPENER.sub(r"\\u007b", text))


def shared_canvas(map_name: str) -> str:
    """JS for the one canvas renderer all our layers share on a map.

    Sites above an SVG region layer on a separate canvas would swallow every mouse event, so
    regions would never show their tooltips; on one canvas Leaflet hit-tests the topmost
    layer (sites, added last) and passes the rest to the regions beneath.
    """
    return f"({map_name}._atlasCanvas = {map_name}._atlasCanvas || L.canvas({{padding: 0.5}}))"


class Verbatim(Element):
    """Text that goes into the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class VerbatimMacro(MacroElement):
    """A MacroElement whose rendered parts are never compiled as templates again.

    branca's MacroElement wraps each rendered macro in an ``Element``, which compiles it as
    a Jinja template: a project title holding ``{{ 7*7 }}`` came out as 49, ``{% endfor %}``
    raised, and lexing megabytes of site data took most of a large map's render time.
    """

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(str(macro(self, kwargs))),
                                                name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""


class GeoJsonLayer(VerbatimMacro):
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
