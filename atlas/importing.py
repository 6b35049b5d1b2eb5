"""Spreadsheet import: read a CSV, Excel or GeoJSON file, check it row by row, then apply it.

``read_upload`` turns the bytes of a file into rows of text (refusing the file as a whole when it
cannot be trusted: too big, wrong encoding, missing or unknown columns...). ``plan_import``
compares every row with the store and says what it would do: new, changed (with the differences),
unchanged or rejected (row, field, reason). It runs ``atlas.validate.validate`` on the store's
data set with the file's rows merged in, so every rule of ``atlas validate`` applies, and reports
its problems with the file's own row numbers. ``apply_import`` hands the new and changed rows to
the store in one transaction; nothing is written when any row is rejected.

Row numbers are the ones a person sees in a spreadsheet: the header is row 1. GeoJSON files are
numbered by feature (the first feature is feature 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import errno
import io
import json
import logging
import re
import secrets
import zipfile
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import geo, xlsx_cells
from atlas.budget import Budget, OverBudget, WorkFailed, run_within
from atlas.change_summary import SummaryMessage, import_summary
from atlas.dataset import (
    DataSet,
    LineNumbers,
    Number,
    Problem,
    format_cell,
    frame_from_records,
    is_missing,
    message_text,
    nested,
    parse_table,
    split_ids,
)
from atlas.model import (
    CURRENCIES,
    POINTLESS_PRECISIONS,
    QUALIFIERS,
    TABLES,
    TABLES_BY_NAME,
    Column,
    TableSpec,
)
from atlas.store import AppliedChange, RowChange, SqlStore, row_key
from atlas.validate import Message, formula_refusal, message
from atlas.xlsx_cells import column_letter

MAX_BYTES = 5 * 1024 * 1024
# IATI activity XML (atlas.iati.read.MAX_BYTES, kept equal by a test; not imported here, so the
# spreadsheet path does not load lxml).
IATI_MAX_BYTES = 20 * 1024 * 1024
# The largest file any import reads (the upload route takes no more).
MAX_UPLOAD_BYTES = max(MAX_BYTES, IATI_MAX_BYTES)
# Notes of an IATI import the command line prints before "... and N more".
MAX_NOTES_PRINTED = 200
MAX_ROWS = 5_000
# An .xlsx is a zip: a small file can unpack to gigabytes. Refuse before anything unpacks it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_WIDEST = max(TABLES, key=lambda spec: len(spec.columns))
# Room for a few misspelled or extra columns (each reported by name) beyond the widest table;
# anything wider is not a table of the atlas and is refused at once, before any per-column work.
MAX_COLUMNS = len(_WIDEST.columns) + 10
# Every cell a sheet of the limits can hold, empty (formatted) cells included.
MAX_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS
# A FeatureCollection of points is 5 levels deep; json.loads recurses once per level.
MAX_JSON_DEPTH = 32
MAX_NAME_CHARS = 120
# What checking one file may take: a 5,000-row file takes a few seconds and about 150 MB.
IMPORT_BUDGET = Budget(seconds=60.0, memory_bytes=1024 * 1024 * 1024)
IMPORTABLE: tuple[str, ...] = tuple(t.name for t in TABLES)
# The entities staff edit; each has a template on the import page.
EDITED_ENTITIES: tuple[str, ...] = (
    "projects", "organizations", "participants", "sites", "funding_flows", "results",
)
HELP_SHEET = "help"
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def _mojibake_pattern() -> re.Pattern[str]:
    """UTF-8 Cyrillic read as Windows-1252/Latin-1 ("Ð¡Ð¾") or as Windows-1251 ("РЎРѕ")."""
    def follow(lead: int, low: int, high: int, encoding: str) -> str:
        first = bytes([lead]).decode(encoding)
        rest = bytes(range(low, high + 1)).decode(encoding, errors="ignore")
        return f"{re.escape(first)}[{re.escape(rest)}]"

    parts = [follow(0xD0, 0x80, 0xBF, "cp1252"), follow(0xD1, 0x80, 0x9F, "cp1252"),
             follow(0xD0, 0x80, 0xBF, "latin-1"), follow(0xD1, 0x80, 0x9F, "latin-1"),
             follow(0xD0, 0x90, 0xBF, "cp1251"), follow(0xD1, 0x80, 0x8F, "cp1251")]
    return re.compile("|".join(parts))


_MOJIBAKE = _mojibake_pattern()
# C0 controls but tab, CR and LF, and DEL: never part of a value someone typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a shown name must not carry: every control character, line and paragraph separators
# (replaced by a space), and invisible format characters such as bidi overrides (removed).
_NAME_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NAME_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb]")
# The tables a reference may point at, by the noun a message names their rows with.
_NOUNS = {
    "projects": "project", "organizations": "organization", "sources": "source",
    "sites": "site", "results": "result", "places": "place", "regions": "region",
}
Status = Literal["new", "changed", "unchanged", "rejected"]
_log = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """The import cannot be applied: the file or some of its rows were rejected."""


# --- reading -----------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows of one entity read from a file, as text, with the row numbers a person sees."""

    entity: str
    label: str  # how messages name it: "results.csv", "book.xlsx, sheet results"
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells in header order); blank rows dropped
    unit: str = "row"  # "feature" in GeoJSON
    problems: list[Problem] = field(default_factory=list)  # cells refused while reading
    # Where each row comes from when row numbers mean nothing to a person (an IATI file:
    # "activity XM-DAC-1-2, location[2]"), by row number.
    origins: dict[int, str] = field(default_factory=dict)
    # A spreadsheet's amounts must be in a currency the atlas can convert (a typo is likelier
    # than a new currency); an IATI file's stay in the currency the donor reported, with a note.
    needs_rates: bool = True


@dataclass
class Upload:
    """A file read for import: its sheets, or why the whole file is refused."""

    filename: str
    size: int
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # any: the file is refused

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def entities(self) -> list[str]:
        return [s.entity for s in self.sheets]


def printable(text: str) -> str:
    """``text`` on one line, as messages may echo it: control characters and line breaks become
    spaces, invisible format characters (bidi overrides...) are removed."""
    return _NAME_INVISIBLE.sub("", _NAME_BREAKS.sub(" ", text)).strip()


def shown_name(filename: str) -> str:
    """The name of an uploaded file as the importer shows it: its last path part, printable,
    at most MAX_NAME_CHARS characters (the middle cut, so the type stays visible)."""
    base = printable(PurePath(filename.replace("\\", "/")).name)
    if len(base) > MAX_NAME_CHARS:
        base = base[:MAX_NAME_CHARS - 21] + "…" + base[-20:]
    return base or "upload"


def control_character_problem(label: str, row: int | None, column: str | None, text: str,
                              more: int = 0) -> Problem | None:
    """The refusal of a cell holding a control character (None when it holds none)."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    number = ord(found[0])
    name = {0: " (NUL)", 0x7F: " (DEL)"}.get(number, "")
    if more > 0:
        return Problem.coded(label, row, column, "prob_imp_control_more",
                             character=f"U+{number:04X}{name}", more=more)
    return Problem.coded(label, row, column, "prob_imp_control", character=f"U+{number:04X}{name}")


_SHEET_OF = ", sheet "


def sheet_label(file: str, sheet: str) -> str:
    """How a message names a sheet of a workbook (in English: pages say it with
    ``sheet_of``'s parts in the reader's language)."""
    return f"{file}{_SHEET_OF}{sheet}"


def sheet_of(label: str, file: str) -> str | None:
    """The sheet ``label`` names when it is ``sheet_label(file, <sheet>)``; None for the file
    itself or any other place. ``file`` is known, so a comma in either name misleads nothing."""
    prefix = f"{file}{_SHEET_OF}"
    return label[len(prefix):] if label.startswith(prefix) and len(label) > len(prefix) else None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def is_iati_name(filename: str) -> bool:
    """True for a file the importer reads as IATI activity XML (by its name: ``.xml``)."""
    return PurePath(filename).suffix.casefold() == ".xml"


def size_limit(filename: str) -> int:
    """The most bytes an import of this file may have: IATI publisher files are larger than
    any spreadsheet (one activity is a few KB of XML) and are read as a stream."""
    return IATI_MAX_BYTES if is_iati_name(filename) else MAX_BYTES


def size_problem(filename: str, size: int) -> Problem | None:
    """The refusal of a file larger than its limit (None when it is small enough)."""
    limit = size_limit(filename)
    if size <= limit:
        return None
    return Problem.coded(filename, None, None, "prob_imp_too_big",
                         size=Number(size / (1024 * 1024), 1), limit=limit // (1024 * 1024))


def _normalized_name(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def entity_from_name(name: str) -> str | None:
    """The table a file or sheet name stands for: ``results``, ``sites-2025``, ``Funding flows``.

    The longest table name the normalized name starts with, followed by nothing or a separator.
    """
    norm = _normalized_name(name)
    found = [t for t in IMPORTABLE
             if norm == t or (norm.startswith(t) and not norm[len(t)].isalnum())]
    return max(found, key=len) if found else None


def table_named(name: str) -> str | None:
    """The table a sheet's name is, nothing added (``results``, ``Funding flows``), else None:
    such a name is the atlas's own, and a page may give it in the reader's language."""
    norm = _normalized_name(name)
    return norm if norm in IMPORTABLE else None


def _entity_list() -> str:
    return ", ".join(IMPORTABLE)


def read_upload(filename: str, content: bytes, entity: str | None = None) -> Upload:
    """Read an uploaded CSV, .xlsx or GeoJSON file into sheets of text rows.

    Never raises on bad content: a file that cannot be imported comes back with ``problems``.
    The entity of a sheet is its sheet name, else ``entity``, else the file name's stem.
    """
    name = shown_name(filename)
    upload = Upload(name, len(content))

    def refuse(code: str, **params: Any) -> Upload:
        upload.problems.append(Problem.coded(name, None, None, code, **params))
        return upload

    if entity is not None and entity not in TABLES_BY_NAME:
        return refuse("prob_imp_not_a_table", value=repr(entity), tables=_entity_list())
    too_big = size_problem(name, len(content))
    if too_big:
        upload.problems.append(too_big)
        return upload
    if not content.strip():
        return refuse("prob_file_empty")
    suffix = PurePath(name).suffix.casefold()
    is_zip = content.startswith(b"PK\x03\x04")
    is_ole = content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if is_ole:
        return refuse("prob_imp_old_or_locked_excel")
    if suffix in (".xlsx", ".xlsm") or (is_zip and suffix in (".csv", ".txt", "")):
        if not is_zip:
            return refuse("prob_imp_not_xlsx")
        _read_xlsx(upload, content, entity)
    elif suffix in (".csv", ".txt", ".tsv"):
        _read_csv(upload, content, entity)
    elif suffix in (".geojson", ".json"):
        _read_geojson(upload, content, entity)
    elif suffix == ".xls":
        return refuse("prob_imp_xls")
    elif suffix == ".xml":  # needs the atlas's data to match bodies and projects
        return refuse("prob_imp_iati_alone")
    else:
        return refuse("prob_imp_file_type", suffix=repr(suffix or "(none)"))
    if not upload.problems:
        rows = sum(len(s.rows) for s in upload.sheets)
        if rows > MAX_ROWS:
            refuse("prob_imp_too_many_rows", rows=rows, limit=MAX_ROWS)
    return upload


def _guess_single_byte(content: bytes) -> str:
    """A guess at the encoding of a non-UTF-8 file, for the refusal message: koi8r,
    cp1251 or latin."""
    # Cyrillic text is words of high bytes; Western text has one accented letter among ASCII.
    runs = [len(m) for m in re.findall(rb"[\x80-\xff]+", content)]
    if runs and sum(runs) / len(runs) >= 2.5:
        high = [b for b in content if b >= 0xC0]
        koi_lower = sum(1 for b in high if b <= 0xDF)
        if koi_lower > (len(high) - koi_lower) * 1.5:
            return "koi8r"
        return "cp1251"
    return "latin"


def decode_text(content: bytes) -> tuple[str | None, Message | None]:
    """The text of a UTF-8 file (BOM or not), or None and why it is not UTF-8."""
    if content.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, message("prob_imp_utf32")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, message("prob_imp_utf16")
    head = content[:4096]
    if b"\x00" in head:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        # UTF-16 puts its zero bytes on one side only (ASCII "a" is 61 00); NUL padding both.
        if max(even, odd) > len(head) // 8 and min(even, odd) < max(even, odd) // 8:
            return None, message("prob_imp_utf16_no_bom")
    # Other NUL bytes are control characters: refused by the reader, by row and column.
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, message(f"prob_imp_looks_{_guess_single_byte(content)}",
                             byte=f"0x{content[exc.start]:02x}", position=str(exc.start))


def _read_csv(upload: Upload, content: bytes, entity: str | None) -> None:
    name = upload.filename
    text, why = decode_text(content)
    if text is None:
        code, params = why or message("prob_imp_unreadable")
        upload.problems.append(Problem.coded(name, None, None, code, **params))
        return
    entity = entity or entity_from_name(PurePath(name).stem)
    if entity is None:
        upload.problems.append(_no_entity(name))
        return
    first = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    # Excel on a Russian or Kazakh system writes ";" between cells; ids inside cells use ";"
    # too, but never in the header, so the header decides.
    delimiter = max([",", ";", "\t"], key=first.count) if first else ","
    if re.fullmatch(r"sep=.", first, re.IGNORECASE):
        # Excel's "sep=;" line: a directive Excel hides, so the header is still row 1 there.
        delimiter = first[-1]
        text = text.lstrip("\r\n").split("\n", 1)[1] if "\n" in text else ""
    numbered = _csv_rows(upload, text, delimiter)
    if numbered is None:
        return
    sheet = _sheet(upload, name, entity, numbered, "row")
    if sheet is None:
        return
    for row_no, cells in sheet.rows:
        for column, cell in zip(sheet.header, cells, strict=False):
            if cell.lstrip().startswith("="):
                sheet.problems.append(_formula_problem(name, row_no, column, cell))
    upload.sheets.append(sheet)


def _csv_rows(upload: Upload, text: str, delimiter: str) -> list[tuple[int, list[str]]] | None:
    """The non-blank rows of a CSV text, numbered; None when the file is refused.

    Work stops at the limits: no row wider than MAX_COLUMNS is kept, no row after the
    MAX_ROWS-th data row (the rest is only counted, for the message).
    """
    name = upload.filename
    controls = len(text) - len(_CONTROL.sub("", text))
    numbered: list[tuple[int, list[str]]] = []
    data_rows = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > MAX_COLUMNS:
                if "".join(row[MAX_COLUMNS:]).strip():
                    upload.problems.append(_width_problem(name, number, len(row)))
                    return None
                del row[MAX_COLUMNS:]  # empty cells past any table: spreadsheet noise
            if not any(cell.strip() for cell in row):
                continue
            if controls:
                header = numbered[0][1] if numbered else []
                for index, cell in enumerate(row):
                    problem = control_character_problem(
                        name, number, _column_name(header, index), cell, controls - 1)
                    if problem:
                        upload.problems.append(problem)
                        return None
            if numbered:
                data_rows += 1
            if data_rows <= MAX_ROWS:
                numbered.append((number, row))
    except csv.Error as exc:
        # Python's reader words its errors in English for programmers: say it our way.
        _log.info("CSV reader stopped in %s at line %s: %s", name, reader.line_num, exc)
        if "field limit" in str(exc):
            problem = Problem.coded(name, None, None, "prob_imp_csv_cell_too_long",
                                    line=reader.line_num, limit=csv.field_size_limit())
        else:
            problem = Problem.coded(name, None, None, "prob_imp_bad_csv", line=reader.line_num)
        upload.problems.append(problem)
        return None
    if data_rows > MAX_ROWS:
        upload.problems.append(Problem.coded(name, None, None, "prob_imp_too_many_rows",
                                             rows=data_rows, limit=MAX_ROWS))
        return None
    return numbered


def _column_name(header: Sequence[str], index: int) -> str:
    """How a message names a cell's column: its header name, else its letter."""
    name = header[index].strip() if index < len(header) else ""
    return printable(name)[:60] if name else f"column {column_letter(index)}"


def _width_problem(label: str, row: int | None, width: int) -> Problem:
    return Problem.coded(label, row, None, "prob_imp_too_wide", width=width,
                         most=len(_WIDEST.columns), table=_WIDEST.name, read=MAX_COLUMNS)


def _formula_problem(label: str, row: int, column: str, text: str) -> Problem:
    code, params = formula_refusal(text)
    return Problem.coded(label, row, column, code, **params)


def _no_entity(name: str) -> Problem:
    return Problem.coded(name, None, None, "prob_imp_no_table", name=repr(name),
                         tables=_entity_list())


def _sheet(upload: Upload, label: str, entity: str, numbered: Sequence[tuple[int, list[str]]],
           unit: str) -> Sheet | None:
    """Check the header against the entity's columns; refuse the file on any header problem."""
    spec = TABLES_BY_NAME[entity]
    rows = [(n, [c if isinstance(c, str) else str(c) for c in cells]) for n, cells in numbered
            if any(str(c).strip() for c in cells)]
    if not rows:
        empty = "prob_file_empty" if label == upload.filename else "prob_imp_sheet_empty"
        upload.problems.append(Problem.coded(label, None, None, empty))
        return None
    header_no_seen, raw_header = rows[0]
    header_no = header_no_seen or None  # GeoJSON has no header row: its names are properties
    data = rows[1:]
    header = [h.strip().casefold() for h in raw_header]
    # Trailing columns without a name and without values are spreadsheet noise, not columns.
    while header and header[-1] == "" and not any(
            len(cells) >= len(header) and cells[len(header) - 1].strip() for _, cells in data):
        header.pop()
    if len(header) > MAX_COLUMNS:  # the readers stop sooner; this guards any other caller
        upload.problems.append(_width_problem(label, header_no, len(header)))
        return None
    problems = []
    for i, name in enumerate(header):
        letter = column_letter(i)
        if name == "":
            problems.append(Problem.coded(label, header_no, f"column {letter}",
                                          "prob_imp_unnamed_column"))
        elif name not in spec.column_names:
            close = difflib.get_close_matches(name[:100], spec.column_names, n=1)
            columns = ", ".join(spec.column_names)
            problems.append(
                Problem.coded(label, header_no, _column_name(header, i),
                              "prob_imp_unknown_column_close", close=repr(close[0]),
                              table=entity, columns=columns) if close else
                Problem.coded(label, header_no, _column_name(header, i),
                              "prob_imp_unknown_column", table=entity, columns=columns))
    counts = Counter(header)
    for name in sorted(h for h, n in counts.items() if h and n > 1):
        problems.append(Problem.coded(label, header_no, name, "prob_imp_column_twice"))
    for column in spec.columns:
        if column.required and column.name not in header:
            if unit == "feature":
                problems.append(Problem.coded(label, header_no, column.name,
                                              "prob_imp_property_missing"))
            elif header_no:
                problems.append(Problem.coded(label, header_no, column.name,
                                              "prob_imp_column_missing_at", row=str(header_no)))
            else:
                problems.append(Problem.coded(label, header_no, column.name,
                                              "prob_column_missing"))
    if problems:
        upload.problems.extend(problems)
        return None
    if not data:
        upload.problems.append(Problem.coded(label, None, None, "prob_imp_no_rows",
                                             table=entity))
        return None
    width = len(header)
    body = []
    for n, cells in data:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            upload.problems.append(Problem.coded(label, n, None, "prob_imp_row_too_wide",
                                                 cells=len(cells), width=width))
        body.append((n, (cells + [""] * width)[:width]))
    return Sheet(entity, label, header, body, unit)


def _cell_text(value: Any) -> str:
    """The text of a spreadsheet or JSON value, in the form the CSV files use."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)  # text, and durations as 1 day, 2:00:00


def _read_xlsx(upload: Upload, content: bytes, entity: str | None) -> None:
    name = upload.filename
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                upload.problems.append(Problem.coded(
                    name, None, None, "prob_imp_unpacks_too_big",
                    size=Number(unpacked / (1024 * 1024), 1),
                    limit=MAX_UNPACKED_BYTES // (1024 * 1024)))
                return
            book = xlsx_cells.Workbook(archive, _XLSX_LIMITS)
            sheets = [ref for ref in book.sheets
                      if not ref.title.strip().casefold().startswith(HELP_SHEET)]
            titles = {ref.part: printable(ref.title)[:40] for ref in sheets}
            if len(set(titles.values())) < len(titles):  # distinct only by hidden characters
                upload.problems.append(Problem.coded(name, None, None,
                                                     "prob_imp_same_sheet_names"))
                return
            chosen = _choose_sheets(upload, list(titles.values()), entity)
            if upload.problems:
                return  # refused already: no sheet is read
            picked = [ref for ref in sheets if titles[ref.part] in chosen]
            cells = book.read(picked)
            for ref in picked:
                _read_worksheet(upload, sheet_label(name, titles[ref.part]),
                                chosen[titles[ref.part]], cells[ref.part])
    except xlsx_cells.WorkbookRefused as exc:
        # Pages show the message code in the reader's language; the English sentence, with
        # what the parser said, is for the command line and the log.
        where = sheet_label(name, printable(exc.sheet)[:40]) if exc.sheet is not None else name
        params = {k: printable(v)[:40] if isinstance(v, str) else v
                  for k, v in exc.params.items()}
        _log.info("workbook %s refused: %s", name, exc.message)
        upload.problems.append(Problem(where, None, None, exc.message, exc.code,
                                       tuple(params.items())))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError) as exc:
        _log.info("workbook %s cannot be opened: %s", name, exc)
        upload.problems.append(Problem(
            name, None, None, f"{message_text('prob_imp_damaged_xlsx', 'en', {})} ({exc})",
            "prob_imp_damaged_xlsx"))


_XLSX_LIMITS = xlsx_cells.Limits(data_rows=MAX_ROWS, columns=MAX_COLUMNS, cells=MAX_CELLS,
                                 sheets=len(TABLES) + 10)


def _choose_sheets(upload: Upload, titles: list[str], entity: str | None) -> dict[str, str]:
    """Which sheet holds which entity; refuses sheets it cannot place."""
    name = upload.filename
    if not titles:
        upload.problems.append(Problem.coded(name, None, None, "prob_imp_no_sheet"))
        return {}
    by_title = {title: entity_from_name(title) for title in titles}
    if entity is not None:
        named = [t for t, e in by_title.items() if e == entity]
        if named:
            return {named[0]: entity}
        if len(titles) == 1:
            return {titles[0]: entity}
        upload.problems.append(Problem.coded(name, None, None, "prob_imp_no_sheet_named",
                                             table=entity, sheets=", ".join(titles)))
        return {}
    stem_entity = entity_from_name(PurePath(name).stem)
    if len(titles) == 1 and by_title[titles[0]] is None:
        if stem_entity is None:
            upload.problems.append(_no_entity(name))
            return {}
        return {titles[0]: stem_entity}
    chosen: dict[str, str] = {}
    for title, found in by_title.items():
        if found is None:
            upload.problems.append(Problem.coded(sheet_label(name, title), None, None,
                                                 "prob_imp_sheet_not_a_table",
                                                 tables=_entity_list()))
        elif found in chosen.values():
            upload.problems.append(Problem.coded(sheet_label(name, title), None, None,
                                                 "prob_imp_second_sheet", table=found))
        else:
            chosen[title] = found
    return chosen


def _read_worksheet(upload: Upload, label: str, entity: str, rows: xlsx_cells.Rows) -> None:
    numbered: list[tuple[int, list[str]]] = []
    refused: list[tuple[int, int, str, Any]] = []  # (row, column index, "formula"|"error", value)
    header: list[str] | None = None
    problems_before = len(upload.problems)
    for row_no, cells in rows:
        texts = [""] * (cells[-1].column + 1)
        for cell in cells:
            if cell.kind == "value":
                texts[cell.column] = _cell_text(cell.value)
            else:
                refused.append((row_no, cell.column, cell.kind, cell.value))
        if any(t.strip() for t in texts):
            for index, text in enumerate(texts):
                problem = control_character_problem(label, row_no,
                                                    _column_name(header or [], index), text)
                if problem:
                    upload.problems.append(problem)
                    return
            header = texts if header is None else header
        numbered.append((row_no, texts))
    header_no = next((n for n, texts in numbered if any(t.strip() for t in texts)), 0)
    for row, index, kind, value in refused:
        if row <= header_no:  # where the column names belong: not a data row
            upload.problems.append(_refused_cell(label, row, f"column {column_letter(index)}",
                                                 kind, value))
    refused_here = len(upload.problems) > problems_before
    sheet = None if refused_here else _sheet(upload, label, entity, numbered, "row")
    if sheet is None:
        return
    data_rows = {n for n, _ in sheet.rows}
    for row, index, kind, value in refused:
        if index >= len(sheet.header) or row <= header_no:
            continue
        column = sheet.header[index]
        if row not in data_rows:
            # A row holding nothing but formulas: still a row the person meant to import.
            sheet.rows.append((row, [""] * len(sheet.header)))
            data_rows.add(row)
        sheet.problems.append(_refused_cell(label, row, column, kind, value))
    sheet.rows.sort(key=lambda item: item[0])
    # Text cells that start with "=" are formulas waiting to happen once re-exported.
    for n, row_texts in sheet.rows:
        for column, text in zip(sheet.header, row_texts, strict=True):
            if text.lstrip().startswith("="):
                sheet.problems.append(_formula_problem(label, n, column, text))
    upload.sheets.append(sheet)


def _refused_cell(label: str, row: int, column: str, kind: str, value: Any) -> Problem:
    if kind == "formula":
        return _formula_problem(label, row, column, str(value))
    return Problem.coded(label, row, column, "prob_imp_spreadsheet_error",
                         error=printable(str(value))[:40])


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _a(kind: Any) -> str:
    return printable(str(kind))[:40]


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings ignored),
    found without parsing it, so a hostile depth never reaches the recursive parser."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def _read_geojson(upload: Upload, content: bytes, entity: str | None) -> None:
    name = upload.filename

    def refuse(code: str, column: str | None = None, **params: Any) -> None:
        upload.problems.append(Problem.coded(name, None, column, code, **params))

    text, why = decode_text(content)
    if text is None:
        code, params = why or message("prob_imp_unreadable")
        refuse(code, **params)
        return
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        refuse("prob_imp_json_too_deep", depth=depth, limit=MAX_JSON_DEPTH)
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        refuse("prob_imp_bad_json", line=str(exc.lineno), column_no=str(exc.colno),
               why=json_error_reason(exc.msg))
        return
    except ValueError as exc:  # a number of more than 4,300 digits, so far the only one
        _log.info("JSON of %s not usable: %s", name, exc)
        refuse("prob_imp_json_number_too_long" if "digits" in str(exc)
               else "prob_imp_unusable_json")
        return
    entity = entity or entity_from_name(PurePath(name).stem) or "sites"
    if "lon" not in TABLES_BY_NAME[entity].column_names:
        refuse("prob_imp_geojson_table", table=entity)
        return
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Feature":
        features = [doc]
    elif kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        features = doc["features"]
    else:
        refuse("prob_imp_not_feature_collection", kind=repr(printable(str(kind))[:40]))
        return
    if len(features) > MAX_ROWS:
        refuse("prob_imp_too_many_features", features=len(features), limit=MAX_ROWS)
        return
    crs = doc.get("crs")
    if isinstance(crs, dict):
        crs_props = crs.get("properties")
        crs_name = str(crs_props.get("name", "")) if isinstance(crs_props, dict) else ""
        if not re.search(r"(EPSG:+4326|CRS84)$", crs_name):
            refuse("prob_imp_crs", column="crs", crs=repr(printable(crs_name)[:60]))
            return
    # Property names in order of appearance; a dict, so each name costs the same to look up.
    names: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            continue
        for key in props:
            if key not in names:
                if _CONTROL.search(key):
                    refuse("prob_imp_control_in_property", feature=str(number),
                           key=repr(printable(key)[:40]))
                    return
                names[key] = None
                if len(names) > MAX_COLUMNS:
                    refuse("prob_imp_too_many_properties", limit=MAX_COLUMNS,
                           most=len(_WIDEST.columns), table=_WIDEST.name)
                    return
    header = list(names)
    header += [c for c in ("lon", "lat") if c not in header]
    problems: list[Problem] = []
    numbered: list[tuple[int, list[str]]] = [(0, header)]
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(Problem.coded(name, number, None, "prob_imp_not_a_feature"))
            numbered.append((number, [""] * len(header)))
            continue
        props = feature.get("properties")
        if props is not None and not isinstance(props, dict):
            problems.append(Problem.coded(name, number, "properties",
                                          "prob_imp_properties_not_object"))
            props = None
        cells = {}
        for key, value in (props or {}).items():
            if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
                cells[key] = ";".join(str(v) for v in value)
            elif isinstance(value, list | dict):
                problems.append(Problem.coded(name, number, key, "prob_imp_nested_value"))
                cells[key] = ""
            else:
                cells[key] = _cell_text(value)
            problem = control_character_problem(name, number, key, cells[key])
            if problem:
                problems.append(problem)
        geometry = feature.get("geometry")
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        covers_an_area = entity == "sites" and \
            cells.get("precision", "").strip() in POINTLESS_PRECISIONS
        if geometry is None and covers_an_area:
            pass  # a whole region or the whole country: no point, and none is made up
        elif gtype != "Point":
            code = "prob_imp_geometry_missing" if gtype is None else "prob_imp_geometry_kind"
            code += "_site" if entity == "sites" else ""
            problems.append(Problem.coded(name, number, "geometry", code,
                                          **({} if gtype is None else {"kind": _a(gtype)})))
        elif not (isinstance(coords, list) and len(coords) >= 2
                  and all(isinstance(c, int | float) and not isinstance(c, bool)
                          for c in coords[:2])):
            problems.append(Problem.coded(name, number, "geometry",
                                          "prob_imp_point_without_numbers"))
        else:
            for column, value in (("lon", coords[0]), ("lat", coords[1])):
                stated = cells.get(column, "")
                if stated.strip():
                    try:
                        differs = abs(float(stated) - float(value)) > 1e-9
                    except (ValueError, OverflowError):
                        differs = False  # the type check reports the text itself
                    if differs:
                        problems.append(Problem.coded(name, number, column,
                                                      "prob_imp_point_disagrees",
                                                      column=column, stated=stated[:40],
                                                      value=str(value)))
                cells[column] = _cell_text(value)
        numbered.append((number, [cells.get(h, "") for h in header]))
    sheet = _sheet(upload, name, entity, numbered, "feature")
    if sheet is None:
        return
    # _sheet dropped blank rows; a feature with no properties and no point is still a feature.
    sheet.problems.extend(problems)
    upload.sheets.append(sheet)


# --- planning ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One cell that an import changes."""

    field: str
    before: str
    after: str


@dataclass
class RowReport:
    """What the import does with one row of the file."""

    entity: str
    label: str
    unit: str
    row: int
    key: tuple[str, ...]
    status: Status
    differences: list[FieldChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    after: dict[str, Any] | None = None
    base_version: int = 0
    origin: str = ""  # the sheet's origin of the row, when it has one

    @property
    def where(self) -> str:
        return self.origin or f"{self.unit} {self.row}"


@dataclass(frozen=True)
class ReportNote:
    """Something the import says about the file without refusing it: what it left out, could
    not place, or assumed. ``code`` and ``params`` are the page's message; ``english`` the
    command line's."""

    code: str
    params: tuple[tuple[str, Any], ...]
    english: str
    activity: str | None = None  # the IATI activity it is about (None: the file)
    element: str | None = None  # e.g. "transaction[3]"
    severity: str = "not_placed"  # left_out, not_placed, assumed

    def english_line(self) -> str:
        where = ", ".join(w for w in (self.activity and f"activity {self.activity}",
                                      self.element) if w)
        return f"{where}: {self.english}" if where else self.english


@dataclass
class ImportReport:
    """The row-by-row report shown before anything is written."""

    filename: str
    rows: list[RowReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file as a whole is refused
    # What the import says about a file it does not refuse (coded: pages render them).
    notes: list[Problem] = field(default_factory=list)
    # What a file of another standard (IATI) held that the atlas could not place, left out or
    # assumed: message codes the pages render, English for the command line.
    coded_notes: list[ReportNote] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("new", "changed", "unchanged", "rejected")}

    @property
    def ok(self) -> bool:
        """True when every row can be applied (or is unchanged) and the file is not refused."""
        return not self.problems and bool(self.rows) and self.count("rejected") == 0

    def changes(self) -> list[RowChange]:
        """The store changes for the new and changed rows."""
        return [RowChange(r.entity, r.key, r.after, base_version=r.base_version,
                          new=r.status == "new")
                for r in self.rows if r.status in ("new", "changed")]

    def summary_message(self) -> SummaryMessage:
        """What the import does, for the history: its file, tables and row counts."""
        return import_summary(self.filename, tuple(dict.fromkeys(r.entity for r in self.rows)),
                              self.counts)

    def summary(self) -> str:
        """One English line: what the import does (the history keeps it beside the message)."""
        return self.summary_message().english()

    def lines(self) -> list[str]:
        """The report as text: counts, then one line per new, changed or rejected row."""
        out = [self.summary()]
        for problem in self.problems:
            out.append(describe(problem))
        out.extend(str(note) for note in self.notes)
        out.extend(note.english_line() for note in self.coded_notes[:MAX_NOTES_PRINTED])
        if len(self.coded_notes) > MAX_NOTES_PRINTED:
            out.append(f"... and {len(self.coded_notes) - MAX_NOTES_PRINTED:,} more notes")
        for r in self.rows:
            ident = "/".join(r.key)
            if r.status == "new":
                out.append(f"{r.where}: new {r.entity} {ident}")
            elif r.status == "changed":
                diffs = "; ".join(f"{d.field}: {_show(d.before)} -> {_show(d.after)}"
                                  for d in r.differences)
                out.append(f"{r.where}: changed {r.entity} {ident}: {diffs}")
            elif r.status == "rejected":
                for p in r.problems:
                    out.append(f"{r.origin}: {p.field + ': ' if p.field else ''}{p.message}"
                               if r.origin else describe(p, r.unit))
        return out


def describe(problem: Problem, unit: str = "row") -> str:
    """``row N: field: message`` (the file is named when the problem is not about a row)."""
    where = f"{unit} {problem.row}" if problem.row is not None else problem.file
    return f"{where}: {problem.field + ': ' if problem.field else ''}{problem.message}"


def _show(text: str) -> str:
    if text == "":
        return "(empty)"
    return repr(text) if len(text) <= 60 else repr(text[:59] + "…")


def _plain(column: Column, value: Any) -> Any:
    """A typed cell as a plain Python value (no NaN, no numpy scalars) for RowChange.after."""
    if is_missing(value):
        if column.type == "bool":
            return False
        return None if column.type in ("int", "float") else ""
    if column.type == "int":
        return int(value)
    if column.type == "float":
        return float(value)
    if column.type == "bool":
        return bool(value)
    if column.type == "ids":
        return ";".join(split_ids(value))
    return str(value)


def _canonical(spec: TableSpec, record: Mapping[str, Any]) -> dict[str, str]:
    return {c.name: format_cell(c, _plain(c, record[c.name])) for c in spec.columns}


@dataclass
class _Parsed:
    sheet: Sheet
    spec: TableSpec
    frame: pd.DataFrame  # typed rows of the file, every spec column
    rows: list[RowReport]
    stray: list[Problem]  # problems of features that are no row (no point, no properties)


def _parse_sheet(sheet: Sheet, existing: Mapping[tuple[str, ...], dict[str, Any]]) -> _Parsed:
    """Type the sheet's cells with ``parse_table``; columns absent from the file keep the
    store's values for rows that exist (and are empty for new rows)."""
    spec = TABLES_BY_NAME[sheet.entity]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spec.column_names)
    position = {name: i for i, name in enumerate(sheet.header)}
    for _, cells in sheet.rows:
        writer.writerow([cells[position[c]] if c in position else "" for c in spec.column_names])
    frame, cell_problems = parse_table(spec, out.getvalue(), sheet.label)
    stray: list[Problem] = []
    numbers = [n for n, _ in sheet.rows]
    # parse_table numbers rows 2.. in the order they were written: map back to the file's.
    lines = [numbers[line - 2] for line in frame.attrs.get("lines", [])]
    records = frame.to_dict("records")
    reports = []
    for i, record in enumerate(records):
        key = row_key(spec, record)
        before = existing.get(key)
        if before is not None:
            for column in spec.column_names:
                if column not in position:
                    record[column] = before[column]
        reports.append(RowReport(sheet.entity, sheet.label, sheet.unit, lines[i], key, "new",
                                 after={c.name: _plain(c, record[c.name]) for c in spec.columns},
                                 origin=sheet.origins.get(lines[i], "")))
    by_row = {r.row: r for r in reports}
    for problem in sheet.problems:
        if problem.row in by_row:
            by_row[problem.row].problems.append(problem)
        else:
            stray.append(problem)
    for problem in cell_problems:
        row = numbers[problem.row - 2] if problem.row and problem.row >= 2 else None
        target = by_row.get(row) if row is not None else None
        # A formula cell is already refused as a formula, not also as "not a number".
        if target is not None and not _already(target, problem.field):
            target.problems.append(replace(problem, file=sheet.label, row=row))
    typed = frame_from_records(spec, [r.after for r in reports if r.after is not None])
    return _Parsed(sheet, spec, typed, reports, stray)


def _check_rows(parsed: _Parsed, store_data: DataSet, regions: gpd.GeoDataFrame,
                existing_keys: set[tuple[str, ...]]) -> None:
    """The checks of a row that ``atlas validate`` does not phrase for a spreadsheet."""
    spec, label = parsed.spec, parsed.sheet.label
    first: dict[tuple[str, ...], int] = {}
    known_currencies = sorted({"USD", *(str(c) for c in store_data["rates"]["currency"])})
    for report in parsed.rows:
        after = report.after or {}

        def add(column: str | None, code: str, *, r: RowReport = report, **params: Any) -> None:
            r.problems.append(Problem.coded(label, r.row, column, code, **params))

        if report.key in first:
            add(spec.key[-1], f"prob_imp_duplicate_in_{report.unit}", id="/".join(report.key),
                key_columns="/".join(spec.key), n=str(first[report.key]))
        else:
            first[report.key] = report.row
        if report.key not in existing_keys:
            for column in spec.columns:
                value = after.get(column.name)
                if column.name in spec.key and column.type == "text" and value and \
                        not _ID_PATTERN.match(str(value)):
                    add(column.name, "prob_imp_bad_id", value=repr(value))
        for column in spec.columns:
            value = after.get(column.name)
            if column.choices == CURRENCIES and value and value not in known_currencies \
                    and parsed.sheet.needs_rates:
                add(column.name, "prob_imp_unknown_currency", value=repr(value),
                    currencies=", ".join(known_currencies))
            if column.type == "text" and isinstance(value, str) and value:
                if "\ufffd" in value:
                    add(column.name, "prob_imp_replacement_character")
                elif len(_MOJIBAKE.findall(value)) >= 2:
                    add(column.name, "prob_imp_garbled", value=repr(value[:24]))
    if "lat" in spec.column_names:
        _check_coordinates(parsed, regions)


def _check_coordinates(parsed: _Parsed, regions: gpd.GeoDataFrame) -> None:
    label = parsed.sheet.label
    candidates = []
    for report in parsed.rows:
        after = report.after or {}
        lon, lat = after.get("lon"), after.get("lat")
        if lon is None or lat is None:
            continue
        if parsed.spec.name == "sites" and after.get("precision") in POINTLESS_PRECISIONS:
            continue  # its point is refused as such: where it lies would only add noise
        bad = False
        if not -90 <= lat <= 90:
            report.problems.append(Problem.coded(label, report.row, "lat", "prob_imp_lat_range",
                                                 lat=float(lat)))
            bad = True
        if not -180 <= lon <= 180:
            report.problems.append(Problem.coded(label, report.row, "lon", "prob_imp_lon_range",
                                                 lon=float(lon)))
            bad = True
        in_kz = parsed.spec.name == "sites" or after.get("country") == "KZ"
        if not bad and in_kz and -90 <= lon <= 90:
            candidates.append((report, lon, lat))
    if not candidates:
        return
    here = gpd.GeoDataFrame(geometry=gpd.points_from_xy([c[1] for c in candidates],
                                                         [c[2] for c in candidates]),
                            crs="EPSG:4326")
    swapped = gpd.GeoDataFrame(geometry=gpd.points_from_xy([c[2] for c in candidates],
                                                            [c[1] for c in candidates]),
                               crs="EPSG:4326")
    found = geo.region_of_points(here, regions)
    found_swapped = geo.region_of_points(swapped, regions)
    for (report, lon, lat), code, swap in zip(candidates, found, found_swapped, strict=True):
        if code is None and swap is not None:
            report.problems.append(Problem.coded(
                label, report.row, "lon", "prob_imp_swapped", lat=float(lat), lon=float(lon),
                region_name=geo.UNITS[swap].name_en if swap in geo.UNITS else swap,
                region=swap))


def _table_of(problem: Problem) -> str:
    return PurePath(problem.file).stem


def _rephrase(problem: Problem) -> Problem:
    """A problem of ``atlas validate`` as a spreadsheet's author reads it: an unknown reference
    may be in the atlas or in the file, and a file has rows, not lines."""
    params = dict(problem.params)
    if problem.code == "prob_unknown_reference":
        table = str(params["reference"]).split(".")[0]
        if table in _NOUNS:
            return Problem.coded(problem.file, problem.row, problem.field,
                                 f"prob_imp_unknown_{_NOUNS[table]}", value=params["value"])
    if problem.code == "prob_duplicate_id":
        return Problem.coded(problem.file, problem.row, problem.field, "prob_duplicate_id_row",
                             **params)
    return problem


def plan_import(store_data: DataSet,
                versions: Mapping[str, Mapping[tuple[str, ...], int]],
                upload: Upload, regions: gpd.GeoDataFrame | None = None) -> ImportReport:
    """What importing ``upload`` into ``store_data`` would do, row by row; writes nothing.

    ``versions`` maps a table name to its row versions (``SqlStore.row_versions``); rows not
    listed are version 0.
    """
    from atlas.validate import validate

    report = ImportReport(upload.filename)
    if upload.problems:
        report.problems = list(upload.problems)
        return report
    regions = geo.load_regions("full") if regions is None else regions
    merged = dict(store_data)
    file_rows: dict[tuple[str, int], RowReport] = {}
    store_rows: dict[tuple[str, int], tuple[str, ...]] = {}
    existing: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {}
    for sheet in upload.sheets:
        spec = TABLES_BY_NAME[sheet.entity]
        store_table = store_data[spec.name]
        existing[spec.name] = {row_key(spec, r): r for r in store_table.to_dict("records")}
        parsed = _parse_sheet(sheet, existing[spec.name])
        _check_rows(parsed, store_data, regions, set(existing[spec.name]))
        report.problems.extend(
            Problem.coded(p.file, None, p.field, f"prob_imp_in_{sheet.unit}", n=str(p.row),
                          problem=nested(p))
            for p in parsed.stray)
        missing = [c for c in spec.column_names if c not in sheet.header]
        if missing:
            report.notes.append(Problem.coded(sheet.label, None, None, "imp_note_columns_kept",
                                              kept=", ".join(missing)))
        # The merged table: the store's rows the file does not touch, then the file's rows.
        # Lines: the file's row numbers for its rows, negative markers for the store's.
        file_keys = {r.key for r in parsed.rows}
        keep = [row_key(spec, r) not in file_keys for r in store_table.to_dict("records")]
        kept = store_table.loc[keep].reset_index(drop=True)
        kept_keys = [row_key(spec, r) for r in kept.to_dict("records")]
        table = pd.concat([kept, parsed.frame], ignore_index=True) if len(kept) else \
            parsed.frame.copy()
        lines = [-(i + 1) for i in range(len(kept))] + [r.row for r in parsed.rows]
        table.attrs["lines"] = LineNumbers(lines)
        merged[spec.name] = table
        for i, key in enumerate(kept_keys):
            store_rows[(spec.name, -(i + 1))] = key
        for r in parsed.rows:
            file_rows[(spec.name, r.row)] = r
        report.rows.extend(parsed.rows)
    baseline = {_identity(p, store_data) for p in validate(store_data, regions, folder="atlas")}
    for problem in validate(merged, regions, folder="atlas"):
        table = _table_of(problem)
        rephrased = _rephrase(problem)
        target = file_rows.get((table, problem.row)) if problem.row is not None else None
        if target is not None:
            # A cell already refused by an earlier check gets no second, derived message.
            if _already(target, problem.field):
                continue
            target.problems.append(replace(rephrased, file=target.label, row=target.row))
            continue
        where = store_rows.get((table, problem.row)) if problem.row is not None else None
        if where is None and table not in upload.entities:
            where = _identity(problem, store_data)[1]  # an untouched table: lines as stored
            where = where if isinstance(where, tuple) else None
        identity = (table, where if where is not None else problem.row, problem.field,
                    problem.message)
        if identity in baseline:
            continue  # already wrong before this import: not the file's doing
        if where is not None:
            after = Problem.coded(upload.filename, None, problem.field, "prob_imp_after_key",
                                  table=table, row_key="/".join(where), problem=nested(rephrased))
        elif problem.row is not None:
            after = Problem.coded(upload.filename, None, problem.field, "prob_imp_after_row",
                                  table=table, n=str(problem.row), problem=nested(rephrased))
        else:
            after = Problem.coded(upload.filename, None, problem.field, "prob_imp_after",
                                  table=table, problem=nested(rephrased))
        report.problems.append(after)
    for r in report.rows:
        _settle(r, existing[r.entity].get(r.key))
        r.base_version = versions.get(r.entity, {}).get(r.key, 0)
    return report


_POINT_FIELDS = frozenset({"lon", "lat", "geometry"})


def _already(row: RowReport, column: str | None) -> bool:
    """True when the row has a problem with this field (or, for a point, with any of its
    coordinates): a later, derived message about it would only repeat the first."""
    fields = {p.field for p in row.problems}
    if column in _POINT_FIELDS:
        return bool(fields & _POINT_FIELDS)
    return column in fields


def _identity(problem: Problem, data: DataSet) -> tuple[Any, ...]:
    """A problem's place by row key where it has one, so line numbers do not matter."""
    table = _table_of(problem)
    where: Any = problem.row
    if problem.row is not None and table in TABLES_BY_NAME:
        records = data[table]
        index = problem.row - 2
        if 0 <= index < len(records):
            where = row_key(TABLES_BY_NAME[table], records.iloc[index].to_dict())
    return (table, where, problem.field, problem.message)


def _settle(r: RowReport, existing: Mapping[str, Any] | None) -> None:
    """Set a row's status from its problems and its differences with the store's row."""
    spec = TABLES_BY_NAME[r.entity]
    if r.problems:
        r.status = "rejected"
        return
    if existing is None:
        r.status = "new"
        return
    before, after = _canonical(spec, existing), _canonical(spec, r.after or {})
    r.differences = [FieldChange(c, before[c], after[c]) for c in spec.column_names
                     if before[c] != after[c]]
    r.status = "changed" if r.differences else "unchanged"


def plan_from_store(store: SqlStore, upload: Upload) -> ImportReport:
    """``plan_import`` against the store's current data and row versions."""
    # Versions first: an edit landing between the two reads then makes the import stale
    # (refused at apply), never a silent overwrite.
    versions = {e: store.row_versions(e) for e in upload.entities}
    return plan_import(store.load(), versions, upload)


def _read_and_plan(filename: str, content: bytes, entity: str | None, data: DataSet,
                   versions: Mapping[str, Mapping[tuple[str, ...], int]],
                   regions: gpd.GeoDataFrame, country: str = "KZ") -> ImportReport:
    """``read_upload`` then ``plan_import`` (an IATI file: ``atlas.iati.upload.plan_iati``):
    the work ``check_upload`` runs in a child."""
    if is_iati_name(filename):
        from atlas.iati.upload import plan_iati

        return plan_iati(filename, content, data, versions, regions, country=country)
    return plan_import(data, versions, read_upload(filename, content, entity), regions)


# Imported once by the fork server, so a check does not import them again (see atlas.budget).
_PRELOAD = ("atlas.importing", "atlas.validate", "atlas.iati.upload")


def check_upload(store: SqlStore, filename: str, content: bytes, entity: str | None = None,
                 budget: Budget | None = None, country: str = "KZ") -> ImportReport:
    """What importing the file would do to the store now (``read_upload``, then
    ``plan_import``), computed in a child process within ``budget`` (IMPORT_BUDGET).

    Whatever the file holds, this process never parses it: a file that takes longer or needs
    more memory than the budget, or that makes the checker fail, gets a report refusing it
    with a message. Writes nothing.
    """
    name = shown_name(filename)
    too_big = size_problem(name, len(content))
    if too_big:
        return ImportReport(name, problems=[too_big])
    # Versions first (as plan_from_store): an edit landing between the two reads makes the
    # import stale, refused at apply, never a silent overwrite.
    versions = {e: store.row_versions(e) for e in IMPORTABLE}
    data = store.load()
    # Read here, where they are cached: the child then reads nothing but the upload.
    regions = geo.load_regions("full")
    try:
        return run_within(budget or IMPORT_BUDGET, _read_and_plan, filename, content, entity,
                          data, versions, regions, country, preload=_PRELOAD)
    except OverBudget as exc:
        found = over_budget_message(exc)
    except WorkFailed as exc:
        # The reader gets a reference to the log, not a programmer's exception text.
        reference = secrets.token_hex(4)
        _log.error("checking the import of %s failed [%s]:\n%s", name, reference,
                   exc.child_traceback)
        found = message("prob_imp_check_failed", reference=reference)
    except OSError as exc:
        _log.error("no process to check the import of %s: %s", name, exc)
        found = message("prob_imp_no_process",
                        detail=errno.errorcode.get(exc.errno or 0, "OSError"))
    code, params = found
    return ImportReport(name, problems=[Problem.coded(name, None, None, code, **params)])


# Python's json module names what it expected, in English: each known start of its message,
# and the message code that says the same to a reader.
_JSON_REASONS = (
    ("Expecting value", "json_why_value"),
    ("Expecting ',' delimiter", "json_why_comma"),
    ("Expecting ':' delimiter", "json_why_colon"),
    ("Expecting property name", "json_why_name"),
    ("Unterminated string", "json_why_open_text"),
    ("Invalid control character", "json_why_control"),
    ("Invalid \\u", "json_why_escape"),
    ("Invalid \\escape", "json_why_escape"),
    ("Extra data", "json_why_extra"),
)


def json_error_reason(library_message: str) -> tuple[str, tuple[()]]:
    """What a JSON syntax error means, as a nested message code (see ``message_text``)."""
    for start, code in _JSON_REASONS:
        if library_message.startswith(start):
            return code, ()
    return "json_why_other", ()


def over_budget_message(exc: OverBudget) -> Message:
    if exc.limit == "time":
        return message("prob_imp_too_slow", seconds=Number(exc.budget.seconds, 0),
                       rows=MAX_ROWS)
    if exc.limit == "memory":
        return message("prob_imp_too_much_memory",
                       mb=exc.budget.memory_bytes // (1024 * 1024))
    code = exc.exit_code
    if code is not None and code < 0:
        return message("prob_imp_stopped_signal", signal=-code)
    return message("prob_imp_stopped", exit_code=-1 if code is None else code)


def apply_import(store: SqlStore, report: ImportReport, user: str) -> AppliedChange:
    """Write the report's new and changed rows in one transaction (all or nothing).

    Refused (ImportRefused) when any row is rejected, the file is refused or nothing changes;
    the store itself may still refuse with StaleEdit or InvalidData, writing nothing.
    """
    if not report.ok:
        raise ImportRefused("the import has rejected rows or a refused file; nothing written:\n"
                            + "\n".join(report.lines()[1:]))
    changes = report.changes()
    if not changes:
        raise ImportRefused("nothing to import: every row is already in the atlas as it is")
    return store.apply_changes(changes, user=user, kind="import",
                               summary=report.summary_message())


# --- templates ---------------------------------------------------------------------------

_TYPE_WORDS = {
    "text": "text",
    "int": "whole number",
    "float": "number: a dot before decimals, no commas (12500 or 0.5)",
    "bool": "true or false",
    "ids": "ids separated by ; (e.g. a;b)",
}
_COLUMN_HELP: dict[str, str] = {
    "source_ids": "the sources this row comes from (source_id values of the sources table)",
    "note": "anything a reader should know; plain text",
    "qualifier": "how exactly the figure is known: exact, approximate, at_least, at_most, "
                 "derived (say how in basis) or unknown (leave the number empty: never 0)",
    "budget_qualifier": "how exactly the budget is known (see qualifier)",
    "basis": "how a derived figure was computed, or where it is stated",
    "budget_basis": "how a derived budget was computed",
    "currency": "currency of the amount: one the atlas has exchange rates for",
    "budget_currency": "currency of the budget: one the atlas has exchange rates for",
    "amount": "the amount in its own currency, >= 0; empty if unknown",
    "budget_amount": "the total budget in its own currency, >= 0; empty if unknown",
    "value": "the number, >= 0; empty if unknown (qualifier unknown)",
    "unit": "what is counted: people, projects, events, percent, KZT...",
    "project_id": "the project (project_id of the projects table)",
    "org_id": "the organization (org_id of the organizations table)",
    "from_org_id": "the organization the money comes from",
    "to_org_id": "the organization the money goes to",
    "region_code": "the region the point lies in: KAZ001..KAZ020 (checked against the map); "
                   "empty for a nationwide site",
    "lon": "longitude in degrees east (Kazakhstan: about 46 to 88); empty for a site of "
           "precision region or national",
    "lat": "latitude in degrees north (Kazakhstan: about 40 to 56); empty for a site of "
           "precision region or national",
    "precision": "how exact the point is; region or national: the site covers a whole region "
                 "or the whole country and has no point",
    "location_basis": "where the point comes from (e.g. GeoNames id)",
    "level": "what the site is: a settlement, a district, a region...",
    "district_en": "district name in English",
    "phase": "stage of the project (1, 2...), if any",
    "site_ids": "the sites the figure is about (site_id values), if any",
    "parent_result_id": "the result this row breaks down (a group of it)",
    "joint_project_ids": "other projects this figure is shared with",
    "indicator": "a short code of what is measured, e.g. people_reached, mini_projects",
    "as_of": "the date the figure was true: 2020, 2020-05 or 2020-05-03",
    "counts_as_reach": "true if this count is people reached (added to headline totals)",
    "start": "start: 2019, 2019-10 or 2019-10-01",
    "end": "end: 2019, 2019-10 or 2019-10-01",
    "status": "the state of the project or flow",
    "status_as_of": "the date the status was true",
    "year": "the year (amounts are converted with that year's average rate)",
    "year_basis": "why that year (e.g. the start year of a multi-year grant)",
    "kind": "what kind it is",
    "role": "the organization's role in the project",
    "role_as_stated": "the role in the source's own words",
    "role_qualifier": "stated (the source says it) or inferred (our reading); empty means stated",
    "role_basis": "why an inferred role is read so",
    "route_qualifier": "stated or inferred: whether the source says who pays whom; empty means "
                       "stated",
    "route_basis": "why an inferred route (who pays whom) is read so",
    "acronym": "short name",
    "home_place_id": "home city (place_id of the places table)",
    "home_basis": "where the home city is stated",
    "map_entry_place_id": "where the organization's money enters the map, if not its home",
    "themes": "themes, separated by ;",
    "sectors": "OECD DAC 5-digit sector codes, separated by ; (e.g. 15150;15112)",
    "iati_identifier": "the project's IATI activity identifier, if it has one (unique)",
    "iati_ref": "the organization's IATI organisation identifier, e.g. XM-DAC-41114 (unique)",
    "iati_type": "IATI organisation type code: 10 government, 11 local government, 21 "
                 "international NGO, 22 national NGO, 40 multilateral, 60 foundation, 70 "
                 "private sector, 80 academic, 90 other...",
    "method": "method, e.g. TALD",
    "contract_number": "contract number as stated",
    "period_basis": "where the period is stated",
    "goal": "SDG goal number 1..17",
    "rank": "order of the goal for the project (1 = main)",
    "targets": "SDG targets, e.g. 11.3;16.7",
    "rationale": "why this goal",
}


def _describe_column(spec: TableSpec, column: Column) -> tuple[str, str, str, str, str]:
    """(name, required, type, allowed values, description) for the help sheet."""
    if column.name in _COLUMN_HELP:
        text = _COLUMN_HELP[column.name]
        if column.name in spec.key:
            text += "; part of the row's key"
    elif column.name in spec.key:
        text = "the row's id: letters, digits, - _ . (no spaces); an existing id changes that row"
    elif column.name[-3:] in ("_en", "_ru", "_kk"):
        lang = {"_en": "English", "_ru": "Russian", "_kk": "Kazakh"}[column.name[-3:]]
        text = f"{column.name[:-3]} in {lang}"
    else:
        text = ""
    allowed = ", ".join(column.choices)
    if column.references:
        allowed = (allowed + "; " if allowed else "") + f"must exist in {column.references}"
    return (column.name, "yes" if column.required else "", _TYPE_WORDS[column.type], allowed,
            text)


def template(entity: str, fmt: Literal["csv", "xlsx"]) -> bytes:
    """An empty import file for ``entity``: CSV (header only, UTF-8 with BOM so Excel keeps
    Cyrillic) or .xlsx (the entity's sheet, text cells, drop-down lists, and a "help" sheet)."""
    if entity not in TABLES_BY_NAME:
        raise ValueError(f"no table {entity!r}")
    spec = TABLES_BY_NAME[entity]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(spec.column_names)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
    return _template_xlsx(spec, [])


def _template_xlsx(spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The .xlsx template of ``spec`` with ``rows`` filled in (used by tools/make_examples.py)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = spec.name
    ws.append(spec.column_names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    last = MAX_ROWS + 1
    for i, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, len(column.name) + 4))
        if column.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                  allow_blank=not column.required, showErrorMessage=True,
                                  errorTitle=column.name,
                                  error=f"one of: {', '.join(column.choices)}")
            rule.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(rule)
    for row_no, row in enumerate(rows, start=2):
        for i, column in enumerate(spec.columns, start=1):
            value = row.get(column.name)
            cell = ws.cell(row=row_no, column=i, value=None if is_missing(value) else value)
            if column.type in ("text", "ids"):
                # Text stays text: Excel must not turn 2020-05 into a date or 1;2 into a time.
                cell.number_format = "@"
    help_ws = book.create_sheet(HELP_SHEET)
    help_ws.append([f"How to fill the sheet '{spec.name}': {spec.doc}"])
    for line in (
        f"One row per {spec.name} row; keep the column names of row 1 as they are. "
        "Columns you leave out keep their current values.",
        "A row whose id already exists changes that row; a new id adds a row. Nothing is "
        "removed by an import.",
        "Numbers as numbers; unknown figures: leave the number empty and set the qualifier to "
        "unknown (never 0). No formulas. Plain text only (no HTML).",
        f"At most {MAX_ROWS:,} rows and {MAX_BYTES // (1024 * 1024)} MB per file. CSV files: "
        "UTF-8 (Excel: \"CSV UTF-8\").",
        f"Qualifiers: {', '.join(QUALIFIERS)}. Currencies: {', '.join(CURRENCIES)}.",
        "",
    ):
        help_ws.append([line])
    help_ws.append(["column", "required", "type", "allowed values", "description"])
    header_row = help_ws.max_row
    for cell in help_ws[header_row]:
        cell.font = Font(bold=True)
    help_ws["A1"].font = Font(bold=True)
    for column in spec.columns:
        help_ws.append(list(_describe_column(spec, column)))
    for letter, width in zip("ABCDE", (22, 10, 24, 50, 80), strict=True):
        help_ws.column_dimensions[letter].width = width
    for row in help_ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def example_workbook(entity: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """A filled-in template: the entity's sheet with ``rows`` and the help sheet."""
    return _template_xlsx(TABLES_BY_NAME[entity], rows)
