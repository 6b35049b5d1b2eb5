"""Schema 2: failed logins counted per name and per client (``atlas_login_throttle``), and a
random credential per account that sessions check; every account there is gets its own.

Revision ID: 0002_credentials
Revises: 0001_base
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002_credentials"
down_revision = "0001_base"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "atlas_login_throttle",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", sa.Float, nullable=False),
        sa.Column("blocked_until", sa.Float, nullable=False),
    )
    op.add_column("atlas_users", sa.Column("credential", sa.Text, nullable=False,
                                           server_default=""))
    users = sa.table("atlas_users", sa.column("name", sa.Text), sa.column("credential", sa.Text))
    conn = op.get_bind()
    names = [row[0] for row in conn.execute(sa.select(users.c.name)
                                            .where(users.c.credential == ""))]
    for name in names:
        conn.execute(sa.update(users).where(users.c.name == name)
                     .values(credential=secrets.token_urlsafe(32)))
    # The number code from before the migrations reads (schema 1 had none).
    meta = sa.table("atlas_meta", sa.column("key", sa.Text), sa.column("value", sa.Text))
    op.execute(sa.insert(meta).values(key="schema_version", value="2"))


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
