"""The organizations page runs in every language and keeps its view in the URL (AppTest).

Fixtures (tests/pages/conftest.py) give each module a private store; pages are reached with
``switch_page`` from the entrypoint (tests/pages/support.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import format_figure, format_number
from atlas.i18n import LANGUAGES, t
from atlas.organizations import organization_profile
from atlas.snapshot import Snapshot
from atlas.ui.text import md
from tests.pages.support import metric, open_page, plain, run

PAGE = "pages/3_Organizations.py"


def app(**params: str) -> AppTest:
    """This page (not yet run) with URL query parameters ``params``."""
    return open_page(PAGE, **params)


def table_names(at: AppTest, lang: str = "en") -> list[str]:
    """The names of the list's rows as read (its cells are Markdown-escaped)."""
    return [plain(x) for x in at.table[0].value[t("org_col_name", lang)]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_list_runs_in_every_language(app_snap: Snapshot, lang: str) -> None:
    at = run(app(lang=lang))
    assert at.title[0].value == t("nav_organizations", lang)
    names = table_names(at, lang)
    assert len(names) == len(app_snap.table("organizations"))
    assert app_snap.organization_names(lang)["eu"] in names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detail_runs_in_every_language(app_snap: Snapshot, lang: str) -> None:
    at = run(app(lang=lang, org="argo"))
    profile = organization_profile(app_snap, "argo", lang)
    # The data's acronyms are Latin: only the English title adds one.
    assert at.title[0].value == md(profile.name + (" (ARGO)" if lang == "en" else ""))
    assert metric(at, "org_receives", lang) == format_figure(profile.receives, lang, "EUR",
                                                             compact=True)


def test_detail_from_url_in_kzt(app_snap: Snapshot) -> None:
    at = run(app(org="eu", cur="KZT"))
    eu = organization_profile(app_snap, "eu", "en", "KZT")
    assert at.title[0].value == md("European Union (EU)")
    assert at.radio(key="cur_radio").value == "KZT"
    assert metric(at, "org_gives") == format_figure(eu.gives, "en", "KZT", compact=True)
    assert metric(at, "org_gives").endswith(" KZT")
    assert metric(at, "kpi_projects") == "3"
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # md() escapes markup
    assert "**GLocal**" in text and "KZT" in text
    assert at.query_params.get("org") == "eu" and at.query_params.get("cur") == "KZT"


def test_tco_shows_unknown_not_zero() -> None:
    at = run(app(org="tco"))
    assert metric(at, "org_gives") == t("xl_q_unknown", "en")


def test_filters_from_url_and_written_back() -> None:
    at = run(app(role="implementers", kind="ngo", lang="ru"))
    assert at.radio(key="w_org_role_ru").value == "implementers"
    assert at.multiselect(key="w_org_kinds_ru").value == ["ngo"]
    names = table_names(at, "ru")
    assert "Ассоциация развития гражданского общества «АРГО»" in names
    assert "Европейский Союз" not in names

    at.radio(key="w_org_role_ru").set_value("donors")
    at.multiselect(key="w_org_kinds_ru").set_value([])
    run(at)
    assert at.query_params.get("role") == "donors"
    assert "kind" not in at.query_params
    assert at.query_params.get("lang") == "ru"
    assert "Европейский Союз" in table_names(at, "ru")

    at.text_input(key="w_org_query_ru").set_value("тенгиз")
    run(at)
    assert at.query_params.get("q") == "тенгиз"
    assert table_names(at, "ru") == ["ТОО «Тенгизшевройл»"]


def test_open_another_and_back_keeps_filters() -> None:
    at = run(app(org="eu", role="donors"))
    at.selectbox(key="w_org_pick_en").set_value("misd")
    run(at)
    assert at.query_params.get("org") == "misd"
    assert at.title[0].value.startswith(md("Ministry of Information"))
    back = [b for b in at.button if b.label.endswith(t("org_back", "en"))]
    back[0].click()
    run(at)
    assert "org" not in at.query_params
    assert at.query_params.get("role") == "donors"
    assert at.radio(key="w_org_role_en").value == "donors"
    assert at.title[0].value == t("nav_organizations", "en")


def test_url_changed_from_outside_wins() -> None:
    at = run(app(org="eu"))
    at.query_params["org"] = "argo"
    run(at)
    assert "ARGO" in at.title[0].value


def test_unknown_url_values_are_ignored() -> None:
    at = run(app(org="nobody", role="wizards", kind="dragon"))
    assert at.title[0].value == t("nav_organizations", "en")
    assert at.radio(key="w_org_role_en").value == "all"
    assert "org" not in at.query_params and "role" not in at.query_params


def test_links_to_the_map_filtered_to_it() -> None:
    at = run(app(org="ecocenter", cur="KZT", lang="kk"))
    links = {e.proto.label: e.proto.query_string for e in at.get("page_link")}
    assert links[t("org_map_impl", "kk") + " →"] == "impl=ecocenter&lang=kk&cur=KZT"
    assert t("org_map_donor", "kk") + " →" not in links
    at = run(app(org="eu"))
    links = {e.proto.label: e.proto.query_string for e in at.get("page_link")}
    assert links[t("org_map_donor", "en") + " →"] == "donor=eu&lang=en"


def test_filters_survive_a_language_switch() -> None:
    """Choices are codes, not labels: switching language keeps them and the URL clean."""
    at = run(app(kind="ngo", role="implementers", lang="ru"))
    at.radio(key="lang_radio").set_value("kk")
    run(at)
    assert at.query_params.get("lang") == "kk"
    assert at.multiselect(key="w_org_kinds_kk").value == ["ngo"]
    at.text_input(key="w_org_query_kk").set_value("арго")
    run(at)
    assert at.query_params.get("kind") == "ngo"
    assert at.query_params.get("role") == "implementers"
    assert at.query_params.get("q") == "арго"
    assert len(at.table[0].value) == 1


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_money_columns_are_right_aligned_with_their_qualifiers(app_snap: Snapshot,
                                                               lang: str) -> None:
    """A wrapped table (a row as tall as its own text): the money given and received and
    the count of projects written the language's way, right-aligned, with their qualifier
    ("6 653+") or "unknown"; a dash where no flow is recorded."""
    from atlas.listing import list_page
    from atlas.organizations import ORGANIZATION_SORTS, organization_list
    from atlas.ui.organizations_page import count_line

    listed = list_page(organization_list(app_snap, lang, "EUR"), "",
                       ORGANIZATION_SORTS["role"], 1, 50)
    at = run(app(lang=lang))
    shown = at.table[0]
    table = shown.value
    gives = t("org_col_gives", lang, cur="EUR")
    eu = list(listed.rows["org_id"]).index("eu")
    assert table[gives].iloc[eu] == md(format_number(1_232_570, lang))
    assert any(plain(x).endswith("+") for x in table[gives])  # the qualifier stays
    unknown = [i for i, f in enumerate(listed.rows["gives"]) if f is not None and not f.is_known]
    assert unknown and all(table[gives].iloc[i] == md(format_figure(
        listed.rows["gives"].iloc[i], lang, compact=True)) for i in unknown)
    assert "—" in set(table[gives])  # no flow given at all
    styles = shown.proto.arrow_data.styler.styles
    for i in (1, 2, 3):
        assert f"td.col{i} {{ text-align: right !important }}" in styles
    # The count says each number once: no "21 of 21".
    line = count_line(listed, listed.total, lang)
    assert line == t("org_count_all", lang, n=format_number(listed.total, lang))


def test_the_picker_opens_an_organization_of_the_page(app_snap: Snapshot) -> None:
    at = run(app(lang="ru"))
    picker = at.selectbox(key="w_org_open_ru")
    argo = organization_profile(app_snap, "argo", "ru").name
    assert picker.value is None and argo in picker.options  # the page's organizations
    picker.set_value("argo")
    run(at)
    assert at.query_params.get("org") == "argo"
    profile = organization_profile(app_snap, "argo", "ru")
    assert at.title[0].value == md(profile.name)
