"""The store's schema revisions: which one a store records, and the upgrade that brings an older
store to this code's (``atlas upgrade``), through the alembic migrations in ``atlas/migrations``.

A store records its revision in alembic's table ``alembic_version``. Stores made before the
migrations recorded none there: they kept a number in ``atlas_meta`` (``schema_version``; none
at all for schema 1), which ``LEGACY`` maps onto the revision that makes the same schema. Their
upgrade first records that revision (alembic's "stamp"), then runs the migrations after it.

A brand-new store is made from the code's model (``SqlStore``'s ``create_all``) and records
the head revision; ``tests/test_migrations.py`` checks that a store upgraded from the first
revision ends with the same tables and columns.

Everything runs on a connection the caller opened and holds in one transaction (with the
store's write lock): alembic commits nothing of its own, so an upgrade lands whole or not at all.
No ``alembic.ini`` and no network are needed: the configuration is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

# The migrations, found inside the installed package (importlib.resources).
SCRIPT_LOCATION = "atlas:migrations"
# Every revision of atlas/migrations/versions, oldest first: opening a store compares its
# revision with these without loading alembic (a third of a second per command).
# tests/test_migrations.py checks that this is alembic's own chain.
REVISIONS = ("0001_base", "0002_credentials", "0003_iati", "0004_note_translations",
             "0005_inferences", "0006_summary_codes")
# The revision that makes the schema a store from before the migrations recorded as its
# atlas_meta schema_version (a store without one is schema 1). Never changes.
LEGACY: dict[int, str] = {
    1: "0001_base",
    2: "0002_credentials",
    3: "0003_iati",
    4: "0004_note_translations",
    5: "0005_inferences",
    6: "0006_summary_codes",
}
# What a store made at the head revision records as its atlas_meta schema_version, for code
# from before the migrations (which refuses a store with a number higher than its own). A
# migration that changes the schema sets a higher number, and this with it.
LEGACY_SCHEMA_VERSION = 6


class MigrationError(Exception):
    """Alembic refused to run the migrations (what it said, in English)."""


@dataclass(frozen=True)
class StoredRevision:
    """The revision a store is at, as it records it."""

    revision: str | None  # None: a number from before the migrations that no revision makes
    legacy: int | None = None  # the atlas_meta schema_version of a store that records no revision

    def shown(self) -> str:
        """The revision as messages say it."""
        if self.legacy is None:
            return str(self.revision)
        return f"schema_version {self.legacy} (no revision recorded)"


def _config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def chain() -> list[str]:
    """The revisions alembic finds in atlas/migrations, oldest first (what REVISIONS must be)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def head() -> str:
    """The revision of this code's schema."""
    return REVISIONS[-1]


def known(revision: str) -> bool:
    """True for a revision of this code's migrations."""
    return revision in REVISIONS


def stored_revision(conn: sa.Connection, legacy_number: str | None) -> StoredRevision:
    """The revision the store on ``conn`` records. ``legacy_number`` is its atlas_meta
    ``schema_version`` (None when it has none), read only when it records no revision.
    ValueError when what it records makes no sense."""
    if sa.inspect(conn).has_table("alembic_version"):
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        if len(rows) != 1:  # none, or several heads: never what the atlas records
            raise ValueError(f"alembic_version holds {len(rows)} revisions, not one")
        return StoredRevision(str(rows[0][0]))
    try:
        number = 1 if legacy_number is None else int(legacy_number)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"atlas_meta schema_version is {legacy_number!r}")
    return StoredRevision(LEGACY.get(number), number)


def is_current(stored: StoredRevision) -> bool:
    return stored.legacy is None and stored.revision == head()


def is_newer(stored: StoredRevision) -> bool:
    """True when the store was made or upgraded by code newer than this (a revision this code
    does not know, or a number from before the migrations higher than any it had)."""
    return not stored.revision or not known(stored.revision)


def stamp_head(conn: sa.Connection) -> None:
    """Record the head revision in a store just made at it (from the model)."""
    from alembic import command

    command.stamp(_config(conn), head())


def upgrade(conn: sa.Connection, stored: StoredRevision) -> None:
    """Run the migrations after ``stored`` up to the head, on ``conn``, in its transaction."""
    from alembic import command
    from alembic.util import CommandError

    assert stored.revision and not is_newer(stored), stored
    config = _config(conn)
    try:
        if stored.legacy is not None:
            command.stamp(config, stored.revision)  # where the store's number says it is
        command.upgrade(config, "head")
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc
