"""The Projects page in Streamlit's AppTest: languages, the list, search, detail, URL state.

Fixtures (tests/pages/conftest.py) give each module a store built from geodata/; pages are
reached with ``switch_page`` (tests/pages/support.py); expected figures come from the library.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import format_figure
from atlas.i18n import LANGUAGES, t
from atlas.query import project_funding
from atlas.snapshot import Snapshot
from atlas.ui.text import md
from tests.pages.support import open_page, run

PAGE = "pages/2_Projects.py"
WKO = "wko-rural-ngo-capacity"


def app(**params: str) -> AppTest:
    """This page (not yet run) with URL query parameters ``params``."""
    return open_page(PAGE, **params)


def listed(at: AppTest) -> list[str]:
    """Project ids in the list, in order (one "Open" button each)."""
    return [str(b.key).removeprefix("p_open_") for b in at.button
            if str(b.key).startswith("p_open_")]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def open_project(at: AppTest, project_id: str) -> AppTest:
    at.button(key=f"p_open_{project_id}").click()
    return run(at)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_runs_in_every_language(lang: str) -> None:
    at = run(app(lang=lang))
    assert [x.value for x in at.title] == [t("projects_title", lang)]
    assert len(listed(at)) == 5
    assert [b.label for b in at.button if str(b.key).startswith("p_open_")] == \
        [t("projects_open", lang)] * 5
    assert at.text_input(key="p_q").label == t("projects_search", lang)
    labels = [d.label for d in at.get("download_button")]
    assert labels == [t("projects_dl_csv", lang), t("projects_dl_geojson", lang),
                      t("projects_dl_excel", lang), t("iati_download", lang)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_project_opens_in_every_language(app_snap: Snapshot, lang: str) -> None:
    for pid in app_snap.table("projects")["project_id"]:
        at = run(app(project=pid, lang=lang, cur="USD"))
        assert at.subheader, pid
        assert listed(at) == []  # the detail replaces the list


def test_project_from_url_restores_the_detail_in_kzt(app_snap: Snapshot) -> None:
    at = run(app(project="glocal", cur="KZT", lang="kk"))
    assert [s.value for s in at.subheader] == ["GLocal"]
    assert at.radio(key="cur_radio").value == "KZT"
    assert at.radio(key="lang_radio").value == "kk"
    total = format_figure(project_funding(app_snap, "glocal", (), "KZT"), "kk", "KZT")
    text = markdown(at)
    assert md(t("projects_chain_total", "kk", amount=total)) in text
    assert md(t("projects_chain_title", "kk")) in text
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    rate = app_snap.rates.rate("EUR", "KZT", 2024)
    assert [trace["x"][0] for trace in chart["data"]] == pytest.approx(
        [428_000 * rate, 400_000 * rate, 28_000 * rate])
    assert chart["layout"]["xaxis"]["title"]["text"] == "KZT"
    # The URL stays as it was opened.
    assert at.query_params.get("project") == "glocal"
    assert at.query_params.get("cur") == "KZT" and at.query_params.get("lang") == "kk"


def test_unknown_budget_and_money_chain_of_west_kazakhstan() -> None:
    at = run(app(project=WKO, cur="KZT"))
    text = markdown(at).replace("\u00a0", " ").replace("\\", "")
    assert "Budget: **unknown**" in text
    assert "amount not stated; counted as at least 2,850,000 KZT (derived)" in text
    assert "Counted for this project: at least 2,850,000 KZT (derived)" in text
    assert t("projects_chain_upstream", "en") in text
    assert not at.get("plotly_chart")  # no amount is known: no chart of empty bars


def test_search_from_url_narrows_the_list() -> None:
    at = run(app(q="сельских НПО", lang="ru"))
    assert at.text_input(key="p_q").value == "сельских НПО"
    assert listed(at) == [WKO]


def test_filters_from_url(app_snap: Snapshot) -> None:
    at = run(app(donor="eu", sdg="8", region="KAZ011"))
    assert at.multiselect(key="p_donor").value == ["eu"]
    assert at.multiselect(key="p_sdg").value == [8]
    assert at.multiselect(key="p_region").value == ["KAZ011"]
    assert listed(at) == ["eu-tald-east-central"]


def test_unknown_url_values_are_ignored() -> None:
    at = run(app(project="no-such-project", donor="nobody", sdg="99"))
    assert not at.subheader and len(listed(at)) == 5
    assert "project" not in at.query_params and "donor" not in at.query_params


def test_changes_are_written_back_to_the_url() -> None:
    at = run(app(lang="ru"))
    at.text_input(key="p_q").set_value("GLocal")
    run(at)
    assert listed(at) == ["glocal"]
    assert at.query_params.get("q") == "GLocal" and at.query_params.get("lang") == "ru"

    at.text_input(key="p_q").set_value("")
    at.multiselect(key="p_donor").set_value(["eu"])
    run(at)
    assert len(listed(at)) == 3
    assert "q" not in at.query_params and at.query_params.get("donor") == "eu"

    open_project(at, "glocal")
    assert [s.value for s in at.subheader] == ["GLocal"]
    assert at.query_params.get("project") == "glocal"
    assert at.query_params.get("donor") == "eu"

    at.button(key="p_close").click()
    run(at)
    assert not at.subheader and len(listed(at)) == 3
    assert "project" not in at.query_params and at.query_params.get("donor") == "eu"


def test_a_new_search_returns_to_the_list() -> None:
    at = run(app(project="glocal"))
    assert at.subheader
    at.text_input(key="p_q").set_value("Mangystau")
    run(at)
    assert not at.subheader
    assert set(listed(at)) == {"auyldy-birlese-damytu", "efca-public-spaces"}
    assert "project" not in at.query_params and at.query_params.get("q") == "Mangystau"


def test_currency_switch_keeps_the_view() -> None:
    at = run(app(project=WKO, q="НПО"))
    at.radio(key="cur_radio").set_value("USD")
    run(at)
    assert at.query_params.get("cur") == "USD"
    assert at.query_params.get("project") == WKO and at.query_params.get("q") == "НПО"
    assert "USD" in markdown(at)
