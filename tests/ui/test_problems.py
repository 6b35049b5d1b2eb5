"""Problems of the validator and the importer read in the reader's language."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from openpyxl import Workbook

from atlas.dataset import DataSet, Problem
from atlas.edit_forms import column_label
from atlas.i18n import _STRINGS, string_keys
from atlas.importing import plan_import, read_upload
from atlas.model import TABLES_BY_NAME
from atlas.ui.problems import field_label, problem_text
from atlas.validate import validate

ATLAS = Path(__file__).resolve().parents[2] / "atlas"
# Words that give an English sentence away; none is a word of a Russian or Kazakh one.
ENGLISH = re.compile(r"\b(the|is|not|of|must|required|empty|outside|duplicate|line|unknown|"
                     r"row|has|but|are|than|more|only|file|column|point|lies|negative|"
                     r"does|exist|goals|date|formula|markup|contains|type)\b", re.IGNORECASE)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def source_codes() -> tuple[set[str], set[str]]:
    """Every message code the atlas's source names: whole keys, and the prefixes of keys an
    f-string completes (``f"prob_imp_in_{unit}"``)."""
    text = "\n".join(p.read_text() for p in ATLAS.rglob("*.py") if p.name != "i18n.py")
    whole = set(re.findall(r'(?<![{\w])"(prob_[a-z0-9_]+)"', text))
    prefixes = set(re.findall(r'f"(prob_[a-z0-9_]+)\{', text))
    return whole, prefixes


def test_every_problem_code_has_three_languages_with_the_same_placeholders() -> None:
    whole, prefixes = source_codes()
    keys = set(string_keys())
    assert len(whole) > 60 and whole <= keys, sorted(whole - keys)
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in keys), prefix
    for key in sorted(k for k in keys if k.startswith("prob_")):
        en, ru, kk = _STRINGS[key]
        assert en and ru and kk, key
        assert placeholders(en) == placeholders(ru) == placeholders(kk), key


@pytest.fixture(scope="module")
def broken_problems(bundled: DataSet) -> list[Problem]:
    """Real problems: a data set broken in the usual ways, and files an editor might upload."""
    data = {name: df.copy() for name, df in bundled.items()}
    data["project_sdgs"].loc[0, "goal"] = 18
    data["funding_flows"].loc[0, "amount"] = -50000.0
    data["sites"].loc[0, ["lon", "lat"]] = [10.5, 48.25]
    data["organizations"].loc[0, "name_en"] = "<b>Fund</b>"
    data["projects"].loc[1, "project_id"] = data["projects"].loc[0, "project_id"]
    data["organizations"].loc[1, "name_en"] = ""
    data["sites"].loc[1, "project_id"] = "p-nowhere"
    data["projects"].loc[2, "start"] = "2019-13"
    problems = validate(data, folder="geodata")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "results"
    columns = TABLES_BY_NAME["results"].column_names
    sheet.append(columns)
    sheet.append(["=SUM(1,2)" if c == "value" else "r-new" if c == "result_id" else ""
                  for c in columns])
    xlsx = io.BytesIO()
    book.save(xlsx)
    uploads = [("results.xlsx", xlsx.getvalue()), ("sites.xlsx", b"PK\x03\x04 damaged"),
               ("results.csv", b"result_id,project_id,colour\nr-1,p-1,red\n"),
               ("sites.csv", b"site_id\n" + b"s-\xd2\xe5\xf1\xf2\n"),
               ("funding_flows.csv", b"flow_id,amount\nf-1,-1200.5\nf-1,3\n")]
    for name, content in uploads:
        report = plan_import(data, {}, read_upload(name, content))
        problems += report.problems + [p for r in report.rows for p in r.problems]
    return problems


def test_broken_data_gives_the_problems_this_test_is_about(
        broken_problems: list[Problem]) -> None:
    codes = {p.code for p in broken_problems}
    assert {"prob_sdg_unknown", "prob_negative", "prob_outside_kz", "prob_markup",
            "prob_duplicate_id", "prob_required", "prob_unknown_reference", "prob_bad_date",
            "prob_formula", "prob_imp_damaged_xlsx", "prob_imp_unknown_column",
            "prob_imp_looks_cp1251"} <= codes, codes


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_problem_reads_without_an_english_word(broken_problems: list[Problem],
                                                     lang: str) -> None:
    for problem in broken_problems:
        assert problem.code, problem
        en, *_ = _STRINGS[problem.code]
        assert set(dict(problem.params)) == placeholders(en), problem.code
        text = problem_text(problem, lang)
        # The user's own values and the column names a file must use stay as they are.
        shown = re.sub(r"'[^']*'|\w+_\w+|\([^)]*[A-Za-z]{3,}[^)]*\)$", "", text)
        assert not ENGLISH.search(shown), (problem.code, text)
        assert not ENGLISH.search(field_label(problem, lang)), problem.field


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_numbers_in_a_problem_follow_the_language(broken_problems: list[Problem],
                                                  lang: str) -> None:
    negative = next(p for p in broken_problems if p.code == "prob_negative")
    assert "-50\u00a0000" in problem_text(negative, lang)
    required = next(p for p in broken_problems if p.code == "prob_required")
    assert field_label(required, lang) == column_label("name_en", lang, "organizations") \
        != "name_en"
    outside = next(p for p in broken_problems if p.code == "prob_outside_kz")
    assert "48,25000" in problem_text(outside, lang)


def test_the_command_line_keeps_english_from_the_same_codes(
        broken_problems: list[Problem]) -> None:
    negative = next(p for p in broken_problems if p.code == "prob_negative")
    assert negative.message == "is negative (-50,000); amounts and counts are >= 0"
    assert problem_text(negative, "en") == negative.message
    required = next(p for p in broken_problems if p.code == "prob_required")
    assert str(required).endswith("name_en: is required but empty")


@pytest.mark.parametrize(("lang", "results", "own"), [
    ("en", "book.xlsx, sheet Results", "book.xlsx, sheet Лист1"),
    ("ru", "book.xlsx, лист «Результаты»", "book.xlsx, лист «Лист1»"),
    ("kk", "book.xlsx, «Нәтижелер» парағы", "book.xlsx, «Лист1» парағы"),
])
def test_a_sheet_is_named_in_the_readers_language(lang: str, results: str, own: str) -> None:
    from atlas.importing import sheet_label
    from atlas.ui.problems import place_text
    # A sheet named after a table (the template's) by the table's name, any other as it is.
    assert place_text(sheet_label("book.xlsx", "results"), lang, "book.xlsx") == results
    assert place_text(sheet_label("book.xlsx", "Results"), lang, "book.xlsx") == results
    assert place_text(sheet_label("book.xlsx", "Лист1"), lang, "book.xlsx") == own
    assert place_text("book.xlsx", lang, "book.xlsx") == "book.xlsx"  # the file itself
    # A name with the English words in it is split where the known file name ends.
    odd = "a, sheet b.xlsx"
    assert place_text(sheet_label(odd, "c, sheet d"), lang, odd).startswith(f"{odd}, ")
    assert place_text(sheet_label(odd, "c, sheet d"), lang, odd).count("c, sheet d") == 1


def test_a_sheets_problems_name_its_columns_by_their_labels() -> None:
    from atlas.importing import sheet_label, sheet_of
    from atlas.ui.problems import table_of
    label = sheet_label("book.xlsx", "Funding flows 2025")
    assert sheet_of(label, "book.xlsx") == "Funding flows 2025"
    problem = Problem.coded(label, 1, "amount", "prob_required")
    assert table_of(problem, "book.xlsx") == "funding_flows"
    assert field_label(problem, "ru", table_of(problem, "book.xlsx")) \
        == column_label("amount", "ru", "funding_flows")
    # A single sheet with a name of its own is read as the table the file's name says.
    assert table_of(Problem.coded(sheet_label("sites.xlsx", "Sheet1"), 1, "lat",
                                  "prob_required"), "sites.xlsx") == "sites"
