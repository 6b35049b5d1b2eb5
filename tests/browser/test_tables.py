"""The tables of the Sources and Organizations pages in headless Chromium at a laptop's size
(1440 x 900): every column in view, nothing to scroll sideways or inside the table.

Only a browser shows it: the grid sizes its columns, and a wrapped table its cells, there.
Skipped without Chromium or Playwright, except when CI is set: there they fail instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import guarded_page, poll

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
# Per table on the page: [what it is, its width, the width of what it holds, the height
# it shows, the height of what it holds]. A grid (st.dataframe) scrolls in its .dvn-scroller,
# a wrapped table (st.table) in the element around the <table>.
TABLES_JS = """() => [
  ...[...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')].map(s =>
      ['grid', s.clientWidth, s.scrollWidth, s.clientHeight, s.scrollHeight]),
  ...[...document.querySelectorAll('[data-testid=stTable] table')].map(t =>
      ['table', t.parentElement.clientWidth, t.parentElement.scrollWidth,
       t.parentElement.clientHeight, t.parentElement.scrollHeight]),
]"""


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-browser-tables") / "atlas.sqlite"
    open_store(path)
    return path


def shown_tables(page: Any, url: str, count: int) -> list[list[Any]]:
    """The page's tables once ``count`` of them are drawn (a grid once its rows are)."""
    page.goto(url)

    def drawn() -> list[list[Any]] | None:
        found = page.evaluate(TABLES_JS)
        return found if len(found) >= count and all(t[1] > 0 for t in found) else None

    poll(page, drawn, 60, f"{count} tables at {url}")
    page.wait_for_timeout(300)  # one more frame: a grid sizes its columns after its first draw
    return list(page.evaluate(TABLES_JS))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_sources_tables_show_every_column_without_scrolling(browser: Any, app_url: str,
                                                            lang: str) -> None:
    with guarded_page(browser, LAPTOP) as (page, guard):
        tables = shown_tables(page, f"{app_url}/Sources?lang={lang}", 3)
        assert [t[0] for t in tables] == ["table"] * 3, tables  # no grid cuts the text
        for kind, width, content, height, content_height in tables:
            assert content <= width, (kind, width, content)
            assert content_height <= height, (kind, height, content_height)
        assert not guard.blocked


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_organizations_list_shows_every_column_without_scrolling(browser: Any, app_url: str,
                                                                 lang: str) -> None:
    with guarded_page(browser, LAPTOP) as (page, guard):
        tables = shown_tables(page, f"{app_url}/Organizations?lang={lang}", 1)
        [(kind, width, content, height, content_height)] = tables
        assert kind == "grid"
        assert content <= width, (width, content)  # the regions column is in view
        assert content_height <= height, (height, content_height)  # every row of the page
        assert not guard.blocked


PHONE = {"width": 390, "height": 844}
# The visible wrapped tables of a page: [width, width of what it holds, rows stacked].
STACKED_JS = """() => [...document.querySelectorAll('[data-testid=stTable] table')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .map(t => [t.parentElement.clientWidth, t.parentElement.scrollWidth,
             getComputedStyle(t.querySelector('tbody tr')).display === 'block'])"""


@pytest.mark.parametrize("path, count", [("Sources", 3), ("", 1)], ids=["sources", "map"])
def test_on_a_phone_wrapped_tables_stack_without_scrolling(browser: Any, app_url: str,
                                                           path: str, count: int) -> None:
    """On a phone each row of a wrapped table stacks its cells (the Sources page's tables,
    and the money-flow table that stands in for the Sankey): nothing to scroll sideways."""
    with guarded_page(browser, PHONE, touch=True) as (page, guard):
        page.goto(f"{app_url}/{path}?lang=kk")
        tables = poll(page, lambda: (found := page.evaluate(STACKED_JS)) and
                      len(found) >= count and found, 90, f"{count} wrapped tables")
        for width, content, stacked in tables:
            assert stacked and content <= width, (width, content)
        assert not guard.blocked
