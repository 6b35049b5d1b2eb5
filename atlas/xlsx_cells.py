"""The real cells of an .xlsx workbook, read with work bounded by what the file holds.

openpyxl trusts a sheet's ``<dimension>``: in read-only mode it pads every row to the declared
width, so a 5 KB sheet that declares A1:XFD1048576 makes it walk 17 billion empty cells, and a
stale dimension (A1:O2 on a sheet of ten rows) makes it skip rows. This reader ignores the
dimension: it streams the sheet's XML and keeps only the cells that are there, counting rows,
columns, cells and XML elements as it goes and stopping at the limits. Shared strings are kept
only when a kept cell refers to them. Any document type declaration is refused before it is
read, so no entity is ever expanded.

Damage (a part missing, cut short, not XML, a bad cell reference...) raises ``WorkbookRefused``
with an English message naming the part, e.g. ``xl/worksheets/sheet1.xml``, for the command line
and the log, and a message code with parameters (``REFUSALS``) for pages, which show it in the
reader's language.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

# Excel's own limits: a reference beyond them is not a cell of any workbook.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
EXCEL_CELL_CHARS = 32_767
_CHUNK = 64 * 1024
# The longest run of bytes without a ">" a part may hold. A cell's text is at most 32,767
# characters (160 KB even if all of them are escaped); a tag with a million attributes is not
# a workbook, and expat would read it whole before any handler could stop it.
_LONGEST_RUN = 1024 * 1024
_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
# OOXML writes characters XML cannot hold as _xHHHH_ (ECMA-376 ST_Xstring).
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_RELATIONSHIPS_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                     "http://purl.oclc.org/ooxml/officeDocument/relationships")

CellKind = Literal["value", "formula", "error"]


# The message codes (atlas.i18n keys) a refusal carries, and the parameters each takes.
REFUSALS: dict[str, tuple[str, ...]] = {
    "prob_imp_wb_damaged": ("part",),  # a part is not what a workbook holds
    "prob_imp_wb_damaged_cell": ("cell",),  # one cell is not what a workbook holds
    "prob_imp_wb_part_missing": ("part",),
    "prob_imp_wb_cut_short": ("part",),  # a part cannot be unpacked: damaged or truncated
    "prob_imp_wb_encrypted": (),  # a part is encrypted: the workbook has a password
    "prob_imp_wb_crafted": ("part",),  # a document type declaration: crafted or damaged
    "prob_imp_wb_too_many_elements": ("limit",),
    "prob_imp_wb_too_many_sheets": ("limit",),
    "prob_imp_wb_too_many_cells": ("limit",),
    "prob_imp_wb_too_many_rows": ("limit",),
    "prob_imp_wb_beyond_column": ("cell", "last_column"),
    "prob_imp_wb_cell_too_long": ("cell", "limit"),
    "prob_imp_wb_text_too_long": ("limit",),  # a shared string, whose cell is not known
    "prob_imp_wb_same_sheet_names": ("sheet",),
}


class WorkbookRefused(ValueError):
    """The workbook cannot be read: damaged, crafted, or beyond the limits.

    ``message`` is the English sentence, for the command line and the log; ``code`` and
    ``params`` the same for pages (a key of ``REFUSALS`` and its parameters); ``part`` the file
    inside the workbook it is about; ``sheet`` the title of the sheet when the problem is
    inside one.
    """

    def __init__(self, part: str, message: str, sheet: str | None = None, *,
                 code: str = "prob_imp_wb_damaged", params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.part = part
        self.message = message
        self.sheet = sheet
        self.code = code
        self.params = {"part": part} if params is None and code == "prob_imp_wb_damaged" \
            else dict(params or {})
        assert set(self.params) == set(REFUSALS[code]), (code, self.params)


@dataclass(frozen=True)
class Limits:
    """How much of a workbook is read before it is refused."""

    data_rows: int  # rows holding a value, after the first (the header)
    columns: int  # the farthest column holding a value, counted from A = 1
    cells: int  # <c> elements of one sheet, empty ones included
    elements: int = 1_000_000  # XML elements of all the parts read, together
    sheets: int = 50
    cell_chars: int = EXCEL_CELL_CHARS


@dataclass(frozen=True)
class SheetRef:
    """A worksheet of the workbook: its title and the part holding its cells."""

    title: str
    part: str


@dataclass
class Cell:
    """One real cell: its column (A = 0), what it is, and its value."""

    column: int
    kind: CellKind  # "formula": value is the formula text; "error": value is e.g. "#DIV/0!"
    value: Any  # str, int, float, bool, date, datetime, time or timedelta


Rows = list[tuple[int, list[Cell]]]  # (row number, cells by column), by row number


class _Shared:
    """A cell's reference to the shared-string table, resolved once the table is read."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class _Stop(Exception):
    """Raised by a handler when the rest of a part is not needed."""


def column_letter(index: int) -> str:
    """The spreadsheet letters of a column counted from A = 0."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _Elements:
    """The XML elements a workbook's parts may still hold: one count for all of them, so a
    workbook of many parts costs no more than one."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit


class _PartParser:
    """Stream one part of the archive through expat, element by element, within limits."""

    def __init__(self, archive: zipfile.ZipFile, part: str, limits: Limits,
                 elements: _Elements, sheet: str | None = None) -> None:
        self.archive = archive
        self.part = part
        self.limits = limits
        self.elements = elements
        self.sheet = sheet

    def refuse(self, message: str, code: str = "prob_imp_wb_damaged",
               **params: Any) -> WorkbookRefused:
        """The refusal ``message`` (English), with ``code`` and ``params`` for pages; a part
        damaged (the default code) names its part."""
        return WorkbookRefused(self.part, message, self.sheet, code=code,
                               params=params or None)

    def damaged_cell(self, message: str, cell: str) -> WorkbookRefused:
        return self.refuse(message, "prob_imp_wb_damaged_cell", cell=cell)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """An element opens (``name`` without its namespace)."""

    def end(self, name: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:
        """Character data."""

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements.left -= 1
        if self.elements.left < 0:
            raise self.refuse(f"the workbook holds more than {self.elements.limit:,} XML "
                              f"elements (the limit was reached in {self.part}), far more "
                              "than the sheets of an import need",
                              "prob_imp_wb_too_many_elements", limit=self.elements.limit)
        self.start(_local(name), attrs)

    def _doctype(self, *_: Any) -> None:
        raise self.refuse(f"{self.part} contains a document type declaration (DTD), which no "
                          "workbook has: the file was crafted or damaged",
                          "prob_imp_wb_crafted", part=self.part)

    def parse(self) -> None:
        """Read the whole part (or until a handler stops it)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = lambda name: self.end(_local(name))
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True
        run = 0  # bytes since the last ">"
        try:
            with self.archive.open(self.part) as stream:
                while chunk := stream.read(_CHUNK):
                    last = chunk.rfind(b">")
                    run = run + len(chunk) if last < 0 else len(chunk) - last - 1
                    if run > _LONGEST_RUN:
                        raise self.refuse(f"{self.part} holds more than "
                                          f"{_LONGEST_RUN // (1024 * 1024)} MB without the end "
                                          "of a tag: no cell of a workbook is that long")
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Stop:
            return
        except expat.ExpatError as exc:
            raise self.refuse(
                f"{self.part} is damaged: not well-formed XML (line {exc.lineno}, column "
                f"{exc.offset}: {expat.ErrorString(exc.code)})") from None
        except RuntimeError as exc:
            # zipfile's answer to a part with a password (Excel encrypts the whole file
            # instead, which is not a zip archive at all: see atlas.importing).
            if "encrypted" in str(exc):
                raise self.refuse(f"{self.part} cannot be unpacked ({exc})",
                                  "prob_imp_wb_encrypted") from None
            raise self.refuse(f"{self.part} cannot be unpacked ({exc})",
                              "prob_imp_wb_cut_short", part=self.part) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                OSError) as exc:
            raise self.refuse(f"{self.part} cannot be unpacked ({exc})",
                              "prob_imp_wb_cut_short", part=self.part) from None


class _Relationships(_PartParser):
    """Relationship id -> (type, part name) of one .rels part."""

    def __init__(self, archive: zipfile.ZipFile, part: str, limits: Limits,
                 elements: _Elements, base: str) -> None:
        super().__init__(archive, part, limits, elements)
        self.base = base
        self.targets: dict[str, tuple[str, str]] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(self.base, target))
        self.targets[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    def of_type(self, kind: str) -> str | None:
        """The part of the first relationship of this type ("worksheet", "styles"...)."""
        return next((p for t, p in self.targets.values() if t.rsplit("/", 1)[-1] == kind),
                    None)


class _WorkbookPart(_PartParser):
    """The sheets of workbook.xml (title, relationship id, in tab order) and its calendar."""

    def __init__(self, archive: zipfile.ZipFile, part: str, limits: Limits,
                 elements: _Elements) -> None:
        super().__init__(archive, part, limits, elements)
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            if len(self.sheets) >= self.limits.sheets:
                raise self.refuse(f"the workbook has more than {self.limits.sheets} sheets: "
                                  "an import needs one sheet per table (and a help sheet)",
                                  "prob_imp_wb_too_many_sheets", limit=self.limits.sheets)
            rid = next((v for k, v in attrs.items()
                        if _local(k) == "id" and k.rpartition(" ")[0] in _RELATIONSHIPS_NS),
                       "")
            self.sheets.append((attrs.get("name", ""), rid))


class _Styles(_PartParser):
    """Which cell styles show a number as a date (openpyxl's rule), from styles.xml."""

    def __init__(self, archive: zipfile.ZipFile, part: str, limits: Limits,
                 elements: _Elements) -> None:
        super().__init__(archive, part, limits, elements)
        self.formats: dict[int, str] = dict(BUILTIN_FORMATS)
        self.style_formats: list[int] = []
        self.in_cell_xfs = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt":
            try:
                self.formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                raise self.refuse(f"{self.part} is damaged: a number format without a "
                                  "numeric id") from None
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            try:
                self.style_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                raise self.refuse(f"{self.part} is damaged: a cell style without a numeric "
                                  "number format") from None

    def end(self, name: str) -> None:
        if name == "cellXfs":
            raise _Stop

    def kinds(self) -> tuple[set[int], set[int]]:
        """(styles that are dates, styles that are durations), by style index."""
        dates, durations = set(), set()
        for style, number_format in enumerate(self.style_formats):
            code = self.formats.get(number_format)
            if code and is_date_format(code):
                dates.add(style)
                if is_timedelta_format(code):
                    durations.add(style)
        return dates, durations


class _SheetPart(_PartParser):
    """The real cells of one worksheet part, within the limits."""

    def __init__(self, archive: zipfile.ZipFile, ref: SheetRef, limits: Limits,
                 elements: _Elements, dates: set[int], durations: set[int],
                 epoch: dt.datetime) -> None:
        super().__init__(archive, ref.part, limits, elements, ref.title)
        self.dates, self.durations, self.epoch = dates, durations, epoch
        self.rows: dict[int, dict[int, Cell]] = {}
        self.filled: set[int] = set()  # rows holding a non-blank value
        self.shared: set[int] = set()
        self.in_data = False
        self.row = 0
        self.row_stated = False  # the open <row> says its number (else its cells say it)
        self.column = -1
        self.cells = 0
        self.cell: dict[str, str] | None = None  # attributes of the open <c>
        self.reference = ""
        self.buffer: list[str] | None = None
        self.buffered = 0
        self.value: str | None = None
        self.formula: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif name == "row":
            self._open_row(attrs)
        elif name == "c":
            self._open_cell(attrs)
        elif self.cell is None:
            return
        elif name == "v":
            self._collect()
        elif name == "f":
            self.formula = ""
            self._collect()
        elif name == "is":
            self.inline = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and self.inline is not None and not self.phonetic:
            self._collect()

    def _open_row(self, attrs: dict[str, str]) -> None:
        if self.cell is not None:
            raise self.refuse(f"{self.part} is damaged: a row inside a cell")
        number = attrs.get("r")
        self.row_stated = number is not None
        if number is None:
            self.row += 1
        else:
            if not number.isdigit() or not 1 <= int(number) <= EXCEL_ROWS:
                raise self.refuse(f"{self.part} is damaged: {number[:20]!r} is not a row "
                                  f"number (1 to {EXCEL_ROWS:,})")
            self.row = int(number)
        if self.row > EXCEL_ROWS:
            raise self.refuse(f"{self.part} is damaged: a row after row {EXCEL_ROWS:,}, the "
                              "last a sheet can have")
        self.column = -1

    def _open_cell(self, attrs: dict[str, str]) -> None:
        if self.cell is not None:
            raise self.refuse(f"{self.part} is damaged: a cell inside a cell")
        self.cells += 1
        if self.cells > self.limits.cells:
            raise self.refuse(f"the sheet has more than {self.limits.cells:,} cells, more "
                              "than an import can hold: delete what is not part of the table",
                              "prob_imp_wb_too_many_cells", limit=self.limits.cells)
        reference = attrs.get("r")
        if reference is None:
            self.column += 1
            if self.row == 0:
                self.row = 1
        else:
            match = _REFERENCE.fullmatch(reference)
            column = _column_index(match[1]) if match else -1
            if (not match or not 0 <= column < EXCEL_COLUMNS
                    or not 1 <= int(match[2]) <= EXCEL_ROWS):
                raise self.refuse(f"{self.part} is damaged: {reference[:20]!r} is not a cell "
                                  "reference")
            if self.row_stated and int(match[2]) != self.row:
                raise self.damaged_cell(f"{self.part} is damaged: cell {reference} is inside "
                                        f"row {self.row}", reference)
            self.row, self.column = int(match[2]), column
        self.cell = attrs
        self.reference = f"{column_letter(self.column)}{self.row}"
        self.value = self.formula = None
        self.inline = None
        self.phonetic = 0

    def _collect(self) -> None:
        self.buffer = []
        self.buffered = 0

    def text(self, data: str) -> None:
        if self.buffer is None:
            return
        self.buffered += len(data)
        if self.buffered > self.limits.cell_chars:
            raise self._too_long()
        self.buffer.append(data)

    def end(self, name: str) -> None:
        if name == "sheetData":
            raise _Stop  # the rest (merged cells, formatting...) holds no values
        if self.cell is None:
            return
        if name == "c":
            self._close_cell()
        elif name == "rPh":
            self.phonetic -= 1
        elif self.buffer is not None and name in ("v", "f", "t"):
            collected = "".join(self.buffer)
            self.buffer = None
            if name == "v":
                self.value = collected
            elif name == "f":
                self.formula = collected
            elif self.inline is not None:
                self.inline.append(collected)
                if sum(map(len, self.inline)) > self.limits.cell_chars:
                    raise self._too_long()

    def _too_long(self) -> WorkbookRefused:
        return self.refuse(f"cell {self.reference} holds more than "
                           f"{self.limits.cell_chars:,} characters, more than a "
                           "spreadsheet cell can", "prob_imp_wb_cell_too_long",
                           cell=self.reference, limit=self.limits.cell_chars)

    def _close_cell(self) -> None:
        attrs = self.cell or {}
        self.cell = None
        cell = self._cell(attrs.get("t", "n"), attrs.get("s"))
        if cell is None:
            return
        blank = isinstance(cell.value, str) and not cell.value.strip() and cell.kind == "value"
        if cell.column >= self.limits.columns:
            if blank:
                return  # a space far to the right is noise, not a column
            raise self.refuse(
                f"the sheet has a value in cell {self.reference}, beyond column "
                f"{column_letter(self.limits.columns - 1)}: no table has that many columns; "
                "delete the cells to the right of the table", "prob_imp_wb_beyond_column",
                cell=self.reference, last_column=column_letter(self.limits.columns - 1))
        row = self.rows.setdefault(self.row, {})
        if cell.column in row:
            raise self.damaged_cell(f"{self.part} is damaged: cell {self.reference} appears "
                                    "twice", self.reference)
        row[cell.column] = cell
        if not blank and self.row not in self.filled:
            self.filled.add(self.row)
            if len(self.filled) > self.limits.data_rows + 1:
                raise self.refuse(f"the sheet has more than {self.limits.data_rows:,} data "
                                  f"rows; the limit is {self.limits.data_rows:,} rows per "
                                  "import: split it into smaller files",
                                  "prob_imp_wb_too_many_rows", limit=self.limits.data_rows)

    def _cell(self, kind: str, style: str | None) -> Cell | None:
        """The cell just closed, or None when it holds nothing."""
        if self.formula is not None:
            return Cell(self.column, "formula", "=" + self.formula)
        if kind == "inlineStr":
            if self.inline is None:
                return None
            return Cell(self.column, "value", _unescape("".join(self.inline)))
        value = self.value
        if value is None or value == "":
            return None
        if kind == "s":
            if not value.strip().isdigit():
                raise self.damaged_cell(f"{self.part} is damaged: cell {self.reference} "
                                        f"refers to shared string {value[:20]!r}",
                                        self.reference)
            index = int(value)
            self.shared.add(index)
            return Cell(self.column, "value", _Shared(index))
        if kind == "str":
            return Cell(self.column, "value", _unescape(value))
        if kind == "e":
            return Cell(self.column, "error", value)
        if kind == "b":
            return Cell(self.column, "value", value.strip() in ("1", "true"))
        if kind == "d":
            try:
                return Cell(self.column, "value", from_ISO8601(value))
            except (ValueError, TypeError, OverflowError):
                return Cell(self.column, "value", value)
        if kind != "n":
            raise self.damaged_cell(f"{self.part} is damaged: cell {self.reference} has the "
                                    f"unknown type {kind[:20]!r}", self.reference)
        return Cell(self.column, "value", self._number(value, style))

    def _number(self, text: str, style: str | None) -> Any:
        try:
            if len(text) > 40:
                raise ValueError(text)
            number: int | float = (float(text) if any(c in text for c in ".eE")
                                   else int(text))
        except ValueError:
            raise self.damaged_cell(f"{self.part} is damaged: cell {self.reference} holds "
                                    f"{text[:20]!r}, which is not a number",
                                    self.reference) from None
        style_index = int(style) if style and style.isdigit() else 0
        if style_index not in self.dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style_index in self.durations)
        except (ValueError, OverflowError, TypeError):
            return number  # a number styled as a date that no calendar holds: the number


class _SharedStrings(_PartParser):
    """The shared strings that kept cells refer to, and nothing more."""

    def __init__(self, archive: zipfile.ZipFile, part: str, limits: Limits,
                 elements: _Elements, wanted: set[int]) -> None:
        super().__init__(archive, part, limits, elements)
        self.wanted = wanted
        self.last = max(wanted)
        self.strings: dict[int, str] = {}
        self.index = -1
        self.pieces: list[str] | None = None  # the <t> texts of a wanted item
        self.buffer: list[str] | None = None
        self.length = 0
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            self.index += 1
            self.pieces = [] if self.index in self.wanted else None
            self.length = 0
            self.phonetic = 0
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and self.pieces is not None and not self.phonetic:
            self.buffer = []

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.length += len(data)
            if self.length > self.limits.cell_chars:
                raise self.refuse(f"{self.part}: shared string {self.index} holds more than "
                                  f"{self.limits.cell_chars:,} characters, more than a "
                                  "spreadsheet cell can", "prob_imp_wb_text_too_long",
                                  limit=self.limits.cell_chars)
            self.buffer.append(data)

    def end(self, name: str) -> None:
        if name == "t" and self.buffer is not None and self.pieces is not None:
            self.pieces.append("".join(self.buffer))
            self.buffer = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            if self.pieces is not None:
                self.strings[self.index] = _unescape("".join(self.pieces))
            self.pieces = None
            if self.index >= self.last:
                raise _Stop  # every wanted string is read


class Workbook:
    """An .xlsx archive's worksheets, whose cells ``read`` returns with bounded work."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.elements = _Elements(limits.elements)
        self.parts = {name.casefold(): name for name in archive.namelist()}
        book_part = self._related("_rels/.rels", "", "officeDocument") or "xl/workbook.xml"
        book = _WorkbookPart(archive, self._part(book_part), limits, self.elements)
        book.parse()
        self.epoch = CALENDAR_MAC_1904 if book.date1904 else CALENDAR_WINDOWS_1900
        base = posixpath.dirname(book.part)
        rels_part = posixpath.join(base, "_rels", posixpath.basename(book.part) + ".rels")
        rels = _Relationships(archive, self._part(rels_part), limits, self.elements, base)
        rels.parse()
        self.shared_part = rels.of_type("sharedStrings")
        self.styles_part = rels.of_type("styles")
        self.sheets: list[SheetRef] = []
        seen: set[str] = set()
        for title, rid in book.sheets:
            kind, target = rels.targets.get(rid, ("", ""))
            if not target:
                raise WorkbookRefused(rels.part, f"{rels.part} is damaged: the sheet "
                                      f"{title[:40]!r} has no part")
            if kind.rsplit("/", 1)[-1] != "worksheet":
                continue  # a chart or dialog sheet: no cells
            if title.casefold() in seen:
                raise WorkbookRefused(book.part, f"{book.part} is damaged: two sheets are "
                                      f"named {title[:40]!r}",
                                      code="prob_imp_wb_same_sheet_names",
                                      params={"sheet": title[:40]})
            seen.add(title.casefold())
            self.sheets.append(SheetRef(title, self._part(target)))

    def _part(self, name: str) -> str:
        """The archive's name of a part (part names ignore case); refused when missing."""
        found = self.parts.get(name.casefold())
        if found is None:
            raise WorkbookRefused(name, f"the workbook is damaged: its part {name} is missing",
                                  code="prob_imp_wb_part_missing", params={"part": name})
        return found

    def _related(self, rels_part: str, base: str, kind: str) -> str | None:
        if rels_part.casefold() not in self.parts:
            return None
        rels = _Relationships(self.archive, self._part(rels_part), self.limits,
                              self.elements, base)
        rels.parse()
        return rels.of_type(kind)

    def read(self, sheets: Sequence[SheetRef]) -> dict[str, Rows]:
        """The real cells of ``sheets``, by part: rows by number, cells by column."""
        dates: set[int] = set()
        durations: set[int] = set()
        if self.styles_part and self.styles_part.casefold() in self.parts:
            styles = _Styles(self.archive, self._part(self.styles_part), self.limits,
                             self.elements)
            styles.parse()
            dates, durations = styles.kinds()
        parsed = []
        for ref in sheets:
            sheet = _SheetPart(self.archive, ref, self.limits, self.elements, dates,
                               durations, self.epoch)
            sheet.parse()
            parsed.append(sheet)
        wanted = set().union(*(s.shared for s in parsed))
        strings: dict[int, str] = {}
        if wanted:
            if not self.shared_part:
                raise WorkbookRefused("xl/sharedStrings.xml", "the workbook is damaged: cells "
                                      "refer to shared strings but it has none",
                                      code="prob_imp_wb_part_missing",
                                      params={"part": "xl/sharedStrings.xml"})
            table = _SharedStrings(self.archive, self._part(self.shared_part), self.limits,
                                   self.elements, wanted)
            table.parse()
            strings = table.strings
            missing = min(wanted - strings.keys(), default=None)
            if missing is not None:
                raise WorkbookRefused(table.part, f"the workbook is damaged: a cell refers to "
                                      f"shared string {missing}, but {table.part} has only "
                                      f"{table.index + 1}")
        out: dict[str, Rows] = {}
        for sheet in parsed:
            rows: Rows = []
            for number in sorted(sheet.rows):
                cells = [sheet.rows[number][c] for c in sorted(sheet.rows[number])]
                for cell in cells:
                    if isinstance(cell.value, _Shared):
                        cell.value = strings[cell.value.index]
                rows.append((number, cells))
            out[sheet.part] = rows
        return out
