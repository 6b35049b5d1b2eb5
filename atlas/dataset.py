"""The data set as typed DataFrames, read from and written to ``geodata/*.csv``.

Reading never raises on bad content: every cell that does not fit its column becomes a
``Problem`` naming the file, row and field, so a malformed file is reported, not half-loaded.
Writing is canonical (fixed column order, rows sorted by key, one number format), which is what
makes ``load -> store -> export`` byte-for-byte lossless.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from atlas.formulas import inert, restore
from atlas.model import TABLES, Column, TableSpec

DataSet = dict[str, pd.DataFrame]
ID_SEPARATOR = ";"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    row: int | None  # line number in the CSV (header is line 1); None for whole-file problems
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


def is_missing(value: object) -> bool:
    """True for an empty cell, whatever its type: None, pandas NA, NaN or ""."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value == ""


def split_ids(value: object) -> list[str]:
    """The ids in a semicolon-separated cell (empty cell -> no ids)."""
    if not isinstance(value, str) or not value.strip():
        return []
    return [part.strip() for part in value.split(ID_SEPARATOR) if part.strip()]


def _parse_cell(column: Column, raw: str) -> Any:
    """Turn a CSV cell into a typed value; raises ValueError with a readable reason."""
    text = raw.strip()
    if column.type == "text" or column.type == "ids":
        return restore(text).replace("\r\n", "\n")
    if text == "":
        return None if column.type != "bool" else False
    if column.type == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
    if column.type == "float":
        try:
            value = float(text.replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if column.type == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError(f"{text!r} is not true or false")
    raise AssertionError(column.type)


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """A typed, empty table with the spec's columns."""
    return frame_from_records(spec, [])


def frame_from_records(spec: TableSpec, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the spec's columns and dtypes, from already-typed records."""
    df = pd.DataFrame(list(records), columns=spec.column_names)
    for column in spec.columns:
        if column.type == "int":
            df[column.name] = df[column.name].astype("Int64")
        elif column.type == "float":
            df[column.name] = pd.to_numeric(df[column.name]).astype("float64")
        elif column.type == "bool":
            df[column.name] = df[column.name].fillna(False).astype(bool)
        else:
            df[column.name] = df[column.name].fillna("").astype(object)
    return df.reset_index(drop=True)


def parse_table(spec: TableSpec, text: str, file_label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse CSV text against ``spec``; cells that do not parse are reported and left empty."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return empty_table(spec), [Problem(file_label, None, None, "the file is empty")]
    header = [h.strip() for h in rows[0]]
    missing = [c for c in spec.column_names if c not in header]
    extra = [h for h in header if h not in spec.column_names]
    for name in missing:
        problems.append(Problem(file_label, 1, name, "required column is missing"))
    for name in extra:
        problems.append(Problem(file_label, 1, name or "(blank)", "unknown column"))
    if len(set(header)) != len(header):
        problems.append(Problem(file_label, 1, None, "a column name is repeated"))
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(file_label, line_no, None,
                        f"has {len(row)} cells, header has {len(header)}")
            )
        cells = dict(zip(header, row, strict=False))
        record: dict[str, Any] = {}
        for column in spec.columns:
            raw = cells.get(column.name, "")
            try:
                record[column.name] = _parse_cell(column, raw)
            except ValueError as exc:
                problems.append(Problem(file_label, line_no, column.name, str(exc)))
                record[column.name] = None
        record["_line"] = line_no
        records.append(record)
    df = frame_from_records(spec, records)
    df.attrs["lines"] = [r["_line"] for r in records]
    return df, problems


def read_dataset(folder: Path) -> tuple[DataSet, list[Problem]]:
    """Read every table of the data set from ``folder``; a missing file is a problem."""
    data: DataSet = {}
    problems: list[Problem] = []
    for spec in TABLES:
        path = folder / spec.file_name
        label = f"{folder.name}/{spec.file_name}"
        if not path.exists():
            problems.append(Problem(label, None, None, "file is missing"))
            data[spec.name] = empty_table(spec)
            continue
        try:
            # newline="": the csv module itself tells a row's end from a line break in a cell.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError as exc:
            problems.append(Problem(label, None, None, f"not UTF-8 text ({exc.reason})"))
            data[spec.name] = empty_table(spec)
            continue
        data[spec.name], found = parse_table(spec, text, label)
        problems.extend(found)
    return data, problems


def format_cell(column: Column, value: Any) -> str:
    """The canonical text of a typed value."""
    if is_missing(value):
        return "" if column.type != "bool" else "false"
    if column.type == "bool":
        return "true" if bool(value) else "false"
    if column.type == "int":
        return str(int(value))
    if column.type == "float":
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


def sorted_table(spec: TableSpec, df: pd.DataFrame) -> pd.DataFrame:
    """Rows in key order: the order files are written and compared in."""
    return df.sort_values(list(spec.key), kind="stable").reset_index(drop=True)


def table_to_csv(spec: TableSpec, df: pd.DataFrame) -> str:
    """Canonical CSV text of a table; text that a spreadsheet would run is made inert (and
    restored by ``parse_table``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a cell holding the line terminator, "\n", but not a lone "\r",
    # which every reader takes for a line break: such rows are written fully quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(spec.column_names)
    text_columns = {c.name for c in spec.columns if c.type in ("text", "ids")}
    for record in sorted_table(spec, df).to_dict("records"):
        cells = [str(inert(format_cell(c, record[c.name]))) if c.name in text_columns
                 else format_cell(c, record[c.name]) for c in spec.columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


def write_dataset(data: DataSet, folder: Path) -> list[Path]:
    """Write every table to ``folder`` in canonical form; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TABLES:
        path = folder / spec.file_name
        path.write_text(table_to_csv(spec, data[spec.name]), encoding="utf-8")
        written.append(path)
    return written
