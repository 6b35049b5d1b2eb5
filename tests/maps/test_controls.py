"""The scale bar speaks the viewer's language; tooltips become popups on touch screens; the
map is fitted clear of its legend."""

from __future__ import annotations

import pytest

from atlas.i18n import LANGUAGES, t
from atlas.maps.assets import offline_map
from atlas.maps.controls import scale_units
from atlas.query import Filters
from atlas.snapshot import Snapshot


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scale_bar_is_metric_in_the_viewers_language(lang: str) -> None:
    html = offline_map(lang, control_scale=True).get_root().render()
    # Leaflet's own control (L.control.scale) prints "km" and "mi" in English.
    assert "L.control.scale" not in html
    assert "imperial: false" in html
    for word in (t("map_scale_km", lang), t("map_scale_m", lang)):
        assert f'"{word}"' in html or word.encode("unicode_escape").decode() in html


def test_scale_units_follow_the_language() -> None:
    assert scale_units("ru")["km"] == scale_units("kk")["km"] == "км"
    assert scale_units("en") == {"km": "km", "m": "m", "thousands": ","}
    assert scale_units("ru")["thousands"] == "\u00a0"  # as format_number groups thousands


def test_no_scale_bar_unless_asked() -> None:
    html = offline_map("ru").get_root().render()
    assert "L.Control.Scale.extend" not in html


def test_the_map_is_fitted_clear_of_its_legend_after_the_legend_is_drawn(snap: Snapshot) -> None:
    """The fit runs in the browser, at the map's real size, once the legend is on the map
    (it measures the open legend to keep the country out from under it)."""
    from atlas.maps.explorer import MapOptions, explorer_map

    html = explorer_map(snap, Filters(), MapOptions()).get_root().render()
    assert html.index('L.DomUtil.create("details", "atlas-legend")') \
        < html.index("L.latLngBounds([[40.6, 46.5], [55.4, 87.3]]), null,\n  false)")
    assert ("fitBounds(bounds, {paddingTopLeft: fittedPadding, paddingBottomRight: "
            "L.point(m, m),") in html
    # A step's bounds keep its largest marker whole, clear of the controls; the whole
    # country's outline is fitted as it is.
    step = MapOptions(bounds=(61.0, 46.0, 76.0, 50.0))
    assert "L.latLngBounds([[46.0, 61.0], [50.0, 76.0]]), 8,\n  true)" in \
        explorer_map(snap, Filters(), step).get_root().render()
