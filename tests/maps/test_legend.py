from __future__ import annotations

from atlas.maps.legend import Legend, LegendSection, Swatch, legend_html
from tests.maps.conftest import HOSTILE


def test_legend_escapes_labels() -> None:
    html = legend_html([LegendSection(HOSTILE, (Swatch("#fff", HOSTILE),), HOSTILE)])
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_legend_is_a_leaflet_control() -> None:
    from atlas.maps.assets import offline_map

    fmap = offline_map()
    Legend([LegendSection("Funding", (Swatch("#08519c", "0 – 10"),))]).add_to(fmap)
    html = fmap.get_root().render()
    assert 'L.control({position: "topleft"})' in html and "atlas-legend" in html


def test_legend_opens_only_on_wide_maps() -> None:
    from atlas.maps.assets import offline_map

    fmap = offline_map()
    Legend([LegendSection("Funding", (Swatch("#08519c", "0 – 10"),))], "Легенда").add_to(fmap)
    html = fmap.get_root().render()
    assert 'L.DomUtil.create("details", "atlas-legend")' in html
    assert "getSize().x >= 900" in html and "\\u003csummary\\u003e" in html
