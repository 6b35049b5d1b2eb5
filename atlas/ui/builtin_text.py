"""Streamlit's own English words, said in the viewer's language.

Streamlit (1.67) draws a few words itself and has no option or translation for them: a select
box's "No results" when a typed filter matches nothing, the "Skip to main content" link that
shows at the top left when a keyboard user first presses Tab, and the file uploader's "Upload"
button, "Drag and drop a file here", its limit line ("20MB per file • CSV, XLSX") and an
uploaded file's size ("8.9KB"), and an empty date field's "yyyy-mm-dd". A page's labels, help
and placeholders are its own; these are not. So a style sheet puts the viewer's words over
them: the English text is set to size 0 and the element's ``::after`` says it instead. The
selectors are the hooks Streamlit keeps stable across releases (``data-testid``) and the roles
and states react-aria sets (an empty ``listbox``), never its generated class names;
tests/browser/test_builtin_text.py checks the words on a running app, so a release that moves
them fails a test instead of showing English.

English pages get no style sheet: Streamlit's words are already theirs. The screen reader's
names of these controls (``aria-label``) stay Streamlit's; CSS cannot reach them.
"""

from __future__ import annotations

from collections.abc import Sequence

from atlas.figures import format_number
from atlas.i18n import t

# The size Streamlit gives each text (its theme's "sm" and the file chip's small type): the
# words put over it take the same, as the English text's own size is set to 0.
_TEXT_SIZE = "0.875rem"
_SMALL_SIZE = "0.75rem"

_NO_RESULTS = '[role="listbox"][data-empty="true"] [role="option"] > span'
_SKIP_LINK = '[data-testid="stSkipToContent"]'
_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_UPLOAD_BUTTON = f'{_DROPZONE} [data-testid="stBaseButton-secondary"] p'
# While a file is dragged over it, the drop zone holds a box with one line of text.
_DRAG_TEXT = f"{_DROPZONE} > div:not([data-testid]) > span:only-child"
_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
_FILE_SIZE = '[data-testid="stFileChip"] [data-testid="stFileChipName"] + div'
_DATE_PART = '[data-testid="stDateInputField"] [data-placeholder="true"][data-type="{part}"]'
_DATE_PARTS = ("year", "month", "day")


def _css_text(text: str) -> str:
    """``text`` as a CSS string: quotes and backslashes escaped, one line, and no "<" (which
    could end the style element)."""
    one_line = " ".join(text.split())
    escaped = one_line.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def _over(selector: str, text: str, size: str = _TEXT_SIZE) -> str:
    """The rule that shows ``text`` instead of the text of ``selector``."""
    return (f"{selector} {{font-size: 0 !important;}}\n"
            f"{selector}::after {{content: {_css_text(text)}; font-size: {size};}}\n")


def builtin_css(lang: str) -> str:
    """The style sheet that says Streamlit's own words in ``lang`` on every page; "" for
    English."""
    if lang == "en":
        return ""
    return ("<style>\n"
            + _over(_NO_RESULTS, t("st_no_results", lang))
            + _over(_SKIP_LINK, t("st_skip_to_content", lang))
            + _over(_UPLOAD_BUTTON, t("st_upload", lang))
            + _over(_DRAG_TEXT, t("st_drop_here", lang))
            + "</style>")


def size_text(size: int, lang: str) -> str:
    """A file's size the way the page writes sizes: "8,9 КБ" (1 KB = 1,024 bytes)."""
    if size < 1024:
        return t("st_size_b", lang, n=format_number(size, lang))
    if size < 1024 * 1024:
        return t("st_size_kb", lang, n=format_number(size / 1024, lang, decimals=1))
    return t("st_size_mb", lang, n=format_number(size / (1024 * 1024), lang, decimals=1))


def uploader_css(lang: str, scope: str, types: Sequence[str], max_mb: int,
                 size: int | None = None) -> str:
    """The style sheet that says a file uploader's limit line (``max_mb`` per file, of
    ``types``) and the uploaded file's ``size`` in ``lang``; "" for English. ``scope`` is a
    selector of the uploader's container (its key's class), so another uploader keeps its own
    words."""
    if lang == "en":
        return ""
    kinds = ", ".join(kind.lstrip(".").upper() for kind in types)
    limit = t("st_upload_limit", lang, mb=max_mb) + (f" • {kinds}" if kinds else "")
    rules = _over(f"{scope} {_LIMIT}", limit)
    if size is not None:
        rules += _over(f"{scope} {_FILE_SIZE}", size_text(size, lang), _SMALL_SIZE)
    return f"<style>\n{rules}</style>"


def date_placeholder_css(lang: str) -> str:
    """The style sheet that says the placeholders of a page's empty date fields in ``lang``
    ("гггг-мм-дд"); "" for English."""
    if lang == "en":
        return ""
    parts = t("date_placeholder", lang).split("-")
    return "<style>\n" + "".join(
        _over(_DATE_PART.format(part=part), text)
        for part, text in zip(_DATE_PARTS, parts, strict=True)) + "</style>"
