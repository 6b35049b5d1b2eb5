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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from atlas.dataset import Problem, is_missing, split_ids
from atlas.editing import normalized_row
from atlas.gazetteer import GazetteerPlace, region_of
from atlas.i18n import localized, t
from atlas.model import CURRENCIES, LANGUAGES, TABLES_BY_NAME, Column, TableSpec
from atlas.snapshot import Snapshot
from atlas.store import row_key

FieldKind = Literal["names", "text", "long_text", "choice", "reference", "ids", "number",
                    "integer", "bool"]

# Free-text columns that hold sentences: a text area rather than a one-line box.
LONG_TEXT = frozenset({"summary", "note", "basis", "budget_basis", "period_basis",
                       "location_basis", "home_basis", "year_basis", "themes", "role_as_stated"})
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
    ("organizations", "kind"): "org_kind_",
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
    "funding_flows": ("flow_id", "project_id", "from_org_id", "to_org_id", "kind", "amount",
                      "currency", "qualifier", "year", "status"),
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
                fields.append(Field(prefix, "names",
                                    tuple(f"{prefix}_{x}" for x in ("en", "ru", "kk")),
                                    required=True))
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
            kind = "long_text" if column.name in LONG_TEXT else "text"
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


def row_keys(table: str, frame: pd.DataFrame) -> list[str]:
    """The keys (as ``key_text``) of every row of a table, in table order."""
    spec = TABLES_BY_NAME[table]
    return [key_text(row_key(spec, r)) for r in frame.to_dict("records")]


def find_row(table: str, frame: pd.DataFrame, key: str) -> dict[str, Any] | None:
    """The row of ``frame`` whose key is ``key`` (as ``key_text``), typed as stored."""
    spec = TABLES_BY_NAME[table]
    for record in frame.to_dict("records"):
        if key_text(row_key(spec, record)) == key:
            return normalized_row(table, record)
    return None


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


def reference_labels(snap: Snapshot, references: str, lang: str) -> dict[str, str]:
    """id -> "name (id)" for the values a reference column may take, names in ``lang``."""
    table, column = references.split(".")
    if table == "regions":
        return {code: f"{name} ({code})" for code, name in
                sorted(snap.region_names(lang).items(), key=lambda kv: kv[1])}
    name_field = {"projects": "title", "organizations": "name", "sites": "name",
                  "places": "name", "results": "label"}.get(table)
    out: dict[str, str] = {}
    for record in snap.table(table).to_dict("records"):
        ident = str(record[column])
        if name_field:
            name = localized(record, name_field, lang)
        elif table == "sources":
            name = str(record["title"])
        else:
            name = ""
        out[ident] = f"{name} ({ident})" if name and name != ident else ident
    return out


def row_label(table: str, record: Mapping[str, Any], snap: Snapshot, lang: str) -> str:
    """One row as the row picker lists it: its key and what it is called."""
    spec = TABLES_BY_NAME[table]
    key = key_text(row_key(spec, dict(record)))
    if table == "participants":
        project = _name(snap, "projects", "project_id", str(record["project_id"]), "title", lang)
        org = snap.organization_names(lang).get(str(record["org_id"]), str(record["org_id"]))
        return f"{project} — {org} — {choice_label(table, 'role', str(record['role']), lang)}"
    field = {"projects": "title", "organizations": "name", "sites": "name",
             "results": "label"}.get(table)
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


def overview(table: str, snap: Snapshot, lang: str) -> pd.DataFrame:
    """A table's rows with readable headers, names in ``lang`` and choices as labels."""
    frame = snap.table(table)
    records = frame.to_dict("records")
    refs = {c.name: c.references for c in TABLES_BY_NAME[table].columns if c.references}
    out: dict[str, list[Any]] = {}
    for column in OVERVIEW[table]:
        if f"{column}_en" in frame.columns:
            out[t(f"ecol_{column}", lang)] = [localized(r, column, lang) for r in records]
            continue
        label = column_label(column, lang, table)
        values = [r[column] for r in records]
        if column in refs and column not in TABLES_BY_NAME[table].key:
            names = reference_labels(snap, str(refs[column]), lang)
            values = [names.get(str(v), v) if not _blank(v) else "" for v in values]
        elif column in {c.name for c in TABLES_BY_NAME[table].columns if c.choices}:
            values = [choice_label(table, column, "" if _blank(v) else str(v), lang)
                      for v in values]
        elif frame[column].dtype.kind in "fi" or str(frame[column].dtype) == "Int64":
            values = [None if _blank(v) else v for v in values]
        out[label] = values
    return pd.DataFrame(out)


def problem_lines(problems: Iterable[Problem], table: str,
                  lang: str) -> list[tuple[str | None, str]]:
    """(column or None, "where: message") for every problem of a refused save: those of the
    edited table name the field, others name their table too."""
    out = []
    for p in problems:
        other = re.sub(r"\.csv$", "", p.file.rsplit("/", 1)[-1])
        known = other in TABLES_BY_NAME
        field = column_label(p.field, lang, other if known else None) if p.field else ""
        if other == table:
            out.append((p.field, f"{field}: {p.message}" if field else p.message))
        else:
            where = t(f"etable_{other}", lang) if f"etable_{other}" in _label_keys() else other
            text = f"{where} ({t('edit_line', lang, line=p.row)})" if p.row else where
            out.append((None, f"{text} · {field}: {p.message}" if field else
                        f"{text}: {p.message}"))
    return out


# --- sites ----------------------------------------------------------------------------------

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
