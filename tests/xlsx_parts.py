"""Write .xlsx files from raw XML parts: the hostile and damaged workbooks no spreadsheet
program would write (a declared A1:XFD1048576, a stale dimension, a DTD, a cut-off sheet...)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from atlas.xlsx_cells import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = f'xmlns="{MAIN}" xmlns:r="{RELS}"'


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number: int, values: Sequence[str]) -> str:
    """A row of inline-string cells (empty values leave no cell)."""
    cells = "".join(text_cell(f"{column_letter(i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def sheet(rows: str, dimension: str = "A1", after: str = "") -> str:
    """A worksheet part: ``rows`` inside sheetData, ``after`` following it (merged cells...)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension '
            f'ref="{dimension}"/><sheetData>{rows}</sheetData>{after}</worksheet>')


def xlsx(sheets: Sequence[tuple[str, str | bytes]], shared: str | bytes | None = None,
         styles: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook of the given (title, worksheet XML) sheets, with optional shared strings
    and styles parts; ``extra`` parts are added as they are."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="'
            'application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.sheet.main+xml"/>{overrides}</Types>'))
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        entries = "".join(f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, (title, _) in enumerate(sheets, start=1))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>{entries}</sheets>'
            '</workbook>'))
        rels = "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += (f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" '
                     'Target="sharedStrings.xml"/>')
            archive.writestr("xl/sharedStrings.xml", shared)
        if styles is not None:
            rels += f'<Relationship Id="rIdT" Type="{RELS}/styles" Target="styles.xml"/>'
            archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'{rels}</Relationships>'))
        for i, (_, part) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", part)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def shared_strings(*texts: str) -> str:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>{items}</sst>'


def entity_bomb() -> str:
    """A worksheet whose one cell expands to a billion "lol"s through nested entities."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet {NS}>'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            '</sheetData></worksheet>')
