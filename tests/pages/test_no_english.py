"""No English sentence on a Russian or Kazakh page (Streamlit AppTest).

Every page (found by glob, so a new page is covered) is run in ru and kk, and so are the views
behind a click: each project's card on the map, each project and organization page, every
step of the presentation, the Edit page logged in (every table, and a refused save), the
Import page's report of a bad spreadsheet and the History page with entries. Every text a
reader meets is collected from the element tree (markdown, captions, headings, alerts, metric
labels and values, widget labels, options, placeholders and help texts, buttons, links,
dataframe headers and string cells, expanders, tabs, chart labels) and searched, as whole
Latin-script words, for the words English running text cannot do without. A finding names
the page, the language, the kind of element and the text.

What may stay in Latin script is the short list ``ALLOWED`` below, each with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from atlas import auth, editing
from atlas.auth import Account
from atlas.dataset import read_dataset
from atlas.edit_forms import row_keys
from atlas.editing import EDITABLE_TABLES
from atlas.i18n import string_keys, t
from atlas.iati.codelists import codelist
from atlas.model import TABLES_BY_NAME
from atlas.paths import geodata_dir, store_path
from atlas.snapshot import Snapshot
from atlas.store import SqlStore, open_store
from atlas.ui.session import ACCOUNT_KEY
from tests.pages.support import MAIN, ROOT, fill_new_site, open_page, run

PAGES = [MAIN, *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
CHECKED_LANGUAGES = ("ru", "kk")
STAFF = Account("nadia", "admin")
PASSWORD = "a-long-staff-password-9"

# Words English running text is made of (function words and the atlas's own domain words),
# and English abbreviations that have a Russian and Kazakh form (EU: ЕС / ЕО, SDG: ЦУР / ТДМ).
# Matched whole and case-insensitively, in Latin script only: a Cyrillic "а" or "и" never
# matches, and neither does a word inside a longer one ("Tengizchevroil" holds no "oil").
_ENGLISH_WORDS_TEXT = """
    the of and is are was were been not no by with without from for at least most about into
    onto over under than then this that these those which who whom whose what when where why how
    it its their there here has have had will would can could should may must only also each
    every any all some more less per or but if as to in on out up an derived unknown
    approximate exact estimate estimated budget budgets project projects people person region
    regions district site sites source sources funding funded fund funds paid pay covered cover
    average total totals share shares click select choose show shows shown hide open close
    download upload file row rows column columns field fields value values required empty
    missing invalid outside inside error warning change changes changed changes saved save undo
    edit added removed new old page pages next previous step steps map year years money amount
    amounts donor donors implementer implementers organization organizations result results
    partner partners data note notes basis time card village villages town city centre center
    rural local public grant grants operator spent reached reach target planned ongoing
    completed none yes see how computed please login log logged password user users account
    accounts role eu misd cisc tald ngo ngos sdg sdgs
"""
ENGLISH_WORDS = frozenset(_ENGLISH_WORDS_TEXT.split())

# What legitimately stays in Latin script on a Russian or Kazakh page. Each entry is a
# reason and a pattern; matched text is taken out before the words are searched.
ALLOWED: list[tuple[str, re.Pattern[str]]] = [
    ("web addresses are typed as they are", re.compile(r"(?:https?://|www\.)\S+")),
    ("e-mail addresses", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("domain names of publishers (argonet.org)", re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|"
                                                           r"kz|eu|int|net|ru|gov)\b", re.I)),
    ("the name of the boundary data set, cited as published on the Sources page",
     re.compile(r"\bplotly-kz-map\b")),
    ("file names the reader saves or uploads",
     re.compile(r"\b[\w.-]+\.(?:csv|xlsx|xml|json|geojson|png|pdf|pptx|html|sqlite|txt)\b", re.I)),
]
# Texts from the data that are names, not sentences: computed from the bundled data so the
# list stays true when the data changes (see ``data_names``).
#   - titles of English-language sources: a document's title is cited as published;
#   - organization names that the data gives in English only (no Russian or Kazakh name
#     differs from it): a proper name with no translation.
# On staff pages only (``staff_names``), where staff read and type the stored data itself:
#   - the ids of rows, which staff pick and type (public pages must not show them);
#   - names of IATI code lists, which the standard publishes in English only;
#   - the English column of a translated text (name_en, note, basis ...: its ru/kk columns
#     sit beside it in the same table), unit codes (people, villages) and the Latin
#     acronyms organizations use (EU, MISD), typed as stored.


@dataclass(frozen=True)
class Finding:
    """One English text on a page."""

    case: str
    lang: str
    kind: str
    text: str
    words: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 220 else self.text[:217] + "..."
        return (f"{self.case} [{self.lang}] {self.kind}: {shown!r}  "
                f"(English words: {', '.join(self.words)})")


# --- collecting the text a reader sees -------------------------------------------------------

_PROTO_TEXT_FIELDS = ("label", "body", "placeholder", "help", "options", "captions",
                      "caption", "delta")
_PLOTLY_TEXT_KEYS = ("label", "text", "name", "hovertemplate")
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)  # not shown: page styling
_PLOTLY_FIELD = re.compile(r"%\{[^}]*\}")
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")


def _plain(text: str) -> str:
    """Text as a reader sees it: no Markdown escapes, HTML tags or entities."""
    text = _STYLE.sub(" ", _MARKDOWN_ESCAPE.sub(r"\1", text))
    return unescape(_TAG.sub(" ", text)).strip()


def _proto_texts(proto: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of the reader-facing string fields of one element's message."""
    for descriptor, value in proto.ListFields():
        if descriptor.name not in _PROTO_TEXT_FIELDS:
            continue
        if isinstance(value, str):
            yield descriptor.name, value
        elif isinstance(value, Iterable) and not isinstance(value, Message):
            yield from ((descriptor.name, v) for v in value if isinstance(v, str))


def _json_texts(node: Any, keys: tuple[str, ...], under: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _json_texts(v, keys, k if k in keys else "")
    elif isinstance(node, list):
        for v in node:
            yield from _json_texts(v, keys, under)
    elif isinstance(node, str) and under:
        yield _PLOTLY_FIELD.sub(" ", node)


def _frame_texts(frame: pd.DataFrame, columns_config: str) -> Iterator[tuple[str, str]]:
    config = json.loads(columns_config) if columns_config else {}
    for column in frame.columns:
        labelled = config.get(str(column), {}) if isinstance(config, dict) else {}
        yield "column header", str(labelled.get("label") or column)
        if labelled.get("help"):
            yield "column help", str(labelled["help"])
    for column in frame.columns:
        for cell in frame[column]:
            if isinstance(cell, str):
                yield f"cell of {column}", cell


def _node_texts(node: Any) -> Iterator[tuple[str, str]]:
    """(element kind, text) of one node of the element tree and everything under it."""
    kind = getattr(node, "type", type(node).__name__)
    proto = getattr(node, "proto", None)
    if kind in ("dataframe", "table", "arrow_data_frame", "arrow_table"):
        yield from ((f"{kind} {k}", v) for k, v in
                    _frame_texts(node.value, getattr(proto, "columns", "")))
    elif kind == "plotly_chart":
        spec = json.loads(proto.spec) if proto is not None and proto.spec else {}
        yield from ((f"{kind} label", v) for v in _json_texts(spec, _PLOTLY_TEXT_KEYS))
    elif proto is not None:
        inner = proto
        for wrapper in ("expandable", "tab", "popover", "dialog"):  # blocks carry their label
            if hasattr(proto, "HasField") and wrapper in _oneof_names(proto) \
                    and proto.HasField(wrapper):
                inner = getattr(proto, wrapper)
                kind = wrapper
        yield from ((f"{kind} {name}", v) for name, v in _proto_texts(inner))
    for child in getattr(node, "children", {}).values():
        yield from _node_texts(child)


def _oneof_names(proto: Any) -> set[str]:
    return {f.name for f in proto.DESCRIPTOR.fields}


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    """Every (element kind, plain text) a reader of the run page meets."""
    out = []
    for kind, text in _node_texts(at._tree):
        plain = _plain(text)
        if plain:
            out.append((kind, plain))
    return out


# --- finding English -------------------------------------------------------------------------

# A Latin word standing alone: not part of a longer word or a code such as "1ebba14d7d7a".
_LATIN_WORD = re.compile(r"(?<!\w)[A-Za-z]+(?:'[a-z]+)?(?!\w)")


def english_words(text: str, names: frozenset[str]) -> tuple[str, ...]:
    """The English running-text words of ``text`` once the allowed Latin parts are out."""
    # Addresses first (a name or id may sit inside one), then names (a name may hold a domain:
    # "ARGO (argonet.org), project card"), then the other allowed parts.
    for _reason, pattern in ALLOWED[:2]:
        text = pattern.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):
        if name in text:  # whole names only: the id "eu" leaves "Europe" alone
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    for _reason, pattern in ALLOWED[2:]:
        text = pattern.sub(" ", text)
    return tuple(dict.fromkeys(w for w in _LATIN_WORD.findall(text)
                               if w.lower() in ENGLISH_WORDS))


def findings(case: str, lang: str, at: AppTest, names: frozenset[str]) -> list[Finding]:
    """Each English text of the run page, once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for kind, text in page_texts(at):
        words = english_words(text, names)
        if words and (kind, text) not in seen:
            seen.add((kind, text))
            out.append(Finding(case, lang, kind, text, words))
    return out


def assert_no_english(case: str, lang: str, at: AppTest, names: frozenset[str]) -> None:
    found = findings(case, lang, at, names)
    assert not found, f"{len(found)} English text(s) on {case} in {lang}:\n" + "\n".join(
        f"  {f}" for f in found)


# --- the detector itself --------------------------------------------------------------------

def test_the_detector_finds_english_sentences_and_spares_names_and_addresses() -> None:
    names = frozenset({"Friedrich Ebert Foundation for the Future"})
    assert english_words("50 000 EUR of the 470 000 EUR budget is not covered", names) == (
        "of", "the", "budget", "is", "not", "covered")
    assert english_words("Страна: BE; задача 11.a", names) == ()
    assert english_words("Оплачено из бюджета проекта", names) == ()
    assert english_words("Источник: https://argonet.org/the-project-of-the-year", names) == ()
    assert english_words("Издатель: argonet.org; файл atlas-iati-activities.xml", names) == ()
    assert english_words("Фонд: Friedrich Ebert Foundation for the Future", names) == ()
    assert english_words("GLocal, Tengizchevroil, EUR, KZT", names) == ()
    assert english_words("Тезис (the) в скобках", names) == ("the",)
    assert english_words("Версия данных: 2-1ebba14d7d7a", names) == ()
    assert english_words("Ссылка: http://argonet.org/en/the-project/", frozenset({"argo"})) == ()
    assert english_words("<style>p {display: none}</style>", names) == ("none",) \
        and english_words(_plain("<style>p {display: none}</style>Да"), names) == ()


def test_the_collector_reads_labels_options_tables_and_expanders() -> None:
    at = run(open_page(MAIN, lang="en"))
    kinds = {kind.split()[0] for kind, _ in page_texts(at)}
    assert {"title", "markdown", "metric", "multiselect", "radio", "expander"} <= kinds, kinds
    tables = {k for k in kinds if k in ("table", "arrow_table")}
    assert tables, kinds  # the projects and money-flow tables
    texts = [text for _, text in page_texts(at)]
    assert "Kazakhstan Project Atlas" in texts
    assert any(f.kind.split()[0] in tables and "column header" in f.kind
               for f in findings("map", "en", at, frozenset()))


def test_interface_strings_hold_no_english_in_russian_and_kazakh() -> None:
    """Every ru and kk interface string, its {placeholders} left out."""
    found = []
    for key in string_keys():
        for lang in CHECKED_LANGUAGES:
            words = english_words(re.sub(r"\{[^{}]*\}", " ", t(key, lang)), frozenset())
            if words:
                found.append(f"{key} [{lang}]: {t(key, lang)!r} (English words: "
                             f"{', '.join(words)})")
    assert not found, "\n".join(found)


def test_the_iati_notes_name_projects_by_their_titles() -> None:
    at = run(open_page(MAIN, lang="ru"))
    [notes] = [e for e in at.expander if e.label == t("iati_notes_title", "ru")]
    text = " ".join(c.value for c in notes.caption)
    assert "GLocal" in text
    assert not [f for f in findings("IATI notes", "ru", at, frozenset())
                if "IATI" in f.text], text


# --- the pages ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(store_file: Path) -> SqlStore:
    """The module's store, with a staff account and a change in the History."""
    s = open_store(store_file)
    auth.add_user(s, STAFF.name, STAFF.role, PASSWORD)
    sites = s.load()["sites"]
    site = editing.normalized_row("sites", sites.iloc[0].to_dict())
    version = s.row_version("sites", (site["site_id"],)).version
    editing.save_row(s, STAFF, "sites",
                     {**site, "note_ru": f"{site['note_ru'] or ''} (проверено)"},
                     version)
    return s


@pytest.fixture(scope="module")
def names(app_snap: Snapshot) -> frozenset[str]:
    """Data names that stay in English (see the comment under ``ALLOWED``)."""
    return data_names(app_snap)


@pytest.fixture(scope="module")
def staff_names(app_snap: Snapshot, names: frozenset[str]) -> frozenset[str]:
    """What staff pages may show in English besides ``names``: row ids, IATI code names."""
    ids = {str(v) for spec in TABLES_BY_NAME.values() if spec.name in BUNDLED
           for column in spec.key for v in BUNDLED[spec.name][column].dropna()
           if isinstance(v, str)}
    sectors = {f"{code} — {item.name('en')}" for code, item in codelist("Sector").items()}
    sectors |= {item.name("en") for item in codelist("Sector").values()}
    english = {str(v) for spec in TABLES_BY_NAME.values() if spec.name in BUNDLED
               for column in spec.column_names
               if column.endswith("_en") or f"{column}_ru" in spec.column_names
               or column in ("unit", "acronym")
               for v in BUNDLED[spec.name][column].dropna() if isinstance(v, str)}
    return names | frozenset(ids) | frozenset(sectors) | frozenset(english)


def data_names(snap: Snapshot) -> frozenset[str]:
    sources = snap.table("sources")
    titles = set(sources.loc[sources["language"] == "en", "title"].dropna())
    orgs = snap.table("organizations")
    untranslated = orgs.loc[(orgs["name_ru"].fillna(orgs["name_en"]) == orgs["name_en"])
                            | (orgs["name_kk"].fillna(orgs["name_en"]) == orgs["name_en"]),
                            "name_en"]
    return frozenset(str(x) for x in {*titles, *untranslated} if str(x).strip())


# The bundled data (read at collection time, for the parameter lists).
BUNDLED, _problems = read_dataset(geodata_dir())
PROJECT_IDS = sorted(str(x) for x in BUNDLED["projects"]["project_id"])
ORG_IDS = sorted(str(x) for x in BUNDLED["organizations"]["org_id"])
REGION_COUNT = BUNDLED["sites"]["region_code"].nunique()
FIRST_ROWS = {name: row_keys(name, BUNDLED[name])[0] for name in EDITABLE_TABLES}


def as_staff(page: str, **params: str) -> AppTest:
    at = open_page(page, **params)
    at.session_state[ACCOUNT_KEY] = STAFF
    return at


@dataclass(frozen=True)
class Case:
    """A view of a page to check: its name in a finding and how to open it."""

    name: str
    make: Callable[[str], AppTest]
    staff: bool = False


def _cases() -> list[Case]:
    cases = [Case(page, lambda lang, page=page: run(open_page(page, lang=lang)))
             for page in PAGES]
    cases += [Case(f"map card {pid}", lambda lang, pid=pid: run(open_page(MAIN, lang=lang,
                                                                          project=pid)))
              for pid in PROJECT_IDS]
    cases += [Case(f"project page {pid}", lambda lang, pid=pid: run(open_page(
        "pages/2_Projects.py", lang=lang, project=pid))) for pid in PROJECT_IDS]
    cases += [Case(f"organization page {oid}", lambda lang, oid=oid: run(open_page(
        "pages/3_Organizations.py", lang=lang, org=oid))) for oid in ORG_IDS]
    for by, steps in (("project", len(PROJECT_IDS)), ("region", REGION_COUNT)):
        cases += [Case(f"present by {by} step {step}",
                       lambda lang, by=by, step=step: run(open_page(
                           "pages/7_Present.py", lang=lang, play="1", by=by, step=str(step))))
                  for step in range(steps + 1)]
    cases += [Case(f"edit page {table} row {row}", lambda lang, table=table, row=row: run(
        as_staff("pages/4_Edit.py", lang=lang, table=table, row=row)), staff=True)
        for table, row in FIRST_ROWS.items()]
    cases += [
        Case("edit page, a refused save", _refused_save, staff=True),
        Case("edit page, a site outside Kazakhstan", _site_outside, staff=True),
        Case("edit page, logged in", lambda lang: run(as_staff("pages/4_Edit.py", lang=lang)),
             staff=True),
        Case("import page, a bad spreadsheet", _bad_import, staff=True),
        # A workbook's sheet named after a table is named in the reader's language.
        Case("import page, a workbook refused for a sheet's header",
             lambda lang: _workbook_import(lang, drop=("name_en",)), staff=True),
        Case("import page, a workbook without some columns",
             lambda lang: _workbook_import(lang, drop=("note_ru", "note_kk")), staff=True),
        # What the XML parser said stays in the log: the page gives our own message.
        Case("import page, a damaged workbook", _damaged_workbook, staff=True),
        # What Python's JSON and CSV readers said stays in the log too.
        Case("import page, broken GeoJSON", lambda lang: _upload(
            lang, "sites.geojson", b'{"type": "FeatureCollection", "features": [],}'),
             staff=True),
        Case("import page, a CSV quotation mark never closed", lambda lang: _upload(
            lang, "sites.csv", b'site_id,name_en\n"s-1,' + b"x" * 140_000 + b"\n"),
             staff=True),
        Case("history page with entries",
             lambda lang: run(as_staff("pages/5_History.py", lang=lang)), staff=True),
        Case("login form, a wrong password", _wrong_password),
        Case("accounts tab, a too short password",
             lambda lang: _new_account(lang, "short"), staff=True),
        Case("accounts tab, a password along the keyboard",
             lambda lang: _new_account(lang, "qwertyuiop"), staff=True),
        Case("accounts tab, a name taken", lambda lang: _new_account(
            lang, "a-long-staff-password-7", name=STAFF.name.upper()), staff=True),
        Case("edit page, a save by a removed account", _save_by_removed_account, staff=True),
        Case("history page, an undo refused", _undo_refused, staff=True),
    ]
    return cases


def _wrong_password(lang: str) -> AppTest:
    """The login form's refusal (an unknown name, so no account's counter moves)."""
    at = run(open_page("pages/4_Edit.py", lang=lang))
    at.text_input(key="login_name").input(f"nobody-{lang}")
    at.text_input(key="login_password").input("a-wrong-password")
    at.button[0].click()
    at = run(at)
    assert at.error  # the refusal is on the page
    return at


def _new_account(lang: str, password: str, name: str = "gulnar") -> AppTest:
    """An admin's new account refused (by the page's own check or by a password rule)."""
    at = run(as_staff("pages/4_Edit.py", lang=lang))
    at.text_input(key="acc_new_name").input(name)
    at.text_input(key="acc_new_pw").input(password)
    at.text_input(key="acc_new_pw2").input(password)
    at.button(key="acc_add_go").click()
    at = run(at)
    assert at.error
    return at


def _save_by_removed_account(lang: str) -> AppTest:
    """A save by a session whose account an admin removed meanwhile: refused, with why."""
    store = open_store(store_path())
    gone = auth.add_user(store, f"temp-{lang}", "editor", PASSWORD)
    at = open_page("pages/4_Edit.py", lang=lang, table="sites", row=FIRST_ROWS["sites"])
    at.session_state[ACCOUNT_KEY] = gone
    at = run(at)
    auth.remove_user(store, gone.name)
    at.button(key="e_save").click()
    at = run(at)
    assert at.error
    return at


def _undo_refused(lang: str) -> AppTest:
    """An undo confirmed after another admin undid the same change: refused, with why."""
    store = open_store(store_path())
    site = editing.normalized_row("sites", store.load()["sites"].iloc[-1].to_dict())
    version = store.row_version("sites", (site["site_id"],)).version
    change = editing.save_row(store, STAFF, "sites", {**site, "note_kk": f"({lang})"},
                              version).change_id
    at = run(as_staff("pages/5_History.py", lang=lang))
    at.button(key=f"h_undo_{change}").click()
    at = run(at)
    editing.undo(store, STAFF, change)  # lands while this page asks to confirm
    at.button(key=f"h_undo_yes_{change}").click()
    at = run(at)
    assert at.error
    return at


def _refused_save(lang: str) -> AppTest:
    at = run(as_staff("pages/4_Edit.py", lang=lang, table="results",
                      row=FIRST_ROWS["results"]))
    at.selectbox(key="ef_results_qualifier").set_value("unknown")
    at.text_input(key="ef_results_unit").input("")
    at.button(key="e_save").click()
    return run(at)


def _site_outside(lang: str) -> AppTest:
    at = run(as_staff("pages/4_Edit.py", lang=lang, table="sites", row="new"))
    fill_new_site(at, 37.6176, 55.7558)  # Moscow
    run(at)
    at.button(key="e_save").click()
    return run(at)


def _bad_import(lang: str) -> AppTest:
    """The report of a spreadsheet with a latitude out of range and an unknown project."""
    import csv
    import io

    spec = TABLES_BY_NAME["sites"]
    base = editing.normalized_row("sites", BUNDLED["sites"].iloc[0].to_dict())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spec.column_names)
    for row in ({**base, "lat": 93.5},
                {**base, "site_id": "s-101", "project_id": "p-404"},
                {**base, "site_id": "s-102", "name_en": ""}):
        writer.writerow(["" if row[c] is None else row[c] for c in spec.column_names])
    at = as_staff("pages/6_Import.py", lang=lang)
    at.session_state["imp_upload"] = ("sites.csv", out.getvalue().encode())
    return run(at)


def _workbook_import(lang: str, drop: tuple[str, ...]) -> AppTest:
    """The report of a workbook whose sheet "sites" leaves out the columns ``drop``."""
    from tests import xlsx_parts

    columns = [c for c in TABLES_BY_NAME["sites"].column_names if c not in drop]
    base = editing.normalized_row("sites", BUNDLED["sites"].iloc[0].to_dict())
    rows = xlsx_parts.row(1, columns) + xlsx_parts.row(
        2, ["" if base[c] is None else str(base[c]) for c in columns])
    book = xlsx_parts.xlsx([("sites", xlsx_parts.sheet(rows, "A1:AZ2"))])
    at = as_staff("pages/6_Import.py", lang=lang)
    at.session_state["imp_upload"] = ("book.xlsx", book)
    return run(at)


def _damaged_workbook(lang: str) -> AppTest:
    """The report of a workbook whose sheet is cut off in the middle of its XML."""
    from tests import xlsx_parts

    sheet = xlsx_parts.sheet(xlsx_parts.row(1, ["site_id", "name_en"]))
    at = as_staff("pages/6_Import.py", lang=lang)
    at.session_state["imp_upload"] = ("book.xlsx", xlsx_parts.xlsx([("sites", sheet[:150])]))
    return run(at)


def _upload(lang: str, filename: str, content: bytes) -> AppTest:
    at = as_staff("pages/6_Import.py", lang=lang)
    at.session_state["imp_upload"] = (filename, content)
    return run(at)


CASES = _cases()


@pytest.mark.parametrize("lang", CHECKED_LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_english_on_the_page(case: Case, lang: str, store: SqlStore, names: frozenset[str],
                                staff_names: frozenset[str]) -> None:
    at = case.make(lang)
    if case.staff:  # a staff view that fell back to the login form checks nothing
        assert not [x for x in at.text_input if x.key == "login_password"], case.name
    assert_no_english(case.name, lang, at, staff_names if case.staff else names)
