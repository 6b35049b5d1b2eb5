"""View state that lives in the URL, so a copied link reopens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from atlas.i18n import DEFAULT_LANGUAGE, LANGUAGES

CURRENCIES = ("EUR", "KZT", "USD")
DEFAULT_CURRENCY = "EUR"


def _params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


SEEDED = "_url_seeded_keys"


def init_from_url(key: str, param: str, parse: Callable[[list[str]], Any], default: Any) -> None:
    """Seed a widget's session value from the URL once per session (later, the widget rules)."""
    st.session_state.setdefault(SEEDED, set()).add(key)
    if key in st.session_state:
        return
    raw = _params().get(param, [])
    try:
        st.session_state[key] = parse(raw) if raw else default
    except (ValueError, TypeError):
        st.session_state[key] = default


def reseed_from_url() -> None:
    """Forget every URL-seeded widget value, so the next run seeds them from the URL again.

    Needed when the language changes: the widgets' labels change with it, Streamlit then
    treats them as new widgets and would drop their values on the next interaction.
    """
    for key in st.session_state.get(SEEDED, set()):
        st.session_state.pop(key, None)


def choose(raw: list[str], allowed: Sequence[Any], cast: Callable[[str], Any] = str) -> list[Any]:
    """URL values that are valid choices; unknown ones are dropped, not errors."""
    out = []
    for value in raw:
        try:
            item = cast(value)
        except ValueError:
            continue
        if item in allowed and item not in out:
            out.append(item)
    return out


def current_language() -> str:
    """The language from the URL (``?lang=kk``), else English."""
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_currency() -> str:
    """The display currency from the URL (``?cur=KZT``), else EUR."""
    cur = st.query_params.get("cur", DEFAULT_CURRENCY)
    return cur if cur in CURRENCIES else DEFAULT_CURRENCY


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
    if {k: (v if isinstance(v, list) else [v]) for k, v in clean.items()} != _params():
        st.query_params.from_dict(clean)
