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


def fill_new_site(at: AppTest, lon: float, lat: float, *, site_id: str = "s-test-outside",
                  name: str = "Somewhere", precision: str = "exact") -> None:
    """Type a new Mangystau site into the open Edit form: ids, name, level, precision, basis,
    region and the point (``lon``, ``lat``), as staff would."""
    at.text_input(key="ef_sites_site_id").input(site_id)
    at.text_input(key="ef_sites_name_en").input(name)
    at.selectbox(key="ef_sites_level").set_value("settlement")
    at.selectbox(key="ef_sites_precision").set_value(precision)
    at.text_area(key="ef_sites_location_basis").input("typed by a test")
    at.selectbox(key="ef_sites_region_code").set_value("KAZ014")
    at.number_input(key="ef_sites_lon").set_value(lon)
    at.number_input(key="ef_sites_lat").set_value(lat)
