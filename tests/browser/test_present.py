"""The Present page in headless Chromium at 1920 × 1080: no sidebar, arrow keys step the tour
and move the map, the automatic tour moves on by itself, and the exports download.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    COUNTRY_BOX_JS,
    MAP_VIEW_JS,
    OfflineGuard,
    click_in_frame,
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


# Issue 13: the presentation on a laptop and on a phone as well as on the projector.
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
TOUR = "/Present?play=1&donor=eu&order=glocal,eu-tald-east-central"

# Each headline value's and label's box against its text: clipped when the text is wider
# than the box (an ellipsis hides the rest). The value's own element and the one that may cut
# it ("Учтённое финансирован…" was a label cut so).
CLIPPED_JS = """
() => [...document.querySelectorAll(
    '[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')].flatMap(value =>
    [value, ...value.querySelectorAll('div, p')]
        .filter(e => e.scrollWidth > e.clientWidth + 0.5)
        .map(e => value.innerText + ': ' + e.scrollWidth + ' > ' + e.clientWidth))
"""

# The Previous and Next buttons' boxes against the window: inside it, without scrolling.
NEXT_IN_VIEW_JS = """
() => {
  const buttons = ['t_prev', 't_next'].map(k => document.querySelector(`.st-key-${k} button`));
  if (buttons.some(b => !b)) return null;
  return buttons.every(b => {
    const r = b.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
        && r.right <= window.innerWidth;
  });
}
"""


def _loaded_map(page: Any, step: str) -> Any:
    """The newest map frame once Leaflet has loaded it (on a phone the view may not settle
    while the frame is partly out of sight, which these checks do not need).

    The URL changes as soon as a step is asked for, but the previous step's map and buttons
    stay until the rerun replaces them: on a busy machine a click meant for the new map went
    to the old one, whose "back" took the tour a step too far. The buttons come after the
    map, so once they are this step's, so is the map."""
    def find() -> Any:
        if not _step_in_url(page, step) or not page.locator(f".st-key-t_at_{step}").count():
            return None
        frames = [f for f in page.frames[1:] if f.locator(".leaflet-container").count()
                  and f.evaluate("() => !!(window.map && window.map._loaded)")
                  and f.frame_element().bounding_box()]
        return frames[-1] if frames else None

    return poll(page, find, 30, f"the map of step {step}")


def _headlines_shown(page: Any, step: str) -> bool:
    return _step_in_url(page, step) and page.locator('[data-testid="stMetricValue"]').count() >= 4


@pytest.mark.parametrize(("viewport", "lang"), [
    (PHONE, "kk"), (PHONE, "en"), (LAPTOP, "kk"), (LAPTOP, "en"), (LAPTOP, "ru")],
    ids=["phone-kk", "phone-en", "laptop-kk", "laptop-en", "laptop-ru"])
def test_headline_values_whole_and_next_in_view(browser: Any, app_url: str,
                                                viewport: dict[str, int], lang: str) -> None:
    with guarded_page(browser, viewport) as (page, guard):
        for step in ("0", "1", "2"):
            page.goto(app_url + TOUR + f"&lang={lang}&step={step}")
            _loaded_map(page, step)
            poll(page, lambda step=step: _headlines_shown(page, step), 30, f"step {step}")
            assert page.evaluate(CLIPPED_JS) == [], (step, viewport)
            assert page.evaluate(NEXT_IN_VIEW_JS), (step, viewport)
        assert guard.blocked == []


# Captions beside the headline figures: their text, and whether each shows whole (no box
# narrower or shorter than its text, inside the window's width).
CAPTIONS_JS = """
() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
    .filter(c => !c.closest('.st-key-t_controls'))
    .map(c => {
        const r = c.getBoundingClientRect();
        const cut = [c, ...c.querySelectorAll('p, span, div')].some(e =>
            e.scrollWidth > e.clientWidth + 0.5 || e.scrollHeight > e.clientHeight + 0.5);
        return {text: c.innerText.trim(), whole: !cut && r.left >= 0
                && r.right <= window.innerWidth && r.width > 0};
    })
"""


@pytest.mark.parametrize(("viewport", "lang"), [
    (PHONE, "ru"), (PHONE, "kk"), (LAPTOP, "en"), (LAPTOP, "ru"), (LAPTOP, "kk")],
    ids=["phone-ru", "phone-kk", "laptop-en", "laptop-ru", "laptop-kk"])
def test_the_opening_says_what_its_funding_is_derived_from(
        browser: Any, app_url: str, viewport: dict[str, int], lang: str) -> None:
    """Not a bare "расчёт": the caption names the figure and what it was worked out from,
    whole, at a laptop's and a phone's size."""
    from atlas.dataset import read_dataset
    from atlas.paths import geodata_dir
    from atlas.query import Filters
    from atlas.snapshot import build_snapshot
    from atlas.tour import derivations, overview_step

    data, _ = read_dataset(geodata_dir())
    step = overview_step(build_snapshot(data, "test"), Filters(donors=("eu",)), lang, "EUR")
    expected = derivations(step.figures)
    funding = step.figures[0]
    assert expected and expected[0].startswith(funding.label + " — ")
    with guarded_page(browser, viewport) as (page, guard):
        page.goto(app_url + TOUR + f"&lang={lang}&step=0")
        _loaded_map(page, "0")
        captions = poll(page, lambda: [c for c in page.evaluate(CAPTIONS_JS)
                                       if c["text"] in expected], 30, "the derivation")
        assert [c["text"] for c in captions] == expected
        assert all(c["whole"] for c in captions), captions
        assert guard.blocked == []


def _legend_open(frame: Any) -> bool:
    return bool(frame.evaluate("() => document.querySelector('details.atlas-legend').open"))


def test_the_legend_is_folded_on_a_step(hall: tuple[Any, OfflineGuard], app_url: str) -> None:
    page, guard = hall
    # On the projector the map is wide enough for the legend to open by itself: on the
    # opening it does; on a project's step it starts folded and opens on demand.
    page.goto(app_url + TOUR + "&step=0")
    assert _legend_open(map_frame(page))
    page.goto(app_url + TOUR + "&step=1")
    poll(page, lambda: page.locator("h1", has_text="GLocal").count(), 30, "the GLocal step")
    frame = map_frame(page)
    assert not _legend_open(frame)
    frame.locator("details.atlas-legend summary").click()
    assert _legend_open(frame)
    assert guard.blocked == []


def _click_the_map(page: Any, step: str) -> None:
    """A click in the middle of step ``step``'s map (away from its controls and the step
    buttons), which gives the map's frame the keyboard's focus."""
    def click() -> bool:
        frame = _loaded_map(page, step)
        box = frame.frame_element().bounding_box()
        if box is None:  # an old step's frame, just leaving
            return False
        click_in_frame(page, frame, box["width"] * 0.5, box["height"] * 0.45)
        return bool(frame.evaluate("() => document.hasFocus()"))

    poll(page, click, 20, f"the map of step {step} to take the focus")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_keys_step_the_tour_after_a_click_on_the_map(browser: Any, app_url: str,
                                                    viewport: dict[str, int]) -> None:
    with guarded_page(browser, viewport) as (page, guard):
        page.goto(app_url + TOUR + "&step=0")
        _click_the_map(page, "0")
        page.keyboard.press("ArrowRight")
        poll(page, lambda: _step_in_url(page, "1"), 15, "ArrowRight from the map: step 1")
        poll(page, lambda: page.locator("h1", has_text="GLocal").count(), 30, "the GLocal step")
        _click_the_map(page, "1")
        page.keyboard.press("PageDown")  # a presenter's clicker
        poll(page, lambda: _step_in_url(page, "2"), 15, "PageDown from the map: step 2")
        # A click on the new step's map: its frame has its key handler once it takes clicks
        # (a key pressed while a busy machine still builds the frame would be lost).
        _click_the_map(page, "2")
        page.keyboard.press("PageUp")
        poll(page, lambda: _step_in_url(page, "1"), 30, "PageUp: back to step 1")
        assert guard.blocked == []


# Each step's ↑, ↓ and "leave out" buttons: the top of each, per step row (a button with a
# tooltip has a hidden copy of no height, left out).
STEP_BUTTON_TOPS_JS = """
() => [...document.querySelectorAll('[class*="st-key-tour_step_row_"]')].map(row =>
    [...row.querySelectorAll('button')].filter(b => b.getBoundingClientRect().height > 0)
        .map(b => Math.round(b.getBoundingClientRect().top)))
"""


def test_on_a_phone_each_steps_buttons_share_one_row(browser: Any, app_url: str) -> None:
    """Streamlit stacks columns on a phone: a step's three buttons took three rows each."""
    with guarded_page(browser, PHONE, touch=True) as (page, guard):
        page.goto(app_url + "/Present?lang=kk")
        def step_rows() -> list[list[int]] | None:
            # The rows come one by one on a busy machine: wait for all five, not the first.
            rows = [r for r in page.evaluate(STEP_BUTTON_TOPS_JS) if len(r) == 3]
            return rows if len(rows) >= 5 else None

        rows = poll(page, step_rows, 30, "the tour's five step rows")
        assert len(rows) == 5
        for tops in rows:
            assert max(tops) - min(tops) <= 2, tops


# Issue 13 polish: the whole country in view, site names moved rather than dropped.
PROJECTOR = FULL_HD

# The part of the map's frame a viewer sees on the first screen: inside the window and above
# the step buttons, which stay at the bottom of the screen over whatever is beneath them.
VISIBLE_PANE_JS = """
frame => {
  const r = frame.getBoundingClientRect();
  const controls = document.querySelector('.st-key-t_controls').getBoundingClientRect();
  return [Math.max(r.left, 0), Math.max(r.top, 0), Math.min(r.right, window.innerWidth),
          Math.min(r.bottom, window.innerHeight, controls.top), r.left, r.top];
}
"""


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "kk"), (PHONE, "ru"), (LAPTOP, "ru"),
                                                (PROJECTOR, "en")],
                         ids=["phone-kk", "phone-ru", "laptop-ru", "projector-en"])
def test_the_opening_shows_the_whole_country(browser: Any, app_url: str,
                                             viewport: dict[str, int], lang: str) -> None:
    """On the first screen, the whole country is in view on the opening step's map: not run
    on under the step buttons (a phone) nor under the open legend (a projector)."""
    from atlas.maps.explorer import KAZAKHSTAN_BOUNDS

    with guarded_page(browser, viewport, touch=viewport is PHONE) as (page, guard):
        page.goto(app_url + f"/Present?play=1&lang={lang}&step=0")
        frame = map_frame(page)
        poll(page, lambda: page.locator(".st-key-t_controls button").count(), 30, "the buttons")
        boxes = frame.evaluate(COUNTRY_BOX_JS, KAZAKHSTAN_BOUNDS)
        left, top, right, bottom, frame_left, frame_top = \
            frame.frame_element().evaluate(VISIBLE_PANE_JS)
        x0, y0, x1, y1 = boxes["country"]
        country = (frame_left + x0, frame_top + y0, frame_left + x1, frame_top + y1)
        assert country[0] >= left - 1 and country[1] >= top - 1, (country, (left, top))
        assert country[2] <= right + 1 and country[3] <= bottom + 1, (country, (right, bottom))
        if boxes["legend"] is not None:
            lx0, ly0, lx1, ly1 = boxes["legend"]
            assert x0 >= lx1 or y0 >= ly1, (boxes, "the legend covers the country")
        assert guard.blocked == []


def test_the_browser_places_names_by_the_same_rule_as_print(browser: Any) -> None:
    """The live map places site names with the JavaScript copy of ``place_labels``: on the
    same crowds and frames, both choose the same places."""
    import random

    from atlas.maps.labels import PLACE_LABELS_JS, Box, LabelCandidate, place_labels, text_size

    page = browser.new_page()
    try:
        page.set_content("<html><body></body></html>")
        page.add_script_tag(content=PLACE_LABELS_JS)
        for seed in range(60):
            rng = random.Random(seed)
            spread = rng.choice([60, 150, 300])
            candidates = []
            for _ in range(rng.randint(1, 14)):
                width, height = text_size("x" * rng.randint(3, 30), 15)
                radius = round(rng.uniform(4, 32), 2)
                candidates.append(LabelCandidate(round(rng.uniform(0, spread), 1),
                                                 round(rng.uniform(0, spread), 1), radius,
                                                 width, height, radius))
            frame = None if seed % 3 == 0 else Box(-20, -20, spread + 20, spread + 20)
            blocked = [Box(x, y, x + rng.uniform(20, 120), y + rng.uniform(10, 40))
                       for x, y in ((rng.uniform(0, spread), rng.uniform(0, spread))
                                    for _ in range(seed % 3))]
            want = [None if p is None else [p.align, p.baseline, round(p.box.left, 6),
                                            round(p.box.top, 6)]
                    for p in place_labels(candidates, frame, blocked)]
            got = page.evaluate(
                """([cs, frame, blocked]) => atlasPlaceLabels(cs, frame, blocked).map(p => p &&
                    [p.align, p.baseline, Math.round(p.box[0] * 1e6) / 1e6,
                     Math.round(p.box[1] * 1e6) / 1e6])""",
                [[c.__dict__ for c in candidates],
                 None if frame is None else [frame.left, frame.top, frame.right, frame.bottom],
                 [[b.left, b.top, b.right, b.bottom] for b in blocked]])
            assert got == want, seed
    finally:
        page.close()


# The names on a step's map: where the browser placed them (the rule's input and output, see
# atlas.maps.sites) and the names hidden because the map's edge would cut them.
NAMES_JS = """
() => {
  const placed = window.atlasLabelPlaces;
  if (!placed) return null;
  const frame = window.map.getContainer().getBoundingClientRect();
  const shown = [...document.querySelectorAll('.atlas-site-label')].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, hidden: getComputedStyle(e).visibility === 'hidden',
            box: [r.left - frame.left, r.top - frame.top, r.right - frame.left,
                  r.bottom - frame.top]};
  });
  return {placed: placed, shown: shown, size: [frame.width, frame.height]};
}
"""


def _names_placed_by_the_rule(page: Any, frame: Any) -> list[str]:
    """The names on ``frame``'s map, checked: where ``place_labels`` puts them for the map's
    real size and controls, none hidden at the edge, none over another or over a control;
    returns the names shown."""
    from atlas.maps.labels import Box, LabelCandidate, place_labels

    names = poll(page, lambda: frame.evaluate(NAMES_JS), 20, "the site names placed")
    width, height = names["size"]
    candidates = [LabelCandidate(**c) for c in names["placed"]["candidates"]]
    controls = [Box(*b) for b in names["placed"]["blocked"]]
    assert controls  # the zoom buttons, the legend, the scale
    want = place_labels(candidates, Box(0, 0, width, height), controls)
    placed = [name for name, p in zip(names["placed"]["names"], want, strict=True) if p]
    assert sorted(n["text"] for n in names["shown"]) == sorted(placed)
    assert not [n["text"] for n in names["shown"] if n["hidden"]]
    for a, b in itertools.combinations([Box(*n["box"]) for n in names["shown"]], 2):
        assert not a.overlaps(b), (a, b)
    for n in names["shown"]:
        assert Box(*n["box"]).inside(Box(0, 0, width, height)), n
        assert not any(Box(*n["box"]).overlaps(c) for c in controls), n
    return placed


@pytest.mark.parametrize(("viewport", "lang"), [(LAPTOP, "ru"), (PROJECTOR, "en")],
                         ids=["laptop-ru", "projector-en"])
def test_east_kazakhstan_names_move_rather_than_vanish(browser: Any, app_url: str,
                                                       viewport: dict[str, int],
                                                       lang: str) -> None:
    """The East and Central Kazakhstan step: a name that has no room on its marker's side
    facing the map's edge goes to another side; none is hidden at the edge (see
    ``_names_placed_by_the_rule``)."""
    with guarded_page(browser, viewport) as (page, guard):
        page.goto(app_url + f"/Present?play=1&lang={lang}&order=eu-tald-east-central&step=1")
        placed = _names_placed_by_the_rule(page, map_frame(page))
        # The three sites of East Kazakhstan and the Karaganda one are named on a projector;
        # on a laptop the smallest, drawn under Glubokoe's marker, has no free place left.
        assert len(placed) >= (4 if viewport is PROJECTOR else 3), placed
        assert guard.blocked == []


# Each site marker's box and each top-left control's box (the zoom buttons, the legend open
# or folded), in the map's pixels.
MARKERS_AND_CONTROLS_JS = """
() => {
  const map = window.map, frame = map.getContainer().getBoundingClientRect();
  const controls = [...document.querySelectorAll('.leaflet-top.leaflet-left > *')]
    .map(e => e.getBoundingClientRect()).filter(b => b.width && b.height)
    .map(b => [b.left - frame.left, b.top - frame.top, b.right - frame.left,
               b.bottom - frame.top]);
  const markers = [];
  map.eachLayer(l => {
    if (l instanceof L.CircleMarker) {
      const p = map.latLngToContainerPoint(l.getLatLng()), r = l.getRadius();
      markers.push([p.x - r, p.y - r, p.x + r, p.y + r]);
    }
  });
  return {controls, markers};
}
"""


# The map's view while no zoom or pan runs (else null).
VIEW_JS = """
() => {
  const map = window.map;
  if (!map || !map._loaded || map._animatingZoom || (map._panAnim && map._panAnim._inProgress))
    return null;
  const c = map.getCenter();
  return [map.getZoom(), c.lat.toFixed(5), c.lng.toFixed(5)].join();
}
"""


def _settled_view(page: Any, frame: Any, step: str) -> None:
    """Wait until three views in a row are the same: the fit (and a refit for the controls'
    size) is done. (MAP_VIEW_JS may not settle on a phone, see ``_loaded_map``.)"""
    views: list[Any] = []

    def same() -> bool:
        views.append(frame.evaluate(VIEW_JS))
        return len(views) > 2 and views[-1] is not None and views[-1] == views[-2] == views[-3]

    poll(page, same, 30, f"the map of step {step} to settle")


def test_a_regions_markers_on_a_phone_stay_clear_of_the_maps_controls(
        browser: Any, app_url: str) -> None:
    """The region steps on a phone: the map is fitted in what the zoom buttons and the folded
    legend leave free, so no site marker sits under them (Karaganda's went under the legend's
    button)."""
    from atlas.maps.labels import Box

    with guarded_page(browser, PHONE, touch=True) as (page, guard):
        for step in ("1", "2", "3", "4", "5"):
            page.goto(app_url + f"/Present?play=1&lang=ru&by=region&step={step}")
            frame = _loaded_map(page, step)
            _settled_view(page, frame, step)
            found = frame.evaluate(MARKERS_AND_CONTROLS_JS)
            controls = [Box(*c) for c in found["controls"]]
            assert len(controls) == 2, found  # the zoom buttons and the legend
            under = [m for m in found["markers"]
                     if any(Box(*m).overlaps(c) for c in controls)]
            assert not under, (step, under, found["controls"])
        assert guard.blocked == []


def test_names_on_a_phone_stay_clear_of_the_legend(browser: Any, app_url: str) -> None:
    """On a phone the folded legend sits over Mangystau's coast: "Баутино" went under it."""
    with guarded_page(browser, PHONE, touch=True) as (page, guard):
        for step in ("1", "2"):
            page.goto(app_url + "/Present?play=1&lang=kk"
                      "&order=auyldy-birlese-damytu,efca-public-spaces&step=" + step)
            placed = _names_placed_by_the_rule(page, _loaded_map(page, step))
            assert placed, step
        assert guard.blocked == []
