"""The store: where the live data set is kept between app runs.

``AtlasStore`` is the interface views and tools use; ``SqlStore`` implements it with SQLAlchemy
Core, so the embedded SQLite file used by default and a PostgreSQL database later share one code
path. Every write is a single transaction and bumps the data version, which is what snapshot
caches key on.
"""

from __future__ import annotations

import hashlib
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
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
from atlas.model import TABLES, TableSpec
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
        data: DataSet = {}
        with self.engine.connect() as conn:
            for spec in TABLES:
                rows = conn.execute(sa.select(self.tables[spec.name])).mappings().all()
                data[spec.name] = frame_from_records(spec, [dict(r) for r in rows])
        return data

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
