"""Schema 4: Russian and Kazakh versions of every free-text note and basis a page shows, and of
the sites' district names (empty in every row there is).

Revision ID: 0004_note_translations
Revises: 0003_iati
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_note_translations"
down_revision = "0003_iati"
branch_labels = None
depends_on = None

# table: the English columns that got a _ru and a _kk column.
_TRANSLATED = {
    "sources": ("publisher", "note"),
    "places": ("basis",),
    "organizations": ("home_basis", "note"),
    "projects": ("period_basis", "budget_basis", "note"),
    "project_sdgs": ("rationale",),
    "participants": ("note",),
    "sites": ("district", "location_basis", "note"),
    "funding_flows": ("basis", "year_basis", "note"),
    "results": ("basis", "note"),
    "rates": ("source", "note"),
}
# The number code from before the migrations reads (atlas_meta schema_version).
_META = sa.table("atlas_meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def upgrade() -> None:
    for table, columns in _TRANSLATED.items():
        for column in columns:
            for lang in ("ru", "kk"):  # text, empty in the rows already there
                op.add_column(table, sa.Column(f"{column}_{lang}", sa.Text, nullable=False,
                                               server_default=""))
    op.execute(sa.update(_META).where(_META.c.key == "schema_version").values(value="4"))


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
