"""Fixtures of the browser tests: Playwright, one Chromium, a streamlit server per module
(on the module's own ``store_file``), and pages whose every request is checked to be local.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import (
    CHROMIUM_ARGS,
    OfflineGuard,
    chromium_path,
    guarded_page,
    streamlit_server,
    unavailable,
)

VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def sync_api() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("playwright is not installed")
    return sync_api


@pytest.fixture(scope="module")
def app_url(store_file: Any, sync_api: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served from this module's store (each module defines ``store_file``)."""
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
    """A guarded page at the default viewport (see ``guarded_page``)."""
    with guarded_page(browser, VIEWPORT) as page_and_guard:
        yield page_and_guard
