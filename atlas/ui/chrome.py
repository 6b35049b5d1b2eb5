"""Page frame shared by every page: config, language switch and localized navigation."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import LANGUAGE_NAMES, LANGUAGES, t
from atlas.ui.state import current_language

# No icons: Streamlit fetches Material icons from a font CDN, and the atlas must work offline.
PAGES = (
    ("streamlit_app.py", "nav_explorer"),
    ("pages/1_Sources.py", "nav_sources"),
)


def page_frame(title_key: str) -> str:
    """Set up the page and the sidebar header; returns the current language."""
    lang = current_language()
    st.set_page_config(page_title=t(title_key, lang), layout="wide")
    with st.sidebar:
        chosen = st.radio(
            t("language", lang),
            LANGUAGES,
            index=LANGUAGES.index(lang),
            format_func=LANGUAGE_NAMES.__getitem__,
            horizontal=True,
            key="lang_radio",
        )
        if chosen != lang:
            st.query_params["lang"] = chosen
            st.session_state.pop("lang_radio", None)
            st.rerun()
        for path, key in PAGES:
            st.page_link(path, label=t(key, lang), query_params={"lang": lang})
    return lang
