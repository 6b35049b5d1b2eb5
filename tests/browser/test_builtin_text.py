"""Streamlit's own words on a Russian page, in headless Chromium: the uploader's button, limit
line, drop text and file size, and a filter's "No results", as a reader sees them.

Streamlit draws these words itself; atlas.ui.builtin_text puts the viewer's words over them with
CSS on Streamlit's data-testid hooks. A Streamlit release that renames a hook or changes the
markup fails here instead of showing English.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from atlas.i18n import t
from atlas.ui.builtin_text import size_text
from tests.browser.support import OfflineGuard, guarded_page, page_text, poll

pytestmark = pytest.mark.browser

EDITOR, PASSWORD = "alice", "alice-password-1"
LAPTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
DROPZONE = '[data-testid="stFileUploaderDropzone"]'
# What a reader sees of each element: its ::after words when its own text is hidden (size 0),
# else its own text.
SHOWN_JS = """sel => [...document.querySelectorAll(sel)].map(e => {
    const own = getComputedStyle(e), after = getComputedStyle(e, '::after');
    const hidden = parseFloat(own.fontSize) === 0;
    return hidden && after.content !== 'none' && parseFloat(after.fontSize) > 0
        ? after.content.slice(1, -1) : (hidden ? '' : e.textContent.trim());
})"""
DRAG_JS = f"""() => {{
    const zone = document.querySelector('{DROPZONE}');
    const files = new DataTransfer();
    files.items.add(new File(['site_id'], 'sites.csv', {{type: 'text/csv'}}));
    zone.dispatchEvent(new DragEvent('dragenter', {{dataTransfer: files, bubbles: true}}));
}}"""
ENGLISH = re.compile(r"\b(Upload|Drag|drop|per file|No results|KB|MB)\b")


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store with one editor account, built before the server starts."""
    from atlas.auth import add_user
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-browser-words") / "atlas.sqlite"
    add_user(open_store(path), EDITOR, "editor", PASSWORD)
    return path


def shown(page: Any, selector: str) -> list[str]:
    return list(page.evaluate(SHOWN_JS, selector))


def shown_as(page: Any, selector: str, words: str, what: str) -> None:
    """Wait until the one element of ``selector`` shows ``words``."""
    poll(page, lambda: shown(page, selector) == [words], 30,
         f"{what} to read {words!r} (it reads {shown(page, selector)!r})")


def test_the_uploader_speaks_russian(browser: Any, app_url: str, tmp_path: Path) -> None:
    with guarded_page(browser, LAPTOP) as (page, guard):
        page.goto(app_url + "/Import")
        page.get_by_label("Account name").fill(EDITOR)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        poll(page, lambda: "Logged in as alice" in page_text(page), 30, "the login")
        # The page trades a one-time code for the session cookie the next page load resumes.
        poll(page, lambda: any(c["name"] == "atlas_session" for c in page.context.cookies()),
             30, "the session cookie")
        page.goto(app_url + "/Import?lang=ru")
        poll(page, lambda: page.locator(DROPZONE).count(), 30, "the upload field")

        shown_as(page, f'{DROPZONE} [data-testid="stBaseButton-secondary"] p',
                 t("st_upload", "ru"), "the upload button")
        shown_as(page, '[data-testid="stFileUploaderDropzoneInstructions"] span',
                 "до 20 МБ на файл • CSV, XLSX, GEOJSON, XML", "the limit line")
        page.evaluate(DRAG_JS)
        shown_as(page, f"{DROPZONE} > div:not([data-testid]) > span:only-child",
                 t("st_drop_here", "ru"), "the drop text")

        upload = tmp_path / "sites.csv"
        upload.write_text("site_id,name_en\n" + "".join(f"s-{i},Site {i}\n" for i in range(600)))
        page.locator("input[type=file]").set_input_files(str(upload))
        shown_as(page, '[data-testid="stFileChip"] [data-testid="stFileChipName"] + div',
                 size_text(upload.stat().st_size, "ru"), "the file's size")
        assert re.fullmatch(r"\d+,\d КБ", size_text(upload.stat().st_size, "ru"))
        assert not ENGLISH.search(" ".join(
            shown(page, f"{DROPZONE} *:not(:has(*))") + shown(page, f"{DROPZONE} p")))
        assert guard.blocked == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_filter_that_matches_nothing_says_so_in_russian(
        browser: Any, app_url: str, viewport: dict[str, int]) -> None:
    guard: OfflineGuard
    with guarded_page(browser, viewport, touch=viewport is PHONE) as (page, guard):
        page.goto(app_url + "/?lang=ru")
        donor = page.locator('[data-testid="stMultiSelect"]').first
        poll(page, lambda: donor.count(), 30, "the donor filter")
        if viewport is PHONE:  # the filters are in the folded sidebar: open it
            opener = page.locator('[data-testid="stExpandSidebarButton"]')
            poll(page, opener.count, 30, "the sidebar's open button")
            opener.first.click()
        poll(page, lambda: donor.bounding_box()["x"] >= 0, 30, "the donor filter in view")
        donor.locator("input").click()
        page.keyboard.type("zzzq")
        shown_as(page, '[role="listbox"][data-empty="true"] [role="option"] > span',
                 t("st_no_results", "ru"), "the empty list")
        assert guard.blocked == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_skip_link_a_keyboard_user_meets_first_speaks_the_language(
        browser: Any, app_url: str, lang: str) -> None:
    """Streamlit's "Skip to main content" shows at the top left on the first Tab."""
    skip = '[data-testid="stSkipToContent"]'
    with guarded_page(browser, LAPTOP) as (page, guard):
        page.goto(app_url + f"/Sources?lang={lang}")
        poll(page, lambda: page.locator("h1").count(), 30, "the page")
        page.keyboard.press("Tab")
        poll(page, lambda: page.evaluate(
            f"() => document.activeElement === document.querySelector('{skip}')"), 10,
             "the skip link to take the focus")
        shown_as(page, skip, t("st_skip_to_content", lang), "the skip link")
        box = page.locator(skip).bounding_box()
        assert box is not None and box["width"] > 100 and box["x"] >= 0  # shown, not clipped
        assert guard.blocked == []
