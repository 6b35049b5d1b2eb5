"""The Sources page's tables: long text wrapped in wide columns, rates as numbers written
the viewer's way (AppTest)."""

from __future__ import annotations

import pytest

from atlas.i18n import t
from tests.pages.support import open_page, run


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_rates_are_right_aligned_numbers_and_long_text_wraps(lang: str) -> None:
    at = run(open_page("pages/1_Sources.py", lang=lang))
    frames = {tuple(d.value.columns): d for d in at.dataframe}
    rates = next(d for cols, d in frames.items() if t("col_rate", lang) in cols)
    assert rates.value[t("col_rate", lang)].dtype.kind == "f"
    configs = [d.proto.columns for d in at.dataframe]
    assert all('"right"' in c for c in configs if t("col_rate", lang) in c)
    # Rows tall enough for Streamlit to wrap text (it wraps only above 64 px).
    assert all(d.proto.row_height > 64 for d in at.dataframe)


def test_rates_drop_trailing_zeros_in_the_readers_way() -> None:
    from atlas.ui.sources_page import rate_text

    assert rate_text(152.1, "ru") == "152,1"
    assert rate_text(0.9236, "en") == "0.9236"
    assert rate_text(1000.0, "kk") == "1\u00a0000"
    assert rate_text(float("nan"), "ru") == ""


def test_the_sites_table_is_made_once_per_data_version_and_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every site's row in the reader's language: a tenth of a second at 10,000 sites, made
    once, not on every run of the page (a merge had left its cache on ``rate_text``)."""
    from atlas.ui import sources_page

    sources_page._sites_table.clear()
    made: list[str] = []
    real = sources_page.localized_column

    def counted(*args: object, **kwargs: object) -> object:
        made.append("sites")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources_page, "localized_column", counted)
    at = run(open_page("pages/1_Sources.py", lang="ru"))
    run(at)
    assert made == ["sites"]
