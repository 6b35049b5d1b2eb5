"""Every page runs, and the explorer's filters, languages and URL state work (Streamlit AppTest).

The store is a temporary SQLite file built from geodata/ once per module (ATLAS_STORE), so the
tests never touch the developer's .atlas/ folder. Expected figures come from ``atlas.query``
except the few facts of the bundled data set that are spelled out below.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas.cards import project_card
from atlas.cards import projects_table as projects_rows
from atlas.figures import format_figure, format_number
from atlas.i18n import LANGUAGES, t
from atlas.listing import collation_key
from atlas.query import Filters, project_funding, summarize
from atlas.snapshot import Snapshot
from atlas.ui.text import md
from tests.pages.support import (
    MAIN,
    ROOT,
    metric,
    open_page,
    run,
)

# Found by glob, so a new page is smoke-tested without touching this file.
PAGES = [MAIN, *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
TITLES = {
    "en": "Kazakhstan Project Atlas",
    "ru": "Атлас проектов Казахстана",
    "kk": "Қазақстан жобалар атласы",
}

app = open_page


def projects(at: AppTest, lang: str = "en") -> int:
    return int(metric(at, "kpi_projects", lang))


def projects_table(at: AppTest, lang: str = "en") -> Any:
    """The explorer's table of matching projects (a wrapped table: the money flows' phone
    table comes first)."""
    return next(x.value for x in at.table if t("col_project", lang) in x.value.columns)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_projects_table_puts_money_first_and_shows_text_whole(app_snap: Snapshot,
                                                              lang: str) -> None:
    """The map page's projects: a wrapped table (every cell whole, a row as tall as its own
    text) of the project, then the funding counted with the figure's own text, the budget
    (both right-aligned), then who, where and when; in title order by default."""
    at = run(app(lang=lang))
    shown = next(x for x in at.table if t("col_project", lang) in x.value.columns)
    table = shown.value
    funding = f"{t('col_funding', lang)} (EUR)"
    assert list(table.columns)[:4] == [t("col_project", lang), funding, t("col_budget", lang),
                                       t("col_donors", lang)]
    expected = projects_table_frame(app_snap, lang)
    order = sorted(range(len(expected)),
                   key=lambda i: collation_key(expected[t("col_project", lang)].iloc[i], lang))
    # "458 412 (derived)", "unknown" as the table says, escaped for Markdown
    assert list(table[funding]) == [md(expected[funding].iloc[i]) for i in order]
    styles = shown.proto.arrow_data.styler.styles
    assert "td.col1 { text-align: right !important }" in styles
    assert "td.col2 { text-align: right !important }" in styles


def test_projects_table_sorts_pages_and_opens_a_card(
        app_snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's order (largest funding first, unknown amounts last), a page at a time,
    and the picker above the table opens the card of one of the page's projects."""
    from atlas.ui import explorer

    monkeypatch.setattr(explorer, "PROJECTS_PAGE", 2)
    at = run(app())
    at.selectbox(key=explorer.PROJECTS_SORT_KEY).set_value("funding")
    run(at)
    funding = f"{t('col_funding', 'en')} (EUR)"
    expected = projects_table_frame(app_snap, "en").set_index("project_id")
    figures = {p: project_funding(app_snap, p, (), "EUR") for p in expected.index}
    by_funding = sorted(figures, key=lambda p: (-(figures[p].value if figures[p].value
                                                  is not None else -1e300),
                                                collation_key(expected.at[p, "Project"],
                                                              "en")))
    assert list(projects_table(at)[funding]) == [md(expected.at[p, funding])
                                                 for p in by_funding[:2]]
    at.button(key=f"{explorer.PROJECTS_PAGE_KEY}_next").click()
    run(at)
    assert list(projects_table(at)[funding]) == [md(expected.at[p, funding])
                                                 for p in by_funding[2:4]]
    picker = at.selectbox(key=explorer.PROJECTS_PICK_KEY)
    assert picker.options == [expected.at[p, "Project"] for p in by_funding[2:4]]
    picker.set_value(by_funding[3])
    run(at)
    assert at.query_params.get("project") == by_funding[3]
    assert at.selectbox(key=explorer.PROJECTS_PICK_KEY).value is None


def projects_table_frame(snap: Snapshot, lang: str) -> Any:
    return projects_rows(snap, summarize(snap, Filters()).project_ids, lang)


def test_pages_are_found() -> None:
    assert MAIN in PAGES and len(PAGES) >= 2, PAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page: str, lang: str) -> None:
    at = run(app(page, lang=lang))
    titles = [x.value for x in at.title]
    assert titles and all(v.strip() for v in titles), titles


def test_explorer_headline_unfiltered() -> None:
    at = run(app())
    assert projects(at) == 5
    assert metric(at, "kpi_sites") == "26"
    # Some funding amounts are unknown, so the total is a lower bound.
    assert metric(at, "kpi_funding") == "1,363,065+ EUR"
    assert at.info and at.info[0].value == t("click_hint", "en")


def test_donor_filter() -> None:
    at = run(app())
    assert projects(at) == 5
    at.multiselect(key="f_donor").set_value(["eu"])
    run(at)
    assert projects(at) == 3
    assert metric(at, "kpi_sites") == "19"
    assert metric(at, "kpi_funding") == "1,232,570 EUR"
    assert at.query_params.get("donor") == "eu"


def test_region_filter() -> None:
    at = run(app())
    at.multiselect(key="f_region").set_value(["KAZ011"])  # Karaganda
    run(at)
    assert projects(at) == 2


def test_sdg_filter_matches_library(app_snap: Snapshot) -> None:
    expected = summarize(app_snap, Filters(sdgs=(11,)))
    at = run(app())
    at.multiselect(key="f_sdg").set_value([11])
    run(at)
    assert projects(at) == len(expected.project_ids)
    assert metric(at, "kpi_sites") == format_number(expected.sites)
    assert metric(at, "kpi_funding") == format_figure(expected.funding, "en", "EUR", compact=True)


def test_filters_combine(app_snap: Snapshot) -> None:
    expected = summarize(app_snap, Filters(donors=("eu",), regions=("KAZ011",)))
    at = run(app())
    at.multiselect(key="f_donor").set_value(["eu"])
    at.multiselect(key="f_region").set_value(["KAZ011"])
    run(at)
    assert projects(at) == len(expected.project_ids)
    table = projects_table(at)
    assert len(table) == len(expected.project_ids)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_from_url(lang: str) -> None:
    at = run(app(lang=lang))
    assert at.title[0].value == TITLES[lang]
    assert at.radio(key="lang_radio").value == lang
    # Metric labels follow the language too.
    assert projects(at, lang) == 5


def test_unknown_language_falls_back_to_english() -> None:
    at = run(app(lang="xx"))
    assert at.title[0].value == TITLES["en"]


def test_url_round_trip(app_snap: Snapshot) -> None:
    expected = summarize(app_snap, Filters(donors=("eu",), sdgs=(16,)))
    at = run(app(donor="eu", sdg="16", lang="ru"))
    assert at.multiselect(key="f_donor").value == ["eu"]
    assert at.multiselect(key="f_sdg").value == [16]
    assert at.title[0].value == TITLES["ru"]
    assert projects(at, "ru") == len(expected.project_ids)
    funding = format_figure(expected.funding, "ru", "EUR", compact=True)
    assert metric(at, "kpi_funding", "ru") == funding
    assert funding.replace("\u00a0", " ") == "1 232 570 EUR"

    # Changing a filter writes the whole view back to the URL.
    at.multiselect(key="f_region").set_value(["KAZ011"])
    run(at)
    assert at.query_params.get("region") == "KAZ011"
    assert at.query_params.get("donor") == "eu"
    assert at.query_params.get("sdg") == "16"
    assert at.query_params.get("lang") == "ru"
    expected = summarize(app_snap, Filters(donors=("eu",), sdgs=(16,), regions=("KAZ011",)))
    assert projects(at, "ru") == len(expected.project_ids)

    # A filter emptied in the UI leaves the URL; several values become repeated parameters.
    at.multiselect(key="f_donor").set_value([])
    at.multiselect(key="f_sdg").set_value([16, 11])
    run(at)
    assert "donor" not in at.query_params
    assert at.query_params.get("sdg") == ["16", "11"]


def test_unknown_url_values_are_ignored() -> None:
    at = run(app(donor="no-such-donor", sdg="99", region="nowhere", years="abc"))
    assert at.multiselect(key="f_donor").value == []
    assert at.multiselect(key="f_sdg").value == []
    assert at.multiselect(key="f_region").value == []
    assert projects(at) == 5


def test_project_card_from_url_and_close(app_snap: Snapshot) -> None:
    pid = summarize(app_snap, Filters()).project_ids[0]
    title = project_card(app_snap, pid, "en").title
    at = run(app(project=pid))
    assert md(title) in [s.value for s in at.subheader]
    assert not at.info
    close = [b for b in at.button if b.label == t("card_close", "en")]
    assert len(close) == 1
    close[0].click()
    run(at)
    assert md(title) not in [s.value for s in at.subheader]
    assert "project" not in at.query_params
    assert at.info and at.info[0].value == t("click_hint", "en")


def test_sources_page_lists_sources(app_snap: Snapshot) -> None:
    at = run(app("pages/1_Sources.py"))
    first = at.table[0].value
    assert len(first) == 7 == len(app_snap.table("sources"))
    # Second table: one row per site.
    assert len(at.table[1].value) == 26 == len(app_snap.table("sites"))


def test_currency_from_url_and_switch(app_snap: Snapshot) -> None:
    """All money on the page follows the chosen currency; the choice travels in the URL."""
    kzt = summarize(app_snap, Filters(donors=("eu",)), "KZT")
    at = run(app(donor="eu", cur="KZT"))
    assert at.radio(key="cur_radio").value == "KZT"
    assert metric(at, "kpi_funding") == format_figure(kzt.funding, "en", "KZT", compact=True)
    table = projects_table(at)
    assert f"{t('col_funding', 'en')} (KZT)" in table.columns

    at.radio(key="cur_radio").set_value("USD")
    run(at)
    usd = summarize(app_snap, Filters(donors=("eu",)), "USD")
    assert at.query_params.get("cur") == "USD"
    assert at.query_params.get("donor") == "eu"
    assert metric(at, "kpi_funding") == format_figure(usd.funding, "en", "USD", compact=True)


def test_conversion_footnote_names_rates(app_snap: Snapshot) -> None:
    at = run(app(donor="eu", cur="KZT"))
    notes = [e for e in at.expander if e.label.startswith(t("conversion_title", "en"))]
    assert len(notes) == 1
    text = notes[0].markdown[0].value.replace("\\", "")  # md() escapes markup
    assert "400,000 EUR (2024)" in text and "1 EUR = " in text and "KZT" in text


def test_conversion_footnote_lists_the_first_amounts_and_counts_the_rest(
        app_snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.ui import card

    monkeypatch.setattr(card, "CONVERSIONS_SHOWN", 1)
    at = run(app(donor="eu", cur="KZT", lang="ru"))
    note = next(e for e in at.expander if e.label.startswith(t("conversion_title", "ru")))
    counted = int(note.label.rsplit("(", 1)[1].rstrip(")"))
    assert counted > 1
    lines = note.markdown[0].value.replace("\\", "").splitlines()
    assert len(lines) == 2
    assert lines[1] == "- " + t("conversion_more", "ru", n=counted - 1)


def test_sankey_band_picker_puts_the_band_on_the_map(app_snap: Snapshot) -> None:
    from atlas.charts.sankey import band_label
    from atlas.flows import sankey_data

    at = run(app(donor="eu"))
    assert len(at.get("plotly_chart")) == 1
    data = sankey_data(app_snap, Filters(donors=("eu",)), "EUR")
    labels = [band_label(app_snap, b, "en", "EUR") for b in data.bands]
    picker = at.selectbox(key="sankey_pick")
    picker.set_value(labels.index(
        'Civil Society Development Association "ARGO" → Kyzylorda Region: 200,000 EUR (derived)'))
    run(at)
    assert at.multiselect(key="f_region").value == ["KAZ013"]
    assert at.multiselect(key="f_impl").value == ["argo"]
    assert at.multiselect(key="f_donor").value == ["eu"]
    assert projects(at) == 1  # GLocal
    assert at.query_params.get("region") == "KAZ013" and at.query_params.get("impl") == "argo"
    assert at.selectbox(key="sankey_pick").value is None


def test_flows_layer_switch_lives_in_the_url() -> None:
    at = run(app(flows="1"))
    assert at.checkbox(key="o_flows").value is True
    at.checkbox(key="o_flows").uncheck()
    run(at)
    assert "flows" not in at.query_params


def test_filters_survive_a_language_switch() -> None:
    at = run(app(lang="ru", donor="eu", region="KAZ011"))
    at.radio(key="lang_radio").set_value("kk")
    run(at)
    at.radio(key="o_metric").set_value("reach")
    run(at)
    assert at.multiselect(key="f_donor").value == ["eu"]
    assert at.multiselect(key="f_region").value == ["KAZ011"]
    assert at.query_params.get("donor") == "eu" and at.query_params.get("lang") == "kk"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_keeps_language_and_currency_from_the_url(page: str) -> None:
    at = run(app(page, lang="kk", cur="USD"))
    assert at.radio(key="lang_radio").value == "kk"
    assert at.radio(key="cur_radio").value == "USD"
    # The navigation carries both to the other pages.
    links = at.sidebar.get("page_link")
    assert len(links) == 8  # five public pages, three staff pages
    assert {e.proto.query_string for e in links} == {"lang=kk&cur=USD"}


def test_explorer_links_its_view_to_the_present_page() -> None:
    at = run(app(donor="eu", lang="ru", metric="reach"))
    links = [e for e in at.main.get("page_link") if "Present" in e.proto.page]
    assert len(links) == 1
    assert links[0].proto.query_string == "lang=ru&donor=eu&metric=reach"
    downloads = [e.proto.label for e in at.get("download_button")]
    assert "Слайды (PPTX)" in downloads and "Карта (PNG)" in downloads
