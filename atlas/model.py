"""The data model: one table spec per entity, shared by CSV I/O, validation and the store.

Every amount and count travels with a qualifier (see ``Qualifier``); a figure we computed
ourselves carries a ``basis`` saying how, and every fact cites ``source_ids``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from atlas.iati.codelists import codes

ColumnType = Literal["text", "int", "float", "bool", "ids"]


class Qualifier(StrEnum):
    """How exactly a figure is known, as its source states it."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    DERIVED = "derived"
    UNKNOWN = "unknown"


QUALIFIERS = tuple(q.value for q in Qualifier)
PROJECT_STATUSES = ("planned", "ongoing", "completed", "unknown")
PARTICIPANT_ROLES = (
    "funder",
    "grant_operator",
    "lead",
    "co_implementer",
    "partner",
    "recipient",
)
ORGANIZATION_KINDS = (
    "multilateral_donor",
    "government_body",
    "state_grant_operator",
    "company",
    "foundation",
    "ngo",
    "local_authority",
    "beneficiary_group",
    "unspecified",
)
SITE_LEVELS = ("settlement", "rural_district", "district", "region", "national")
SITE_PRECISIONS = ("exact", "settlement", "district_centre", "region_centroid", "region",
                   "national")
# A site of these precisions covers a whole region or the whole country: it has no point, and
# any point given for it would be an invented one.
POINTLESS_PRECISIONS = ("region", "national")
# A site of these precisions covers the whole country: it has no region either.
REGIONLESS_PRECISIONS = ("national",)
# Whether a participant's role or a flow's route (who pays whom) is what the source says, or our
# best reading of it; empty reads as stated, so files from before these columns stay valid.
INFERENCE_QUALIFIERS = ("stated", "inferred")
FLOW_KINDS = ("grant", "state_grant", "co_financing", "sub_grant", "financial_support")
FLOW_STATUSES = ("committed", "disbursed", "planned")
# Any ISO 4217 currency may be stated (IATI files use dozens); the rates table decides which of
# them the atlas can convert, and an amount in another one stays in its own currency.
CURRENCIES = codes("Currency")
# IATI organisation types (10 government ... 90 other), for organizations.iati_type.
IATI_ORGANISATION_TYPES = codes("OrganisationType")
LANGUAGES = ("en", "ru", "kk")


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, type and whether a value is required."""

    name: str
    type: ColumnType = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    references: str | None = None  # "table.column" the value (or each id) must exist in


@dataclass(frozen=True)
class TableSpec:
    """A table of the data set, stored as ``geodata/<name>.csv``."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _names(prefix: str, required: bool = True) -> tuple[Column, ...]:
    """The en/ru/kk trio of a translated text column; English is the fallback."""
    return tuple(
        Column(f"{prefix}_{lang}", required=required and lang == "en") for lang in LANGUAGES
    )


# The languages a free-text note or basis is translated into; its unsuffixed column is the
# English text (these columns came after the data, so the English one keeps its old name).
NOTE_LANGUAGES = ("ru", "kk")


def _text(name: str, required: bool = False) -> tuple[Column, ...]:
    """A free-text column in English and its optional ``_ru`` and ``_kk`` translations."""
    return (Column(name, required=required),
            *(Column(f"{name}_{lang}") for lang in NOTE_LANGUAGES))


SOURCES = TableSpec(
    "sources",
    key=("source_id",),
    doc="Documents the facts come from.",
    columns=(
        Column("source_id", required=True),
        Column("title", required=True),
        *_text("publisher", required=True),
        Column("date"),
        Column("url"),
        Column("language", required=True, choices=("ru", "kk", "en")),
        *_text("note"),
    ),
)

PLACES = TableSpec(
    "places",
    key=("place_id",),
    doc="Home cities of organizations (points, inside or outside Kazakhstan).",
    columns=(
        Column("place_id", required=True),
        *_names("name"),
        Column("country", required=True),
        Column("region_code"),
        Column("lon", "float", required=True),
        Column("lat", "float", required=True),
        *_text("basis", required=True),
    ),
)

ORGANIZATIONS = TableSpec(
    "organizations",
    key=("org_id",),
    doc="Donors, grant operators, implementers, partners and recipient groups.",
    columns=(
        Column("org_id", required=True),
        *_names("name"),
        Column("acronym"),
        Column("kind", required=True, choices=ORGANIZATION_KINDS),
        Column("iati_ref"),  # IATI organisation identifier, e.g. XM-DAC-41114; unique when set
        Column("iati_type", choices=IATI_ORGANISATION_TYPES),
        Column("home_place_id", references="places.place_id"),
        *_text("home_basis"),
        Column("map_entry_place_id", references="places.place_id"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

PROJECTS = TableSpec(
    "projects",
    key=("project_id",),
    doc="Projects with titles, period, status and total budget.",
    columns=(
        Column("project_id", required=True),
        Column("iati_identifier"),  # the IATI activity identifier; unique when set
        *_names("title"),
        *_names("summary"),
        Column("status", required=True, choices=PROJECT_STATUSES),
        Column("status_as_of"),
        Column("start"),
        Column("end"),
        *_text("period_basis"),
        Column("contract_number"),
        Column("method"),
        Column("themes"),
        Column("sectors", "ids"),  # OECD DAC 5-digit sector codes (IATI sector vocabulary 1)
        Column("budget_amount", "float"),
        Column("budget_currency", choices=CURRENCIES),
        Column("budget_qualifier", required=True, choices=QUALIFIERS),
        *_text("budget_basis"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

PHASES = TableSpec(
    "phases",
    key=("project_id", "phase"),
    doc="Stages of a project (e.g. Public Spaces' first and second stage).",
    columns=(
        Column("project_id", required=True, references="projects.project_id"),
        Column("phase", "int", required=True),
        *_names("label"),
        Column("start"),
        Column("end"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
    ),
)

PROJECT_SDGS = TableSpec(
    "project_sdgs",
    key=("project_id", "goal"),
    doc="SDG goals assigned to each project, with the reason.",
    columns=(
        Column("project_id", required=True, references="projects.project_id"),
        Column("goal", "int", required=True),  # checked against 1..17 with its own message
        Column("targets"),
        Column("rank", "int", required=True),
        *_text("rationale", required=True),
    ),
)

PARTICIPANTS = TableSpec(
    "participants",
    key=("project_id", "org_id", "role"),
    doc="Which organization takes which role in which project.",
    columns=(
        Column("project_id", required=True, references="projects.project_id"),
        Column("org_id", required=True, references="organizations.org_id"),
        Column("role", required=True, choices=PARTICIPANT_ROLES),
        Column("role_as_stated"),
        Column("role_qualifier", choices=INFERENCE_QUALIFIERS),
        *_text("role_basis"),  # why an inferred role is read so; required when inferred
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

SITES = TableSpec(
    "sites",
    key=("site_id",),
    doc="Where projects work: a point with its precision, the stated region and district; "
        "a site of a whole region or of the whole country has no point.",
    columns=(
        Column("site_id", required=True),
        Column("project_id", required=True, references="projects.project_id"),
        *_names("name"),
        Column("level", required=True, choices=SITE_LEVELS),
        *_names("district", required=False),
        # Required unless the site is national; lon/lat unless it is region or national
        # (``atlas.validate`` checks these rules, which depend on the precision).
        Column("region_code", references="regions.code"),
        Column("lon", "float"),
        Column("lat", "float"),
        Column("precision", required=True, choices=SITE_PRECISIONS),
        *_text("location_basis", required=True),
        Column("phase", "int"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

FUNDING_FLOWS = TableSpec(
    "funding_flows",
    key=("flow_id",),
    doc="Money from one organization to another within a project.",
    columns=(
        Column("flow_id", required=True),
        Column("project_id", required=True, references="projects.project_id"),
        Column("from_org_id", required=True, references="organizations.org_id"),
        Column("to_org_id", required=True, references="organizations.org_id"),
        Column("kind", required=True, choices=FLOW_KINDS),
        Column("route_qualifier", choices=INFERENCE_QUALIFIERS),
        *_text("route_basis"),  # why an inferred route is read so; required when inferred
        Column("amount", "float"),
        Column("currency", choices=CURRENCIES),
        Column("qualifier", required=True, choices=QUALIFIERS),
        *_text("basis"),
        Column("year", "int"),
        *_text("year_basis"),
        Column("status", required=True, choices=FLOW_STATUSES),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

RESULTS = TableSpec(
    "results",
    key=("result_id",),
    doc="Counts and shares a project reports, with breakdowns by group.",
    columns=(
        Column("result_id", required=True),
        Column("project_id", required=True, references="projects.project_id"),
        Column("joint_project_ids", "ids", references="projects.project_id"),
        Column("indicator", required=True),
        *_names("label"),
        Column("value", "float"),
        Column("unit", required=True),
        Column("qualifier", required=True, choices=QUALIFIERS),
        *_text("basis"),
        Column("parent_result_id", references="results.result_id"),
        Column("site_ids", "ids", references="sites.site_id"),
        Column("phase", "int"),
        Column("as_of"),
        Column("counts_as_reach", "bool"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

CONTEXT_FACTS = TableSpec(
    "context_facts",
    key=("fact_id",),
    doc="Figures a source gives about a region's or the country's setting, not a project's.",
    columns=(
        Column("fact_id", required=True),
        Column("region_code", references="regions.code"),
        Column("project_id", references="projects.project_id"),
        *_names("label"),
        Column("value", "float"),
        Column("unit", required=True),
        Column("qualifier", required=True, choices=QUALIFIERS),
        Column("year"),
        Column("source_ids", "ids", required=True, references="sources.source_id"),
        *_text("note"),
    ),
)

SDGS = TableSpec(
    "sdgs",
    key=("goal",),
    doc="The 17 goals: official colours and short names.",
    columns=(
        Column("goal", "int", required=True),
        *_names("name"),
        Column("colour", required=True),
    ),
)

RATES = TableSpec(
    "rates",
    key=("year", "currency"),
    doc="Annual average exchange rates, units of a currency per US dollar.",
    columns=(
        Column("year", "int", required=True),
        Column("currency", required=True, choices=CURRENCIES),
        Column("per_usd", "float", required=True),
        *_text("source", required=True),
        *_text("note"),
    ),
)

TABLES: tuple[TableSpec, ...] = (
    SOURCES,
    PLACES,
    ORGANIZATIONS,
    PROJECTS,
    PHASES,
    PROJECT_SDGS,
    PARTICIPANTS,
    SITES,
    FUNDING_FLOWS,
    RESULTS,
    CONTEXT_FACTS,
    SDGS,
    RATES,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


# (table, column) of what store schema 5 added: whether roles and routes are inferred, why,
# and a note on context facts (e.g. a year read from a relative date).
INFERENCE_COLUMNS: tuple[tuple[str, str], ...] = (
    *(("participants", c) for c in ("role_qualifier", "role_basis", "role_basis_ru",
                                    "role_basis_kk")),
    *(("funding_flows", c) for c in ("route_qualifier", "route_basis", "route_basis_ru",
                                     "route_basis_kk")),
    *(("context_facts", c) for c in ("note", "note_ru", "note_kk")),
)

# (table, column) of every ru/kk translation of a free-text note or basis, and of the district
# names: what store schema 4 added to the tables of schema 3.
NOTE_TRANSLATION_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (spec.name, column)
    for spec in TABLES for column in spec.column_names
    if column.endswith(tuple(f"_{lang}" for lang in NOTE_LANGUAGES))
    and (column[:-3] in spec.column_names or column[:-3] == "district")
    and (spec.name, column) not in INFERENCE_COLUMNS
)
