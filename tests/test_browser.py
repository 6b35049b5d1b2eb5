"""The real app in headless Chromium: the map draws, languages and URL state load, a site click
opens its project card, and nothing is fetched from outside localhost.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    CHROMIUM_ARGS,
    SITE_TARGETS_JS,
    OfflineGuard,
    chromium_path,
    map_frame,
    page_text,
    poll,
    streamlit_server,
    unavailable,
)

pytestmark = pytest.mark.browser

SCREENSHOT_COPY = Path("/tmp/atlas-browser-test.png")
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def sync_api() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("playwright is not installed")
    return sync_api


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store, built here before the server starts (never the developer's .atlas/)."""
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-browser") / "atlas.sqlite"
    open_store(path)
    return path


@pytest.fixture(scope="module")
def app_snap(store_file: Path) -> Any:
    """The snapshot the server reads, for expectations computed with the library."""
    from atlas.snapshot import build_snapshot
    from atlas.store import open_store

    store = open_store(store_file)
    return build_snapshot(store.load(), store.data_version())


@pytest.fixture(scope="module")
def app_url(store_file: Path, sync_api: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("atlas-server") / "streamlit.log"
    with streamlit_server(store_file, log) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(sync_api: Any) -> Iterator[Any]:
    executable = chromium_path()
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except sync_api.Error as exc:
            unavailable(f"Chromium did not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def guarded(browser: Any, app_url: str) -> Iterator[tuple[Any, OfflineGuard]]:
    """A fresh page whose every request is routed: only localhost, data:, blob:, about: pass."""
    guard = OfflineGuard()
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/*", guard.handle)
    page = context.new_page()
    page.on("websocket", guard.on_websocket)
    page.set_default_timeout(20_000)
    yield page, guard
    context.close()


def test_map_draws_offline(guarded: tuple[Any, OfflineGuard], app_url: str,
                           tmp_path: Path) -> None:
    page, guard = guarded
    page.goto(app_url + "/")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 20
    assert frame.locator("canvas").count() >= 1
    assert frame.locator(".atlas-legend").is_visible()
    text = page_text(page)
    assert "Kazakhstan Project Atlas" in text
    assert "1,363,065+ EUR" in text

    shot = tmp_path / "atlas.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copyfile(shot, SCREENSHOT_COPY)
    assert shot.stat().st_size > 10_000
    assert guard.blocked == []


def test_url_state_in_russian(guarded: tuple[Any, OfflineGuard], app_url: str,
                              app_snap: Any) -> None:
    page, guard = guarded
    page.goto(app_url + "/?donor=eu&lang=ru")
    map_frame(page)
    text = poll(page, lambda: (t := page_text(page)) and "1 232 570" in t and t, 20,
                "the filtered funding figure")
    assert "Атлас проектов Казахстана" in text
    assert "1 232 570 EUR" in text
    # The donor chip shows the selected organization's Russian name.
    assert app_snap.organization_names("ru")["eu"] in text
    assert "lang=ru" in page.url and "donor=eu" in page.url
    assert guard.blocked == []


def test_site_click_opens_card(guarded: tuple[Any, OfflineGuard], app_url: str,
                               app_snap: Any) -> None:
    from atlas.cards import project_card
    from atlas.i18n import t
    from atlas.ui.text import safe_url

    page, guard = guarded
    page.goto(app_url + "/")
    frame = map_frame(page)
    hint = page.get_by_text(t("click_hint", "en"), exact=True)
    assert hint.count() == 1  # the info box; the caption under the map says more

    targets = frame.evaluate(SITE_TARGETS_JS)
    assert targets, "no site marker is clear of the controls and of other markers"
    target = targets[0]
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])

    card = project_card(app_snap, target["project_ids"][0], "en")
    heading = page.locator("h3", has_text=card.title)
    poll(page, lambda: heading.count() and heading.first.is_visible(), 20,
         f"the card of {card.title!r}")
    assert hint.count() == 0
    assert t("card_sources", "en") in page_text(page)
    urls = [u for u in (safe_url(s.url) for s in card.sources) if u]
    if urls:
        assert page.locator(f'a[href="{urls[0]}"]').count() >= 1
    assert f"project={card.project_id}" in page.url
    assert guard.blocked == []
