"""tools/screens.py: its wait ends when the map has drawn, not at its timeout (Chromium).

The regions and sites are drawn on one canvas, so a wait for SVG paths never ends by itself:
each map page would cost the whole timeout of a run of every page x 3 languages x 3 sizes.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.browser.support import MAP_VIEW_JS, ROOT, guarded_page

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store, built here before the server starts (never the developer's .atlas/)."""
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-screens") / "atlas.sqlite"
    open_store(path)
    return path


@pytest.fixture(scope="module")
def screens() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screens", ROOT / "tools" / "screens.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _map_frames(page: Any) -> list[Any]:
    return [f for f in page.frames[1:] if f.locator(".leaflet-container").count()]


@pytest.mark.parametrize(("viewport", "path"), [
    (LAPTOP, "/?lang=ru"), (PHONE, "/?lang=kk"), (LAPTOP, "/Present?play=1&lang=ru&step=1")],
    ids=["map-laptop", "map-phone", "present-step"])
def test_settle_ends_when_the_map_has_drawn(browser: Any, app_url: str, screens: ModuleType,
                                            viewport: dict[str, int], path: str) -> None:
    timeout = 40
    with guarded_page(browser, viewport, touch=viewport is PHONE) as (page, guard):
        page.goto(app_url + path)
        started = time.monotonic()
        settled = screens.settle(page, timeout=timeout)
        waited = time.monotonic() - started
        assert settled, f"settle() ran out its {timeout} s on {path}"
        assert waited < timeout
        # What it waited for is there: a map, loaded and idle, with its regions on the canvas.
        frames = _map_frames(page)
        assert frames, path
        assert all(f.evaluate(MAP_VIEW_JS, 1) for f in frames), path
        assert guard.blocked == []
