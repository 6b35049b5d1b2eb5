"""The regions layer: Kazakhstan's 20 first-level units, shaded by a metric."""

from __future__ import annotations

import geopandas as gpd
from jinja2 import Template

from atlas.maps.layers import GeoJsonLayer, feature_collection, require_wgs84


class RegionsLayer(GeoJsonLayer):
    """Polygons styled from their ``style`` property, with an HTML ``tooltip`` property."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
    renderer: {{ this.canvas }},
    style: function (feature) { return feature.properties.style; },
    onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.tooltip, {sticky: true});
        layer.on("mouseover", function () { layer.setStyle({weight: 2.5}); });
        layer.on("mouseout", function () { layer.setStyle(feature.properties.style); });
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


def regions_layer(regions: gpd.GeoDataFrame, name: str = "regions") -> RegionsLayer:
    """Layer from regions with columns ``code``, ``kind``, ``tooltip`` (escaped HTML), ``style``."""
    require_wgs84(regions, "regions")
    regions = regions.assign(layer="region")
    return RegionsLayer(feature_collection(regions, ["code", "layer", "tooltip", "style"]), name)
