from __future__ import annotations

import re

import pytest

from atlas.i18n import LANGUAGES, localized, string_keys, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_exists_in_every_language(lang: str) -> None:
    for key in string_keys():
        assert t(key, lang).strip(), key


def test_translations_differ_from_english_where_expected() -> None:
    assert t("app_title", "kk") != t("app_title", "en") != t("app_title", "ru")


def test_placeholders_match_across_languages() -> None:
    for key in string_keys():
        fields = {lang: set(re.findall(r"\{(\w+)\}", t(key, lang))) for lang in LANGUAGES}
        assert len({frozenset(f) for f in fields.values()}) == 1, key


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
