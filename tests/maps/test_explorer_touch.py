"""The explorer and project maps turn their tooltips into popups on a touch screen."""

from __future__ import annotations

import re

from atlas.maps.explorer import MapOptions, explorer_map
from atlas.maps.project_sites import project_sites_map
from atlas.query import Filters
from atlas.snapshot import Snapshot


def _script_order(html: str) -> tuple[int, int]:
    """Where the touch conversion starts, and where the last layer binds a tooltip."""
    binds = [m.start() for m in re.finditer(r"(?<!un)bindTooltip\(", html)]
    return html.find("(hover: none)"), max(binds, default=-1)


def test_explorer_map_converts_tooltips_after_every_layer(snap: Snapshot) -> None:
    html = explorer_map(snap, Filters(), MapOptions(lang="kk")).get_root().render()
    touch, last_tooltip = _script_order(html)
    assert touch > last_tooltip > 0, "the conversion must run after the layers bind tooltips"
    assert "L.control.scale" not in html and '"км"' in html


def test_project_map_converts_tooltips_too(snap: Snapshot) -> None:
    pid = snap.table("projects")["project_id"].iloc[0]
    html = project_sites_map(snap, pid, "ru").get_root().render()
    touch, last_tooltip = _script_order(html)
    assert touch > last_tooltip > 0
    assert "L.control.scale" not in html and '"км"' in html
