"""Helpers for the browser tests: Chromium discovery, the app server, offline routing, the map.

Playwright's sync API only handles events (routes included) while a Playwright call is running,
so every wait here polls with ``page.wait_for_timeout`` and never with ``time.sleep``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, which must never skip browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The system Chromium (Debian's /usr/bin/chromium), or skip/fail."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    unavailable("Chromium is not installed")
    raise AssertionError("unreachable")


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (localhost, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def streamlit_server(store: Path, log: Path, timeout: float = 60,
                     **settings: str) -> Iterator[AppServer]:
    """The app (``python -m atlas.ui.serve``) on a free port, until /_stcore/health says ok;
    ``settings`` are more environment variables (ATLAS_DATABASE_URL=...)."""
    port = free_port()
    env = {**os.environ, "ATLAS_STORE": str(store), "PYTHONUNBUFFERED": "1", **settings}
    # The launcher `make run` uses (streamlit run, with the upload route bounded from the start).
    cmd = [sys.executable, "-m", "atlas.ui.serve",
           "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {timeout} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)  # no Playwright page exists yet: a plain sleep is fine here
        yield AppServer(base, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class OfflineGuard:
    """Routes every request of a browser context: local ones continue, others are aborted."""

    blocked: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def on_websocket(self, ws: Any) -> None:
        # page.route does not see WebSockets; record any that would leave the machine.
        if not is_local(ws.url):
            self.blocked.append(ws.url)


@contextmanager
def guarded_page(browser: Any, viewport: dict[str, int],
                 touch: bool = False) -> Iterator[tuple[Any, OfflineGuard]]:
    """A fresh page whose every request is routed: only localhost, data:, blob:, about: pass;
    ``touch``: a phone (touch screen, no hover)."""
    guard = OfflineGuard()
    context = browser.new_context(viewport=viewport, service_workers="block",
                                  has_touch=touch, is_mobile=touch)
    context.route("**/*", guard.handle)
    page = context.new_page()
    page.on("websocket", guard.on_websocket)
    page.set_default_timeout(20_000)
    try:
        yield page, guard
    finally:
        context.close()


def poll(page: Page, condition: Any, timeout: float, what: str, step_ms: int = 100) -> Any:
    """Call ``condition()`` until it returns something truthy, keeping Playwright's loop busy."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # a frame detached or navigating mid-check: try again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        page.wait_for_timeout(step_ms)


# The map's view once Leaflet is idle, else null: loaded, no zoom or pan animation running, no
# renderer still scaled by a zoom transition, every marker projected for the current view.
# Right after the first draw, fitBounds animates from the initial zoom: a screenshot then shows
# clipped regions and a click misses the canvas markers.
MAP_VIEW_JS = """
n => {
  const map = window.map;
  if (typeof map !== 'object' || !map || !map._loaded) return null;
  let regions = 0;
  map.eachLayer(l => { if (l.feature && l.feature.properties.layer === 'region') regions++; });
  if (regions < n) return null;
  if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) return null;
  for (const el of document.querySelectorAll('.leaflet-pane > svg, .leaflet-pane > canvas')) {
    if (/scale\\(/.test(el.style.transform)) return null;
  }
  let projected = true;
  map.eachLayer(l => {
    if (l instanceof L.CircleMarker &&
        (!l._point || !l._point.equals(map.latLngToLayerPoint(l.getLatLng())))) {
      projected = false;
    }
  });
  if (!projected) return null;
  const c = map.getCenter(), s = map.getSize();
  return [map.getZoom(), c.lat.toFixed(6), c.lng.toFixed(6), s.x, s.y].join();
}
"""


# The box of ``bounds`` (Leaflet's [[south, west], [north, east]]) on the map and, when it is
# open, the legend's, both in the map's own pixels.
COUNTRY_BOX_JS = """
bounds => {
  const map = window.map, frame = map.getContainer().getBoundingClientRect();
  const nw = map.latLngToContainerPoint([bounds[1][0], bounds[0][1]]),
        se = map.latLngToContainerPoint([bounds[0][0], bounds[1][1]]);
  const legend = document.querySelector('details.atlas-legend');
  let covered = null;
  if (legend && legend.open) {
    const r = legend.getBoundingClientRect();
    covered = [r.left - frame.left, r.top - frame.top, r.right - frame.left,
               r.bottom - frame.top];
  }
  return {country: [nw.x, nw.y, se.x, se.y], legend: covered};
}
"""


def app_idle(page: Page) -> bool:
    """Streamlit has no run going: a button's deferred download or callback belongs to the
    run on screen, and a click during a rerun can land on a widget about to be replaced."""
    state = page.locator('[data-testid="stApp"]').first.get_attribute(
        "data-test-script-state", timeout=1000)
    return state == "notRunning"


def map_frame(page: Page, timeout: float = 90, regions: int = 20) -> Frame:
    """The streamlit-folium iframe, once Leaflet has drawn its regions and its view is still.

    Still means the same idle view (MAP_VIEW_JS) on two checks a quarter second apart. The
    timeout is generous: a busy two-core machine took over 30 s to draw the first map.
    """
    last: dict[str, Any] = {}

    def find() -> Frame | None:
        for frame in page.frames:
            if frame is page.main_frame or not frame.locator(".leaflet-container").count():
                continue
            view = frame.evaluate(MAP_VIEW_JS, regions)
            now = time.monotonic()
            if view is None:
                last.clear()
            elif last.get("view") == view and now - last["since"] >= 0.25:
                return frame
            elif last.get("view") != view:
                last.update(view=view, since=now)
        return None

    return poll(page, find, timeout, "the Leaflet map in the component iframe to settle")


def page_text(page: Page) -> str:
    """The main document's visible text with all whitespace (no-break spaces too) as one space."""
    return " ".join(page.inner_text("body").split())


# Container pixel positions of site markers that are safe to click: inside the map, clear of
# the map controls (legend, zoom, scale, attribution) and of other projects' markers.
# ``settled`` is false while the canvas still hit-tests markers at positions projected for an
# earlier view (right after the first draw, Leaflet re-projects them on its next update): a
# click then lands on the map, not on the marker.
SITE_TARGETS_JS = """
() => {
  const map = window.map;
  const size = map.getSize();
  const box = map.getContainer().getBoundingClientRect();
  const controls = [...map.getContainer().querySelectorAll('.leaflet-control')].map(c => {
    const r = c.getBoundingClientRect();
    return {left: r.left - box.left, right: r.right - box.left,
            top: r.top - box.top, bottom: r.bottom - box.top};
  });
  const sites = [];
  let settled = true;
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer === 'site' && l.getLatLng) {
      const want = map.latLngToLayerPoint(l.getLatLng());
      if (!l._point || !l._point.equals(want)) settled = false;
      const pt = map.layerPointToContainerPoint(want);
      const at = l.getLatLng();
      sites.push({x: pt.x, y: pt.y, r: l.getRadius(), project_ids: p.project_ids,
                  lat: at.lat, lng: at.lng});
    }
  });
  const margin = 4;
  const same = (a, b) => a.project_ids.join() === b.project_ids.join();
  const targets = sites.filter(s =>
    s.x > s.r + margin && s.y > s.r + margin &&
    s.x < size.x - s.r - margin && s.y < size.y - s.r - margin &&
    !controls.some(c => s.x + s.r + margin > c.left && s.x - s.r - margin < c.right &&
                        s.y + s.r + margin > c.top && s.y - s.r - margin < c.bottom) &&
    !sites.some(o => !same(o, s) && Math.hypot(o.x - s.x, o.y - s.y) < o.r + s.r + margin)
  ).sort((a, b) => b.r - a.r);
  return {settled: settled && sites.length > 0, sites: sites.length, targets};
}
"""


# A point inside a region polygon (its own path is in the element stack there), clear of site
# markers and map controls: where hovering should show that region's tooltip.
REGION_TARGET_JS = """
() => {
  const map = window.map;
  const size = map.getSize();
  const box = map.getContainer().getBoundingClientRect();
  const sites = [], regions = [];
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p) return;
    if (p.layer === 'site' && l.getLatLng) {
      const c = map.latLngToContainerPoint(l.getLatLng());
      sites.push([c.x, c.y, l.getRadius()]);
    } else if (p.layer === 'region' && l._parts) {
      regions.push(l);
    }
  });
  for (const l of regions) {
    const c = map.latLngToContainerPoint(l.getCenter());
    if (c.x < 10 || c.y < 10 || c.x > size.x - 10 || c.y > size.y - 10) continue;
    if (sites.some(([x, y, r]) => Math.hypot(x - c.x, y - c.y) < r + 8)) continue;
    // Regions and sites share one canvas: ask Leaflet's own hit test, not the DOM.
    if (!l._containsPoint(map.containerPointToLayerPoint(c))) continue;
    const stack = document.elementsFromPoint(box.left + c.x, box.top + c.y);
    if (stack.some(e => e.closest && e.closest('.leaflet-control'))) continue;
    return {x: c.x, y: c.y, code: l.feature.properties.code,
            top: stack[0].tagName.toLowerCase()};
  }
  return null;
}
"""


def site_targets(page: Page, frame: Frame, timeout: float = 10) -> list[dict[str, Any]]:
    """Clickable site markers (see SITE_TARGETS_JS), once the canvas hit-tests where it draws."""
    found = poll(page, lambda: (r := frame.evaluate(SITE_TARGETS_JS))["settled"] and r,
                 timeout, "site markers placed on the canvas")
    assert found["targets"], f"none of {found['sites']} markers is clear of controls and others"
    return list(found["targets"])


def click_in_frame(page: Page, frame: Frame, x: float, y: float) -> None:
    """A real mouse click at container pixel (x, y) of the map, with the iframe in view."""
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None, "the map iframe has no box"
    page.mouse.click(box["x"] + x, box["y"] + y)
