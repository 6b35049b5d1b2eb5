"""View state that lives in the URL, so a copied link reopens the same view.

The address bar is written by anyone, so every URL parameter is read through one mechanism:
each page declares its parameters (``declare_page``) with a kind (one choice of a list, many
choices, a whole number in a range, a span of years, a flag, a date, free text, a list of ids),
and ``Param.parse`` turns whatever list of strings the URL holds into a value of that kind,
never raising: a value it does not understand gives the parameter's default. How much of a
value is looked at is bounded (``MAX_VALUES``, ``MAX_VALUE_LENGTH``), whatever the URL holds.

Choices that come from the data (donors, project ids, rows) are bound when read:
``DONOR.among(donor_ids(snap))``; ranges likewise (``STEP.within(0, last)``).
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

import streamlit as st

from atlas.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

CURRENCIES = ("EUR", "KZT", "USD")
DEFAULT_CURRENCY = "EUR"

MAX_VALUES = 100  # values of one repeated parameter looked at; the rest are ignored
MAX_VALUE_LENGTH = 200  # longer values of choices, numbers, dates and ids are not looked at
MAX_TEXT_LENGTH = 200  # free text is cut to this many characters
MAX_IDS = 200  # ids of one list parameter (``order=a,b,c``)

_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")
_YEARS = re.compile(r"([0-9]{1,4})(?:-([0-9]{1,4}))?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Parsed(NamedTuple):
    """A parameter's value, and whether the URL held something that was not understood."""

    value: Any
    ignored: bool


def _usable(raw: Sequence[str]) -> tuple[list[str], bool]:
    """The values worth looking at (stripped; not too many, none too long), and whether any
    were left out."""
    values = [v.strip() for v in raw[:MAX_VALUES]
              if isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH]
    return values, len(values) < len(raw)


def _cast(cast: Callable[[str], Any], value: str) -> tuple[bool, Any]:
    try:
        return True, cast(value)
    except (ValueError, TypeError, OverflowError):
        return False, None


@dataclass(frozen=True)
class Param(ABC):
    """A URL parameter: its name and how its values become one value of the page's state."""

    name: str

    @property
    def fallback(self) -> Any:
        """The value when the URL does not give one (or gives one not understood)."""
        return None

    def parse(self, raw: Sequence[str]) -> Parsed:
        """The parameter's value from the URL's values for it; never raises."""
        if not raw:
            return Parsed(self.fallback, False)
        return self._parse(raw)

    @abstractmethod
    def _parse(self, raw: Sequence[str]) -> Parsed:
        """The value of a parameter the URL gives (``raw`` is not empty)."""


@dataclass(frozen=True)
class OneOf(Param):
    """One choice of a list (the first value given that is a choice); else the default."""

    choices: tuple[Any, ...] = ()
    default: Any = None
    cast: Callable[[str], Any] = str

    @property
    def fallback(self) -> Any:
        return self.default

    def among(self, choices: Iterable[Any]) -> OneOf:
        """This parameter choosing among ``choices`` (known when the page reads it)."""
        return replace(self, choices=tuple(choices))

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, left_out = _usable(raw)
        allowed = set(self.choices)
        for index, value in enumerate(values):
            ok, item = _cast(self.cast, value)
            if ok and item in allowed:
                return Parsed(item, left_out or index > 0)
        return Parsed(self.default, True)


@dataclass(frozen=True)
class ManyOf(Param):
    """Any number of choices of a list, each once, in the URL's order; unknown ones dropped."""

    choices: tuple[Any, ...] = ()
    cast: Callable[[str], Any] = str

    @property
    def fallback(self) -> Any:
        return []

    def among(self, choices: Iterable[Any]) -> ManyOf:
        """This parameter choosing among ``choices`` (known when the page reads it)."""
        return replace(self, choices=tuple(choices))

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, ignored = _usable(raw)
        allowed = set(self.choices)
        chosen: list[Any] = []
        for value in values:
            ok, item = _cast(self.cast, value)
            if ok and item in allowed:
                if item not in chosen:
                    chosen.append(item)
            else:
                ignored = True
        return Parsed(chosen, ignored)


@dataclass(frozen=True)
class WholeNumber(Param):
    """A whole number, brought into ``low``..``high``; anything else gives the default."""

    default: int = 0
    low: int = 0
    high: int = 0

    @property
    def fallback(self) -> Any:
        return self._clamp(self.default)

    def within(self, low: int, high: int) -> WholeNumber:
        """This parameter limited to ``low``..``high`` (known when the page reads it)."""
        return replace(self, low=low, high=max(low, high))

    def _clamp(self, number: int) -> int:
        return max(self.low, min(max(self.low, self.high), number))

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, left_out = _usable(raw)
        if values and _INTEGER.fullmatch(values[0]):
            return Parsed(self._clamp(int(values[0])), left_out or len(values) > 1)
        return Parsed(self.fallback, True)


@dataclass(frozen=True)
class YearSpan(Param):
    """Years ``2015-2020`` (either order), or one year ``2015`` (2015-2015), as a pair cut to
    ``low``..``high``; a span outside those years gives the default, all of them."""

    low: int = 0
    high: int = 0

    @property
    def fallback(self) -> Any:
        return (self.low, self.high)

    def within(self, low: int, high: int) -> YearSpan:
        """This parameter limited to the years ``low``..``high``."""
        return replace(self, low=low, high=max(low, high))

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, left_out = _usable(raw)
        match = _YEARS.fullmatch(values[0]) if values else None
        if match is None:
            return Parsed(self.fallback, True)
        first, last = sorted((int(match.group(1)), int(match.group(2) or match.group(1))))
        if last < self.low or first > self.high:
            return Parsed(self.fallback, True)
        return Parsed((max(first, self.low), min(last, self.high)), left_out or len(values) > 1)


@dataclass(frozen=True)
class Flag(Param):
    """On (``1``) or off (``0``, or absent)."""

    @property
    def fallback(self) -> Any:
        return False

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, left_out = _usable(raw)
        if values and values[0] in ("0", "1"):
            return Parsed(values[0] == "1", left_out or len(values) > 1)
        return Parsed(False, True)


@dataclass(frozen=True)
class Day(Param):
    """A date ``YYYY-MM-DD`` between ``earliest`` and ``latest``; else none."""

    earliest: date = date(2000, 1, 1)
    latest: date = date(2100, 12, 31)

    def _parse(self, raw: Sequence[str]) -> Parsed:
        values, left_out = _usable(raw)
        if not values or not _DAY.fullmatch(values[0]):
            return Parsed(None, True)
        ok, day = _cast(date.fromisoformat, values[0])
        if not ok or not self.earliest <= day <= self.latest:
            return Parsed(None, True)
        return Parsed(day, left_out or len(values) > 1)


@dataclass(frozen=True)
class Text(Param):
    """Free text (the first value), without control characters, cut to ``max_length``."""

    max_length: int = MAX_TEXT_LENGTH

    @property
    def fallback(self) -> Any:
        return ""

    def _parse(self, raw: Sequence[str]) -> Parsed:
        first = raw[0] if isinstance(raw[0], str) else ""
        head = first[: self.max_length * 2]  # bounds the work; control characters may go
        text = "".join(c for c in head if unicodedata.category(c) != "Cc")[: self.max_length]
        return Parsed(text, text != first or len(raw) > 1)


@dataclass(frozen=True)
class IdList(Param):
    """Ids, comma-separated in one value (``a,b,c``), each once; unknown ids dropped. None
    (the default order) when absent or when no id is known."""

    choices: tuple[str, ...] = ()

    def among(self, choices: Iterable[str]) -> IdList:
        """This parameter choosing among ``choices`` (known when the page reads it)."""
        return replace(self, choices=tuple(choices))

    def _parse(self, raw: Sequence[str]) -> Parsed:
        first = raw[0] if isinstance(raw[0], str) else ""
        head = first[: MAX_IDS * (MAX_VALUE_LENGTH + 1)]  # room for as many ids as are read
        parts = [p.strip() for p in head.split(",", MAX_IDS)]  # the last part holds the rest
        allowed = set(self.choices)
        ids = list(dict.fromkeys(p for p in parts[:MAX_IDS] if p in allowed))
        cut = len(head) < len(first) or len(parts) > MAX_IDS or len(raw) > 1
        ignored = cut or any(p not in allowed for p in parts if p)
        return Parsed(ids or None, ignored or not ids)


LANG = OneOf("lang", LANGUAGES, DEFAULT_LANGUAGE)
CURRENCY = OneOf("cur", CURRENCIES, DEFAULT_CURRENCY)
SHARED = (LANG, CURRENCY)  # every page keeps these

# Page file (as in ``st.page_link``) -> its parameters by name, shared ones included.
PAGE_PARAMS: dict[str, dict[str, Param]] = {}


def declare_page(page: str, *params: Param) -> None:
    """Declare every URL parameter ``page`` reads (language and currency are added)."""
    declared = {p.name: p for p in (*SHARED, *params)}
    if len(declared) != len(SHARED) + len(params):
        raise ValueError(f"{page}: a URL parameter is declared twice")
    PAGE_PARAMS[page] = declared


# Session keys: parameter names read in this session (the tests compare them with the
# declarations); the names of the notice, with its page and the URL written when it began.
READ = "_url_read"
IGNORED = "_url_ignored"
_NOTICE_PAGE, _NOTICE_URL, _FOUND = "_url_notice_page", "_url_notice_url", "_url_found"
SEEDED = "_url_seeded_keys"


def _raw(name: str) -> list[str]:
    return st.query_params.get_all(name)


def url_value(param: Param) -> Any:
    """The value of ``param`` in the URL; its default when absent or not understood."""
    parsed = param.parse(_raw(param.name))
    _note(param.name, parsed.ignored)
    return parsed.value


def _note(name: str, ignored: bool) -> None:
    ss = st.session_state
    ss.setdefault(READ, set()).add(name)
    if not ignored:
        return
    if not ss.get(_FOUND):  # the first this run: a new notice
        ss[_FOUND], ss[IGNORED], ss[_NOTICE_URL] = True, [], None
    if name not in ss[IGNORED]:
        ss[IGNORED].append(name)


def init_from_url(key: str, param: Param) -> None:
    """Seed a widget's session value from the URL once per session (later, the widget rules)."""
    ss = st.session_state
    ss.setdefault(SEEDED, set()).add(key)
    if key in ss:
        ss.setdefault(READ, set()).add(param.name)
        return
    ss[key] = url_value(param)


def adopt_from_url(key: str, param: Param) -> bool:
    """Take ``param``'s value into ``key`` when the URL changed since the page last wrote it
    (a shared link, a link from another page); True when it did."""
    ss = st.session_state
    raw = _raw(param.name)
    seen = f"_url_{param.name}"
    if seen in ss and ss[seen] == raw and key in ss:
        ss.setdefault(READ, set()).add(param.name)
        return False
    ss[key] = url_value(param)
    ss[seen] = raw
    return True


def remember_url(params: Iterable[Param]) -> None:
    """Note the URL's values of ``params`` as the page's own (see ``adopt_from_url``)."""
    for param in params:
        st.session_state[f"_url_{param.name}"] = _raw(param.name)


def reseed_from_url() -> None:
    """Forget every URL-seeded widget value, so the next run seeds them from the URL again.

    Needed when the language changes: the widgets' labels change with it, Streamlit then
    treats them as new widgets and would drop their values on the next interaction.
    """
    for key in st.session_state.get(SEEDED, set()):
        st.session_state.pop(key, None)


def begin_url_run(page: str) -> None:
    """Start a run of ``page`` (any name unique to it); another page's notice is dropped."""
    ss = st.session_state
    ss[_FOUND] = False
    if ss.get(_NOTICE_PAGE) != page:
        ss[_NOTICE_PAGE], ss[IGNORED], ss[_NOTICE_URL] = page, [], None


def url_notice(lang: str) -> None:
    """A small note naming the URL parameters that were not understood and so were left at
    their defaults; nothing when all were understood.

    Call it after ``write_url``: the note stays while the view is the one the link opened
    (reruns that change nothing, such as the map's), and goes once the viewer changes it.
    """
    ignored = st.session_state.get(IGNORED) or []
    if ignored:
        st.caption(t("url_ignored", lang, params=", ".join(ignored)))


def current_language() -> str:
    """The language from the URL (``?lang=kk``), else English."""
    return str(url_value(LANG))


def current_currency() -> str:
    """The display currency from the URL (``?cur=KZT``), else EUR."""
    return str(url_value(CURRENCY))


def shared_params() -> dict[str, str | None]:
    """The URL parameters every page keeps: language and currency."""
    cur = current_currency()
    return {"lang": current_language(), "cur": None if cur == DEFAULT_CURRENCY else cur}


def url_params(values: dict[str, Any]) -> dict[str, str | list[str]]:
    """Query parameters for ``values`` plus language and currency; empty values left out."""
    clean: dict[str, str | list[str]] = {}
    for key, value in {**shared_params(), **values}.items():
        if value is None or value == [] or value == "":
            continue
        clean[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return clean


def write_url(values: dict[str, Any]) -> None:
    """Replace the URL's parameters with ``values`` (lists become repeated parameters).

    Language and currency are kept unless ``values`` sets them.
    """
    clean = url_params(values)
    ss = st.session_state
    if ss.get(IGNORED):
        if ss.get(_NOTICE_URL) is None:
            ss[_NOTICE_URL] = clean
        elif clean != ss[_NOTICE_URL]:  # the viewer has moved on from the link's view
            ss[IGNORED] = []
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if {k: (v if isinstance(v, list) else [v]) for k, v in clean.items()} != current:
        st.query_params.from_dict(clean)


def set_url_param(name: str, value: str) -> None:
    """Set one URL parameter, keeping the others."""
    st.query_params[name] = value


def drop_url_param(name: str) -> None:
    """Remove one URL parameter, keeping the others."""
    st.query_params.pop(name, None)


def reset_url() -> None:
    """Empty the URL but for language and currency."""
    keep = {k: v for k, v in shared_params().items() if v}
    st.query_params.clear()
    st.query_params.update(keep)
