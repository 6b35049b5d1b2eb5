"""The data set as typed DataFrames, read from and written to ``geodata/*.csv``.

Reading never raises on bad content: every cell that does not fit its column becomes a
``Problem`` naming the file, row and field, so a malformed file is reported, not half-loaded.
Writing is canonical (fixed column order, rows sorted by key, one number format), which is what
makes ``load -> store -> export`` byte-for-byte lossless.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import io
import math
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from atlas.formulas import FORMULA_START, inert, restore
from atlas.model import TABLES, Column, TableSpec

DataSet = dict[str, pd.DataFrame]
ID_SEPARATOR = ";"


@dataclass(frozen=True)
class Number:
    """A number inside a message, written the reader's way ("50,000" / "50 000") with
    ``decimals`` places (None: as few as the value needs)."""

    value: float
    decimals: int | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can.

    ``code`` is an ``atlas.i18n`` key and ``params`` its parameters: pages render them in the
    reader's language, and ``message`` is the same text in English, for the command line.
    A parameter is a number (int, float or ``Number``: written the language's way) or text
    shown as it is; pages also name a parameter ``table`` by its label, ``column`` by its
    column label, and one named after a choice column of the problem's table by its choice.
    """

    file: str
    row: int | None  # line number in the CSV (header is line 1); None for whole-file problems
    field: str | None
    message: str  # English, for the command line
    # Not part of a problem's identity: the English message says the same.
    code: str = dataclass_field(default="", compare=False)
    params: tuple[tuple[str, Any], ...] = dataclass_field(default=(), compare=False)

    @classmethod
    def coded(cls, file: str, row: int | None, column: str | None, code: str, /,
              **params: Any) -> Problem:
        """A problem with the message ``code`` (its English text rendered from the same key)."""
        return cls(file, row, column, message_text(code, "en", params), code,
                   tuple(params.items()))

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


def number_text(value: float | Number, lang: str) -> str:
    """A message's number in ``lang``: grouped thousands, the decimals it needs."""
    from atlas.figures import format_number

    number = value if isinstance(value, Number) else Number(value)
    decimals = number.decimals
    if decimals is None:
        # As many as six significant digits need (Python's "g"), without an exponent.
        shown = f"{float(number.value):.6g}"
        decimals = len(shown.split(".")[1]) if "." in shown and "e" not in shown else 0
    return format_number(number.value, lang, decimals=decimals)


# A parameter's text chosen by a page (None: the usual text), given its name and value.
ParamText = Callable[[str, Any], "str | None"]


def message_text(code: str, lang: str, params: Mapping[str, Any],
                 show: ParamText | None = None) -> str:
    """The message ``code`` in ``lang``: numbers written the language's way, a nested message
    (a ``(code, params)`` pair) rendered in turn, other parameters as they are unless ``show``
    gives their text."""
    from atlas.i18n import t

    values = {}
    for name, value in params.items():
        chosen = show(name, value) if show is not None else None
        if chosen is not None:
            values[name] = chosen
        elif isinstance(value, Number) or (isinstance(value, int | float)
                                           and not isinstance(value, bool)):
            values[name] = number_text(value, lang)
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            values[name] = message_text(value[0], lang, dict(value[1]), show)
        else:
            values[name] = str(value)
    return t(code, lang, **values)


def nested(problem: Problem) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """A problem's message as the parameter of another message."""
    return problem.code, problem.params


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


class CellRefused(ValueError):
    """A cell that does not fit its column: the message code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(message_text(code, "en", params))
        self.code = code
        self.params = params


def _parse_cell(column: Column, raw: str) -> Any:
    """Turn a CSV cell into a typed value; raises CellRefused with a readable reason."""
    text = raw.strip()
    if column.type == "text" or column.type == "ids":
        return restore(text).replace("\r\n", "\n")
    if text == "":
        return None if column.type != "bool" else False
    if column.type == "int":
        try:
            return int(text)
        except ValueError:
            raise CellRefused("prob_not_whole", value=repr(text)) from None
    if column.type == "float":
        try:
            value = float(text.replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise CellRefused("prob_not_number", value=repr(text)) from None
        if not math.isfinite(value):
            raise CellRefused("prob_not_finite", value=repr(text))
        return value
    if column.type == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise CellRefused("prob_not_bool", value=repr(text))
    raise AssertionError(column.type)


class LineNumbers(tuple[int, ...]):
    """The file lines of a table's rows, kept in ``DataFrame.attrs["lines"]``.

    pandas deep-copies ``attrs`` into every frame derived from a table (each filter, each
    ``loc``); a plain list made that copy cost as much as the table, on every operation, which
    made a 10,000-row validation quadratic. An immutable tuple can be shared instead.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict[int, object]) -> LineNumbers:
        return self


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """A typed, empty table with the spec's columns."""
    return frame_from_records(spec, [])


def frame_from_records(spec: TableSpec, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the spec's columns and dtypes, from already-typed records."""
    rows = list(records)
    return frame_from_columns(spec, {c: [r.get(c) for r in rows] for c in spec.column_names})


def frame_from_columns(spec: TableSpec, columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the spec's columns and dtypes, from already-typed columns
    (a column ``columns`` lacks is empty)."""
    length = len(next(iter(columns.values()), ()))
    # Object columns: pandas would otherwise first infer its own string type for text, and
    # converting that back to Python strings cost more than the whole parse.
    frame = pd.DataFrame({c: pd.Series(columns.get(c, [None] * length), dtype=object)
                          for c in spec.column_names}, columns=spec.column_names)
    return typed_frame(spec, frame)


def typed_frame(spec: TableSpec, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (exactly the spec's columns) with the spec's dtypes, converted column by column."""
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
        return empty_table(spec), [Problem.coded(file_label, None, None, "prob_file_empty")]
    header = [h.strip() for h in rows[0]]
    missing = [c for c in spec.column_names if c not in header]
    extra = [h for h in header if h not in spec.column_names]
    for name in missing:
        problems.append(Problem.coded(file_label, 1, name, "prob_column_missing"))
    for name in extra:
        problems.append(Problem.coded(file_label, 1, name or "(blank)", "prob_column_unknown"))
    if len(set(header)) != len(header):
        problems.append(Problem.coded(file_label, 1, None, "prob_column_repeated"))
    width = len(header)
    lines = [n for n, row in enumerate(rows[1:], start=2) if "".join(row).strip()]
    body = [rows[n - 1] for n in lines]
    # (line, column order, problem): a row's own problem first, then its cells left to right.
    found: list[tuple[int, int, Problem]] = [
        (n, -1, Problem.coded(file_label, n, None, "prob_row_width", cells=len(row),
                             width=width))
        for n, row in zip(lines, body, strict=True) if len(row) != width]
    if found:
        body = [row if len(row) == width else _full_width(header, row) for row in body]
    # A repeated column name means its last cell, as a row read into a dict would.
    position = {name: i for i, name in enumerate(header)}
    raw_columns = list(zip(*body, strict=True)) if body else [()] * width
    columns: dict[str, list[Any]] = {}
    for order, column in enumerate(spec.columns):
        raw = raw_columns[position[column.name]] if column.name in position else \
            ("",) * len(body)
        columns[column.name], bad = _parse_column(column, raw)
        found += [(lines[i], order, Problem.coded(file_label, lines[i], column.name, why.code,
                                                **why.params))
                  for i, why in bad]
    problems += [problem for *_, problem in sorted(found, key=lambda f: (f[0], f[1]))]
    df = frame_from_columns(spec, columns)
    df.attrs["lines"] = LineNumbers(lines)
    return df, problems


def _full_width(header: list[str], row: list[str]) -> list[str]:
    """A row with too few or too many cells, read as the header names them."""
    cells = dict(zip(header, row, strict=False))
    return [cells.get(name, "") for name in header]


_BOOLEANS = {"": False, "true": True, "yes": True, "1": True, "false": False, "no": False,
             "0": False}


def _parse_column(column: Column,
                  raw: Sequence[str]) -> tuple[list[Any], list[tuple[int, CellRefused]]]:
    """Typed values of a column's cells and (position, reason) of the cells that do not parse.

    The whole column is converted in one pass; only a column with a cell that fails goes cell
    by cell through ``_parse_cell`` for its exact reasons. Every fast conversion gives what
    ``_parse_cell`` gives for the cells it accepts (``int`` and ``float`` ignore the spaces
    around a number, as the strip there does; one inside refuses the fast way).
    """
    try:
        if column.type in ("text", "ids"):
            values: list[Any] = [cell.strip() for cell in raw]
            for i in [i for i, v in enumerate(values) if v[:1] == "'" or "\r" in v]:
                values[i] = restore(values[i]).replace("\r\n", "\n")
            return values, []
        if column.type == "int":
            return [int(cell) if cell.strip() else None for cell in raw], []
        if column.type == "float":
            values = [float(cell) if cell.strip() else None for cell in raw]
            numbers = np.array(values, dtype="float64")  # an empty cell (None) becomes NaN
            if not np.isinf(numbers).any() and np.isnan(numbers).sum() == values.count(None):
                return values, []
        elif column.type == "bool":
            return [_BOOLEANS[cell.strip().lower()] for cell in raw], []
    except (ValueError, KeyError):
        pass
    values, bad = [], []
    for i, cell in enumerate(raw):
        try:
            values.append(_parse_cell(column, cell))
        except CellRefused as exc:
            bad.append((i, exc))
            values.append(None)
    return values, bad


def read_dataset(folder: Path) -> tuple[DataSet, list[Problem]]:
    """Read every table of the data set from ``folder``; a missing file is a problem."""
    data: DataSet = {}
    problems: list[Problem] = []
    for spec in TABLES:
        path = folder / spec.file_name
        label = f"{folder.name}/{spec.file_name}"
        if not path.exists():
            problems.append(Problem.coded(label, None, None, "prob_file_missing"))
            data[spec.name] = empty_table(spec)
            continue
        try:
            # newline="": the csv module itself tells a row's end from a line break in a cell.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError as exc:
            problems.append(Problem.coded(label, None, None, "prob_not_utf8",
                                          position=str(exc.start)))
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
    table = sorted_table(spec, df)
    columns = [format_column(c, table[c.name]) for c in spec.columns]
    rows = list(zip(*columns, strict=True))
    with_cr = {i for c, cells in zip(spec.columns, columns, strict=True)
               if c.type in ("text", "ids") and "\r" in "".join(cells)
               for i, cell in enumerate(cells) if "\r" in cell}
    if not with_cr:
        writer.writerows(rows)
    else:
        for i, row in enumerate(rows):
            (quoted if i in with_cr else writer).writerow(row)
    return out.getvalue()


# What a text cell that ``inert`` changes starts with (it looks past leading quotes).
_INERT_FIRST = frozenset(("'", *FORMULA_START))


def format_column(column: Column, values: pd.Series) -> list[str]:
    """``format_cell`` of every cell of a column (text made inert), converted as one column."""
    cells = values.to_numpy(dtype=object)
    if column.type == "float":
        numbers = pd.to_numeric(values).to_numpy(dtype="float64", na_value=np.nan).tolist()
        return ["" if x != x else str(int(x)) if x.is_integer() else repr(x) for x in numbers]
    if column.type == "bool" or pd.api.types.infer_dtype(cells, skipna=False) != "string":
        texts = [format_cell(column, value) for value in cells]
    else:  # a text column of str (empty cells ""): format_cell leaves it as it is
        texts = list(cells)
    if column.type in ("text", "ids"):
        for i in [i for i, text in enumerate(texts) if text[:1] in _INERT_FIRST]:
            texts[i] = str(inert(texts[i]))
    return texts


def write_dataset(data: DataSet, folder: Path) -> list[Path]:
    """Write every table to ``folder`` in canonical form; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TABLES:
        path = folder / spec.file_name
        path.write_text(table_to_csv(spec, data[spec.name]), encoding="utf-8")
        written.append(path)
    return written


# --- replacing a data set folder as one change ------------------------------------------------

_STAGING = ".export-new-"  # infix of the folder a replace writes into
_OLD = ".export-old-"  # infix of the old folder between the two renames of the fallback swap
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def replace_dataset(data: DataSet, folder: Path) -> list[Path]:
    """Write every table to ``folder`` as one change; returns the files written.

    Afterwards the folder holds all the new files, or (on an error, a full disk, a kill at any
    moment) all the old ones, never a mix. The files are written into a new folder beside it,
    together with everything else the folder holds (README, GeoJSON boundaries), flushed to
    disk, and swapped in with one atomic rename (Linux RENAME_EXCHANGE; elsewhere two
    renames, and the next run puts back a folder left between them).
    """
    target = folder.resolve()  # a symlinked folder: replace what it points to
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _folder_lock(parent):
        _recover(target)
        staging = parent / f".{target.name}{_STAGING}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            if target.exists():
                _copy_other_files(target, staging)
            for spec in TABLES:
                _write_file(staging / spec.file_name, table_to_csv(spec, data[spec.name]))
                _pause_export(f"wrote {spec.file_name}")
            _sync(staging)
            _pause_export("swapping")
            if target.exists():
                _swap(staging, target)  # the old files are now in ``staging``
            else:
                os.rename(staging, target)
            _sync(parent)
            _pause_export("swapped")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / spec.file_name for spec in TABLES]


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One replace at a time in ``folder`` (a lock the system drops if the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _recover(target: Path) -> None:
    """Undo what a killed replace left beside ``target`` (under the lock: none is running)."""
    olds = sorted(target.parent.glob(f".{target.name}{_OLD}*"))
    if olds and not target.exists():
        # Killed between the two renames of the fallback swap: the old folder is whole.
        os.rename(olds.pop(), target)
    for leftover in [*olds, *target.parent.glob(f".{target.name}{_STAGING}*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _copy_other_files(source: Path, staging: Path) -> None:
    """Everything in ``source`` that the replace does not write, into ``staging``."""
    written = {spec.file_name for spec in TABLES}
    shutil.copystat(source, staging)
    for entry in source.iterdir():
        if entry.name in written:
            continue
        destination = staging / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), destination)
        elif entry.is_dir():
            shutil.copytree(entry, destination, symlinks=True)
        else:
            try:
                os.link(entry, destination)  # no copy, no extra disk space: never written to
            except OSError:
                shutil.copy2(entry, destination)


def _write_file(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _sync(folder: Path) -> None:
    """Flush a folder's entries (the names of the files in it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a folder; the rename still is atomic
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target`` and the old ``target`` at ``staging``."""
    if _exchange(staging, target):
        return
    old = target.parent / f".{target.name}{_OLD}{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(target, old)
    os.rename(staging, target)
    os.rename(old, staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that does not exist."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # kernel or file system lacks it
        return False
    raise OSError(code, os.strerror(code), str(second))


def _pause_export(step: str) -> None:
    """Test seam: ATLAS_PAUSE_EXPORT="<step>=<seconds>" names every step on stderr and waits
    at that one (e.g. "swapping=60"), so a test can kill the process at that very step."""
    pause_at_step(os.environ.get("ATLAS_PAUSE_EXPORT"), "export", step)


def pause_at_step(setting: str | None, what: str, step: str) -> None:
    """A test seam's step: with ``setting`` ("<step>=<seconds>") set, say "atlas: <what>
    <step>" on stderr, and wait those seconds when it is the step named."""
    if setting:
        print(f"atlas: {what} {step}", file=sys.stderr, flush=True)
        pause_at, _, seconds = setting.rpartition("=")
        if pause_at == step:
            time.sleep(float(seconds))
