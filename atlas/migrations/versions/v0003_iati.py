"""Schema 3: IATI import and export: the IATI identifiers of projects and bodies, the DAC
sectors of projects and the IATI types of bodies (empty in every row there is).

Revision ID: 0003_iati
Revises: 0002_credentials
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_iati"
down_revision = "0002_credentials"
branch_labels = None
depends_on = None

_ADDED = (("projects", "iati_identifier"), ("projects", "sectors"),
          ("organizations", "iati_ref"), ("organizations", "iati_type"))
# The number code from before the migrations reads (atlas_meta schema_version).
_META = sa.table("atlas_meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def upgrade() -> None:
    for table, column in _ADDED:  # text, empty in the rows already there
        op.add_column(table, sa.Column(column, sa.Text, nullable=False, server_default=""))
    op.execute(sa.update(_META).where(_META.c.key == "schema_version").values(value="3"))


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
