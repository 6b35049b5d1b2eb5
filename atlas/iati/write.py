"""The atlas's projects as IATI 2.03 activity XML, valid against the official schema.

One ``<iati-activity>`` per project, elements in the order the schema's sequence demands. What
IATI has a place for goes there; what it has none for travels in attributes and elements of the
atlas's own namespace (``ATLAS_NS``, prefix ``atlas``), which the 2.03 schema admits on almost
every element (``anyAttribute`` / ``any`` of namespace ##other), so an import can restore every
row exactly. Conventions (the import side follows them):

The file: ``<iati-activities version="2.03" generated-datetime=...>``; each activity declares
the atlas namespace itself (an activity can be cut out of the file and stands alone), has
``xml:lang="en"``, ``last-updated-datetime`` = the export time (the atlas keeps no per-project
time) and ``default-currency`` = its budget's currency when it has one (every value also names
its own currency).

Identifiers
- ``iati-identifier``: the project's ``iati_identifier``; else "<publisher ref>-<project_id>",
  marked ``atlas:generated="true"`` (and listed by ``export_notes``). An import must not store a
  generated identifier as the project's own.
- ``other-identifier type="A1"`` (the reporter's own id) carries the atlas ``project_id``.
- ``location/@ref`` is the ``site_id``, ``transaction/@ref`` the ``flow_id``,
  ``result/indicator/period/actual/location/@ref`` the sites a result is reported for.

Rows in attributes
- Every element that stands for an atlas row carries ALL of that row's columns as
  ``atlas:<column>`` attributes, in the CSV text format (``atlas.dataset.format_cell``); empty
  cells are left out. The en/ru/kk text columns (``title_*``, ``summary_*``, ``name_*``,
  ``label_*``) are not repeated there: they are the element's narratives (``xml:lang`` "ru" and
  "kk"; English has none, the activity's ``xml:lang`` is "en"). The elements:
  ``iati-activity`` = projects, ``participating-org`` = participants, ``location`` = sites,
  ``transaction`` = funding_flows, ``result`` = results, ``tag vocabulary="2"`` = project_sdgs.
- A note IATI has a narrative for (a site's ``location_basis`` in ``location/description``, a
  goal's ``rationale`` in its ``tag``) is written in English with its ``_ru`` / ``_kk``
  translations as narratives ``xml:lang`` "ru" and "kk" (they are also ``atlas:`` attributes).
- Rows IATI has no element for, or whose figure it cannot hold, are ``<atlas:row table="...">``
  elements at the end of the activity, every column an (unprefixed) attribute: the organizations
  and their home places, the cited sources, the phases, flows whose amount or currency is unknown
  and results without a value (IATI needs a number there: an unknown is never written as 0).

Figures
- Qualifiers IATI cannot express (approximate, at least, at most, derived) and their basis are
  also written for people, next to the figure: ``transaction/description``, the indicator's
  ``description`` and the actual's ``comment``; a budget has no text of its own, so its note is a
  ``description type="4"`` (other) of the activity. Each such narrative reads
  "<what>: qualifier <qualifier>; basis: <basis>".
- ``budget``: only when the amount and currency are known; period = the project's period,
  value-date = its first day. A project period without an end gives a one-day period (the schema
  needs a date; ``atlas:end`` on the activity is absent, which says it is not stated).
- ``transaction``: committed -> 2 (outgoing commitment), disbursed -> 3 (disbursement),
  planned -> 12 (outgoing pledge: indicative, not binding). transaction-date and value-date are
  1 January of the flow's year; a flow without a year takes the first day of the project's
  period (or the export date) and its description says so. Values keep their own currency.
- Dates: a year or month ("2018-09") becomes its first day for a start and its last day for an
  end; the activity-date narrative says what the source stated; the stated text is in
  ``atlas:start`` / ``atlas:end``. No date at all: a planned start at the export date with a
  narrative saying so and ``atlas:placeholder="true"``.

Places
- ``point/pos`` is "latitude longitude" (IATI order, the reverse of GeoJSON) in EPSG:4326; a site
  without a point (precision "national" or "region") has no ``point``. ``exactness`` 1 for precision
  exact, else 2; ``location-reach`` 1; ``location-class`` 2 (populated place) for settlements, 1
  (administrative region) for rural districts, districts, regions and the country;
  ``feature-designation`` PPL / ADM3 / ADM2 / ADM1 / PCLI. ``administrative`` gives the country
  (vocabulary A4, level 0, "KZ"): IATI 2.03 has no vocabulary for the atlas's region codes (OCHA
  P-codes, KAZ001-KAZ020), so the region is in ``atlas:region_code``. ``location-id`` (GeoNames,
  G1) only when the point is the place itself (precision exact or settlement) and its basis names
  a geonameid: a district centre's geonameid is another place's.

Organizations
- participating-org roles: funder 1 (funding), grant_operator 3 (extending), lead and
  co_implementer 4 (implementing), partner 2 (accountable), recipient 4 (implementing: the
  groups that carry out what they were given money for); ``atlas:role`` keeps the atlas role.
  ``ref`` = iati_ref, ``type`` = iati_type, else mapped from the kind (``KIND_TYPES``).
- The reporting organisation comes from the setting ``ATLAS_IATI_PUBLISHER``
  ("<ref>|<name>|<type>"); unset, a placeholder (``PLACEHOLDER_PUBLISHER``) that must be replaced
  before publishing (``export_notes`` says so).
"""

from __future__ import annotations

import calendar
import io
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
from lxml import etree

from atlas.dataset import format_cell, split_ids
from atlas.model import (
    IATI_ORGANISATION_TYPES,
    LANGUAGES,
    NOTE_LANGUAGES,
    TABLES_BY_NAME,
    Column,
    Qualifier,
)
from atlas.snapshot import Snapshot

REPORTING_ORG_SETTING = "ATLAS_IATI_PUBLISHER"
ATLAS_NS = "urn:kz-project-atlas:iati:1"
IATI_VERSION = "2.03"
COUNTRY = "KZ"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_A = f"{{{ATLAS_NS}}}"

ROLE_CODES = {"funder": "1", "grant_operator": "3", "lead": "4", "co_implementer": "4",
              "partner": "2", "recipient": "4"}
KIND_TYPES = {"multilateral_donor": "40", "government_body": "10", "state_grant_operator": "15",
              "company": "70", "foundation": "60", "ngo": "24", "local_authority": "11",
              "beneficiary_group": "90"}
STATUS_CODES = {"planned": "1", "ongoing": "2", "completed": "4"}
TRANSACTION_TYPES = {"committed": "2", "disbursed": "3", "planned": "12"}
LOCATION_CLASSES = {"settlement": "2"}  # every other level is an administrative area (1)
FEATURE_DESIGNATIONS = {"settlement": "PPL", "rural_district": "ADM3", "district": "ADM2",
                        "region": "ADM1", "national": "PCLI"}
# Qualifiers a number alone cannot say: they go into a narrative next to the figure.
NARRATED_QUALIFIERS = frozenset({Qualifier.APPROXIMATE, Qualifier.AT_LEAST, Qualifier.AT_MOST,
                                 Qualifier.DERIVED})
SOURCE_DOCUMENT_CATEGORY = "A12"  # activity web page: the sources are pages about the project
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"
# Only characters XML 1.0 can hold; anything else (NUL, other C0 controls, lone surrogates)
# would make the document unreadable, so it is replaced by U+FFFD where people can see it.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GEONAMEID = re.compile(r"geonameid=(\d+)")
_ORG_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{1,99}$")
_WEB_ADDRESS = re.compile(r"^https?://\S+$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NARRATIVE_COLUMNS = ("title", "summary", "name", "label")


@dataclass(frozen=True)
class Publisher:
    """The reporting organisation: its IATI organisation identifier, name and type code."""

    ref: str
    name: str
    type: str


PLACEHOLDER_PUBLISHER = Publisher("XX-ATLAS", "Kazakhstan Project Atlas (publisher not set)", "90")


class PublisherSettingError(ValueError):
    """The publisher setting cannot be read; the message says what it should look like."""


def publisher_from_setting(value: str | None) -> Publisher | None:
    """The publisher of "<ref>|<name>|<type>" (type optional, default 90 "other"); None if unset.

    The ref must look like an IATI organisation identifier (e.g. "XM-DAC-41114").
    """
    if value is None or not value.strip():
        return None
    parts = [p.strip() for p in value.split("|")]
    if len(parts) not in (2, 3) or not all(parts):
        raise PublisherSettingError(
            f"{REPORTING_ORG_SETTING} must be '<org identifier>|<name>|<type code>', "
            f"e.g. 'KZ-BIN-123456789012|ARGO|22'")
    ref, name = parts[0], parts[1]
    kind = parts[2] if len(parts) == 3 else "90"
    if not _ORG_REF.match(ref):
        raise PublisherSettingError(
            f"{REPORTING_ORG_SETTING}: {ref!r} is not an IATI organisation identifier "
            "(letters, digits and - _ . : / only, like 'XM-DAC-41114')")
    if kind not in IATI_ORGANISATION_TYPES:
        raise PublisherSettingError(
            f"{REPORTING_ORG_SETTING}: {kind!r} is not an IATI organisation type code "
            f"({', '.join(IATI_ORGANISATION_TYPES)})")
    return Publisher(ref, _clean(name), kind)


def configured_publisher(environ: Mapping[str, str] | None = None) -> Publisher | None:
    """The publisher set in the environment (``ATLAS_IATI_PUBLISHER``), None when unset."""
    if environ is None:
        return publisher_from_setting(os.environ.get("ATLAS_IATI_PUBLISHER"))
    return publisher_from_setting(environ.get(REPORTING_ORG_SETTING))


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


Row = dict[str, str]  # one atlas row as text: every column in the CSV format, "" when empty


def _text_column(column: Column, values: pd.Series) -> list[str]:
    """``format_cell`` of a whole column, made XML-safe once (not once per element)."""
    cells = values.to_numpy(dtype=object)
    if column.type == "float":
        numbers = pd.to_numeric(values).to_numpy(dtype="float64", na_value=np.nan).tolist()
        texts = ["" if x != x else str(int(x)) if x.is_integer() else repr(x) for x in numbers]
    elif column.type in ("text", "ids") and pd.api.types.infer_dtype(
            cells, skipna=False) in ("string", "empty"):
        texts = list(cells)  # already its own text (empty cells are "")
    else:
        texts = [format_cell(column, v) for v in cells]
    # One search over the column; a cell is cleaned only when the column holds such a character.
    if _NOT_XML.search("".join(texts)):
        texts = [_clean(text) for text in texts]
    return texts


def _text_rows(table: str, frame: pd.DataFrame) -> list[Row]:
    columns = TABLES_BY_NAME[table].columns
    texts = [_text_column(c, frame[c.name]) for c in columns]
    names = [c.name for c in columns]
    return [dict(zip(names, cells, strict=True)) for cells in zip(*texts, strict=True)]


def _number(value: float) -> str:
    """A decimal without exponent (xsd:decimal has none): 1e+20 is "100000000000000000000"."""
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0") if text.endswith(".0") else text


def _amount(text: str) -> float | None:
    """The number of a cell; None when empty or not finite (inf is no amount)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _partial_date(text: str, *, last: bool) -> date | None:
    """The first (or last) day of a "YYYY", "YYYY-MM" or "YYYY-MM-DD" text; None otherwise."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        if not month:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if not day:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Span:
    """A period IATI can write: both ends real dates, the end not before the start."""

    start: date
    end: date


def _span(start: date | None, end: date | None, fallback: date) -> _Span:
    first = start or end or fallback
    last = end or first
    return _Span(first, max(first, last))


class _Tables:
    """The rows of the chosen projects as text, grouped by project once (no scan per
    project, no conversion per element)."""

    def __init__(self, snap: Snapshot, project_ids: Sequence[str]) -> None:
        wanted = set(project_ids)
        projects = snap.table("projects")
        chosen = projects.loc[projects["project_id"].isin(wanted)]
        self.projects = {r["project_id"]: r for r in _text_rows("projects", chosen)}
        self.order = [p for p in dict.fromkeys(project_ids) if p in self.projects]
        self.by_project = {name: self._group(name, snap.table(name), wanted)
                           for name in ("participants", "sites", "funding_flows", "results",
                                        "project_sdgs", "phases")}
        self._frames = {name: snap.table(name) for name in ("organizations", "sources",
                                                            "places")}
        self._keyed: dict[str, dict[str, Row]] = {}

    @staticmethod
    def _group(name: str, table: pd.DataFrame, wanted: set[str]) -> dict[str, list[Row]]:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in _text_rows(name, table.loc[table["project_id"].isin(wanted)]):
            grouped[row["project_id"]].append(row)
        return grouped

    def rows(self, name: str, project_id: str) -> list[Row]:
        return self.by_project[name].get(project_id, [])

    def keyed(self, name: str) -> dict[str, Row]:
        """Organizations, sources or places by id, as text (built on first use)."""
        if name not in self._keyed:
            key = TABLES_BY_NAME[name].key[0]
            self._keyed[name] = {r[key]: r for r in _text_rows(name, self._frames[name])}
        return self._keyed[name]


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})


def _narrative(parent: etree._Element, text: str, lang: str = "en") -> None:
    narrative = etree.SubElement(parent, "narrative", {_XML_LANG: lang} if lang != "en" else {})
    narrative.text = text


def _narratives(parent: etree._Element, row: Row, field: str, fallback: str) -> etree._Element:
    """The en/ru/kk texts of ``field`` as narratives (English first; always at least one)."""
    written = False
    for lang in LANGUAGES:
        text = row.get(f"{field}_{lang}", "")
        if text:
            _narrative(parent, text, lang)
            written = True
    if not written:
        _narrative(parent, fallback)
    return parent


def _note_narratives(parent: etree._Element, row: Row, field: str) -> None:
    """A note's English text and its ru/kk translations as narratives (English first)."""
    _narrative(parent, row[field])
    for lang in NOTE_LANGUAGES:
        if row.get(f"{field}_{lang}"):
            _narrative(parent, row[f"{field}_{lang}"], lang)


def _is_narrative_column(name: str) -> bool:
    head, _, lang = name.rpartition("_")
    return lang in LANGUAGES and head in _NARRATIVE_COLUMNS


# The columns written as atlas:<column> on IATI elements (the narrative trios are narratives).
_ROW_ATTRIBUTES = {spec.name: [(c.name, f"{_A}{c.name}") for c in spec.columns
                               if not _is_narrative_column(c.name)]
                   for spec in TABLES_BY_NAME.values()}


def _row_attributes(element: etree._Element, table: str, row: Row) -> None:
    """Every column of ``row`` but the narrative trios, as ``atlas:<column>`` attributes."""
    for name, attribute in _ROW_ATTRIBUTES[table]:
        text = row[name]
        if text:
            element.set(attribute, text)


def _atlas_row(activity: etree._Element, table: str, row: Row) -> None:
    etree.SubElement(activity, f"{_A}row",
                     {"table": table, **{k: v for k, v in row.items() if v}})


def _figure_note(what: str, qualifier: str, basis: str) -> str:
    note = f"{what}: qualifier {qualifier}"
    return f"{note}; basis: {basis}" if basis else note


def _org_element(parent: etree._Element, tag: str, org: Row | None, org_id: str,
                 **attributes: str) -> etree._Element:
    element = _sub(parent, tag, **attributes)
    if org is not None:
        if org["iati_ref"]:
            element.set("ref", org["iati_ref"])
        kind = org["iati_type"] or KIND_TYPES.get(org["kind"], "")
        if kind:
            element.set("type", kind)
    element.set(f"{_A}org_id", org_id)
    # A dangling reference (the validator names it) still says whom it meant.
    return _narratives(element, org or {}, "name", fallback=org_id)


class _Writer:
    def __init__(self, tables: _Tables, publisher: Publisher, generated: datetime) -> None:
        self.tables = tables
        self.publisher = publisher
        self.generated = generated
        self.today = generated.date()
        self.organizations = tables.keyed("organizations")
        self.sources = tables.keyed("sources")
        self.places = tables.keyed("places")

    def identifier(self, project: Row) -> tuple[str, bool]:
        if project["iati_identifier"]:
            return project["iati_identifier"], False
        return f"{self.publisher.ref}-{project['project_id']}", True

    def activity(self, project: Row) -> etree._Element:
        pid = project["project_id"]
        start = _partial_date(project["start"], last=False)
        end = _partial_date(project["end"], last=True)
        span = _span(start, end, self.today)
        activity = etree.Element("iati-activity", nsmap={"atlas": ATLAS_NS})
        activity.set("last-updated-datetime", self.generated.isoformat(timespec="seconds"))
        activity.set(_XML_LANG, "en")
        if project["budget_currency"]:
            activity.set("default-currency", project["budget_currency"])
        _row_attributes(activity, "projects", project)

        identifier, generated = self.identifier(project)
        element = _sub(activity, "iati-identifier")
        element.text = identifier
        if generated:
            element.set(f"{_A}generated", "true")
        reporting = _sub(activity, "reporting-org", ref=self.publisher.ref,
                         type=self.publisher.type)
        _narrative(reporting, self.publisher.name)
        _narratives(_sub(activity, "title"), project, "title", fallback=pid)
        _narratives(_sub(activity, "description", type="1"), project, "summary",
                    fallback=project["title_en"] or pid)
        budget_note = self.budget_note(project)
        if budget_note:
            _narrative(_sub(activity, "description", type="4"), budget_note)
        self.participants(activity, pid)
        _sub(activity, "other-identifier", ref=pid, type="A1")
        _sub(activity, "activity-status", code=self.status_code(project, start, end))
        self.activity_dates(activity, project, start, end)
        _sub(activity, "recipient-country", code=COUNTRY, percentage="100")
        for site in self.tables.rows("sites", pid):
            self.location(activity, site)
        self.sectors(activity, project)
        self.tags(activity, pid)
        self.budget(activity, project, span)
        unplaced: list[tuple[str, Row]] = []
        for flow in self.tables.rows("funding_flows", pid):
            if not self.transaction(activity, flow, span):
                unplaced.append(("funding_flows", flow))
        self.documents(activity, project)
        for result in self.tables.rows("results", pid):
            if not self.result(activity, result, span):
                unplaced.append(("results", result))
        self.extension_rows(activity, project, unplaced)
        return activity

    def budget_note(self, project: Row) -> str:
        amount = _amount(project["budget_amount"])
        currency = project["budget_currency"]
        if amount is None or not currency:
            basis = project["budget_basis"]
            return "Budget: not known, left out" + (f" ({basis})" if basis else "")
        if project["budget_qualifier"] in NARRATED_QUALIFIERS:
            return _figure_note(f"Budget {_number(amount)} {currency}",
                                project["budget_qualifier"], project["budget_basis"])
        return ""

    def participants(self, activity: etree._Element, pid: str) -> None:
        rows = self.tables.rows("participants", pid)
        for row in rows:
            element = _org_element(activity, "participating-org",
                                   self.organizations.get(row["org_id"]), row["org_id"],
                                   role=ROLE_CODES.get(row["role"], "4"))
            _row_attributes(element, "participants", row)
        if not rows:  # the schema needs one; the publisher is accountable for what it reports
            element = _sub(activity, "participating-org", ref=self.publisher.ref, role="2",
                           type=self.publisher.type)
            element.set(f"{_A}placeholder", "true")
            _narrative(element, self.publisher.name)

    def status_code(self, project: Row, start: date | None, end: date | None) -> str:
        if project["status"] in STATUS_CODES:
            return STATUS_CODES[project["status"]]
        # Unknown status: the dates tell the phase (atlas:status keeps "unknown").
        if end is not None and end < self.today:
            return "4"
        if start is not None and start > self.today:
            return "1"
        return "2"

    def activity_dates(self, activity: etree._Element, project: Row,
                       start: date | None, end: date | None) -> None:
        status = project["status"]
        started = status in ("ongoing", "completed")
        for stated, day, code in ((project["start"], start, "2" if started else "1"),
                                  (project["end"], end, "4" if status == "completed" else "3")):
            if day is None:
                continue
            element = _sub(activity, "activity-date", type=code, iso_date=day.isoformat())
            if stated != day.isoformat():
                _narrative(element, f"Stated as {stated}; written as its "
                                    f"{'first' if code in ('1', '2') else 'last'} day")
        if start is None and end is None:
            element = _sub(activity, "activity-date", type="1", iso_date=self.today.isoformat())
            element.set(f"{_A}placeholder", "true")
            _narrative(element, "No date is stated in the source; this is the date of the export")

    def location(self, activity: etree._Element, site: Row) -> None:
        element = _sub(activity, "location", ref=site["site_id"])
        _row_attributes(element, "sites", site)
        _sub(element, "location-reach", code="1")
        precision, basis = site["precision"], site["location_basis"]
        geonameid = _GEONAMEID.search(basis)
        if geonameid and precision in ("exact", "settlement"):
            _sub(element, "location-id", vocabulary="G1", code=geonameid.group(1))
        _narratives(_sub(element, "name"), site, "name", fallback=site["site_id"])
        if basis:
            _note_narratives(_sub(element, "description"), site, "location_basis")
        _sub(element, "administrative", vocabulary="A4", level="0", code=COUNTRY)
        lon, lat = _amount(site["lon"]), _amount(site["lat"])
        if lon is not None and lat is not None:
            point = _sub(element, "point", srsName=SRS_NAME)
            _sub(point, "pos").text = f"{_number(lat)} {_number(lon)}"  # IATI: lat first
        _sub(element, "exactness", code="1" if precision == "exact" else "2")
        level = site["level"]
        _sub(element, "location-class", code=LOCATION_CLASSES.get(level, "1"))
        if level in FEATURE_DESIGNATIONS:
            _sub(element, "feature-designation", code=FEATURE_DESIGNATIONS[level])

    def sectors(self, activity: etree._Element, project: Row) -> None:
        codes = list(dict.fromkeys(split_ids(project["sectors"])))
        if not codes:
            return
        # Equal shares that sum to exactly 100: the rounding remainder goes to the first.
        share = (Decimal(100) / len(codes)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        first = Decimal(100) - share * (len(codes) - 1)
        for i, code in enumerate(codes):
            _sub(activity, "sector", vocabulary="1", code=code,
                 percentage=str(first if i == 0 else share))

    def tags(self, activity: etree._Element, pid: str) -> None:
        rows = sorted(self.tables.rows("project_sdgs", pid),
                      key=lambda r: int(r["rank"]) if r["rank"] else 99)
        targets: list[str] = []
        for row in rows:
            element = _sub(activity, "tag", vocabulary="2", code=row["goal"])
            _row_attributes(element, "project_sdgs", row)
            if row["rationale"]:
                _note_narratives(element, row, "rationale")
            targets += split_ids(row["targets"])
        for target in dict.fromkeys(targets):
            _sub(activity, "tag", vocabulary="3", code=target)

    def budget(self, activity: etree._Element, project: Row, span: _Span) -> None:
        amount, currency = _amount(project["budget_amount"]), project["budget_currency"]
        if amount is None or not currency:
            return  # unknown is left out, never 0
        element = _sub(activity, "budget", type="1")
        _sub(element, "period-start", iso_date=span.start.isoformat())
        _sub(element, "period-end", iso_date=span.end.isoformat())
        value = _sub(element, "value", currency=currency, value_date=span.start.isoformat())
        value.text = _number(amount)

    def transaction(self, activity: etree._Element, flow: Row, span: _Span) -> bool:
        amount, currency = _amount(flow["amount"]), flow["currency"]
        if amount is None or not currency:
            return False
        year = int(flow["year"]) if flow["year"] else 0
        day = date(year, 1, 1) if 1 <= year <= 9999 else span.start
        element = _sub(activity, "transaction", ref=flow["flow_id"])
        _row_attributes(element, "funding_flows", flow)
        _sub(element, "transaction-type", code=TRANSACTION_TYPES.get(flow["status"], "2"))
        _sub(element, "transaction-date", iso_date=day.isoformat())
        value = _sub(element, "value", currency=currency, value_date=day.isoformat())
        value.text = _number(amount)
        notes = []
        if flow["qualifier"] in NARRATED_QUALIFIERS:
            notes.append(_figure_note(f"Amount {_number(amount)} {currency}", flow["qualifier"],
                                      flow["basis"]))
        if 1 <= year <= 9999:
            notes.append(f"Dated 1 January of the flow's year {year}")
        else:
            notes.append("The source states no year: dated the first day of the project's "
                         "period")
        if flow["year_basis"]:
            notes.append(f"year basis: {flow['year_basis']}")
        _narrative(_sub(element, "description"), ". ".join(notes))
        for tag, org_id in (("provider-org", flow["from_org_id"]),
                            ("receiver-org", flow["to_org_id"])):
            _org_element(element, tag, self.organizations.get(org_id), org_id)
        return True

    def documents(self, activity: etree._Element, project: Row) -> None:
        for source_id in split_ids(project["source_ids"]):
            source = self.sources.get(source_id)
            if not source or not _WEB_ADDRESS.match(source["url"]):
                continue
            link = _sub(activity, "document-link", url=source["url"], format="text/html")
            link.set(f"{_A}source_id", source_id)
            _narrative(_sub(link, "title"), source["title"] or source_id)
            _sub(link, "category", code=SOURCE_DOCUMENT_CATEGORY)
            if source["language"]:
                _sub(link, "language", code=source["language"])
            published = _partial_date(source["date"], last=False)
            if published:
                _sub(link, "document-date", iso_date=published.isoformat())

    def result(self, activity: etree._Element, row: Row, span: _Span) -> bool:
        value = _amount(row["value"])
        if value is None:
            return False
        element = _sub(activity, "result", type="1")
        _row_attributes(element, "results", row)
        label = row["indicator"] or row["result_id"]
        _narratives(_sub(element, "title"), row, "label", fallback=label)
        unit = row["unit"]
        indicator = _sub(element, "indicator", measure="2" if unit == "percent" else "1")
        _narratives(_sub(indicator, "title"), row, "label", fallback=label)
        note = ""
        if row["qualifier"] in NARRATED_QUALIFIERS:
            note = _figure_note(f"{_number(value)} {unit}", row["qualifier"], row["basis"])
            _narrative(_sub(indicator, "description"), note)
        period = self.result_period(row, span)
        block = _sub(indicator, "period")
        _sub(block, "period-start", iso_date=period.start.isoformat())
        _sub(block, "period-end", iso_date=period.end.isoformat())
        actual = _sub(block, "actual", value=_number(value))
        for site_id in split_ids(row["site_ids"]):
            _sub(actual, "location", ref=site_id)
        _narrative(_sub(actual, "comment"), note or f"{_number(value)} {unit}")
        return True

    def result_period(self, row: Row, span: _Span) -> _Span:
        """The phase's period when the result is for a phase, ending at its as-of date."""
        start, end = span.start, span.end
        if row["phase"]:
            for stage in self.tables.rows("phases", row["project_id"]):
                if stage["phase"] == row["phase"]:
                    start = _partial_date(stage["start"], last=False) or start
                    end = _partial_date(stage["end"], last=True) or end
        as_of = _partial_date(row["as_of"], last=True)
        if as_of is not None:
            end = as_of
        return _Span(min(start, end), end)

    def extension_rows(self, activity: etree._Element, project: Row,
                       unplaced: Iterable[tuple[str, Row]]) -> None:
        pid = project["project_id"]
        for phase in self.tables.rows("phases", pid):
            _atlas_row(activity, "phases", phase)
        for table, row in unplaced:
            _atlas_row(activity, table, row)
        org_ids = [r["org_id"] for r in self.tables.rows("participants", pid)]
        for flow in self.tables.rows("funding_flows", pid):
            org_ids += [flow["from_org_id"], flow["to_org_id"]]
        places: list[str] = []
        cited = split_ids(project["source_ids"])
        for org_id in dict.fromkeys(org_ids):
            org = self.organizations.get(org_id)
            if org is None:
                continue
            _atlas_row(activity, "organizations", org)
            places += [org["home_place_id"], org["map_entry_place_id"]]
            cited += split_ids(org["source_ids"])
        for place_id in dict.fromkeys(p for p in places if p):
            if place_id in self.places:
                _atlas_row(activity, "places", self.places[place_id])
        for name in ("participants", "sites", "funding_flows", "results", "phases"):
            for row in self.tables.rows(name, pid):
                cited += split_ids(row["source_ids"])
        for source_id in dict.fromkeys(cited):
            if source_id in self.sources:
                _atlas_row(activity, "sources", self.sources[source_id])


def write_activities(out: BinaryIO, snap: Snapshot, project_ids: Sequence[str], *,
                     publisher: Publisher | None = None,
                     generated: datetime | None = None) -> int:
    """Write the IATI 2.03 file of ``project_ids`` to ``out`` one activity at a time (memory
    holds one activity's tree, not the file's); returns how many activities it wrote."""
    generated = (generated or datetime.now(UTC)).replace(microsecond=0)
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=UTC)
    tables = _Tables(snap, project_ids)
    chosen = publisher or PLACEHOLDER_PUBLISHER
    reporter = Publisher(_clean(chosen.ref), _clean(chosen.name), _clean(chosen.type))
    writer = _Writer(tables, reporter, generated)
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        header = {"version": IATI_VERSION,
                  "generated-datetime": generated.isoformat(timespec="seconds")}
        with xf.element("iati-activities", header, nsmap={"atlas": ATLAS_NS}):
            xf.write("\n")
            for pid in tables.order:
                xf.write(writer.activity(tables.projects[pid]), pretty_print=True)
    return len(tables.order)


def activities_xml(snap: Snapshot, project_ids: Sequence[str], *,
                   publisher: Publisher | None = None,
                   generated: datetime | None = None) -> bytes:
    """An IATI 2.03 ``<iati-activities>`` file of the projects ``project_ids`` (in that order;
    ids not in the snapshot are skipped), reported by ``publisher`` (else the placeholder)."""
    out = io.BytesIO()
    write_activities(out, snap, project_ids, publisher=publisher, generated=generated)
    return out.getvalue()


Note = tuple[str, dict[str, Any]]


def _stated(amounts: pd.Series, currencies: pd.Series | None = None) -> pd.Series:
    """Which figures the export writes: a finite amount (and a currency, for money)."""
    known = pd.Series(np.isfinite(pd.to_numeric(amounts).to_numpy(dtype="float64",
                                                                   na_value=np.nan)),
                      index=amounts.index)
    if currencies is not None:
        known &= currencies.fillna("").astype(str).str.len() > 0
    return known


def export_notes(snap: Snapshot, project_ids: Sequence[str], *,
                 publisher: Publisher | None = None) -> list[Note]:
    """What an export of these projects should tell its reader, as (i18n key, parameters):
    the placeholder publisher, the projects given a generated identifier, the figures whose
    qualifier went into a narrative, the unknown amounts left out, and how flows are dated."""
    wanted = set(project_ids)

    def chosen(name: str) -> pd.DataFrame:
        table = snap.table(name)
        return table.loc[table["project_id"].isin(wanted)]

    projects = chosen("projects")
    if projects.empty:
        return [("iati_note_no_projects", {})]
    notes: list[Note] = []
    if publisher is None:
        notes.append(("iati_note_placeholder_publisher",
                      {"ref": PLACEHOLDER_PUBLISHER.ref, "setting": REPORTING_ORG_SETTING}))
    order = {pid: i for i, pid in enumerate(dict.fromkeys(project_ids))}
    own = projects["iati_identifier"].fillna("").astype(str) != ""
    generated = sorted(projects.loc[~own, "project_id"], key=order.__getitem__)
    if generated:
        notes.append(("iati_note_generated_ids", {
            "count": len(generated), "ref": (publisher or PLACEHOLDER_PUBLISHER).ref,
            "projects": ", ".join(generated[:5]) + (" …" if len(generated) > 5 else ""),
            # The page names these projects by their titles in the reader's language.
            "project_ids": tuple(generated[:5])}))
    flows, results = chosen("funding_flows"), chosen("results")
    figures = [
        (_stated(projects["budget_amount"], projects["budget_currency"]),
         projects["budget_qualifier"]),
        (_stated(flows["amount"], flows["currency"]), flows["qualifier"]),
        (_stated(results["value"]), results["qualifier"])]
    narrated = sum(int((known & qualifiers.isin(NARRATED_QUALIFIERS)).sum())
                   for known, qualifiers in figures)
    unknown = sum(int((~known).sum()) for known, _ in figures)
    dated = int(figures[1][0].sum())
    if narrated:
        notes.append(("iati_note_qualifiers", {"count": narrated}))
    if unknown:
        notes.append(("iati_note_unknown_left_out", {"count": unknown}))
    if dated:
        notes.append(("iati_note_value_dates", {"count": dated}))
    return notes
