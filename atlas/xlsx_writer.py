"""A streaming .xlsx writer for tables: header, rows of text and numbers, nothing more.

openpyxl makes an object per cell and serialises each through lxml: a workbook of 10,000 sites
(300,000 cells) took half a minute even in its write-only mode, and 100,000 sites minutes. A
table needs none of that machinery: this writer turns each column into its cells' XML once
and streams the rows into the zip, with the few styles a table uses (amounts with thousands
separators, text that must stay text), column widths, a frozen header and a filter.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl.utils import get_column_letter

# Cell styles, by their index in styles.xml's cellXfs.
PLAIN, WHOLE_AMOUNT, AMOUNT, TEXT = 0, 1, 2, 3


@dataclass(frozen=True)
class Column:
    """One column: its header, its width in characters, and its cells top to bottom.

    A cell is None (empty), a str (text), an int or a float; ``styles`` gives each cell's
    style (PLAIN, WHOLE_AMOUNT, AMOUNT or TEXT), or is empty for all PLAIN.
    """

    header: str
    width: float
    cells: Sequence[Any]
    styles: Sequence[int] = ()
    header_style: int = PLAIN


@dataclass(frozen=True)
class Sheet:
    """A sheet of a table: a name Excel accepts and its columns (all of the same length)."""

    name: str
    columns: Sequence[Column]
    note: str = ""  # a line below the table (outside its filter), e.g. what was left out

    @property
    def rows(self) -> int:
        """Data rows (the header not counted)."""
        return len(self.columns[0].cells) if self.columns else 0


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/>'
    '<scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    # Built-in formats 3 (#,##0) and 4 (#,##0.00): every spreadsheet knows them.
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _text_cell(ref: str, text: str, style: int) -> str:
    s = f' s="{style}"' if style else ""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value, style)
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        # 16 significant digits, as openpyxl writes them (and Excel shows at most 15).
        return f'<c r="{ref}"{s}><v>{value:.16g}</v></c>'
    return _text_cell(ref, str(value), style)


def _column_xml(letter: str, column: Column) -> list[str]:
    """The XML of each data cell of ``column`` (row 2 on), "" for an empty one."""
    styles = column.styles or [PLAIN] * len(column.cells)
    return [_cell(f"{letter}{row}", value, style)
            for row, (value, style) in enumerate(zip(column.cells, styles, strict=True),
                                                 start=2)]


def _sheet_xml(out: BinaryIO, sheet: Sheet) -> None:
    letters = [get_column_letter(i) for i in range(1, len(sheet.columns) + 1)]
    last = f"{letters[-1] if letters else 'A'}{sheet.rows + 1}"
    bottom = sheet.rows + 3 if sheet.note else sheet.rows + 1
    out.write((
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="A1:{letters[-1] if letters else "A"}{bottom}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    ).encode())
    if sheet.columns:
        out.write(("<cols>" + "".join(
            f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
            for i, c in enumerate(sheet.columns, start=1)) + "</cols>").encode())
    out.write(b"<sheetData>")
    header = "".join(_cell(f"{letter}1", c.header or None, c.header_style)
                     for letter, c in zip(letters, sheet.columns, strict=True))
    out.write(f'<row r="1">{header}</row>'.encode())
    cells = [_column_xml(letter, c) for letter, c in zip(letters, sheet.columns, strict=True)]
    chunk: list[str] = []
    for row, parts in enumerate(zip(*cells, strict=True), start=2):
        chunk.append(f'<row r="{row}">{"".join(parts)}</row>')
        if len(chunk) == 2000:
            out.write("".join(chunk).encode())
            chunk = []
    out.write("".join(chunk).encode())
    if sheet.note:
        below = sheet.rows + 3  # one empty row between the table and the note
        out.write(f'<row r="{below}">{_text_cell(f"A{below}", sheet.note, PLAIN)}</row>'
                  .encode())
    out.write(b"</sheetData>")
    if sheet.rows:
        out.write(f'<autoFilter ref="A1:{last}"/>'.encode())
    out.write(b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
              b'footer="0.5"/></worksheet>')


def _filter_name(index: int, sheet: Sheet) -> str:
    """The defined name Excel keeps a sheet's filter range under."""
    last = get_column_letter(max(len(sheet.columns), 1))
    quoted = sheet.name.replace("'", "''")
    ref = _escape(f"'{quoted}'!$A$1:${last}${sheet.rows + 1}")
    return (f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
            f"{ref}</definedName>")


def write_xlsx(out: BinaryIO, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` as an .xlsx workbook to the binary stream ``out``."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      f'ContentType="{_SHEET_TYPE}"/>' for i in range(1, len(sheets) + 1))
            + "</Types>"))
        z.writestr("_rels/.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" '
              'Target="styles.xml"/></Relationships>'))
        filters = "".join(_filter_name(i, s) for i, s in enumerate(sheets) if s.rows)
        z.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(f'<sheet name="{_attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
            + "</sheets>"
            + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'))
        z.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                _sheet_xml(part, sheet)  # type: ignore[arg-type]
