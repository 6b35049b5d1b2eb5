"""The Present page in headless Chromium at 1920 × 1080: no sidebar, arrow keys step the tour
and move the map, the automatic tour moves on by itself, and the exports download.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    MAP_VIEW_JS,
    OfflineGuard,
    guarded_page,
    map_frame,
    page_text,
    poll,
)

pytestmark = pytest.mark.browser

SCREENSHOT_COPY = Path("/tmp/atlas-present-test.png")
FULL_HD = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store, built here before the server starts (never the developer's .atlas/)."""
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-present") / "atlas.sqlite"
    open_store(path)
    return path


@pytest.fixture
def hall(browser: Any) -> Iterator[tuple[Any, OfflineGuard]]:
    """A projector-sized page whose every request must stay on this machine."""
    with guarded_page(browser, FULL_HD) as page_and_guard:
        yield page_and_guard


def _zoom(frame: Any) -> float:
    return float(frame.evaluate("() => window.map.getZoom()"))


def _moved_in_labels(page: Any, country_zoom: float) -> list[str] | None:
    """Site names on a settled map zoomed in further than the whole country, if any."""
    for frame in page.frames:
        if frame is page.main_frame or not frame.locator(".leaflet-container").count():
            continue
        if frame.evaluate(MAP_VIEW_JS, 20) and _zoom(frame) > country_zoom:
            labels = frame.locator(".atlas-site-label").all_inner_texts()
            if labels:
                return list(labels)
    return None


def _step_in_url(page: Any, step: str) -> bool:
    return f"step={step}" in page.url


def test_arrow_keys_step_through_the_tour(hall: tuple[Any, OfflineGuard], app_url: str,
                                         tmp_path: Path) -> None:
    page, guard = hall
    page.goto(app_url + "/Present?play=1&donor=eu&order=glocal,eu-tald-east-central")
    frame = map_frame(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert "Kazakhstan Project Atlas" in page_text(page)
    assert "1,232,570 EUR" in page_text(page)
    country_zoom = _zoom(frame)
    # Large type: the headline figure is big enough to read from the back of a room.
    size = page.locator('[data-testid="stMetricValue"] p').first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40, size

    page.keyboard.press("ArrowRight")
    poll(page, lambda: _step_in_url(page, "1"), 15, "step 1 in the URL")
    poll(page, lambda: page.locator("h1", has_text="GLocal").count(), 15, "the GLocal step")
    # The step's map replaces the opening one (a new iframe): wait for the one that has moved
    # in to the project's sites and names them; the old frame may still be there, detaching.
    labels = poll(page, lambda: _moved_in_labels(page, country_zoom), 30,
                  "the map to move in to GLocal's sites and name them")
    assert any("Karkaraly" in text for text in labels), labels
    assert "428,000 EUR" in page_text(page)
    page.screenshot(path=str(tmp_path / "present.png"))
    SCREENSHOT_COPY.write_bytes((tmp_path / "present.png").read_bytes())

    page.keyboard.press("ArrowRight")
    poll(page, lambda: _step_in_url(page, "2"), 15, "step 2 in the URL")
    page.keyboard.press("ArrowLeft")
    poll(page, lambda: _step_in_url(page, "1"), 15, "back to step 1")
    page.keyboard.press("Escape")
    poll(page, lambda: "play=1" not in page.url, 15, "the presentation to close")
    poll(page, lambda: page.locator("h1", has_text="Presentation").count(), 15,
         "the preparation page")
    assert guard.blocked == []


def test_the_automatic_tour_moves_on_by_itself(hall: tuple[Any, OfflineGuard],
                                               app_url: str) -> None:
    page, guard = hall
    page.goto(app_url + "/Present?play=1&donor=eu&auto=3")
    map_frame(page)
    poll(page, lambda: _step_in_url(page, "1"), 20, "the timer to take step 1")
    poll(page, lambda: _step_in_url(page, "2"), 20, "the timer to take step 2")
    page.get_by_role("button", name="Pause").click()
    poll(page, lambda: page.get_by_role("button", name="Play").count(), 10, "paused")
    paused_at = page.url
    page.wait_for_timeout(5_000)
    assert page.url == paused_at
    assert guard.blocked == []


def test_slides_and_image_download_from_the_present_page(
        hall: tuple[Any, OfflineGuard], app_url: str, tmp_path: Path) -> None:
    from PIL import Image
    from pptx import Presentation

    page, guard = hall
    page.goto(app_url + "/Present?donor=eu&by=region&order=KAZ014,KAZ011")
    poll(page, lambda: page.get_by_role("button", name="Slides (PPTX)").count(), 30,
         "the export buttons")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Slides (PPTX)").click()
    deck = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert info.value.suggested_filename == "atlas-eu.pptx"
    assert [s.shapes.title.text for s in deck.slides] == [
        "Kazakhstan Project Atlas", "Overview", "Mangystau Region", "Karaganda Region", "Sources"]
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Map image (PNG)").click()
    assert Image.open(info.value.path()).width >= 3000
    assert guard.blocked == []
