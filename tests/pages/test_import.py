"""The Import page: staff only, shows the report before writing, applies only a clean file.

AppTest cannot upload files. What these tests cover:
- the page's pure helpers (``check_file``, ``can_apply``, the report tables, ``apply_outcome``)
  called directly with file bytes, against the module's private store;
- the page itself driven through session state: the uploader's ``on_change`` stores the file
  as ``(name, bytes)`` under ``imp_upload``; the tests put a file there the same way, so the
  page reads it, checks it, shows the report and (only for a clean file) the apply button,
  which the tests press. The uploader widget itself (the browser sending the bytes) is the
  only part not exercised here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth, editing, importing
from atlas.auth import Account
from atlas.budget import Budget
from atlas.dataset import DataSet
from atlas.edit_forms import choice_label, column_label
from atlas.i18n import LANGUAGES, t
from atlas.model import TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore, open_store
from atlas.ui import import_page
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.text import md
from atlas.xlsx_cells import column_letter
from tests import xlsx_parts
from tests.pages.support import field_values, open_page, plain, run

PAGE = "pages/6_Import.py"
PASSWORD = "correct horse battery"
ALICE = Account("alice", "editor")
NEW_SITE = "s-ps-kuryk-embankment"


@pytest.fixture(scope="module")
def store(store_file: Path) -> SqlStore:
    s = open_store(store_file)
    auth.add_user(s, ALICE.name, ALICE.role, PASSWORD)
    return s


def app(account: Account | None = ALICE, upload: tuple[str, bytes] | None = None,
        **params: str) -> AppTest:
    """The Import page (not yet run), logged in as ``account``, with a file ``upload``ed."""
    at = open_page(PAGE, **params)
    if account is not None:
        at.session_state[ACCOUNT_KEY] = account
    if upload is not None:
        at.session_state["imp_upload"] = upload
    return at


def tables(store: SqlStore) -> DataSet:
    return {k: v.sort_values(list(v.columns)).reset_index(drop=True)
            for k, v in store.load().items()}


def assert_same(a: DataSet, b: DataSet) -> None:
    for name in a:
        assert a[name].equals(b[name]), name


def sites_csv(store: SqlStore, *rows: dict[str, Any]) -> bytes:
    spec = TABLES_BY_NAME["sites"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spec.column_names)
    for r in rows:
        writer.writerow(["" if r[c] is None else r[c] for c in spec.column_names])
    return out.getvalue().encode()


def kuryk(store: SqlStore) -> dict[str, Any]:
    df = store.load()["sites"]
    return editing.normalized_row("sites", df.loc[df.site_id == "s-ps-kuryk"].iloc[0].to_dict())


def good_file(store: SqlStore) -> bytes:
    """One new site (a Kuryk mini-project) and one changed note."""
    base = kuryk(store)
    return sites_csv(store,
                     {**base, "site_id": NEW_SITE, "name_en": "Kuryk \"embankment\" & park",
                      "name_ru": "Набережная Курыка", "name_kk": "Құрық жағалауы"},
                     {**base, "note": "Second stage, checked again"})


def bad_file(store: SqlStore) -> bytes:
    """Latitude out of range on one row, an unknown project on another."""
    base = kuryk(store)
    return sites_csv(store, {**base, "lat": 93.5},
                     {**base, "site_id": "s-new", "project_id": "no-such-project"})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_login_only_the_login_form(store: SqlStore, lang: str) -> None:
    at = run(app(None, ("sites.csv", good_file(store)), lang=lang))
    assert [i.value for i in at.info] == [t("login_needed", lang)]
    assert [x.label for x in at.text_input] == [t("login_name", lang), t("login_password", lang)]
    assert not at.dataframe and not at.metric and not at.selectbox
    assert not [b for b in at.button if b.key == "imp_apply"]


def test_helpers_check_a_good_file_then_apply_it(tmp_path: Path) -> None:
    """The pure helpers on their own store: report first, nothing written until applied."""
    store = open_store(tmp_path / "atlas.sqlite")
    auth.add_user(store, ALICE.name, ALICE.role, PASSWORD)
    before = tables(store)
    report = import_page.check_file(store, "sites.csv", good_file(store), None)
    assert report.counts == {"new": 1, "changed": 1, "unchanged": 0, "rejected": 0}
    assert import_page.can_apply(report)
    assert_same(before, tables(store))
    changed = import_page.changed_table(report, {}, "en")
    assert list(changed[t("hist_col_field", "en")]) == [column_label("note", "en", "sites")]
    assert list(changed[t("hist_col_after", "en")]) == ["Second stage, checked again"]
    new = import_page.new_table(report, "sites", {}, "kk")
    assert list(new[t("hist_col_name", "kk")]) == ["Құрық жағалауы"]

    level, message, change_id = import_page.apply_outcome(store, None, report, "kk")
    assert (level, change_id) == ("error", None)  # no login, no write
    assert message == t("imp_denied", "kk", reason=t("auth_denied_login", "kk"))
    assert_same(before, tables(store))
    level, message, change_id = import_page.apply_outcome(store, ALICE, report, "en")
    assert level == "success" and message == t("imp_done", "en", id=change_id, n=2)
    assert NEW_SITE in set(store.load()["sites"]["site_id"])
    assert store.history()[0].kind == "import"
    assert store.history()[0].message == report.summary_message()  # said in any language
    # The same report again is stale: the changed row has moved on since it was checked.
    level, message, _ = import_page.apply_outcome(store, ALICE, report, "en")
    assert level == "error"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_report_names_fields_and_reasons_in_the_readers_language(store: SqlStore,
                                                                  lang: str) -> None:
    """Headers, fields and reasons of the report: column labels and translated messages,
    never raw field names or English."""
    report = import_page.check_file(store, "sites.csv", bad_file(store), None)
    rejected = import_page.rejected_table(report, lang)
    assert list(rejected[t("hist_col_field", lang)]) == [
        column_label(c, lang, "sites") for c in ("lat", "project_id")]
    latitude, project = rejected[t("imp_col_reason", lang)]
    assert "93,5" in latitude and "latitude" not in latitude
    assert "no-such-project" in project and "unknown" not in project
    good = import_page.check_file(store, "sites.csv", good_file(store), None)
    new = import_page.new_table(good, "sites", {}, lang)
    fields = field_values(new[t("hist_col_fields", lang)].iloc[0])
    assert column_label("region_code", lang, "sites") in fields
    assert not [c for c in [*new.columns, *fields] if "_" in c]
    # Choices in words and numbers the reader's way, as the History page shows them.
    site = kuryk(store)
    precision = fields[column_label("precision", lang, "sites")]
    assert precision == choice_label("sites", "precision", site["precision"], lang)
    assert precision != site["precision"]
    lon = fields[column_label("lon", lang, "sites")]
    assert "," in lon and "." not in lon  # 51,2345 in ru and kk


def test_good_file_shows_the_report_then_applies(store: SqlStore) -> None:
    before = tables(store)
    at = run(app(upload=("sites.csv", good_file(store))))
    values = {m.label: m.value for m in at.metric}
    assert values[t("imp_count_new", "en")] == "1"
    assert values[t("imp_count_changed", "en")] == "1"
    assert values[t("imp_count_rejected", "en")] == "0"
    new, changed = [x.value for x in at.table]
    # Every field of the new row by its label in the reader's language, never raw names.
    [fields] = [field_values(x) for x in new[t("hist_col_fields", "en")]]
    assert fields[column_label("site_id", "en", "sites")] == NEW_SITE
    assert fields[column_label("name_en", "en", "sites")] == \
        "Kuryk \"embankment\" & park"  # shown as typed, in a table
    assert list(changed[t("hist_col_after", "en")].map(plain)) == ["Second stage, checked again"]
    assert_same(before, tables(store))  # nothing written yet

    button = at.button(key="imp_apply")
    assert button.label == t("imp_apply", "en", n=2)
    button.click()
    run(at)
    record = store.history()[0]
    assert (record.kind, record.user, len(record.rows)) == ("import", "alice", 2)
    assert at.success[0].value == md(t("imp_done", "en", id=record.change_id, n=2))
    assert [p.label for p in at.get("page_link")
            if p.label == f"{t('imp_to_history', 'en')} →"]
    sites = store.load()["sites"]
    assert NEW_SITE in set(sites["site_id"])
    assert not at.metric  # the file is done with: no report, no second apply
    assert not [b for b in at.button if b.key == "imp_apply"]

    # Undone from the History page's function, the store is as before the import.
    editing.undo(store, ALICE, record.change_id)
    assert_same(before, tables(store))


def test_bad_file_shows_rejected_rows_and_no_apply(store: SqlStore) -> None:
    before = tables(store)
    at = run(app(upload=("sites.csv", bad_file(store)), lang="ru"))
    values = {m.label: m.value for m in at.metric}
    assert values[t("imp_count_rejected", "ru")] == "2"
    assert not at.dataframe  # every table of the report is a wrapped one, read whole
    rejected = at.table[0].value.map(plain)
    assert list(rejected[t("imp_col_row", "ru")]) == ["строка 2", "строка 3"]
    assert list(rejected[t("hist_col_field", "ru")]) == [
        column_label("lat", "ru", "sites"), column_label("project_id", "ru", "sites")]
    assert "93,5" in rejected[t("imp_col_reason", "ru")][0]  # the reader's number format
    assert "no-such-project" in rejected[t("imp_col_reason", "ru")][1]
    assert at.warning[0].value == t("imp_fix_first", "ru")
    assert not [b for b in at.button if b.key == "imp_apply"]
    assert not import_page.can_apply(import_page.check_file(store, "sites.csv",
                                                            bad_file(store), None))
    assert_same(before, tables(store))


def test_refused_file_says_why(store: SqlStore) -> None:
    at = run(app(upload=("notes.csv", b"")))
    assert at.error[0].value == md(importing.describe(
        importing.read_upload("notes.csv", b"").problems[0]))
    assert at.info[-1].value == t("imp_refused", "en")
    assert not at.metric and not [b for b in at.button if b.key == "imp_apply"]


def test_entity_from_the_url_and_templates(store: SqlStore) -> None:
    at = run(app(entity="results", lang="kk"))
    assert at.selectbox(key="imp_entity").value == "results"
    at.selectbox(key="imp_entity").set_value("sites")
    run(at)
    assert at.query_params.get("entity") == "sites"
    assert at.query_params.get("lang") == "kk"
    at = run(app(entity="rates"))  # not an entity imports change: the file name decides
    assert at.selectbox(key="imp_entity").value == import_page.AUTO
    assert "entity" not in at.query_params


def test_file_name_is_shown_without_its_line_breaks(store: SqlStore) -> None:
    at = run(app(upload=("sites\n## Applied: 999 rows\u202e.csv", bad_file(store))))
    heading = [s.value for s in at.subheader]
    assert heading == [t("imp_report", "en", file=md("sites ## Applied: 999 rows.csv"))]


def test_a_file_over_the_check_budget_is_refused_with_a_message(
        store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs in a child process with a time and memory budget: over it, the page
    says so instead of holding the server (the file here is fine, the budget tiny)."""
    base = kuryk(store)
    big = sites_csv(store, *[{**base, "site_id": f"s-b-{i}"} for i in range(3000)])
    monkeypatch.setattr(importing, "IMPORT_BUDGET", Budget(seconds=0.05,
                                                           memory_bytes=1024 ** 3))
    at = run(app(upload=("sites.csv", big)))
    assert [e.value for e in at.error] == [md(
        "sites.csv: checking the file took more than 0 seconds and was stopped (a file of "
        "5,000 rows takes a few seconds): is this the right file? If it is, split it into "
        "smaller files")]
    assert not at.metric and not [b for b in at.button if b.key == "imp_apply"]
    # The limit is on growth: the 3,000 rows need more memory than the child starts with.
    monkeypatch.setattr(importing, "IMPORT_BUDGET", Budget(seconds=60, memory_bytes=1))
    at = run(app(upload=("sites.csv", big)))
    assert "checking the file needed more than 0 MB of memory and was stopped" in \
        at.error[0].value


def test_a_workbook_declaring_the_whole_grid_gets_its_message(store: SqlStore) -> None:
    lone = xlsx_parts.xlsx([("sites", xlsx_parts.sheet(
        '<row r="1048576">' + xlsx_parts.text_cell("XFD1048576", "x") + "</row>",
        "A1:XFD1048576"))])
    at = run(app(upload=("sites.xlsx", lone)))
    assert [e.value for e in at.error] == [md(
        "sites.xlsx, sheet Sites: the sheet has a value in cell XFD1048576, beyond column "
        f"{column_letter(importing.MAX_COLUMNS - 1)}: no table has that many columns; delete "
        "the cells to the right of the table")]


IATI_FILE = REPO_ROOT / "tests" / "iati" / "data" / "kz-test-activities.xml"
ANNOTATED = REPO_ROOT / "tests" / "iati" / "data" / "activity-standard-example-annotated-2.03.xml"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_iati_file_is_reported_by_activity_and_element_in_the_readers_language(
        store: SqlStore, lang: str) -> None:
    before = tables(store)
    at = run(app(upload=(IATI_FILE.name, IATI_FILE.read_bytes()), lang=lang))
    values = {m.label: m.value for m in at.metric}
    assert values[t("imp_count_new", lang)] == "13"
    assert values[t("imp_count_rejected", lang)] == "0"
    # The summary line and the folded notes, in the reader's language.
    assert at.info[0].value == md(t("iati_kept", lang, kept=1, read=2, country="KZ"))
    labels = [e.label for e in at.expander]
    assert any(label.startswith(t("imp_notes_left_out", lang, n=1)[:5]) for label in labels)
    where = t("imp_where_activity", lang, activity="XX-TEST-KZ-001", element="location[1]")
    assert not at.dataframe
    shown = [x.value.map(plain) for x in at.table]
    assert any(where in set(df.get(t("imp_col_row", lang), [])) for df in shown)
    page_text = " ".join(str(df.to_dict()) for df in shown)
    assert "No exchange rate" not in page_text and "left out:" not in page_text
    assert [b for b in at.button if b.key == "imp_apply"]
    assert_same(before, tables(store))


def test_an_iati_file_without_kazakhstan_activities_says_so(store: SqlStore) -> None:
    at = run(app(upload=(ANNOTATED.name, ANNOTATED.read_bytes()), lang="ru"))
    assert at.error[0].value.endswith(md(t("iati_nothing_kept", "ru", read=1, country="KZ")))
    assert at.info[-1].value == t("imp_refused", "ru")
    assert not [b for b in at.button if b.key == "imp_apply"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_where_an_iati_row_comes_from_is_said_in_the_readers_language(lang: str) -> None:
    assert import_page.where("activity", 3, lang, "activity XM-1, location[2]") == \
        t("imp_where_activity", lang, activity="XM-1", element="location[2]")
    assert import_page.where("activity", 1, lang, "activity XM-1") == \
        t("imp_where_activity_only", lang, activity="XM-1")
    assert import_page.where("activity", 1, lang, "file a.xml") == \
        t("imp_where_file", lang, file="a.xml")
    assert import_page.where("row", 4, lang) == t("imp_where_row", lang, n=4)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_streamlits_own_words_are_said_in_the_readers_language(store: SqlStore,
                                                                lang: str) -> None:
    from atlas.ui.builtin_text import builtin_css
    styles = [h.proto.body for h in run(app(lang=lang)).get("html")]
    # Every page says "No results" and the uploader's button in the language; the Import
    # page also its uploader's limit line (a browser test checks what Chromium shows).
    assert (builtin_css("ru") in styles) == (lang == "ru")
    limit = [s for s in styles if f".st-key-{import_page.UPLOADER_BOX} " in s]
    assert [("до 20 МБ на файл" in s) for s in limit] == ([True] if lang == "ru" else [])
