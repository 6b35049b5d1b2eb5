"""The tables of the pages in headless Chromium at a laptop's size (1440 x 900), a phone's
(390 x 844) and a projector's (1920 x 1080): every column in view, nothing to scroll sideways
or inside the table.

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


EDITOR, PASSWORD = "tables", "tables-password-1"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data with one editor, and one change in its History that added a row
    (a funding flow within a project, copied under a new id)."""
    from atlas import editing
    from atlas.auth import Account, add_user
    from atlas.store import open_store

    path = tmp_path_factory.mktemp("atlas-browser-tables") / "atlas.sqlite"
    store = open_store(path)
    add_user(store, EDITOR, "editor", PASSWORD)
    flow = editing.normalized_row("funding_flows",
                                  store.load()["funding_flows"].iloc[1].to_dict())
    editing.save_row(store, Account(EDITOR, "editor"), "funding_flows",
                     {**flow, "flow_id": f"{flow['flow_id']}-copy"}, 0, new=True)
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
        # A date reads whole, never "2018-" over "05-16".
        dates = page.evaluate(DATE_LINES_JS)
        assert len(dates) >= 4 and all(lines == 1 for _, lines in dates), dates
        assert not guard.blocked


# Each table cell holding a date with a hyphen: [its text, the lines it takes].
DATE_LINES_JS = r"""() => [...document.querySelectorAll('[data-testid=stTable] td')]
  .filter(td => /^\d{4}-\d{2}(-\d{2})?$/.test(td.innerText.trim()))
  .map(td => { const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
               const tops = new Set();
               for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                 const range = document.createRange(); range.selectNodeContents(n);
                 for (const r of range.getClientRects()) tops.add(Math.round(r.top));
               }
               return [td.innerText.trim(), tops.size]; })"""


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


PROJECTOR = {"width": 1920, "height": 1080}
SIZES = {"laptop": LAPTOP, "phone": PHONE, "projector": PROJECTOR}
# Every table in view on the page: [what it is, its width, the width of what it holds].
VISIBLE_JS = """() => [
  ...[...document.querySelectorAll('[data-testid=stDataFrame]')]
    .filter(d => d.getBoundingClientRect().width > 0)
    .map(d => d.querySelector('.dvn-scroller'))
    .map(s => ['grid', s ? s.clientWidth : 0, s ? s.scrollWidth : 0]),
  ...[...document.querySelectorAll('[data-testid=stTable] table')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => ['table', t.parentElement.clientWidth, t.parentElement.scrollWidth]),
]"""


def settled_tables(page: Any, count: int, what: str) -> list[list[Any]]:
    """The visible tables once ``count`` of them are drawn and two looks a moment apart
    agree (a grid sizes its columns after its first draw)."""
    last: list[Any] = []

    def steady() -> list[list[Any]] | None:
        found = page.evaluate(VISIBLE_JS)
        ready = len(found) >= count and all(t[1] > 0 for t in found)
        same = ready and found == last
        last[:] = found
        return found if same else None

    return list(poll(page, steady, 90, f"{count} tables drawn: {what}", step_ms=400))


def assert_whole(tables: list[list[Any]], what: str) -> None:
    for kind, width, content in tables:
        assert content <= width, f"{what}: a {kind} {width} px wide holds {content} px"


@pytest.mark.parametrize("size, lang", [
    ("laptop", "en"), ("laptop", "ru"), ("laptop", "kk"), ("projector", "ru"),
    ("projector", "kk"), ("phone", "ru"), ("phone", "kk")])
def test_map_projects_table_reads_whole(browser: Any, app_url: str, size: str,
                                        lang: str) -> None:
    """The map page's projects table shows every column of its rows with nothing to scroll
    sideways, the money column too: on a phone its rows stack."""
    with guarded_page(browser, SIZES[size], touch=size == "phone") as (page, guard):
        page.goto(f"{app_url}/?lang={lang}")
        poll(page, lambda: page.get_by_text(t_("matching_projects", lang)).count(), 90,
             "the projects table's heading")
        # On a phone the money-flow table stands in for the Sankey above it.
        tables = settled_tables(page, 2 if size == "phone" else 1, f"map {lang} {size}")
        assert_whole(tables, f"map {lang} {size}")
        assert not guard.blocked


def t_(key: str, lang: str, **values: Any) -> str:
    from atlas.i18n import t

    return t(key, lang, **values)


def log_in(page: Any, app_url: str, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    page.get_by_label("Account name").fill(EDITOR)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    poll(page, lambda: f"Logged in as {EDITOR}" in " ".join(page.inner_text("body").split()),
         30, "the login")
    # The page trades a one-time code for the session cookie; later pages resume from it.
    poll(page, lambda: any(c["name"] == "atlas_session" for c in page.context.cookies()), 30,
         "the session cookie")


def new_flows_file(folder: Path) -> Path:
    """A funding-flows file the report shows in its three tables: a new flow (a flow within
    a project, under a new id), the same flow changed (a long note) and a flow rejected (a
    negative amount)."""
    import csv

    from atlas.paths import REPO_ROOT

    with (REPO_ROOT / "geodata" / "funding_flows.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[1:2]
    path = folder / "funding_flows.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "flow_id": r["flow_id"] + "-import"} for r in rows)
        note = "Checked against the grant agreement and the final narrative report " * 4
        writer.writerows({**r, "note": note.strip()} for r in rows)
        writer.writerows({**r, "flow_id": r["flow_id"] + "-bad", "amount": "-5"} for r in rows)
    return path


# page -> (its address, what shows once its table is drawn)
STAFF_PAGES = {
    "edit": ("Edit?table=funding_flows", "edit_pick_row"),
    "history": ("History", "hist_whole_added"),
    "import": ("Import", "imp_new"),
}


@pytest.mark.parametrize("name", list(STAFF_PAGES))
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_staff_tables_read_whole_on_a_laptop_and_a_phone(browser: Any, app_url: str,
                                                          tmp_path: Path, name: str,
                                                          lang: str) -> None:
    """The Edit page's funding flows, a History change's added rows and an import report's
    new rows: every column of them in view at 1440 x 900 and at 390 x 844."""
    path, marker = STAFF_PAGES[name]
    heading = t_(marker, lang, table=t_("hist_table_funding_flows", lang))
    with guarded_page(browser, LAPTOP) as (page, guard):
        log_in(page, app_url, f"{path}{'&' if '?' in path else '?'}lang=en")
        for size in ("laptop", "phone"):
            page.set_viewport_size(SIZES[size])
            page.goto(f"{app_url}/{path}{'&' if '?' in path else '?'}lang={lang}")
            if name == "import":
                field = page.locator("input[type=file]")
                poll(page, field.count, 30, "the upload field")
                field.set_input_files(str(new_flows_file(tmp_path)))
            poll(page, lambda: heading in " ".join(page.inner_text("body").split()), 60,
                 f"{heading!r} on the {name} page")
            # The import's report: its new, rejected and changed rows.
            tables = settled_tables(page, 3 if name == "import" else 1, f"{name} {lang} {size}")
            assert_whole(tables, f"{name} {lang} {size}")
        assert not guard.blocked


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_organizations_rows_are_as_tall_as_their_text(browser: Any, app_url: str, size: str,
                                                      lang: str) -> None:
    """The Organizations list is a wrapped table (a grid gives every row the tallest one's
    height), all of it in view on a laptop and on a phone."""
    with guarded_page(browser, SIZES[size], touch=size == "phone") as (page, guard):
        page.goto(f"{app_url}/Organizations?lang={lang}")
        tables = settled_tables(page, 1, f"organizations {lang} {size}")
        assert [kind for kind, _, _ in tables] == ["table"], tables
        assert_whole(tables, f"organizations {lang} {size}")
        heights = page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid=stTable] tbody tr')].map(r => r.getBoundingClientRect().height)""")
        assert len(set(heights)) > 1, heights  # each row as tall as its own text
        assert not guard.blocked
