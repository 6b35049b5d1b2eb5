"""The map page's layout in AppTest: the empty view, the hint, the card's folded lists."""

from __future__ import annotations

import pytest

from atlas.cards import project_card
from atlas.figures import Figure, format_figure
from atlas.i18n import LANGUAGES, t
from atlas.query import Filters, summarize
from atlas.snapshot import Snapshot
from tests.pages.support import metric, open_page, run


@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_view_says_so_with_zeros_and_clears_its_filters(lang: str) -> None:
    at = run(open_page(donor="eu", sdg="5", metric="reach", lang=lang))
    assert [w.value for w in at.warning] == [t("no_projects", lang)]
    assert metric(at, "kpi_funding", lang) == format_figure(Figure(0.0), lang, "EUR")
    for key in ("kpi_projects", "kpi_sites", "kpi_reach"):
        assert metric(at, key, lang) == "0"
    # Nothing to click on the map: no hint to click a site.
    assert t("click_hint", lang) not in [i.value for i in at.info]
    clear = at.button(key="clear_filters")
    assert clear.label == t("map_clear_filters", lang)
    clear.click()
    run(at)
    assert "donor" not in at.query_params and "sdg" not in at.query_params
    # Only the filters go: the map's options and the language stay.
    assert at.query_params.get("metric") == "reach"
    assert at.multiselect(key="f_donor").value == [] and at.multiselect(key="f_sdg").value == []
    assert metric(at, "kpi_projects", lang) == "5"
    assert not at.warning


def test_the_hint_to_click_a_site_is_written_once() -> None:
    at = run(open_page())
    hint = t("click_hint", "en")
    texts = [e.value for e in (*at.info, *at.caption, *at.markdown)]
    assert sum(text.count(hint) for text in texts) == 1, texts


def test_card_folds_its_long_lists(app_snap: Snapshot) -> None:
    pid = summarize(app_snap, Filters()).project_ids[0]
    card = project_card(app_snap, pid, "ru")
    at = run(open_page(project=pid, lang="ru"))
    labels = [e.label for e in at.expander]
    described = [p for p in card.partners if p.as_stated or p.note]
    for key, count in (("card_sources", len(card.sources)), ("card_results", len(card.results)),
                       ("card_funding", len(card.money)), ("card_partner_notes", len(described))):
        if count:
            assert f"{t(key, 'ru')} ({count})" in labels, labels
    assert described, "the bundled card has partner notes to fold"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_map_page_shows_no_data_version_and_quotes_roles_as_the_sources_words(
        lang: str) -> None:
    at = run(open_page(lang=lang, project="eu-tald-east-central"))
    texts = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert not any(t("data_version", lang) in text for text in texts)
    quoted = [text for text in texts if "«" in text and t("role_in_source", lang) in text]
    assert quoted and not any("“" in text for text in quoted)
