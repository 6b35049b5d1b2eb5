"""What is wrong with a file or a form, in the reader's language.

The validator and the importer give every ``Problem`` a message code and its parameters; this
is the one place that writes them for a page: numbers the language's way, tables, columns,
choices and regions by their names in the language, the user's own values as they are.
(No Streamlit here: pages show the text where they need it.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from atlas import geo
from atlas.dataset import Problem, message_text
from atlas.edit_forms import choice_label, column_label
from atlas.i18n import string_keys, t
from atlas.importing import entity_from_name, sheet_of, table_named
from atlas.model import TABLES_BY_NAME

# Parameters that name a column of the problem's table (the rest of the name says how), and
# those that list columns ("a, b").
_COLUMN_PARAMS = frozenset({"column"})
_COLUMN_LIST_PARAMS = frozenset({"kept"})
# Parameters that hold a region's code, and the English name given next to it.
_REGION_NAMES = {"region_name": "region", "stated_name": "stated"}
# Parameters holding a choice of the column they are named after (``qualifier``: any table's).
_CHOICE_PARAMS = frozenset({"qualifier", "precision", "level"})
_LETTER_COLUMN = re.compile(r"^column ([A-Z]{1,3})$")


def table_label(table: str, lang: str) -> str:
    """A table's name in ``lang`` (a name that is no table: as it is)."""
    key = f"hist_table_{table}"
    return t(key, lang) if key in _keys() else table


def table_of(problem: Problem, upload: str | None = None) -> str | None:
    """The table a problem's file holds, when its name says it (``geodata/sites.csv``); in a
    workbook ``upload``, the table its sheet is read as (the sheet's name, else the file's)."""
    sheet = sheet_of(problem.file, upload) if upload else None
    if sheet is not None:
        return entity_from_name(sheet) or entity_from_name(PurePath(upload or "").stem)
    stem = PurePath(problem.file).stem
    return stem if stem in TABLES_BY_NAME else None


def place_text(place: str, lang: str, upload: str | None = None) -> str:
    """Where a problem is, in ``lang``: a file by its name; a sheet of the workbook ``upload``
    as "book.xlsx, лист «Результаты»", a sheet named after a table (the template's) by the
    table's name in ``lang``, any other by its own."""
    sheet = sheet_of(place, upload) if upload else None
    if sheet is None or upload is None:
        return place
    table = table_named(sheet)
    return t("imp_place_sheet", lang, file=upload,
             sheet=table_label(table, lang) if table else sheet)


def field_label(problem: Problem, lang: str, table: str | None = None) -> str:
    """The problem's field as the reader knows it: a column's label, a spreadsheet column by
    its letter, a name the file made up as it is."""
    if not problem.field:
        return ""
    letter = _LETTER_COLUMN.match(problem.field)
    if letter:
        return t("prob_field_letter", lang, letter=letter[1])
    table = table or table_of(problem)
    if table is not None and problem.field in TABLES_BY_NAME[table].column_names:
        return column_label(problem.field, lang, table)
    return problem.field


def problem_text(problem: Problem, lang: str, table: str | None = None) -> str:
    """The problem's message in ``lang`` (``table``: the table its row belongs to, when the
    file's name does not say it). A problem without a code (none should be) keeps its
    English."""
    if not problem.code:
        return problem.message
    table = table or table_of(problem)
    params = dict(problem.params)

    def shown(name: str, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if name == "table":
            return table_label(value, lang)
        if name == "reference":
            return table_label(value.split(".")[0], lang)
        if name in _COLUMN_PARAMS and table is not None \
                and value in TABLES_BY_NAME[table].column_names:
            return column_label(value, lang, table)
        if name in _COLUMN_LIST_PARAMS and table is not None:
            known = TABLES_BY_NAME[table].column_names
            return ", ".join(column_label(c, lang, table) if c in known else c
                             for c in value.split(", "))
        if name in _REGION_NAMES:
            code = params.get(_REGION_NAMES[name])
            unit = geo.UNITS.get(str(code))
            return getattr(unit, f"name_{lang}", value) if unit is not None else value
        if name in _CHOICE_PARAMS:
            return choice_label(table or "", name, value, lang)
        return None

    return message_text(problem.code, lang, params, shown)


def _keys() -> frozenset[str]:
    return frozenset(string_keys())


# Parameters of a refusal that number a change (#1234): shown as the history writes them.
_CHANGE_NUMBERS = frozenset({"id", "by"})


def refusal_text(code: str, params: Mapping[str, Any], lang: str) -> str:
    """Why an action was refused (the ``code`` and ``params`` of a PermissionDenied, an
    AccountRefused or a ChangeRefused) in ``lang``: a table by its name, change numbers as
    the history writes them, account names as they are."""
    def shown(name: str, value: Any) -> str | None:
        if name == "table" and isinstance(value, str):
            return table_label(value, lang)
        if name in _CHANGE_NUMBERS:
            return str(value)
        return None

    return message_text(code, lang, params, shown)


def changed_by(user: str, lang: str) -> str:
    """Who changed a row that a save, an import or an undo found changed: an account's name,
    or, when no one has since the store was built (a rebuild replaced the row), that."""
    return user or t("changed_by_rebuild", lang)
