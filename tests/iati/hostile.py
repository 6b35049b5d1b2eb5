"""Builders of IATI files, good and hostile, for the reader's tests and the import's.

Each returns the file's bytes. They are built in code (not stored) so a test says what it feeds
in, and so the large ones (50 MB, 25,000 activities) cost no space in the repository.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
ANNOTATED_EXAMPLE = DATA / "activity-standard-example-annotated-2.03.xml"
DPORTAL_100 = DATA / "dportal-real-100-activities-2020.xml"

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def activity(identifier: str = "XM-EXAMPLE-1", title: str = "Clean water in Karkaralinsk",
             *, lang: str | None = None, extra: str = "", attributes: str = "") -> str:
    """One small 2.03 activity with a title (and ``extra`` XML inside it)."""
    lang_attribute = f' xml:lang="{lang}"' if lang else ""
    return (f"<iati-activity{lang_attribute}{attributes}>"
            f"<iati-identifier>{identifier}</iati-identifier>"
            f"<title><narrative>{title}</narrative></title>{extra}</iati-activity>")


def activities_file(*activities: str, version: str | None = "2.03", root_attributes: str = "",
                    declaration: str = DECLARATION) -> bytes:
    """An activity file holding the given activities (UTF-8)."""
    version_attribute = f' version="{version}"' if version is not None else ""
    body = "\n".join(activities)
    return (f"{declaration}<iati-activities{version_attribute}{root_attributes}>\n{body}\n"
            "</iati-activities>\n").encode()


def tiny_activities(count: int, *, elements: int = 0) -> bytes:
    """``count`` minimal activities in one file (for the activity cap), each with ``elements``
    more small elements (for memory)."""
    head = b'<iati-activities version="2.03">\n'
    filler = b"<sector code='15150'/>" * elements
    one = b"<iati-activity><iati-identifier>XM-T-%d</iati-identifier>" + filler.replace(
        b"%", b"%%") + b"</iati-activity>\n"
    return head + b"".join(one % n for n in range(count)) + b"</iati-activities>\n"


def empty_elements(count: int, *, in_one_activity: bool) -> bytes:
    """``count`` empty elements, as children of the root or all inside one activity."""
    filler = b"<a/>" * count
    if in_one_activity:
        filler = b"<iati-activity>" + filler + b"</iati-activity>"
    return b'<iati-activities version="2.03">' + filler + b"</iati-activities>"


def malformed() -> bytes:
    """A closing tag that does not match (line 4, in the second activity)."""
    return (DECLARATION + '<iati-activities version="2.03">\n'
            + activity("XM-OK-1") + "\n"
            + "<iati-activity><iati-identifier>XM-BAD</title></iati-activity>\n"
            + "</iati-activities>\n").encode()


def billion_laughs(levels: int = 10) -> bytes:
    """The entity bomb: ten entities each ten times the one before (a billion 'lol's)."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels):
        entities.append(f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">')
    doctype = "<!DOCTYPE iati-activities [\n" + "\n".join(entities) + "\n]>\n"
    return (DECLARATION + doctype + '<iati-activities version="2.03">'
            + activity(title=f"&lol{levels - 1};") + "</iati-activities>").encode()


def external_entity(path: str = "/etc/passwd") -> bytes:
    """An external entity pulling a local file into a title."""
    doctype = (f'<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file://{path}">]>\n')
    return (DECLARATION + doctype + '<iati-activities version="2.03">'
            + activity(title="&secret;") + "</iati-activities>").encode()


def external_dtd(url: str = "http://dtd.example.invalid/iati.dtd") -> bytes:
    """A DOCTYPE that points at a DTD on the network."""
    return (DECLARATION + f'<!DOCTYPE iati-activities SYSTEM "{url}">\n'
            + '<iati-activities version="2.03">' + activity() + "</iati-activities>").encode()


def xinclude(path: str = "/etc/passwd") -> bytes:
    """An XInclude of a local file as text inside a narrative (never to be processed)."""
    include = (f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{path}" '
               'parse="text"/>')
    return activities_file(activity(title=f"Before {include} after"))


def oversized(size: int = 50 * 1024 * 1024) -> bytes:
    """A well-formed activity file of ``size`` bytes (padded with whitespace)."""
    good = activities_file(activity())
    return good + b" " * max(0, size - len(good))


def organisation_file() -> bytes:
    """An IATI organisation file (the other IATI standard)."""
    return (DECLARATION + '<iati-organisations version="2.03"><iati-organisation>'
            "<organisation-identifier>XM-DAC-41114</organisation-identifier>"
            "<name><narrative>UNDP</narrative></name>"
            "</iati-organisation></iati-organisations>").encode()


def kml() -> bytes:
    """A KML placemark (a map file)."""
    return (DECLARATION + '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
            "<name>Karkaralinsk</name><Point><coordinates>75.47,49.41</coordinates></Point>"
            "</Placemark></kml>").encode()


def deep_nesting(levels: int = 100_000) -> bytes:
    """An activity with ``levels`` nested elements inside it."""
    return (DECLARATION.encode() + b'<iati-activities version="2.03"><iati-activity>'
            + b"<x>" * levels + b"</x>" * levels + b"</iati-activity></iati-activities>")


def nested_to_depth(depth: int) -> bytes:
    """A file whose deepest element is at ``depth`` (the root is depth 1)."""
    inner = depth - 2  # levels below the activity
    return (b'<iati-activities version="2.03"><iati-activity>'
            + b"<x>" * inner + b"</x>" * inner + b"</iati-activity></iati-activities>")


CYRILLIC_TITLE = "Чистая вода для Каркаралинска"


def utf16_with_bom() -> bytes:
    """A UTF-16 file with a byte-order mark and a Russian title."""
    text = activities_file(activity(title=CYRILLIC_TITLE, lang="ru"),
                           declaration='<?xml version="1.0" encoding="UTF-16"?>\n').decode()
    return text.encode("utf-16")  # Python writes the BOM


def utf32_with_bom() -> bytes:
    """A UTF-32 file (libxml2 cannot read it)."""
    text = activities_file(activity(), declaration='<?xml version="1.0" encoding="UTF-32"?>\n')
    return text.decode().encode("utf-32")


def koi8r() -> bytes:
    """A file declaring encoding="koi8-r", with a Russian title in that encoding."""
    text = activities_file(activity(title=CYRILLIC_TITLE, lang="ru"),
                           declaration='<?xml version="1.0" encoding="koi8-r"?>\n').decode()
    return text.encode("koi8-r")


def invalid_utf8() -> bytes:
    """A UTF-8 file with bytes that are not UTF-8 in a title on line 3."""
    return activities_file(activity(title="Caf@@", lang="fr")).replace(b"@@", b"\xff\xfe")


def unknown_encoding() -> bytes:
    """A file declaring an encoding nobody has heard of."""
    return activities_file(activity(), declaration='<?xml version="1.0" encoding="x-klingon"?>\n')


def pdf() -> bytes:
    """The start of a PDF document."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def xlsx() -> bytes:
    """A (minimal) .xlsx: a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def gzipped() -> bytes:
    """A good activity file, gzip-compressed."""
    return gzip.compress(activities_file(activity()))


def csv() -> bytes:
    """A CSV file (the spreadsheet import's format)."""
    return b"id,title_en,status\nP1,Clean water,active\n"


def html_page() -> bytes:
    """A web page saved instead of the XML it links to."""
    return b"<!DOCTYPE html>\n<html><head><title>IATI</title></head><body><p>hi</p></body></html>"
