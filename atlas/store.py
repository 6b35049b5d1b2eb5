"""The store: where the live data set is kept between app runs.

``AtlasStore`` is the interface views and tools use; ``SqlStore`` implements it with SQLAlchemy
Core, so the embedded SQLite file used by default and a PostgreSQL database later share one code
path. Every write is a single transaction and bumps the data version, which is what snapshot
caches key on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from atlas.dataset import (
    DataSet,
    Problem,
    frame_from_records,
    is_missing,
    read_dataset,
    table_to_csv,
)
from atlas.model import TABLES, TABLES_BY_NAME, TableSpec
from atlas.paths import geodata_dir, store_path

_SQL_TYPES: dict[str, Callable[[], Any]] = {
    "text": sa.Text,
    "ids": sa.Text,
    "int": sa.Integer,
    "float": sa.Float,
    "bool": sa.Boolean,
}


class InvalidData(ValueError):
    """The data set did not validate; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StaleEdit(Exception):
    """A save prepared against an older version of a row: someone changed it in between."""

    def __init__(self, table: str, key: tuple[str, ...], changed_by: str, changed_at: str,
                 current: dict[str, Any] | None) -> None:
        self.table, self.key = table, key
        self.changed_by, self.changed_at, self.current = changed_by, changed_at, current
        what = "removed" if current is None else "changed"
        super().__init__(f"{table} {'/'.join(key)} was {what} by {changed_by} at {changed_at}")


@dataclass(frozen=True)
class RowChange:
    """One row to add, change or remove, and the row version the change was prepared against."""

    table: str
    key: tuple[str, ...]  # the key values as text, in the table's key order
    after: dict[str, Any] | None  # the whole new row; None removes it
    base_version: int = 0  # 0: a row nobody has edited since the data was built
    new: bool = False  # an added row: refused if the key exists by the time it is saved


@dataclass(frozen=True)
class RowVersion:
    version: int
    changed_by: str
    changed_at: str


@dataclass(frozen=True)
class AppliedChange:
    change_id: int
    data_version: str
    rows: int


@dataclass(frozen=True)
class ChangeRecord:
    """One entry of the history: who changed what, when, and whether it was undone."""

    change_id: int
    at: str
    user: str
    kind: str  # edit | import | undo
    summary: str
    undo_of: int | None
    undone_by: int | None
    rows: tuple[tuple[str, tuple[str, ...], dict[str, Any] | None, dict[str, Any] | None], ...]


def row_key(spec: TableSpec, row: dict[str, Any]) -> tuple[str, ...]:
    """A row's key as text, the form RowChange and the history use."""
    return tuple(_key_text(row[k]) for k in spec.key)


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def now_text() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def content_hash(data: DataSet) -> str:
    """A short fingerprint of the canonical form of a data set."""
    digest = hashlib.sha256()
    for spec in TABLES:
        digest.update(table_to_csv(spec, data[spec.name]).encode())
    return digest.hexdigest()[:12]


class AtlasStore(ABC):
    """What the app needs from a store, whatever database is behind it."""

    @abstractmethod
    def data_version(self) -> str:
        """Changes whenever the data changes: the key of every cached snapshot."""

    @abstractmethod
    def load(self) -> DataSet:
        """The whole data set as typed tables."""

    @abstractmethod
    def replace_all(self, data: DataSet, *, reason: str) -> str:
        """Replace the data set in one transaction; returns the new data version."""

    @abstractmethod
    def is_empty(self) -> bool:
        """True before the first data set has been written."""


def _metadata() -> tuple[sa.MetaData, dict[str, sa.Table], sa.Table]:
    metadata = sa.MetaData()
    tables = {}
    for spec in TABLES:
        columns = [
            sa.Column(
                c.name,
                _SQL_TYPES[c.type](),
                primary_key=c.name in spec.key,
                nullable=c.type in ("int", "float"),
            )
            for c in spec.columns
        ]
        tables[spec.name] = sa.Table(spec.name, metadata, *columns)
    meta = sa.Table(
        "atlas_meta",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    # Accounts, row versions (optimistic locking) and the history of changes.
    sa.Table(
        "atlas_users", metadata,
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
        sa.Column("blocked_until", sa.Float, nullable=False, default=0.0),
        # Random, replaced with every new password (and new with a re-added name): a session
        # that logged in with an older one may no longer act.
        sa.Column("credential", sa.Text, nullable=False, default="", server_default=""),
    )
    # Failed logins counted per account name (known or not, so a lock tells nothing) and per
    # client: each key waits longer after repeated failures, and forgets them after a quiet day.
    sa.Table(
        "atlas_login_throttle", metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", sa.Float, nullable=False),
        sa.Column("blocked_until", sa.Float, nullable=False),
    )
    sa.Table(
        "atlas_row_versions", metadata,
        sa.Column("table_name", sa.Text, primary_key=True),
        sa.Column("row_key", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", sa.Text, nullable=False),
    )
    sa.Table(
        "atlas_changes", metadata,
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("undo_of", sa.Integer, nullable=True),
        sa.Column("undone_by", sa.Integer, nullable=True),
    )
    sa.Table(
        "atlas_change_rows", metadata,
        sa.Column("change_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    return metadata, tables, meta


class SqlStore(AtlasStore):
    """The store in any SQLAlchemy database (SQLite file by default)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url, future=True)
        if url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.metadata, self.tables, self.meta = _metadata()
        self.metadata.create_all(self.engine)

    def _meta(self, conn: sa.Connection, key: str) -> str | None:
        row = conn.execute(sa.select(self.meta.c.value).where(self.meta.c.key == key)).first()
        return None if row is None else str(row[0])

    def _set_meta(self, conn: sa.Connection, key: str, value: str) -> None:
        conn.execute(sa.delete(self.meta).where(self.meta.c.key == key))
        conn.execute(sa.insert(self.meta).values(key=key, value=value))

    def data_version(self) -> str:
        with self.engine.connect() as conn:
            return self._meta(conn, "data_version") or "0"

    def is_empty(self) -> bool:
        return self.data_version() == "0"

    def load(self) -> DataSet:
        with self.engine.connect() as conn:
            return self._load(conn)

    def _load(self, conn: sa.Connection) -> DataSet:
        data: DataSet = {}
        for spec in TABLES:
            rows = conn.execute(sa.select(self.tables[spec.name])).mappings().all()
            data[spec.name] = frame_from_records(spec, [dict(r) for r in rows])
        return data

    def _t(self, name: str) -> sa.Table:
        return self.metadata.tables[name]

    # --- row versions and changes -------------------------------------------------------

    def row_versions(self, table: str) -> dict[tuple[str, ...], int]:
        """Version of every edited row of ``table`` (rows never edited are version 0)."""
        rv = self._t("atlas_row_versions")
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(rv.c.row_key, rv.c.version)
                                .where(rv.c.table_name == table)).all()
        return {tuple(json.loads(k)): int(v) for k, v in rows}

    def row_version(self, table: str, key: tuple[str, ...]) -> RowVersion:
        """Who last changed one row, when, and its version (0 and empty if never edited)."""
        with self.engine.connect() as conn:
            return self._row_version(conn, table, key)

    def _row_version(self, conn: sa.Connection, table: str, key: tuple[str, ...]) -> RowVersion:
        rv = self._t("atlas_row_versions")
        row = conn.execute(sa.select(rv.c.version, rv.c.changed_by, rv.c.changed_at).where(
            (rv.c.table_name == table) & (rv.c.row_key == json.dumps(list(key))))).first()
        return RowVersion(0, "", "") if row is None else RowVersion(int(row[0]), row[1], row[2])

    def _current_row(self, conn: sa.Connection, spec: TableSpec,
                     key: tuple[str, ...]) -> dict[str, Any] | None:
        table = self.tables[spec.name]
        condition = sa.and_(*[_key_match(table.c[k], v, spec) for k, v in zip(spec.key, key,
                                                                            strict=True)])
        row = conn.execute(sa.select(table).where(condition)).mappings().first()
        return None if row is None else dict(row)

    def apply_changes(self, changes: Sequence[RowChange], *, user: str, kind: str,
                      summary: str, undo_of: int | None = None) -> AppliedChange:
        """Apply row changes in one transaction, after checking versions and validating.

        The whole data set with the changes applied must pass ``atlas.validate`` (else
        InvalidData); a change prepared against an older row version raises StaleEdit. Either
        way nothing is written. Every applied change is recorded with its before and after.
        """
        from atlas.validate import validate

        if not changes:
            raise ValueError("nothing to change")
        at = now_text()
        with self.engine.begin() as conn:
            # Take the write lock first, so versions cannot change between check and write.
            conn.execute(sa.update(self.meta).where(self.meta.c.key == "data_version")
                         .values(value=self.meta.c.value))
            befores: list[dict[str, Any] | None] = []
            for change in changes:
                spec = TABLES_BY_NAME[change.table]
                current = self._current_row(conn, spec, change.key)
                version = self._row_version(conn, change.table, change.key)
                exists_as_expected = (current is None) if change.new else (current is not None)
                if change.base_version != version.version or not exists_as_expected:
                    raise StaleEdit(change.table, change.key,
                                    version.changed_by or "the data set", version.changed_at,
                                    current)
                befores.append(current)
            data = _with_changes(self._load(conn), changes)
            problems = validate(data)
            if problems:
                raise InvalidData(problems)
            for change, before in zip(changes, befores, strict=True):
                self._write_row(conn, change, before is not None, user, at)
            change_id = self._record(conn, changes, befores, user, at, kind, summary, undo_of)
            counter = int((self._meta(conn, "data_version") or "0").split("-")[0]) + 1
            version_text = f"{counter}-{content_hash(data)}"
            self._set_meta(conn, "data_version", version_text)
            self._set_meta(conn, "last_change", f"{kind} #{change_id} by {user}")
            _pause_before_commit()
        return AppliedChange(change_id, version_text, len(changes))

    def _write_row(self, conn: sa.Connection, change: RowChange, exists: bool, user: str,
                   at: str) -> None:
        spec = TABLES_BY_NAME[change.table]
        table = self.tables[spec.name]
        if exists:
            condition = sa.and_(*[_key_match(table.c[k], v, spec)
                                  for k, v in zip(spec.key, change.key, strict=True)])
            conn.execute(sa.delete(table).where(condition))
        if change.after is not None:
            frame = frame_from_records(spec, [change.after])
            conn.execute(sa.insert(table), _records(spec, frame))
        rv = self._t("atlas_row_versions")
        key = json.dumps(list(change.key))
        conn.execute(sa.delete(rv).where((rv.c.table_name == change.table)
                                         & (rv.c.row_key == key)))
        # base_version was checked against the stored version in this transaction.
        conn.execute(sa.insert(rv).values(table_name=change.table, row_key=key,
                                          version=change.base_version + 1, changed_by=user,
                                          changed_at=at))

    def _record(self, conn: sa.Connection, changes: Sequence[RowChange],
                befores: list[dict[str, Any] | None], user: str, at: str, kind: str,
                summary: str, undo_of: int | None) -> int:
        ch, rows = self._t("atlas_changes"), self._t("atlas_change_rows")
        result = conn.execute(sa.insert(ch).values(at=at, user=user, kind=kind,
                                                   summary=summary, undo_of=undo_of))
        change_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(sa.insert(rows), [
            {"change_id": change_id, "seq": i, "table_name": c.table,
             "row_key": json.dumps(list(c.key)),
             "before": None if b is None else _row_json(TABLES_BY_NAME[c.table], b),
             "after": None if c.after is None else _row_json(TABLES_BY_NAME[c.table], c.after)}
            for i, (c, b) in enumerate(zip(changes, befores, strict=True))
        ])
        if undo_of is not None:
            conn.execute(sa.update(ch).where(ch.c.change_id == undo_of)
                         .values(undone_by=change_id))
        return change_id

    def history(self, limit: int = 500) -> list[ChangeRecord]:
        """The latest changes, newest first, with their rows."""
        ch = self._t("atlas_changes")
        return self._changes(sa.select(ch).order_by(ch.c.change_id.desc()).limit(limit))

    def change(self, change_id: int) -> ChangeRecord | None:
        """One entry of the history."""
        ch = self._t("atlas_changes")
        found = self._changes(sa.select(ch).where(ch.c.change_id == change_id))
        return found[0] if found else None

    def _changes(self, query: sa.Select[Any]) -> list[ChangeRecord]:
        rows = self._t("atlas_change_rows")
        with self.engine.connect() as conn:
            heads = conn.execute(query).mappings().all()
            ids = [h["change_id"] for h in heads]
            detail: dict[int, list[Any]] = {i: [] for i in ids}
            if ids:
                for r in conn.execute(sa.select(rows).where(rows.c.change_id.in_(ids))
                                      .order_by(rows.c.change_id, rows.c.seq)).mappings():
                    detail[r["change_id"]].append((
                        r["table_name"], tuple(json.loads(r["row_key"])),
                        None if r["before"] is None else json.loads(r["before"]),
                        None if r["after"] is None else json.loads(r["after"])))
        return [ChangeRecord(h["change_id"], h["at"], h["user"], h["kind"], h["summary"],
                             h["undo_of"], h["undone_by"], tuple(detail[h["change_id"]]))
                for h in heads]

    def undo_changes(self, change_id: int) -> list[RowChange]:
        """The row changes that put back what ``change_id`` changed.

        Refused (StaleEdit) when a row was changed again since: undoing would overwrite
        someone else's later work.
        """
        record = self.change(change_id)
        if record is None:
            raise KeyError(f"no change #{change_id}")
        if record.undone_by is not None:
            raise ValueError(f"change #{change_id} was already undone by #{record.undone_by}")
        out = []
        with self.engine.connect() as conn:
            for table, key, before, after in record.rows:
                spec = TABLES_BY_NAME[table]
                current = self._current_row(conn, spec, key)
                version = self._row_version(conn, table, key)
                now = None if current is None else json.loads(_row_json(spec, current))
                if now != after:
                    raise StaleEdit(table, key, version.changed_by, version.changed_at, current)
                out.append(RowChange(table, key, before, version.version, new=current is None))
        return out

    def replace_all(self, data: DataSet, *, reason: str) -> str:
        with self.engine.begin() as conn:
            counter = int((self._meta(conn, "data_version") or "0").split("-")[0]) + 1
            for spec in reversed(TABLES):
                conn.execute(sa.delete(self.tables[spec.name]))
            for spec in TABLES:
                records = _records(spec, data[spec.name])
                if records:
                    conn.execute(sa.insert(self.tables[spec.name]), records)
            version = f"{counter}-{content_hash(data)}"
            self._set_meta(conn, "data_version", version)
            self._set_meta(conn, "last_change", reason)
        return version


def _key_match(column: Any, value: str, spec: TableSpec) -> Any:
    kind = next(c.type for c in spec.columns if c.name == column.name)
    if kind == "int":
        return column == int(value)
    if kind == "float":
        return column == float(value)
    return column == value


def _row_json(spec: TableSpec, row: dict[str, Any]) -> str:
    frame = frame_from_records(spec, [row])
    return json.dumps(_records(spec, frame)[0], ensure_ascii=False, sort_keys=True)


def _with_changes(data: DataSet, changes: Sequence[RowChange]) -> DataSet:
    """A copy of ``data`` with the row changes applied (for validating before writing)."""
    out = dict(data)
    for table in {c.table for c in changes}:
        spec = TABLES_BY_NAME[table]
        frame = out[table]
        mine = [c for c in changes if c.table == table]
        drop = {c.key for c in mine}
        keys = [row_key(spec, r) for r in frame.to_dict("records")]
        kept = frame.loc[[k not in drop for k in keys]]
        added = frame_from_records(spec, [c.after for c in mine if c.after is not None])
        out[table] = pd.concat([kept, added], ignore_index=True) if len(added) else \
            kept.reset_index(drop=True)
    return out


def _pause_before_commit() -> None:
    """Test seam: ATLAS_PAUSE_BEFORE_COMMIT=<seconds> holds the open transaction, so a test
    can kill the process mid-write and check that nothing of it lands."""
    seconds = os.environ.get("ATLAS_PAUSE_BEFORE_COMMIT")
    if seconds:
        print("atlas: pausing before commit", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _records(spec: TableSpec, df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values (no NaN, no numpy scalars) for the database driver."""
    out = []
    for record in df[spec.column_names].to_dict("records"):
        clean: dict[str, Any] = {}
        for column in spec.columns:
            value = record[column.name]
            if is_missing(value):
                clean[column.name] = None if column.type in ("int", "float") else (
                    False if column.type == "bool" else "")
            elif column.type == "int":
                clean[column.name] = int(value)
            elif column.type == "float":
                clean[column.name] = float(value)
            elif column.type == "bool":
                clean[column.name] = bool(value)
            else:
                clean[column.name] = str(value)
        out.append(clean)
    return out


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_store_from_geodata(
    path: Path | None = None, folder: Path | None = None
) -> tuple[SqlStore, float]:
    """Create the SQLite store from ``geodata/`` after validating it; returns it and seconds."""
    from atlas.validate import validate

    started = time.perf_counter()
    path = path or store_path()
    folder = folder or geodata_dir()
    data, problems = read_dataset(folder)
    problems += validate(data)
    if problems:
        raise InvalidData(problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    store = SqlStore(sqlite_url(tmp))
    store.replace_all(data, reason=f"built from {folder}")
    store.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    # Built aside and renamed, so a crash mid-build never leaves a half-filled store behind.
    tmp.replace(path)
    return SqlStore(sqlite_url(path)), time.perf_counter() - started


def open_store(path: Path | None = None) -> SqlStore:
    """The store at ``path`` (default: the git-ignored .atlas/atlas.sqlite), built if missing."""
    path = path or store_path()
    if not path.exists():
        store, _ = build_store_from_geodata(path)
        return store
    return SqlStore(sqlite_url(path))
