"""Screenshots of every page in every language at the three sizes, for a person to look at.

    python tools/screens.py OUT_DIR [--pages map,Sources] [--langs ru] [--sizes laptop]
                                    [--url http://127.0.0.1:8501] [--full]

Without ``--url`` it builds a store from the bundled data in a temporary folder, adds a staff
account and starts the app on a free port. Staff pages (Edit, History, Import) are taken logged
in. Each file is named ``<page>-<lang>-<size>.png``; ``index.txt`` lists them with each page's
height and how long it took to be ready, so a page that grew, came out blank or waited
for nothing stands out. Needs Playwright and Chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"laptop": (1440, 900), "phone": (390, 844), "projector": (1920, 1080)}
LANGS = ("kk", "ru", "en")
PAGES = {"map": "", "Sources": "Sources", "Projects": "Projects",
         "Organizations": "Organizations", "Present": "Present", "Edit": "Edit",
         "History": "History", "Import": "Import"}
STAFF_PAGES = {"Edit", "History", "Import"}
STAFF_NAME, STAFF_PASSWORD = "screens", "screens-password-1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def start_app(folder: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """The app on the bundled data, with one staff account, on a free port."""
    from atlas.auth import add_user
    from atlas.store import open_store

    store = folder / "atlas.sqlite"
    subprocess.run([sys.executable, "-m", "atlas.cli", "build-store"], check=True, cwd=ROOT,
                   env={**os.environ, "ATLAS_STORE": str(store)}, stdout=subprocess.DEVNULL)
    add_user(open_store(store), STAFF_NAME, "admin", STAFF_PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "atlas.ui.serve", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "ATLAS_STORE": str(store)}, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return url, proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the app did not start: see " + str(folder / "server.log"))


# A map frame is ready once Leaflet has loaded the map, no zoom or pan animation is running (the
# first fit animates from the initial zoom), and every canvas renderer has drawn its layers with
# no redraw pending. Regions and sites are drawn on one canvas, not as SVG paths: a wait for
# paths never ends. A frame without a map is ready at once.
MAP_READY_JS = """
() => {
  if (!document.querySelector('.leaflet-container')) return true;
  const map = window.map;
  if (typeof map !== 'object' || !map || !map._loaded) return false;
  if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) return false;
  if (window.atlasSitesDrawn === false) return false;
  const renderers = new Set();
  let layers = 0;
  map.eachLayer(l => {
    if (l._renderer) renderers.add(l._renderer);
    if (l._path || l._parts) layers++;
  });
  if (!layers) return false;
  for (const r of renderers) {
    if (r._redrawRequest || !r._container) return false;
    if (/scale\\(/.test(r._container.style.transform)) return false;
    if (r._ctx && !r._drawFirst) return false;
  }
  return true;
}
"""


def settle(page: Any, timeout: float = 60) -> bool:
    """Wait until Streamlit has finished running and every map frame has drawn its regions;
    False when ``timeout`` seconds ran out first."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        # The status widget shows only after a while, and not at all where a page hides the
        # header (Present): the app's own script state says when a run is still going.
        busy = (_script_state(page) != "notRunning"
                or page.locator('[data-testid="stStatusWidget"]').count() > 0
                or page.locator('[data-testid="stSkeleton"]').count() > 0)
        # Every page has a title: before it comes, the script's output has not arrived.
        app = page.locator('[data-testid="stMain"] h1').count() > 0
        quiet = quiet + 1 if (app and not busy and _frames_ready(page)) else 0
        if quiet >= 5:  # quiet for five polls in a row: no rerun is about to start
            return True
        page.wait_for_timeout(200)
    return False


def _script_state(page: Any) -> str | None:
    try:
        return page.locator('[data-testid="stApp"]').first.get_attribute(
            "data-test-script-state", timeout=1000)
    except Exception:  # not there yet
        return None


def _frames_ready(page: Any) -> bool:
    for frame in page.frames[1:]:
        if not frame.url.startswith(("http", "about:srcdoc")):
            # A frame given a source is still at about:blank until the source has loaded.
            try:
                loading = frame.frame_element().evaluate(
                    "e => e.hasAttribute('src') || e.hasAttribute('srcdoc')")
            except Exception:  # detached: gone with a rerun
                continue
            if loading:
                return False
            continue
        try:
            if not frame.evaluate(MAP_READY_JS):
                return False
        except Exception:  # a frame detached or navigating mid-check: not ready yet
            return False
    return True


def log_in(page: Any, url: str) -> None:
    page.goto(url + "/Edit?lang=en")
    settle(page)
    page.get_by_label("Account name").fill(STAFF_NAME)
    page.get_by_label("Password", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The page trades a one-time code for the session cookie; later pages resume from it.
    deadline = time.monotonic() + 60
    while not any(c["name"] == "atlas_session" for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise SystemExit("no session cookie after logging in")
        page.wait_for_timeout(200)
    settle(page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--url", help="an app already running (staff pages need the account "
                                      f"{STAFF_NAME!r} with password {STAFF_PASSWORD!r})")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    index: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        proc = None
        url = args.url
        if not url:
            url, proc = start_app(Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
                for size in args.sizes.split(","):
                    width, height = SIZES[size]
                    phone = size == "phone"
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  has_touch=phone, is_mobile=phone)
                    page = context.new_page()
                    page.set_default_timeout(30_000)
                    pages = args.pages.split(",")
                    if STAFF_PAGES & set(pages):
                        log_in(page, url)
                    for name in pages:
                        for lang in args.langs.split(","):
                            page.goto(f"{url}/{PAGES[name]}?lang={lang}")
                            started = time.monotonic()
                            if not settle(page):
                                print(f"{name}-{lang}-{size}: the page did not settle in "
                                      "60 s; taken as it was", file=sys.stderr, flush=True)
                            waited = time.monotonic() - started
                            target = args.out / f"{name}-{lang}-{size}.png"
                            tall = page.evaluate("() => document.querySelector("
                                                 "'[data-testid=stMain]')?.scrollHeight || 0")
                            if args.full and tall > height:
                                # Streamlit scrolls inside its main block, not the document:
                                # a window as tall as the page shows all of it.
                                page.set_viewport_size({"width": width, "height": tall})
                                settle(page)
                            page.screenshot(path=str(target))
                            page.set_viewport_size({"width": width, "height": height})
                            index.append(f"{target.name}\tpage height {tall} px\t"
                                         f"ready after {waited:.1f} s")
                            print(index[-1], flush=True)
                    context.close()
                browser.close()
        finally:
            if proc:
                proc.terminate()
                proc.wait(timeout=10)
    (args.out / "index.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
