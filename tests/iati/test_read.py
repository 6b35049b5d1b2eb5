"""The IATI reader: the samples read, and every hostile file is refused with its own message
code before anything is built from it, or read without harm."""

from __future__ import annotations

import pickle
import random
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from atlas.budget import Budget, run_measured
from atlas.i18n import LANGUAGES, string_keys, t
from atlas.iati import read
from atlas.iati.read import (
    MAX_ACTIVITIES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_TEXT_CHARS,
    ActivityFile,
    IatiRefused,
    Note,
    activity_version,
    activity_version_problem,
    iter_activities,
    narratives,
    read_header,
    text_of,
)
from tests.iati import hostile
from tests.iati.schema import SCHEMA_DIR, load_schema, validate_against_schema

MB = 1024 * 1024
SECRET = "TOP-SECRET-7f3a9c"


def refusal(content: bytes) -> IatiRefused:
    """The refusal of reading the whole file (header and every activity)."""
    with pytest.raises(IatiRefused) as caught:
        read_header(content)
        for _ in iter_activities(content):
            pass
    return caught.value


def titles(content: bytes) -> list[dict[str, str]]:
    return [narratives(element.find("title")) for _, element in iter_activities(content)]


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if lxml is asked to parse anything."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the parser was reached")
    monkeypatch.setattr(read.etree, "iterparse", refuse)


@pytest.fixture
def secret_file(tmp_path: Any) -> str:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\nroot:x:0:0\n")
    return str(path)


# --- the samples ---------------------------------------------------------------------------------


def test_annotated_example_reads() -> None:
    content = hostile.ANNOTATED_EXAMPLE.read_bytes()
    header = read_header(content)
    assert header == ActivityFile("2.03", "2014-09-10T07:15:37Z", "http://data.example.org/")
    activities = [(position, element.findtext("iati-identifier"), narratives(element.find("title")))
                  for position, element in iter_activities(content)]
    assert activities == [(1, "AA-AAA-123456789-ABC123", {
        "en": "Activity title", "fr": "Titre de l'activité", "es": "Título de la actividad"})]


def test_dportal_dump_reads_with_versions_per_activity() -> None:
    # The datastore dump's root gives no version; each activity carries its own (1.03 to 2.03).
    content = hostile.DPORTAL_100.read_bytes()
    header = read_header(content)
    assert header.version is None
    assert header.notes == (Note("iati_note_version_missing", {"version": "2.03"}),)
    seen: list[int] = []
    left_out: dict[str, str] = {}
    for position, element in iter_activities(content):
        seen.append(position)
        for child in element.iter():
            text_of(child)
            narratives(child)
        problem = activity_version_problem(element, header)
        if problem is not None:
            left_out[element.findtext("iati-identifier") or ""] = problem.params["version"]
            assert problem.code == "iati_activity_version_old"
        else:
            assert activity_version(element, header) in {"2.01", "2.02", "2.03"}
    assert seen == list(range(1, 101))
    assert left_out == {"US-501c3-522318905-SG-1120091252354": "1.04",
                        "CH-4-2015002496": "1.03", "NO-BRC-977538319_X9SM1403": "1.03"}


# --- versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.01", "2.02", "2.03"])
def test_versions_read_without_notes(version: str) -> None:
    header = read_header(hostile.activities_file(hostile.activity(), version=version))
    assert header.version == version and header.notes == ()


@pytest.mark.parametrize("version", ["1.05", "1.01"])
def test_version_1_is_refused_naming_it(version: str) -> None:
    error = refusal(hostile.activities_file(hostile.activity(), version=version))
    assert error.code == "iati_version_old"
    assert str(error) == (f"IATI {version} files are not read: ask the publisher for 2.0x or "
                          "convert it.")


def test_newer_version_reads_with_a_note() -> None:
    content = hostile.activities_file(hostile.activity(), version="2.04")
    header = read_header(content)
    assert header.notes == (Note("iati_note_version_newer",
                                 {"version": "2.04", "read_as": "2.03"}),)
    assert "may be ignored" in str(header.notes[0])
    assert len(titles(content)) == 1


@pytest.mark.parametrize("version", ["abc", "2.00", "2", "&lt;b&gt;2.03"])
def test_unknown_version_is_refused_naming_it(version: str) -> None:
    error = refusal(hostile.activities_file(hostile.activity(), version=version))
    assert error.code == "iati_version_unknown"
    assert error.params["version"] == version.replace("&lt;", "<").replace("&gt;", ">")


def test_an_old_activity_in_a_new_file_is_yielded_for_the_mapper_to_skip() -> None:
    content = hostile.activities_file(
        hostile.activity("XM-OLD", attributes=' version="1.03"'),
        hostile.activity("XM-NEW"), hostile.activity("XM-ODD", attributes=' version="x"'))
    header = read_header(content)
    problems = {element.findtext("iati-identifier"): activity_version_problem(element, header)
                for _, element in iter_activities(content)}
    assert problems == {"XM-OLD": Note("iati_activity_version_old", {"version": "1.03"}),
                        "XM-NEW": None,
                        "XM-ODD": Note("iati_activity_version_unknown", {"version": "x"})}


# --- files that are not IATI activity XML --------------------------------------------------------


@pytest.mark.parametrize(("content", "code"), [
    (b"", "iati_file_empty"),
    (b"  \n\t ", "iati_file_empty"),
    (b"\xef\xbb\xbf", "iati_file_empty"),
    (b"\xff\xfe", "iati_file_empty"),
    (b"<?xml version='1.0'?>\n<!-- a comment, no element -->\n", "iati_file_empty"),
    (hostile.pdf(), "iati_not_xml_pdf"),
    (hostile.xlsx(), "iati_not_xml_zip"),
    (hostile.gzipped(), "iati_not_xml_gzip"),
    (b"\x00\x01\x02\x03binary", "iati_not_xml_binary"),
    (hostile.html_page(), "iati_html"),
    (b"<html><body><p>hi</p></body></html>", "iati_html"),
    (hostile.organisation_file(), "iati_root_organisations"),
    (hostile.kml(), "iati_root_kml"),
    (hostile.utf32_with_bom(), "iati_encoding_unsupported"),
    (hostile.unknown_encoding(), "iati_encoding_unsupported"),
])
def test_other_files_are_refused_with_their_own_message(content: bytes, code: str) -> None:
    assert refusal(content).code == code


def test_csv_is_refused_naming_how_it_starts() -> None:
    error = refusal(hostile.csv())
    assert error.code == "iati_not_xml"
    assert error.params == {"start": "id,title_en,status P1,Cl"}


def test_organisation_file_message() -> None:
    assert str(refusal(hostile.organisation_file())).startswith(
        "This is an IATI organisation file, not an activity file")


def test_other_root_is_named() -> None:
    error = refusal(b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"/>')
    assert error.code == "iati_root_other"
    assert error.params == {"root": "gpx (http://www.topografix.com/GPX/1/1)"}
    assert "<gpx (http://www.topografix.com/GPX/1/1)>" in str(error)


def test_unknown_encoding_is_named() -> None:
    assert refusal(hostile.unknown_encoding()).params == {"encoding": "x-klingon"}


# --- malformed XML -------------------------------------------------------------------------------


def test_malformed_xml_names_line_and_column() -> None:
    error = refusal(hostile.malformed())
    assert error.code == "iati_malformed"
    assert (error.params["line"], error.params["column"]) == (4, 47)  # after </title>
    assert "mismatch" in error.params["detail"]


def test_malformed_after_good_activities_is_refused_part_way() -> None:
    # The consumer sees at most the first activity, then the refusal: it must write nothing.
    # (How far the parser reads ahead before it finds the damage depends on libxml2's version.)
    seen = []
    with pytest.raises(IatiRefused) as caught:
        for position, _ in iter_activities(hostile.malformed()):
            seen.append(position)
    assert seen in ([], [1]) and caught.value.code == "iati_malformed"


def test_an_undeclared_entity_is_placed_at_its_line() -> None:
    # lxml raises a summary at line 0 for this error; the logged error has the place.
    content = hostile.activities_file(hostile.activity(), hostile.activity(title="&nbsp;"))
    error = refusal(content)
    assert error.code == "iati_malformed"
    assert error.params["line"] == 4 and "nbsp" in error.params["detail"]


def test_truncated_file_is_malformed() -> None:
    content = hostile.activities_file(hostile.activity())[:-30]
    assert refusal(content).code == "iati_malformed"


def test_invalid_utf8_names_the_line() -> None:
    error = refusal(hostile.invalid_utf8())
    assert error.code == "iati_bad_bytes"
    assert error.params["line"] == 3


# --- entities, DTDs, XInclude --------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    hostile.billion_laughs(), hostile.external_entity(), hostile.external_dtd(),
    (hostile.DECLARATION + "<!-- " + "x" * 100_000 + " -->\n<?pi <!x ?>\n"
     + '<!DOCTYPE iati-activities [<!ENTITY a "b">]><iati-activities version="2.03"/>'
     ).encode(),
    hostile.billion_laughs().decode().encode("utf-16"),
])
def test_doctype_is_refused_before_parsing(content: bytes, no_parsing: None) -> None:
    assert refusal(content).code == "iati_doctype"


def read_everything(content: bytes) -> str:
    """What a reader could show of the file: every text, or the refusal (for the child process)."""
    try:
        shown = [str(read_header(content))]
        for _, element in iter_activities(content):
            shown.extend(text_of(child) for child in element.iter())
            shown.append(etree.tostring(element, encoding="unicode"))
        return "\n".join(shown)
    except IatiRefused as error:
        return f"refused {error.code}: {error}"


def test_billion_laughs_is_refused_within_a_small_budget() -> None:
    # The budget bounds a runaway (a hang or a blow-up), it is not a speed target.
    shown, usage = run_measured(Budget(seconds=20, memory_bytes=64 * MB), read_everything,
                                hostile.billion_laughs())
    assert shown.startswith("refused iati_doctype")
    assert usage.peak_bytes < 32 * MB


def test_external_entity_content_never_appears(secret_file: str) -> None:
    shown = read_everything(hostile.external_entity(secret_file))
    assert shown.startswith("refused iati_doctype") and SECRET not in shown
    assert "root:x" not in read_everything(hostile.external_entity("/etc/passwd"))


def test_doctype_is_refused_even_if_the_prolog_check_missed_it(
        secret_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The second lock: the parser's own view of the document, at the root's start.
    monkeypatch.setattr(read, "_refuse_declarations", lambda text, at: None)
    for content in (hostile.external_entity(secret_file), hostile.billion_laughs(),
                    hostile.external_dtd()):
        shown = read_everything(content)
        assert shown.startswith("refused iati_doctype") and SECRET not in shown


def test_xinclude_is_not_processed(secret_file: str) -> None:
    content = hostile.xinclude(secret_file)
    shown = read_everything(content)
    assert SECRET not in shown
    assert titles(content) == [{"": "Before after"}]


# --- size, depth and count -----------------------------------------------------------------------


def test_file_over_the_size_cap_is_refused_before_parsing(no_parsing: None) -> None:
    error = refusal(hostile.oversized(50 * MB))
    assert error.code == "iati_file_too_large"
    assert error.params == {"size_mb": "50.0", "max_mb": 20}


def test_file_at_the_size_cap_is_read() -> None:
    assert len(titles(hostile.oversized(MAX_BYTES))) == 1


def test_deep_nesting_is_refused_within_a_small_budget() -> None:
    shown, usage = run_measured(Budget(seconds=20, memory_bytes=64 * MB), read_everything,
                                hostile.deep_nesting(100_000))
    assert shown.startswith("refused iati_too_deep")
    assert usage.peak_bytes < 32 * MB


def test_depth_cap_boundary() -> None:
    assert len(titles(hostile.nested_to_depth(MAX_DEPTH))) == 1
    error = refusal(hostile.nested_to_depth(MAX_DEPTH + 1))
    assert (error.code, error.params) == ("iati_too_deep", {"max": MAX_DEPTH, "line": 1})


def test_too_many_activities_are_refused_after_the_cap() -> None:
    seen = 0
    with pytest.raises(IatiRefused) as caught:
        for _ in iter_activities(hostile.tiny_activities(25_000)):
            seen += 1
    assert seen == MAX_ACTIVITIES
    assert (caught.value.code, caught.value.params) == ("iati_too_many_activities",
                                                        {"max": MAX_ACTIVITIES})
    assert [p for p, _ in iter_activities(hostile.tiny_activities(3), max_activities=3)] == [
        1, 2, 3]


def test_element_caps_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_ELEMENTS", 1 + 3 * 11)  # the root, 3 activities of 11
    monkeypatch.setattr(read, "MAX_ACTIVITY_ELEMENTS", 11)
    three = hostile.tiny_activities(3, elements=9)
    assert len(list(iter_activities(three))) == 3
    assert refusal(hostile.tiny_activities(4, elements=9)).code == "iati_too_many_elements"
    error = refusal(hostile.tiny_activities(3, elements=10))
    assert (error.code, error.params) == ("iati_activity_too_large", {"line": 2, "max": 11})


def test_real_files_are_far_below_the_element_cap() -> None:
    content = hostile.DPORTAL_100.read_bytes()
    elements = sum(1 for _ in etree.fromstring(content).iter())
    assert elements * MAX_BYTES / len(content) < read.MAX_ELEMENTS / 2


def test_millions_of_elements_in_one_activity_are_refused_within_a_small_budget() -> None:
    # 4.9 million empty elements fit in 19 MB; as one tree they would take about 600 MB.
    shown, _ = run_measured(Budget(seconds=60, memory_bytes=192 * MB), read_everything,
                            hostile.empty_elements(4_900_000, in_one_activity=True))
    assert shown.startswith("refused iati_activity_too_large")


def test_only_children_of_the_root_are_activities() -> None:
    content = hostile.activities_file(
        hostile.activity("XM-A", extra=hostile.activity("XM-NESTED")),
        "<iati-extra>" + hostile.activity("XM-INSIDE-OTHER") + "</iati-extra>",
        hostile.activity("XM-B"))
    found = [(p, e.findtext("iati-identifier")) for p, e in iter_activities(content)]
    assert found == [(1, "XM-A"), (2, "XM-B")]


def test_each_activity_is_cleared_once_the_consumer_moves_on() -> None:
    content = hostile.tiny_activities(50)
    kept: list[etree._Element] = []
    for _, element in iter_activities(content):
        assert element.getparent() is not None  # still in the tree: xml:lang is inherited
        before = list(element.itersiblings(preceding=True))
        assert len(before) <= 1 and all(len(b) == 0 for b in before)  # nothing of them kept
        assert element.findtext("iati-identifier")
        kept.append(element)
    assert all(len(element) == 0 for element in kept)


def resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def growth_while_streaming(count: int) -> tuple[int, int]:
    """Reads ``count`` activities of 30 elements each, built in the child; the activities read
    and the largest growth of resident memory (kB) seen while reading them."""
    content = hostile.tiny_activities(count, elements=30)
    before = resident_kb()
    grown = 0
    read_count = 0
    for position, _ in iter_activities(content):
        read_count += 1
        if position % 200 == 0:
            grown = max(grown, resident_kb() - before)
    return read_count, grown


def growth_of_the_whole_tree(count: int) -> tuple[int, int]:
    """What streaming saves: the same activities parsed into one tree, and how much resident
    memory (kB) that tree took."""
    content = hostile.tiny_activities(count, elements=30)
    before = resident_kb()
    tree = etree.fromstring(content)
    return len(tree), resident_kb() - before


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_follows_one_activity_not_the_file() -> None:
    # 19,000 activities of 30 elements. The bound is measured, not guessed: the resident size
    # an allocator reports varies from machine to machine (1 MB here, 9 MB on CI), but the
    # whole tree of them takes some 200 MB everywhere, and streaming must keep far below it.
    budget = Budget(seconds=60, memory_bytes=1024 * MB)
    (count, grown_kb), _ = run_measured(budget, growth_while_streaming, 19_000)
    (tree_count, tree_kb), _ = run_measured(budget, growth_of_the_whole_tree, 19_000)
    assert count == tree_count == 19_000
    assert grown_kb < tree_kb / 10, (grown_kb, tree_kb)


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [hostile.utf16_with_bom(), hostile.koi8r(),
                                     hostile.utf16_with_bom()[2:]])  # UTF-16 without a BOM
def test_declared_encodings_read_correctly(content: bytes) -> None:
    assert titles(content) == [{"ru": hostile.CYRILLIC_TITLE}]


def test_blank_lines_before_the_declaration_are_tolerated() -> None:
    content = b"\n\n  " + hostile.activities_file(hostile.activity())
    assert titles(content) == [{"": "Clean water in Karkaralinsk"}]


def test_damaged_copies_are_read_or_refused_never_a_traceback() -> None:
    base = hostile.ANNOTATED_EXAMPLE.read_bytes()
    rng = random.Random(12)
    inserts = [b"<!DOCTYPE x>", b"&x;", b"\x00", b"]]>", b"<![CDATA[", b"<?x", b"<!--", b"\xff",
               b"&#0;", b"xmlns:a='b'", b"\xfe\xff"]
    for _ in range(400):
        damaged = bytearray(base)
        at = rng.randrange(len(damaged))
        kind = rng.randrange(4)
        if kind == 0:
            damaged = damaged[:at]
        elif kind == 1:
            damaged = damaged[at:]
        elif kind == 2:
            damaged[at] = rng.randrange(256)
        else:
            damaged[at:at] = rng.choice(inserts)
        read_everything(bytes(damaged))  # an exception other than IatiRefused fails the test


# --- text ----------------------------------------------------------------------------------------


def element(xml: str) -> etree._Element:
    return etree.fromstring(xml)


def test_text_is_normalised_and_stripped_of_invisible_characters() -> None:
    node = element("<narrative>  Caf&#x65;&#x301;\n\t in \u00a0 Almaty\u202e&#x9b;&#x200b; "
                   "<b>bold</b> tail </narrative>")
    assert text_of(node) == "Café in Almaty bold tail"
    assert text_of(None) == ""
    assert text_of(etree.Entity("nbsp")) == ""


def test_text_is_capped() -> None:
    node = element("<narrative>" + "word " * MAX_TEXT_CHARS + "</narrative>")
    text = text_of(node)
    assert len(text) == MAX_TEXT_CHARS and text.endswith("…")


def test_narratives_take_the_nearest_language() -> None:
    content = hostile.activities_file(
        hostile.activity("XM-1", lang="ru", extra=(
            '<description><narrative>По умолчанию</narrative>'
            '<narrative xml:lang="en-GB">English</narrative>'
            '<narrative xml:lang="EN">Second English</narrative>'
            '<narrative xml:lang="kk"> </narrative>'
            '<narrative xml:lang="kk">Қазақша</narrative>'
            '<narrative xml:lang="&lt;script&gt;">Odd</narrative></description>')),
        hostile.activity("XM-2"),
        root_attributes=' xml:lang="fr"')
    found = [narratives(e.find("description")) for _, e in iter_activities(content)]
    assert found == [{"ru": "По умолчанию", "en": "English", "kk": "Қазақша", "": "Odd"}, {}]
    assert titles(content) == [{"ru": "Clean water in Karkaralinsk"},
                               {"fr": "Clean water in Karkaralinsk"}]


def test_narratives_fall_back_to_the_element_text() -> None:
    assert narratives(element('<title xml:lang="en"> Old style </title>')) == {"en": "Old style"}
    assert narratives(element("<title/>")) == {}
    assert narratives(None) == {}


def test_no_module_of_the_atlas_parses_xml_with_the_standard_library() -> None:
    # Its parsers expand internal entities; lxml with resolve_entities=False does not.
    unsafe = re.compile(r"^\s*(from|import)\s+xml\.(etree|dom|sax)\b|xml\.dom\.minidom",
                        re.MULTILINE)
    root = Path(read.__file__).parents[1]
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if unsafe.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


# --- messages ------------------------------------------------------------------------------------


def reader_codes() -> set[str]:
    source = Path(str(read.__file__)).read_text(encoding="utf-8")
    return set(re.findall(r'"(iati_[a-z_0-9]+)"', source))


def test_every_message_code_has_three_languages() -> None:
    codes = reader_codes()
    assert len(codes) >= 20
    assert codes <= set(string_keys())
    for code in codes:
        assert len({t(code, lang) for lang in LANGUAGES}) == 3, code


def test_refusal_text_is_the_english_message() -> None:
    error = IatiRefused("iati_too_deep", max=40, line=7)
    assert str(error) == t("iati_too_deep", "en", max=40, line=7)
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))  # e.g. from a worker process
    assert (copy.code, copy.params, str(copy)) == (error.code, error.params, str(error))


# --- the schema helper ---------------------------------------------------------------------------


def test_annotated_example_is_valid_against_the_schema() -> None:
    assert validate_against_schema(hostile.ANNOTATED_EXAMPLE.read_bytes()) == []


def test_a_broken_copy_is_not_valid() -> None:
    broken = hostile.ANNOTATED_EXAMPLE.read_bytes().replace(
        b"<iati-identifier>AA-AAA-123456789-ABC123</iati-identifier>", b"", 1)
    assert broken != hostile.ANNOTATED_EXAMPLE.read_bytes()
    problems = validate_against_schema(broken)
    assert problems and any("iati-identifier" in p for p in problems)
    assert validate_against_schema(b"<iati-activities") != []


def test_schema_loads_only_its_own_files() -> None:
    _, requested = load_schema()
    assert {url.rsplit("/", 1)[-1] for url in requested} == {
        "iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"}
    assert all(url.startswith(str(SCHEMA_DIR)) for url in requested)
