"""Schema 6: a change's summary as a message code with parameters, said in the reader's
language. Each change recorded before gets the message its English summary line says, read
once here; a line in no known form (written by another tool) keeps no code and is shown as it
was stored. The English lines stay as they are.

Revision ID: 0006_summary_codes
Revises: 0005_inferences
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_summary_codes"
down_revision = "0005_inferences"
branch_labels = None
depends_on = None

# The data set's tables when these lines were written: a line naming another is not read.
_TABLES = ("sources", "places", "organizations", "projects", "phases", "project_sdgs",
           "participants", "sites", "funding_flows", "results", "context_facts", "sdgs",
           "rates")
_ROW_CODES = {"added": "hist_sum_added", "changed": "hist_sum_changed",
              "removed": "hist_sum_removed"}
_COUNTS = ("new", "changed", "unchanged", "rejected")
_EDIT = re.compile(r"(?P<verb>added|changed|removed) (?P<table>[a-z_]+) (?P<key>.+)", re.DOTALL)
_IMPORT = re.compile(
    r"import of (?P<file>.+) \((?P<tables>[a-z_, ]+)\): (?P<new>\d+) new, (?P<changed>\d+) "
    r"changed, (?P<unchanged>\d+) unchanged, (?P<rejected>\d+) rejected", re.DOTALL)
_UNDO = re.compile(r"undid #(?P<id>\d+): (?P<undone>.*)", re.DOTALL)
# The number code from before the migrations reads (atlas_meta schema_version).
_META = sa.table("atlas_meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _edit_or_import(line: str) -> tuple[str, dict[str, Any]] | None:
    if found := _EDIT.fullmatch(line):
        if found["table"] not in _TABLES:
            return None
        return _ROW_CODES[found["verb"]], {"table": found["table"], "key": found["key"]}
    if found := _IMPORT.fullmatch(line):
        tables = [x for x in found["tables"].split(", ") if x != "nothing"]
        if any(x not in _TABLES for x in tables):
            return None
        return "hist_sum_import", {"file": found["file"], "tables": tables,
                                   **{count: int(found[count]) for count in _COUNTS}}
    return None


def message_of(line: str) -> tuple[str, dict[str, Any]] | None:
    """The code and parameters an English summary line says, or None for a line in no known
    form. An undo's line holds the undone change's line (its message, else the line)."""
    if found := _UNDO.fullmatch(line):
        undone = _edit_or_import(found["undone"])
        return "hist_sum_undo", {"id": int(found["id"]), "undone": found["undone"] if undone
                                 is None else {"code": undone[0], "params": undone[1]}}
    return _edit_or_import(line)


def upgrade() -> None:
    op.add_column("atlas_changes", sa.Column("summary_code", sa.Text, nullable=True))
    op.add_column("atlas_changes", sa.Column("summary_params", sa.Text, nullable=True))
    changes = sa.table("atlas_changes", sa.column("change_id", sa.Integer),
                       sa.column("summary", sa.Text), sa.column("summary_code", sa.Text),
                       sa.column("summary_params", sa.Text))
    conn = op.get_bind()
    coded = []
    for change_id, line in conn.execute(sa.select(changes.c.change_id, changes.c.summary)):
        message = message_of(str(line))
        if message is not None:
            coded.append({"id": change_id, "code": message[0],
                          "params": json.dumps(message[1], ensure_ascii=False, sort_keys=True)})
    if coded:
        conn.execute(sa.update(changes).where(changes.c.change_id == sa.bindparam("id"))
                     .values(summary_code=sa.bindparam("code"),
                             summary_params=sa.bindparam("params")), coded)
    op.execute(sa.update(_META).where(_META.c.key == "schema_version").values(value="6"))


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
