"""The history made readable: row names in a language, field differences, filters."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from atlas import auth, editing
from atlas.auth import Account
from atlas.change_summary import row_summary, undo_summary
from atlas.history import (
    EMPTY,
    FieldDiff,
    HistoryFilters,
    SummaryMessage,
    change_date,
    describe,
    display_value,
    field_differences,
    filter_history,
    reference_names,
    row_name,
    tables_of,
    users_of,
    value_text,
    when_text,
)
from atlas.i18n import t
from atlas.store import ChangeRecord, RowChange, SqlStore, open_store
from tests.databases import StoreMaker

PASSWORD = "correct horse battery"
ALICE, BOB = Account("alice", "editor"), Account("bob", "editor")


@pytest.fixture(scope="module")
def store(module_store_maker: StoreMaker) -> SqlStore:
    """A store with three changes: alice edits a project, bob a site, alice undoes hers (on
    each engine)."""
    s = module_store_maker()
    auth.add_user(s, "alice", "editor", PASSWORD)
    auth.add_user(s, "bob", "editor", PASSWORD)
    project = row(s, "projects", project_id="efca-public-spaces")
    editing.save_row(s, ALICE, "projects", {**project, "title_kk": "Жаңа атау"}, 0)
    site = row(s, "sites", site_id="s-ps-kuryk")
    editing.save_row(s, BOB, "sites", {**site, "note": "checked on site & “quoted”"}, 0)
    editing.undo(s, ALICE, 1)
    return s


def row(store: SqlStore, table: str, **key: str) -> dict[str, Any]:
    df = store.load()[table]
    for k, v in key.items():
        df = df.loc[df[k] == v]
    assert len(df) == 1
    return editing.normalized_row(table, df.iloc[0].to_dict())


def record(change_id: int, user: str, kind: str, at: str, summary: str,
           tables: tuple[str, ...] = ("sites",)) -> ChangeRecord:
    rows = tuple((table, ("k",), None, {"x": 1}) for table in tables)
    return ChangeRecord(change_id, at, user, kind, summary, None, None, rows)


def test_values_read_as_typed() -> None:
    assert value_text(None) == EMPTY
    assert value_text("") == EMPTY
    assert value_text("  ") == EMPTY
    assert value_text(float("nan")) == EMPTY
    assert value_text(20000000.0) == "20000000"
    assert value_text(0.0) == "0"  # zero is a value, not "none"
    assert value_text(44.5) == "44.5"
    assert value_text(True) == "true"
    assert value_text("<script>") == "<script>"  # escaping is the page's job


def test_times_and_days() -> None:
    assert when_text("2025-03-01T09:30:12Z") == "2025-03-01 09:30 UTC"
    assert when_text("yesterday") == "yesterday"
    assert change_date(record(1, "a", "edit", "2025-03-01T09:30:12Z", "")) == date(2025, 3, 1)
    assert change_date(record(1, "a", "edit", "garbage", "")) is None


def test_field_differences_of_a_change_an_addition_and_a_removal() -> None:
    before = {"site_id": "s1", "name_en": "Kuryk", "lat": 43.2, "note": ""}
    after = {"site_id": "s1", "name_en": "Kuryk village", "lat": 43.2, "note": "new"}
    assert field_differences("sites", before, after) == (
        FieldDiff("name_en", "Kuryk", "Kuryk village"),
        FieldDiff("note", EMPTY, "new"),
    )
    added = field_differences("sites", None, after)
    assert [d.field for d in added] == ["site_id", "name_en", "lat", "note"]
    assert all(d.before == EMPTY for d in added)
    removed = field_differences("sites", before, None)
    assert [d.field for d in removed] == ["site_id", "name_en", "lat"]
    assert all(d.after == EMPTY for d in removed)
    # A float stored as 43.0 and an int 43 are the same value, not a difference.
    assert field_differences("sites", {"lat": 43.0}, {"lat": 43}) == ()


def test_rows_are_named_in_the_language(store: SqlStore) -> None:
    data = store.load()
    names = reference_names(data, "ru")
    assert names["organizations"]["eu"] == "Европейский Союз"
    site = row(store, "sites", site_id="s-abd-bautino")
    assert row_name("sites", site, "ru", names) == "Баутино"
    flow = row(store, "funding_flows", flow_id="f-abd-cofinancing")
    text = row_name("funding_flows", flow, "ru", names)
    assert " → " in text and names["organizations"]["civil-alliance-mangystau"] in text
    participant = {"project_id": "efca-public-spaces", "org_id": "eu", "role": "funder"}
    assert row_name("participants", participant, "en", reference_names(data, "en")) \
        .startswith("European Union · ")
    # An id nobody names (a removed organization) is shown as the id.
    assert row_name("funding_flows", {"from_org_id": "gone", "to_org_id": "eu"}, "en",
                    {}) == "gone → eu"
    assert row_name("sites", None, "en", names) == ""


def test_describe_a_recorded_edit(store: SqlStore) -> None:
    history = store.history()
    assert [r.change_id for r in history] == [3, 2, 1]  # newest first
    first = next(r for r in history if r.change_id == 1)
    entry = describe(first, "kk")
    assert (entry.user, entry.kind, entry.undone_by, entry.undo_of) == ("alice", "edit", 3, None)
    assert entry.when.endswith(" UTC")
    (only,) = entry.rows
    assert (only.table, only.key, only.action) == ("projects", ("efca-public-spaces",), "changed")
    assert only.name == "Жаңа атау"  # named in Kazakh, as the row was after the change
    assert [f.field for f in only.fields] == ["title_kk"]
    assert only.fields[0].after == "Жаңа атау"
    assert entry.count("changed") == 1 and entry.count("added") == 0
    assert entry.tables == ("projects",)

    undo_entry = describe(history[0], "en")
    assert (undo_entry.kind, undo_entry.undo_of) == ("undo", 1)
    assert undo_entry.rows[0].fields[0] == FieldDiff("title_kk", "Жаңа атау",
                                                     only.fields[0].before)
    site = describe(history[1], "en").rows[0]
    assert site.fields == (FieldDiff("note", site.fields[0].before, "checked on site & “quoted”"),)


def test_filters(store: SqlStore) -> None:
    history = store.history()
    ids = lambda f: [r.change_id for r in filter_history(history, f)]  # noqa: E731
    assert ids(HistoryFilters()) == [3, 2, 1]
    assert ids(HistoryFilters(users=("alice",))) == [3, 1]
    assert ids(HistoryFilters(kinds=("undo",))) == [3]
    assert ids(HistoryFilters(tables=("sites",))) == [2]
    assert ids(HistoryFilters(tables=("projects",), kinds=("edit",))) == [1]
    assert ids(HistoryFilters(text="KURYK")) == [2]  # case-insensitive, in the summary
    assert ids(HistoryFilters(text="nothing like it")) == []
    assert users_of(history) == ["alice", "bob"]
    assert tables_of(history) == ["projects", "sites"]  # in the data model's order


def test_date_filters_include_both_ends() -> None:
    records = [record(3, "a", "edit", "2025-03-03T23:59:59Z", "c"),
               record(2, "a", "edit", "2025-03-02T00:00:00Z", "b"),
               record(1, "a", "edit", "2025-03-01T12:00:00Z", "a")]
    ids = lambda f: [r.change_id for r in filter_history(records, f)]  # noqa: E731
    assert ids(HistoryFilters(since=date(2025, 3, 2))) == [3, 2]
    assert ids(HistoryFilters(until=date(2025, 3, 2))) == [2, 1]
    assert ids(HistoryFilters(since=date(2025, 3, 2), until=date(2025, 3, 2))) == [2]
    assert ids(HistoryFilters(since=date(2025, 3, 4))) == []


def test_changes_are_recorded_with_their_summary_messages(store: SqlStore) -> None:
    """An edit and an undo are stored with their message (code and parameters), which the
    page says in the reader's language, beside the English line the command line reads."""
    by_id = {r.change_id: r for r in store.history()}
    changed = SummaryMessage("hist_sum_changed", {"table": "projects",
                                                  "key": "efca-public-spaces"})
    assert by_id[1].message == changed
    assert by_id[1].summary == "changed projects efca-public-spaces"
    assert by_id[2].message == row_summary("changed", "sites", ("s-ps-kuryk",))
    assert by_id[3].message == SummaryMessage("hist_sum_undo", {"id": 1, "undone": changed})
    assert by_id[3].summary == "undid #1: changed projects efca-public-spaces"
    assert describe(by_id[3], "ru").message == by_id[3].message
    with store.engine.connect() as conn:
        code, params = conn.exec_driver_sql(
            "SELECT summary_code, summary_params FROM atlas_changes WHERE change_id = 1").one()
    assert (code, json.loads(params)) == ("hist_sum_changed", {"table": "projects",
                                                               "key": "efca-public-spaces"})


def test_a_removal_and_a_change_recorded_without_a_message(tmp_path: Path) -> None:
    s = open_store(tmp_path / "atlas.sqlite")
    auth.add_user(s, "alice", "admin", PASSWORD)
    added = {**row(s, "sites", site_id="s-ps-kuryk"), "site_id": "s-new", "lon": 51.7}
    editing.save_row(s, ALICE, "sites", added, 0, new=True)
    editing.remove_row(s, ALICE, "sites", ("s-new",), 1)
    kuryk = row(s, "sites", site_id="s-ps-kuryk")
    s.apply_changes([RowChange("sites", ("s-ps-kuryk",), {**kuryk, "note": "x"})],
                    user="script", kind="edit", summary="fixed by a script")
    third, second, first = s.history()
    assert first.message == SummaryMessage("hist_sum_added", {"table": "sites", "key": "s-new"})
    assert second.message == SummaryMessage("hist_sum_removed",
                                            {"table": "sites", "key": "s-new"})
    assert (third.message, third.summary) == (None, "fixed by a script")  # shown as stored
    # The undo of a change without a message holds the change's line.
    undo = editing.undo(s, ALICE, third.change_id).change_id
    assert s.change(undo).message == undo_summary(  # type: ignore[union-attr]
        third.change_id, "fixed by a script")


def test_values_read_in_the_language() -> None:
    assert display_value("projects", "budget_amount", 50000.0, "ru") == "50\u00a0000"
    assert display_value("projects", "budget_amount", 50000.0, "en") == "50,000"
    assert display_value("sites", "lat", 43.25, "kk") == "43,25"
    assert display_value("funding_flows", "year", 2021, "ru") == "2021"  # a year, not 2 021
    assert display_value("results", "counts_as_reach", True, "kk") == t("hist_yes", "kk")
    assert display_value("results", "counts_as_reach", False, "ru") == t("hist_no", "ru")
    assert display_value("projects", "status", "completed", "ru") == t("status_completed", "ru")
    assert display_value("sites", "note", None, "ru") == EMPTY
    change = field_differences("projects", {"budget_amount": 1000.0},
                               {"budget_amount": 250000.0}, "kk")
    assert change == (FieldDiff("budget_amount", "1\u00a0000", "250\u00a0000"),)


def test_the_text_filter_also_finds_the_summary_as_shown(store: SqlStore) -> None:
    history = store.history()
    shown = {1: "Изменено: Проекты · efca-public-spaces"}
    ids = [r.change_id for r in filter_history(history, HistoryFilters(text="изменено"),
                                               lambda r: shown.get(r.change_id, ""))]
    assert ids == [1]
