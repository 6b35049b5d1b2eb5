from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from atlas.dataset import parse_table, read_dataset, table_to_csv
from atlas.model import SITES, TABLES, TableSpec
from atlas.synth import synthesize
from tests.dataset_reference import parse_table_cell_by_cell, table_to_csv_row_by_row

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def test_bundled_files_are_in_canonical_form() -> None:
    data, problems = read_dataset(GEODATA)
    assert problems == []
    for spec in TABLES:
        assert table_to_csv(spec, data[spec.name]) == (GEODATA / spec.file_name).read_text(
            encoding="utf-8"), spec.name


def test_missing_and_extra_columns_are_reported() -> None:
    header = ",".join(c for c in SITES.column_names if c != "lat") + ",colour\n"
    _, problems = parse_table(SITES, header, "sites.csv")
    assert {(p.field, p.message) for p in problems} == {
        ("lat", "required column is missing"), ("colour", "unknown column")}


def test_bad_cells_name_row_and_field() -> None:
    text = ",".join(SITES.column_names) + "\n" + ",".join(
        "abc" if c == "lon" else ("1.5" if c == "phase" else "x") for c in SITES.column_names)
    df, problems = parse_table(SITES, text + "\n", "sites.csv")
    assert {(p.row, p.field) for p in problems} == {(2, "lon"), (2, "lat"), (2, "phase")}
    assert len(df) == 1


def test_empty_file() -> None:
    _, problems = parse_table(SITES, "", "sites.csv")
    assert problems[0].message == "the file is empty"


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_bytes("name\n\xff\xfe".encode("latin-1"))
    _, problems = read_dataset(tmp_path)
    messages = {p.file: p.message for p in problems}
    assert messages[f"{tmp_path.name}/sites.csv"].startswith("not UTF-8")
    assert messages[f"{tmp_path.name}/projects.csv"] == "file is missing"


def test_line_numbers_are_shared_not_copied_by_derived_frames():
    # pandas deep-copies attrs into every derived frame; a list made each filter cost as much
    # as the whole table (a 10,000-site validation took 116 s instead of 6 s).
    from atlas.dataset import LineNumbers
    from atlas.model import TABLES_BY_NAME

    spec = TABLES_BY_NAME["sdgs"]
    text = "goal,name_en,name_ru,name_kk,colour\n" + "".join(
        f"{g},Goal {g},,,#000000\n" for g in range(1, 18))
    df, problems = parse_table(spec, text, "sdgs.csv")
    assert problems == []
    assert isinstance(df.attrs["lines"], LineNumbers)
    assert df.loc[df["goal"] > 3].attrs["lines"] is df.attrs["lines"]
    assert list(df.attrs["lines"]) == list(range(2, 19))


# --- whole-column parse and format agree with the cell-by-cell ones ---------------------------


def _damaged_csv(spec_name: str, text: str) -> str:
    """A table's CSV with cells, rows and the header broken in the ways the parser reports."""
    lines = text.splitlines()
    header = lines[0].split(",")
    spec = next(s for s in TABLES if s.name == spec_name)
    types = {c.name: c.type for c in spec.columns}

    def with_cell(line: str, column: str, value: str) -> str:
        cells = next(csv.reader([line]))
        cells[header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        return out.getvalue()

    bad = {"float": ["abc", "1 000", "nan", "inf", " 2.5 ", "1\u00a0000", ""],
           "int": ["1.5", " 7 ", "x", ""], "bool": ["maybe", " TRUE ", "0", ""],
           "text": ["'=1+2", "''+x", "  padded  ", "a\r\nb", "'plain"],
           "ids": [" a ; b ", "'-x"]}
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        column = header[i % len(header)]
        choices = bad[types.get(column, "text")]
        out.append(with_cell(line, column, choices[i % len(choices)]) if i % 3 else line)
        if i == 4:
            out += ["", " , ,", line + ",extra", ",".join(line.split(",")[:3])]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_column_parse_agrees_with_the_cell_by_cell_parse(spec: TableSpec) -> None:
    text = _damaged_csv(spec.name, (GEODATA / spec.file_name).read_text(encoding="utf-8"))
    fast, fast_problems = parse_table(spec, text, "x.csv")
    slow, slow_problems = parse_table_cell_by_cell(spec, text, "x.csv")
    assert fast_problems == slow_problems
    assert tuple(fast.attrs["lines"]) == tuple(slow.attrs["lines"])
    assert list(fast.dtypes) == list(slow.dtypes)
    assert fast.equals(slow)


def test_column_parse_keeps_a_repeated_columns_last_cell() -> None:
    spec = next(s for s in TABLES if s.name == "sdgs")
    names = spec.column_names
    text = ",".join([*names, names[1]]) + "\n" + ",".join(["3", *["x"] * len(names)]) + \
        "\n" + ",".join(["4", "short"]) + "\n"
    fast, fast_problems = parse_table(spec, text, "x.csv")
    slow, slow_problems = parse_table_cell_by_cell(spec, text, "x.csv")
    assert fast_problems == slow_problems and fast.equals(slow)


def test_column_format_agrees_with_the_cell_by_cell_format() -> None:
    data = synthesize(300, seed=3)
    sites = data["sites"]
    sites.loc[0:4, "name_en"] = ["=cmd", "a\rb", "''+x", "'", "-5"]
    sites.loc[5, "lon"] = float("inf")
    sites.loc[6, "phase"] = None
    sites.loc[7, "lat"] = 1e-7
    for spec in TABLES:
        assert table_to_csv(spec, data[spec.name]) == \
            table_to_csv_row_by_row(spec, data[spec.name]), spec.name


# The English free-text columns a page shows: each has its ru/kk version right after it.
_SHOWN_NOTES = {
    "projects": ("period_basis", "budget_basis", "note"), "participants": ("note",),
    "organizations": ("home_basis", "note"), "funding_flows": ("basis", "year_basis", "note"),
    "results": ("basis", "note"), "sites": ("location_basis", "note"), "places": ("basis",),
    "project_sdgs": ("rationale",), "sources": ("publisher", "note"), "rates": ("source", "note"),
}


def test_every_shown_note_has_ru_and_kk_columns_in_the_model_and_the_bundled_files() -> None:
    from atlas.model import NOTE_TRANSLATION_COLUMNS, TABLES_BY_NAME

    for table, fields in _SHOWN_NOTES.items():
        names = TABLES_BY_NAME[table].column_names
        for field in fields:
            at = names.index(field)
            assert names[at + 1:at + 3] == [f"{field}_ru", f"{field}_kk"], (table, field)
    sites = TABLES_BY_NAME["sites"].column_names
    at = sites.index("district_en")
    assert sites[at:at + 3] == ["district_en", "district_ru", "district_kk"]
    for table, column in NOTE_TRANSLATION_COLUMNS:
        assert column in TABLES_BY_NAME[table].column_names
    for spec in TABLES:  # the files' headers are the model's columns, in its order
        path = Path(__file__).parents[1] / "geodata" / spec.file_name
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == spec.column_names, spec.name
