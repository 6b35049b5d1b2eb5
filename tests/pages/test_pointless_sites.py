"""Every page runs on a store holding sites without a point (a whole region, the whole
country): the explorer, the card, the lists, the sources, the presenter and the edit page."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas import auth
from atlas.auth import Account
from atlas.editing import save_row
from atlas.i18n import t
from atlas.store import open_store
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.text import md
from tests.pages.support import MAIN, ROOT, metric, open_page, run
from tests.pointless import (
    NATIONAL_PROJECT,
    NATIONAL_SITE,
    POINTLESS_ROWS,
    REGION_CODE,
    REGION_SITE,
)

PAGES = [MAIN, *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]


@pytest.fixture(scope="module", autouse=True)
def pointless_store(store_file: Path) -> None:
    store = open_store(store_file)
    auth.add_user(store, "editor", "editor", "editor-password-1")
    for row in POINTLESS_ROWS:
        save_row(store, Account("editor", "editor"), "sites", row, 0, new=True)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page: str) -> None:
    at = open_page(page)
    at.session_state[ACCOUNT_KEY] = Account("editor", "editor")
    run(at)


def test_the_explorer_counts_every_site_once_and_the_card_says_where() -> None:
    at = run(open_page(project=NATIONAL_PROJECT))
    assert metric(at, "kpi_sites") == "28"  # the bundled 26 and the national project's 2
    shown = " ".join(str(e.value) for e in at.markdown)
    assert "across Kazakhstan" in shown
    # Karaganda's six bundled sites and the whole-region one; the nationwide site is in none.
    assert metric(run(open_page(region=REGION_CODE)), "kpi_sites") == "7"


def test_the_edit_page_opens_a_nationwide_site_and_its_project_map() -> None:
    at = open_page("pages/4_Edit.py", table="sites", row=NATIONAL_SITE)
    at.session_state[ACCOUNT_KEY] = Account("editor", "editor")
    run(at)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize(("site", "point", "region", "hint"), [
    (NATIONAL_SITE, False, False, "edit_no_point_no_region"),
    (REGION_SITE, False, True, "edit_no_point"),
    ("s-abd-bautino", True, True, None),  # a settlement: a point and its region
])
def test_the_site_form_marks_as_required_only_what_the_validator_requires(
        lang: str, site: str, point: bool, region: bool, hint: str | None) -> None:
    at = open_page("pages/4_Edit.py", table="sites", row=site, lang=lang)
    at.session_state[ACCOUNT_KEY] = Account("editor", "editor")
    run(at)

    def marked(label: str, name: str, required: bool) -> bool:
        return label == t(f"ecol_{name}", lang) + (" *" if required else "")

    for name in ("lon", "lat"):
        box = at.number_input(key=f"ef_sites_{name}")
        assert marked(box.label, name, point), box.label
        assert box.help == t("edit_point_help", lang)
    picker = at.selectbox(key="ef_sites_region_code")
    assert marked(picker.label, "region_code", region), picker.label
    assert picker.help == t("edit_region_help", lang)
    captions = [str(c.value) for c in at.caption]
    hints = {md(t(k, lang)) for k in ("edit_no_point", "edit_no_point_no_region")}
    assert [c for c in captions if c in hints] == ([md(t(hint, lang))] if hint else [])


def test_choosing_a_precision_changes_what_the_site_form_requires() -> None:
    at = open_page("pages/4_Edit.py", table="sites", row="new")
    at.session_state[ACCOUNT_KEY] = Account("editor", "editor")
    run(at)
    assert at.number_input(key="ef_sites_lon").label == "Longitude *"  # no precision yet
    at.selectbox(key="ef_sites_precision").set_value("region")
    run(at)
    assert at.number_input(key="ef_sites_lat").label == "Latitude"
    assert at.selectbox(key="ef_sites_region_code").label == "Stated region *"
    at.selectbox(key="ef_sites_precision").set_value("exact")
    run(at)
    assert at.number_input(key="ef_sites_lat").label == "Latitude *"
