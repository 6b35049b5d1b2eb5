from __future__ import annotations

from pathlib import Path

from atlas.dataset import parse_table, read_dataset, table_to_csv
from atlas.model import SITES, TABLES

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
