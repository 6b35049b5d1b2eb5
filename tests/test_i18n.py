from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.i18n import LANGUAGES, localized, string_keys, t

REPO = Path(__file__).resolve().parents[1]
# A placeholder with its format spec or conversion ({n}, {n:,}, {name!r}): the name counts.
PLACEHOLDER = re.compile(r"\{(\w+)(?:[!:][^{}]*)?\}")
LETTER = re.compile(r"[^\W\d_]")
# Interface strings that are the same in every language because they are names, not words.
# None so far; a key added here needs its reason.
SAME_IN_EVERY_LANGUAGE: dict[str, str] = {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_exists_in_every_language(lang: str) -> None:
    for key in string_keys():
        assert t(key, lang).strip(), key


def test_translations_differ_from_english_where_expected() -> None:
    assert t("app_title", "kk") != t("app_title", "en") != t("app_title", "ru")


def test_placeholders_match_across_languages() -> None:
    differing = []
    for key in string_keys():
        fields = {lang: frozenset(PLACEHOLDER.findall(t(key, lang))) for lang in LANGUAGES}
        if len(set(fields.values())) != 1:
            differing.append((key, {lang: sorted(f) for lang, f in fields.items()}))
    assert not differing, differing


def test_russian_and_kazakh_are_not_the_english_string() -> None:
    """A ru or kk string equal to the English one is an English string left untranslated
    (unless it has no letters, "{n} / {total}", or is a listed name)."""
    untranslated = []
    for key in string_keys():
        english = t(key, "en")
        if key in SAME_IN_EVERY_LANGUAGE or not LETTER.search(PLACEHOLDER.sub("", english)):
            continue
        untranslated += [(key, lang) for lang in ("ru", "kk") if t(key, lang) == english]
    assert not untranslated, untranslated


def test_every_key_the_code_asks_for_exists() -> None:
    """``t("key", ...)`` in the app names a key of the table; ``t(f"prefix_{x}", ...)`` names a
    family of keys that has at least one member."""
    keys = set(string_keys())
    missing = []
    for path in [*(REPO / "atlas").rglob("*.py"), *(REPO / "pages").glob("*.py"),
                 REPO / "streamlit_app.py"]:
        source = path.read_text(encoding="utf-8")
        missing += [(path.name, k) for k in re.findall(r'\bt\(\s*"(\w+)"', source)
                    if k not in keys]
        missing += [(path.name, f"{p}*") for p in re.findall(r'\bt\(\s*f"(\w*)\{', source)
                    if not any(k.startswith(p) for k in keys)]
    assert not missing, missing


def test_data_names_fall_back_to_english() -> None:
    record = {"name_en": "Bautino", "name_ru": "Баутино", "name_kk": ""}
    assert localized(record, "name", "ru") == "Баутино"
    assert localized(record, "name", "kk") == "Bautino"


def test_every_data_name_has_three_languages(snap) -> None:  # type: ignore[no-untyped-def]
    for table, field in [("projects", "title"), ("organizations", "name"), ("sites", "name"),
                         ("sdgs", "name"), ("results", "label")]:
        for record in snap.table(table).to_dict("records"):
            for lang in LANGUAGES:
                assert record[f"{field}_{lang}"], (table, record)
    for lang in LANGUAGES:
        assert snap.regions[f"name_{lang}"].str.len().min() > 3


def test_a_data_text_falls_back_to_english_and_says_so() -> None:
    from atlas.i18n import DataText, data_text, localized_note

    row = {"note": "Paid out of the project budget", "note_ru": "Оплачено из бюджета проекта",
           "note_kk": float("nan"), "title_en": "Glocal", "title_ru": "", "title_kk": "Глокал",
           "basis": "", "basis_ru": "", "basis_kk": ""}
    assert data_text(row, "note", "ru") == DataText("Оплачено из бюджета проекта", False)
    assert data_text(row, "note", "kk") == DataText("Paid out of the project budget", True)
    assert data_text(row, "note", "en") == DataText("Paid out of the project budget", False)
    assert data_text(row, "title", "ru") == DataText("Glocal", True)  # the trios too
    assert data_text(row, "title", "kk") == DataText("Глокал", False)
    assert data_text(row, "basis", "ru") == DataText("", False)  # nothing to fall back to: no mark
    assert localized_note(row, "kk", "basis", "note") == \
        "Paid out of the project budget — ағылшынша"
    assert localized_note(row, "ru", "basis", "note") == "Оплачено из бюджета проекта"
    assert localized_note(row, "en", "note") == "Paid out of the project budget"


def test_a_note_column_reads_like_each_row() -> None:
    import pandas as pd

    from atlas.i18n import localized_note, localized_note_column

    frame = pd.DataFrame({"basis": ["GeoNames", "", "stated", None],
                          "basis_ru": ["", "", "указано", "указано"],
                          "basis_kk": [None, "", "", "көрсетілген"]})
    for lang in ("en", "ru", "kk"):
        expected = [localized_note(r, lang, "basis") for r in frame.to_dict("records")]
        assert localized_note_column(frame, "basis", lang).tolist() == expected, lang
    assert localized_note_column(frame, "basis", "ru", mark=False).tolist() == \
        ["GeoNames", "", "указано", "указано"]
