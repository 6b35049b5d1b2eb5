"""Where the bundled data set and the local store live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def geodata_dir() -> Path:
    """The folder of the bundled data set (``geodata/``); ATLAS_GEODATA overrides it."""
    return Path(os.environ.get("ATLAS_GEODATA", REPO_ROOT / "geodata"))


def store_path() -> Path:
    """The embedded SQLite file; ATLAS_STORE overrides it (git-ignored ``.atlas/`` by default)."""
    return Path(os.environ.get("ATLAS_STORE", REPO_ROOT / ".atlas" / "atlas.sqlite"))


def database_url() -> str | None:
    """A server database to keep the store in instead of the SQLite file: ATLAS_DATABASE_URL,
    e.g. ``postgresql+psycopg://atlas@db.example/atlas`` (None when unset)."""
    return os.environ.get("ATLAS_DATABASE_URL", "").strip() or None
