from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest

from atlas.maps.assets import offline_map
from atlas.maps.sites import sites_layer
from tests.maps.conftest import HOSTILE


def _features(html: str) -> list[dict]:  # type: ignore[type-arg]
    match = re.search(r"L\.geoJSON\((\{.*?\}), \{\s*pointToLayer", html, re.S)
    assert match
    return json.loads(match.group(1))["features"]  # type: ignore[no-any-return]


def test_one_canvas_layer_of_circle_markers(three_points: gpd.GeoDataFrame) -> None:
    fmap = offline_map()
    sites_layer(three_points).add_to(fmap)
    html = fmap.get_root().render()
    assert html.count("L.canvas(") == 1 and "L.circleMarker" in html and "_atlasCanvas" in html
    assert "L.marker(" not in html
    features = _features(html)
    assert len(features) == 3
    # Largest first, so small markers stay on top and clickable.
    assert [f["properties"]["radius"] for f in features] == [24.0, 10.0, 5.0]
    assert features[0]["geometry"]["coordinates"] == [52.0, 47.0]  # lon, lat


def test_tooltip_text_cannot_break_out_of_the_script(three_points: gpd.GeoDataFrame) -> None:
    three_points["tooltip"] = HOSTILE
    fmap = offline_map()
    sites_layer(three_points).add_to(fmap)
    html = fmap.get_root().render()
    assert "<script>alert" not in html and "</script><img" not in html


def test_sites_refuse_projected_crs(three_points: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError):
        sites_layer(three_points.to_crs(3857))


def test_site_names_only_when_asked_and_only_as_text(three_points: gpd.GeoDataFrame) -> None:
    three_points["label"] = ["Karkaraly", HOSTILE, "Kamystybas"]
    fmap = offline_map()
    sites_layer(three_points).add_to(fmap)
    plain = fmap.get_root().render()
    assert "atlas-site-label" not in plain and '"label"' not in plain
    fmap = offline_map()
    sites_layer(three_points, labels=True).add_to(fmap)
    html = fmap.get_root().render()
    assert {f["properties"]["label"] for f in _features(html)} == \
        {"Karkaraly", HOSTILE, "Kamystybas"}
    # Names go in through textContent (never innerHTML) and the JSON cannot end the script.
    assert "text.textContent = layer.feature.properties.label" in html
    assert "innerHTML" not in html.split("atlas-site-label", 1)[1].split("</script>", 1)[0]
    assert "<script>alert" not in html
    assert ".atlas-site-label-left{transform:translateX(-100%)}" in html
