"""Editing through the store: permissions, validation, versions, history and undo, on SQLite
and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atlas import auth, editing
from atlas.auth import Account, PermissionDenied
from atlas.dataset import DataSet
from atlas.i18n import t
from atlas.store import ChangeRefused, InvalidData, RowChange, SqlStore, StaleEdit
from tests.databases import StoreMaker

PASSWORD = "correct horse battery"


@pytest.fixture()
def store(new_store: StoreMaker) -> SqlStore:
    s = new_store()
    auth.add_user(s, "alice", "editor", PASSWORD)
    auth.add_user(s, "bob", "editor", PASSWORD)
    auth.add_user(s, "root", "admin", PASSWORD)
    return s


ALICE, BOB, ROOT = Account("alice", "editor"), Account("bob", "editor"), Account("root", "admin")


def row(store: SqlStore, table: str, **key: str) -> dict[str, Any]:
    df = store.load()[table]
    for k, v in key.items():
        df = df.loc[df[k] == v]
    assert len(df) == 1
    return editing.normalized_row(table, df.iloc[0].to_dict())


def tables(store: SqlStore) -> DataSet:
    return {k: v.sort_values(list(v.columns)).reset_index(drop=True)
            for k, v in store.load().items()}


def assert_same(a: DataSet, b: DataSet) -> None:
    for name in a:
        assert a[name].equals(b[name]), name


def test_every_editing_action_refuses_without_login(store: SqlStore) -> None:
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    before, version = tables(store), store.data_version()
    with pytest.raises(PermissionDenied):
        editing.save_row(store, None, "sites", kuryk, 0)
    with pytest.raises(PermissionDenied):
        editing.remove_row(store, None, "sites", ("s-ps-kuryk",), 0)
    with pytest.raises(PermissionDenied):
        editing.apply_import(store, None, [RowChange("sites", ("s-ps-kuryk",), kuryk)], "x")
    with pytest.raises(PermissionDenied):
        editing.undo(store, None, 1)
    # A session holding an account that was removed (or never existed) is refused too.
    with pytest.raises(PermissionDenied):
        editing.save_row(store, Account("mallory", "admin"), "sites", kuryk, 0)
    auth.remove_user(store, "bob")
    with pytest.raises(PermissionDenied):
        editing.save_row(store, BOB, "sites", kuryk, 0)
    # Reference tables are not edited through these actions.
    with pytest.raises(PermissionDenied):
        editing.save_row(store, ALICE, "rates", {}, 0)
    assert store.data_version() == version
    assert_same(before, tables(store))


def test_a_save_is_validated_and_all_or_nothing(store: SqlStore) -> None:
    before, version = tables(store), store.data_version()
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    with pytest.raises(InvalidData) as exc:
        editing.save_row(store, ALICE, "sites", {**kuryk, "lat": 10.0}, 0)
    assert "outside Kazakhstan" in str(exc.value)
    flow = row(store, "funding_flows", flow_id="f-glocal-eu")
    with pytest.raises(InvalidData):
        editing.save_row(store, ALICE, "funding_flows", {**flow, "amount": -5.0}, 0)
    # Two rows, the second invalid: the first does not land either.
    good = {**kuryk, "name_en": "Kuryk (renamed)"}
    bad = {**flow, "currency": "XXX"}
    with pytest.raises(InvalidData):
        store.apply_changes([RowChange("sites", ("s-ps-kuryk",), good),
                             RowChange("funding_flows", ("f-glocal-eu",), bad)],
                            user="alice", kind="edit", summary="two")
    assert store.data_version() == version
    assert_same(before, tables(store))


@pytest.mark.parametrize("title, why", [
    ("=HYPERLINK(\"http://evil.example\")", "is a formula"),
    ("  =1+1", "is a formula"),
    ("GLocal\x00 (cut)", "control character U+0000"),
    ("GLocal \x1b[31mred", "control character U+001B"),
    ("GLocal\rsplit", "control character U+000D"),
])
def test_the_edit_form_follows_the_importers_text_rule(store: SqlStore, title: str,
                                                       why: str) -> None:
    version = store.data_version()
    glocal = row(store, "projects", project_id="glocal")
    with pytest.raises(InvalidData) as exc:
        editing.save_row(store, ALICE, "projects", {**glocal, "title_en": title}, 0)
    assert "title_en" in str(exc.value) and why in str(exc.value)
    assert store.data_version() == version


def test_text_that_only_looks_like_a_formula_in_a_spreadsheet_is_kept(store: SqlStore) -> None:
    # "+", "-" and "@" start ordinary text (a phone number, a dash); downloads make them inert.
    glocal = row(store, "projects", project_id="glocal")
    title = "+7 7172 phone - @argo\tline\nbreak"
    editing.save_row(store, ALICE, "projects", {**glocal, "title_en": title}, 0)
    assert row(store, "projects", project_id="glocal")["title_en"] == title


def test_concurrent_edit_is_refused_with_who_and_the_other_values(store: SqlStore) -> None:
    result = row(store, "results", result_id="r-ps-mini-projects-2")
    opened = store.row_version("results", ("r-ps-mini-projects-2",)).version  # both open it
    editing.save_row(store, ALICE, "results", {**result, "value": 19.0}, opened)
    with pytest.raises(StaleEdit) as exc:
        editing.save_row(store, BOB, "results", {**result, "value": 20.0}, opened)
    assert exc.value.changed_by == "alice" and exc.value.changed_at
    assert exc.value.current is not None and exc.value.current["value"] == 19.0
    assert "changed by alice at" in str(exc.value)
    assert row(store, "results", result_id="r-ps-mini-projects-2")["value"] == 19.0
    # With the version Bob reloads, his save goes through.
    fresh = store.row_version("results", ("r-ps-mini-projects-2",)).version
    editing.save_row(store, BOB, "results", {**result, "value": 20.0}, fresh)
    assert row(store, "results", result_id="r-ps-mini-projects-2")["value"] == 20.0


def test_adding_a_row_that_someone_added_meanwhile_is_refused(store: SqlStore) -> None:
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    new = {**kuryk, "site_id": "s-ps-kuryk-2", "name_en": "Kuryk 2"}
    editing.save_row(store, ALICE, "sites", new, 0, new=True)
    with pytest.raises(StaleEdit) as exc:
        editing.save_row(store, BOB, "sites", new, 0, new=True)
    assert exc.value.changed_by == "alice"


def test_undo_restores_exactly_and_is_recorded(store: SqlStore) -> None:
    before, version = tables(store), store.data_version()
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    added = {**kuryk, "site_id": "s-ps-kuryk-east", "name_en": "Kuryk east", "lon": 51.75}
    first = editing.save_row(store, ALICE, "sites", added, 0, new=True)
    second = editing.save_row(store, ALICE, "sites", {**kuryk, "note": "checked"}, 0)
    editing.undo(store, ALICE, second.change_id)
    editing.undo(store, ALICE, first.change_id)
    assert_same(before, tables(store))
    # The content is back, under a new version number (caches must refresh).
    assert store.data_version() != version
    assert store.data_version().split("-")[1] == version.split("-")[1]
    kinds = [(c.kind, c.undo_of, c.undone_by) for c in store.history()]
    assert kinds == [("undo", first.change_id, None), ("undo", second.change_id, None),
                     ("edit", None, 3), ("edit", None, 4)]
    with pytest.raises(ValueError):
        editing.undo(store, ALICE, first.change_id)  # already undone


def test_who_may_undo(store: SqlStore) -> None:
    result = row(store, "results", result_id="r-ps-mini-projects-2")
    change = editing.save_row(store, ALICE, "results", {**result, "value": 19.0}, 0)
    with pytest.raises(PermissionDenied):
        editing.undo(store, BOB, change.change_id)
    editing.undo(store, ROOT, change.change_id)  # an admin may undo anyone's change
    assert row(store, "results", result_id="r-ps-mini-projects-2")["value"] == 18.0


def test_undo_refused_when_the_row_changed_again(store: SqlStore) -> None:
    result = row(store, "results", result_id="r-ps-mini-projects-2")
    first = editing.save_row(store, ALICE, "results", {**result, "value": 19.0}, 0)
    editing.save_row(store, BOB, "results", {**result, "value": 21.0}, 1)
    with pytest.raises(StaleEdit) as exc:
        editing.undo(store, ALICE, first.change_id)
    assert exc.value.changed_by == "bob"
    assert row(store, "results", result_id="r-ps-mini-projects-2")["value"] == 21.0


def test_history_keeps_before_and_after(store: SqlStore) -> None:
    result = row(store, "results", result_id="r-ps-mini-projects-2")
    editing.save_row(store, ALICE, "results", {**result, "value": 19.0}, 0)
    (record,) = store.history()
    assert (record.user, record.kind) == ("alice", "edit")
    ((table, key, before, after),) = record.rows
    assert (table, key) == ("results", ("r-ps-mini-projects-2",))
    assert before is not None and after is not None
    assert (before["value"], after["value"]) == (18.0, 19.0)


def test_export_data_writes_the_edited_store(store: SqlStore, tmp_path: Path) -> None:
    from atlas.dataset import read_dataset, write_dataset

    result = row(store, "results", result_id="r-ps-mini-projects-2")
    editing.save_row(store, ALICE, "results", {**result, "value": 19.0}, 0)
    write_dataset(store.load(), tmp_path / "out")
    data, problems = read_dataset(tmp_path / "out")
    assert problems == []
    values = data["results"].set_index("result_id")["value"]
    assert values["r-ps-mini-projects-2"] == 19.0


def refusal(action: Callable[[], object]) -> tuple[str, dict[str, object]]:
    """The message code and parameters an action was refused with (checked to be English
    on the command line and said otherwise in Russian and Kazakh)."""
    with pytest.raises((PermissionDenied, ChangeRefused)) as info:
        action()
    exc = info.value
    assert str(exc) == t(exc.code, "en", **exc.params)  # the command line's English
    assert t(exc.code, "ru", **exc.params) != str(exc) != t(exc.code, "kk", **exc.params)
    return exc.code, exc.params


def test_refusals_are_message_codes_the_pages_say_in_the_readers_language(
        store: SqlStore) -> None:
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    assert refusal(lambda: editing.save_row(store, None, "sites", kuryk, 0)) == (
        "auth_denied_login", {})
    assert refusal(lambda: editing.save_row(store, Account("ghost", "admin"), "sites",
                                            kuryk, 0)) == ("auth_denied_gone", {"name": "ghost"})
    assert refusal(lambda: editing.save_row(store, ALICE, "sdgs", {}, 0)) == (
        "edit_denied_table", {"table": "sdgs"})
    assert refusal(lambda: auth.require(store, ALICE, "admin")) == ("auth_denied_admin", {})
    stale = Account("alice", "editor", credential="from an older login")
    assert refusal(lambda: auth.require(store, stale)) == ("auth_denied_expired",
                                                           {"name": "alice"})
    change = editing.save_row(store, ALICE, "sites", {**kuryk, "note": "x"}, 0).change_id
    assert refusal(lambda: editing.undo(store, BOB, change)) == ("hist_undo_not_allowed", {})
    assert refusal(lambda: editing.undo(store, ALICE, 999)) == ("hist_undo_no_change",
                                                                {"id": 999})
    undone = editing.undo(store, ALICE, change).change_id
    assert refusal(lambda: editing.undo(store, ROOT, undone)) == ("hist_undo_of_undo", {})
    # Another admin's undo landed while this one confirmed: the store refuses it.
    assert refusal(lambda: store.undo_changes(change)) == ("hist_undo_already",
                                                           {"id": change, "by": undone})


def test_a_row_nobody_edited_is_said_to_be_changed_by_no_one(store: SqlStore) -> None:
    """A row gone with no recorded edit (a rebuild replaced it): the conflict names no
    person, and the pages say so in the reader's language (not "the data set")."""
    kuryk = row(store, "sites", site_id="s-ps-kuryk")
    with pytest.raises(StaleEdit) as exc:
        store.apply_changes([RowChange("sites", ("s-gone",), {**kuryk, "site_id": "s-gone"})],
                            user="alice", kind="edit", summary="x")
    assert (exc.value.changed_by, exc.value.changed_at, exc.value.current) == ("", "", None)
    assert "the data set" not in str(exc.value)
