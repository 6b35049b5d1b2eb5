"""Pages on a store that cannot be used (damaged, deleted under the app, busy, read-only):
a message in the reader's language, never a traceback (Streamlit AppTest)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth, editing
from atlas import store as store_module
from atlas.auth import Account
from atlas.i18n import t
from atlas.migrate import head
from atlas.store import open_store
from atlas.ui.data import store_message
from atlas.ui.session import ACCOUNT_KEY
from tests.legacy_stores import execute, make_legacy, url_of
from tests.pages.support import MAIN, ROOT, metric, open_page, run

PAGES = [MAIN, *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
EDIT = "pages/4_Edit.py"
PASSWORD = "alice-password-1"


@pytest.fixture()
def own_store(store_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the module's store for this test alone (the app caches stores by path)."""
    path = tmp_path / "atlas.sqlite"
    source, target = sqlite3.connect(store_file), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    monkeypatch.setenv("ATLAS_STORE", str(path))
    return path


def click_while_another_writer_holds(at: AppTest, key: str, store: Path) -> None:
    """Click a button and run the page while another connection (an import, say) holds the
    store's write lock."""
    writer = sqlite3.connect(store, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        at.button(key=key).click()
        run(at)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def logged_in(page: str, **params: str) -> AppTest:
    at = open_page(page, **params)
    at.session_state[ACCOUNT_KEY] = Account("alice", "admin")
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def test_every_page_says_an_empty_store_is_damaged(own_store: Path) -> None:
    own_store.write_bytes(b"")  # the map page used to crash on it
    for page in PAGES:
        at = run(logged_in(page, lang="kk"))  # staff pages get past the login gate
        assert errors(at) == [t("store_damaged", "kk")], page


def test_every_page_says_a_database_server_that_cannot_be_reached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No server listens in this folder; the password never shows.
    monkeypatch.setenv("ATLAS_DATABASE_URL",
                       f"postgresql+psycopg://atlas:s3cret@/atlas?host={tmp_path}")
    for page in PAGES:
        at = run(logged_in(page, lang="kk"))
        assert errors(at) == [t("store_server_unavailable", "kk")], page


def test_every_page_says_an_older_store_must_be_upgraded(own_store: Path) -> None:
    """A store of an older schema (here today's, from before the migrations) stops every page
    with the command that brings it up to date; nothing is written to it."""
    make_legacy(url_of(str(own_store)), 6)
    before = own_store.read_bytes()
    for page in PAGES:
        at = run(logged_in(page, lang="ru"))
        assert errors(at) == [t("store_schema_older", "ru")], page
    assert "`atlas upgrade`" in t("store_schema_older", "ru")
    assert own_store.read_bytes() == before


def test_every_page_says_a_newer_store_needs_a_newer_atlas(own_store: Path) -> None:
    execute(url_of(str(own_store)), "UPDATE alembic_version SET version_num = '0099_future'")
    said = store_message("store_schema_newer", {"found": "0099_future", "known": head()}, "kk")
    assert "0099" in said
    for page in PAGES:
        at = run(logged_in(page, lang="kk"))
        assert errors(at) == [said], page


def test_the_map_says_a_store_with_a_damaged_header_is_damaged(own_store: Path) -> None:
    with own_store.open("r+b") as handle:
        handle.seek(16)
        handle.write(b"\xff" * 8)
    at = run(open_page(MAIN, lang="ru"))
    assert errors(at) == [t("store_damaged", "ru")]


def test_a_store_deleted_under_the_running_app_is_said(own_store: Path) -> None:
    at = run(open_page(MAIN, lang="ru"))
    assert metric(at, "kpi_projects", "ru") == "5"
    own_store.unlink()
    run(at)
    assert errors(at) == [t("store_replaced", "ru")]


def test_a_save_while_another_writer_holds_the_store_says_busy(
        own_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.3)
    auth.add_user(open_store(own_store), "alice", "editor", PASSWORD)
    at = run(logged_in(EDIT, lang="kk", table="results", row="r-abd-plans"))
    at.number_input(key="ef_results_value").set_value(14)
    click_while_another_writer_holds(at, "e_save", own_store)
    assert errors(at) == [t("store_busy", "kk")]
    results = open_store(own_store).load()["results"].set_index("result_id")
    assert results.at["r-abd-plans", "value"] == 13


def test_a_read_only_store_shows_the_atlas_and_stops_the_staff_pages(
        own_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_STORE_READ_ONLY", "1")
    at = run(open_page(MAIN, lang="ru"))
    assert metric(at, "kpi_projects", "ru") == "5" and not at.error
    at = run(logged_in(EDIT, lang="ru"))
    assert errors(at) == [t("store_read_only", "ru")]


def test_an_account_added_while_another_writer_holds_the_store_says_busy(
        own_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.3)
    auth.add_user(open_store(own_store), "alice", "admin", PASSWORD)
    at = run(logged_in(EDIT, lang="ru"))
    at.text_input(key="acc_new_name").input("carol")
    at.text_input(key="acc_new_pw").input("carol-password-1")
    at.text_input(key="acc_new_pw2").input("carol-password-1")
    click_while_another_writer_holds(at, "acc_add_go", own_store)
    assert [e.replace("\\", "") for e in errors(at)] == [t("store_busy", "ru")]
    assert [u[0] for u in auth.list_users(open_store(own_store))] == ["alice"]


def test_an_undo_while_another_writer_holds_the_store_says_busy(
        own_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.3)
    store = open_store(own_store)
    alice = auth.add_user(store, "alice", "admin", PASSWORD)
    site = store.load()["sites"].iloc[0].to_dict()
    change = editing.save_row(store, alice, "sites", {**site, "note": "Checked"}, 0).change_id
    at = run(logged_in("pages/5_History.py", lang="kk"))
    at.button(key=f"h_undo_{change}").click()
    run(at)
    click_while_another_writer_holds(at, f"h_undo_yes_{change}", own_store)
    assert [e.replace("\\", "") for e in errors(at)] == [t("store_busy", "kk")]
    assert store.change(change).undone_by is None  # type: ignore[union-attr]
