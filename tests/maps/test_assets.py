from __future__ import annotations

import base64

from atlas.maps.assets import ASSETS, asset_links, external_references, offline_map


def test_leaflet_is_inlined_and_jquery_is_not_shipped() -> None:
    js, css = asset_links()
    names = [n for n, _ in js]
    assert names == ["leaflet"]
    leaflet = base64.b64decode(dict(js)["leaflet"].split(",", 1)[1])
    assert b"Leaflet" in leaflet[:500]
    stylesheet = base64.b64decode(dict(css)["leaflet_css"].split(",", 1)[1]).decode()
    assert "url(images/" not in stylesheet and "data:image/png;base64," in stylesheet


def test_asset_versions_and_licences_are_recorded() -> None:
    for asset in ASSETS:
        assert asset.version and asset.licence


def test_offline_map_has_no_external_reference() -> None:
    html = offline_map().get_root().render()
    assert external_references(html) == []
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html


def test_detector_finds_external_references() -> None:
    html = '<script src="https://cdn.example.org/x.js"></script><link href="//x.org/a.css">'
    assert len(external_references(html)) == 2
