"""The spreadsheet import: malformed files refused with their own message and the store untouched,
good files reported row by row and applied in one transaction, the command line, and a kill in
the middle of an import."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import selectors
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from atlas import importing
from atlas.budget import Budget, OverBudget, run_within
from atlas.dataset import Problem, message_text, read_dataset, table_to_csv
from atlas.i18n import LANGUAGES, t
from atlas.importing import (
    EDITED_ENTITIES,
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_JSON_DEPTH,
    MAX_ROWS,
    FieldChange,
    ImportRefused,
    ImportReport,
    Upload,
    apply_import,
    describe,
    entity_from_name,
    example_workbook,
    json_depth,
    json_error_reason,
    over_budget_message,
    plan_from_store,
    read_upload,
    template,
)
from atlas.importing_cli import add_import_parser
from atlas.model import TABLES, TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore
from atlas.xlsx_cells import column_letter
from tests import xlsx_parts
from tests.databases import StoreMaker

GEODATA = REPO_ROOT / "geodata"
# The widest table of the atlas (messages name it).
WIDEST = max(len(spec.columns) for spec in TABLES)
EXAMPLE = REPO_ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx"

RESULT = {
    "result_id": "r-test-new", "project_id": "efca-public-spaces", "indicator": "mini_projects",
    "label_en": "Test mini-projects", "label_ru": "Тестовые мини-проекты",
    "label_kk": "Сынақ шағын жобалар", "value": "3", "unit": "projects", "qualifier": "exact",
    "site_ids": "s-ps-kuryk", "phase": "2", "counts_as_reach": "false",
    "source_ids": "efca-public-spaces-2020",
}
# Kazakh letters (қ, ң...) do not exist in Windows-1251 or KOI8-R: a Russian-only row for those.
RU_ONLY = {**RESULT, "label_kk": "Тест"}
SITE = {
    "site_id": "s-test-kuryk", "project_id": "efca-public-spaces", "name_en": "Kuryk (test)",
    "name_ru": "Курык (тест)", "name_kk": "Құрық (сынақ)", "level": "settlement",
    "district_en": "Karakiyan", "region_code": "KAZ014", "lon": "51.68116", "lat": "43.18032",
    "precision": "settlement", "location_basis": "test", "source_ids": "efca-public-spaces-2020",
}
FLOW = {
    "flow_id": "f-test-new", "project_id": "efca-public-spaces", "from_org_id": "efca",
    "to_org_id": "initiative-groups-mangystau", "kind": "sub_grant", "amount": "1000",
    "currency": "KZT", "qualifier": "exact", "year": "2020", "status": "disbursed",
    "source_ids": "efca-public-spaces-2020",
}
SDG = {"project_id": "glocal", "goal": "5", "rank": "9", "rationale": "test"}


# --- building files ----------------------------------------------------------------------


def table_text(entity: str, rows: list[dict[str, str]], columns: list[str] | None = None,
               delimiter: str = ",") -> str:
    """CSV text of ``rows`` (missing cells empty) under ``columns`` (default: the spec's)."""
    names = columns or TABLES_BY_NAME[entity].column_names
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return out.getvalue()


def csv_of(entity: str, *rows: dict[str, str], **kw: Any) -> bytes:
    return table_text(entity, list(rows), **kw).encode("utf-8")


def with_(row: dict[str, str], **changes: str) -> dict[str, str]:
    return {**row, **changes}


def exported(entity: str) -> list[dict[str, str]]:
    """The bundled rows of a table as text, as ``atlas export-data`` writes them."""
    text = (GEODATA / f"{entity}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        ws = book.active if first else book.create_sheet()
        assert ws is not None
        ws.title = title
        first = False
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def error_cell_workbook() -> bytes:
    """A results sheet whose value cell holds a cached error, as Excel saves #DIV/0!."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "results"
    for row in result_sheet(RESULT):
        ws.append(row)
    cell = ws.cell(row=2, column=TABLES_BY_NAME["results"].column_names.index("value") + 1)
    cell.value = "#DIV/0!"
    cell.data_type = "e"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def result_sheet(*rows: dict[str, Any]) -> list[list[Any]]:
    names = TABLES_BY_NAME["results"].column_names
    return [names, *[[r.get(n) for n in names] for r in rows]]


def geojson(*features: dict[str, Any], **extra: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)},
                      ensure_ascii=False).encode("utf-8")


def point(props: dict[str, Any], lon: float = 51.68116, lat: float = 43.18032) -> dict[str, Any]:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


SITE_PROPS = {k: v for k, v in SITE.items() if k not in ("lon", "lat")}


def garbled(text: str) -> str:
    """UTF-8 text read as Windows-1252: what a wrong "open with" does to Cyrillic."""
    return text.encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "?")


def many_results(n: int) -> bytes:
    return csv_of("results", *[with_(RESULT, result_id=f"r-test-{i}") for i in range(n)])


# --- the malformed files -----------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A malformed file and the message it must get: row (None: the file), field, text."""

    id: str
    filename: str
    content: Callable[[], bytes]
    row: int | None
    field: str | None
    text: str
    entity: str | None = None


BAD = [
    Bad("size-cap", "results.csv", lambda: b"result_id\n" + b"x" * (6 * 1024 * 1024), None, None,
        "the file is 6.0 MB; the limit is 5 MB per import"),
    Bad("row-cap", "results.csv", lambda: many_results(MAX_ROWS + 1), None, None,
        "the file has 5,001 data rows; the limit is 5,000 rows per import"),
    Bad("empty-file", "results.csv", lambda: b"", None, None, "the file is empty"),
    Bad("blank-lines-only", "results.csv", lambda: b"\r\n \r\n,,,\r\n", None, None,
        "the file is empty"),
    Bad("header-only", "results.csv", lambda: csv_of("results"), None, None,
        "has the column names but no data rows"),
    Bad("encoding-cp1251", "results.csv",
        lambda: table_text("results", [RU_ONLY]).encode("cp1251"), None, None,
        "not UTF-8 text (byte 0xd2 at position 271 is not valid UTF-8); it looks like "
        "Windows-1251 (Cyrillic"),
    Bad("encoding-cp1251-excel-semicolons", "results.csv",
        lambda: table_text("results", [RU_ONLY], delimiter=";").replace("\n", "\r\n")
        .encode("cp1251"), None, None, "it looks like Windows-1251 (Cyrillic"),
    Bad("encoding-utf32", "results.csv",
        lambda: table_text("results", [RESULT]).encode("utf-32"), None, None,
        "the file is UTF-32 text, not UTF-8"),
    Bad("encoding-koi8r", "results.csv",
        lambda: table_text("results", [with_(RU_ONLY, note="примечание о проекте")])
        .encode("koi8-r"), None, None, "it looks like KOI8-R (Cyrillic)"),
    Bad("encoding-latin1", "results.csv",
        lambda: table_text("results", [with_(RESULT, label_ru="Café", label_kk="Café")])
        .encode("latin-1"), None, None, "a single-byte encoding such as Windows-1252"),
    Bad("encoding-utf16-bom", "results.csv",
        lambda: table_text("results", [RESULT]).encode("utf-16"), None, None,
        "the file is UTF-16 text (Excel's \"Unicode text\"), not UTF-8"),
    Bad("encoding-utf16-no-bom", "results.csv",
        lambda: table_text("results", [RESULT]).encode("utf-16-le"), None, None,
        "looks like UTF-16 text without a byte order mark"),
    Bad("mojibake-in-utf8", "results.csv",
        lambda: csv_of("results", with_(RESULT, label_ru=garbled("Тестовые мини-проекты"))),
        2, "label_ru", "looks garbled"),
    Bad("replacement-character", "results.csv",
        lambda: csv_of("results", with_(RESULT, label_ru="Тест\ufffd\ufffd")), 2, "label_ru",
        "contains the replacement character"),
    Bad("missing-required-column", "results.csv",
        lambda: csv_of("results", RESULT, columns=[c for c in TABLES_BY_NAME["results"]
                                                   .column_names if c != "qualifier"]),
        1, "qualifier", "required column is missing"),
    Bad("extra-column", "results.csv",
        lambda: csv_of("results", with_(RESULT, comment="x"),
                       columns=[*TABLES_BY_NAME["results"].column_names, "comment"]),
        1, "comment", "unknown column: results has the columns result_id, project_id"),
    Bad("misspelled-column", "results.csv",
        lambda: csv_of("results", RESULT, columns=[c if c != "qualifier" else "qualifer"
                                                   for c in TABLES_BY_NAME["results"]
                                                   .column_names]),
        1, "qualifer", "unknown column (did you mean 'qualifier'?)"),
    Bad("repeated-column", "results.csv",
        lambda: csv_of("results", RESULT, columns=[*TABLES_BY_NAME["results"].column_names,
                                                   "note"]),
        1, "note", "this column appears more than once"),
    Bad("unnamed-column-with-values", "results.csv",
        lambda: csv_of("results", with_(RESULT, **{"": "stray"}),
                       columns=[*TABLES_BY_NAME["results"].column_names, ""]),
        1, "column W", "has values but no column name"),
    Bad("more-cells-than-header", "results.csv",
        lambda: csv_of("results", RESULT).rstrip(b"\n") + b",extra,cells\n", 2, None,
        "more than the 22 columns of the header"),
    Bad("formula-csv", "results.csv", lambda: csv_of("results", with_(RESULT, value="=1+2")),
        2, "value", "'=1+2' is a formula: formulas are refused, never evaluated"),
    Bad("formula-csv-hyperlink", "results.csv",
        lambda: csv_of("results", with_(RESULT, note='=HYPERLINK("http://x.example","y")')),
        2, "note", "is a formula: formulas are refused"),
    Bad("formula-xlsx", "book.xlsx",
        lambda: workbook({"results": result_sheet(with_(RESULT, value="=SUM(1,2)"))}),
        2, "value", "'=SUM(1,2)' is a formula: formulas are refused, never evaluated"),
    Bad("error-cell-xlsx", "book.xlsx", lambda: error_cell_workbook(), 2, "value",
        "is the spreadsheet error #DIV/0!: type the value itself"),
    Bad("duplicated-id", "results.csv",
        lambda: csv_of("results", RESULT, with_(RESULT, value="4")), 3, "result_id",
        "duplicate id r-test-new: the same result_id is on row 2"),
    Bad("duplicated-key-participants", "participants.csv",
        lambda: csv_of("participants", *[{"project_id": "glocal", "org_id": "efca",
                                          "role": "partner", "source_ids": "argo-glocal-2024"}]
                       * 2),
        3, "role", "duplicate id glocal/efca/partner"),
    Bad("wrong-type-number", "results.csv", lambda: csv_of("results", with_(RESULT, value="many")),
        2, "value", "'many' is not a number"),
    Bad("wrong-type-whole-number", "results.csv",
        lambda: csv_of("results", with_(RESULT, phase="two")), 2, "phase",
        "'two' is not a whole number"),
    Bad("wrong-type-bool", "results.csv",
        lambda: csv_of("results", with_(RESULT, counts_as_reach="maybe")), 2, "counts_as_reach",
        "'maybe' is not true or false"),
    Bad("wrong-type-coordinate", "sites.csv", lambda: csv_of("sites", with_(SITE, lat="43°10'N")),
        2, "lat", "\"43°10'N\" is not a number"),
    Bad("lat-lon-swapped", "sites.csv",
        lambda: csv_of("sites", with_(SITE, lon="43.18032", lat="51.68116")), 2, "lon",
        "point (lat 51.6812, lon 43.1803) is outside Kazakhstan: latitude and longitude "
        "swapped? As lat 43.1803, lon 51.6812 it would lie in Mangystau Region"),
    Bad("lat-out-of-range", "sites.csv", lambda: csv_of("sites", with_(SITE, lat="95")), 2, "lat",
        "latitude 95 is out of range: it must be between -90 and 90"),
    Bad("lon-out-of-range", "sites.csv", lambda: csv_of("sites", with_(SITE, lon="251.68")), 2,
        "lon", "longitude 251.68 is out of range: it must be between -180 and 180"),
    Bad("point-outside-kazakhstan", "sites.csv",
        lambda: csv_of("sites", with_(SITE, lon="37.6173", lat="55.7558")), 2, "lon",
        "point (55.75580 N, 37.61730 E) is outside Kazakhstan"),
    Bad("point-in-another-region", "sites.csv",
        lambda: csv_of("sites", with_(SITE, region_code="KAZ001")), 2, "region_code",
        "lies in Mangystau Region (KAZ014), not in the stated Abai Region (KAZ001)"),
    Bad("unknown-region-code", "sites.csv",
        lambda: csv_of("sites", with_(SITE, region_code="KAZ099")), 2, "region_code",
        "unknown region code 'KAZ099': use one of KAZ001 to KAZ020"),
    Bad("sdg-0", "project_sdgs.csv", lambda: csv_of("project_sdgs", with_(SDG, goal="0")), 2,
        "goal", "SDG 0 does not exist (goals are 1 to 17)"),
    Bad("sdg-18", "project_sdgs.csv", lambda: csv_of("project_sdgs", with_(SDG, goal="18")), 2,
        "goal", "SDG 18 does not exist (goals are 1 to 17)"),
    Bad("negative-amount", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, amount="-1000")), 2, "amount",
        "is negative (-1,000); amounts and counts are >= 0"),
    Bad("negative-count", "results.csv", lambda: csv_of("results", with_(RESULT, value="-3")), 2,
        "value", "is negative (-3); amounts and counts are >= 0"),
    Bad("unknown-currency", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, currency="GBP")), 2, "currency",
        "unknown currency 'GBP': the atlas has exchange rates for EUR, KZT, USD only"),
    Bad("currency-lowercase", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, currency="kzt")), 2, "currency",
        "unknown currency 'kzt'"),
    Bad("amount-without-currency", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, currency="")), 2, "currency",
        "an amount needs its currency"),
    Bad("html-in-name", "results.csv",
        lambda: csv_of("results", with_(RESULT, label_en="<script>alert(1)</script>")), 2,
        "label_en", "contains HTML or script markup; plain text only"),
    Bad("html-img-onerror-in-site-name", "sites.csv",
        lambda: csv_of("sites", with_(SITE, name_ru='<img src=x onerror="alert(1)">')), 2,
        "name_ru", "contains HTML or script markup"),
    Bad("unknown-project", "results.csv",
        lambda: csv_of("results", with_(RESULT, project_id="no-such-project", site_ids="")), 2,
        "project_id", "unknown project 'no-such-project': it is neither in the atlas nor in "
        "this file"),
    Bad("unknown-source", "results.csv",
        lambda: csv_of("results", with_(RESULT, source_ids="efca-public-spaces-2020;nowhere")),
        2, "source_ids", "unknown source 'nowhere'"),
    Bad("unknown-organization", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, from_org_id="acme")), 2, "from_org_id",
        "unknown organization 'acme'"),
    Bad("site-of-another-project", "results.csv",
        lambda: csv_of("results", with_(RESULT, site_ids="s-wko-burlin")), 2, "site_ids",
        "site 's-wko-burlin' belongs to another project"),
    Bad("bad-qualifier", "results.csv",
        lambda: csv_of("results", with_(RESULT, qualifier="roughly")), 2, "qualifier",
        "'roughly' is not one of: exact, approximate, at_least, at_most, derived, unknown"),
    Bad("unknown-with-a-value", "results.csv",
        lambda: csv_of("results", with_(RESULT, qualifier="unknown")), 2, "value",
        "has a value but its qualifier says unknown"),
    Bad("exact-without-value", "results.csv",
        lambda: csv_of("results", with_(RESULT, value="")), 2, "value",
        "is empty but its qualifier is 'exact': use 'unknown' (never 0)"),
    Bad("derived-without-basis", "results.csv",
        lambda: csv_of("results", with_(RESULT, qualifier="derived")), 2, "basis",
        "a derived figure must say how it was derived"),
    Bad("percent-above-100", "results.csv",
        lambda: csv_of("results", with_(RESULT, value="140", unit="percent")), 2, "value",
        "a percentage above 100"),
    Bad("required-cell-empty", "results.csv",
        lambda: csv_of("results", with_(RESULT, label_en="")), 2, "label_en",
        "is required but empty"),
    Bad("bad-status", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, status="paid")), 2, "status",
        "'paid' is not one of: committed, disbursed, planned"),
    Bad("implausible-year", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, year="1850")), 2, "year",
        "1850 is not a plausible year"),
    Bad("flow-to-itself", "funding_flows.csv",
        lambda: csv_of("funding_flows", with_(FLOW, to_org_id="efca")), 2, "to_org_id",
        "money cannot flow from an organization to itself"),
    Bad("bad-date", "projects.csv",
        lambda: csv_of("projects", *[with_(r, end="2020/05") for r in exported("projects")
                                      if r["project_id"] == "glocal"]), 2, "end",
        "'2020/05' is not a date like 2019, 2019-10 or 2019-10-01"),
    Bad("budget-below-its-flows", "projects.csv",
        lambda: csv_of("projects", *[with_(r, budget_amount="100000")
                                     for r in exported("projects")
                                     if r["project_id"] == "glocal"]), 2, "budget_amount",
        "donors' shares add up to 428,000, more than the budget 100,000"),
    Bad("breaks-a-row-elsewhere", "projects.csv",
        lambda: csv_of("projects", *[with_(r, budget_amount="100000")
                                     for r in exported("projects")
                                     if r["project_id"] == "glocal"]), None, "amount",
        "after this import, funding_flows f-glocal-eu would be wrong: 400,000 EUR is more than "
        "the project's budget of 100,000"),
    Bad("id-with-spaces", "results.csv",
        lambda: csv_of("results", with_(RESULT, result_id="new result 1")), 2, "result_id",
        "'new result 1' is not a usable id"),
    Bad("text-too-long", "results.csv", lambda: csv_of("results", with_(RESULT, note="x" * 5001)),
        2, "note", "is longer than 5,000 characters"),
    Bad("semicolon-csv-with-error", "results.csv",
        lambda: table_text("results", [with_(RESULT, value="abc")], delimiter=";")
        .encode("utf-8-sig"), 2, "value", "'abc' is not a number"),
    Bad("unsupported-type", "results.ods", lambda: b"PK\x03\x04whatever", None, None,
        "files of type '.ods' are not read"),
    Bad("old-xls", "results.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        None, None, "old Excel 97-2003 workbook (.xls)"),
    Bad("damaged-xlsx", "results.xlsx", lambda: b"PK\x03\x04" + b"garbage" * 50, None, None,
        "is not a readable Excel workbook (.xlsx)"),
    Bad("xlsx-named-csv-not-xlsx", "results.xlsx", lambda: csv_of("results", RESULT), None, None,
        "is named .xlsx but is not an Excel workbook"),
    Bad("unknown-table-name", "partners-2025.csv", lambda: csv_of("results", RESULT), None, None,
        "cannot tell which table 'partners-2025.csv' is for"),
    Bad("sheet-not-a-table", "book.xlsx",
        lambda: workbook({"results": result_sheet(RESULT), "Sheet2": [["a"], ["b"]]}), None,
        None, "the sheet is not named after a table"),
    Bad("geojson-polygon", "sites.geojson",
        lambda: geojson({"type": "Feature", "properties": SITE_PROPS,
                         "geometry": {"type": "Polygon",
                                      "coordinates": [[[51, 43], [52, 43], [52, 44], [51, 43]]]}}),
        1, "geometry", "is a Polygon: only Point features"),
    Bad("geojson-not-json", "sites.geojson", lambda: b'{"type": "FeatureCollection", ', None,
        None, "is not valid JSON (line 1, column"),
    Bad("geojson-trailing-comma", "sites.geojson",
        lambda: b'{"type": "FeatureCollection", "features": [],}', None, None,
        "is not valid JSON (line 1, column 46: a name in double quotes is expected"),
    Bad("geojson-number-of-5000-digits", "sites.geojson",
        lambda: b'{"type": "FeatureCollection", "features": [], "n": ' + b"7" * 5000 + b"}",
        None, None, "is not usable JSON: it holds a number of more than 4,300 digits"),
    Bad("csv-quote-never-closed", "results.csv",
        lambda: csv_of("results", RESULT) + b'"r-2,' + b"x" * 140_000 + b"\n", None, None,
        "a cell near line 3 holds more than 131,072 characters (often a quotation mark"),
    Bad("geojson-properties-disagree", "sites.geojson",
        lambda: geojson(point({**SITE_PROPS, "lon": 50.0})), 1, "lon",
        "the properties say lon 50 but the point's coordinates say 51.68116"),
    Bad("geojson-swapped", "sites.geojson",
        lambda: geojson(point(SITE_PROPS, lon=43.18032, lat=51.68116)), 1, "lon",
        "swapped? As lat 43.1803, lon 51.6812 it would lie in Mangystau Region"),
    Bad("geojson-web-mercator", "sites.geojson",
        lambda: geojson(point(SITE_PROPS),
                        crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
        None, "crs", "uses the coordinate system 'EPSG:3857'"),
    Bad("geojson-for-results", "results.geojson", lambda: geojson(point(SITE_PROPS)), None, None,
        "GeoJSON is read for sites and places only, not results"),
]


# --- the store ---------------------------------------------------------------------------


@pytest.fixture()
def fresh_store(new_store: StoreMaker) -> SqlStore:
    """A store of its own holding the built bundled data, on each engine."""
    return new_store()


def state(store: SqlStore) -> tuple[str, dict[str, str], int]:
    """Everything an import could change: version, every table, the length of the history."""
    data = store.load()
    history = len(store.history())
    return store.data_version(), {s.name: table_to_csv(s, data[s.name]) for s in TABLES}, history


def all_problems(report: ImportReport) -> list[Problem]:
    return [*report.problems, *(p for r in report.rows for p in r.problems)]


def cli(store: SqlStore, *argv: str) -> int:
    """``atlas --store URL import ...`` through a parser built like atlas.cli's."""
    parser = argparse.ArgumentParser(prog="atlas")
    parser.add_argument("--store")
    sub = parser.add_subparsers(dest="command", required=True)
    add_import_parser(sub)
    args = parser.parse_args(["--store", store.url, "import", *argv])
    return int(args.func(args))


@pytest.mark.parametrize("bad", BAD, ids=[b.id for b in BAD])
def test_malformed_file_is_refused_with_its_message_and_changes_nothing(
        bad: Bad, fresh_store: SqlStore, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = state(fresh_store)
    upload = read_upload(bad.filename, bad.content(), bad.entity)
    report = plan_from_store(fresh_store, upload)
    found = [(p.row, p.field, p.message) for p in all_problems(report)]
    assert any(row == bad.row and field == bad.field and bad.text in message
               for row, field, message in found), found
    assert not report.ok
    with pytest.raises(ImportRefused):
        apply_import(fresh_store, report, "tester")
    # The command line refuses it too (not a dry run: it would write if it could).
    path = tmp_path / bad.filename
    path.write_bytes(bad.content())
    assert cli(fresh_store, str(path)) == 1
    out = capsys.readouterr().out
    assert bad.text in out and "nothing written" in out
    assert state(fresh_store) == before


# Each broken JSON text and what its error says to a reader: Python's own wording is matched,
# so a Python that words an error differently fails here, not on a staff member's screen.
JSON_ERRORS = {
    "": "json_why_value",
    '{"a": 1 "b": 2}': "json_why_comma",
    '{"a" 1}': "json_why_colon",
    '{"a": 1,}': "json_why_name",
    '{"a": "open': "json_why_open_text",
    '{"a": "line\nbreak"}': "json_why_control",
    '{"a": "\\q"}': "json_why_escape",
    '{"a": "\\u12"}': "json_why_escape",
    '{"a": 1} {"b": 2}': "json_why_extra",
}


@pytest.mark.parametrize(("text", "code"), JSON_ERRORS.items(), ids=JSON_ERRORS.values())
def test_each_json_error_is_said_in_our_words(text: str, code: str) -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(text)
    assert json_error_reason(raised.value.msg) == (code, ())
    assert all(t(code, lang) for lang in LANGUAGES)


def test_an_unknown_json_error_still_reads_as_a_sentence() -> None:
    assert json_error_reason("Something new") == ("json_why_other", ())


@pytest.mark.parametrize(("exit_code", "english"), [
    (-9, "stopped by the system (signal 9) before it answered"),
    (1, "stopped without an answer (the check ended with code 1)")])
def test_a_check_that_died_says_how_in_the_readers_words(exit_code: int, english: str) -> None:
    died = OverBudget("ended", Budget(60, 1024), f"signal {-exit_code}", exit_code)
    code, params = over_budget_message(died)
    assert english in t(code, "en", **params)
    assert "signal" not in t(code, "ru", **params) and "code" not in t(code, "kk", **params)


def test_there_are_at_least_30_distinct_malformed_files() -> None:
    assert len({b.id for b in BAD}) == len(BAD) >= 30


def test_row_problem_lines_read_row_field_message(fresh_store: SqlStore) -> None:
    upload = read_upload("results.csv", csv_of("results", with_(RESULT, value="many")))
    lines = plan_from_store(fresh_store, upload).lines()
    assert lines[0] == ("import of results.csv (results): 0 new, 0 changed, 0 unchanged, "
                        "1 rejected")
    assert "row 2: value: 'many' is not a number" in lines


def test_every_bad_row_is_reported_not_just_the_first(fresh_store: SqlStore) -> None:
    upload = read_upload("results.csv", csv_of(
        "results", RESULT, with_(RESULT, result_id="r-b", value="x"),
        with_(RESULT, result_id="r-c", qualifier="roughly"), with_(RESULT, result_id="r-d")))
    report = plan_from_store(fresh_store, upload)
    assert [r.status for r in report.rows] == ["new", "rejected", "rejected", "new"]
    assert [(p.row, p.field) for p in all_problems(report)] == [(3, "value"), (4, "qualifier")]
    assert report.changes()  # what would be written, were the rejected rows fixed
    assert not report.ok


# --- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "entity"), [
    ("results.csv", "results"), ("sites-2025.csv", "sites"), ("Funding flows.xlsx",
                                                                "funding_flows"),
    ("funding-flows_mangystau.csv", "funding_flows"), ("project_sdgs.csv", "project_sdgs"),
    ("projects.csv", "projects"), ("PROJECTS (2).csv", "projects"), ("partners.csv", None),
    ("resultsx.csv", None),
])
def test_entity_from_file_name(name: str, entity: str | None) -> None:
    assert entity_from_name(Path(name).stem) == entity


def test_csv_with_bom_semicolons_and_crlf_reads_like_plain_csv() -> None:
    plain = read_upload("results.csv", csv_of("results", RESULT))
    excel = read_upload("results.csv", table_text("results", [RESULT], delimiter=";")
                        .replace("\n", "\r\n").encode("utf-8-sig"))
    assert plain.problems == excel.problems == []
    assert plain.sheets[0].rows == excel.sheets[0].rows


def test_explicit_entity_wins_over_the_file_name(fresh_store: SqlStore) -> None:
    upload = read_upload("export (3).csv", csv_of("results", RESULT), entity="results")
    assert upload.entities == ["results"] and not upload.problems
    assert plan_from_store(fresh_store, upload).counts["new"] == 1


def test_xlsx_one_sheet_per_entity_help_sheet_skipped(fresh_store: SqlStore) -> None:
    content = workbook({
        "sites": [TABLES_BY_NAME["sites"].column_names,
                  [float(SITE[c]) if c in ("lon", "lat") else SITE.get(c)
                   for c in TABLES_BY_NAME["sites"].column_names]],
        "results": result_sheet(with_(RESULT, site_ids="s-test-kuryk", value=3, phase=2)),
        "help": [["anything"]],
    })
    report = plan_from_store(fresh_store, read_upload("partner.xlsx", content))
    assert report.ok, report.lines()
    assert [(r.entity, r.status, r.row) for r in report.rows] == [
        ("sites", "new", 2), ("results", "new", 2)]


def test_xlsx_blank_rows_keep_the_spreadsheet_row_numbers(fresh_store: SqlStore) -> None:
    sheet = result_sheet(RESULT)
    sheet += [[None], [None], [with_(RESULT, result_id="r-x", value="abc")[c]
                               if c in RESULT else None
                               for c in TABLES_BY_NAME["results"].column_names]]
    report = plan_from_store(fresh_store, read_upload("results.xlsx", workbook({"x": sheet})))
    assert [(p.row, p.field) for p in all_problems(report)] == [(5, "value")]


def test_a_whole_number_beyond_32_bits_is_kept_on_every_engine(fresh_store: SqlStore) -> None:
    # PostgreSQL's INTEGER stops at 2^31 - 1; SQLite's does not: the store keeps whole numbers
    # as 64-bit ones there.
    upload = read_upload("project_sdgs.csv", csv_of("project_sdgs", with_(SDG, rank="99999999999")))
    report = plan_from_store(fresh_store, upload)
    assert report.ok, report.lines()
    apply_import(fresh_store, report, "tester")
    sdgs = fresh_store.load()["project_sdgs"]
    assert sdgs.loc[(sdgs["project_id"] == "glocal") & (sdgs["goal"] == 5), "rank"].tolist() \
        == [99999999999]


HUGE = "123456789012345678901234"  # 24 digits: no 64-bit number holds it exactly


@pytest.mark.parametrize(("entity", "row", "field", "as_xlsx"), [
    ("results", with_(RESULT, unit="people", counts_as_reach="true", value=HUGE), "value", False),
    ("funding_flows", with_(FLOW, amount=HUGE), "amount", False),
    ("project_sdgs", with_(SDG, rank=HUGE), "rank", False),
    ("results", with_(RESULT, unit="people", counts_as_reach="true", value=HUGE), "value", True),
    ("project_sdgs", with_(SDG, rank=HUGE), "rank", True),
], ids=["people-reached", "amount", "whole-number", "people-reached-xlsx", "whole-number-xlsx"])
def test_a_24_digit_number_is_refused_by_row_and_field_and_nothing_changes(
        entity: str, row: dict[str, str], field: str, as_xlsx: bool, fresh_store: SqlStore,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(fresh_store)
    if as_xlsx:  # a number cell, as a spreadsheet keeps it (a float)
        columns = TABLES_BY_NAME[entity].column_names
        cells = [int(row[c]) if c == field else row.get(c, "") for c in columns]
        name, content = f"{entity}.xlsx", workbook({entity: [columns, cells]})
    else:
        name, content = f"{entity}.csv", csv_of(entity, row)
    report = plan_from_store(fresh_store, read_upload(name, content))
    problems = all_problems(report)
    assert [(p.row, p.field, p.code) for p in problems] == [(2, field, "prob_number_too_large")]
    params = dict(problems[0].params)
    assert "is too large a number" in problems[0].message
    assert message_text("prob_number_too_large", "ru", params).endswith(
        "не больше 9\u00a0007\u00a0199\u00a0254\u00a0740\u00a0992)")
    assert "ең көбі 9\u00a0007" in message_text("prob_number_too_large", "kk", params)
    with pytest.raises(ImportRefused):
        apply_import(fresh_store, report, "tester")
    path = tmp_path / name
    path.write_bytes(content)
    assert cli(fresh_store, str(path)) == 1
    assert "too large a number" in capsys.readouterr().out
    assert state(fresh_store) == before


def test_geojson_points_give_lon_and_lat(fresh_store: SqlStore) -> None:
    upload = read_upload("sites.geojson", geojson(point(SITE_PROPS)))
    report = plan_from_store(fresh_store, upload)
    assert report.ok, report.lines()
    after = report.changes()[0].after
    assert after is not None and (after["lon"], after["lat"]) == (51.68116, 43.18032)


def test_missing_optional_columns_keep_the_current_values(fresh_store: SqlStore) -> None:
    row = next(r for r in exported("results") if r["result_id"] == "r-abd-plans")
    columns = ["result_id", "project_id", "indicator", "label_en", "value", "unit", "qualifier",
               "source_ids"]
    upload = read_upload("results.csv", csv_of("results", with_(row, value="14"),
                                               columns=columns))
    report = plan_from_store(fresh_store, upload)
    assert report.ok, report.lines()
    assert [r.differences for r in report.rows] == [[FieldChange("value", "13", "14")]]
    assert any("keep their current values" in n.message for n in report.notes)
    assert any("keep their current values" in line for line in report.lines())


# --- good imports ------------------------------------------------------------------------


@pytest.mark.parametrize("entity", EDITED_ENTITIES)
def test_reimporting_an_exported_table_is_all_unchanged(entity: str,
                                                        fresh_store: SqlStore) -> None:
    spec = TABLES_BY_NAME[entity]
    data = fresh_store.load()
    for name, content in (
            (f"{entity}.csv", table_to_csv(spec, data[entity]).encode()),
            (f"{entity}.xlsx", example_workbook(entity, data[entity].to_dict("records")))):
        report = plan_from_store(fresh_store, read_upload(name, content))
        assert report.ok, report.lines()
        assert report.counts == {"new": 0, "changed": 0, "unchanged": len(data[entity]),
                                 "rejected": 0}, name
        assert report.changes() == []


def test_editing_one_cell_gives_one_changed_row_and_applies(fresh_store: SqlStore,
                                                           tmp_path: Path) -> None:
    before = fresh_store.data_version()
    text = table_to_csv(TABLES_BY_NAME["results"], fresh_store.load()["results"])
    edited = text.replace(",13,plans,derived,", ",14,plans,derived,")
    assert edited != text
    report = plan_from_store(fresh_store, read_upload("results.csv", edited.encode()))
    changed = [r for r in report.rows if r.status == "changed"]
    results = len(fresh_store.load()["results"])
    assert report.ok and len(changed) == 1 and report.counts["unchanged"] == results - 1
    assert changed[0].key == ("r-abd-plans",)
    assert changed[0].differences == [FieldChange("value", "13", "14")]
    assert f"row {changed[0].row}: changed results r-abd-plans: value: '13' -> '14'" \
        in report.lines()
    applied = apply_import(fresh_store, report, "tester")
    assert applied.rows == 1 and applied.data_version != before
    assert fresh_store.data_version() == applied.data_version
    results = fresh_store.load()["results"].set_index("result_id")
    assert results.at["r-abd-plans", "value"] == 14
    # Importing the same file again: nothing left to change.
    again = plan_from_store(fresh_store, read_upload("results.csv", edited.encode()))
    assert again.counts["unchanged"] == len(results)
    # A stale plan (prepared before that apply) is refused, never silently re-applied.
    from atlas.store import StaleEdit

    with pytest.raises(StaleEdit):
        apply_import(fresh_store, report, "tester")


def test_example_file_adds_kuryk_results_and_export_data_has_them(
        fresh_store: SqlStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from atlas.cli import main as atlas_main

    before = fresh_store.data_version()
    report = plan_from_store(fresh_store, read_upload(EXAMPLE.name, EXAMPLE.read_bytes()))
    assert report.ok and report.counts["new"] == 2, report.lines()
    applied = apply_import(fresh_store, report, "tester")
    assert applied.rows == 2 and fresh_store.data_version() != before
    history = fresh_store.history()
    assert history[0].kind == "import" and history[0].user == "tester"
    assert "kuryk-mini-projects.xlsx" in history[0].summary
    # Recorded with its message, which the History page says in the reader's language.
    assert history[0].message == report.summary_message()
    assert history[0].message.params["file"] == "kuryk-mini-projects.xlsx"
    assert history[0].message.params["new"] == 2
    out = tmp_path / "export"
    assert atlas_main(["--store", fresh_store.url, "export-data", "--out", str(out)]) == 0
    exported_results = (out / "results.csv").read_text(encoding="utf-8")
    assert "r-example-kuryk-mini-projects,efca-public-spaces," in exported_results
    assert "ПРИМЕР (проверка импорта)" in exported_results
    data, problems = read_dataset(out)
    assert problems == []


def test_example_file_is_what_the_tool_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "tools"))
    try:
        import make_examples
    finally:
        sys.path.remove(str(REPO_ROOT / "tools"))
    written = make_examples.write_examples(tmp_path)
    committed = read_upload(EXAMPLE.name, EXAMPLE.read_bytes())
    fresh = read_upload(written[0].name, written[0].read_bytes())
    assert committed.sheets[0].rows == fresh.sheets[0].rows
    for row in committed.sheets[0].rows:
        labelled = dict(zip(committed.sheets[0].header, row[1], strict=True))
        assert labelled["site_ids"] == "s-ps-kuryk"
        assert labelled["source_ids"] == "efca-public-spaces-2020"
        assert "not from a source" in labelled["note"]
        assert all(labelled[f"label_{lang}"] for lang in ("en", "ru", "kk"))


# --- templates ---------------------------------------------------------------------------


@pytest.mark.parametrize("entity", EDITED_ENTITIES)
def test_templates_have_the_columns_and_a_help_sheet(entity: str) -> None:
    spec = TABLES_BY_NAME[entity]
    text = template(entity, "csv").decode("utf-8-sig")
    assert text.strip().split(",") == spec.column_names
    book = openpyxl.load_workbook(io.BytesIO(template(entity, "xlsx")))
    assert book.sheetnames == [entity, "help"]
    assert [c.value for c in book[entity][1]] == spec.column_names
    help_text = "\n".join(str(c.value) for row in book["help"].iter_rows() for c in row
                          if c.value)
    for column in spec.columns:
        assert column.name in help_text
        for choice in column.choices:
            assert choice in help_text
    # A template filled with nothing is refused for having no rows, not for its columns.
    upload = read_upload(f"{entity}.xlsx", template(entity, "xlsx"))
    assert [p.message for p in upload.problems] == [
        f"has the column names but no data rows ({entity})"]


# --- the command line --------------------------------------------------------------------


def test_cli_dry_run_writes_nothing(fresh_store: SqlStore,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = state(fresh_store)
    assert cli(fresh_store, str(EXAMPLE), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "2 new, 0 changed, 0 unchanged, 0 rejected" in out
    assert "row 2: new results r-example-kuryk-mini-projects" in out
    assert "dry run: nothing written" in out
    assert state(fresh_store) == before


def test_cli_bad_file_exits_1_even_in_a_dry_run(fresh_store: SqlStore, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(csv_of("results", with_(RESULT, value="-3")))
    assert cli(fresh_store, str(path), "--dry-run") == 1
    assert "row 2: value: is negative (-3)" in capsys.readouterr().out


def test_cli_applies_and_records_the_command_line_user(fresh_store: SqlStore,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    import getpass

    assert cli(fresh_store, str(EXAMPLE)) == 0
    assert "applied as change #" in capsys.readouterr().out
    assert fresh_store.history()[0].user == f"{getpass.getuser()} (command line)"
    assert cli(fresh_store, str(EXAMPLE)) == 0  # again: every row unchanged, nothing to do
    assert "nothing to change" in capsys.readouterr().out


def test_cli_size_cap_reads_no_more_than_the_cap(fresh_store: SqlStore, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "results.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES * 40)  # 200 MB, sparse: never read
    assert cli(fresh_store, str(path)) == 1
    assert "the file is 200.0 MB; the limit is 5 MB" in capsys.readouterr().out


# --- kill in the middle of an import -----------------------------------------------------


def _wait_for_line(stream: Any, text: str, seconds: float) -> Iterator[str]:
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    buffer = b""
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            if text.encode() in buffer:
                yield buffer.decode(errors="replace")
                return
    raise AssertionError(f"no {text!r} within {seconds} s; got {buffer!r}")


def test_kill_mid_import_leaves_the_store_exactly_as_before(fresh_store: SqlStore) -> None:
    before = state(fresh_store)
    env = {**os.environ, "ATLAS_PAUSE_BEFORE_COMMIT": "30", "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "atlas.cli", "--store", fresh_store.url,
                             "import", str(EXAMPLE)],
                            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        next(_wait_for_line(proc.stderr, "atlas: pausing before commit", 120))
        proc.kill()  # SIGKILL: no cleanup, no rollback, the transaction just stops
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -9
    store = SqlStore(fresh_store.url)
    assert state(store) == before
    # ... and usable: the same import now goes through.
    report = plan_from_store(store, read_upload(EXAMPLE.name, EXAMPLE.read_bytes()))
    assert report.counts["new"] == 2
    apply_import(store, report, "tester")
    assert store.data_version() != before[0]


# --- hostile files -----------------------------------------------------------------------
# Each is read in a child process with a generous budget: a reader that does not bound its
# work by what the file holds fails the test (OverBudget) instead of hanging the suite.

SAFETY_NET = Budget(seconds=30, memory_bytes=1024 * 1024 * 1024)
RESULT_COLUMNS = TABLES_BY_NAME["results"].column_names


def bounded_read(filename: str, content: bytes, entity: str | None = None) -> Upload:
    return run_within(SAFETY_NET, read_upload, filename, content, entity)


def result_row(number: int, **changes: str) -> str:
    """A results row of inline-string cells, as raw sheet XML."""
    values = with_(RESULT, **changes)
    return xlsx_parts.row(number, [values.get(c, "") for c in RESULT_COLUMNS])


def results_book(rows: str, dimension: str = "A1", **kw: Any) -> bytes:
    return xlsx_parts.xlsx([("results", xlsx_parts.sheet(
        xlsx_parts.row(1, RESULT_COLUMNS) + rows, dimension))], **kw)


def messages(upload: Upload) -> list[str]:
    return [describe(p) for p in upload.problems]


def test_xlsx_declaring_the_whole_grid_is_read_by_its_real_cells(fresh_store: SqlStore) -> None:
    # openpyxl padded each row to the declared width and walked all 1,048,576 rows.
    lone = xlsx_parts.xlsx([("results", xlsx_parts.sheet(
        '<row r="1048576">' + xlsx_parts.text_cell("XFD1048576", "x") + "</row>",
        "A1:XFD1048576"))])
    assert len(lone) < 5000
    assert messages(bounded_read("book.xlsx", lone)) == [
        "book.xlsx, sheet results: the sheet has a value in cell XFD1048576, beyond column "
        f"{column_letter(MAX_COLUMNS - 1)}: no table has that many columns; delete the cells "
        "to the right of the table"]
    # A good table under the same declared dimension is read as the table it is.
    good = bounded_read("book.xlsx", results_book(result_row(2), "A1:XFD1048576"))
    assert not good.problems and [n for n, _ in good.sheets[0].rows] == [2]
    assert plan_from_store(fresh_store, good).counts["new"] == 1


def test_xlsx_with_a_stale_dimension_reads_every_row(fresh_store: SqlStore) -> None:
    rows = "".join(result_row(n, result_id=f"r-stale-{n}") for n in (2, 3, 4))
    upload = bounded_read("book.xlsx", results_book(rows, "A1:O2"))
    report = plan_from_store(fresh_store, upload)
    assert report.ok and report.counts["new"] == 3, report.lines()
    assert [r.key for r in report.rows] == [("r-stale-2",), ("r-stale-3",), ("r-stale-4",)]


def test_xlsx_rows_out_of_order_and_the_last_row_keep_their_numbers(
        fresh_store: SqlStore) -> None:
    rows = result_row(1_048_576, result_id="r-last") + result_row(3, result_id="r-three")
    merged = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    content = xlsx_parts.xlsx([("results", xlsx_parts.sheet(
        xlsx_parts.row(1, RESULT_COLUMNS) + rows, "A1:XFD1048576", after=merged))])
    report = plan_from_store(fresh_store, bounded_read("book.xlsx", content))
    assert [(r.row, r.key, r.status) for r in report.rows] == [
        (3, ("r-three",), "new"), (1_048_576, ("r-last",), "new")]


SHEET_PART = "xl/worksheets/sheet1.xml"
DAMAGED = {
    "truncated-sheet": (lambda: xlsx_parts.xlsx([("results", xlsx_parts.sheet(
        xlsx_parts.row(1, RESULT_COLUMNS) + result_row(2))[:900])]),
        f"{SHEET_PART} is damaged: not well-formed XML (line 1, column"),
    "bad-cell-reference": (lambda: results_book(
        '<row r="2"><c r="A-2" t="inlineStr"><is><t>x</t></is></c></row>'),
        f"{SHEET_PART} is damaged: 'A-2' is not a cell reference"),
    "cell-beyond-excel": (lambda: results_book(
        '<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>'),
        f"{SHEET_PART} is damaged: 'XFE2' is not a cell reference"),
    "bad-row-number": (lambda: results_book('<row r="0"><c t="inlineStr"><is><t>x</t></is>'
                                            "</c></row>"),
                       f"{SHEET_PART} is damaged: '0' is not a row number (1 to 1,048,576)"),
    "cell-in-another-row": (lambda: results_book(
        '<row r="2"><c r="A7" t="inlineStr"><is><t>x</t></is></c></row>'),
        f"{SHEET_PART} is damaged: cell A7 is inside row 2"),
    "entity-bomb": (lambda: xlsx_parts.xlsx([("results", xlsx_parts.entity_bomb())]),
                    f"{SHEET_PART} contains a document type declaration (DTD)"),
    "sheet-not-xml": (lambda: xlsx_parts.xlsx([("results", bytes(range(256)) * 8)]),
                      f"{SHEET_PART} is damaged: not well-formed XML"),
    "shared-string-out-of-range": (lambda: results_book(
        '<row r="2"><c r="A2" t="s"><v>25</v></c></row>',
        shared=xlsx_parts.shared_strings(*RESULT_COLUMNS)),
        "a cell refers to shared string 25, but xl/sharedStrings.xml has only "
        f"{len(RESULT_COLUMNS)}"),
    "sheet-part-missing": (lambda: zip_without(results_book(result_row(2)), SHEET_PART),
                           f"its part {SHEET_PART} is missing"),
    "number-not-a-number": (lambda: results_book('<row r="2"><c r="E2"><v>12abc</v></c></row>'),
                            f"{SHEET_PART} is damaged: cell E2 holds '12abc', which is not a "
                            "number"),
}


def zip_without(content: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
def test_damaged_workbook_gets_a_message_naming_the_part(case: str, fresh_store: SqlStore,
                                                         tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    make, text = DAMAGED[case]
    upload = bounded_read("book.xlsx", make())
    assert upload.refused and any(text in m for m in messages(upload)), messages(upload)
    path = tmp_path / "book.xlsx"
    path.write_bytes(make())
    assert cli(fresh_store, str(path), "--dry-run") == 1
    assert text in capsys.readouterr().out


BEYOND_LIMITS: dict[str, tuple[Callable[[], bytes], str]] = {
    "rows": (lambda: results_book("".join(result_row(n, result_id=f"r{n}")
                                          for n in range(2, 5004))),
             "the sheet has more than 5,000 data rows; the limit is 5,000 rows per import"),
    "cells": (lambda: results_book("<row>" + "<c/>" * (MAX_CELLS + 1) + "</row>"),
              f"the sheet has more than {MAX_CELLS:,} cells"),
    "shared-strings": (lambda: results_book('<row r="2"><c r="A2" t="s"><v>1999999</v></c></row>',
                                            shared=xlsx_parts.shared_strings(*["a"] * 2_000_000)),
                       "the workbook holds more than 1,000,000 XML elements (the limit was "
                       "reached in xl/sharedStrings.xml)"),
    "sheets": (lambda: xlsx_parts.xlsx([(f"s{i}", xlsx_parts.sheet("")) for i in range(1000)]),
               "the workbook has more than 23 sheets"),
    "huge-cell": (lambda: results_book(result_row(2, note="x" * 40_000)),
                  f"cell {column_letter(RESULT_COLUMNS.index('note'))}2 holds more than 32,767 "
                  "characters"),
    "huge-tag": (lambda: results_book('<row r="2" ' + " ".join(f'a{i}="1"' for i in range(200_000))
                                      + "/>"),
                 f"{SHEET_PART} holds more than 1 MB without the end of a tag"),
}


@pytest.mark.parametrize("case", BEYOND_LIMITS, ids=list(BEYOND_LIMITS))
def test_workbook_beyond_the_limits_is_refused_while_reading(case: str) -> None:
    make, text = BEYOND_LIMITS[case]
    content = make()
    assert len(content) <= MAX_BYTES
    found = messages(bounded_read("book.xlsx", content))
    assert len(found) == 1 and text in found[0], found


def with_central_flag(content: bytes, part: str, flag: int) -> bytes:
    """The archive with ``flag`` set on ``part`` in its central directory (bit 1: encrypted,
    which zipfile cannot write)."""
    out = bytearray(content)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        length = int.from_bytes(out[at + 28:at + 30], "little")
        if bytes(out[at + 46:at + 46 + length]) == part.encode():
            out[at + 8] |= flag
        at += 4
    return bytes(out)


def with_garbled_part(content: bytes, part: str) -> bytes:
    """The archive with the middle of ``part``'s compressed data overwritten."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    out = bytearray(content)
    out[middle:middle + 16] = b"\xff" * 16
    return bytes(out)


BAD_WORKBOOKS: dict[str, Callable[[], bytes]] = {
    **{name: make for name, (make, _) in DAMAGED.items()},
    **{name: make for name, (make, _) in BEYOND_LIMITS.items()},
    "encrypted-part": lambda: with_central_flag(results_book(result_row(2)), SHEET_PART, 1),
    "garbled-part": lambda: with_garbled_part(results_book(result_row(2, note="x" * 3000)),
                                              SHEET_PART),
    "cut-short": lambda: results_book(result_row(2))[:700],
    "beyond-column": lambda: results_book('<row r="2"><c r="AZ2"><v>1</v></c></row>'),
    # The sheet's name is the user's own, shown as it is.
    "two-sheets-one-name": lambda: xlsx_parts.xlsx([("данные", xlsx_parts.sheet("")),
                                                    ("Данные", xlsx_parts.sheet(""))]),
    "no-shared-strings": lambda: results_book('<row r="2"><c r="A2" t="s"><v>0</v></c></row>'),
}


@pytest.mark.parametrize("case", BAD_WORKBOOKS, ids=list(BAD_WORKBOOKS))
def test_a_refused_workbook_is_told_in_russian_and_kazakh_without_english(case: str) -> None:
    """Pages show a message code of ours in the reader's language; what the XML parser, zipfile
    or zlib said (English) stays in the English message, for the command line and the log."""
    from atlas.ui.problems import problem_text
    from tests.pages.test_no_english import english_words

    problems = bounded_read("book.xlsx", BAD_WORKBOOKS[case]()).problems
    assert len(problems) == 1, [p.message for p in problems]
    problem = problems[0]
    assert problem.code.startswith(("prob_imp_wb_", "prob_imp_damaged_xlsx")), problem
    for lang in ("ru", "kk"):
        text = problem_text(problem, lang)
        assert not english_words(text, frozenset()), (lang, text)
        assert "{" not in text and problem.message not in text, (lang, text)


def test_csv_of_absurd_width_gets_one_message_at_once() -> None:
    # 50,000 columns took 34 s and gave 50,000 messages; 700,000 never finished.
    for width in (50_000, 700_000):
        content = ",".join(f"c{i % 1000}" for i in range(width)).encode() + b"\n"
        assert len(content) <= MAX_BYTES
        assert messages(bounded_read("results.csv", content)) == [
            f"row 1: has {width:,} cells: no table of the atlas has more than {WIDEST} columns "
            f"(projects), and at most {MAX_COLUMNS} are read; is this the right file?"]
    # Empty cells past the table (Excel's trailing commas) are noise, not columns.
    padded = csv_of("results", RESULT).replace(b"\n", b"," * 5000 + b"\n")
    assert not bounded_read("results.csv", padded).problems


def test_csv_rows_past_the_limit_are_counted_not_kept() -> None:
    content = many_results(30_000)[:MAX_BYTES]
    content = content[:content.rindex(b"\n") + 1]
    data_rows = content.count(b"\n") - 1
    assert messages(bounded_read("results.csv", content)) == [
        f"results.csv: the file has {data_rows:,} data rows; the limit is 5,000 rows per "
        "import: split it into smaller files"]


def test_geojson_with_thousands_of_property_names_gets_one_message() -> None:
    # 30,000 keys took 24 s (a list searched for each key) and failed key by key.
    content = geojson(point({**SITE_PROPS, **{f"k{i}": 1 for i in range(30_000)}}))
    assert messages(bounded_read("sites.geojson", content)) == [
        f"sites.geojson: the features have more than {MAX_COLUMNS} different properties: no "
        f"table of the atlas has more than {WIDEST} columns (projects); is this the right file?"]


@pytest.mark.parametrize("content", [
    b"[" * 100_000 + b"]" * 100_000,
    json.dumps({"type": "FeatureCollection", "features": [point(SITE_PROPS)]}).replace(
        "[51.68116, 43.18032]", "[" * 50_000 + "]" * 50_000).encode(),
], ids=["array", "coordinates"])
def test_geojson_nested_deeper_than_a_point_needs_is_refused_before_parsing(
        content: bytes) -> None:
    found = messages(bounded_read("sites.geojson", content))
    assert len(found) == 1 and "levels deep; a GeoJSON file of points needs 5 and at most " \
        f"{MAX_JSON_DEPTH} are read" in found[0], found


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth('{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth('"]]]]" ') == 0 and json_depth('[["\\"[["]]') == 2


@pytest.mark.parametrize(("bad", "label"), [
    ("\x00", "U+0000 (NUL)"), ("\x07", "U+0007"), ("\x1b[31m", "U+001B"), ("\x7f", "U+007F (DEL)"),
], ids=["nul", "bell", "escape", "del"])
def test_control_characters_are_refused_anywhere_with_row_and_column(
        bad: str, label: str, fresh_store: SqlStore) -> None:
    # Far past the first 4 KB, where decode_text used to look for NUL bytes.
    late = csv_of("results", *[with_(RESULT, result_id=f"r-{i}", note="x" * 100)
                               for i in range(60)], with_(RESULT, note=f"a{bad}b"))
    assert late.index(bad.encode()) > 4096
    found = messages(bounded_read("results.csv", late))
    assert found == [f"row 62: note: contains the control character {label}: control "
                     "characters are refused; remove it (it may come from a copy from another "
                     "program)"]
    # Excel writes a control character in a cell as _xHHHH_ (XML cannot hold most of them).
    escaped = "".join(f"_x{ord(c):04X}_" if ord(c) < 32 else c for c in bad)
    found = messages(bounded_read("book.xlsx", results_book(result_row(2, label_en=escaped))))
    assert found == [f"row 2: label_en: contains the control character {label}: control "
                     "characters are refused; remove it (it may come from a copy from another "
                     "program)"]
    site = geojson(point({**SITE_PROPS, "name_en": f"Kuryk{bad}"}))
    lines = plan_from_store(fresh_store, bounded_read("sites.geojson", site)).lines()
    assert f"feature 1: name_en: contains the control character {label}: control characters " \
        "are refused; remove it (it may come from a copy from another program)" in lines


def test_a_file_of_nul_bytes_is_refused_for_them_not_taken_for_utf16() -> None:
    assert messages(bounded_read("results.csv", b"\0" * 10_000)) == [
        "row 1: column A: contains the control character U+0000 (NUL) (and 9,999 more control "
        "characters in the file): control characters are refused; remove it (it may come from "
        "a copy from another program)"]


def test_tabs_and_line_breaks_inside_cells_are_text() -> None:
    content = csv_of("results", with_(RESULT, note="line one\r\nline\ttwo"))
    assert not bounded_read("results.csv", content).problems


@pytest.mark.parametrize("name", [
    "results\nrow 2: new results r-fake.csv", "results\r.csv", "results\u2028x.csv",
    "results\x1b[2J.csv", "\u202eresults.csv", "results" + "x" * 5000 + ".csv",
], ids=["newline", "cr", "line-separator", "escape", "bidi", "long"])
def test_file_name_is_shown_without_control_characters(name: str, fresh_store: SqlStore,
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    upload = read_upload(name, csv_of("results", with_(RESULT, value="x")))
    shown = upload.filename
    assert shown.isprintable() and len(shown) <= 120 and shown.endswith(".csv")
    report = plan_from_store(fresh_store, upload)
    assert all("\n" not in line and line.isprintable() for line in report.lines())
    assert shown in report.summary()
    if len(name) < 255:  # the file system's limit on a name
        path = tmp_path / name
        path.write_bytes(csv_of("results", with_(RESULT, value="x")))
        assert cli(fresh_store, str(path), "--dry-run") == 1
        out = capsys.readouterr().out.splitlines()
        assert out[0].startswith(f"import of {shown} (results)")
        assert not [line for line in out if line.startswith("row 2: new results")]


def test_cli_checks_the_file_within_the_budget(fresh_store: SqlStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(many_results(MAX_ROWS))
    monkeypatch.setattr(importing, "IMPORT_BUDGET", Budget(seconds=0.05,
                                                           memory_bytes=1024 ** 3))
    assert cli(fresh_store, str(path), "--dry-run") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == ("results.csv: checking the file took more than 0 seconds and was stopped "
                      "(a file of 5,000 rows takes a few seconds): is this the right file? If "
                      "it is, split it into smaller files")


# --- sites without a point ------------------------------------------------------------------


NATIONAL_PROPS = {**SITE_PROPS, "site_id": "s-test-nationwide", "level": "national",
                  "region_code": "", "precision": "national", "district_en": ""}


def test_a_geojson_feature_with_null_geometry_may_be_a_nationwide_site(
        fresh_store: SqlStore) -> None:
    feature = {"type": "Feature", "properties": NATIONAL_PROPS, "geometry": None}
    report = plan_from_store(fresh_store, read_upload("sites.geojson", geojson(feature)))
    assert report.ok, report.lines()
    after = report.changes()[0].after
    assert after is not None and after["lon"] is None and after["lat"] is None
    assert after["precision"] == "national"


def test_a_null_geometry_of_a_site_with_a_point_precision_says_what_it_could_be(
        fresh_store: SqlStore) -> None:
    feature = {"type": "Feature", "properties": SITE_PROPS, "geometry": None}
    report = plan_from_store(fresh_store, read_upload("sites.geojson", geojson(feature)))
    (problem,) = [p for p in all_problems(report) if p.field == "geometry"]
    assert "is missing: only Point features" in problem.message
    assert "precision 'region' or 'national' and a null geometry" in problem.message


def test_a_whole_region_site_given_a_point_gets_one_message_not_a_swap_hint(
        fresh_store: SqlStore) -> None:
    # Swapped coordinates of Kuryk: outside Kazakhstan, and swapped they lie in Mangystau.
    props = {**SITE_PROPS, "site_id": "s-test-region", "level": "region",
             "precision": "region"}
    upload = read_upload("sites.geojson", geojson(point(props, lon=43.18032, lat=51.68116)))
    report = plan_from_store(fresh_store, upload)
    messages_of = [(p.field, p.message) for p in all_problems(report)]
    assert not any("swapped" in m for _, m in messages_of), messages_of
    assert any(f == "lon" and "must be empty for a site of precision 'region'" in m
               for f, m in messages_of), messages_of
