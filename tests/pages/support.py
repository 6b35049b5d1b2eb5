"""Helpers of the AppTest modules: open a page with URL parameters, run it, read a metric."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from atlas.i18n import t

ROOT = Path(__file__).resolve().parents[2]
MAIN = "streamlit_app.py"
TIMEOUT = 60


def open_page(page: str = MAIN, **params: str) -> AppTest:
    """An app (not yet run) showing ``page``, with URL query parameters ``params``.

    Pages other than the entrypoint are reached with ``switch_page``: run as an entrypoint of
    its own, pages/X.py would resolve ``st.page_link("streamlit_app.py")`` against pages/.
    """
    at = AppTest.from_file(str(ROOT / MAIN), default_timeout=TIMEOUT)
    if page != MAIN:
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def run(at: AppTest) -> AppTest:
    """Run the app and fail on any exception it shows."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    """The value of the one metric labelled ``t(key, lang)``."""
    label = t(key, lang)
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, (label, [(m.label, m.value) for m in at.metric])
    return values[0]
