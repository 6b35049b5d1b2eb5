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
