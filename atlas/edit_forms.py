"""The Edit page's forms without Streamlit: fields of a table, rows to form values and back,
readable labels, differences between two versions of a row, and site locations.

Every function takes and returns plain data, so the page glue (``atlas.ui.edit_page``) stays
thin and this module is tested directly.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from atlas.dataset import Problem, is_missing, message_text, split_ids
from atlas.editing import normalized_row
from atlas.gazetteer import GazetteerPlace, region_of
from atlas.i18n import localized, t
from atlas.iati.codelists import codelist
from atlas.listing import SEARCH, ListPage, SortOrder, fold, list_page, localized_column
from atlas.model import (
    CURRENCIES,
    LANGUAGES,
    NOTE_LANGUAGES,
    POINTLESS_PRECISIONS,
    REGIONLESS_PRECISIONS,
    TABLES_BY_NAME,
    Column,
    TableSpec,
)
from atlas.snapshot import Snapshot
from atlas.store import row_key

FieldKind = Literal["names", "text", "long_text", "choice", "reference", "ids", "number",
                    "integer", "bool"]

# Free-text columns that hold sentences: a text area rather than a one-line box.
LONG_TEXT = frozenset({"summary", "note", "basis", "budget_basis", "period_basis",
                       "location_basis", "home_basis", "year_basis", "themes", "role_as_stated",
                       "role_basis", "route_basis"})
# Amounts and counts: never negative, and empty means unknown (never 0).
NON_NEGATIVE = frozenset({"budget_amount", "amount", "value"})
# The site columns the location block fills (search, map click, or typed).
LOCATION_COLUMNS = ("lon", "lat", "region_code", "precision", "location_basis")
# How many decimals of a degree are kept (about a metre).
COORD_DECIMALS = 5

# Choice columns whose values have interface labels: (table or "*", column) -> key prefix.
_CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("*", "qualifier"): "xl_q_",
    ("*", "budget_qualifier"): "xl_q_",
    ("projects", "status"): "status_",
    ("participants", "role"): "role_",
    ("participants", "role_qualifier"): "inference_",
    ("funding_flows", "route_qualifier"): "inference_",
    ("organizations", "kind"): "org_kind_",
    ("organizations", "iati_type"): "iati_org_type_",
    ("funding_flows", "kind"): "fund_kind_",
    ("funding_flows", "status"): "fund_status_",
    ("sites", "level"): "xl_level_",
    ("sites", "precision"): "precision_",
}

# The columns shown in each table's overview (all of them are in the form).
OVERVIEW: dict[str, tuple[str, ...]] = {
    "projects": ("project_id", "title", "status", "start", "end", "budget_amount",
                 "budget_currency", "budget_qualifier"),
    "organizations": ("org_id", "name", "acronym", "kind", "home_place_id"),
    "participants": ("project_id", "org_id", "role", "role_as_stated"),
    "sites": ("site_id", "project_id", "name", "level", "region_code", "precision", "phase"),
    # Who pays whom how much, and how sure the figure is, first: they read whole on a laptop.
    "funding_flows": ("from_org_id", "to_org_id", "amount", "currency", "qualifier",
                      "project_id", "kind", "year", "status", "flow_id"),
    "results": ("result_id", "project_id", "label", "value", "unit", "qualifier", "phase"),
    "project_sdgs": ("project_id", "goal", "targets", "rank", "rationale"),
    "phases": ("project_id", "phase", "label", "start", "end"),
    "sources": ("source_id", "title", "publisher", "date", "url"),
    "places": ("place_id", "name", "country", "region_code", "lon", "lat"),
}


@dataclass(frozen=True)
class Field:
    """One input of a form: a column, or the en/ru/kk trio of a translated text."""

    name: str  # the column, or the trio's prefix ("title" for title_en/ru/kk)
    kind: FieldKind
    columns: tuple[str, ...]
    required: bool = False
    choices: tuple[str, ...] = ()
    references: str | None = None


def _trio_prefix(spec: TableSpec, column: Column) -> str | None:
    prefix, _, lang = column.name.rpartition("_")
    names = set(spec.column_names)
    if lang in LANGUAGES and prefix and all(f"{prefix}_{x}" in names for x in LANGUAGES):
        return prefix
    return None


def form_fields(spec: TableSpec) -> list[Field]:
    """The inputs of ``spec``'s form, in column order (a name trio is one field)."""
    fields: list[Field] = []
    seen: set[str] = set()
    for column in spec.columns:
        prefix = _trio_prefix(spec, column)
        if prefix is not None:
            if prefix not in seen:
                seen.add(prefix)
                # Required when its English text is (a district is optional, a title is not).
                english = next(c for c in spec.columns if c.name == f"{prefix}_en")
                fields.append(Field(prefix, "names",
                                    tuple(f"{prefix}_{x}" for x in ("en", "ru", "kk")),
                                    required=english.required))
            continue
        kind: FieldKind
        if column.type == "ids":
            kind = "ids"
        elif column.references:
            kind = "reference"
        elif column.choices:
            kind = "choice"
        elif column.type == "float":
            kind = "number"
        elif column.type == "int":
            kind = "integer"
        elif column.type == "bool":
            kind = "bool"
        else:
            kind = "long_text" if _text_stem(column.name) in LONG_TEXT else "text"
        fields.append(Field(column.name, kind, (column.name,), column.required, column.choices,
                            column.references))
    return fields


# --- values ---------------------------------------------------------------------------------

def form_values(table: str, row: Mapping[str, Any] | None) -> dict[str, Any]:
    """What each input shows for ``row`` (None: an empty new row), by column."""
    spec = TABLES_BY_NAME[table]
    out: dict[str, Any] = {}
    for column in spec.columns:
        value = None if row is None else row.get(column.name)
        if value is None or is_missing(value):
            out[column.name] = _EMPTY.get(column.type, "")
            if column.type == "text" and (column.choices or column.references):
                out[column.name] = None  # a select shows its placeholder
        elif column.type == "ids":
            out[column.name] = split_ids(str(value))
        elif column.type == "float":
            out[column.name] = float(value)
        elif column.type == "int":
            out[column.name] = int(value)
        elif column.type == "bool":
            out[column.name] = bool(value)
        else:
            out[column.name] = str(value)
    return out


# What an input shows for an empty cell: an empty amount stays empty (unknown), never 0.
_EMPTY: dict[str, Any] = {"ids": [], "float": None, "int": None, "bool": False, "text": ""}


def row_from_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The row the store gets from the inputs' values: text trimmed, id lists joined, an
    empty amount stays empty (unknown), never 0."""
    spec = TABLES_BY_NAME[table]
    row: dict[str, Any] = {}
    for column in spec.columns:
        value = values.get(column.name)
        if column.type == "ids":
            items = value if isinstance(value, list | tuple) else split_ids(str(value or ""))
            row[column.name] = ";".join(str(v).strip() for v in items if str(v).strip())
        elif column.type in ("float", "int"):
            row[column.name] = _number(value, column.type == "int")
        elif column.type == "bool":
            row[column.name] = bool(value)
        else:
            row[column.name] = "" if value is None else str(value).strip()
    return normalized_row(table, row)


def _number(value: Any, whole: bool) -> float | int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(round(number)) if whole else number


def key_text(key: Sequence[str]) -> str:
    """A row key as one string (the page's URL parameter ``row``)."""
    return "/".join(key)


def _key_parts(values: pd.Series) -> pd.Series:
    """Each value of a key column as ``store.row_key`` writes it (a whole float without
    ".0"), for the whole column at once."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    return values.map(_key_part)


def _key_part(value: Any) -> str:
    # The text ``atlas.store.row_key`` makes of one key value (the tests hold them equal).
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_key_texts(table: str, frame: pd.DataFrame) -> pd.Series:
    """The key (as ``key_text``) of every row of a table, aligned with ``frame``."""
    parts = [_key_parts(frame[column]) for column in TABLES_BY_NAME[table].key]
    text = parts[0].astype(object)
    for part in parts[1:]:
        text = text + "/" + part
    return text


def row_keys(table: str, frame: pd.DataFrame) -> list[str]:
    """The keys (as ``key_text``) of every row of a table, in table order."""
    return [str(k) for k in row_key_texts(table, frame).to_list()]


def find_row(table: str, frame: pd.DataFrame, key: str) -> dict[str, Any] | None:
    """The row of ``frame`` whose key is ``key`` (as ``key_text``), typed as stored."""
    hits = (row_key_texts(table, frame) == key).to_numpy(bool).nonzero()[0]
    if not len(hits):
        return None
    return normalized_row(table, frame.iloc[int(hits[0])].to_dict())


def row_position(snap: Snapshot, table: str, key: str) -> int | None:
    """Where the row whose key is ``key`` sits in ``snap.table(table)`` (None: no such row),
    looked up in an index built once per snapshot and table."""
    def build() -> Mapping[str, int]:
        keys = row_keys(table, snap.table(table))
        # The first of rows sharing a key wins, as a scan from the top would find it.
        return MappingProxyType({k: i for i, k in reversed(list(enumerate(keys)))})

    return snap.derived(("edit_row_positions", table), build).get(key)


def snapshot_row(snap: Snapshot, table: str, key: str) -> dict[str, Any] | None:
    """The row of ``snap``'s table whose key is ``key``, typed as stored (None: no such row)."""
    position = row_position(snap, table, key)
    if position is None:
        return None
    return normalized_row(table, snap.table(table).iloc[position].to_dict())


def differences(table: str, mine: Mapping[str, Any],
                theirs: Mapping[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(column, my value, their value) for every column where two versions of a row differ."""
    spec = TABLES_BY_NAME[table]
    a = normalized_row(table, dict(mine))
    b = normalized_row(table, dict(theirs)) if theirs is not None else {}
    out = []
    for column in spec.column_names:
        x, y = a.get(column), b.get(column)
        if _blank(x) and _blank(y):
            continue
        if x != y:
            out.append((column, x, y))
    return out


def readable_time(stamp: str) -> str:
    """A store time stamp (``2026-01-02T03:04:05Z``) as ``2026-01-02 03:04 UTC``."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?Z$", stamp or "")
    return f"{match.group(1)} {match.group(2)} UTC" if match else stamp


def readable_number(value: float) -> str:
    """A number with thousands separators, decimals only where it has them."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _blank(value: Any) -> bool:
    return value is None or is_missing(value)


def _text_stem(column: str) -> str:
    """A note's column without its translation suffix ("note_ru" -> "note")."""
    stem, _, suffix = column.rpartition("_")
    return stem if suffix in NOTE_LANGUAGES and stem else column


# --- labels ---------------------------------------------------------------------------------

def column_label(column: str, lang: str, table: str | None = None) -> str:
    """The interface name of a column (a translated column says its language; a table's own
    single-column key is its "Id")."""
    if table is not None and TABLES_BY_NAME[table].key == (column,):
        return t("ecol_id", lang)
    prefix, _, suffix = column.rpartition("_")
    if suffix in LANGUAGES and prefix and f"ecol_{prefix}" in _label_keys():
        return f"{t(f'ecol_{prefix}', lang)} ({suffix})"
    if f"ecol_{column}" in _label_keys():
        return t(f"ecol_{column}", lang)
    return column


@lru_cache(maxsize=1)
def _label_keys() -> frozenset[str]:
    from atlas.i18n import string_keys

    return frozenset(string_keys())


def choice_label(table: str, column: str, value: str, lang: str) -> str:
    """A choice as a reader knows it (``at_least`` -> "at least"), empty as a dash."""
    if not value:
        return "—"
    prefix = _CHOICE_LABELS.get((table, column)) or _CHOICE_LABELS.get(("*", column))
    key = f"{prefix}{value}" if prefix else ""
    return t(key, lang) if key in _label_keys() else value


def currency_choices(rates: pd.DataFrame) -> tuple[str, ...]:
    """Currencies an amount may be stated in: those the rates table can convert (and USD,
    the currency rates are quoted against)."""
    known = {str(c) for c in rates["currency"]} | {"USD"}
    return tuple(c for c in CURRENCIES if c in known)


# Where the name of a row of each table is (a translated trio), for labels and pickers.
_NAME_FIELDS: dict[str, str] = {"projects": "title", "organizations": "name", "sites": "name",
                                "places": "name", "results": "label"}
# The tables whose rows the row picker calls by that name (a place by its key).
_ROW_NAME_FIELDS = {k: v for k, v in _NAME_FIELDS.items() if k != "places"}
ROW_KEY, ROW_LABEL, ROW_POSITION = "key", "label", "position"  # the columns of a row list
_TABLE_ORDER = SortOrder((), ())  # a list kept in the order of its table


def _names(frame: pd.DataFrame, field: str, lang: str) -> pd.Series:
    """``field`` in ``lang`` for every row, English where the translation is empty (as
    ``i18n.localized`` reads one record)."""
    return localized_column(frame, f"{field}_{lang}", f"{field}_en")


def _named(name: pd.Series, ident: pd.Series) -> pd.Series:
    """"name (id)" per row; the id alone where the name is empty or is the id."""
    plain = (name == "") | (name == ident)
    return (name + " (" + ident + ")").where(~plain, ident)


def reference_names(snap: Snapshot, references: str, lang: str) -> Mapping[str, str]:
    """id -> "name (id)" for the values a reference column may take, names in ``lang``;
    built once per snapshot, read-only."""
    def build() -> Mapping[str, str]:
        table, column = references.split(".")
        if table == "regions":
            return MappingProxyType({code: f"{name} ({code})" for code, name in
                                     sorted(snap.region_names(lang).items(),
                                            key=lambda kv: kv[1])})
        frame = snap.table(table)
        ident = frame[column].astype(str)
        field = _NAME_FIELDS.get(table)
        if field:
            name = _names(frame, field, lang)
        elif table == "sources":
            name = frame["title"].astype(str)
        else:
            name = pd.Series("", index=frame.index)
        labels = _named(name, ident)
        return MappingProxyType(dict(zip(ident.to_list(), labels.to_list(), strict=True)))

    return snap.derived(("edit_reference_names", references, lang), build)


def reference_labels(snap: Snapshot, references: str, lang: str) -> dict[str, str]:
    """id -> "name (id)" for the values a reference column may take, names in ``lang``
    (a copy the caller may change)."""
    return dict(reference_names(snap, references, lang))


# Columns of ids that take their values from an IATI code list, not from a table.
_CODE_LISTS: dict[tuple[str, str], str] = {("projects", "sectors"): "Sector"}


def code_labels(table: str, column: str) -> dict[str, str]:
    """code -> "code — name" for a column whose ids are codes of a list (DAC sectors); the
    names are the list's own (English: the lists have no Russian or Kazakh names)."""
    name = _CODE_LISTS.get((table, column))
    if name is None:
        return {}
    return {item.code: f"{item.code} — {item.name()}" for item in codelist(name).values()
            if not item.withdrawn}


def reference_list(snap: Snapshot, references: str, lang: str) -> pd.DataFrame:
    """The list frame (``atlas.listing``) of a reference column's values: id, label and the
    folded text a search looks through (the label, and the names in every language);
    built once per snapshot."""
    def build() -> pd.DataFrame:
        labels = reference_names(snap, references, lang)
        frame = pd.DataFrame({"id": list(labels), "label": list(labels.values())})
        table, column = references.split(".")
        text = _folded(frame["label"].to_list())
        field: str | None
        if table == "regions":
            source, field = pd.DataFrame(snap.regions.drop(columns="geometry")), "name"
        else:
            source, field = snap.table(table), _NAME_FIELDS.get(table)
        if field:  # the names in every language, so a value is found by any of them
            source = source.drop_duplicates(column)
            others = dict(zip(_texts(source[column]),
                              _joined(source, [f"{field}_{x}" for x in LANGUAGES]),
                              strict=True))
            text = [a + others.get(ident, "") for a, ident in zip(text, frame["id"].to_list(),
                                                                strict=True)]
        frame[SEARCH] = text
        return frame

    return snap.derived(("edit_reference_list", references, lang), build)


def reference_matches(snap: Snapshot, references: str, lang: str, query: str,
                      limit: int) -> ListPage:
    """The first ``limit`` values of a reference column (in its list's order) whose names
    hold every word of ``query``, and how many there are."""
    return list_page(reference_list(snap, references, lang), query, _TABLE_ORDER, 1, limit)


def row_label(table: str, record: Mapping[str, Any], snap: Snapshot, lang: str) -> str:
    """One row as the row picker lists it: its key and what it is called."""
    spec = TABLES_BY_NAME[table]
    key = key_text(row_key(spec, dict(record)))
    if table == "participants":
        project = _name(snap, "projects", "project_id", str(record["project_id"]), "title", lang)
        org = snap.organization_names(lang).get(str(record["org_id"]), str(record["org_id"]))
        return f"{project} — {org} — {choice_label(table, 'role', str(record['role']), lang)}"
    field = _ROW_NAME_FIELDS.get(table)
    if field:
        return f"{localized(record, field, lang)} ({key})"
    if table == "funding_flows":
        orgs = snap.organization_names(lang)
        return (f"{orgs.get(str(record['from_org_id']), record['from_org_id'])} → "
                f"{orgs.get(str(record['to_org_id']), record['to_org_id'])} ({key})")
    return key


def _name(snap: Snapshot, table: str, id_column: str, ident: str, field: str,
          lang: str) -> str:
    frame = snap.table(table)
    match = frame.loc[frame[id_column] == ident]
    return localized(match.iloc[0].to_dict(), field, lang) if len(match) else ident


def _looked_up(values: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """Each value's entry in ``names`` (by its text), the value as text where it has none."""
    # One look-up a row: ``Series.map`` would first copy the whole mapping into a Series.
    return pd.Series([names.get(v, v) for v in values.astype(str).to_list()],
                     index=values.index, dtype=object)


def _organization_names(snap: Snapshot, lang: str) -> Mapping[str, str]:
    """Organization id -> name in ``lang`` (as ``Snapshot.organization_names``), built from
    whole columns once per snapshot."""
    def build() -> Mapping[str, str]:
        orgs = snap.table("organizations")
        return MappingProxyType(dict(zip(orgs["org_id"].to_list(),
                                         _names(orgs, "name", lang).to_list(), strict=True)))

    return snap.derived(("edit_organization_names", lang), build)


def row_labels(table: str, frame: pd.DataFrame, snap: Snapshot, lang: str) -> pd.Series:
    """``row_label`` of every row of ``frame`` (rows of ``table``), whole columns at once."""
    key = row_key_texts(table, frame).astype(str)
    if table == "participants":
        titles = dict(zip(snap.table("projects")["project_id"].astype(str).to_list(),
                          _names(snap.table("projects"), "title", lang).to_list(),
                          strict=True))
        project = _looked_up(frame["project_id"], titles)
        org = _looked_up(frame["org_id"], _organization_names(snap, lang))
        role = _choice_labels(table, "role", frame["role"], lang)
        return project + " — " + org + " — " + role
    field = _ROW_NAME_FIELDS.get(table)
    if field:
        return _names(frame, field, lang) + " (" + key + ")"
    if table == "funding_flows":
        orgs = _organization_names(snap, lang)
        return (_looked_up(frame["from_org_id"], orgs) + " → "
                + _looked_up(frame["to_org_id"], orgs) + " (" + key + ")")
    return key


def row_list(snap: Snapshot, table: str, lang: str) -> pd.DataFrame:
    """The list frame (``atlas.listing``) of a table's rows, in table order: key, label,
    position in the table, and the folded text a search looks through (the label, and the
    ids, codes and names in every language the overview shows). Built once per snapshot,
    table and language; callers only read it."""
    def build() -> pd.DataFrame:
        frame = snap.table(table)
        labels = row_labels(table, frame, snap, lang)
        # Ids, codes and names: a choice or a number is rarely what a row is found by.
        plain = {c.name for c in TABLES_BY_NAME[table].columns
                 if not c.choices and c.type in ("text", "ids")}
        columns = [c for c in OVERVIEW[table] if c in plain]
        columns += [f"{c}_{x}" for c in OVERVIEW[table] for x in LANGUAGES
                    if f"{c}_{x}" in frame.columns]
        label_texts = _texts(labels)
        text = [a + b for a, b in zip(_folded(label_texts), _joined(frame, columns),
                                      strict=True)]
        return pd.DataFrame({ROW_KEY: _texts(row_key_texts(table, frame)),
                             ROW_LABEL: label_texts,
                             ROW_POSITION: range(len(frame)),
                             SEARCH: text})

    return snap.derived(("edit_row_list", table, lang), build)


def row_page(snap: Snapshot, table: str, lang: str, query: str, page: int,
             page_size: int) -> ListPage:
    """Page ``page`` of a table's rows (``row_list``) holding every word of ``query``, in
    table order, and how many rows hold them."""
    return list_page(row_list(snap, table, lang), query, _TABLE_ORDER, page, page_size)


def _joined(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """Per row, the folded cells of ``columns`` (empty for a missing one), each after a line
    break: a search word never holds one, so no word matches across two cells."""
    parts = [_folded(_texts(frame[column])) for column in columns]
    return ["\n" + "\n".join(cells) for cells in zip(*parts, strict=True)] if parts \
        else [""] * len(frame)


def _texts(values: pd.Series) -> list[str]:
    """Every cell of a column as text, empty where it is missing."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.to_list()
    return ["" if is_missing(v) else str(v) for v in values.to_list()]


def _folded(texts: list[str]) -> list[str]:
    """``listing.fold`` of every text, each distinct one folded once (names and codes repeat
    down a column)."""
    folded = {value: fold(value) for value in set(texts)}
    return [folded[value] for value in texts]


def _blanks(values: pd.Series) -> pd.Series:
    """True where a cell is empty (``dataset.is_missing``), for a whole column."""
    return values.isna() | (values.astype(object) == "")


def _choice_labels(table: str, column: str, values: pd.Series, lang: str) -> pd.Series:
    """``choice_label`` of every value of a choice column (each distinct value once)."""
    text = values.astype(object).where(~_blanks(values), "").astype(str)
    labels = {v: choice_label(table, column, v, lang) for v in text.unique()}
    return text.map(labels)


def overview(table: str, snap: Snapshot, lang: str,
             rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """A table's rows (``rows``, some rows of it; by default all) with readable headers,
    names in ``lang`` and choices as labels."""
    frame = snap.table(table) if rows is None else rows
    spec = TABLES_BY_NAME[table]
    refs = {c.name: c.references for c in spec.columns if c.references}
    choices = {c.name for c in spec.columns if c.choices}
    out: dict[str, list[Any]] = {}
    for column in OVERVIEW[table]:
        if f"{column}_en" in frame.columns:
            out[t(f"ecol_{column}", lang)] = _names(frame, column, lang).to_list()
            continue
        label = column_label(column, lang, table)
        values = frame[column]
        blank = _blanks(values)
        if column in refs and column not in spec.key:
            names = reference_names(snap, str(refs[column]), lang)
            shown = [names.get(str(v), v) for v in values.to_list()]
            out[label] = pd.Series(shown, index=values.index, dtype=object) \
                .where(~blank, "").to_list()
        elif column in choices:
            out[label] = _choice_labels(table, column, values, lang).to_list()
        elif values.dtype.kind in "fi" or str(values.dtype) == "Int64":
            out[label] = values.astype(object).where(~blank, None).to_list()
        else:
            out[label] = values.to_list()
    return pd.DataFrame(out)


def problem_lines(problems: Iterable[Problem], table: str, lang: str,
                  text: Callable[[Problem], str] | None = None) -> list[tuple[str | None, str]]:
    """(column or None, "where: message") for every problem of a refused save: those of the
    edited table name the field, others name their table too. ``text`` writes a problem's
    message (by default from its code, in ``lang``)."""
    out = []
    for p in problems:
        message = text(p) if text is not None else \
            message_text(p.code, lang, dict(p.params)) if p.code else p.message
        p = replace(p, message=message)
        other = re.sub(r"\.csv$", "", p.file.rsplit("/", 1)[-1])
        known = other in TABLES_BY_NAME
        field = column_label(p.field, lang, other if known else None) if p.field else ""
        if other == table:
            out.append((p.field, f"{field}: {p.message}" if field else p.message))
        else:
            where = t(f"etable_{other}", lang) if f"etable_{other}" in _label_keys() else other
            place = f"{where} ({t('edit_line', lang, line=p.row)})" if p.row else where
            out.append((None, f"{place} · {field}: {p.message}" if field else
                        f"{place}: {p.message}"))
    return out


# --- sites ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteNeeds:
    """Which location inputs of a site ``atlas.validate`` requires, by its precision. One not
    required must stay empty: a point for a whole region would be an invented one."""

    point: bool  # lon and lat
    region: bool  # region_code


def site_needs(precision: object) -> SiteNeeds:
    """``SiteNeeds`` of a site of ``precision`` (none chosen yet: a point and a region)."""
    p = "" if is_missing(precision) else str(precision)
    return SiteNeeds(point=p not in POINTLESS_PRECISIONS, region=p not in REGIONLESS_PRECISIONS)


def site_location_hint(precision: object, lang: str) -> str:
    """What a site of ``precision`` leaves empty, in ``lang``; "" when it needs a point."""
    needs = site_needs(precision)
    if needs.point:
        return ""
    return t("edit_no_point" if needs.region else "edit_no_point_no_region", lang)


@lru_cache(maxsize=512)
def computed_region(lon: float | None, lat: float | None) -> str | None:
    """The region a point lies in (None outside Kazakhstan or without a point)."""
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return region_of(lon, lat)


_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "a", "g", "q", "n", "o", "u", "u", "h", "i"], strict=True))


def _latin(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.casefold())


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def place_names(place: GazetteerPlace) -> dict[str, str]:
    """en/ru/kk names for a gazetteer place.

    The atlas's own places carry them in that order; for GeoNames the Russian and Kazakh
    names are the Cyrillic alternate names that sound most like the English one (Kazakh:
    the one with Kazakh letters), so "Kuryk" gets "Курык" and "Құрық", not the old name.
    """
    if not place.basis.startswith("GeoNames") and len(place.names) == 3:
        en, ru, kk = place.names
        return {"en": en, "ru": ru or en, "kk": kk or ru or en}
    target = _ascii(place.name)

    def best(candidates: list[str]) -> str | None:
        if not candidates:
            return None
        return max(candidates, key=lambda n: difflib.SequenceMatcher(
            None, _latin(n), target).ratio())

    cyrillic = [n for n in place.names if _CYRILLIC.search(n)]
    russian = best([n for n in cyrillic if not _KAZAKH_LETTERS & set(n)])
    kazakh = best([n for n in cyrillic if _KAZAKH_LETTERS & set(n)])
    return {"en": place.name, "ru": russian or place.name,
            "kk": kazakh or russian or place.name}


def location_from_place(place: GazetteerPlace) -> dict[str, Any]:
    """The site columns a gazetteer pick fills: the point, its region, how it is known."""
    lon, lat = round(place.lon, COORD_DECIMALS), round(place.lat, COORD_DECIMALS)
    return {"lon": lon, "lat": lat, "region_code": computed_region(lon, lat),
            "precision": "settlement", "level": "settlement", "location_basis": place.basis}


def location_from_click(lon: float, lat: float, who: str, day: str) -> dict[str, Any]:
    """The site columns a click on the map fills; the basis says who clicked and when."""
    lon, lat = round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)
    return {"lon": lon, "lat": lat, "region_code": computed_region(lon, lat),
            "location_basis": f"map click by {who} on {day}"}


def slug(text: str) -> str:
    """A lower-case ASCII id part from a name (Cyrillic transliterated)."""
    latin = _ascii(_latin(text))
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:40]


def suggest_id(prefix: str, name: str, existing: Iterable[str]) -> str:
    """``prefix-name`` as an id not yet taken (``-2``, ``-3``... appended when it is)."""
    taken = set(existing)
    base = "-".join(x for x in (prefix, slug(name)) if x) or prefix
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def place_choice_label(place: GazetteerPlace, region_names: Mapping[str, str],
                       lang: str = "en") -> str:
    """A gazetteer result as the picker lists it: name (in ``lang`` when known, with the
    gazetteer's own), region, point, population."""
    code = computed_region(round(place.lon, COORD_DECIMALS), round(place.lat, COORD_DECIMALS))
    region = region_names.get(code, "?") if code else "—"
    people = f" · {place.population:,}" if place.population else ""
    name = place_names(place)[lang] if lang in LANGUAGES else place.name
    shown = name if name == place.name else f"{name} ({place.name})"
    return f"{shown} — {region} ({place.lat:.4f}, {place.lon:.4f}){people}"


# --- accounts -------------------------------------------------------------------------------

def password_problem(name: str, password: str, again: str) -> str | None:
    """The interface key of what is wrong with a new password, or None (the same rules as
    ``atlas.auth.check_password_rules``, plus the two entries matching)."""
    from atlas.auth import MIN_PASSWORD_LENGTH

    if password != again:
        return "acc_pw_mismatch"
    if len(password) < MIN_PASSWORD_LENGTH:
        return "acc_pw_short"
    if password.strip().lower() == name.strip().lower():
        return "acc_pw_name"
    return None
