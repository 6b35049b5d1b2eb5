"""The one reader of IATI activity XML from outside (uploads, the command line).

Everything in such a file is hostile until checked, so the file is refused, with a message code
naming what was found, before lxml sees its body when it is too large, empty, not XML or declares
a DOCTYPE (a DTD is never needed in IATI, and it is how entity bombs and external entities get
in). The body is then streamed: each ``<iati-activity>`` is handed out when it ends and cleared
when the consumer asks for the next one, so memory follows one activity, not the file.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from atlas.i18n import t

# XML is several times the bytes of the same data in a spreadsheet (every value is wrapped in
# tags, often in several languages), and publishers' files of a few thousand activities run to
# 10-20 MB. Reading is streamed, so the cap bounds time and the upload, not the tree in memory.
MAX_BYTES = 20 * 1024 * 1024
MAX_ACTIVITIES = 20_000
# The deepest IATI path (iati-activities/iati-activity/result/indicator/period/actual/
# dimension...) is under 10 levels; 40 leaves room for extensions and stops nesting attacks
# long before libxml2's own limit of 256.
MAX_DEPTH = 40
# Real files hold about 20,000 elements per MB (the d-portal sample: 18,870 in 1 MB), so about
# 400,000 at MAX_BYTES; empty elements could pack 5 million into it, each costing the reader
# time (and, inside one activity, about 120 bytes of tree).
MAX_ELEMENTS = 1_000_000
# The largest real activities (thousands of transactions or result periods) hold tens of
# thousands of elements; the cap keeps one activity's tree under about 50 MB.
MAX_ACTIVITY_ELEMENTS = 100_000
# A description is at most a few pages; longer text is cut (and marked) so one element cannot
# fill the store or a page.
MAX_TEXT_CHARS = 20_000
READ_VERSIONS = ("2.01", "2.02", "2.03")
ASSUMED_VERSION = "2.03"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ACTIVITY = "iati-activity"
_ROOT = "iati-activities"
_PARSER_OPTIONS: dict[str, Any] = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    remove_comments=True, remove_pis=True)
_VERSION = re.compile(r"^(\d{1,3})\.(\d{1,3})$")
# Characters never meant to be shown: controls (C0 and C1) and invisible format characters
# such as bidi overrides, which can make a shown name read differently from what it is.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LANG_TAG = re.compile(r"^[a-z]{2,8}$")
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")


@dataclass(frozen=True)
class Note:
    """Something the reader did that the import report should say: an i18n key and parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return t(self.code, "en", **self.params)


class IatiRefused(ValueError):
    """The whole file is refused; nothing may be written. ``code`` is an atlas.i18n key and
    ``params`` its parameters; ``str()`` is the English text."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(t(code, "en", **params))

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from the code, not the English text, when it crosses a process boundary.
        return (_refusal, (self.code, self.params))


def _refusal(code: str, params: dict[str, Any]) -> IatiRefused:
    return IatiRefused(code, **params)


@dataclass(frozen=True)
class ActivityFile:
    """What the root element says about the file, and the notes reading it leads to."""

    version: str | None
    generated: str | None
    linked_data_default: str | None
    notes: tuple[Note, ...] = ()


def read_header(content: bytes) -> ActivityFile:
    """The root's version, generation time and linked-data default, after every check that
    can be made before the first activity (raises IatiRefused)."""
    body = _checked_body(content)
    for event, element in _events(body):
        if event == "start":
            return _header_of(element)
    raise IatiRefused("iati_file_empty")  # unreachable: the parser fails on a rootless file


def iter_activities(content: bytes, *, max_activities: int = MAX_ACTIVITIES
                    ) -> Iterator[tuple[int, etree._Element]]:
    """Each ``<iati-activity>`` child of the root with its 1-based position in the file.

    The element is cleared (with what came before it) when the next one is asked for: copy
    what you need first. Raises IatiRefused, also part-way through (malformed XML further on,
    more than ``max_activities`` activities or MAX_ELEMENTS elements, an activity of more
    than MAX_ACTIVITY_ELEMENTS, nesting deeper than MAX_DEPTH), so a consumer
    writes nothing until the iteration has ended.
    """
    body = _checked_body(content)
    root: etree._Element | None = None
    depth = 0
    position = 0
    elements = 0
    in_activity = 0  # elements of the current child of the root
    child_line = 0  # where it starts
    for event, element in _events(body):
        if event == "start":
            depth += 1
            elements += 1
            if depth == 2:
                in_activity = 0
                child_line = element.sourceline or 0
            in_activity += 1
            if depth > MAX_DEPTH:
                raise IatiRefused("iati_too_deep", max=MAX_DEPTH, line=element.sourceline or 0)
            if elements > MAX_ELEMENTS:
                raise IatiRefused("iati_too_many_elements", max=MAX_ELEMENTS)
            if in_activity > MAX_ACTIVITY_ELEMENTS:
                raise IatiRefused("iati_activity_too_large", line=child_line,
                                  max=MAX_ACTIVITY_ELEMENTS)
            if root is None:
                root = element
                _header_of(root)
            elif depth == 2 and element.tag == _ACTIVITY:
                position += 1
                if position > max_activities:
                    raise IatiRefused("iati_too_many_activities", max=max_activities)
            continue
        depth -= 1
        if depth != 1 or root is None:
            continue
        if element.tag == _ACTIVITY:
            yield position, element
        # Done with this child of the root: empty it and drop what came before it. Not what
        # comes after: the parser reads ahead, so later siblings may already be in the tree,
        # their events still to come.
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del root[0]


def activity_version(activity: etree._Element, header: ActivityFile) -> str | None:
    """The IATI version an activity is written in: its own ``version`` attribute (files
    merged from several publishers carry one per activity), else the file's."""
    own = _attribute(activity, "version")
    return own or header.version


def activity_version_problem(activity: etree._Element, header: ActivityFile) -> Note | None:
    """Why an activity must be left out for its version (1.x, or not a version at all), or
    None when it can be read. The reader yields such activities so the mapper can report
    each one instead of the whole file failing."""
    version = activity_version(activity, header)
    if version is None:
        return None
    kind = _version_kind(version)
    if kind == "old":
        return Note("iati_activity_version_old", {"version": version})
    if kind == "unknown":
        return Note("iati_activity_version_unknown", {"version": version})
    return None


def text_of(element: etree._Element | None) -> str:
    """The element's text (its children's too), whitespace-normalised, NFC, with control and
    invisible format characters removed, and cut to MAX_TEXT_CHARS (ending in "…")."""
    if element is None or not isinstance(element.tag, str):
        return ""  # an entity or other node that is not an element has no text of its own
    parts: list[str] = []
    gathered = 0
    # Runs of whitespace collapse, so gather more than the cap before normalising; bounded
    # all the same, so an element of megabytes is not copied whole.
    for piece in element.itertext():
        parts.append(piece)
        gathered += len(piece)
        if gathered > 4 * MAX_TEXT_CHARS:
            break
    return _clean("".join(parts))


def narratives(element: etree._Element | None) -> dict[str, str]:
    """{language: text} of the element's ``<narrative>`` children (the first non-empty one per
    language). The language is the narrative's ``xml:lang`` reduced to its primary subtag
    ("en-GB" -> "en"), else the nearest enclosing one (the activity's or the root's default),
    else "" (unknown). An element with no narratives but text of its own (the 1.x style) gives
    that text in the default language."""
    if element is None:
        return {}
    default = _inherited_lang(element)
    found: dict[str, str] = {}
    seen = False
    for narrative in element.iterchildren("narrative"):
        seen = True
        raw = narrative.get(_XML_LANG)
        lang = _lang(raw) if raw is not None else default
        if lang in found:
            continue
        text = text_of(narrative)
        if text:
            found[lang] = text
    if not seen:
        own = _clean(element.text or "")
        if own:
            found[default] = own
    return found


# --- checks before parsing -----------------------------------------------------------------


def _checked_body(content: bytes) -> tuple[bytes, int]:
    """The bytes to parse and where parsing starts, after the checks that need no parser:
    size, emptiness, file type and a DOCTYPE in the prolog. Raises IatiRefused.

    Nothing here copies the file (a 20 MB upload must not become 40 MB); only a UTF-16 file is
    decoded whole, to find its prolog."""
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError("content must be bytes")
    size = len(content)
    if size > MAX_BYTES:
        raise IatiRefused("iati_file_too_large", size_mb=_mb(size),
                          max_mb=MAX_BYTES // (1024 * 1024))
    content = bytes(content)
    encoding, bom = _sniff_encoding(content)
    if encoding in ("utf-32-le", "utf-32-be"):
        raise IatiRefused("iati_encoding_unsupported", encoding="UTF-32")
    prolog = content
    first = _NOT_SPACE.search(content, bom) if encoding == "utf-8" else None
    start = 0
    if encoding != "utf-8":
        prolog = content[bom:].decode(encoding, errors="replace").encode("utf-8")
        first = _NOT_SPACE.search(prolog)
    elif first is not None and first.start() > bom:
        # An XML declaration must be the file's first bytes; blank lines before it are a
        # common slip of hand-edited files: parsing starts after them (and the BOM, UTF-8
        # being the parser's default).
        start = first.start()
    if first is None:
        raise IatiRefused("iati_file_empty")
    _refuse_other_types(prolog, first.start())
    _refuse_declarations(prolog, first.start())
    return content, start


def _sniff_encoding(content: bytes) -> tuple[str, int]:
    """The byte order the file starts with (as XML 1.0 appendix F detects it) and the length
    of its byte-order mark. Everything ASCII-compatible counts as "utf-8" here: the prolog's
    markup is ASCII in all of them, and libxml2 reads the declared encoding itself."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            return name, len(bom)
    head = content[:4]
    if head in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return ("utf-32-be" if head[0] == 0 else "utf-32-le"), 0
    if head[:2] == b"<\x00":
        return "utf-16-le", 0
    if head[:2] == b"\x00<":
        return "utf-16-be", 0
    return "utf-8", 0


def _refuse_other_types(text: bytes, at: int) -> None:
    """Refuses files that are plainly something else, naming what they look like (``at`` is
    where the first character that is not white space is)."""
    if text.startswith(b"%PDF", at):
        raise IatiRefused("iati_not_xml_pdf")
    if text.startswith((b"PK\x03\x04", b"PK\x05\x06"), at):
        raise IatiRefused("iati_not_xml_zip")
    if text.startswith(b"\x1f\x8b", at):
        raise IatiRefused("iati_not_xml_gzip")
    if not text.startswith(b"<", at):
        # Not final: a character cut at the end of the sample is not a sign of binary data.
        sample = text[at:at + 64]
        head = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
        if "\ufffd" in head or _CONTROL.search(head):
            raise IatiRefused("iati_not_xml_binary")
        raise IatiRefused("iati_not_xml", start=_clean(head)[:24])


def _refuse_declarations(text: bytes, at: int) -> None:
    """Refuses a DOCTYPE (or any other ``<!`` declaration) in the prolog, before the parser
    reads it: walks the XML declaration, processing instructions and comments from ``at`` up
    to the root element, as the parser would."""
    while True:
        found = _NOT_SPACE.search(text, at)
        if found is None:
            return
        at = found.start()
        if text.startswith(b"<?", at):
            terminator = b"?>"
        elif text.startswith(b"<!--", at):
            terminator = b"-->"
        elif text.startswith(b"<!", at):
            declaration = _clean(text[at:at + 60].decode("utf-8", errors="replace"))
            if declaration.upper().startswith("<!DOCTYPE HTML"):
                raise IatiRefused("iati_html")
            raise IatiRefused("iati_doctype", declaration=declaration[:40])
        else:
            return  # the root element (or text the parser will refuse)
        close = text.find(terminator, at + 2)
        if close < 0:
            return  # unterminated: the parser reports it with its line
        at = close + len(terminator)


# --- parsing ------------------------------------------------------------------------------


def _events(body: tuple[bytes, int]) -> Iterator[tuple[str, etree._Element]]:
    """lxml's start and end events over the body from its start, its errors turned into
    IatiRefused."""
    content, start = body
    stream = io.BytesIO(content)  # shares the bytes: no copy
    stream.seek(start)
    events = etree.iterparse(stream, events=("start", "end"), **_PARSER_OPTIONS)
    first = True
    while True:
        try:
            event, element = next(events)
        except StopIteration:
            return
        except etree.XMLSyntaxError as error:
            raise _syntax_refusal(error) from None
        if first:
            first = False
            # The prolog check stops DTDs before the parser; this is the second lock, should
            # the two ever read a prolog differently.
            info = element.getroottree().docinfo
            if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
                raise IatiRefused("iati_doctype", declaration=_clean(info.doctype)[:40])
        yield event, element


def _syntax_refusal(error: etree.XMLSyntaxError) -> IatiRefused:
    """The refusal for a parser error, with the line and column it happened at."""
    line, column = error.position if error.position else (0, 0)
    detail = error.msg or ""
    code = error.code
    if not line:
        # lxml sometimes raises a summary ("no element found", line 0) for an error it logged
        # with its place: the last logged error is the real one.
        last = error.error_log.last_error
        if last is not None:
            line, column, detail, code = last.line, last.column, last.message, last.type
    detail = _clean(re.sub(r",? line \d+, column \d+.*$", "", detail or ""))[:200]
    if code == etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING:
        name = detail.rsplit(":", 1)[-1].strip()[:40]
        return IatiRefused("iati_encoding_unsupported", encoding=name or "?")
    if code == etree.ErrorTypes.ERR_INVALID_ENCODING:
        return IatiRefused("iati_bad_bytes", line=line, column=column)
    if code == etree.ErrorTypes.ERR_DOCUMENT_EMPTY:
        return IatiRefused("iati_file_empty")
    # Newer libxml2 (lxml >= 6.2) stops some attacks itself, reading ahead of our checks: its
    # own depth limit, and entity amplification. They are refused as what they are.
    lowered = detail.casefold()
    if "excessive depth" in lowered:
        return IatiRefused("iati_too_deep", max=MAX_DEPTH, line=line)
    if code == etree.ErrorTypes.ERR_ENTITY_LOOP or "amplification" in lowered:
        return IatiRefused("iati_doctype", declaration="ENTITY")
    return IatiRefused("iati_malformed", line=line, column=column, detail=detail)


def _header_of(root: etree._Element) -> ActivityFile:
    """The header of an activity file, refusing any other root and unreadable versions."""
    tag = root.tag
    if tag != _ROOT:
        qname = etree.QName(tag)
        local = qname.localname
        if local == "iati-organisations":
            raise IatiRefused("iati_root_organisations")
        if local == "kml":
            raise IatiRefused("iati_root_kml")
        if local == "html":
            raise IatiRefused("iati_html")
        shown = local if qname.namespace is None else f"{local} ({qname.namespace})"
        raise IatiRefused("iati_root_other", root=_clean(shown)[:80])
    version = _attribute(root, "version")
    notes: list[Note] = []
    if version is None:
        notes.append(Note("iati_note_version_missing", {"version": ASSUMED_VERSION}))
    else:
        kind = _version_kind(version)
        if kind == "old":
            raise IatiRefused("iati_version_old", version=version)
        if kind == "unknown":
            raise IatiRefused("iati_version_unknown", version=version)
        if kind == "newer":
            notes.append(Note("iati_note_version_newer",
                              {"version": version, "read_as": ASSUMED_VERSION}))
    return ActivityFile(version=version, generated=_attribute(root, "generated-datetime"),
                        linked_data_default=_attribute(root, "linked-data-default"),
                        notes=tuple(notes))


def _version_kind(version: str) -> str:
    """"read", "newer" (2.x after 2.03, or later), "old" (1.x) or "unknown"."""
    match = _VERSION.match(version)
    if not match:
        return "unknown"
    major, minor = int(match.group(1)), int(match.group(2))
    if major == 1:
        return "old"
    if f"{major}.{minor:02d}" in READ_VERSIONS:
        return "read"
    if (major, minor) > (2, 3):
        return "newer"
    return "unknown"


# --- text ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Shown text: NFC, invisible characters removed, whitespace collapsed, length-capped."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = " ".join(text.split())
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS - 1].rstrip() + "…"
    return text


def _attribute(element: etree._Element, name: str) -> str | None:
    """An attribute's cleaned value, None when absent or blank."""
    value = element.get(name)
    if value is None:
        return None
    return _clean(value)[:200] or None


def _lang(value: str) -> str:
    """A language tag reduced to its lower-case primary subtag, "" when it is not one."""
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return primary if _LANG_TAG.match(primary) else ""


def _inherited_lang(element: etree._Element) -> str:
    """The ``xml:lang`` in force at the element: its own or its nearest ancestor's."""
    for holder in (element, *element.iterancestors()):
        value = holder.get(_XML_LANG)
        if value is not None:
            return _lang(value)
    return ""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
