"""What a recorded change did, as a message: a code and its parameters, stored with the change.

The code that writes a change (``atlas.editing``, ``atlas.importing``, an undo) says what it
did as a ``SummaryMessage``; the store keeps its code and parameters (``summary_code``,
``summary_params``) next to the one English line (``summary``) the command line and older
readers use, which ``SummaryMessage.english`` writes. The History page says the message in
the reader's language from the code and parameters, never from the English line.

Changes recorded before their codes were stored got them from their English line once, when
the store was upgraded to schema 6 (``atlas/migrations/versions/v0006_summary_codes.py``, which
keeps its own copy of how these lines were written). A line it could not read (written by some
other tool) keeps no code and is shown as it was stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from atlas.model import TABLES_BY_NAME

ROW_CODES = {"added": "hist_sum_added", "changed": "hist_sum_changed",
             "removed": "hist_sum_removed"}
IMPORT_CODE, UNDO_CODE = "hist_sum_import", "hist_sum_undo"
IMPORT_COUNTS = ("new", "changed", "unchanged", "rejected")
_VERBS = {code: verb for verb, code in ROW_CODES.items()}
# What an import that named no table writes in place of its tables.
_NO_TABLES = "nothing"


@dataclass(frozen=True)
class SummaryMessage:
    """A change's summary as a message: ``code`` an interface string key, ``params`` its
    values as stored (a table's name, a row's key, counts; for an undo, the undone change's
    summary as a SummaryMessage, or its stored text when it had no code)."""

    code: str
    params: Mapping[str, Any]

    def english(self) -> str:
        """The one English line the store keeps in ``summary`` (the command line's text)."""
        p = self.params
        if self.code in _VERBS:
            return f"{_VERBS[self.code]} {p['table']} {p['key']}"
        if self.code == IMPORT_CODE:
            tables = ", ".join(p["tables"]) or _NO_TABLES
            return (f"import of {p['file']} ({tables}): {p['new']} new, {p['changed']} "
                    f"changed, {p['unchanged']} unchanged, {p['rejected']} rejected")
        undone = p["undone"]
        return f"undid #{p['id']}: " + (undone.english() if isinstance(undone, SummaryMessage)
                                         else str(undone))

    def params_json(self) -> str:
        """The parameters as the store keeps them (``summary_params``)."""
        return json.dumps(_plain(self.params), ensure_ascii=False, sort_keys=True)


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, SummaryMessage):
            value = {"code": value.code, "params": _plain(value.params)}
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def row_summary(verb: str, table: str, key: Sequence[str]) -> SummaryMessage:
    """One row ``added``, ``changed`` or ``removed`` by the Edit page."""
    return SummaryMessage(ROW_CODES[verb], {"table": table, "key": "/".join(key)})


def import_summary(file: str, tables: Sequence[str], counts: Mapping[str, int]
                   ) -> SummaryMessage:
    """An import of ``file`` into ``tables`` with its row counts (new, changed, ...)."""
    return SummaryMessage(IMPORT_CODE, {"file": file, "tables": tuple(tables),
                                        **{c: int(counts.get(c, 0)) for c in IMPORT_COUNTS}})


def undo_summary(change_id: int, undone: SummaryMessage | str) -> SummaryMessage:
    """The undo of change ``change_id``, whose summary was ``undone`` (its message, or its
    stored text when it had none)."""
    return SummaryMessage(UNDO_CODE, {"id": int(change_id), "undone": undone})


# --- reading stored codes back ----------------------------------------------------------------

def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _tables(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple) or \
            not all(isinstance(x, str) and x in TABLES_BY_NAME for x in value):
        return None
    return tuple(value)


def _message(code: Any, params: Any, *, nested: bool = False) -> SummaryMessage | None:
    """A message from stored values, or None unless it is one this code writes, whole."""
    if not isinstance(code, str) or not isinstance(params, dict):
        return None
    if code in _VERBS:
        table, key = params.get("table"), params.get("key")
        if table in TABLES_BY_NAME and isinstance(key, str):
            return SummaryMessage(code, {"table": table, "key": key})
    elif code == IMPORT_CODE:
        tables, file = _tables(params.get("tables")), params.get("file")
        if tables is not None and isinstance(file, str) and \
                all(_is_count(params.get(c)) for c in IMPORT_COUNTS):
            return SummaryMessage(code, {"file": file, "tables": tables,
                                         **{c: params[c] for c in IMPORT_COUNTS}})
    elif code == UNDO_CODE and not nested:  # an undo is never undone: one level only
        change_id, undone = params.get("id"), params.get("undone")
        if isinstance(undone, dict):
            undone = _message(undone.get("code"), undone.get("params"), nested=True)
        if _is_count(change_id) and isinstance(undone, SummaryMessage | str):
            return SummaryMessage(code, {"id": change_id, "undone": undone})
    return None


def stored_message(code: str | None, params: str | None) -> SummaryMessage | None:
    """The message a change was stored with, or None when it has none (recorded by another
    tool) or what is stored is not a message this code writes (then the summary is shown as
    stored)."""
    if not code or params is None:
        return None
    try:
        values = json.loads(params)
    except (TypeError, ValueError, RecursionError):
        return None
    return _message(code, values)
