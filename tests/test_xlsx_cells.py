"""The bounded real-cells reader: what a sheet holds, whatever it declares; damage and excess
refused with the part named."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest

from atlas.xlsx_cells import Limits, Workbook, WorkbookRefused
from tests import xlsx_parts

LIMITS = Limits(data_rows=10, columns=5, cells=100)


def cells_of(content: bytes, limits: Limits = LIMITS) -> list[tuple[int, list[tuple[int, str,
                                                                                    Any]]]]:
    """(row, [(column, kind, value)...]) of the first sheet."""
    book = Workbook(zipfile.ZipFile(io.BytesIO(content)), limits)
    rows = book.read(book.sheets[:1])[book.sheets[0].part]
    return [(n, [(c.column, c.kind, c.value) for c in cells]) for n, cells in rows]


def one_sheet(rows: str, **kw: Any) -> bytes:
    return xlsx_parts.xlsx([("data", xlsx_parts.sheet(rows))], **kw)


def refusal(content: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(WorkbookRefused) as raised:
        cells_of(content, limits)
    return raised.value.message


def test_only_real_cells_are_read_whatever_the_dimension_says() -> None:
    content = xlsx_parts.xlsx([("data", xlsx_parts.sheet(
        '<row r="3"><c r="B3" t="inlineStr"><is><t>b</t></is></c><c r="XFD3" s="1"/></row>',
        "A1:XFD1048576"))])
    assert cells_of(content) == [(3, [(1, "value", "b")])]  # the empty styled cell: nothing


def test_what_openpyxl_writes_reads_back_with_types() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["text", 3, 2.5, True, dt.datetime(2020, 5, 3), "=1+2", "Құрық"])
    ws["A2"] = "second"
    out = io.BytesIO()
    book.save(out)
    assert cells_of(out.getvalue(), Limits(data_rows=10, columns=10, cells=100)) == [
        (1, [(0, "value", "text"), (1, "value", 3), (2, "value", 2.5), (3, "value", True),
             (4, "value", dt.datetime(2020, 5, 3)), (5, "formula", "=1+2"),
             (6, "value", "Құрық")]),
        (2, [(0, "value", "second")])]


def test_shared_strings_rich_text_escapes_and_phonetic_runs() -> None:
    shared = (f'<sst {xlsx_parts.NS}><si><t>unused</t></si>'
              '<si><r><t>Kur</t></r><r><t>yk</t></r><rPh><t>ignored</t></rPh></si>'
              "<si><t>a_x000D_b</t></si></sst>")
    content = one_sheet('<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c>'
                        "</row>", shared=shared)
    assert cells_of(content) == [(1, [(0, "value", "Kuryk"), (1, "value", "a\rb")])]


def test_rows_and_cells_without_references_follow_the_previous_ones() -> None:
    content = one_sheet('<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is>'
                        '<t>b</t></is></c></row><row><c t="b"><v>0</v></c></row>'
                        '<row r="9"><c r="C9" t="e"><v>#N/A</v></c></row>')
    assert cells_of(content) == [(1, [(0, "value", "a"), (1, "value", "b")]),
                                 (2, [(0, "value", False)]), (9, [(2, "error", "#N/A")])]


def test_dates_come_from_the_cell_style() -> None:
    styles = (f'<styleSheet {xlsx_parts.NS}><numFmts count="1"><numFmt numFmtId="164" '
              'formatCode="yyyy-mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
              '<xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>')
    content = one_sheet('<row r="1"><c r="A1" s="1"><v>43952</v></c><c r="B1" s="2"><v>'
                        '43954</v></c><c r="C1"><v>43952</v></c><c r="D1" s="1"><v>1e300</v>'
                        "</c></row>", styles=styles)
    assert cells_of(content) == [(1, [(0, "value", dt.datetime(2020, 5, 1)),
                                      (1, "value", dt.datetime(2020, 5, 3)),
                                      (2, "value", 43952), (3, "value", 1e300)])]


def test_chart_sheets_are_skipped_and_part_names_ignore_case() -> None:
    content = xlsx_parts.xlsx([("data", xlsx_parts.sheet(""))])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'<sheet name="chart" sheetId="9" '
                                    b'r:id="rId9"/></sheets>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="'
                                    + xlsx_parts.RELS.encode() + b'/chartsheet" Target="'
                                    b'chartsheets/sheet1.xml"/></Relationships>')
            name = info.filename.replace("worksheets/sheet1", "Worksheets/Sheet1")
            target.writestr(name, data)
    book = Workbook(zipfile.ZipFile(io.BytesIO(out.getvalue())), LIMITS)
    assert [(s.title, s.part) for s in book.sheets] == [("data", "xl/Worksheets/Sheet1.xml")]


@pytest.mark.parametrize(("rows", "message"), [
    ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>',
     "xl/worksheets/sheet1.xml is damaged: cell A1 appears twice"),
    ('<row r="1"><c r="A1"><v>1</v><c r="B1"/></c></row>',
     "xl/worksheets/sheet1.xml is damaged: a cell inside a cell"),
    ('<row r="1"><c r="A1" t="x"><v>1</v></c></row>',
     "xl/worksheets/sheet1.xml is damaged: cell A1 has the unknown type 'x'"),
    ('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>',
     "xl/worksheets/sheet1.xml is damaged: cell A1 refers to shared string '-1'"),
    ('<row r="1"><c r="F1"><v>1</v></c></row>',
     "the sheet has a value in cell F1, beyond column E"),
    ("".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 13)),
     "the sheet has more than 10 data rows"),
])
def test_damage_and_excess_are_refused_with_the_part(rows: str, message: str) -> None:
    assert refusal(one_sheet(rows)).startswith(message)


def test_blank_text_far_right_is_noise_not_a_column() -> None:
    content = one_sheet('<row r="1"><c r="A1"><v>1</v></c><c r="Z1" t="inlineStr"><is><t> '
                        "</t></is></c></row>")
    assert cells_of(content) == [(1, [(0, "value", 1)])]


def test_the_element_limit_is_one_for_the_whole_workbook() -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 5))
    content = xlsx_parts.xlsx([(f"s{i}", xlsx_parts.sheet(rows)) for i in range(4)])
    limits = Limits(data_rows=10, columns=5, cells=100, elements=60)
    book = Workbook(zipfile.ZipFile(io.BytesIO(content)), limits)
    with pytest.raises(WorkbookRefused) as raised:
        book.read(book.sheets)  # each sheet alone is far below 60 elements
    assert raised.value.message.startswith("the workbook holds more than 60 XML elements")
    assert raised.value.sheet is not None


def test_every_refusal_has_a_message_in_each_language_with_its_parameters() -> None:
    import re

    from atlas.i18n import _STRINGS
    from atlas.xlsx_cells import REFUSALS

    for code, params in REFUSALS.items():
        for text in _STRINGS[code]:
            assert set(re.findall(r"\{(\w+)\}", text)) == set(params), (code, text)


def test_a_refusal_carries_its_code_and_parameters() -> None:
    with pytest.raises(WorkbookRefused) as raised:
        cells_of(one_sheet('<row r="1"><c r="F1"><v>1</v></c></row>'))
    assert (raised.value.code, raised.value.params) == (
        "prob_imp_wb_beyond_column", {"cell": "F1", "last_column": "E"})
    with pytest.raises(WorkbookRefused) as raised:
        cells_of(one_sheet('<row r="1"><c r="A1"><v>1</v><c r="B1"/></c></row>'))
    assert (raised.value.code, raised.value.params) == (
        "prob_imp_wb_damaged", {"part": "xl/worksheets/sheet1.xml"})
