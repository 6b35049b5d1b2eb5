"""The atlas's projects as IATI 2.03 activity XML, valid against the official schema.

One ``<iati-activity>`` per project, elements in the order the schema's sequence demands. What
IATI has a place for goes there; what it has none for travels in attributes and elements of the
atlas's own namespace (``ATLAS_NS``, prefix ``atlas``), which the 2.03 schema admits on almost
every element (``anyAttribute`` / ``any`` of namespace ##other), so an import can restore every
row exactly. Conventions (the import side follows them):

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
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

import pandas as pd
from lxml import etree

from atlas.dataset import format_cell, is_missing, split_ids
from atlas.model import LANGUAGES, TABLES_BY_NAME, Qualifier
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
    if kind not in KIND_TYPES.values() and not (kind.isdigit() and len(kind) == 2):
        raise PublisherSettingError(
            f"{REPORTING_ORG_SETTING}: {kind!r} is not an IATI organisation type code (10-90)")
    return Publisher(ref, _clean(name), kind)


def configured_publisher(environ: Mapping[str, str] | None = None) -> Publisher | None:
    """The publisher set in the environment (``ATLAS_IATI_PUBLISHER``), None when unset."""
    return publisher_from_setting((os.environ if environ is None else environ)
                                  .get(REPORTING_ORG_SETTING))


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _text(value: object) -> str:
    return "" if is_missing(value) else _clean(value).strip()


def _number(value: Any) -> str:
    """A decimal without exponent (xsd:decimal has none): 1e+20 is "100000000000000000000"."""
    text = format(Decimal(repr(float(value))), "f")
    return text.removesuffix(".0") if text.endswith(".0") else text


def _known(value: object) -> bool:
    """A stated value: not empty, and for a number a finite one (inf is no amount)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return math.isfinite(value)
    return not is_missing(value)


def _partial_date(text: object, *, last: bool) -> date | None:
    """The first (or last) day of a "YYYY", "YYYY-MM" or "YYYY-MM-DD" text; None otherwise."""
    match = _PARTIAL_DATE.match(_text(text))
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)  # type: ignore[arg-type]
        if day is None:
            end = calendar.monthrange(year, month)[1]  # type: ignore[arg-type]
            return date(year, month, end if last else 1)  # type: ignore[arg-type]
        return date(year, month, day)  # type: ignore[arg-type]
    except ValueError:
        return None


@dataclass(frozen=True)
class _Span:
    """A period IATI can write (both ends real dates), and what was stated."""

    start: date
    end: date


def _span(start: date | None, end: date | None, fallback: date) -> _Span:
    first = start or end or fallback
    last = end or first
    return _Span(first, max(first, last))


class _Tables:
    """The rows of the chosen projects, grouped by project once (no scan per project)."""

    def __init__(self, snap: Snapshot, project_ids: Sequence[str]) -> None:
        wanted = set(project_ids)
        projects = snap.table("projects")
        chosen = projects.loc[projects["project_id"].isin(wanted)]
        self.projects: dict[str, dict[str, Any]] = {
            r["project_id"]: r for r in chosen.to_dict("records")}
        self.order = [p for p in dict.fromkeys(project_ids) if p in self.projects]
        self.by_project = {name: self._group(snap.table(name), wanted)
                           for name in ("participants", "sites", "funding_flows", "results",
                                        "project_sdgs", "phases")}
        self.organizations = {r["org_id"]: r for r in
                              snap.table("organizations").to_dict("records")}
        self.sources = {r["source_id"]: r for r in snap.table("sources").to_dict("records")}
        self.places = {r["place_id"]: r for r in snap.table("places").to_dict("records")}

    @staticmethod
    def _group(table: pd.DataFrame, wanted: set[str]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in table.loc[table["project_id"].isin(wanted)].to_dict("records"):
            grouped[row["project_id"]].append(row)
        return grouped

    def rows(self, name: str, project_id: str) -> list[dict[str, Any]]:
        return self.by_project[name].get(project_id, [])


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for key, value in attributes.items():
        element.set(key.replace("_", "-"), _clean(value))
    return element


def _narrative(parent: etree._Element, text: str, lang: str = "en") -> None:
    narrative = etree.SubElement(parent, "narrative")
    if lang != "en":
        narrative.set(_XML_LANG, lang)
    narrative.text = _clean(text)


def _narratives(parent: etree._Element, row: Mapping[str, Any], field: str,
                fallback: str = "") -> etree._Element:
    """The en/ru/kk texts of ``field`` as narratives (English first; always at least one)."""
    texts = {lang: _text(row.get(f"{field}_{lang}")) for lang in LANGUAGES}
    if not any(texts.values()):
        texts["en"] = fallback
    for lang in LANGUAGES:
        if texts[lang] or (lang == "en" and not any(texts.values())):
            _narrative(parent, texts[lang], lang)
    return parent


def _is_narrative_column(name: str) -> bool:
    head, _, lang = name.rpartition("_")
    return lang in LANGUAGES and head in _NARRATIVE_COLUMNS


def _row_attributes(element: etree._Element, table: str, row: Mapping[str, Any],
                    *, namespaced: bool = True) -> None:
    """Every column of ``row`` (but the narrative trios on IATI elements) as attributes."""
    for column in TABLES_BY_NAME[table].columns:
        if namespaced and _is_narrative_column(column.name):
            continue
        text = format_cell(column, row.get(column.name))
        if text:
            element.set(f"{_A}{column.name}" if namespaced else column.name, _clean(text))


def _atlas_row(activity: etree._Element, table: str, row: Mapping[str, Any]) -> None:
    element = etree.SubElement(activity, f"{_A}row")
    element.set("table", table)
    _row_attributes(element, table, row, namespaced=False)


def _figure_note(what: str, qualifier: str, basis: object) -> str:
    note = f"{what}: qualifier {qualifier}"
    basis_text = _text(basis)
    return f"{note}; basis: {basis_text}" if basis_text else note


def _organisation_type(org: Mapping[str, Any]) -> str:
    return _text(org.get("iati_type")) or KIND_TYPES.get(_text(org.get("kind")), "")


def _org_element(parent: etree._Element, tag: str, org: Mapping[str, Any] | None,
                 org_id: str, **attributes: str) -> etree._Element:
    element = _sub(parent, tag, **attributes)
    if org is None:  # a dangling reference the validator would have named
        _narrative(element, _clean(org_id))
        element.set(f"{_A}org_id", _clean(org_id))
        return element
    ref = _text(org.get("iati_ref"))
    if ref:
        element.set("ref", ref)
    kind = _organisation_type(org)
    if kind:
        element.set("type", kind)
    element.set(f"{_A}org_id", _clean(org_id))
    _narratives(element, org, "name", fallback=_clean(org_id))
    return element


class _Writer:
    def __init__(self, snap: Snapshot, tables: _Tables, publisher: Publisher,
                 generated: datetime) -> None:
        self.snap = snap
        self.tables = tables
        self.publisher = publisher
        self.generated = generated
        self.today = generated.date()

    def identifier(self, project: Mapping[str, Any]) -> tuple[str, bool]:
        own = _text(project.get("iati_identifier"))
        if own:
            return own, False
        return f"{self.publisher.ref}-{_clean(project['project_id'])}", True

    def activity(self, root: etree._Element, project: Mapping[str, Any]) -> None:
        pid = str(project["project_id"])
        start = _partial_date(project.get("start"), last=False)
        end = _partial_date(project.get("end"), last=True)
        span = _span(start, end, self.today)
        activity = _sub(root, "iati-activity")
        activity.set("last-updated-datetime", self.generated.isoformat(timespec="seconds"))
        activity.set(_XML_LANG, "en")
        currency = _text(project.get("budget_currency"))
        if currency:
            activity.set("default-currency", currency)
        _row_attributes(activity, "projects", project)

        identifier, generated = self.identifier(project)
        element = _sub(activity, "iati-identifier")
        element.text = identifier
        if generated:
            element.set(f"{_A}generated", "true")
        reporting = _sub(activity, "reporting-org", ref=self.publisher.ref,
                         type=self.publisher.type)
        _narrative(reporting, self.publisher.name)
        _narratives(_sub(activity, "title"), project, "title", fallback=_clean(pid))
        _narratives(_sub(activity, "description", type="1"), project, "summary",
                    fallback=_text(project.get("title_en")) or _clean(pid))
        budget_note = self.budget_note(project)
        if budget_note:
            _narrative(_sub(activity, "description", type="4"), budget_note)
        self.participants(activity, pid)
        _sub(activity, "other-identifier", ref=_clean(pid), type="A1")
        _sub(activity, "activity-status", code=self.status_code(project, start, end))
        self.activity_dates(activity, project, start, end)
        _sub(activity, "recipient-country", code=COUNTRY, percentage="100")
        for site in self.tables.rows("sites", pid):
            self.location(activity, site)
        self.sectors(activity, project)
        self.tags(activity, pid)
        self.budget(activity, project, span)
        unplaced: list[tuple[str, Mapping[str, Any]]] = []
        for flow in self.tables.rows("funding_flows", pid):
            if not self.transaction(activity, flow, span):
                unplaced.append(("funding_flows", flow))
        self.documents(activity, project)
        for result in self.tables.rows("results", pid):
            if not self.result(activity, result, project, span):
                unplaced.append(("results", result))
        self.extension_rows(activity, project, unplaced)

    def budget_note(self, project: Mapping[str, Any]) -> str:
        qualifier = _text(project.get("budget_qualifier"))
        amount = project.get("budget_amount")
        currency = _text(project.get("budget_currency"))
        if not _known(amount) or not currency:
            basis = _text(project.get("budget_basis"))
            return "Budget: not known, left out" + (f" ({basis})" if basis else "")
        if qualifier in NARRATED_QUALIFIERS:
            return _figure_note(f"Budget {_number(amount)} {currency}", qualifier,
                                project.get("budget_basis"))
        return ""

    def participants(self, activity: etree._Element, pid: str) -> None:
        rows = self.tables.rows("participants", pid)
        for row in rows:
            org_id = str(row["org_id"])
            element = _org_element(activity, "participating-org",
                                   self.tables.organizations.get(org_id), org_id,
                                   role=ROLE_CODES.get(_text(row.get("role")), "4"))
            _row_attributes(element, "participants", row)
        if not rows:  # the schema needs one; the publisher is accountable for what it reports
            element = _sub(activity, "participating-org", ref=self.publisher.ref, role="2",
                           type=self.publisher.type)
            element.set(f"{_A}placeholder", "true")
            _narrative(element, self.publisher.name)

    def status_code(self, project: Mapping[str, Any], start: date | None,
                    end: date | None) -> str:
        status = _text(project.get("status"))
        if status in STATUS_CODES:
            return STATUS_CODES[status]
        # Unknown status: the dates tell the phase (atlas:status keeps "unknown").
        if end is not None and end < self.today:
            return "4"
        if start is not None and start > self.today:
            return "1"
        return "2"

    def activity_dates(self, activity: etree._Element, project: Mapping[str, Any],
                       start: date | None, end: date | None) -> None:
        status = _text(project.get("status"))
        started = status in ("ongoing", "completed")
        for stated, day, code in (
                (project.get("start"), start, "2" if started else "1"),
                (project.get("end"), end, "4" if status == "completed" else "3")):
            if day is None:
                continue
            element = _sub(activity, "activity-date", type=code, iso_date=day.isoformat())
            text = _text(stated)
            if text != day.isoformat():
                _narrative(element, f"Stated as {text}; written as its "
                                    f"{'first' if code in ('1', '2') else 'last'} day")
        if start is None and end is None:
            element = _sub(activity, "activity-date", type="1", iso_date=self.today.isoformat())
            element.set(f"{_A}placeholder", "true")
            _narrative(element, "No date is stated in the source; this is the date of the export")

    def location(self, activity: etree._Element, site: Mapping[str, Any]) -> None:
        element = _sub(activity, "location", ref=_clean(site["site_id"]))
        _row_attributes(element, "sites", site)
        _sub(element, "location-reach", code="1")
        precision = _text(site.get("precision"))
        geonameid = _GEONAMEID.search(_text(site.get("location_basis")))
        if geonameid and precision in ("exact", "settlement"):
            _sub(element, "location-id", vocabulary="G1", code=geonameid.group(1))
        _narratives(_sub(element, "name"), site, "name", fallback=_clean(site["site_id"]))
        basis = _text(site.get("location_basis"))
        if basis:
            _narrative(_sub(element, "description"), basis)
        _sub(element, "administrative", vocabulary="A4", level="0", code=COUNTRY)
        lon, lat = site.get("lon"), site.get("lat")
        if _known(lon) and _known(lat):
            point = _sub(element, "point", srsName=SRS_NAME)
            _sub(point, "pos").text = f"{_number(lat)} {_number(lon)}"  # IATI: lat first
        _sub(element, "exactness", code="1" if precision == "exact" else "2")
        level = _text(site.get("level"))
        _sub(element, "location-class", code=LOCATION_CLASSES.get(level, "1"))
        if level in FEATURE_DESIGNATIONS:
            _sub(element, "feature-designation", code=FEATURE_DESIGNATIONS[level])

    def sectors(self, activity: etree._Element, project: Mapping[str, Any]) -> None:
        codes = list(dict.fromkeys(split_ids(project.get("sectors"))))
        if not codes:
            return
        # Equal shares that sum to exactly 100: the rounding remainder goes to the first.
        share = (Decimal(100) / len(codes)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        first = Decimal(100) - share * (len(codes) - 1)
        for i, code in enumerate(codes):
            _sub(activity, "sector", vocabulary="1", code=_clean(code),
                 percentage=str(first if i == 0 else share))

    def tags(self, activity: etree._Element, pid: str) -> None:
        rows = sorted(self.tables.rows("project_sdgs", pid),
                      key=lambda r: int(r["rank"]) if _known(r.get("rank")) else 99)
        targets: list[str] = []
        for row in rows:
            goal: Any = row.get("goal")
            element = _sub(activity, "tag", vocabulary="2",
                           code=str(int(goal)) if _known(goal) else "")
            _row_attributes(element, "project_sdgs", row)
            rationale = _text(row.get("rationale"))
            if rationale:
                _narrative(element, rationale)
            targets += split_ids(row.get("targets"))
        for target in dict.fromkeys(targets):
            _sub(activity, "tag", vocabulary="3", code=_clean(target))

    def budget(self, activity: etree._Element, project: Mapping[str, Any], span: _Span) -> None:
        amount, currency = project.get("budget_amount"), _text(project.get("budget_currency"))
        if not _known(amount) or not currency:
            return  # unknown is left out, never 0
        element = _sub(activity, "budget", type="1")
        _sub(element, "period-start", iso_date=span.start.isoformat())
        _sub(element, "period-end", iso_date=span.end.isoformat())
        value = _sub(element, "value", currency=currency, value_date=span.start.isoformat())
        value.text = _number(amount)

    def transaction(self, activity: etree._Element, flow: Mapping[str, Any],
                    span: _Span) -> bool:
        amount, currency = flow.get("amount"), _text(flow.get("currency"))
        if not _known(amount) or not currency:
            return False
        year: Any = flow.get("year")
        day = date(int(year), 1, 1) if _known(year) and 1 <= int(year) <= 9999 else span.start
        element = _sub(activity, "transaction", ref=_clean(flow["flow_id"]))
        _row_attributes(element, "funding_flows", flow)
        _sub(element, "transaction-type",
             code=TRANSACTION_TYPES.get(_text(flow.get("status")), "2"))
        _sub(element, "transaction-date", iso_date=day.isoformat())
        value = _sub(element, "value", currency=currency, value_date=day.isoformat())
        value.text = _number(amount)
        notes = []
        qualifier = _text(flow.get("qualifier"))
        if qualifier in NARRATED_QUALIFIERS:
            notes.append(_figure_note(f"Amount {_number(amount)} {currency}", qualifier,
                                      flow.get("basis")))
        if _known(year):
            notes.append(f"Dated 1 January of the flow's year {int(year)}")
        else:
            notes.append("The source states no year: dated the first day of the project's "
                         "period")
        year_basis = _text(flow.get("year_basis"))
        if year_basis:
            notes.append(f"year basis: {year_basis}")
        _narrative(_sub(element, "description"), ". ".join(notes))
        for tag, org_id in (("provider-org", flow.get("from_org_id")),
                            ("receiver-org", flow.get("to_org_id"))):
            org_key = _text(org_id)
            _org_element(element, tag, self.tables.organizations.get(org_key), org_key)
        return True

    def documents(self, activity: etree._Element, project: Mapping[str, Any]) -> None:
        for source_id in split_ids(project.get("source_ids")):
            source = self.tables.sources.get(source_id)
            url = _text(source.get("url")) if source else ""
            if not source or not re.match(r"^https?://\S+$", url):
                continue
            link = _sub(activity, "document-link", url=url, format="text/html")
            link.set(f"{_A}source_id", _clean(source_id))
            _narrative(_sub(link, "title"), _text(source.get("title")) or _clean(source_id))
            _sub(link, "category", code=SOURCE_DOCUMENT_CATEGORY)
            language = _text(source.get("language"))
            if language:
                _sub(link, "language", code=language)
            published = _partial_date(source.get("date"), last=False)
            if published:
                _sub(link, "document-date", iso_date=published.isoformat())

    def result(self, activity: etree._Element, row: Mapping[str, Any],
               project: Mapping[str, Any], span: _Span) -> bool:
        value = row.get("value")
        if not _known(value):
            return False
        element = _sub(activity, "result", type="1")
        _row_attributes(element, "results", row)
        label = _text(row.get("indicator")) or _clean(row["result_id"])
        _narratives(_sub(element, "title"), row, "label", fallback=label)
        unit = _text(row.get("unit"))
        indicator = _sub(element, "indicator", measure="2" if unit == "percent" else "1")
        _narratives(_sub(indicator, "title"), row, "label", fallback=label)
        qualifier = _text(row.get("qualifier"))
        note = ""
        if qualifier in NARRATED_QUALIFIERS:
            note = _figure_note(f"{_number(value)} {unit}", qualifier, row.get("basis"))
            _narrative(_sub(indicator, "description"), note)
        period = self.result_period(row, project, span)
        block = _sub(indicator, "period")
        _sub(block, "period-start", iso_date=period.start.isoformat())
        _sub(block, "period-end", iso_date=period.end.isoformat())
        actual = _sub(block, "actual", value=_number(value))
        for site_id in split_ids(row.get("site_ids")):
            _sub(actual, "location", ref=_clean(site_id))
        _narrative(_sub(actual, "comment"), note or f"{_number(value)} {unit}")
        return True

    def result_period(self, row: Mapping[str, Any], project: Mapping[str, Any],
                      span: _Span) -> _Span:
        start, end = span.start, span.end
        phase = row.get("phase")
        if _known(phase):
            for stage in self.tables.rows("phases", str(project["project_id"])):
                if stage.get("phase") == phase:
                    start = _partial_date(stage.get("start"), last=False) or start
                    end = _partial_date(stage.get("end"), last=True) or end
        as_of = _partial_date(row.get("as_of"), last=True)
        if as_of is not None:
            end = as_of
        return _Span(min(start, end), end)

    def extension_rows(self, activity: etree._Element, project: Mapping[str, Any],
                       unplaced: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        pid = str(project["project_id"])
        for phase in self.tables.rows("phases", pid):
            _atlas_row(activity, "phases", phase)
        for table, row in unplaced:
            _atlas_row(activity, table, row)
        org_ids = [str(r["org_id"]) for r in self.tables.rows("participants", pid)]
        for flow in self.tables.rows("funding_flows", pid):
            org_ids += [_text(flow.get("from_org_id")), _text(flow.get("to_org_id"))]
        places: list[str] = []
        cited = split_ids(project.get("source_ids"))
        for org_id in dict.fromkeys(org_ids):
            org = self.tables.organizations.get(org_id)
            if org is None:
                continue
            _atlas_row(activity, "organizations", org)
            places += [_text(org.get("home_place_id")), _text(org.get("map_entry_place_id"))]
            cited += split_ids(org.get("source_ids"))
        for place_id in dict.fromkeys(p for p in places if p):
            if place_id in self.tables.places:
                _atlas_row(activity, "places", self.tables.places[place_id])
        for name in ("participants", "sites", "funding_flows", "results", "phases"):
            for row in self.tables.rows(name, pid):
                cited += split_ids(row.get("source_ids"))
        for source_id in dict.fromkeys(cited):
            if source_id in self.tables.sources:
                _atlas_row(activity, "sources", self.tables.sources[source_id])


def activities_xml(snap: Snapshot, project_ids: Sequence[str], *,
                   publisher: Publisher | None = None,
                   generated: datetime | None = None) -> bytes:
    """An IATI 2.03 ``<iati-activities>`` file of the projects ``project_ids`` (in that order;
    ids not in the snapshot are skipped), reported by ``publisher`` (else the placeholder)."""
    generated = (generated or datetime.now(UTC)).replace(microsecond=0)
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=UTC)
    tables = _Tables(snap, project_ids)
    writer = _Writer(snap, tables, publisher or PLACEHOLDER_PUBLISHER, generated)
    root = etree.Element("iati-activities", nsmap={"atlas": ATLAS_NS})
    root.set("version", IATI_VERSION)
    root.set("generated-datetime", generated.isoformat(timespec="seconds"))
    for pid in tables.order:
        writer.activity(root, tables.projects[pid])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


Note = tuple[str, dict[str, Any]]


def export_notes(snap: Snapshot, project_ids: Sequence[str], *,
                 publisher: Publisher | None = None) -> list[Note]:
    """What an export of these projects should tell its reader, as (i18n key, parameters):
    the placeholder publisher, the projects given a generated identifier, the figures whose
    qualifier went into a narrative, the unknown amounts left out, and how flows are dated."""
    tables = _Tables(snap, project_ids)
    notes: list[Note] = []
    if not tables.order:
        return [("iati_note_no_projects", {})]
    if publisher is None:
        notes.append(("iati_note_placeholder_publisher",
                      {"ref": PLACEHOLDER_PUBLISHER.ref, "setting": REPORTING_ORG_SETTING}))
    generated = [pid for pid in tables.order
                 if not _text(tables.projects[pid].get("iati_identifier"))]
    if generated:
        notes.append(("iati_note_generated_ids", {
            "count": len(generated), "ref": (publisher or PLACEHOLDER_PUBLISHER).ref,
            "projects": ", ".join(generated[:5]) + (" …" if len(generated) > 5 else "")}))
    narrated = unknown = dated = 0
    for pid in tables.order:
        project = tables.projects[pid]
        figures = [(project.get("budget_amount"), project.get("budget_qualifier"),
                    project.get("budget_currency"))]
        figures += [(f.get("amount"), f.get("qualifier"), f.get("currency"))
                    for f in tables.rows("funding_flows", pid)]
        figures += [(r.get("value"), r.get("qualifier"), "-")
                    for r in tables.rows("results", pid)]
        for amount, qualifier, currency in figures:
            if not _known(amount) or not _text(currency):
                unknown += 1
            elif _text(qualifier) in NARRATED_QUALIFIERS:
                narrated += 1
        dated += sum(1 for f in tables.rows("funding_flows", pid)
                     if _known(f.get("amount")) and _text(f.get("currency")))
    if narrated:
        notes.append(("iati_note_qualifiers", {"count": narrated}))
    if unknown:
        notes.append(("iati_note_unknown_left_out", {"count": unknown}))
    if dated:
        notes.append(("iati_note_value_dates", {"count": dated}))
    return notes
