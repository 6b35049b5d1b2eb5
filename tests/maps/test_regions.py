from __future__ import annotations

import geopandas as gpd
import pytest

from atlas.maps.assets import offline_map
from atlas.maps.regions import regions_layer


def test_regions_render_as_geojson_with_styles(two_regions: gpd.GeoDataFrame) -> None:
    fmap = offline_map()
    regions_layer(two_regions).add_to(fmap)
    html = fmap.get_root().render()
    assert html.count('"layer": "region"') == 2
    assert "feature.properties.style" in html and "bindTooltip" in html


def test_regions_refuse_projected_crs(two_regions: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        regions_layer(two_regions.to_crs(3857))


def test_feature_collection_is_geopandas_geojson_with_the_shapes_converted_once(
        two_regions: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from atlas.maps import layers

    two_regions["note"] = [float("nan"), 2.5]
    expected = json.loads(two_regions[["code", "style", "note", "geometry"]]
                          .to_json(na="null", drop_id=True))
    assert layers.feature_collection(two_regions, ["code", "style", "note"]) == expected
    # The same shapes again (another filter, another language): no second conversion.
    converted: list[int] = []
    real = gpd.GeoDataFrame.to_json
    monkeypatch.setattr(gpd.GeoDataFrame, "to_json",
                        lambda self, *a, **k: converted.append(1) or real(self, *a, **k))
    again = two_regions.assign(code=["C", "D"])
    assert layers.feature_collection(again, ["code"])["features"][1]["properties"] == \
        {"code": "D"}
    assert converted == []
