"""The IATI 2.03 code lists bundled in ``atlas/data/iati/`` (see its README), by code.

They are our own files, read through ``importlib.resources``, with the same non-resolving lxml
parser as untrusted input, so no code path parses XML any other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class CodeItem:
    """One code of a list: its English name (and others the list gives) and whether withdrawn."""

    code: str
    names: dict[str, str]
    withdrawn: bool

    def name(self, lang: str = "en") -> str:
        """The name in ``lang``, else in English (the lists are English, some also French)."""
        return self.names.get(lang) or self.names.get("en") or self.code


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


@cache
def codelist(name: str) -> dict[str, CodeItem]:
    """The items of the code list ``name`` (e.g. "Currency", "Sector"), keyed by code."""
    data = resources.files("atlas").joinpath("data", "iati", f"{name}.xml").read_bytes()
    root = etree.fromstring(data, _parser())
    default_lang = root.get(_XML_LANG) or "en"
    items: dict[str, CodeItem] = {}
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        if not code:
            continue
        names: dict[str, str] = {}
        for narrative in item.findall("name/narrative"):
            text = " ".join((narrative.text or "").split())
            if text:
                names.setdefault(narrative.get(_XML_LANG) or default_lang, text)
        items[code] = CodeItem(code, names, item.get("status") == "withdrawn")
    return items


def codes(name: str, *, active_only: bool = False) -> tuple[str, ...]:
    """The codes of the list ``name`` in file order (withdrawn ones left out if asked)."""
    return tuple(c for c, item in codelist(name).items()
                 if not (active_only and item.withdrawn))


def code_name(name: str, code: str, lang: str = "en") -> str:
    """The name of ``code`` in the list ``name`` ("" when the list does not have it)."""
    item = codelist(name).get(code)
    return item.name(lang) if item else ""
