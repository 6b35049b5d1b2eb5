"""Streamlit's own English words are said in the viewer's language by a style sheet."""

from __future__ import annotations

import re

import pytest

from atlas.i18n import t
from atlas.ui.builtin_text import builtin_css, size_text, uploader_css


def contents(css: str) -> dict[str, str]:
    """Selector -> the words its ``::after`` shows."""
    return {m[1].strip(): m[2] for m in re.finditer(r'([^{}]+)::after \{content: "([^"]*)";', css)}


def test_english_pages_keep_streamlits_own_words() -> None:
    assert builtin_css("en") == ""
    assert uploader_css("en", ".st-key-x", ("csv",), 20, 1000) == ""


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_each_word_is_put_over_its_element_and_the_english_is_hidden(lang: str) -> None:
    css = builtin_css(lang)
    shown = contents(css)
    assert set(shown.values()) == {t("st_no_results", lang), t("st_upload", lang),
                                   t("st_drop_here", lang), t("st_skip_to_content", lang)}
    for selector in shown:
        assert f"{selector} {{font-size: 0 !important;}}" in css
        assert "st-emotion" not in selector  # Streamlit's generated classes change
    assert css.startswith("<style>") and css.endswith("</style>")


def test_the_uploaders_limit_and_file_size_are_scoped_to_it() -> None:
    css = uploader_css("ru", ".st-key-imp_uploader", ("csv", ".xlsx"), 20, 9_113)
    shown = contents(css)
    assert list(shown.values()) == ["до 20 МБ на файл • CSV, XLSX", "8,9 КБ"]
    assert all(s.startswith(".st-key-imp_uploader ") for s in shown)
    # No file yet: no size rule.
    assert len(contents(uploader_css("kk", ".st-key-u", ("csv",), 5))) == 1


@pytest.mark.parametrize(("size", "ru", "en"), [
    (512, "512 Б", "512B"), (9_113, "8,9 КБ", "8.9KB"), (3 * 1024 * 1024, "3,0 МБ", "3.0MB")])
def test_a_file_size_is_written_the_languages_way(size: int, ru: str, en: str) -> None:
    assert size_text(size, "ru") == ru and size_text(size, "en") == en


def test_words_cannot_break_out_of_the_css_string(monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.ui import builtin_text
    monkeypatch.setattr(builtin_text, "t", lambda key, lang, **_: 'a"} </style> "\\')
    css = builtin_text.builtin_css("ru")
    assert 'content: "a\\"} \\3c /style> \\"\\\\";' in css
    assert css.count("</style>") == 1
