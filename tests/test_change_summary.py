"""A change's summary as a message: written with its English line, stored, read back; and an
English line of an older store read back as a message (the migration to schema 6)."""

from __future__ import annotations

import json

import pytest

from atlas.change_summary import (
    SummaryMessage,
    import_summary,
    row_summary,
    stored_message,
    undo_summary,
)
from atlas.importing import ImportReport
from atlas.migrations.versions.v0006_summary_codes import message_of


def coded(line: str) -> tuple[str, str] | None:
    """The code and parameters the migration to schema 6 stores for a recorded line."""
    found = message_of(line)
    return None if found is None else (found[0], json.dumps(found[1], ensure_ascii=False,
                                                            sort_keys=True))


def summary_message(line: str) -> SummaryMessage | None:
    """A recorded line as the History page reads it after the migration."""
    found = coded(line)
    return None if found is None else stored_message(*found)


CHANGED = row_summary("changed", "projects", ("efca-public-spaces",))
IMPORTED = import_summary("a.csv", ("results", "sites"),
                          {"new": 12000, "changed": 1, "unchanged": 0, "rejected": 2})


@pytest.mark.parametrize(("message", "english"), [
    (CHANGED, "changed projects efca-public-spaces"),
    (row_summary("added", "sites", ("s-1",)), "added sites s-1"),
    (row_summary("removed", "project_sdgs", ("p-1", "5")), "removed project_sdgs p-1/5"),
    (IMPORTED, "import of a.csv (results, sites): 12000 new, 1 changed, 0 unchanged, "
               "2 rejected"),
    (import_summary("my (1).xlsx", (), {}), "import of my (1).xlsx (nothing): 0 new, "
                                           "0 changed, 0 unchanged, 0 rejected"),
    (undo_summary(3, CHANGED), "undid #3: changed projects efca-public-spaces"),
    (undo_summary(4, "fixed by hand"), "undid #4: fixed by hand"),
])
def test_a_message_writes_the_english_line_the_store_always_kept(
        message: SummaryMessage, english: str) -> None:
    """The command line and older readers read ``summary``: its line is what it was."""
    assert message.english() == english
    # The line of an older store is stored as the very message by the migration to schema 6
    # (its code and parameters as this code writes them) ...
    assert coded(english) == (message.code, message.params_json())
    assert summary_message(english) == message
    # ... and the stored code and parameters read back as it too.
    assert stored_message(message.code, message.params_json()) == message


def test_an_import_reports_its_message() -> None:
    report = ImportReport("my (1).xlsx", rows=[])
    assert report.summary_message() == import_summary("my (1).xlsx", (), report.counts)
    assert report.summary() == report.summary_message().english()


def test_an_undo_keeps_the_undone_message_one_level_deep() -> None:
    undo = undo_summary(3, IMPORTED)
    assert json.loads(undo.params_json()) == {"id": 3, "undone": {
        "code": "hist_sum_import", "params": {"file": "a.csv", "tables": ["results", "sites"],
                                              "new": 12000, "changed": 1, "unchanged": 0,
                                              "rejected": 2}}}
    # An undo is never undone: an undo inside an undo is not a message this code writes.
    nested = json.dumps({"id": 4, "undone": {"code": "hist_sum_undo",
                                             "params": json.loads(undo.params_json())}})
    assert stored_message("hist_sum_undo", nested) is None


@pytest.mark.parametrize(("code", "params"), [
    (None, None), ("", "{}"), ("hist_sum_changed", None), ("hist_sum_changed", "not json"),
    ("hist_sum_changed", "[1, 2]"), ("hist_sum_changed", '{"table": "secrets", "key": "x"}'),
    ("hist_sum_changed", '{"table": "sites"}'), ("hist_sum_changed", '{"table": "sites", '
                                                 '"key": 5}'),
    ("hist_sum_import", '{"file": "a", "tables": ["sites"], "new": -1, "changed": 0, '
                        '"unchanged": 0, "rejected": 0}'),
    ("hist_sum_import", '{"file": "a", "tables": "sites", "new": 1, "changed": 0, '
                        '"unchanged": 0, "rejected": 0}'),
    ("hist_sum_import", '{"file": "a", "tables": [], "new": true, "changed": 0, '
                        '"unchanged": 0, "rejected": 0}'),
    ("hist_sum_undo", '{"id": "3", "undone": "x"}'), ("hist_sum_undo", '{"id": 3}'),
    ("app_title", "{}"), ("hist_sum_changed", "[" * 100_000),
])
def test_a_stored_code_this_code_does_not_write_is_no_message(code: str | None,
                                                               params: str | None) -> None:
    """A row changed by hand or by another tool: its summary is then shown as stored, and
    the page never fails on it."""
    assert stored_message(code, params) is None


def test_recorded_lines_read_back_as_messages() -> None:
    assert summary_message("removed sites s-1/x") == SummaryMessage(
        "hist_sum_removed", {"table": "sites", "key": "s-1/x"})
    assert summary_message("import of a.csv (results, sites): 12000 new, 1 changed, "
                           "0 unchanged, 2 rejected") == IMPORTED
    assert summary_message("undid #7: fixed by hand") == undo_summary(7, "fixed by hand")


@pytest.mark.parametrize("stored", [
    "", "fixed by hand", "changed nonsense_table x", "import of x (secrets): 1 new",
    "undid #: x", "undid #1: " * 5000, "added sites", "\x00",
])
def test_lines_in_no_known_form_are_no_message(stored: str) -> None:
    message = summary_message(stored)
    if message is not None:  # an undo whose undone change is in no known form
        assert message.code == "hist_sum_undo"
        assert isinstance(message.params["undone"], str)
