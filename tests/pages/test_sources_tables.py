"""The Sources page's tables: every cell shown whole in a wrapped table (not a grid that cuts
text or scrolls inside itself), links and languages readable, rates as numbers written the
viewer's way and right-aligned (AppTest)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import LANGUAGES, t
from atlas.snapshot import Snapshot
from atlas.ui.sources_page import documents_table, link_cell, rate_text
from atlas.ui.tables import stacked_css
from atlas.ui.text import md
from tests.pages.support import open_page, run


def tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """The page's tables by their first column's header."""
    return {str(table.value.columns[0]): table.value for table in at.table}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_is_wrapped_and_none_is_a_grid(app_snap: Snapshot, lang: str) -> None:
    at = run(open_page("pages/1_Sources.py", lang=lang))
    assert not at.dataframe  # a grid cuts long text at three lines and scrolls sideways
    shown = tables(at)
    documents = shown[t("col_source", lang)]
    assert list(documents.columns) == [t(k, lang) for k in (
        "col_source", "col_publisher", "col_date", "col_language", "col_link")]
    assert len(documents) == len(app_snap.table("sources"))
    assert len(shown[t("col_site", lang)]) == len(app_snap.table("sites"))
    assert len(shown[t("col_year", lang)]) == len(app_snap.table("rates"))
    # Each table stacks its rows on a phone: the style for its container is on the page.
    styles = "\n".join(h.proto.body for h in at.get("html"))
    for key in ("src_documents", "src_sites", "src_rates"):
        assert f".st-key-{key} td" in styles


def test_documents_read_whole_with_their_link_and_language(app_snap: Snapshot) -> None:
    table = documents_table(app_snap.table("sources"), "ru")
    title = md("Проект GLocal: начало больших изменений")
    glocal = table.loc[table[t("col_source", "ru")] == title]
    assert len(glocal) == 1
    row = glocal.iloc[0]
    assert row[t("col_language", "ru")] == "русский"
    assert row[t("col_date", "ru")] == md("2024-06")
    assert row[t("col_link", "ru")].startswith("[argonet\\.org](https://")
    # A document without a date or a link says so with a dash, not "None" or blank.
    assert "None" not in table.to_string()


def test_link_cell_names_the_site_and_refuses_other_schemes() -> None:
    assert link_cell("https://www.eeas.europa.eu/delegations/x") == \
        "[eeas\\.europa\\.eu](https://www.eeas.europa.eu/delegations/x)"
    assert link_cell("javascript:alert(1)") == "—"
    assert link_cell(None) == "—"


def test_rates_are_right_aligned_numbers_in_the_readers_way(app_snap: Snapshot) -> None:
    at = run(open_page("pages/1_Sources.py", lang="ru"))
    rates = tables(at)[t("col_year", "ru")]
    assert list(rates[t("col_rate", "ru")]) == [rate_text(v, "ru")
                                                for v in app_snap.table("rates")["per_usd"]]
    assert "0,7532" in set(rates[t("col_rate", "ru")])
    table = next(x for x in at.table if str(x.value.columns[0]) == t("col_year", "ru"))
    # The rate column (the third) and its header are right-aligned and kept on one line.
    styles = table.proto.arrow_data.styler.styles
    for rule in ("td.col2 { text-align: right !important }",
                 "th.col2 { text-align: right !important }",
                 "td.col2 > div { white-space: nowrap }"):
        assert rule in styles


def test_rates_drop_trailing_zeros_in_the_readers_way() -> None:
    assert rate_text(152.1, "ru") == "152,1"
    assert rate_text(0.9236, "en") == "0.9236"
    assert rate_text(1000.0, "kk") == "1\u00a0000"
    assert rate_text(float("nan"), "ru") == ""


def test_stacked_rows_name_each_cell_with_escaped_headers() -> None:
    css = stacked_css("k", ["Site", 'A "quoted" </style> header'])
    assert "@media (max-width: 639.98px)" in css
    assert 'td.col1::before {content: "A \\22 quoted\\22  \\3c /style\\3e  header: "' in css
    assert "col0::before" not in css  # the first column names the row itself
    assert css.count("</style>") == 1


def test_the_sites_table_is_made_once_per_data_version_and_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every site's row in the reader's language: a tenth of a second at 10,000 sites, made
    once, not on every run of the page (a merge had left its cache on ``rate_text``)."""
    from atlas.ui import sources_page

    sources_page._sites_table.clear()
    made: list[str] = []
    real = sources_page.localized_column

    def counted(*args: object, **kwargs: object) -> object:
        made.append("sites")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources_page, "localized_column", counted)
    at = run(open_page("pages/1_Sources.py", lang="ru"))
    run(at)
    assert made == ["sites"]
