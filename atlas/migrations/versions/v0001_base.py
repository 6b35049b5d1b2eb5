"""The store as the atlas made it before it recorded a schema version (schema 1): the data set's
thirteen tables, the accounts, the row versions and the history of changes.

Revision ID: 0001_base
Revises: (none)
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001_base"
down_revision: str | None = None
branch_labels = None
depends_on = None

# table: (key columns, ((column, kind), ...)) as schema 1 had them. Kinds: text and ids are
# TEXT NOT NULL (an empty cell is ""), int and float are numbers that may be NULL, bool a flag.
_DATA_TABLES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "sources": (("source_id",), (
        ("source_id", "text"), ("title", "text"), ("publisher", "text"), ("date", "text"),
        ("url", "text"), ("language", "text"), ("note", "text"),
    )),
    "places": (("place_id",), (
        ("place_id", "text"), ("name_en", "text"), ("name_ru", "text"), ("name_kk", "text"),
        ("country", "text"), ("region_code", "text"), ("lon", "float"), ("lat", "float"),
        ("basis", "text"),
    )),
    "organizations": (("org_id",), (
        ("org_id", "text"), ("name_en", "text"), ("name_ru", "text"), ("name_kk", "text"),
        ("acronym", "text"), ("kind", "text"), ("home_place_id", "text"), ("home_basis", "text"),
        ("map_entry_place_id", "text"), ("source_ids", "ids"), ("note", "text"),
    )),
    "projects": (("project_id",), (
        ("project_id", "text"), ("title_en", "text"), ("title_ru", "text"), ("title_kk", "text"),
        ("summary_en", "text"), ("summary_ru", "text"), ("summary_kk", "text"),
        ("status", "text"), ("status_as_of", "text"), ("start", "text"), ("end", "text"),
        ("period_basis", "text"), ("contract_number", "text"), ("method", "text"),
        ("themes", "text"), ("budget_amount", "float"), ("budget_currency", "text"),
        ("budget_qualifier", "text"), ("budget_basis", "text"), ("source_ids", "ids"),
        ("note", "text"),
    )),
    "phases": (("project_id", "phase"), (
        ("project_id", "text"), ("phase", "int"), ("label_en", "text"), ("label_ru", "text"),
        ("label_kk", "text"), ("start", "text"), ("end", "text"), ("source_ids", "ids"),
    )),
    "project_sdgs": (("project_id", "goal"), (
        ("project_id", "text"), ("goal", "int"), ("targets", "text"), ("rank", "int"),
        ("rationale", "text"),
    )),
    "participants": (("project_id", "org_id", "role"), (
        ("project_id", "text"), ("org_id", "text"), ("role", "text"), ("role_as_stated", "text"),
        ("source_ids", "ids"), ("note", "text"),
    )),
    "sites": (("site_id",), (
        ("site_id", "text"), ("project_id", "text"), ("name_en", "text"), ("name_ru", "text"),
        ("name_kk", "text"), ("level", "text"), ("district_en", "text"), ("region_code", "text"),
        ("lon", "float"), ("lat", "float"), ("precision", "text"), ("location_basis", "text"),
        ("phase", "int"), ("source_ids", "ids"), ("note", "text"),
    )),
    "funding_flows": (("flow_id",), (
        ("flow_id", "text"), ("project_id", "text"), ("from_org_id", "text"),
        ("to_org_id", "text"), ("kind", "text"), ("amount", "float"), ("currency", "text"),
        ("qualifier", "text"), ("basis", "text"), ("year", "int"), ("year_basis", "text"),
        ("status", "text"), ("source_ids", "ids"), ("note", "text"),
    )),
    "results": (("result_id",), (
        ("result_id", "text"), ("project_id", "text"), ("joint_project_ids", "ids"),
        ("indicator", "text"), ("label_en", "text"), ("label_ru", "text"), ("label_kk", "text"),
        ("value", "float"), ("unit", "text"), ("qualifier", "text"), ("basis", "text"),
        ("parent_result_id", "text"), ("site_ids", "ids"), ("phase", "int"), ("as_of", "text"),
        ("counts_as_reach", "bool"), ("source_ids", "ids"), ("note", "text"),
    )),
    "context_facts": (("fact_id",), (
        ("fact_id", "text"), ("region_code", "text"), ("project_id", "text"),
        ("label_en", "text"), ("label_ru", "text"), ("label_kk", "text"), ("value", "float"),
        ("unit", "text"), ("qualifier", "text"), ("year", "text"), ("source_ids", "ids"),
    )),
    "sdgs": (("goal",), (
        ("goal", "int"), ("name_en", "text"), ("name_ru", "text"), ("name_kk", "text"),
        ("colour", "text"),
    )),
    "rates": (("year", "currency"), (
        ("year", "int"), ("currency", "text"), ("per_usd", "float"), ("source", "text"),
        ("note", "text"),
    )),
}


def _type(kind: str) -> Any:
    if kind == "int":  # 64 bits; SQLite files declare INTEGER
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    return {"text": sa.Text, "ids": sa.Text, "float": sa.Float, "bool": sa.Boolean}[kind]()


def upgrade() -> None:
    for name, (key, columns) in _DATA_TABLES.items():
        op.create_table(name, *[
            sa.Column(column, _type(kind), primary_key=column in key,
                      nullable=kind in ("int", "float"))
            for column, kind in columns])
    op.create_table(
        "atlas_meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "atlas_users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("blocked_until", sa.Float, nullable=False),
    )
    op.create_table(
        "atlas_row_versions",
        sa.Column("table_name", sa.Text, primary_key=True),
        sa.Column("row_key", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", sa.Text, nullable=False),
    )
    op.create_table(
        "atlas_changes",
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("undo_of", sa.Integer, nullable=True),
        sa.Column("undone_by", sa.Integer, nullable=True),
    )
    op.create_table(
        "atlas_change_rows",
        sa.Column("change_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("the atlas never goes back to an older schema: restore a backup")
