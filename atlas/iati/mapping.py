"""IATI activities -> the atlas's rows, and notes on what could not be placed.

Pure: nothing here writes to the store or shows anything. ``map_activities`` reads a publisher's
file through ``atlas.iati.read`` (the one hostile-safe reader), keeps the activities about the
chosen country, and maps each element the atlas has a place for to rows of its tables, as text
cells in the geodata CSV format, so the import path can report them row by row (new / changed /
unchanged) and validate them like any spreadsheet. Whatever has no place becomes an
``IatiNote`` naming the activity and element.

Decisions beyond the IATI standard itself:
- One ``sources`` row per file; every row cites it.
- Ids are stable (slugs of identifiers plus element positions), so importing a file again gives
  identical rows.
- Money is never counted twice: within an activity, commitments between two bodies are left
  out where disbursements between them are given; a child activity's money that the parent
  already reports (its flow would start a chain of its own) is left out; negative values
  (reversals) are left out.
- Points are never moved: a point outside Kazakhstan is not placed, one that lies inside only
  when read the other way round is kept as given (the validator names the swap) with a
  "rejected" note. A location for a whole region or the whole country has no point.
- ``country`` other than KZ maps the activities for the report only: the atlas draws
  Kazakhstan, so a file-level "rejected" note refuses the import and the validator names each
  point outside the country.
- An activity the atlas itself exported (``atlas.iati.write``: ``atlas:`` attributes on its
  elements, ``atlas:row`` elements) comes back as exactly the rows it was written from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

import geopandas as gpd
import numpy as np

from atlas import geo
from atlas.dataset import DataSet, format_cell
from atlas.iati import read
from atlas.iati.codelists import code_name, codelist
from atlas.model import (
    CURRENCIES,
    IATI_ORGANISATION_TYPES,
    TABLES_BY_NAME,
    Qualifier,
)
from atlas.validate import MAX_TEXT

Severity = Literal["left_out", "not_placed", "assumed", "rejected"]

# Work per activity is bounded by what the atlas can use: real activities have tens of each.
MAX_PER_KIND = 1_000
LANGS = ("en", "ru", "kk")
_IDENTIFIER = re.compile(r"^\S{1,200}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SLUG_MAX = 100
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

# ISO 3166-2 codes of Kazakhstan's first-level units -> the atlas's unit codes (geo.UNITS).
# The numeric codes are today's (ISO 3166-2 newsletter 2020, plus Abai, Zhetysu and Ulytau
# from 2022); the older letter codes are taken only for units whose borders did not change
# in 2018-2022 (Almaty Region, East Kazakhstan, Karaganda and South Kazakhstan were split).
ISO_3166_2_KZ = {
    "KZ-10": "KAZ001", "KZ-11": "KAZ002", "KZ-15": "KAZ003", "KZ-75": "KAZ004",
    "KZ-19": "KAZ005", "KZ-71": "KAZ006", "KZ-23": "KAZ007", "KZ-63": "KAZ008",
    "KZ-31": "KAZ009", "KZ-33": "KAZ010", "KZ-35": "KAZ011", "KZ-39": "KAZ012",
    "KZ-43": "KAZ013", "KZ-47": "KAZ014", "KZ-59": "KAZ015", "KZ-55": "KAZ016",
    "KZ-79": "KAZ017", "KZ-61": "KAZ018", "KZ-62": "KAZ019", "KZ-27": "KAZ020",
    "KZ-AKM": "KAZ002", "KZ-AKT": "KAZ003", "KZ-ALA": "KAZ004", "KZ-AST": "KAZ006",
    "KZ-ATY": "KAZ007", "KZ-ZHA": "KAZ009", "KZ-KUS": "KAZ012", "KZ-KZY": "KAZ013",
    "KZ-MAN": "KAZ014", "KZ-SEV": "KAZ015", "KZ-PAV": "KAZ016", "KZ-SHY": "KAZ017",
    "KZ-ZAP": "KAZ020",
}
# The region's names in the three languages, for a region site the file does not name.
_KAZAKHSTAN = {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}

ORG_KINDS = {"10": "government_body", "11": "local_authority", "15": "government_body",
             "21": "ngo", "22": "ngo", "23": "ngo", "24": "ngo", "40": "multilateral_donor",
             "60": "foundation", "70": "company", "71": "company", "72": "company",
             "73": "company"}
# IATI 1.x text roles beside the numeric ones of 2.x.
ROLE_CODES = {"1": "1", "2": "2", "3": "3", "4": "4", "funding": "1", "accountable": "2",
              "extending": "3", "implementing": "4"}
ROLE_NAMES = {"1": "Funding", "2": "Accountable", "3": "Extending", "4": "Implementing"}
# IATI 1.x transaction type letters.
TRANSACTION_CODES = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                     "QP": "8", "QS": "9", "CG": "10", "IC": "11"}
# Transaction type -> (flow status, incoming: money into the reporting body).
FLOW_TYPES = {"1": ("disbursed", True), "11": ("committed", True),
              "2": ("committed", False), "3": ("disbursed", False)}
_MOVED = {"1": "11", "3": "2"}  # money moved -> the commitment it makes redundant
DATE_TYPES = {"1": "1", "2": "2", "3": "3", "4": "4", "start-planned": "1",
              "start-actual": "2", "end-planned": "3", "end-actual": "4"}
STATUSES = {"1": "planned", "2": "ongoing", "3": "ongoing", "4": "completed",
            # No "cancelled" or "suspended" in the atlas: a cancelled activity did not get
            # completed, so its state is unknown; a suspended one has not ended.
            "5": "unknown", "6": "ongoing"}
# The namespace in which the atlas's own export (atlas.iati.write) carries each row it wrote
# an element for, column by column, so that its file comes back as the rows it was written from.
ATLAS_NS = "urn:kz-project-atlas:iati:1"
_ATLAS = f"{{{ATLAS_NS}}}"
# The element of an exported activity that stands for each table's rows; <atlas:row table=...>
# brings the rows IATI has no element for (only these tables: never rates or SDG names).
_ROW_ELEMENTS = {"participating-org": "participants", "location": "sites",
                 "transaction": "funding_flows", "result": "results", "tag": "project_sdgs"}
_ROW_TABLES = ("organizations", "places", "sources", "phases", "funding_flows", "results")
UNITS = {"1": "units", "2": "percent"}
MEASURE_NAMES = {"1": "Unit", "2": "Percentage", "3": "Nominal", "4": "Ordinal",
                 "5": "Qualitative"}


@dataclass(frozen=True)
class MappedRow:
    """One row for an atlas table, as CSV text cells (every column of the table present)."""

    entity: str
    values: dict[str, str]
    origin: str  # "activity <iati-identifier>, <element path>" (English, short)


@dataclass(frozen=True)
class IatiNote:
    """Something the report must say: an ``atlas.i18n`` key and its parameters."""

    code: str
    params: tuple[tuple[str, Any], ...]
    activity: str | None  # iati-identifier, None for the file
    element: str | None  # e.g. "transaction[3]/value"
    severity: Severity


@dataclass
class IatiMapping:
    """The rows a file maps to and the notes on what could not be placed."""

    version: str | None
    activities_read: int
    activities_kept: int
    rows: list[MappedRow]
    notes: list[IatiNote]


# --- small helpers --------------------------------------------------------------------------


def slug(text: str, max_length: int = _SLUG_MAX) -> str:
    """A lower-case id of [a-z0-9-_.] from ``text``; a long or non-Latin one ends in a short
    hash of the whole text, so different texts keep different slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9_.]+", "-", ascii_text.lower()).strip("-._")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    if not base:
        return digest
    if len(base) > max_length:
        return base[: max_length - 11].rstrip("-._") + "-" + digest
    return base


def _date(value: str | None) -> str:
    """The YYYY-MM-DD part of an ISO date or date-time ("" when it is not one)."""
    match = _DATE.match(value or "")
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return match.group(0) if 1 <= month <= 12 and 1 <= day <= 31 and year >= 1 else ""


def _number(text: str | None) -> float | None:
    """A finite number from an IATI value (an xsd:decimal: "1000.5"), else None. A comma is
    never read: "1,5" is one and a half in much of the world and fifteen in the rest."""
    cleaned = (text or "").strip()
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned)
    return value if np.isfinite(value) else None


def _norm_name(text: str) -> str:
    return " ".join(text.casefold().split())


def _attr(element: Any, name: str) -> str:
    value = element.get(name) if element is not None else None
    return " ".join(value.split())[:200] if value else ""


# --- what one activity says, copied out of the tree -----------------------------------------


@dataclass
class _OrgRef:
    ref: str
    names: dict[str, str]
    type: str
    element: str


@dataclass
class _Transaction:
    n: int
    type: str
    value: float | None
    value_text: str
    currency: str
    date: str
    date_basis: str
    provider: _OrgRef | None
    receiver: _OrgRef | None


@dataclass
class _Location:
    n: int
    ref: str
    names: dict[str, str]
    pos: str | None
    exactness: str
    location_class: str
    feature: str
    admin: list[tuple[str, str, str]]  # (vocabulary, level, code)
    geonames: str
    reach: str


@dataclass
class _ResultValue:
    result: int
    indicator: int
    names: dict[str, str]
    measure: str
    value_text: str
    period_start: str
    period_end: str
    element: str


@dataclass
class _Activity:
    identifier: str
    position: int
    titles: dict[str, str]
    descriptions: dict[str, str]
    status: str
    dates: dict[str, str]
    last_updated: str
    default_currency: str
    reporting: _OrgRef | None
    participants: list[tuple[str, _OrgRef]]  # (IATI role code, org)
    budgets: list[tuple[str, str, str, float | None, str, str]]  # type, start, end, value, cur, el
    transactions: list[_Transaction]
    locations: list[_Location]
    countries: list[str]
    sdgs: list[tuple[str, str, str]]  # (goal or target text, vocabulary label, element)
    sectors: list[str]
    results: list[_ResultValue]
    parent_refs: list[str]
    child_refs: list[str]
    notes: list[IatiNote] = field(default_factory=list)
    restored: list[MappedRow] = field(default_factory=list)  # rows of an atlas export
    project_id: str = ""
    key: str = ""  # the project id this activity would have on its own (prefix of its row ids)
    points_in_country: bool = False


class _Notes:
    def __init__(self) -> None:
        self.items: list[IatiNote] = []

    def add(self, key: str, severity: Severity, activity: str | None = None,
            element: str | None = None, /, **params: Any) -> None:
        self.items.append(IatiNote(key, tuple(params.items()), activity, element, severity))


def _lang_texts(element: Any) -> dict[str, str]:
    """``read.narratives`` with an unknown language read as English (IATI's usual default)."""
    texts = read.narratives(element)
    if "" in texts:
        texts.setdefault("en", texts.pop(""))
        texts.pop("", None)
    return texts


def _org_ref(element: Any, path: str) -> _OrgRef:
    names = _lang_texts(element)
    return _OrgRef(_attr(element, "ref"), names, _attr(element, "type"), path)


def _extract(activity: Any, position: int, identifier: str, file_currency: str,
             notes: _Notes) -> _Activity:
    """Everything the mapping uses from one activity element (which the reader then frees)."""
    # One walk over the children, each kind capped: the rest is only counted.
    by_tag: dict[str, list[Any]] = defaultdict(list)
    beyond: Counter[str] = Counter()
    for child in activity:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment or processing instruction
        if len(by_tag[tag]) < MAX_PER_KIND:
            by_tag[tag].append(child)
        else:
            beyond[tag] += 1

    def capped(tag: str) -> list[Any]:
        if beyond[tag]:
            notes.add("iati_map_capped", "left_out", identifier, tag, max=MAX_PER_KIND,
                      count=beyond[tag], element=tag)
        return by_tag.get(tag, [])

    titles = _lang_texts(activity.find("title"))
    descriptions: dict[str, str] = {}
    for description in capped("description"):
        kind = _attr(description, "type") or "1"
        texts = _lang_texts(description)
        if texts and (not descriptions or kind == "1"):
            descriptions = texts
            if kind == "1":
                break
    status = _attr(activity.find("activity-status"), "code")
    dates: dict[str, str] = {}
    for date in capped("activity-date"):
        kind = DATE_TYPES.get(_attr(date, "type"), "")
        value = _date(_attr(date, "iso-date"))
        if kind and value:
            dates.setdefault(kind, value)
    reporting_el = activity.find("reporting-org")
    reporting = _org_ref(reporting_el, "reporting-org") if reporting_el is not None else None
    participants = []
    for n, org in enumerate(capped("participating-org"), start=1):
        role_text = _attr(org, "role")
        role = ROLE_CODES.get(role_text.casefold(), "")
        path = f"participating-org[{n}]"
        if not role:
            notes.add("iati_map_role_unknown", "left_out", identifier, path, role=role_text)
            continue
        participants.append((role, _org_ref(org, path)))
    default_currency = _attr(activity, "default-currency").upper() or file_currency
    budgets = []
    for n, budget in enumerate(capped("budget"), start=1):
        value_el = budget.find("value")
        budgets.append((_attr(budget, "type") or "1",
                        _date(_attr(budget.find("period-start"), "iso-date")),
                        _date(_attr(budget.find("period-end"), "iso-date")),
                        _number(read.text_of(value_el)),
                        _attr(value_el, "currency").upper() or default_currency,
                        f"budget[{n}]"))
    transactions = []
    for n, tx in enumerate(capped("transaction"), start=1):
        type_el = tx.find("transaction-type")
        kind = _attr(type_el, "code")
        kind = TRANSACTION_CODES.get(kind.upper(), kind)
        value_el = tx.find("value")
        value_date = _date(_attr(value_el, "value-date"))
        tx_date = _date(_attr(tx.find("transaction-date"), "iso-date"))
        provider_el, receiver_el = tx.find("provider-org"), tx.find("receiver-org")
        transactions.append(_Transaction(
            n, kind, _number(read.text_of(value_el)), read.text_of(value_el)[:40],
            _attr(value_el, "currency").upper() or default_currency,
            value_date or tx_date,
            f"IATI value-date {value_date}" if value_date else
            f"IATI transaction-date {tx_date}" if tx_date else "",
            _org_ref(provider_el, f"transaction[{n}]/provider-org")
            if provider_el is not None else None,
            _org_ref(receiver_el, f"transaction[{n}]/receiver-org")
            if receiver_el is not None else None))
    locations = []
    for n, loc in enumerate(capped("location"), start=1):
        pos_el = loc.find("point/pos")
        geonames = ""
        for loc_id in loc.iterchildren("location-id"):
            if _attr(loc_id, "vocabulary") == "G1":
                geonames = _attr(loc_id, "code")
        admin = [(_attr(a, "vocabulary"), _attr(a, "level"), _attr(a, "code"))
                 for a in list(loc.iterchildren("administrative"))[:20]]
        locations.append(_Location(
            n, _attr(loc, "ref"), _lang_texts(loc.find("name")),
            read.text_of(pos_el)[:100] if pos_el is not None else None,
            _attr(loc.find("exactness"), "code"), _attr(loc.find("location-class"), "code"),
            _attr(loc.find("feature-designation"), "code").upper(), admin, geonames,
            _attr(loc.find("location-reach"), "code")))
    countries = [_attr(c, "code").upper() for c in capped("recipient-country")]
    countries += [_attr(r, "code").upper() for r in capped("recipient-region")]
    sdgs: list[tuple[str, str, str]] = []
    sectors: list[str] = []
    # Sectors and tags in document order: an SDG's rank is its order of appearance.
    seen_kind: Counter[str] = Counter()
    for child in activity.iterchildren("sector", "tag"):
        kind = str(child.tag)
        seen_kind[kind] += 1
        n = seen_kind[kind]
        if n > MAX_PER_KIND:
            continue
        code, path = _attr(child, "code"), f"{kind}[{n}]"
        vocabulary = _attr(child, "vocabulary")
        if kind == "tag":
            if vocabulary in ("2", "3"):
                sdgs.append((code, f"tag vocabulary {vocabulary}", path))
            continue
        vocabulary = {"DAC": "1", "DAC-3": "2"}.get(vocabulary.upper(), vocabulary or "1")
        if vocabulary == "1":
            if code in codelist("Sector"):
                sectors.append(code)
            else:
                notes.add("iati_map_sector_unknown", "left_out", identifier, path, code=code)
        elif vocabulary in ("7", "8", "9"):
            sdgs.append((code, f"sector vocabulary {vocabulary}", path))
        else:
            notes.add("iati_map_sector_vocabulary", "left_out", identifier, path, code=code,
                      vocabulary=vocabulary)
    for kind, count in sorted(seen_kind.items()):
        if count > MAX_PER_KIND:
            notes.add("iati_map_capped", "left_out", identifier, kind, max=MAX_PER_KIND,
                      count=count - MAX_PER_KIND, element=kind)
    results: list[_ResultValue] = []
    goals_cut = 0
    for r, result in enumerate(capped("result"), start=1):
        for i, indicator in enumerate(list(indicator_iter(result)), start=1):
            names = _lang_texts(indicator.find("title")) or _lang_texts(result.find("title"))
            measure = _attr(indicator, "measure") or "1"
            targets = len(indicator.findall("baseline")) + len(indicator.findall("period/target"))
            if targets:
                notes.add("iati_map_result_targets", "left_out", identifier,
                          f"result[{r}]/indicator[{i}]", count=targets)
            for p, period in enumerate(indicator.iterchildren("period"), start=1):
                for actual in period.iterchildren("actual"):
                    if len(results) >= MAX_PER_KIND:
                        goals_cut += 1
                        continue
                    value = _attr(actual, "value") or read.text_of(actual)
                    results.append(_ResultValue(
                        r, i, names, measure, value[:40],
                        _date(_attr(period.find("period-start"), "iso-date")),
                        _date(_attr(period.find("period-end"), "iso-date")),
                        f"result[{r}]/indicator[{i}]/period[{p}]/actual"))
    if goals_cut:
        notes.add("iati_map_capped", "left_out", identifier, "result", max=MAX_PER_KIND,
                  count=goals_cut, element="actual")
    parents, children = [], []
    for related in capped("related-activity"):
        ref, kind = _attr(related, "ref"), _attr(related, "type")
        if ref and kind == "1":
            parents.append(ref)
        elif ref and kind == "2":
            children.append(ref)
    extracted = _Activity(
        identifier, position, titles, descriptions, status, dates,
        _date(_attr(activity, "last-updated-datetime")), default_currency, reporting,
        participants, budgets, transactions, locations, countries, sdgs, sectors, results,
        parents, children)
    if activity.get(f"{_ATLAS}project_id"):
        extracted.restored = _restored_rows(activity, by_tag, identifier, titles,
                                            descriptions)
    return extracted


def _atlas_cells(element: Any, table: str, prefix: str) -> dict[str, str]:
    """The row an element carries as attributes (``prefix`` + column), every column of the
    table ("" where absent). Values are as written: the validator judges them as any cell."""
    return {c.name: (element.get(prefix + c.name) or "")[: MAX_TEXT + 1]
            for c in TABLES_BY_NAME[table].columns}


def _restored_rows(activity: Any, by_tag: dict[str, list[Any]], identifier: str,
                   titles: dict[str, str], descriptions: dict[str, str]) -> list[MappedRow]:
    """The rows an activity exported by the atlas was written from: the IATI elements carry
    their row's columns as ``atlas:`` attributes (the en/ru/kk texts are their narratives),
    and ``atlas:row`` elements the rows IATI has no element for."""
    def texts(record: dict[str, str], column_prefix: str, found: dict[str, str]) -> None:
        for lang in LANGS:
            record[f"{column_prefix}_{lang}"] = found.get(lang, "")

    project = _atlas_cells(activity, "projects", _ATLAS)
    texts(project, "title", titles)
    texts(project, "summary", descriptions)
    rows = [MappedRow("projects", project, f"activity {identifier}")]
    for tag, table in _ROW_ELEMENTS.items():
        for n, element in enumerate(by_tag.get(tag, []), start=1):
            if element.get(f"{_ATLAS}{TABLES_BY_NAME[table].key[0]}") is None:
                continue
            record = _atlas_cells(element, table, _ATLAS)
            if table == "sites":
                texts(record, "name", _lang_texts(element.find("name")))
            elif table == "results":
                texts(record, "label", _lang_texts(element.find("title")))
            rows.append(MappedRow(table, record, f"activity {identifier}, {tag}[{n}]"))
    for n, element in enumerate(by_tag.get(f"{_ATLAS}row", []), start=1):
        table = element.get("table") or ""
        if table in _ROW_TABLES:
            rows.append(MappedRow(table, _atlas_cells(element, table, ""),
                                  f"activity {identifier}, atlas:row[{n}]"))
    return rows


def indicator_iter(result: Any) -> Iterator[Any]:
    """The first MAX_PER_KIND indicators of a result."""
    for n, indicator in enumerate(result.iterchildren("indicator")):
        if n >= MAX_PER_KIND:
            return
        yield indicator


# --- organizations --------------------------------------------------------------------------


class _Organizations:
    """Bodies matched by IATI identifier, then by name in any language; else new ones."""

    def __init__(self, existing: Any, notes: _Notes) -> None:
        self.notes = notes
        self.by_ref: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.taken: set[str] = set()
        for row in existing.to_dict("records") if len(existing) else []:
            org_id = str(row["org_id"])
            self.taken.add(org_id)
            if row.get("iati_ref"):
                self.by_ref.setdefault(str(row["iati_ref"]), org_id)
            for column in ("name_en", "name_ru", "name_kk", "acronym"):
                if row.get(column):
                    self.by_name.setdefault(_norm_name(str(row[column])), org_id)
        self.new: dict[str, dict[str, Any]] = {}
        self.told: set[tuple[str, str]] = set()  # (activity, ref) already noted as invalid
        self.origin: dict[str, str] = {}

    def resolve(self, org: _OrgRef | None, activity: str) -> str | None:
        """The org id of a body named in ``activity`` (None: it has neither ref nor name)."""
        if org is None:
            return None
        ref = org.ref
        if ref and not _IDENTIFIER.match(ref):
            if (activity, ref) not in self.told:
                self.told.add((activity, ref))
                self.notes.add("iati_map_org_ref_invalid", "assumed", activity, org.element,
                               ref=ref[:60])
            ref = ""
        names = {k: v for k, v in org.names.items() if v}
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        for text in names.values():
            found = self.by_name.get(_norm_name(text))
            if found:
                if ref and found in self.new and not self.new[found]["iati_ref"]:
                    self.new[found]["iati_ref"] = ref
                    self.by_ref[ref] = found
                return found
        if not ref and not names:
            self.notes.add("iati_map_org_unnamed", "not_placed", activity, org.element)
            return None
        base = slug(ref) if ref else slug(names.get("en") or next(iter(names.values())))
        org_id, k = base, 1
        while org_id in self.taken:
            k += 1
            org_id = f"{base}-{k}"
        self.taken.add(org_id)
        record = {f"name_{lang}": _cut(names.get(lang, ""), self.notes, activity,
                                       org.element) for lang in LANGS}
        if not record["name_en"]:
            record["name_en"] = _cut(next((names[lang] for lang in ("ru", "kk")
                                           if names.get(lang)), "")
                                     or next(iter(names.values()), "") or ref,
                                     self.notes, activity, org.element)
        kind_code = org.type if org.type in IATI_ORGANISATION_TYPES else ""
        record.update(org_id=org_id, kind=ORG_KINDS.get(kind_code, "unspecified"),
                      iati_ref=ref, iati_type=kind_code)
        self.new[org_id] = record
        self.origin[org_id] = f"activity {activity}, {org.element}"
        if ref:
            self.by_ref[ref] = org_id
        for text in names.values():
            self.by_name.setdefault(_norm_name(text), org_id)
        return org_id


# --- the mapping ----------------------------------------------------------------------------


def _row(entity: str, values: dict[str, Any], origin: str) -> MappedRow:
    cells = {}
    for column in TABLES_BY_NAME[entity].columns:
        value = values.get(column.name)
        # Text as it is (what format_cell gives it), the rest in the CSV's canonical form.
        cells[column.name] = value if isinstance(value, str) and column.type in (
            "text", "ids") else format_cell(column, value)
    return MappedRow(entity, cells, origin)


def _texts_into(record: dict[str, Any], prefix: str, texts: dict[str, str], notes: _Notes,
                activity: str, element: str) -> None:
    """kk/ru/en texts into their columns; another language only goes to the English column,
    and so does Russian or Kazakh when English is missing (the column the atlas requires)."""
    for lang in LANGS:
        record[f"{prefix}_{lang}"] = _cut(texts.get(lang, ""), notes, activity, element)
    if record[f"{prefix}_en"]:
        return
    others = [lang for lang in texts if lang not in LANGS]
    fallback = next((lang for lang in (*others, "ru", "kk") if texts.get(lang)), None)
    if fallback is None:
        return
    record[f"{prefix}_en"] = _cut(texts[fallback], notes, activity, element)
    notes.add("iati_map_language_assumed", "assumed", activity, element, language=fallback)


def _cut(text: str, notes: _Notes, activity: str, element: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    notes.add("iati_map_text_cut", "left_out", activity, element, max=MAX_TEXT)
    return text[: MAX_TEXT - 1].rstrip() + "…"


def map_activities(content: bytes, filename: str, store_data: DataSet,
                   regions: gpd.GeoDataFrame, *, country: str = "KZ") -> IatiMapping:
    """The atlas rows and notes of an IATI activity file (raises read.IatiRefused when the
    file itself is refused)."""
    header = read.read_header(content)
    return map_elements(read.iter_activities(content), header, filename, store_data, regions,
                        country=country, file_currency="")


def map_elements(activities: Iterable[tuple[int, Any]], header: read.ActivityFile,
                 filename: str, store_data: DataSet, regions: gpd.GeoDataFrame, *,
                 country: str = "KZ", file_currency: str = "") -> IatiMapping:
    """``map_activities`` on activity elements already read (position, element)."""
    country = country.strip().upper()
    notes = _Notes()
    for note in header.notes:
        notes.add(note.code, "assumed", None, None, **note.params)
    left_out: dict[str, Counter[str]] = defaultdict(Counter)
    kept: list[_Activity] = []
    seen: set[str] = set()
    read_count = 0
    bounds = regions.total_bounds if len(regions) else np.array([np.nan] * 4)
    for position, element in activities:
        read_count += 1
        identifier = read.text_of(element.find("iati-identifier"))[:200]
        problem = read.activity_version_problem(element, header)
        if problem is not None:
            left_out["version"][str(problem.params.get("version", "?"))] += 1
            continue
        candidate_notes = _Notes()
        activity = _extract(element, position, identifier, file_currency, candidate_notes)
        about = country in activity.countries
        near = country == "KZ" and any(
            _inside_box(_pos(loc.pos), bounds) for loc in activity.locations)
        if not about and not near:
            left_out["country"][",".join(sorted(set(activity.countries))[:3]) or "-"] += 1
            continue
        if not identifier or not _IDENTIFIER.match(identifier):
            # The project's key: without a usable one, importing again could not find it.
            notes.add("iati_map_identifier_unusable", "left_out", None, "iati-identifier",
                      identifier=identifier[:80], position=position)
            continue
        if identifier in seen:
            notes.add("iati_map_duplicate_activity", "left_out", identifier, None,
                      identifier=identifier)
            continue
        seen.add(identifier)
        activity.notes = candidate_notes.items
        kept.append(activity)
    # Points: every one in the file, against the regions at once.
    points: list[tuple[_Activity, _Location, float, float]] = []
    for activity in kept:
        for loc in activity.locations:
            pos = _pos(loc.pos)
            if pos is not None:
                points.append((activity, loc, *pos))
    lat = np.array([p[2] for p in points], dtype="float64")
    lon = np.array([p[3] for p in points], dtype="float64")
    region_of = geo.region_of_xy(lon, lat, regions) if len(points) else np.array([])
    swapped_of = geo.region_of_xy(lat, lon, regions) if len(points) else np.array([])
    point_region: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    for (activity, loc, *_), inside, swapped in zip(points, region_of, swapped_of,
                                                   strict=True):
        point_region[(activity.identifier, loc.n)] = (inside, swapped)
        if inside is not None:
            activity.points_in_country = True
    final: list[_Activity] = []
    for activity in kept:
        if country in activity.countries or activity.points_in_country:
            final.append(activity)
        else:
            left_out["country"][",".join(sorted(set(activity.countries))[:3]) or "-"] += 1
    for reason, counts in left_out.items():
        total_count = sum(counts.values())
        if reason == "version":
            notes.add("iati_map_left_out_version", "left_out", None, None, count=total_count,
                      versions=", ".join(sorted(counts)))
        else:
            countries = Counter[str]()
            for codes_text, n in counts.items():
                for code in codes_text.split(","):
                    countries[code] += n
            shown = ", ".join(c for c, _ in countries.most_common(5))
            notes.add("iati_map_left_out_country", "left_out", None, None, count=total_count,
                      country=country, countries=shown)
    if country != "KZ" and final:
        notes.add("iati_map_country_not_drawn", "rejected", None, None, country=country)
    mapper = _Mapper(final, header, filename, store_data, regions, country, notes,
                     point_region)
    rows = mapper.rows()
    for activity in final:
        notes.items.extend(activity.notes)
    return IatiMapping(header.version, read_count, len(final), rows, notes.items)


def _pos(text: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) of a ``pos`` ("lat lon"), None when it is not two numbers."""
    if not text:
        return None
    parts = text.replace(",", " ").split()
    if len(parts) != 2:
        return None
    lat, lon = _number(parts[0]), _number(parts[1])
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _inside_box(pos: tuple[float, float] | None, bounds: np.ndarray) -> bool:
    if pos is None:
        return False
    lat, lon = pos
    x0, y0, x1, y1 = bounds
    return bool(x0 <= lon <= x1 and y0 <= lat <= y1)


class _Mapper:
    """Turns the kept activities into rows (second pass: hierarchy and bodies need them all)."""

    def __init__(self, activities: list[_Activity], header: read.ActivityFile, filename: str,
                 store: DataSet, regions: gpd.GeoDataFrame, country: str, notes: _Notes,
                 point_region: dict[tuple[str, int], tuple[str | None, str | None]]) -> None:
        self.activities = activities
        self.header = header
        self.filename = filename
        self.store = store
        self.regions = regions
        self.country = country
        self.notes = notes
        self.point_region = point_region
        self.orgs = _Organizations(store["organizations"], notes)
        self.region_names = {str(r["code"]): {lang: str(r.get(f"name_{lang}") or "")
                                              for lang in LANGS}
                             for r in regions.drop(columns="geometry").to_dict("records")}
        rates = store["rates"]
        self.rates = {(int(y), str(c)) for y, c in zip(rates["year"], rates["currency"],
                                                      strict=True)}
        self.rate_years = {y for y, _ in self.rates}
        self.source_id = ""

    # ids ------------------------------------------------------------------------------------

    def _assign_project_ids(self, restored: set[str]) -> None:
        projects = self.store["projects"]
        by_identifier = {str(i): str(p) for i, p in zip(projects["iati_identifier"],
                                                       projects["project_id"], strict=True)
                         if i}
        taken = (set(projects["project_id"].astype(str)) - set(by_identifier.values())) \
            | restored
        for activity in self.activities:
            existing = by_identifier.get(activity.identifier)
            if existing:
                activity.key = existing
                continue
            base = slug(activity.identifier)
            key, k = base, 1
            while key in taken:
                k += 1
                key = f"{base}-{k}"
            taken.add(key)
            activity.key = key
        for activity in self.activities:
            activity.project_id = activity.key

    # the file's source -----------------------------------------------------------------------

    def _source(self) -> MappedRow:
        reporters: dict[str, str] = {}
        for activity in self.activities:
            org = activity.reporting
            if org is not None:
                name = org.names.get("en") or next(iter(org.names.values()), "") or org.ref
                reporters.setdefault(org.ref or name, name)
        shown_file = re.sub(r"[^\w .()\-]+", "_", PurePath(self.filename).name)[:120]
        stem = PurePath(shown_file).stem or "file"
        refs = [r for r in reporters if r]
        if len(reporters) == 1 and refs and _IDENTIFIER.match(refs[0]):
            self.source_id = "iati-" + slug(refs[0], 90)
        else:
            self.source_id = "iati-" + slug(stem, 90)
        names = [n for n in reporters.values() if n]
        publisher = "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                            else "")
        counts = Counter(lang for a in self.activities for lang in a.titles)
        language = next((lang for lang, _ in counts.most_common() if lang in LANGS), "en")
        version = self.header.version or "not stated"
        return _row("sources", {
            "source_id": self.source_id, "title": f"IATI activity file {shown_file}",
            "publisher": publisher or "IATI publisher (not named in the file)",
            "date": _date(self.header.generated), "language": language,
            "note": f"IATI activity XML, version {version}"}, f"file {shown_file}")

    # the whole mapping -----------------------------------------------------------------------

    def rows(self) -> list[MappedRow]:
        """The rows of the mapped activities, then those of the atlas's own exports (each key
        once: an exported file repeats its bodies and sources in every activity)."""
        restored = [a for a in self.activities if a.restored]
        self.activities = [a for a in self.activities if not a.restored]
        out = self._mapped_rows({r.values["project_id"] for a in restored
                                 for r in a.restored[:1]})
        seen = {(r.entity, *(r.values[k] for k in TABLES_BY_NAME[r.entity].key)) for r in out}
        for activity in restored:
            self.notes.add("iati_map_restored", "assumed", activity.identifier, None)
            for row in activity.restored:
                key = (row.entity, *(row.values[k] for k in TABLES_BY_NAME[row.entity].key))
                if key not in seen:
                    seen.add(key)
                    out.append(row)
        return out

    def _mapped_rows(self, taken: set[str]) -> list[MappedRow]:
        if not self.activities:
            return []
        self._assign_project_ids(taken)
        source = self._source()
        parent_of = self._hierarchy()
        out: list[MappedRow] = [source]
        project_rows: list[MappedRow] = []
        phases: dict[str, list[_Activity]] = defaultdict(list)
        for activity in self.activities:
            parent = parent_of.get(activity.identifier)
            if parent is not None:
                activity.project_id = parent
                phases[parent].append(activity)
        members: dict[str, list[_Activity]] = defaultdict(list)
        # The parent first: its flows are the ones its parts' money is checked against.
        for activity in sorted(self.activities, key=lambda a: a.identifier in parent_of):
            members[activity.project_id].append(activity)
        phase_of = self._phases(phases, out)
        for activity in self.activities:
            if activity.identifier in parent_of:
                continue
            children = [a for a in members[activity.project_id] if a is not activity]
            project_rows.append(self._project(activity, children))
        out += project_rows
        parts, flows, sites, sdgs, results = [], [], [], [], []
        for project_id, group in members.items():
            parts += self._participants(project_id, group)
            flows += self._flows(project_id, group, group[0].identifier not in parent_of)
            sdgs += self._sdgs(project_id, group)
            placed: list[MappedRow] = []
            for activity in group:
                phase = phase_of.get(activity.identifier)
                placed += self._sites(activity, phase)
                results += self._results(activity, phase)
            sites += placed or self._national(project_id, group)
        # Only the bodies a placed row names: one met only in a transaction left out would be
        # a new organization the report cannot explain.
        used = {r.values[c] for r in parts + flows for c in ("org_id", "from_org_id", "to_org_id")
                if c in r.values}
        out += [_row("organizations", {**record, "source_ids": self.source_id},
                     self.orgs.origin[org_id]) for org_id, record in self.orgs.new.items()
                if org_id in used]
        return out + parts + flows + sites + sdgs + results

    def _hierarchy(self) -> dict[str, str]:
        """Child identifier -> the project id of its top-most parent (in the file or atlas)."""
        in_file = {a.identifier: a for a in self.activities}
        projects = self.store["projects"]
        in_store = {str(i): str(p) for i, p in zip(projects["iati_identifier"],
                                                  projects["project_id"], strict=True) if i}
        parent_ref: dict[str, str] = {}
        for activity in self.activities:
            for child in activity.child_refs:
                if child in in_file and child != activity.identifier:
                    parent_ref.setdefault(child, activity.identifier)
        for activity in self.activities:
            for ref in activity.parent_refs:
                if ref != activity.identifier:
                    parent_ref[activity.identifier] = ref
                    break
        out: dict[str, str] = {}
        for activity in self.activities:
            if activity.identifier not in parent_ref:
                continue
            ref = parent_ref[activity.identifier]
            chain = {activity.identifier}
            while ref in parent_ref and ref in in_file and ref not in chain:
                chain.add(ref)
                ref = parent_ref[ref]
            if ref in chain:
                activity.notes.append(IatiNote("iati_map_hierarchy_cycle", (("parent", ref),),
                                               activity.identifier, "related-activity",
                                               "assumed"))
            elif ref in in_file:
                out[activity.identifier] = in_file[ref].key
            elif ref in in_store:
                out[activity.identifier] = in_store[ref]
            else:
                activity.notes.append(IatiNote("iati_map_parent_absent", (("parent", ref),),
                                               activity.identifier, "related-activity",
                                               "assumed"))
        return out

    def _phases(self, phases: dict[str, list[_Activity]], out: list[MappedRow]
                ) -> dict[str, int]:
        """Phase rows for child activities; a stored phase of the same label keeps its number,
        so importing again changes nothing."""
        stored = self.store["phases"]
        phase_of: dict[str, int] = {}
        for project_id, children in phases.items():
            mine = stored[stored["project_id"] == project_id]
            by_label = {str(label): int(n) for label, n in zip(mine["label_en"], mine["phase"],
                                                               strict=True)}
            used = set(by_label.values())
            for child in sorted(children, key=lambda a: a.position):
                record: dict[str, Any] = {"project_id": project_id}
                _texts_into(record, "label", child.titles, _Notes(), child.identifier, "title")
                record["label_en"] = record["label_en"] or child.identifier
                n = by_label.get(record["label_en"])
                if n is None:
                    n = max(used, default=0) + 1
                used.add(n)
                phase_of[child.identifier] = n
                start, end, _ = _period(child.dates)
                record.update(phase=n, start=start, end=end, source_ids=self.source_id)
                out.append(_row("phases", record, f"activity {child.identifier}"))
                child.notes.append(IatiNote("iati_map_child_phase",
                                            (("phase", n), ("parent", project_id)),
                                            child.identifier, "related-activity", "assumed"))
        return phase_of

    def _project(self, activity: _Activity, children: list[_Activity]) -> MappedRow:
        a, ident = activity, activity.identifier
        record: dict[str, Any] = {"project_id": a.project_id, "iati_identifier": ident}
        _texts_into(record, "title", a.titles, self.notes, ident, "title")
        if not record["title_en"]:
            record["title_en"] = ident
            self.notes.add("iati_map_no_title", "assumed", ident, "title")
        _texts_into(record, "summary", a.descriptions, self.notes, ident, "description")
        if not record["summary_en"]:
            record["summary_en"] = "No description in the IATI file."
            self.notes.add("iati_map_no_description", "assumed", ident, "description")
        status = STATUSES.get(a.status, "unknown")
        if a.status in ("5", "6"):
            self.notes.add("iati_map_status", "assumed", ident, "activity-status",
                           code=a.status, name=code_name("ActivityStatus", a.status),
                           status=status)
        elif a.status not in STATUSES:
            self.notes.add("iati_map_status_missing", "assumed", ident, "activity-status",
                           code=a.status)
        start, end, basis = _period(a.dates)
        record.update(status=status,
                      status_as_of=a.last_updated or _date(self.header.generated),
                      start=start, end=end, period_basis=basis,
                      sectors=";".join(dict.fromkeys(a.sectors)),
                      themes="; ".join(code_name("Sector", c)
                                       for c in dict.fromkeys(a.sectors)),
                      source_ids=self.source_id)
        if a.status in ("5", "6"):
            record["note"] = f"IATI activity status: {code_name('ActivityStatus', a.status)}"
        amount, currency, budget_basis = self._budget(a)
        qualifier = Qualifier.EXACT if amount is not None else Qualifier.UNKNOWN
        if amount is not None and not budget_basis.startswith("sum of"):
            # One stated budget: as stated, not derived; where it is stated goes in the note.
            record["note"] = "; ".join(n for n in (record.get("note"), budget_basis) if n)
            budget_basis = ""
        elif amount is not None:
            qualifier = Qualifier.DERIVED  # we added the periods up
        if amount is None and children:
            known = [self._budget(c, quiet=True) for c in children]
            currencies = {c for v, c, _ in known if v is not None}
            if known and all(v is not None for v, _, _ in known) and len(currencies) == 1:
                amount = sum(v for v, _, _ in known if v is not None)
                currency = currencies.pop()
                qualifier = Qualifier.DERIVED
                budget_basis = f"sum of the budgets of {len(children)} child activities"
                self.notes.add("iati_map_budget_children", "assumed", ident, "budget",
                               count=len(children))
        record.update(budget_amount=amount, budget_currency=currency if amount is not None
                      else "", budget_qualifier=qualifier.value, budget_basis=budget_basis)
        return _row("projects", record, f"activity {ident}")

    def _budget(self, a: _Activity, quiet: bool = False
                ) -> tuple[float | None, str, str]:
        """(amount, currency, basis) of an activity's budgets: revised ones replace the
        original of the same period; unknown (None) unless all are usable in one currency."""
        def note(key: str, element: str, /, **params: Any) -> None:
            if not quiet:
                self.notes.add(key, "not_placed", a.identifier, element, **params)

        if not a.budgets:
            return None, "", ""
        by_period: dict[tuple[str, str], tuple[str, float | None, str, str]] = {}
        for kind, start, end, value, currency, element in a.budgets:
            period = (start, end)
            if period not in by_period or kind == "2" or by_period[period][0] != "2":
                by_period[period] = (kind, value, currency, element)
        values = list(by_period.values())
        bad = [e for _, v, _, e in values if v is None or v < 0]
        if bad:
            note("iati_map_budget_value_bad", bad[0])
            return None, "", ""
        currencies = sorted({c for _, _, c, _ in values})
        if len(currencies) != 1 or currencies[0] not in CURRENCIES:
            note("iati_map_budget_currencies", "budget", currencies=", ".join(currencies)
                 or "-")
            return None, "", ""
        starts = sorted(s for s, _ in by_period if s)
        ends = sorted(e for _, e in by_period if e)
        span = f" from {starts[0]} to {ends[-1]}" if starts and ends else ""
        revised = " (revised where given)" if any(k == "2" for k, *_ in values) else ""
        basis = (f"IATI budget{span}{revised}" if len(values) == 1 else
                 f"sum of the {len(values)} budget periods of the IATI file{span}{revised}")
        return float(sum(v for _, v, _, _ in values if v is not None)), currencies[0], basis

    # participants, flows -------------------------------------------------------------------

    def _participants(self, project_id: str, group: list[_Activity]) -> list[MappedRow]:
        roles: dict[str, list[tuple[str, str]]] = defaultdict(list)  # iati role -> orgs
        for a in group:
            for role, org in a.participants:
                org_id = self.orgs.resolve(org, a.identifier)
                if org_id is not None:
                    roles[role].append((org_id, f"activity {a.identifier}, {org.element}"))
        funders = {o for o, _ in roles["1"]}
        out: dict[tuple[str, str], MappedRow] = {}

        def add(org_id: str, role: str, stated: str, origin: str) -> None:
            if (org_id, role) not in out:
                out[(org_id, role)] = _row("participants", {
                    "project_id": project_id, "org_id": org_id, "role": role,
                    "role_as_stated": stated, "source_ids": self.source_id}, origin)

        for org_id, origin in roles["1"]:
            add(org_id, "funder", ROLE_NAMES["1"], origin)
        for org_id, origin in roles["3"]:
            add(org_id, "grant_operator", ROLE_NAMES["3"], origin)
        for org_id, origin in roles["2"]:
            if org_id not in funders:
                add(org_id, "partner", ROLE_NAMES["2"], origin)
        implementers = list(dict.fromkeys(o for o, _ in roles["4"]))
        origins = dict(reversed(roles["4"]))
        for k, org_id in enumerate(implementers):
            add(org_id, "lead" if k == 0 else "co_implementer", ROLE_NAMES["4"],
                origins[org_id])
        return list(out.values())

    def _flows(self, project_id: str, group: list[_Activity],
               parent_in_file: bool) -> list[MappedRow]:
        parts = group[1:] if parent_in_file else group
        own = [row for a in group[:1] if parent_in_file
               for row, _ in self._activity_flows(project_id, a)]
        if not parts:
            return own
        receivers = {row.values["to_org_id"] for row in own}
        if not parent_in_file:
            # A parent already in the atlas: its flows there, without the ones this file's
            # parts gave it before (so importing the file again changes nothing).
            stored = self.store["funding_flows"]
            prefixes = tuple(f"{a.key}-t" for a in parts)
            mine = stored[(stored["project_id"] == project_id)
                          & ~stored["flow_id"].astype(str).str.startswith(prefixes)]
            receivers |= set(mine["to_org_id"].astype(str))
        kept = list(own)
        pending = [(row, a) for a in parts for row, _ in self._activity_flows(project_id, a)]
        if not receivers:
            return kept + [row for row, _ in pending]
        # Only money that continues a chain the parent reports: the rest is the parent's own
        # money told again by its part, and would be counted twice. Walked body by body, so
        # the work follows the number of flows, not its square.
        by_giver: dict[str, list[int]] = defaultdict(list)
        for k, (row, _) in enumerate(pending):
            by_giver[row.values["from_org_id"]].append(k)
        accepted: set[int] = set()
        queue = list(receivers)
        while queue:
            for k in by_giver.pop(queue.pop(), []):
                accepted.add(k)
                queue.append(pending[k][0].values["to_org_id"])
        kept += [row for k, (row, _) in enumerate(pending) if k in accepted]
        pending = [item for k, item in enumerate(pending) if k not in accepted]
        for row, a in pending:
            a.notes.append(IatiNote("iati_map_child_flow_at_parent",
                                    (("parent", project_id),), a.identifier,
                                    row.origin.split(", ", 1)[-1], "left_out"))
        return kept

    def _activity_flows(self, project_id: str, a: _Activity
                        ) -> list[tuple[MappedRow, _Transaction]]:
        ident = a.identifier
        skipped: Counter[str] = Counter()
        unconverted: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        funder = next((org for role, org in a.participants if role == "1"), None)
        implementer = next((org for role, org in a.participants if role == "4"), None)
        candidates: list[tuple[dict[str, Any], _Transaction]] = []
        for tx in a.transactions:
            element = f"transaction[{tx.n}]"
            if tx.type not in FLOW_TYPES:
                skipped[tx.type or "?"] += 1
                continue
            status, incoming = FLOW_TYPES[tx.type]
            if tx.value is None:
                self.notes.add("iati_map_transaction_value_bad", "not_placed", ident,
                               element + "/value", value=tx.value_text)
                continue
            if tx.value < 0:
                self.notes.add("iati_map_transaction_negative", "not_placed", ident,
                               element + "/value", value=tx.value_text)
                continue
            if not tx.currency:
                self.notes.add("iati_map_transaction_no_currency", "not_placed", ident,
                               element + "/value")
                continue
            if tx.currency not in CURRENCIES:
                self.notes.add("iati_map_transaction_currency_unknown", "not_placed", ident,
                               element + "/value", currency=tx.currency[:12])
                continue
            provider, receiver = tx.provider, tx.receiver
            if provider is None or not (provider.ref or provider.names):
                provider = funder if incoming else a.reporting
                if provider is not None:
                    self.notes.add("iati_map_provider_assumed", "assumed", ident,
                                   element + "/provider-org", org=_shown(provider))
            if receiver is None or not (receiver.ref or receiver.names):
                receiver = a.reporting if incoming else implementer
                if receiver is not None:
                    self.notes.add("iati_map_receiver_assumed", "assumed", ident,
                                   element + "/receiver-org", org=_shown(receiver))
            from_id = self.orgs.resolve(provider, ident)
            to_id = self.orgs.resolve(receiver, ident)
            if from_id is None or to_id is None:
                self.notes.add("iati_map_transaction_party_missing", "not_placed", ident,
                               element)
                continue
            if from_id == to_id:
                self.notes.add("iati_map_transaction_to_itself", "not_placed", ident, element)
                continue
            year = int(tx.date[:4]) if tx.date else None
            year_basis = tx.date_basis
            if year is not None and not 1991 <= year <= 2100:
                self.notes.add("iati_map_year_implausible", "assumed", ident, element,
                               year=year)
                year, year_basis = None, ""
            convertible = year in self.rate_years and (
                tx.currency == "USD" or (year, tx.currency) in self.rates)
            if not convertible:
                unconverted[(tx.currency, year)].append(tx.n)
            candidates.append(({
                "flow_id": f"{a.key}-t{tx.n}", "project_id": project_id,
                "from_org_id": from_id, "to_org_id": to_id, "kind": "grant",
                "amount": tx.value, "currency": tx.currency,
                "qualifier": Qualifier.EXACT.value,
                # Where it is stated, not how it was computed: a basis would mark the amount
                # as one we derived.
                "note": f"IATI transaction {tx.n}: {code_name('TransactionType', tx.type)}",
                "year": year, "year_basis": year_basis, "status": status,
                "source_ids": self.source_id}, tx))
        for (currency, year_of), numbers in unconverted.items():
            shown = ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10
                                                               else "")
            self.notes.add("iati_map_transaction_not_converted", "assumed", ident,
                           f"transaction[{shown}]", currency=currency,
                           year=year_of if year_of is not None else "-")
        for code, count in sorted(skipped.items()):
            self.notes.add("iati_map_transaction_type", "not_placed", ident, "transaction",
                           count=count, code=code,
                           name=code_name("TransactionType", code) or code)
        moved = {(r["from_org_id"], r["to_org_id"], _MOVED[tx.type])
                 for r, tx in candidates if tx.type in _MOVED}
        out, superseded = [], 0
        for record, tx in candidates:
            if (record["from_org_id"], record["to_org_id"], tx.type) in moved:
                superseded += 1
                continue
            out.append((_row("funding_flows", record,
                             f"activity {ident}, transaction[{tx.n}]"), tx))
        if superseded:
            self.notes.add("iati_map_commitment_superseded", "left_out", ident, "transaction",
                           count=superseded)
        return out

    # sites -----------------------------------------------------------------------------------

    def _sites(self, a: _Activity, phase: int | None) -> list[MappedRow]:
        ident, out = a.identifier, []
        seen_regions: set[str] = set()
        national = False
        for loc in a.locations:
            element = f"location[{loc.n}]"
            origin = f"activity {ident}, {element}"
            record: dict[str, Any] = {"site_id": f"{a.key}-l{loc.n}",
                                      "project_id": a.project_id, "phase": phase,
                                      "source_ids": self.source_id}
            pos = _pos(loc.pos)
            # An administrative code of level 0 names the country a location lies in; only
            # without a point (or as a country feature) is the location the country itself.
            whole_country = loc.feature.startswith("PCL") or (loc.pos is None and any(
                level == "0" for _, level, _ in loc.admin) and not self._region_of(loc)[0])
            ref = f" {loc.ref}" if loc.ref else ""
            geonames = f", GeoNames {loc.geonames}" if loc.geonames else ""
            if whole_country:
                if national:
                    continue
                national = True
                if pos is not None:
                    self.notes.add("iati_map_national_point_dropped", "assumed", ident,
                                   element + "/point")
                out.append(self._pointless(record, "national", "", loc.names,
                                           f"IATI location{ref}: the whole country, no point"
                                           f"{geonames}", ident, element, origin))
                continue
            if loc.pos is not None and pos is None:
                self.notes.add("iati_map_pos_bad", "not_placed", ident, element + "/point/pos",
                               pos=loc.pos[:60])
            if pos is not None:
                inside, swapped = self.point_region.get((ident, loc.n), (None, None))
                lat, lon = pos
                if inside is None and self.country == "KZ":
                    if swapped is not None:
                        self.notes.add("iati_map_point_swapped", "rejected", ident,
                                       element + "/point/pos", lat=lat, lon=lon)
                    else:
                        self.notes.add("iati_map_point_outside", "not_placed", ident,
                                       element + "/point/pos", lat=lat, lon=lon)
                        continue
                level = _level(loc)
                exactness = {"1": "exact", "2": "approximate", "3": "extrapolated"}.get(
                    loc.exactness, "not stated")
                precision = "exact" if loc.exactness == "1" else {
                    "region": "region_centroid", "district": "district_centre",
                    "rural_district": "settlement"}.get(level, "settlement")
                record.update(level=level, region_code=inside or "", lon=lon, lat=lat,
                              precision=precision,
                              location_basis=f"IATI location{ref}: point given by the "
                              f"publisher, exactness {exactness}{geonames}")
                self._site_names(record, loc.names, ident, element,
                                 loc.ref or f"{ident} location {loc.n}")
                out.append(_row("sites", record, origin))
                continue
            region, admin_code = self._region_of(loc)
            if region:
                if region in seen_regions:
                    continue
                seen_regions.add(region)
                out.append(self._pointless(record, "region", region, loc.names,
                                           f"IATI location{ref}: administrative {admin_code}, "
                                           f"no point given{geonames}", ident, element,
                                           origin))
                continue
            if pos is None:
                self.notes.add("iati_map_location_unplaced", "not_placed", ident, element)
        return out

    def _region_of(self, loc: _Location) -> tuple[str, str]:
        """(atlas unit code, the administrative code naming it) of a location's first
        ``administrative`` code that is a Kazakh region: ISO 3166-2 (KZ-47) or the atlas's
        own unit code (KAZ014); ("", "") when none is."""
        for _, _, code in loc.admin:
            key = code.upper()
            unit = ISO_3166_2_KZ.get(key) or (key if key in self.region_names else "")
            if unit:
                return unit, code
        return "", ""

    def _pointless(self, record: dict[str, Any], precision: str, region: str,
                   names: dict[str, str], basis: str, ident: str, element: str,
                   origin: str) -> MappedRow:
        fallback = self.region_names.get(region) if region else _KAZAKHSTAN
        record.update(level=precision, region_code=region, lon=None, lat=None,
                      precision=precision, location_basis=basis)
        if names:
            self._site_names(record, names, ident, element, "")
        else:
            record.update({f"name_{lang}": (fallback or {}).get(lang, "") for lang in LANGS})
        return _row("sites", record, origin)

    def _site_names(self, record: dict[str, Any], names: dict[str, str], ident: str,
                    element: str, fallback: str) -> None:
        _texts_into(record, "name", names, self.notes, ident, element + "/name")
        if not record["name_en"]:
            record["name_en"] = fallback
            self.notes.add("iati_map_site_name_assumed", "assumed", ident, element,
                           name=fallback)

    def _national(self, project_id: str, group: list[_Activity]) -> list[MappedRow]:
        """The site of a project with no placed site, when the file says it is about the
        country: the whole country, never a point invented for it."""
        top = group[0]
        if self.country not in (c for a in group for c in a.countries):
            return []
        record: dict[str, Any] = {"site_id": f"{top.key}-l0", "project_id": project_id,
                                  "source_ids": self.source_id}
        self.notes.add("iati_map_national_site", "assumed", top.identifier,
                       "recipient-country", country=self.country)
        return [self._pointless(record, "national", "", {},
                                f"IATI recipient-country {self.country}: no location in the "
                                "country is given", top.identifier, "recipient-country",
                                f"activity {top.identifier}, recipient-country")]

    # SDGs, results --------------------------------------------------------------------------

    def _sdgs(self, project_id: str, group: list[_Activity]) -> list[MappedRow]:
        goals: dict[int, tuple[list[str], str, str]] = {}
        for a in group:
            for code, vocabulary, element in a.sdgs:
                parsed = _sdg(code, vocabulary)
                if parsed is None:
                    self.notes.add("iati_map_sdg_bad", "left_out", a.identifier, element,
                                   code=code[:20])
                    continue
                goal, target = parsed
                entry = goals.setdefault(goal, ([], vocabulary,
                                                f"activity {a.identifier}, {element}"))
                if target and target not in entry[0]:
                    entry[0].append(target)
        return [_row("project_sdgs", {
            "project_id": project_id, "goal": goal, "targets": ";".join(targets),
            "rank": rank,
            "rationale": f"Stated by the publisher in the IATI file ({vocabulary})"}, origin)
            for rank, (goal, (targets, vocabulary, origin)) in enumerate(goals.items(),
                                                                         start=1)]

    def _results(self, a: _Activity, phase: int | None) -> list[MappedRow]:
        out, counter = [], Counter[int]()
        for value in a.results:
            unit = UNITS.get(value.measure)
            if unit is None:
                self.notes.add("iati_map_result_measure", "not_placed", a.identifier,
                               value.element, measure=value.measure,
                               name=MEASURE_NAMES.get(value.measure, "?"))
                continue
            number = _number(value.value_text)
            if number is None:
                self.notes.add("iati_map_result_value_bad", "not_placed", a.identifier,
                               value.element, value=value.value_text)
                continue
            counter[value.result] += 1
            record: dict[str, Any] = {
                "result_id": f"{a.key}-r{value.result}-{counter[value.result]}",
                "project_id": a.project_id, "unit": unit, "value": number,
                "qualifier": Qualifier.EXACT.value, "phase": phase,
                "as_of": value.period_end, "counts_as_reach": False,
                "note": f"IATI result {value.result}, indicator {value.indicator}, period "
                        f"{value.period_start or '?'} to {value.period_end or '?'}: actual",
                "source_ids": self.source_id}
            _texts_into(record, "label", value.names, self.notes, a.identifier,
                        value.element.rsplit("/period", 1)[0] + "/title")
            if not record["label_en"]:
                record["label_en"] = f"Indicator {value.result}.{value.indicator}"
            record["indicator"] = slug(record["label_en"], 60)
            out.append(_row("results", record, f"activity {a.identifier}, {value.element}"))
        return out


def _shown(org: _OrgRef) -> str:
    return (org.names.get("en") or next(iter(org.names.values()), "") or org.ref)[:80]


def _period(dates: dict[str, str]) -> tuple[str, str, str]:
    """(start, end, basis) from activity-dates: actual preferred over planned."""
    parts, start, end = [], "", ""
    for actual, planned, word in (("2", "1", "start"), ("4", "3", "end")):
        chosen = actual if actual in dates else planned if planned in dates else ""
        if chosen:
            kind = "actual" if chosen == actual else "planned"
            parts.append(f"{kind} {word} {dates[chosen]}")
            if word == "start":
                start = dates[chosen]
            else:
                end = dates[chosen]
    return start, end, ("IATI activity-date: " + "; ".join(parts)) if parts else ""


def _level(loc: _Location) -> str:
    """The atlas's site level from the feature designation or the administrative level."""
    feature = loc.feature
    if feature.startswith("ADM1"):
        return "region"
    if feature.startswith("ADM2"):
        return "district"
    if feature.startswith(("ADM3", "ADM4", "ADM5")):
        return "rural_district"
    if loc.location_class == "1":
        levels = [lvl for _, lvl, _ in loc.admin if lvl]
        deepest = max(levels, default="")
        return {"1": "region", "2": "district"}.get(deepest, "rural_district" if deepest
                                                    else "district")
    return "settlement"


def _sdg(code: str, vocabulary: str) -> tuple[int, str] | None:
    """(goal, target) of an SDG code: a goal ("5"), a target ("5.2") or an indicator
    ("5.2.1", whose goal is kept)."""
    text = code.strip()
    match = re.match(r"^(\d{1,2})(?:\.([0-9a-z]{1,2}))?(?:\.(\d{1,2}))?$", text, re.IGNORECASE)
    if not match:
        return None
    goal = int(match.group(1))
    if not 1 <= goal <= 17:
        return None
    is_goal_vocabulary = vocabulary.endswith(("tag vocabulary 2", "sector vocabulary 7"))
    if is_goal_vocabulary:
        return (goal, "") if match.group(2) is None else None
    target = f"{goal}.{match.group(2).lower()}" if match.group(2) else ""
    if vocabulary.endswith("sector vocabulary 9"):
        return goal, target
    return (goal, target) if target else None


