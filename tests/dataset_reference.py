"""``parse_table`` and ``table_to_csv`` as they were, row by row and cell by cell: the
brute-force reference the column-at-once versions are compared with (tests only)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from atlas.dataset import (
    LineNumbers,
    Problem,
    _parse_cell,
    empty_table,
    format_cell,
    sorted_table,
    typed_frame,
)
from atlas.formulas import inert
from atlas.model import TableSpec


def parse_table_cell_by_cell(spec: TableSpec, text: str,
                             file_label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """``parse_table`` as it was: each row as a dict, each cell through ``_parse_cell``."""
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
    # As frame_from_records built it then: pandas typing the records itself.
    df = typed_frame(spec, pd.DataFrame(records, columns=spec.column_names))
    df.attrs["lines"] = LineNumbers(r["_line"] for r in records)
    return df, problems



def table_to_csv_row_by_row(spec: TableSpec, df: pd.DataFrame) -> str:
    """``table_to_csv`` as it was: each record formatted cell by cell."""
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


