"""The history of changes made readable: rows named in a language, fields before and after.

``SqlStore.history()`` gives ``ChangeRecord`` objects with whole rows before and after; this
module turns them into what a person reads (which rows, which fields went from what to what)
and filters them. No streamlit here: the History page shows what these functions return.

A change's summary is stored as a message code with parameters (``atlas.change_summary``),
which the page says in the reader's language, next to one English line for the command line;
a change recorded by some other tool has only its line, shown as it was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from atlas.change_summary import SummaryMessage
from atlas.dataset import DataSet, is_missing
from atlas.edit_forms import choice_label
from atlas.figures import format_number
from atlas.i18n import localized, t
from atlas.model import TABLES_BY_NAME
from atlas.store import ChangeRecord

KINDS = ("edit", "import", "undo")
EMPTY = "—"

RowAction = Literal["added", "changed", "removed"]

# The translated text column that names a row of each table (``<field>_<lang>``).
_NAME_FIELD = {
    "projects": "title",
    "organizations": "name",
    "sites": "name",
    "places": "name",
    "sdgs": "name",
    "results": "label",
    "phases": "label",
    "context_facts": "label",
}
# Tables without a name of their own are named by the rows they connect.
_LABEL_REFS = {
    "participants": ("org_id", "project_id"),
    "funding_flows": ("from_org_id", "to_org_id"),
    "project_sdgs": ("project_id",),
}
_LABEL_JOIN = {"funding_flows": " → "}

Names = Mapping[str, Mapping[str, str]]  # table -> key value -> name in one language


@dataclass(frozen=True)
class FieldDiff:
    """One field of a row: its value before and after (EMPTY when there was none)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RowEntry:
    """One row a change touched: which, named in the language, and how its fields moved."""

    table: str
    key: tuple[str, ...]
    name: str
    action: RowAction
    fields: tuple[FieldDiff, ...]

    @property
    def key_text(self) -> str:
        return "/".join(self.key)


@dataclass(frozen=True)
class HistoryEntry:
    """One change as a person reads it."""

    change_id: int
    at: str
    when: str
    user: str
    kind: str
    summary: str  # the stored English line
    undo_of: int | None
    undone_by: int | None
    rows: tuple[RowEntry, ...]
    message: SummaryMessage | None = None  # the summary to say in the reader's language

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.table for r in self.rows))


@dataclass(frozen=True)
class HistoryFilters:
    """What the History page narrows the list to; empty means no narrowing."""

    users: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    text: str = ""


def value_text(value: Any) -> str:
    """A stored value as text: whole floats without ".0", EMPTY for no value."""
    if value is None or (isinstance(value, str) and not value.strip()) or is_missing(value):
        return EMPTY
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_type(table: str, column: str) -> str | None:
    spec = TABLES_BY_NAME.get(table)
    for c in spec.columns if spec else ():
        if c.name == column:
            return c.type
    return None


def _decimals(value: float) -> int:
    """How many decimals a stored number has (a coordinate keeps all of them)."""
    text = repr(value)
    if "e" in text or "." not in text:
        return 0
    return min(len(text.split(".")[1]), 8)


def display_value(table: str, column: str, value: Any, lang: str) -> str:
    """A stored value as a reader of ``lang`` reads it: amounts grouped the language's way
    ("50 000" in ru/kk), choices and yes/no in words, EMPTY for no value."""
    text = value_text(value)
    if text == EMPTY:
        return EMPTY
    kind = _column_type(table, column)
    if isinstance(value, bool) or kind == "bool":
        truth = value if isinstance(value, bool) else text.strip().lower() in ("true", "1")
        return t("hist_yes" if truth else "hist_no", lang)
    if kind == "float" and isinstance(value, int | float):
        number = float(value)
        return format_number(number, lang, decimals=0 if number.is_integer()
                             else _decimals(number))
    if isinstance(value, str):
        return choice_label(table, column, value, lang)
    return text


def when_text(at: str) -> str:
    """``2025-03-01T09:30:00Z`` as ``2025-03-01 09:30 UTC``."""
    if len(at) >= 16 and at[10] == "T":
        return f"{at[:10]} {at[11:16]} UTC"
    return at


def change_date(record: ChangeRecord) -> date | None:
    """The (UTC) day a change was made."""
    try:
        return date.fromisoformat(record.at[:10])
    except ValueError:
        return None


def reference_names(data: DataSet, lang: str) -> dict[str, dict[str, str]]:
    """Names in ``lang`` of every row that has one, by table and key (for naming rows)."""
    out: dict[str, dict[str, str]] = {}
    for table, field in _NAME_FIELD.items():
        spec = TABLES_BY_NAME[table]
        if len(spec.key) != 1 or table not in data:
            continue
        key = spec.key[0]
        out[table] = {value_text(r[key]): localized(r, field, lang)
                      for r in data[table].to_dict("records")}
    return out


def _referenced_table(table: str, column: str) -> str | None:
    spec = TABLES_BY_NAME[table]
    for c in spec.columns:
        if c.name == column and c.references and c.type != "ids":
            return c.references.split(".")[0]
    return None


def row_name(table: str, row: Mapping[str, Any] | None, lang: str, names: Names) -> str:
    """What a row is called in ``lang``: its own name, or the names of what it connects."""
    if row is None:
        return ""
    field = _NAME_FIELD.get(table)
    if field:
        return localized(row, field, lang)
    parts = []
    for column in _LABEL_REFS.get(table, ()):
        value = value_text(row.get(column))
        target = _referenced_table(table, column)
        parts.append(names.get(target or "", {}).get(value, value))
    return _LABEL_JOIN.get(table, " · ").join(p for p in parts if p and p != EMPTY)


def field_differences(table: str, before: Mapping[str, Any] | None,
                      after: Mapping[str, Any] | None, lang: str = "en") -> tuple[FieldDiff, ...]:
    """The fields that differ, in the table's column order, their values as a reader of
    ``lang`` reads them (``display_value``).

    An added row lists every field it has, a removed row every field it had.
    """
    spec = TABLES_BY_NAME[table]
    out = []
    for column in spec.column_names:
        old = None if before is None else before.get(column)
        new = None if after is None else after.get(column)
        if value_text(old) != value_text(new):  # compared as stored, not as shown
            out.append(FieldDiff(column, display_value(table, column, old, lang),
                                 display_value(table, column, new, lang)))
    return tuple(out)


def _action(before: Any, after: Any) -> RowAction:
    if before is None:
        return "added"
    return "removed" if after is None else "changed"


def describe(record: ChangeRecord, lang: str, names: Names | None = None) -> HistoryEntry:
    """A change as readable rows: each row named in ``lang`` with its field differences."""
    names = names or {}
    rows = []
    for table, key, before, after in record.rows:
        rows.append(RowEntry(
            table=table,
            key=tuple(key),
            name=row_name(table, after if after is not None else before, lang, names),
            action=_action(before, after),
            fields=field_differences(table, before, after, lang),
        ))
    return HistoryEntry(record.change_id, record.at, when_text(record.at), record.user,
                        record.kind, record.summary, record.undo_of, record.undone_by,
                        tuple(rows), record.message)


def matches(record: ChangeRecord, filters: HistoryFilters,
            shown_summary: Callable[[ChangeRecord], str] | None = None) -> bool:
    """True when the change passes every filter that is set. The text is looked for in the
    stored summary and in ``shown_summary`` of the change (as the reader reads it)."""
    if filters.users and record.user not in filters.users:
        return False
    if filters.kinds and record.kind not in filters.kinds:
        return False
    if filters.tables and not any(r[0] in filters.tables for r in record.rows):
        return False
    day = change_date(record)
    if filters.since and (day is None or day < filters.since):
        return False
    if filters.until and (day is None or day > filters.until):
        return False
    text = filters.text.strip().casefold()
    if not text or text in record.summary.casefold():
        return True
    return shown_summary is not None and text in shown_summary(record).casefold()


def filter_history(records: Iterable[ChangeRecord], filters: HistoryFilters,
                   shown_summary: Callable[[ChangeRecord], str] | None = None,
                   ) -> list[ChangeRecord]:
    """The changes that pass the filters, in the order given (the store gives newest first)."""
    return [r for r in records if matches(r, filters, shown_summary)]


def users_of(records: Sequence[ChangeRecord]) -> list[str]:
    """Everyone who made a change, by name."""
    return sorted({r.user for r in records})


def tables_of(records: Sequence[ChangeRecord]) -> list[str]:
    """The tables some change touched, in the data model's order."""
    touched = {row[0] for r in records for row in r.rows}
    return [name for name in TABLES_BY_NAME if name in touched]
