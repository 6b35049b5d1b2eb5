"""Schema 5: whether a participant's role and a flow's route are stated or inferred, and why
(in three languages); notes on context facts (empty in every row there is).

Revision ID: 0005_inferences
Revises: 0004_note_translations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_inferences"
down_revision = "0004_note_translations"
branch_labels = None
depends_on = None

_ADDED = {
    "participants": ("role_qualifier", "role_basis", "role_basis_ru", "role_basis_kk"),
    "funding_flows": ("route_qualifier", "route_basis", "route_basis_ru", "route_basis_kk"),
    "context_facts": ("note", "note_ru", "note_kk"),
}
# The number code from before the migrations reads (atlas_meta schema_version).
_META = sa.table("atlas_meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def upgrade() -> None:
    for table, columns in _ADDED.items():
        for column in columns:  # text, empty in the rows already there
            op.add_column(table, sa.Column(column, sa.Text, nullable=False, server_default=""))
    op.execute(sa.update(_META).where(_META.c.key == "schema_version").values(value="5"))


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
