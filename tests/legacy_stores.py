"""Stores as the atlas made them before its migrations, on SQLite and on PostgreSQL: today's
store (schema 6) from its DDL kept in tests/fixtures/, and older ones made from a store of the
current schema by dropping what each later version added.

``ADDED_IN`` is that history as the code before the migrations kept it (its ``_ADDED_IN``):
what each schema version added to the one before.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from atlas.model import INFERENCE_COLUMNS, NOTE_TRANSLATION_COLUMNS
from atlas.store import _sqlite_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"

ADDED_IN: dict[int, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    2: (("atlas_login_throttle",), (("atlas_users", "credential"),)),
    3: ((), (("projects", "iati_identifier"), ("projects", "sectors"),
             ("organizations", "iati_ref"), ("organizations", "iati_type"))),
    4: ((), NOTE_TRANSLATION_COLUMNS),
    5: ((), INFERENCE_COLUMNS),
    6: ((), (("atlas_changes", "summary_code"), ("atlas_changes", "summary_params"))),
}


def added_after(version: int) -> list[tuple[str, str]]:
    """The (table, column) pairs later versions added to the tables of ``version``."""
    return [pair for v, (_, columns) in ADDED_IN.items() if v > version for pair in columns]


def execute(url: str, *statements: str) -> None:
    """Statements in one transaction, on a connection of their own."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def url_of(location: str) -> str:
    """A store location (an SQLite file's path or a database URL) as a URL."""
    return location if "://" in location else f"sqlite:///{location}"


def make_todays_store(location: str) -> None:
    """The tables of today's store (schema 6, no alembic_version) at ``location``, where
    nothing is yet, from the DDL that code made (tests/fixtures/schema6_<engine>.sql)."""
    url = url_of(location)
    file = _sqlite_file(url)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    engine = "sqlite" if file is not None else "postgresql"
    text = (FIXTURES / f"schema6_{engine}.sql").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("--")]
    statements = [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    execute(url, *statements)


def make_legacy(url: str, version: int) -> None:
    """Turn a store of the current schema into one as code from before the migrations made
    schema ``version``: without alembic_version, without what later versions added, with
    its number in atlas_meta (none for schema 1)."""
    tables = [name for v, (names, _) in ADDED_IN.items() if v > version for name in names]
    execute(url, "DROP TABLE alembic_version",
            *(f'ALTER TABLE "{t}" DROP COLUMN "{c}"' for t, c in added_after(version)),
            *(f'DROP TABLE "{t}"' for t in tables),
            "DELETE FROM atlas_meta WHERE key = 'schema_version'",
            *([f"INSERT INTO atlas_meta (key, value) VALUES ('schema_version', '{version}')"]
              if version > 1 else []))
