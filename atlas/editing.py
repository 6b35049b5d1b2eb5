"""What staff may do to the data, checked on the server for every action.

Every function takes the store and the acting account, checks the account against the store
(``atlas.auth.require``), and writes through ``SqlStore.apply_changes``: validated with the
rules of ``atlas validate``, version-checked, in one transaction, recorded in the history.
A store that cannot take the write (another writer past the wait, read-only, deleted or replaced
under the app, damaged) raises a ``StoreError``, nothing written; its ``code`` and ``params`` are
the message the pages show in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from atlas.auth import Account, PermissionDenied, require
from atlas.change_summary import SummaryMessage, row_summary, undo_summary
from atlas.dataset import frame_from_records
from atlas.model import TABLES_BY_NAME
from atlas.store import AppliedChange, ChangeRecord, ChangeRefused, RowChange, SqlStore, row_key

# The tables editors change through the Edit page and imports (the SDGs' names and colours
# and the exchange rates are reference data, changed only in geodata/).
EDITABLE_TABLES = ("projects", "organizations", "participants", "sites", "funding_flows",
                   "results", "project_sdgs", "phases", "sources", "places")


def _check_table(table: str) -> None:
    if table not in EDITABLE_TABLES:
        raise PermissionDenied("edit_denied_table", table=table)


def normalized_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row with every column of its table, typed as the store keeps it."""
    spec = TABLES_BY_NAME[table]
    frame = frame_from_records(spec, [row])
    return {k: (None if v != v else v) for k, v in frame.iloc[0].to_dict().items()}


def save_row(store: SqlStore, account: Account | None, table: str, row: dict[str, Any],
             base_version: int, *, new: bool = False,
             old_key: tuple[str, ...] | None = None) -> AppliedChange:
    """Add (``new``) or change one row; a changed key (``old_key``) moves the row."""
    who = require(store, account)
    _check_table(table)
    spec = TABLES_BY_NAME[table]
    row = normalized_row(table, row)
    key = row_key(spec, row)
    changes = [RowChange(table, key, row, 0 if new else base_version, new=new)]
    if old_key is not None and old_key != key and not new:
        changes = [RowChange(table, old_key, None, base_version),
                   RowChange(table, key, row, 0, new=True)]
    return store.apply_changes(changes, user=who.name, kind="edit",
                               summary=row_summary("added" if new else "changed", table, key))


def remove_row(store: SqlStore, account: Account | None, table: str, key: tuple[str, ...],
               base_version: int) -> AppliedChange:
    """Remove one row (refused by validation while other rows still refer to it)."""
    who = require(store, account)
    _check_table(table)
    return store.apply_changes([RowChange(table, key, None, base_version)], user=who.name,
                               kind="edit", summary=row_summary("removed", table, key))


def apply_import(store: SqlStore, account: Account | None, changes: Sequence[RowChange],
                 summary: SummaryMessage | str) -> AppliedChange:
    """Write the rows of a checked import, all or nothing (``summary``: what the import
    says it does, ``ImportReport.summary_message``)."""
    who = require(store, account)
    for table in {c.table for c in changes}:
        _check_table(table)
    return store.apply_changes(changes, user=who.name, kind="import", summary=summary)


def may_undo(account: Account, record: ChangeRecord) -> bool:
    """An admin may undo any change; an editor only their own."""
    return account.is_admin or record.user == account.name


def undo(store: SqlStore, account: Account | None, change_id: int) -> AppliedChange:
    """Put back what a change changed; the undo is itself a recorded change.

    Refused (ChangeRefused) when there is no such change, when it is itself an undo or was
    undone already; refused (StaleEdit, naming who and when) when its rows were changed again
    since. The undo's summary holds the undone change's.
    """
    who = require(store, account)
    record = store.change(change_id)
    if record is None:
        raise ChangeRefused("hist_undo_no_change", id=change_id)
    if not may_undo(who, record):
        raise PermissionDenied("hist_undo_not_allowed")
    if record.kind == "undo":
        raise ChangeRefused("hist_undo_of_undo")
    changes = store.undo_changes(change_id)
    return store.apply_changes(changes, user=who.name, kind="undo",
                               summary=undo_summary(change_id, record.message or record.summary),
                               undo_of=change_id)
