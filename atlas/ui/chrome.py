"""Page frame shared by every page: config, language switch and localized navigation."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import LANGUAGE_NAMES, LANGUAGES, t
from atlas.ui import upload_guard
from atlas.ui.builtin_text import builtin_css
from atlas.ui.state import (
    CURRENCIES,
    begin_url_run,
    current_currency,
    current_language,
    reseed_from_url,
    set_url_param,
    shared_params,
)

# No icons: Streamlit fetches Material icons from a font CDN, and the atlas must work offline.
PAGES = (
    ("streamlit_app.py", "nav_explorer"),
    ("pages/2_Projects.py", "nav_projects"),
    ("pages/3_Organizations.py", "nav_organizations"),
    ("pages/1_Sources.py", "nav_sources"),
    ("pages/7_Present.py", "nav_present"),
)
# Staff pages: open to anyone, but they show only a login form until someone logs in.
STAFF_PAGES = (
    ("pages/4_Edit.py", "nav_edit"),
    ("pages/6_Import.py", "nav_import"),
    ("pages/5_History.py", "nav_history"),
)


def _url_switch(label: str, param: str, choices: tuple[str, ...], current: str,
                names: dict[str, str] | None = None) -> None:
    """A radio whose value lives in the URL: changing it rewrites the URL and reruns."""
    key = f"{param}_radio"
    chosen = st.radio(label, choices, index=choices.index(current), horizontal=True, key=key,
                      format_func=lambda choice: (names or {}).get(choice, choice))
    if chosen != current:
        set_url_param(param, chosen)
        st.session_state.pop(key, None)
        reseed_from_url()  # the URL holds the whole view; labels change with the language
        st.rerun()


# Presenting: no sidebar, no Streamlit header, large high-contrast type for a projector.
# Static CSS (no data in it), so st.html's sanitizer has nothing to strip.
PRESENTING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 1.2rem 2rem 0.5rem;
  max-width: 100% !important;}
[data-testid="stAppViewContainer"], .stApp {background: #ffffff; color: #000000;}
h1 {font-size: 3.1rem !important; line-height: 1.15 !important; color: #000000;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 1.35rem !important; color: #222222 !important;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: 1.45rem; line-height: 1.4; color: #000000;}
[data-testid="stMetricLabel"] p {font-size: 1.35rem !important; color: #222222 !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 2.9rem !important;
  font-weight: 700 !important; color: #08306b !important; line-height: 1.15 !important;}
button p {font-size: 1.3rem !important;}
</style>"""


def page_frame(title_key: str, *, presenting: bool = False) -> str:
    """Set up the page and the sidebar header; returns the current language.

    Language and display currency are chosen here for every page and travel in the URL
    (``lang``, ``cur``), also through the navigation links. ``presenting`` draws no sidebar
    and sets the large, high-contrast type of the presentation.
    """
    upload_guard.install()  # already done by the launcher; this covers plain `streamlit run`
    begin_url_run(title_key)
    lang = current_language()
    st.set_page_config(page_title=t(title_key, lang), layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    if css := builtin_css(lang):  # Streamlit's own words ("No results") in the language
        st.html(css)
    if presenting:
        st.html(PRESENTING_CSS)
        return lang
    with st.sidebar:
        _url_switch(t("language", lang), "lang", LANGUAGES, lang, LANGUAGE_NAMES)
        _url_switch(t("currency", lang), "cur", CURRENCIES, current_currency())
        keep = {k: v for k, v in shared_params().items() if v}
        for path, key in PAGES:
            st.page_link(path, label=t(key, lang), query_params=keep)
        with st.expander(t("nav_staff", lang)):
            for path, key in STAFF_PAGES:
                st.page_link(path, label=t(key, lang), query_params=keep)
    return lang
