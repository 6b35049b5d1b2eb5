"""Long lists shown a page at a time: search and sort over whole columns, then one page.

A *list frame* has one row per item (a project, an organization) in its default order, a
folded ``search`` column holding the text a search looks through, and the columns its sort
orders name. ``list_page`` narrows it to the rows holding every word of a query, sorts them
and cuts out one page; only that page's rows are then turned into what a page shows.

Nothing here imports Streamlit; the pages keep the query, sort and page in the URL.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from atlas.dataset import is_missing
from atlas.i18n import LANGUAGES
from atlas.snapshot import Snapshot

SEARCH = "search"  # the folded text column of a list frame
MAX_QUERY_LENGTH = 200  # characters of a query looked at (the URL keeps no more either)
MAX_WORDS = 20  # distinct words of a query looked at; the rest are ignored


@dataclass(frozen=True)
class SortOrder:
    """A list order: columns, each ascending or not; missing values always come last.

    Rows that tie keep the list frame's default order, so every order is deterministic.
    """

    columns: tuple[str, ...]
    ascending: tuple[bool, ...]


@dataclass(frozen=True)
class ListPage:
    """One page of a searched and sorted list, and where it sits in the whole."""

    rows: pd.DataFrame  # this page's rows, in order
    total: int  # rows holding every word of the query
    page: int  # 1-based, brought into 1..pages
    pages: int  # at least 1, even for an empty list
    page_size: int

    @property
    def first(self) -> int:
        """1-based position of the page's first row in the list; 0 when the list is empty."""
        return 0 if self.total == 0 else (self.page - 1) * self.page_size + 1

    @property
    def last(self) -> int:
        """1-based position of the page's last row; 0 when the list is empty."""
        return min(self.total, self.page * self.page_size)

    @property
    def ids(self) -> list[str]:
        """The ids (first column) of this page's rows."""
        return [str(x) for x in self.rows.iloc[:, 0]]


def fold(text: object) -> str:
    """Text folded for matching: one Unicode form, no case, ё read as е."""
    return unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е")


# Alphabets in their own order (upper case; lower case is folded to it). Kazakh puts its own
# letters beside their neighbours (Ә after А, Қ after К, І after Ы); code point order would
# put them all after Я.
_ALPHABETS = {
    "kk": "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ",
    "ru": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
}
# Each letter becomes a character of the Private Use Area in its alphabet's order: above
# Latin letters and digits, so a name in Latin letters sorts before one in Cyrillic.
_COLLATION = {
    lang: str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(letters)})
    for lang, letters in _ALPHABETS.items()
}
# Russian files ё with е; the Kazakh letters sort with Kazakh's order in English too.
_COLLATION["ru"][ord("Ё")] = _COLLATION["ru"][ord("Е")]
_COLLATION["en"] = _COLLATION["kk"]
_QUOTES = "«»\"'“”„ "


def collation_key(text: object, lang: str) -> str:
    """A key that sorts names as a reader of ``lang`` expects: case ignored, each Cyrillic
    letter in its alphabet's order (Kazakh's ә ғ қ ң ө ұ ү һ і in place), opening quotes
    ignored («ARGO» files under A)."""
    folded = unicodedata.normalize("NFC", str(text)).strip(_QUOTES).upper()
    return folded.translate(_COLLATION.get(lang, _COLLATION["kk"])).casefold()


def query_words(query: str) -> list[str]:
    """The distinct folded words of ``query`` a search looks for (bounded in number)."""
    words = fold((query or "")[:MAX_QUERY_LENGTH]).split()
    return list(dict.fromkeys(words))[:MAX_WORDS]


def search(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows of ``frame`` whose ``search`` text holds every word of ``query``, in order;
    an empty query keeps them all."""
    found = frame
    # Each word looks only through the rows the words before it kept.
    for word in query_words(query):
        if found.empty:
            break
        found = found.loc[found[SEARCH].str.contains(word, regex=False).to_numpy(bool)]
    return found


def sort(frame: pd.DataFrame, order: SortOrder) -> pd.DataFrame:
    """``frame`` in ``order``; ties keep their order in ``frame``."""
    if frame.empty or not order.columns:
        return frame
    return frame.sort_values(list(order.columns), ascending=list(order.ascending),
                             kind="stable", na_position="last")


def page_number(total: int, page: int, page_size: int) -> tuple[int, int]:
    """(page, pages): ``page`` brought into 1..pages, and how many pages ``total`` rows fill."""
    if page_size < 1:
        raise ValueError(f"a page holds at least one row, not {page_size}")
    pages = max(1, math.ceil(total / page_size))
    return min(max(1, int(page)), pages), pages


def list_view(frame: pd.DataFrame, query: str, order: SortOrder) -> pd.DataFrame:
    """Every row of ``frame`` a search for ``query`` keeps, in ``order``: the whole view,
    as the downloads of a page take it."""
    return sort(search(frame, query), order)


def list_page(frame: pd.DataFrame, query: str, order: SortOrder, page: int,
              page_size: int) -> ListPage:
    """Page ``page`` (1-based; any whole number, brought into range) of the rows of ``frame``
    holding every word of ``query``, sorted by ``order``, and how many rows there are."""
    found = search(frame, query)
    number, pages = page_number(len(found), page, page_size)
    start = (number - 1) * page_size
    rows = sort(found, order).iloc[start:start + page_size]
    return ListPage(rows, len(found), number, pages, page_size)


# --- the projects list ------------------------------------------------------------------------

PROJECT_SORTS: Mapping[str, SortOrder] = {
    "title": SortOrder(("title_key",), (True,)),
    "budget": SortOrder(("budget", "title_key"), (False, True)),
    "newest": SortOrder(("start", "title_key"), (False, True)),
    "oldest": SortOrder(("start", "title_key"), (True, True)),
}
PROJECT_SORT_DEFAULT = "title"


def localized_column(frame: pd.DataFrame, column: str, fallback: str) -> pd.Series:
    """``column`` where it holds text, else ``fallback`` (as ``i18n.localized`` reads each
    record), as text."""
    values = frame[column]
    empty = values.isna() | (values.astype(str) == "")
    return values.where(~empty, frame[fallback]).fillna("").astype(str)


def _filled_lines(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """Per row, the folded cells of ``columns`` that hold something, one a line.

    A search word never holds a line break, so a word never matches across two cells.
    """
    cells = [frame[column].tolist() for column in columns]
    return [fold("\n".join(str(v) for v in row if not is_missing(v)))
            for row in zip(*cells, strict=True)]


def project_search_texts(snap: Snapshot) -> Mapping[str, str]:
    """Per project id, the folded text a search looks through (built once per snapshot and
    shared by every list and search of projects): its titles and summaries in every language,
    then, in org-id order, the names in every language and the acronym of each organization
    taking part in the project or in its money flows. Empty cells are left out."""
    return snap.derived("listing.project_search_texts",
                        lambda: MappingProxyType(_project_search_texts(snap)))


def _project_search_texts(snap: Snapshot) -> dict[str, str]:
    projects = snap.table("projects")
    own = _filled_lines(projects, [f"{f}_{lang}" for f in ("title", "summary")
                                   for lang in LANGUAGES])
    orgs = snap.table("organizations")
    org_text = dict(zip(orgs["org_id"].tolist(), _filled_lines(
        orgs, [f"name_{lang}" for lang in LANGUAGES] + ["acronym"]), strict=True))
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    pairs = pd.concat([
        parts[["project_id", "org_id"]],
        flows[["project_id", "from_org_id"]].set_axis(["project_id", "org_id"], axis=1),
        flows[["project_id", "to_org_id"]].set_axis(["project_id", "org_id"], axis=1),
    ], ignore_index=True).drop_duplicates()
    pairs = pairs.loc[pairs["org_id"].isin(org_text.keys())].sort_values("org_id", kind="stable")
    # Folding is per character and a line break joins nothing, so the folded lines of each
    # organization are folded once and joined as they are.
    org_lines: dict[str, list[str]] = {}
    for pid, org in zip(pairs["project_id"].tolist(), pairs["org_id"].tolist(), strict=True):
        org_lines.setdefault(pid, []).append(org_text[org])
    return {pid: "\n".join(line for line in (text, *org_lines.get(pid, ())) if line)
            for pid, text in zip(projects["project_id"].tolist(), own, strict=True)}


def _budgets(snap: Snapshot, currency: str) -> np.ndarray:
    """Each project's stated budget in ``currency`` at its start year's rate (as
    ``project_detail.budget_conversion`` converts it); NaN when unknown or without a rate."""
    projects = snap.table("projects")
    amount = pd.to_numeric(projects["budget_amount"], errors="coerce").to_numpy(float)
    qualifier = projects["budget_qualifier"].fillna("").astype(str)
    known = ~qualifier.isin(["", "unknown"]).to_numpy() & ~np.isnan(amount)
    from_currency = projects["budget_currency"].fillna("").astype(str).to_list()
    years = _years(projects["start"])
    rates = []
    for source, year in zip(from_currency, years, strict=True):
        if not source:
            rates.append(math.nan)
        elif source == currency:
            rates.append(1.0)
        else:
            per_usd = snap.rates.per_usd
            year_key = None if math.isnan(year) else int(year)
            pair = (per_usd.get((year_key, currency)), per_usd.get((year_key, source)))  # type: ignore[arg-type]
            rates.append(math.nan if None in pair else pair[0] / pair[1])  # type: ignore[operator]
    return np.where(known, amount * np.asarray(rates, dtype=float), np.nan)


def _years(dates: pd.Series) -> np.ndarray:
    """The year of each date text ("2021-03" -> 2021); NaN when it does not start with one."""
    head = dates.fillna("").astype(str).str[:4]
    return pd.to_numeric(head.where(head.str.fullmatch(r"[0-9]{4}"), None),
                         errors="coerce").to_numpy(float)


def project_list(snap: Snapshot, lang: str, currency: str) -> pd.DataFrame:
    """The list frame of every project, in English title order (the list's order before the
    viewer sorts it): id, title in ``lang``, the sort keys (title, budget in ``currency``,
    start year) and the search text."""
    projects = snap.table("projects")
    title = localized_column(projects, f"title_{lang}", "title_en")
    frame = pd.DataFrame({
        "project_id": projects["project_id"].astype(str).to_numpy(),
        "title": title.to_numpy(),
        "title_key": [collation_key(x, lang) for x in title.to_list()],
        "budget": _budgets(snap, currency),
        "start": _years(projects["start"]),
        "title_en": projects["title_en"].to_numpy(),
    })
    texts = project_search_texts(snap)
    frame[SEARCH] = [texts.get(pid, "") for pid in frame["project_id"].to_list()]
    return frame.sort_values("title_en", kind="stable").drop(columns="title_en")


def projects_in(frame: pd.DataFrame, project_ids: list[str]) -> pd.DataFrame:
    """The rows of ``frame`` of these projects (a filter's result), in the frame's order."""
    return frame.loc[frame["project_id"].isin(project_ids).to_numpy(bool)]
