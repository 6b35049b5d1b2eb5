"""Rendered HTML of the whole explorer map on the bundled data."""

from __future__ import annotations

import pytest

from atlas.dataset import DataSet
from atlas.maps.assets import external_references
from atlas.maps.explorer import MapOptions, explorer_map, region_frame, site_points
from atlas.query import Filters, filtered_site_shares
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import (
    HOSTILE,
    decoded_sites,
    layer_data,
    site_layers,
    site_tooltips,
    tooltips,
)


def render(snap: Snapshot, filters: Filters | None = None, **options: object) -> str:
    fmap = explorer_map(snap, filters or Filters(), MapOptions(**options))  # type: ignore[arg-type]
    return str(fmap.get_root().render())


def test_all_20_regions_and_sites_drawn_offline(snap: Snapshot) -> None:
    html = render(snap)
    assert html.count('"layer": "region"') == 20
    (sites,) = site_layers(html)
    assert sites["n"] >= 15 and "cluster" not in sites  # few enough to draw each site
    assert external_references(html) == []
    assert any("Karaganda Region" in tip for tip in tooltips(html))
    assert any("Nura" in tip and "Project: " in tip for tip in site_tooltips(html))


def test_web_tiles_are_an_optional_online_layer(snap: Snapshot) -> None:
    assert "tile.openstreetmap" not in render(snap)
    assert "tile.openstreetmap" in render(snap, web_tiles=True)


def test_language_follows_the_choice(snap: Snapshot) -> None:
    html = render(snap, lang="kk")
    text = " ".join(tooltips(html))
    assert "Қарағанды облысы" in text and "Маңғыстау облысы" in text
    sites = " ".join(site_tooltips(html))
    assert "Жоба: " in sites and "Project" not in sites


def test_region_shading_follows_filters(snap: Snapshot) -> None:
    shares = filtered_site_shares(snap, Filters(donors=("eu",)))
    regions = region_frame(snap, shares, MapOptions()).set_index("code")
    assert regions.at["KAZ014", "value"] == 412_570
    assert regions.at["KAZ020", "fill"] == "#f2f0eb"  # no EU project in West Kazakhstan
    assert regions.at["KAZ014", "fill"] != regions.at["KAZ020", "fill"]


def test_colocated_sites_of_a_project_are_one_marker(snap: Snapshot) -> None:
    shares = filtered_site_shares(snap, Filters(donors=("eu",)))
    points = site_points(snap, shares, MapOptions())
    nura = points.loc[points["site_ids"].map(lambda s: "s-eca-nura" in s)].iloc[0]
    assert len(nura["site_ids"]) == 5  # Nura township + 4 rural districts at the district centre
    unknown = points.loc[points["project_ids"].map(lambda p: p == ["auyldy-birlese-damytu"])]
    assert set(unknown["dash"]) == {"3 3"}  # reach not stated: dashed outline


def test_sdg_colouring_uses_official_colours(snap: Snapshot) -> None:
    shares = filtered_site_shares(snap, Filters(donors=("tco",)))
    points = site_points(snap, shares, MapOptions(colour_by="sdg"))
    assert set(points["fill"]) == {"#FD9D24"}  # SDG 11


def test_hostile_names_are_inert_in_map_html(dataset: DataSet) -> None:
    dataset["projects"].loc[0, "title_en"] = HOSTILE
    dataset["sites"].loc[:, "name_en"] = HOSTILE
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = HOSTILE
    html = render(build_snapshot(dataset, "hostile"))
    assert "<script>alert" not in html and "<img src=x" not in html
    shown = " ".join(tooltips(html))  # what Leaflet puts into the DOM as HTML (regions)
    assert "<img" not in shown and len(layer_data(html)) == 1
    # Site tooltips are plain text set through textContent: the raw name arrives intact.
    assert any(tip.startswith(HOSTILE) for tip in site_tooltips(html))


def test_large_print_for_a_projector(snap: Snapshot) -> None:
    one = Filters(projects=("glocal",))
    plain, large = render(snap, one), render(snap, one, large_print=True)
    assert "atlas-site-label" not in plain and "font:11px" in plain
    assert "atlas-site-label" in large and "font:15px" in large
    radius = sorted(s["radius"] for s in decoded_sites(site_layers(plain)[0]))
    bigger = sorted(s["radius"] for s in decoded_sites(site_layers(large)[0]))
    assert bigger == pytest.approx([r * 1.35 for r in radius], abs=0.1)
    # Too many sites to name: the whole country's map keeps its markers unlabelled.
    assert "atlas-site-label" not in render(snap, large_print=True)


def test_moves_to_given_bounds_and_shades_one_project_as_context(snap: Snapshot) -> None:
    html = render(snap, Filters(projects=("glocal",)), bounds=(60.0, 45.0, 78.0, 51.0),
                  shade_regions=False)
    assert "[[45.0, 60.0], [51.0, 78.0]]" in html
    fills = {f["properties"]["style"]["fillColor"] for f in features(html, "region")}
    assert fills == {"#9ecae1", "#f2f0eb"}  # where GLocal works, and everywhere else
    assert "where the projects shown work" in html


def features(html: str, layer: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for fc in layer_data(html) for f in fc["features"]
            if f["properties"].get("layer") == layer]


@pytest.mark.parametrize("title", ["Steppe {{ 7*7 }} wells", "Steppe {% endfor %} wells",
                                   "Steppe {# note #} wells"])
def test_template_syntax_in_data_reaches_the_map_as_text(dataset: DataSet, title: str) -> None:
    # branca compiled every rendered layer as a Jinja template: "{{ 7*7 }}" became 49 and
    # "{% endfor %}" stopped the page with a traceback.
    projects = dataset["projects"]
    projects.loc[projects.index[0], "title_en"] = title
    organizations = dataset["organizations"]
    organizations["name_en"] = organizations["name_en"].astype(object)
    organizations.loc[organizations.index[0], "name_en"] = title
    snap = build_snapshot(dataset, "template-text")
    html = render(snap)
    titles = {s["tooltip"][1] for data in site_layers(html) for s in decoded_sites(data)}
    assert f"Project: {title}" in titles
    assert "Steppe 49 wells" not in html


def test_map_pages_ship_no_jquery(snap: Snapshot) -> None:
    # Nothing on our maps calls jQuery (only folium's Popup and keep_in_front would).
    import base64
    import re

    html = render(snap)
    scripts = [base64.b64decode(m.group(1)) for m in
               re.finditer(r'src="data:text/javascript;base64,([^"]+)"', html)]
    assert len(scripts) == 1 and b"Leaflet" in scripts[0][:500]
    assert all(b"jQuery" not in script for script in scripts)
    assert "$(" not in html


def test_a_legend_of_many_donors_names_the_coloured_ones_and_counts_the_others() -> None:
    from atlas.i18n import t
    from atlas.maps.explorer import map_layers
    from atlas.maps.sites import MIXED_COLOUR
    from atlas.maps.style import QUALITATIVE, UNCOLOURED
    from atlas.synth import synthesize

    snap = build_snapshot(synthesize(3000, seed=1), "generated-1")
    layers = map_layers(snap, Filters(), MapOptions(lang="kk"))
    sites = next(s for s in layers.legend if s.title.startswith(t("legend_sites", "kk")))
    donors = [s for s in sites.swatches
              if s.shape == "circle" and s.colour not in ("#ffffff", MIXED_COLOUR)]
    coloured = [s for s in donors if s.colour != UNCOLOURED]
    assert len(coloured) <= len(QUALITATIVE)
    assert len({s.colour for s in coloured}) == len(coloured)  # no two donors share a colour
    grey = [s for s in donors if s.colour == UNCOLOURED]
    assert len(grey) == 1 and grey[0].label.startswith("Басқа донорлар (")


def test_an_empty_view_lists_no_unknown_in_its_legend(snap: Snapshot) -> None:
    from atlas.maps.explorer import map_layers
    from atlas.maps.style import NOT_STATED

    def swatch_colours(filters: Filters) -> list[str]:
        layers = map_layers(snap, filters, MapOptions(lang="ru", metric="reach"))
        return [s.colour for section in layers.legend for s in section.swatches]

    # The whole atlas has regions and sites whose reach is not stated: both swatches show.
    everything = swatch_colours(Filters())
    assert NOT_STATED in everything and "#ffffff" in everything
    nothing = swatch_colours(Filters(donors=("eu",), sdgs=(5,)))
    assert NOT_STATED not in nothing and "#ffffff" not in nothing
