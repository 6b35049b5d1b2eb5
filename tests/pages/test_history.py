"""The History page: staff only, lists changes with filters from the URL, undoes (AppTest).

Changes are made with ``atlas.editing`` against the module's private store (conftest), then
the page is opened as an editor or admin by putting the account in the session, as the login
form does. Undo is driven through the page's buttons; the store is compared table by table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth, editing
from atlas.auth import Account, PermissionDenied
from atlas.change_summary import import_summary, undo_summary
from atlas.dataset import DataSet
from atlas.edit_forms import column_label
from atlas.figures import format_number
from atlas.i18n import LANGUAGES, t
from atlas.model import TABLES_BY_NAME
from atlas.store import RowChange, SqlStore, open_store
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.text import md
from tests.pages.support import field_values, open_page, plain, run

PAGE = "pages/5_History.py"
PASSWORD = "correct horse battery"
ALICE, BOB, ROOT = Account("alice", "editor"), Account("bob", "editor"), Account("root", "admin")


@pytest.fixture(scope="module")
def store(store_file: Path) -> SqlStore:
    s = open_store(store_file)
    for account in (ALICE, BOB, ROOT):
        auth.add_user(s, account.name, account.role, PASSWORD)
    return s


def app(account: Account | None = None, **params: str) -> AppTest:
    """The History page (not yet run), logged in as ``account``."""
    at = open_page(PAGE, **params)
    if account is not None:
        at.session_state[ACCOUNT_KEY] = account
    return at


def tables(store: SqlStore) -> DataSet:
    return {k: v.sort_values(list(v.columns)).reset_index(drop=True)
            for k, v in store.load().items()}


def assert_same(a: DataSet, b: DataSet) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name


def row(store: SqlStore, table: str, **key: str) -> dict[str, Any]:
    df = store.load()[table]
    for k, v in key.items():
        df = df.loc[df[k] == v]
    assert len(df) == 1
    return editing.normalized_row(table, df.iloc[0].to_dict())


def edit_note(store: SqlStore, account: Account, site_id: str, note: str) -> int:
    """Change one site's note as ``account``; the change id."""
    site = row(store, "sites", site_id=site_id)
    version = store.row_version("sites", (site_id,)).version
    return editing.save_row(store, account, "sites", {**site, "note": note}, version).change_id


def text(at: AppTest) -> str:
    """Every markdown and caption on the page, with md()'s escapes removed."""
    return "\n".join(e.value for e in [*at.markdown, *at.caption]).replace("\\", "")


def undo_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("h_undo_")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_login_only_the_login_form(store: SqlStore, lang: str) -> None:
    edit_note(store, BOB, "s-ps-kuryk", "a secret-looking note")
    at = run(app(lang=lang))
    assert [i.value for i in at.info] == [t("login_needed", lang)]
    assert [x.label for x in at.text_input] == [t("login_name", lang), t("login_password", lang)]
    assert not at.dataframe and not at.multiselect and not undo_keys(at)
    assert "secret-looking" not in text(at) and "bob" not in text(at)


def test_editor_sees_the_change_and_undoes_it_exactly(store: SqlStore) -> None:
    before = tables(store)
    change = edit_note(store, ALICE, "s-abd-bautino", "Checked on site by Alice")
    assert not tables(store)["sites"].equals(before["sites"])

    at = run(app(ALICE))
    shown = text(at)
    assert f"#{change}" in shown and "Checked on site by Alice" not in shown  # in the table
    fields = at.table[0].value.map(plain)
    assert list(fields[t("hist_col_field", "en")]) == [t("ecol_note", "en")]
    assert list(fields[t("hist_col_after", "en")]) == ["Checked on site by Alice"]
    assert list(fields[t("hist_col_name", "en")]) == ["Bautino"]

    at.button(key=f"h_undo_{change}").click()
    run(at)
    assert at.warning[0].value == t("hist_undo_confirm", "en", id=change)
    at.button(key=f"h_undo_yes_{change}").click()
    run(at)
    undo = store.history()[0]
    assert (undo.kind, undo.undo_of, undo.user) == ("undo", change, "alice")
    assert at.success[0].value == md(t("hist_undo_done", "en", id=change, new=undo.change_id))
    assert_same(before, tables(store))
    # The list now says so, and neither the change nor its undo can be undone again.
    shown = text(at)
    assert t("hist_undone_by", "en", id=undo.change_id) in shown
    assert t("hist_undo_of", "en", id=change) in shown
    assert not {f"h_undo_{change}", f"h_undo_{undo.change_id}"} & undo_keys(at)


def test_cancel_leaves_the_change(store: SqlStore) -> None:
    change = edit_note(store, ALICE, "s-abd-bautino", "Kept")
    at = run(app(ALICE))
    at.button(key=f"h_undo_{change}").click()
    run(at)
    at.button(key=f"h_undo_cancel_{change}").click()
    run(at)
    assert not at.warning and not at.success
    assert store.change(change).undone_by is None  # type: ignore[union-attr]
    assert f"h_undo_{change}" in undo_keys(at)


def test_an_editor_cannot_undo_another_editors_change(store: SqlStore) -> None:
    change = edit_note(store, BOB, "s-ps-kuryk", "Bob's note")
    at = run(app(ALICE))
    assert f"#{change}" in text(at)
    assert f"h_undo_{change}" not in undo_keys(at)
    with pytest.raises(PermissionDenied):
        editing.undo(store, ALICE, change)
    assert store.change(change).undone_by is None  # type: ignore[union-attr]


def test_an_admin_can_undo_anyones_change(store: SqlStore) -> None:
    before = tables(store)
    change = edit_note(store, BOB, "s-ps-kuryk", "Bob again")
    at = run(app(ROOT, lang="kk"))
    at.button(key=f"h_undo_{change}").click()
    run(at)
    at.button(key=f"h_undo_yes_{change}").click()
    run(at)
    undo = store.history()[0]
    assert at.success[0].value == md(t("hist_undo_done", "kk", id=change, new=undo.change_id))
    assert undo.user == "root"
    assert_same(before, tables(store))


def test_undo_refused_when_the_row_changed_again(store: SqlStore) -> None:
    first = edit_note(store, ALICE, "s-abd-bautino", "Alice first")
    at = run(app(ALICE))
    at.button(key=f"h_undo_{first}").click()
    run(at)
    edit_note(store, BOB, "s-abd-bautino", "Bob later")  # lands while Alice confirms
    after_bob = tables(store)
    at.button(key=f"h_undo_yes_{first}").click()
    run(at)
    when = store.row_version("sites", ("s-abd-bautino",)).changed_at
    row_text = f"{t('hist_table_sites', 'en')} s-abd-bautino"
    assert at.error[0].value == md(t("hist_undo_stale", "en", row=row_text, user="bob",
                                     at=when))
    assert_same(after_bob, tables(store))


def test_filters_come_from_the_url_and_go_back_to_it(store: SqlStore) -> None:
    edit_note(store, BOB, "s-ps-kuryk", "For the filter test")
    mine = [r.change_id for r in store.history() if r.user == "bob" and r.kind == "edit"]
    at = run(app(ALICE, user="bob", kind="edit", table="sites", lang="ru"))
    assert at.multiselect(key="h_user").value == ["bob"]
    assert at.multiselect(key="h_kind").value == ["edit"]
    assert at.multiselect(key="h_table").value == ["sites"]
    shown = text(at)
    assert all(f"#{c}" in shown for c in mine)
    others = [r.change_id for r in store.history() if r.change_id not in mine]
    assert not any(f"**#{c}**" in shown for c in others)

    at.multiselect(key="h_user").set_value([])
    at.text_input(key="h_q").set_value("kuryk")
    run(at)
    assert "user" not in at.query_params
    assert at.query_params.get("q") == "kuryk" and at.query_params.get("lang") == "ru"
    assert at.query_params.get("kind") == "edit"


def test_date_filters_from_the_url(store: SqlStore) -> None:
    day = store.history()[0].at[:10]
    at = run(app(ALICE, **{"from": day, "to": day}))
    assert at.date_input(key="h_from").value.isoformat() == day
    assert f"**#{store.history()[0].change_id}**" in "\n".join(m.value for m in at.markdown)
    at = run(app(ALICE, **{"from": "2000-01-01", "to": "2000-01-02"}))
    assert at.info[0].value == t("hist_none", "en")
    at = run(app(ALICE, **{"from": "not a date"}))
    assert at.date_input(key="h_from").value is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_date_fields_get_the_languages_placeholders(store: SqlStore, lang: str) -> None:
    """Streamlit writes "yyyy-mm-dd" in every language: a ru/kk page restyles it (the
    browser test checks what shows)."""
    from atlas.ui.builtin_text import date_placeholder_css

    styles = [h.proto.body for h in run(app(ALICE, lang=lang)).get("html")]
    assert (date_placeholder_css(lang) in styles) == (lang != "en")
    if lang != "en":
        assert all(f'"{part}"' in date_placeholder_css(lang)
                   for part in t("date_placeholder", lang).split("-"))


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_summaries_and_fields_read_in_the_readers_language(store: SqlStore, lang: str) -> None:
    """Summaries, field names and numbers on a ru/kk History page are in that language; a
    summary written by some other tool (in no known form) is shown as it was stored."""
    site = row(store, "sites", site_id="s-ps-kuryk")
    version = store.row_version("sites", ("s-ps-kuryk",)).version
    store.apply_changes([RowChange("sites", ("s-ps-kuryk",), {**site, "note": "by hand"},
                                   version)],
                        user="alice", kind="edit", summary=f"Fixed by hand ({lang})")
    change = edit_note(store, ALICE, "s-abd-bautino", f"Note in {lang}")
    at = run(app(ALICE, lang=lang))
    shown = text(at)
    row_label = f"{t('hist_table_sites', lang)} · s-abd-bautino"
    assert t("hist_sum_changed", lang, row=row_label) in shown
    assert "changed sites" not in shown
    entry = next(d.value.map(plain) for d in at.table
                 if t("hist_col_field", lang) in d.value.columns)
    assert list(entry[t("hist_col_field", lang)]) == [t("ecol_note", lang)]
    assert f"**#{change}**" in shown
    assert f"Fixed by hand ({lang})" in shown


def test_an_import_summary_groups_its_numbers_the_languages_way() -> None:
    from atlas.ui.history_page import summary_text

    imported = import_summary("big.xlsx", ("results",), {"new": 12000, "changed": 3,
                                                         "unchanged": 0, "rejected": 1500})
    stored = imported.english()
    ru = summary_text(imported, stored, "ru")
    assert ru == t("hist_sum_import", "ru", file="big.xlsx", tables=t("hist_table_results", "ru"),
                   new="12\u00a0000", changed="3", unchanged="0", rejected="1\u00a0500")
    undone = summary_text(undo_summary(7, imported), f"undid #7: {stored}", "kk")
    assert undone == t("hist_sum_undo", "kk", id=7, undone=summary_text(imported, stored, "kk"))
    assert "12\u00a0000" in undone
    # A change recorded without a message (by some other tool) is shown as stored.
    assert summary_text(None, "fixed by hand, old tool", "kk") == "fixed by hand, old tool"
    assert summary_text(undo_summary(7, "fixed by hand"), "undid #7: fixed by hand", "ru") == \
        t("hist_sum_undo", "ru", id=7, undone="fixed by hand")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_import_and_its_undo_read_in_the_readers_language_and_are_found_so(
        store: SqlStore, lang: str) -> None:
    """Summaries come from the stored message, not from the English line: the page shows
    the message in the language, and the text filter finds a change by what it shows."""
    site = row(store, "sites", site_id="s-ps-kuryk")
    version = store.row_version("sites", ("s-ps-kuryk",)).version
    message = import_summary(f"{lang}-upload.xlsx", ("sites",),
                             {"new": 0, "changed": 1, "unchanged": 4, "rejected": 0})
    imported = editing.apply_import(store, ROOT, [RowChange(
        "sites", ("s-ps-kuryk",), {**site, "note": f"imported ({lang})"}, version)], message)
    undone = editing.undo(store, ROOT, imported.change_id).change_id
    with store.engine.begin() as conn:  # the line is for the command line, not for the page
        conn.exec_driver_sql("UPDATE atlas_changes SET summary = 'a line' WHERE change_id IN "
                             f"({imported.change_id}, {undone})")
    shown_import = t("hist_sum_import", lang, file=f"{lang}-upload.xlsx",
                     tables=t("hist_table_sites", lang), new="0", changed="1", unchanged="4",
                     rejected="0")
    at = run(app(ROOT, lang=lang))
    shown = text(at)
    assert shown_import in shown
    assert t("hist_sum_undo", lang, id=imported.change_id, undone=shown_import) in shown
    assert "import of" not in shown and "undid" not in shown
    # Found by the words the reader sees ("Undid change" in the language), which the
    # stored English line does not hold.
    words = max(re.split(r"\{[^}]*\}", t("hist_sum_undo", lang)), key=len).strip(" #(")
    at = run(app(ROOT, lang=lang, q=words))
    assert f"**#{undone}**" in text(at)
    assert f"**#{imported.change_id}**" not in text(at)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_undo_refusal_reads_in_the_readers_language(store: SqlStore, lang: str) -> None:
    from atlas.ui.history_page import undo_outcome

    change = edit_note(store, BOB, "s-ps-kuryk", f"Bob's {lang} note")
    assert undo_outcome(ALICE, change, lang) == (
        "error", t("hist_undo_denied", lang, reason=t("hist_undo_not_allowed", lang)))
    assert undo_outcome(ROOT, 10**6, lang) == (
        "error", t("hist_undo_refused", lang, reason=t("hist_undo_no_change", lang, id=10**6)))
    undone = editing.undo(store, ROOT, change).change_id
    assert undo_outcome(ROOT, undone, lang) == (
        "error", t("hist_undo_refused", lang, reason=t("hist_undo_of_undo", lang)))
    # Undone by another admin while this one confirmed: said so, not "an undo is not undone".
    assert undo_outcome(ROOT, change, lang) == (
        "error", t("hist_undo_refused", lang, reason=t("hist_undo_already", lang, id=change,
                                                       by=undone)))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_tables_of_a_change_read_whole(store: SqlStore, lang: str) -> None:
    """A change's field-by-field table fits a laptop with its text wrapped; a whole added
    row is a wrapped table's row: its name, then every field as "field: value" lines in the
    reader's language, numbers the reader's way."""
    place = row(store, "places", place_id="aktau")
    added = {**place, "place_id": f"aktau-copy-{lang}", "lon": 51.173925}
    editing.save_row(store, ALICE, "places", added, 0, new=True)
    edit_note(store, ALICE, "s-abd-bautino", f"Whole table check {lang} " + "long words " * 12)
    at = run(app(ALICE, lang=lang))
    assert not at.dataframe  # a change's tables are wrapped ones, their text read whole
    note = f"Whole table check {lang} " + "long words " * 11 + "long words"
    [changed] = [x.value.map(plain) for x in at.table
                 if t("hist_col_field", lang) in x.value.columns
                 and any(note in v for v in x.value[t("hist_col_after", lang)].map(plain))]
    assert list(changed.columns) == [t(f"hist_col_{c}", lang)
                                     for c in ("row", "name", "field", "before", "after")]
    wholes = [x.value for x in at.table  # the places added, one change each
              if t("hist_col_field", lang) not in x.value.columns]
    assert all(list(w.columns) == [t("hist_col_name", lang), t("hist_col_fields", lang)]
               for w in wholes)
    place_id = column_label("place_id", lang, "places")
    [fields] = [f for w in wholes for f in map(field_values, w[t("hist_col_fields", lang)])
                if f[place_id] == f"aktau-copy-{lang}"]
    assert list(fields) == [column_label(c, lang, "places")
                            for c in TABLES_BY_NAME["places"].column_names]
    assert fields[column_label("lon", lang, "places")] == \
        format_number(51.173925, lang, decimals=6)

