"""The money-flows block of a large view (AppTest on a generated set): the band picker offers
the largest bands, names them as ``band_label`` does, and says how many it leaves out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.charts.sankey import band_label, band_labels, flow_table
from atlas.figures import format_number
from atlas.flows import SankeyData, sankey_data
from atlas.i18n import t
from atlas.query import Filters
from atlas.snapshot import Snapshot
from atlas.store import open_store
from atlas.synth import synthesize
from atlas.ui import data as ui_data
from atlas.ui import money_flows
from atlas.ui.text import md
from tests.pages.support import open_page, run


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("atlas-flows") / "atlas.sqlite"
    open_store(path).replace_all(synthesize(300, seed=3), reason="money flows test")
    return path


@pytest.mark.parametrize(("lang", "currency"), [("en", "EUR"), ("ru", "KZT"), ("kk", "USD")])
def test_labels_made_at_once_are_band_labels(app_snap: Snapshot, lang: str,
                                            currency: str) -> None:
    data = sankey_data(app_snap, Filters(), currency)
    assert len(data.bands) > 10
    assert band_labels(app_snap, data.bands, lang, currency) == \
        [band_label(app_snap, b, lang, currency) for b in data.bands]


def test_offered_bands_are_the_largest(app_snap: Snapshot) -> None:
    data = sankey_data(app_snap, Filters(), "EUR")
    assert money_flows.offered_bands(data, len(data.bands)) == list(range(len(data.bands)))
    offered = money_flows.offered_bands(data, 5)
    values = [b.figure.value or 0 for b in data.bands]
    assert [values[i] for i in offered] == sorted(values, reverse=True)[:5]


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_picker_offers_the_largest_and_says_how_many_are_left_out(
        app_snap: Snapshot, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(money_flows, "MAX_PICKS", 4)
    data = sankey_data(app_snap, Filters(), "EUR")
    at = run(open_page(lang=lang))
    picker = at.selectbox(key="sankey_pick")
    assert len(picker.options) == 4
    labels = band_labels(app_snap, data.bands, lang, "EUR")
    largest = money_flows.offered_bands(data, 4)
    assert picker.options == [labels[i] for i in largest]
    note = t("sankey_pick_capped", lang, shown=4, total=format_number(len(data.bands), lang))
    assert note in [c.value for c in at.caption]


def styles_of(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_a_phone_gets_a_table_of_the_same_flows(app_snap: Snapshot) -> None:
    at = run(open_page(lang="ru"))
    styles = [h.proto.body for h in at.get("html")]
    # Below the phone width the Sankey's container is hidden and the table's shown, above
    # it the other way round (Streamlit cannot read the viewport's width on the server).
    assert money_flows.SWITCH_CSS in styles
    css = money_flows.SWITCH_CSS
    assert f"(max-width: {money_flows.PHONE_WIDTH - 0.02}px) {{ .st-key-{money_flows.WIDE_KEY}" \
        in css
    assert f"(min-width: {money_flows.PHONE_WIDTH}px) {{ .st-key-{money_flows.NARROW_KEY}" in css
    data = sankey_data(app_snap, Filters(), "EUR")
    expected = flow_table(app_snap, data, "ru", "EUR")
    # A wrapped table, every cell whole (a grid cut its fourth column on a phone); its rows
    # stack on a phone, each cell after its column's name.
    shown = next(x for x in at.table if list(x.value.columns) == list(expected.columns))
    table = shown.value
    assert list(table[expected.columns[0]]) == [md(x) for x in expected[expected.columns[0]]]
    amount = t("sankey_col_amount", "ru", cur="EUR")
    assert list(table[amount]) == [format_number(v, "ru") for v in expected[amount]]
    assert "820\u00a0000" in set(table[amount])
    assert "" not in set(table[t("sankey_col_note", "ru")])  # a dash where nothing is noted
    styles = shown.proto.arrow_data.styler.styles
    assert "td.col2 { text-align: right !important }" in styles
    assert f".st-key-{money_flows.FLOWS_KEY} td.col3::before" in "\n".join(styles_of(at))


def test_the_flow_table_is_made_once_per_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folding and naming every band is a tenth of a second at 10,000 sites: a rerun of the
    same view (any click) reuses the table; another view or language makes its own."""
    ui_data._sankey_view.clear()
    made: list[str] = []

    def counted(snap: Snapshot, bands: SankeyData, lang: str, currency: str) -> pd.DataFrame:
        made.append(lang)
        return flow_table(snap, bands, lang, currency)

    monkeypatch.setattr(ui_data, "flow_table", counted)
    at = run(open_page(lang="ru"))
    run(at)
    assert made == ["ru"]
    run(open_page(lang="kk"))
    assert made == ["ru", "kk"]
