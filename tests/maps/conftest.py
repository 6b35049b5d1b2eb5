from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> "quotes" \'single\' ‮rtl'


@pytest.fixture()
def two_regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["A", "B"], "tooltip": ["<b>A</b>", "<b>B</b>"],
         "style": [{"fillColor": "#deebf7"}, {"fillColor": "#08519c"}]},
        geometry=[box(50, 45, 60, 50), box(60, 45, 70, 50)],
        crs="EPSG:4326",
    )


@pytest.fixture()
def three_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"site_ids": [["s1"], ["s2"], ["s3"]], "project_ids": [["p"], ["p"], ["q"]],
         "radius": [5.0, 24.0, 10.0], "fill": ["#003399"] * 3, "fill_opacity": [0.85] * 3,
         "dash": [None, None, "3 3"], "tooltip": ["one", "two", "three"]},
        geometry=[Point(51, 46), Point(52, 47), Point(53, 48)],
        crs="EPSG:4326",
    )


def layer_data(html: str) -> list[dict]:  # type: ignore[type-arg]
    """The FeatureCollections embedded in our GeoJSON layers (decoded, as the browser sees)."""
    import json
    import re

    return [json.loads(m.group(1)) for m in re.finditer(r"L\.geoJSON\((\{.*\}), \{$", html, re.M)]


def tooltips(html: str) -> list[str]:
    return [f["properties"]["tooltip"] for fc in layer_data(html) for f in fc["features"]]


def site_layers(html: str) -> list[dict]:  # type: ignore[type-arg]
    """The compact data of each sites layer (as the browser gets it), JSON-decoded."""
    import json
    import re

    return [inflated(json.loads(m.group(1))) for m in
            re.finditer(r"^\}\)\(\w+, \(\w+\._atlasCanvas = .*?\)\), (\{.*\})\);$", html, re.M)]


def inflated(data: dict) -> dict:  # type: ignore[type-arg]
    """A sites layer's data with its deflated text tables ("z") read back, as the JS does."""
    import base64
    import json
    import zlib

    if "z" not in data:
        return data
    tables = json.loads(zlib.decompress(base64.b64decode(data["z"])).decode("utf-8"))
    return {**{k: v for k, v in data.items() if k != "z"}, **tables}


def unpacked(text: str, delta: bool = False) -> list[int]:
    """The integers of ``atlas.maps.sites.packed``, decoded the way the layer's JS does."""
    import base64
    from itertools import accumulate

    out, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        out.append(-((value + 1) // 2) if value % 2 else value // 2)
        value, shift = 0, 0
    return list(accumulate(out)) if delta else out


def decoded_sites(data: dict) -> list[dict]:  # type: ignore[type-arg]
    """One record per marker from a sites layer's arrays (as the JS decodes them)."""
    lon, lat, project, name, funding, reach, radius = (
        unpacked(data[k], delta=True) for k in ("x", "y", "p", "nm", "f", "h", "r"))
    colour, dash, precision = zip(*(data["styles"][s] for s in unpacked(data["s"])),
                                  strict=True) if data["n"] else ((), (), ())
    cap = data["captions"]

    def templated(table: dict) -> list[str]:  # type: ignore[type-arg]
        numbers = table["numbers"].split("|") if table["templates"] else []
        return [table["templates"][t][0] + number + table["templates"][t][1]
                for t, number in zip(unpacked(table["t"]), numbers, strict=True)]

    funding_texts, reach_texts = templated(data["fText"]), templated(data["hText"])
    sites_of = [1] * data["n"]
    for at, count in zip(unpacked(data["many"]["at"], delta=True),
                         unpacked(data["many"]["sites"]), strict=True):
        sites_of[at] = count
    out = []
    for i in range(data["n"]):
        title = data["titles"][project[i]]
        out.append({
            "lon": lon[i] / data["scale"], "lat": lat[i] / data["scale"],
            "radius": radius[i] / data["radiusScale"], "fill": data["palette"][colour[i]],
            "dash": bool(dash[i]), "project_id": data["projects"][project[i]],
            "name": data["nmText"][name[i]], "sites": sites_of[i],
            # The tooltip's lines, as the layer's JS writes them (each through textContent).
            "tooltip": [data["nmText"][name[i]], f"{cap['project']}: {title}",
                        f"{cap['funding']}: {funding_texts[funding[i]]}",
                        f"{cap['reach']}: {reach_texts[reach[i]]}",
                        f"{cap['precision']}: {data['qText'][precision[i]]}"],
        })
    return out


def site_tooltips(html: str) -> list[str]:
    """Every site tooltip of the map's sites layers, its lines joined by newlines."""
    return ["\n".join(s["tooltip"]) for data in site_layers(html) for s in decoded_sites(data)]
