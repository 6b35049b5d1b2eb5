"""Alembic's environment for the store: runs on the connection ``atlas.migrate`` hands it
(``config.attributes["connection"]``), inside that connection's transaction, which holds the
store's write lock. There is no offline (SQL script) mode and no URL of its own."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("the atlas runs its migrations through atlas.migrate, on a connection "
                       "it opens (`atlas upgrade`)")
# The caller's transaction is already open: alembic runs every step in it and commits nothing.
context.configure(connection=connection, target_metadata=None,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
