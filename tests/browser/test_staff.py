"""The Edit page in headless Chromium: an editor logs in, adds a site to a project by typing
a gazetteer name and picking it, saves, and the map page draws one more site.

Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    OfflineGuard,
    app_idle,
    map_frame,
    page_text,
    poll,
)

pytestmark = pytest.mark.browser

EDITOR, PASSWORD = "alice", "alice-password-1"
SCREENSHOT_COPY = Path("/tmp/atlas-browser-edit.png")
# Site markers of the map (a project's sites at one point are one marker).
SITES_JS = """() => {
    let n = 0;
    window.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.layer === 'site') n++;
    });
    return n;
}"""


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store with one editor account, built before the server starts."""
    from atlas.auth import add_user
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-browser-edit") / "atlas.sqlite"
    add_user(open_store(path), EDITOR, "editor", PASSWORD)
    return path


def site_markers(page: Any, app_url: str) -> int:
    page.goto(app_url + "/")
    frame = map_frame(page)
    return int(frame.evaluate(SITES_JS))


def idle(page: Any) -> None:
    """Wait until the app has finished its rerun (no "Running..." status shown)."""
    page.wait_for_timeout(300)
    poll(page, lambda: page.locator('[data-testid="stStatusWidget"]').count() == 0, 30,
         "the app to finish its rerun")


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select (selectbox or multiselect) labelled ``label``:
    type it, and take the option the filter leaves focused."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)

    def pick() -> bool:
        # The list may be redrawn under the pointer: try again until a click lands.
        page.get_by_role("option", name=option).first.click(timeout=2_000)
        return True

    poll(page, pick, 30, f"{option!r} in the {label!r} list")
    # A multiselect's list stays open: click outside to close it (Escape would undo).
    page.locator("h1").first.click()
    idle(page)


def test_add_a_site_by_gazetteer_name_and_see_it_on_the_map(
        guarded: tuple[Any, OfflineGuard], app_url: str, store_file: Path) -> None:
    from atlas.store import open_store

    page, guard = guarded
    before = site_markers(page, app_url)

    page.goto(app_url + "/Edit?table=sites&row=new")
    page.get_by_label("Account name").fill(EDITOR)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    poll(page, lambda: "Logged in as alice" in page_text(page), 30, "the login")
    idle(page)

    choose(page, "Project *", "Public Spaces (Mangystau)")
    choose(page, "Sources *", "efca-public-spaces-2020")
    search = page.get_by_label("Find a place (in any language)")
    search.fill("Жетыбай")
    search.press("Enter")
    idle(page)
    places = page.get_by_label("Places found", exact=False)
    assert places.input_value().startswith("Zhetybay — Mangystau Region") or \
        "Zhetybay — Mangystau Region" in page.inner_text("body")
    page.get_by_role("button", name="Use this place").click()
    poll(page, lambda: "Region from the point: Mangystau Region (KAZ014)" in page_text(page),
         30, "the region computed from the picked point")
    assert page.get_by_label("Name (ru)").input_value() == "Жетыбай"
    page.get_by_role("button", name="Save", exact=True).click()
    poll(page, lambda: "Saved as change #1." in page_text(page), 30, "the saved message")
    page.screenshot(path=str(SCREENSHOT_COPY), full_page=True)

    sites = open_store(store_file).load()["sites"].set_index("site_id")
    site = sites.loc["s-zhetybay"]
    assert (site["project_id"], site["region_code"]) == ("efca-public-spaces", "KAZ014")
    assert site["location_basis"].startswith("GeoNames cities500")

    assert site_markers(page, app_url) == before + 1
    assert guard.blocked == []


def log_in(page: Any) -> None:
    page.get_by_label("Account name").fill(EDITOR)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    poll(page, lambda: "Logged in as alice" in page_text(page), 30, "the login")


def still_logged_in(page: Any) -> bool:
    """After a page load: True once the page shows the login of its session cookie, False
    once it shows the login form instead."""
    def settled() -> str:
        if "Logged in as alice" in page_text(page):
            return "in"
        return "out" if page.get_by_label("Account name").count() else ""
    return bool(poll(page, settled, 30, "the login or the login form") == "in")


def undo_latest_change(page: Any, app_url: str, store_file: Path) -> None:
    """Open the History (still logged in: the session cookie outlives the page load) and undo
    the newest change, confirming it."""
    from atlas.i18n import t
    from atlas.store import open_store

    page.goto(app_url + "/History")
    assert still_logged_in(page)
    undo = page.get_by_role("button", name=t("hist_undo", "en", id=open_store(store_file)
                                              .history()[0].change_id))
    poll(page, lambda: undo.count(), 30, "the undo button of the import")
    undo.first.click()
    yes = page.get_by_role("button", name=t("hist_undo_yes", "en"))
    poll(page, lambda: yes.count(), 30, "the confirmation")
    yes.first.click()


def test_import_a_spreadsheet_see_it_then_undo_it(
        guarded: tuple[Any, OfflineGuard], app_url: str, store_file: Path) -> None:
    """The issue's walk-through: an editor imports Kuryk's mini-projects from the example
    workbook, reads the report, applies it, sees it on the map's project card, and undoes it."""
    from atlas.i18n import t
    from atlas.paths import REPO_ROOT
    from atlas.store import open_store

    page, guard = guarded
    example = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"
    before = open_store(store_file).load()["results"]

    page.goto(app_url + "/Import")
    log_in(page)
    poll(page, lambda: page.locator("input[type=file]").count(), 30, "the upload field")
    page.locator("input[type=file]").set_input_files(str(example))
    apply = page.get_by_role("button", name=t("imp_apply", "en", n=2))
    poll(page, lambda: apply.count(), 30, "the report and its apply button")
    # The report (its row tables are canvas grids, so the headings are what the DOM shows).
    assert "What kuryk-mini-projects.xlsx would change" in page_text(page)
    # Nothing is written before the editor applies the report.
    assert len(open_store(store_file).load()["results"]) == len(before)
    apply.click()
    poll(page, lambda: "Imported 2 rows as change #" in page_text(page), 30, "the import")
    assert len(open_store(store_file).load()["results"]) == len(before) + 2

    page.goto(app_url + "/?project=efca-public-spaces")
    map_frame(page)
    # The card's results are folded: open them as a reader would.
    results = page.locator("summary", has_text=t("card_results", "en"))
    poll(page, lambda: results.count(), 30, "the card's results")
    results.first.click()
    poll(page, lambda: "EXAMPLE (import test): mini-projects in Kuryk" in page_text(page), 30,
         "the imported result on the project card")

    undo_latest_change(page, app_url, store_file)
    poll(page, lambda: len(open_store(store_file).load()["results"]) == len(before), 30,
         "the undo to land")
    page.goto(app_url + "/?project=efca-public-spaces")
    map_frame(page)
    poll(page, lambda: "Public Spaces" in page_text(page), 30, "the card")
    assert "EXAMPLE (import test)" not in page_text(page)
    assert guard.blocked == []


def test_import_a_publishers_iati_file_see_its_site_download_it_then_undo(
        guarded: tuple[Any, OfflineGuard], app_url: str, store_file: Path,
        tmp_path: Path) -> None:
    """The IATI walk-through: the official example has no Kazakhstan activity and the page
    says so; a publisher's Kazakhstan activity is reported by activity and element, applied,
    drawn on the map, downloaded again as IATI XML from the map page, and undone."""
    from atlas.i18n import t
    from atlas.paths import REPO_ROOT
    from atlas.store import open_store

    page, guard = guarded
    data = REPO_ROOT / "tests" / "iati" / "data"
    projects_before = len(open_store(store_file).load()["projects"])

    page.goto(app_url + "/Import")
    log_in(page)
    poll(page, lambda: page.locator("input[type=file]").count(), 30, "the upload field")
    page.locator("input[type=file]").set_input_files(
        str(data / "activity-standard-example-annotated-2.03.xml"))
    none_here = t("iati_nothing_kept", "en", read=1, country="KZ")[:40]
    poll(page, lambda: none_here in page_text(page), 60, "the example's report")
    assert not page.get_by_role("button", name="Apply").count()

    page.locator("input[type=file]").set_input_files(str(data / "kz-test-activities.xml"))
    apply = page.get_by_role("button", name=t("imp_apply", "en", n=13))
    poll(page, lambda: apply.count(), 60, "the report and its apply button")
    assert t("iati_kept", "en", kept=1, read=2, country="KZ") in page_text(page)
    assert len(open_store(store_file).load()["projects"]) == projects_before
    page.screenshot(path=str(tmp_path / "iati-report.png"), full_page=True)
    apply.click()
    poll(page, lambda: "Imported 13 rows as change #" in page_text(page), 60, "the import")

    page.goto(app_url + "/?project=xx-test-kz-001")
    map_frame(page)
    poll(page, lambda: "Village water councils, Mangystau" in page_text(page), 60,
         "the imported project's card")
    # The card is a panel over the page: close it to reach the page's downloads.
    page.keyboard.press("Escape")
    poll(page, lambda: page.locator("[role=dialog]").count() == 0, 30, "the card to close")
    download = page.get_by_role("button", name=t("iati_download", "en"))
    poll(page, lambda: download.count() and app_idle(page), 60,
         "the IATI download on the map page, the page idle")
    # The file is made when clicked: a busy machine takes a while.
    with page.expect_download(timeout=60_000) as info:
        download.first.click()
    exported = Path(info.value.path()).read_bytes()
    assert b"<iati-identifier>XX-TEST-KZ-001</iati-identifier>" in exported

    undo_latest_change(page, app_url, store_file)
    poll(page, lambda: len(open_store(store_file).load()["projects"]) == projects_before, 30,
         "the undo to land")
    assert guard.blocked == []


def session_cookie(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.context.cookies() if c["name"] == "atlas_session"), None)


def test_a_login_survives_a_reload_until_logout(
        guarded: tuple[Any, OfflineGuard], app_url: str, store_file: Path) -> None:
    """Log in, reload: still logged in, and the Edit page saves. Log out, reload: logged
    out. The session lives in an HttpOnly, SameSite=Strict cookie, never in the URL."""
    from atlas.i18n import t
    from atlas.store import open_store

    page, guard = guarded
    page.goto(app_url + "/Edit?table=results&row=r-abd-plans")
    log_in(page)
    cookie = poll(page, lambda: session_cookie(page), 30, "the session cookie")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["value"] not in page.url and cookie["value"] not in page.content()

    page.reload()
    assert still_logged_in(page)
    note = page.get_by_label(t("ecol_note", "en"), exact=True)
    poll(page, lambda: note.count(), 30, "the form of the result")
    note.fill("Checked again after a reload")
    note.press("Tab")
    idle(page)
    page.get_by_role("button", name=t("edit_save", "en"), exact=True).click()
    poll(page, lambda: "Saved as change #" in page_text(page), 30, "the saved message")
    latest = open_store(store_file).history(1)[0]
    assert latest.user == "alice" and latest.rows[0][3]["note"] == "Checked again after a reload"

    page.get_by_role("button", name=t("logout", "en")).click()
    poll(page, lambda: page.get_by_label("Account name").count(), 30, "the login form")
    poll(page, lambda: session_cookie(page) is None, 30, "the cookie to be cleared")
    page.reload()
    assert not still_logged_in(page)
    assert guard.blocked == []


def test_a_removed_accounts_cookie_opens_nothing(
        guarded: tuple[Any, OfflineGuard], app_url: str, store_file: Path) -> None:
    """The cookie of an account removed since (even if the browser kept it) logs nobody in."""
    from atlas import auth
    from atlas.store import open_store

    page, guard = guarded
    store = open_store(store_file)
    auth.add_user(store, "carol", "editor", "carol-password-1")
    page.goto(app_url + "/History")
    page.get_by_label("Account name").fill("carol")
    page.get_by_label("Password", exact=True).fill("carol-password-1")
    page.get_by_role("button", name="Log in").click()
    poll(page, lambda: "Logged in as carol" in page_text(page), 30, "the login")
    kept = poll(page, lambda: session_cookie(page), 30, "the session cookie")
    auth.remove_user(store, "carol")
    page.context.clear_cookies()
    page.context.add_cookies([{k: kept[k] for k in ("name", "value", "domain", "path",
                                                    "httpOnly", "sameSite", "expires")}])
    page.reload()
    poll(page, lambda: page.get_by_label("Account name").count(), 30, "the login form")
    assert "Logged in as" not in page_text(page)
    assert guard.blocked == []


# What a reader sees of Streamlit's own texts in the widgets found by ``selector``: each
# element's letters, or those a style sheet writes in their place (it shrinks the element's
# own to nothing).
SHOWN_TEXTS_JS = """selector => [...document.querySelectorAll(selector)].map(e => {
  const after = getComputedStyle(e, '::after');
  return after.content === 'none' || getComputedStyle(e).fontSize !== '0px'
    ? e.textContent : JSON.parse(after.content);
})"""
EMPTY_DATE_PARTS = '[data-testid=stDateInputField] [data-placeholder=true]'


def _wait_for_placeholders(page: Any, expected: list[str], lang: str) -> None:
    """The empty date fields show ``expected``: on a busy machine the fields come before the
    page's style sheet that words them, so wait for both."""
    seen: list[str] = []

    def shown() -> bool:
        seen[:] = page.evaluate(SHOWN_TEXTS_JS, EMPTY_DATE_PARTS)
        return seen[:3] == expected

    try:
        poll(page, shown, 30, f"the date fields in {lang}")
    except AssertionError:
        raise AssertionError(f"{lang}: {seen} instead of {expected}") from None


def test_streamlits_own_date_placeholders_read_in_the_readers_language(
        guarded: tuple[Any, OfflineGuard], app_url: str) -> None:
    """Streamlit writes "yyyy", "mm", "dd" in an empty date field in every language: the
    History page has them in Russian and Kazakh, and English pages keep Streamlit's (the
    uploader's words: tests/browser/test_builtin_text.py)."""
    from atlas.i18n import t

    page, guard = guarded
    page.goto(app_url + "/History")
    log_in(page)
    poll(page, lambda: session_cookie(page), 30, "the session cookie")  # outlives the loads
    for lang in ("kk", "ru", "en"):
        page.goto(app_url + f"/History?lang={lang}")
        _wait_for_placeholders(page, t("date_placeholder", lang).split("-"), lang)
    assert guard.blocked == []
