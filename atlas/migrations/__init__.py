"""The store's schema migrations (alembic): ``env.py`` and one file per revision in
``versions/``. ``atlas.migrate`` runs them (``atlas upgrade``); nothing here is imported by the
app, and no ``alembic.ini`` is needed.

Every migration is frozen: it names its own tables and columns (and copies any code it runs),
so a later change of ``atlas.model`` never changes what an old migration does. A change to the
store's schema is a new file in ``versions/`` whose ``down_revision`` is the current head; the
model (``atlas.model``, ``atlas.store._metadata``) changes with it, and
``tests/test_migrations.py`` checks that a store upgraded from the first revision and a new
store made from the model have the same tables and columns.
"""
