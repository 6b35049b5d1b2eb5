"""The small map of one project's sites: only its sites, offline, in the viewer's language."""

from __future__ import annotations

import re

import pytest

from atlas.maps.assets import external_references
from atlas.maps.project_sites import project_sites_map
from atlas.maps.style import CONTEXT_FILL
from atlas.snapshot import Snapshot
from tests.maps.conftest import decoded_sites, layer_data, site_layers, site_tooltips


def render(snap: Snapshot, project_id: str, lang: str = "en") -> str:
    return str(project_sites_map(snap, project_id, lang).get_root().render())


def features(html: str, layer: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for fc in layer_data(html) for f in fc["features"]
            if f["properties"]["layer"] == layer]


@pytest.mark.parametrize("project_id", ["glocal", "wko-rural-ngo-capacity",
                                        "eu-tald-east-central", "efca-public-spaces",
                                        "auyldy-birlese-damytu"])
def test_the_projects_sites_only_and_offline(snap: Snapshot, project_id: str) -> None:
    html = render(snap, project_id)
    drawn = decoded_sites(site_layers(html)[0])
    mine = snap.sites.loc[snap.sites["project_id"] == project_id]
    assert {(s["lon"], s["lat"]) for s in drawn} == \
        {(round(x, 5), round(y, 5)) for x, y in zip(mine["lon"], mine["lat"], strict=True)}
    names = ", ".join(s["name"] for s in drawn)
    assert all(n in names for n in mine["name_en"])
    assert all(s["project_id"] == project_id for s in drawn)
    assert external_references(html) == []
    assert "tile.openstreetmap" not in html and "cdn.jsdelivr" not in html
    regions = features(html, "region")
    assert len(regions) == 20
    shaded = {f["properties"]["code"] for f in regions
              if f["properties"]["style"]["fillColor"] == CONTEXT_FILL}
    assert shaded == set(mine["region_code"])


def test_glocal_map_is_zoomed_to_its_two_sites(snap: Snapshot) -> None:
    html = render(snap, "glocal")
    # The bounds the map is fitted to (atlas.maps.controls.FitView).
    bounds = re.search(r"L\.latLngBounds\(\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]",
                       html)
    assert bounds
    south, west, north, east = map(float, bounds.groups())
    # Kamystybas (61.7 E, 46.8 N) and Karkaralinsk (75.5 E, 49.4 N) inside, not all Kazakhstan.
    assert west < 61.6 and east > 75.5 and south < 46.8 and north > 49.4
    assert west > 55 and east < 82


def test_tooltips_follow_the_language(snap: Snapshot) -> None:
    tips = " ".join(site_tooltips(render(snap, "glocal", "kk")))
    assert "Қарқаралы" in tips and "Қамыстыбас" in tips
