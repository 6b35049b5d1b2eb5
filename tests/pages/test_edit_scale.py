"""The Edit page on a table of many rows (AppTest on a generated set of 300 sites, 61
projects): one page of the overview and of the row picker at a time, a search, the page and
the search in the URL, a link to a row on any page, and search-then-pick for a reference to a
large table. (Issue 11: at 100,000 sites every rerun built a label for every row.)

The account is put in the session the way a login does, as in tests/pages/test_edit.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth
from atlas import edit_forms as ef
from atlas.auth import Account
from atlas.figures import format_number
from atlas.i18n import LANGUAGES, t
from atlas.snapshot import Snapshot
from atlas.store import open_store
from atlas.synth import synthesize
from atlas.ui import edit_page
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.text import md
from tests.pages.support import fill_new_site, open_page, plain, run

PAGE = "pages/4_Edit.py"
SIZE = edit_page.PAGE_SIZE


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's store holds a generated set: 300 sites, six pages of them."""
    path = tmp_path_factory.mktemp("atlas-edit-scale") / "atlas.sqlite"
    store = open_store(path)
    store.replace_all(synthesize(300, seed=3), reason="edit scale test")
    auth.add_user(store, "alice", "editor", "alice-password-1")
    return path


def as_alice(**params: str) -> AppTest:
    """The Edit page with URL parameters (``page`` among them), alice logged in."""
    at = open_page(PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.session_state[ACCOUNT_KEY] = Account("alice", "editor")
    return run(at)


def picker(at: AppTest, table: str = "sites") -> list[Any]:
    return list(at.selectbox(key=f"e_row_{table}").options)


def shown_ids(at: AppTest) -> list[str]:
    """The ids (first column) of the overview's rows."""
    return [plain(x) for x in at.table[0].value.iloc[:, 0]]


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("caption", "info", "markdown")
                     for e in at.get(kind))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_large_table_comes_a_page_at_a_time(app_snap: Snapshot, lang: str) -> None:
    keys = ef.row_keys("sites", app_snap.table("sites"))
    assert len(keys) > 5 * SIZE
    at = as_alice(lang=lang, table="sites")
    assert shown_ids(at) == keys[:SIZE]
    # The picker offers this page's rows and a new row, never the whole table.
    assert picker(at) == [t("edit_new_row", lang), *[
        ef.row_label("sites", r, app_snap, lang)
        for r in app_snap.table("sites").iloc[:SIZE].to_dict("records")]]
    rows = t("list_rows", lang, first=1, last=SIZE, total=format_number(len(keys), lang))
    assert rows in texts(at) and md(t("edit_pick_hint", lang)) in texts(at)
    at.button(key="e_page_next").click()
    run(at)
    assert shown_ids(at) == keys[SIZE:2 * SIZE]
    assert at.selectbox(key="e_row_sites").options[1].endswith(f"({keys[SIZE]})")
    assert at.query_params["page"] == "2" and at.query_params["table"] == "sites"
    at.number_input(key="e_page_box").set_value(6)
    run(at)
    assert shown_ids(at) == keys[5 * SIZE:]
    assert at.button(key="e_page_next").disabled


def test_a_search_narrows_the_rows_and_lives_in_the_url(app_snap: Snapshot) -> None:
    sites = app_snap.table("sites")
    project = str(sites["project_id"].iloc[-1])
    expected = list(sites.loc[sites["project_id"] == project, "site_id"])
    at = as_alice(table="sites", lang="ru", page="3")
    at.text_input(key="e_query").input(project.upper())
    run(at)
    assert shown_ids(at) == expected
    assert len(picker(at)) == len(expected) + 1
    assert at.query_params["q"] == project.upper() and "page" not in at.query_params
    assert md(t("edit_search_count", "ru", n=len(expected),
                total=format_number(len(sites), "ru"))) in texts(at)
    at.text_input(key="e_query").input("no such site anywhere")
    run(at)
    assert [i.value for i in at.info] == [md(t("edit_search_none", "ru"))]
    assert picker(at) == [t("edit_new_row", "ru")]
    # Another table starts unsearched, from its first page.
    at.selectbox(key="e_table").set_value("results")
    run(at)
    assert at.text_input(key="e_query").value == "" and "q" not in at.query_params
    assert len(shown_ids(at)) == SIZE


def test_the_url_reopens_a_search_a_page_and_a_row_on_another_page(
        app_snap: Snapshot) -> None:
    sites = app_snap.table("sites")
    last = sites.iloc[-1]
    at = as_alice(table="sites", row=str(last["site_id"]), lang="kk")
    # The row is open although the first page shows other rows.
    assert str(last["site_id"]) not in shown_ids(at)
    assert at.selectbox(key="e_row_sites").value == last["site_id"]
    assert at.text_input(key="ef_sites_name_kk").value == last["name_kk"]
    assert at.subheader[0].value == md(f"{last['name_kk']} ({last['site_id']})")
    assert at.query_params["row"] == last["site_id"]
    # Paging keeps the open row offered in the picker.
    at.button(key="e_page_next").click()
    run(at)
    assert picker(at)[1] == f"{last['name_kk']} ({last['site_id']})"
    assert at.selectbox(key="e_row_sites").value == last["site_id"]
    at = as_alice(table="sites", q="settlement", page="2")
    assert at.text_input(key="e_query").value == "settlement"
    expected = ef.row_page(app_snap, "sites", "en", "settlement", 2, SIZE).ids
    assert shown_ids(at) == expected and len(expected) == SIZE


@pytest.mark.parametrize(("q", "page", "row"), [
    ("(" * 5000, "-5", "x" * 10_000),
    ("\x00\x1b[31m.*", "10" * 30, "syn-s0000001/../../etc"),
    ("\u202e" + "ж" * 300, "abc", "new"),
])
def test_hostile_search_page_and_row_in_the_url(q: str, page: str, row: str) -> None:
    at = as_alice(table="sites", q=q, page=page, row=row)
    box = at.text_input(key="e_query").value
    assert len(box) <= 200 and "\x00" not in box
    assert at.session_state["e_page"] >= 1
    assert at.selectbox(key="e_row_sites").value == (edit_page.NEW if row == "new" else None)


def test_a_rerun_labels_no_row_of_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels come from a row list built once per data version, never one record at a time."""
    one_by_one: list[str] = []
    whole: list[str] = []
    real_label, real_labels = ef.row_label, ef.row_labels
    monkeypatch.setattr(ef, "row_label", lambda table, *a: one_by_one.append(table) or
                        real_label(table, *a))
    monkeypatch.setattr(ef, "row_labels", lambda table, *a: whole.append(table) or
                        real_labels(table, *a))
    at = as_alice(table="funding_flows", lang="ru")
    for _ in range(3):
        run(at)
    assert one_by_one == [] and whole.count("funding_flows") <= 1
    assert len(picker(at, "funding_flows")) <= SIZE + 1


# --- references to a large table ------------------------------------------------------------

@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """61 projects, 20 regions and 8 sources count as large tables here (as 20,000 projects
    do at 100,000 sites)."""
    monkeypatch.setattr(edit_page, "LARGE_REFERENCE", 5)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_large_reference_offers_the_value_held_and_the_matches(
        app_snap: Snapshot, small_limit: None, lang: str) -> None:
    site = app_snap.table("sites").iloc[-1]
    names = ef.reference_labels(app_snap, "projects.project_id", lang)
    at = as_alice(table="sites", row=str(site["site_id"]), lang=lang)
    find = at.text_input(key="ef_sites_project_id_find")
    assert find.label == t("edit_ref_find", lang, n=format_number(len(names), lang))
    project = at.selectbox(key="ef_sites_project_id")
    assert project.value == site["project_id"]
    assert project.options == [names[site["project_id"]]]
    sources = at.multiselect(key="ef_sites_source_ids")
    assert sources.value == [site["source_ids"]] and len(sources.options) == 1
    # A search offers the first matches, and says how many more there are.
    find.input("syn-p")
    run(at)
    options = at.selectbox(key="ef_sites_project_id").options
    assert len(options) == edit_page.REFERENCE_MATCHES + 1  # the value held, then matches
    assert options[0] == names[site["project_id"]]
    more = t("edit_ref_more", lang, shown=edit_page.REFERENCE_MATCHES,
             total=format_number(len(names) - 5, lang))
    assert md(more) in texts(at), texts(at)
    at.text_input(key="ef_sites_project_id_find").input("nothing like this")
    run(at)
    assert md(t("edit_ref_none", lang)) in texts(at)
    assert at.selectbox(key="ef_sites_project_id").options == [names[site["project_id"]]]


def test_a_site_saved_with_a_project_found_by_search(
        app_snap: Snapshot, store_file: Path, small_limit: None) -> None:
    projects = app_snap.table("projects")
    wanted = projects.iloc[40]
    at = as_alice(table="sites", row="new")
    at.text_input(key="ef_sites_project_id_find").input(str(wanted["title_ru"]))
    at.text_input(key="ef_sites_source_ids_find").input("EEAS")
    at.text_input(key="ef_sites_region_code_find").input("мангист")  # 20 regions: large here
    run(at)
    at.selectbox(key="ef_sites_project_id").set_value(wanted["project_id"])
    at.multiselect(key="ef_sites_source_ids").set_value(["eeas-mangystau-2018"])
    fill_new_site(at, 51.68116, 43.18032, site_id="s-test-found", name="Found by search",
                  precision="settlement")
    run(at)
    at.button(key="e_save").click()
    run(at)
    assert at.success, [e.value for e in at.error]
    sites = open_store(store_file).load()["sites"].set_index("site_id")
    assert sites.loc["s-test-found", "project_id"] == wanted["project_id"]
    assert sites.loc["s-test-found", "source_ids"] == "eeas-mangystau-2018"
    # The saved row stays open and offered, though it is on the last page.
    assert at.selectbox(key="e_row_sites").value == "s-test-found"
    assert at.selectbox(key="ef_sites_project_id").value == wanted["project_id"]
