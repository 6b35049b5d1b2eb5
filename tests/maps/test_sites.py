from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from atlas.maps.assets import offline_map
from atlas.maps.sites import MAX_SEPARATE_SITES, number_templates, packed, sites_layer
from tests.maps.conftest import HOSTILE, decoded_sites, site_layers, unpacked


def _render(points: gpd.GeoDataFrame, **kwargs: object) -> str:
    fmap = offline_map()
    sites_layer(points, **kwargs).add_to(fmap)  # type: ignore[arg-type]
    return str(fmap.get_root().render())


def test_one_canvas_layer_of_circle_markers(three_points: gpd.GeoDataFrame) -> None:
    html = _render(three_points)
    assert html.count("L.canvas(") == 1 and "L.circleMarker" in html and "_atlasCanvas" in html
    assert "L.marker(" not in html and "L.geoJSON" not in html
    (data,) = site_layers(html)
    sites = decoded_sites(data)
    assert len(sites) == 3
    # Largest first, so small markers stay on top and clickable.
    assert [s["radius"] for s in sites] == [24.0, 10.0, 5.0]
    assert (sites[0]["lon"], sites[0]["lat"]) == (52.0, 47.0)
    assert [s["dash"] for s in sites] == [False, True, False]
    assert [s["project_id"] for s in sites] == ["p", "q", "p"]
    assert "cluster" not in data  # a few markers are each drawn as themselves


def test_tooltip_text_cannot_break_out_of_the_script(three_points: gpd.GeoDataFrame) -> None:
    for column in ("name", "title", "funding_text"):
        three_points[column] = HOSTILE
    html = _render(three_points)
    assert "<script>alert" not in html and "</script><img" not in html and "<img" not in html
    (data,) = site_layers(html)
    site = decoded_sites(data)[0]
    assert site["name"] == HOSTILE and f"Project: {HOSTILE}" in site["tooltip"]
    # The tooltip is built from DOM nodes whose text is set with textContent, never as HTML.
    script = html.split("L.featureGroup()", 1)[1].split("</script>", 1)[0]
    assert "innerHTML" not in script and "el.textContent = text" in script


def test_sites_refuse_projected_crs(three_points: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError):
        sites_layer(three_points.to_crs(3857))


def test_site_names_only_when_asked_and_only_as_text(three_points: gpd.GeoDataFrame) -> None:
    three_points["label"] = ["Karkaraly", HOSTILE, "Kamystybas"]
    plain = _render(three_points)
    assert "atlas-site-label" not in plain and "label" not in site_layers(plain)[0]
    html = _render(three_points, labels=True)
    assert set(site_layers(html)[0]["label"]) == {"Karkaraly", HOSTILE, "Kamystybas"}
    # Names go in through textContent (never innerHTML) and the JSON cannot end the script.
    assert "text.textContent = d.label[sites[k][0]]" in html
    assert "innerHTML" not in html.split("atlas-site-label", 1)[1].split("</script>", 1)[0]
    assert "<script>alert" not in html
    # The browser places them by the rule in atlas.maps.labels, for the map's real size (see
    # tests/maps/test_labels.py and tests/browser/test_present.py).
    assert "atlasPlaceLabels(candidates, [0, 0, size.x, size.y], blocked)" in html


def _many(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {"site_ids": [[f"s{i}"] for i in range(n)],
         "project_ids": [[f"project-{i // 5}"] for i in range(n)],
         "radius": rng.uniform(5, 24, n).round(2), "fill": ["#003399", "#D55E00"] * (n // 2),
         "dash": [None] * n, "reach_value": rng.integers(0, 5000, n).astype(float),
         "name": [f"Village {i}" for i in range(n)],
         "title": [f"Project {i // 5}" for i in range(n)],
         "funding_text": [f"{i // 5:,} EUR" for i in range(n)],
         "reach_text": ["300"] * n, "precision_text": ["settlement centre"] * n},
        geometry=gpd.points_from_xy(rng.uniform(50, 85, n), rng.uniform(41, 54, n)),
        crs="EPSG:4326")


def test_ten_thousand_sites_are_a_compact_payload() -> None:
    """Parallel arrays and text tables, not a Feature with an HTML tooltip per site."""
    points = _many(10_000)
    empty = len(_render(points.iloc[:0]).encode())
    html = _render(points)
    per_site = (len(html.encode()) - empty) / len(points)
    # Names here are all distinct (about 14 bytes each); random positions and radii ~20 bytes.
    assert per_site < 50, per_site
    (data,) = site_layers(html)
    sites = decoded_sites(data)
    by_name = {s["name"]: s for s in sites}
    for i in (0, 4_321, 9_999):
        row = points.iloc[i]
        site = by_name[f"Village {i}"]
        assert site["lon"] == pytest.approx(row.geometry.x, abs=5e-5)
        assert site["lat"] == pytest.approx(row.geometry.y, abs=5e-5)
        assert site["radius"] == pytest.approx(row["radius"], abs=0.05)
        assert site["project_id"] == f"project-{i // 5}"
        assert site["tooltip"][1] == f"Project: Project {i // 5}"
        assert site["tooltip"][2] == f"Funding share: {i // 5:,} EUR"


def test_many_sites_are_drawn_together_by_zoom() -> None:
    few = site_layers(_render(_many(MAX_SEPARATE_SITES)))[0]
    assert "cluster" not in few and few["scale"] == 100_000
    many = site_layers(_render(_many(MAX_SEPARATE_SITES + 2), radius_floor=6.75))[0]
    assert many["cluster"]["cell"] > 0 and many["cluster"]["floor"] == 6.75
    # About 11 m: under half a pixel at the closest zoom, a byte a site less.
    assert many["scale"] == 10_000


@pytest.mark.parametrize("values", [[], [0], [-1, 1, -64, 64, 63, -65], [2**40, -(2**40), 7]])
def test_packed_integers_round_trip(values: list[int]) -> None:
    assert unpacked(packed(values)) == values
    assert unpacked(packed(values, delta=True), delta=True) == values


def test_figure_texts_are_sent_as_numbers_in_shared_templates() -> None:
    from atlas.figures import Figure, format_figure

    figures = [Figure(1234567.0, "at_least", derived=True), Figure.unknown(),
               Figure(12.5, "approximate"), Figure(300.0), Figure(7.0, "at_most")]
    texts = [format_figure(f, lang, "EUR") for f in figures for lang in ("en", "ru", "kk")]
    texts += ["", "a | b", HOSTILE]
    table = number_templates(texts)
    numbers = table["numbers"].split("|")
    rebuilt = [table["templates"][t][0] + numbers[i] + table["templates"][t][1]
               for i, t in enumerate(unpacked(table["t"]))]
    assert rebuilt == texts
    many = number_templates([format_figure(Figure(v, "approximate"), "ru", "KZT")
                             for v in range(100, 100_000, 7)])
    assert many["templates"] == [["≈ ", " KZT"]]


@pytest.mark.parametrize("n", [6, MAX_SEPARATE_SITES + 2])
def test_markers_carry_the_number_of_sites_they_stand_for(n: int) -> None:
    # The browser counts the sites it drew (and a group of nearby sites says how many it
    # holds) from this: a marker of merged sites is more than one site.
    points = _many(n)
    merged = {3: 4, n - 1: 2}
    points["site_ids"] = [[f"s{i}-{k}" for k in range(merged.get(i, 1))] for i in range(n)]
    (data,) = site_layers(_render(points))
    by_name = {s["name"]: s["sites"] for s in decoded_sites(data)}
    assert by_name["Village 3"] == 4 and by_name[f"Village {n - 1}"] == 2
    assert sum(by_name.values()) == n + 3 + 1


def test_many_sites_ship_their_text_tables_deflated() -> None:
    few, many = _many(MAX_SEPARATE_SITES), _many(MAX_SEPARATE_SITES + 2)
    assert '"Village 17"' in _render(few)
    html = _render(many)
    # Names, titles and figure texts are only read on hover: deflated, a third of the bytes.
    assert "Village 17" not in html and "Project 17" not in html
    (data,) = site_layers(html)
    site = {s["name"]: s for s in decoded_sites(data)}["Village 17"]
    assert site["project_id"] == "project-3" and site["tooltip"][1] == "Project: Project 3"
