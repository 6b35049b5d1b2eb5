"""Two app servers on one PostgreSQL database, in headless Chromium: an editor imports a
spreadsheet through one server, and a reader of the other sees it on the project's card at the
next page load, without a restart; the login made on the one is a login on the other (the
sessions are kept in the database).

Skipped without Chromium, Playwright or PostgreSQL, except when CI is set: there they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import (
    guarded_page,
    map_frame,
    page_text,
    poll,
    streamlit_server,
)
from tests.browser.test_staff import EDITOR, PASSWORD, log_in, still_logged_in
from tests.databases import PostgresServer

pytestmark = [pytest.mark.browser, pytest.mark.postgresql]
EXAMPLE_RESULT = "EXAMPLE (import test): mini-projects in Kuryk"
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> Iterator[str]:
    """A database holding the bundled data and one editor account."""
    from atlas.auth import add_user
    from atlas.store import SqlStore

    name = postgres.new_database()
    store = SqlStore(postgres.url(name))
    add_user(store, EDITOR, "editor", PASSWORD)
    store.engine.dispose()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture(scope="module")
def servers(database: str, sync_api: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two app servers (two processes, two ports) on the one database."""
    folder = tmp_path_factory.mktemp("two-servers")
    unused = folder / "never-used.sqlite"  # ATLAS_DATABASE_URL wins over ATLAS_STORE
    with streamlit_server(unused, folder / "a.log", 180, ATLAS_DATABASE_URL=database) as a, \
            streamlit_server(unused, folder / "b.log", 180, ATLAS_DATABASE_URL=database) as b:
        yield a.url, b.url
    assert not unused.exists()


def card_text(page: Any, url: str) -> str:
    """The text of the card of EFCA's public-spaces project, its results unfolded."""
    from atlas.i18n import t

    page.goto(url + "/?project=efca-public-spaces")
    map_frame(page, timeout=60)
    results = page.locator("summary", has_text=t("card_results", "en"))
    poll(page, lambda: results.count(), 60, "the card's results")
    results.first.click()
    poll(page, lambda: "Public Spaces" in page_text(page), 30, "the card")
    return page_text(page)


def test_an_import_through_one_server_shows_on_the_other_at_once(
        browser: Any, servers: tuple[str, str], database: str) -> None:
    from atlas.i18n import t
    from atlas.paths import REPO_ROOT
    from atlas.store import SqlStore

    first, second = servers
    example = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"
    with guarded_page(browser, VIEWPORT) as (reader, guard), \
            guarded_page(browser, VIEWPORT) as (editor, _):
        assert EXAMPLE_RESULT not in card_text(reader, first)  # the first server has read it

        editor.goto(second + "/Import")
        log_in(editor)
        poll(editor, lambda: editor.locator("input[type=file]").count(), 60, "the upload field")
        editor.locator("input[type=file]").set_input_files(str(example))
        apply = editor.get_by_role("button", name=t("imp_apply", "en", n=2))
        poll(editor, lambda: apply.count(), 60, "the report and its apply button")
        apply.click()
        poll(editor, lambda: "Imported 2 rows as change #" in page_text(editor), 60,
             "the import")
        store = SqlStore(database)
        assert store.history()[0].user == EDITOR
        store.engine.dispose()

        # The first server, never told, reads the new data version at its next page load.
        assert EXAMPLE_RESULT in card_text(reader, first)
        # The editor's session cookie (one host, so sent to both ports) opens the first
        # server's staff pages too: the session is kept in the database, not in a server.
        editor.goto(first + "/History")
        assert still_logged_in(editor)
        poll(editor, lambda: "kuryk-mini-projects.xlsx" in page_text(editor), 60,
             "the import in the first server's history")
        assert guard.blocked == []
