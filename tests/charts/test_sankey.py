"""The Sankey figure is built from the bands: nodes, values, colours and escaped text."""

from __future__ import annotations

import pytest

from atlas.charts.sankey import band_label, sankey_figure
from atlas.dataset import DataSet
from atlas.flows import sankey_data
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import HOSTILE


def test_nodes_and_values_for_the_eu(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",)), "EUR")
    fig = sankey_figure(snap, data, "en", "EUR")
    trace = fig.data[0]
    labels = list(trace.node.label)
    assert labels[0] == "EU · 1,232,570 EUR"
    assert "ARGO" in labels
    assert "Karaganda Region · 410,000 EUR" in labels
    assert sum(v for v, s in zip(trace.link.value, trace.link.source, strict=True)
               if s == 0) == pytest.approx(1_232_570)
    assert trace.node.color[0] == "#003399"  # the EU's own blue


def test_labels_follow_language_and_currency(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",)), "KZT")
    fig = sankey_figure(snap, data, "kk", "KZT")
    assert any("Қарағанды" in label and "KZT" in label for label in fig.data[0].node.label)
    assert "KZT" in fig.layout.title.text
    label = band_label(snap, data.bands[0], "ru", "KZT")
    assert label.startswith("EU → ARGO: ") and label.endswith("KZT")


def test_names_from_the_data_are_escaped(dataset: DataSet) -> None:
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", ["name_en", "acronym"]] = [HOSTILE, HOSTILE]
    snap = build_snapshot(dataset, "t")
    fig = sankey_figure(snap, sankey_data(snap, Filters(donors=("eu",)), "EUR"), "en")
    text = fig.to_json()
    assert "<script>" not in text and "<img" not in text


def test_a_large_view_folds_small_nodes_into_named_others_in_the_readers_language() -> None:
    from atlas.flows import MAX_NODES_PER_COLUMN
    from atlas.synth import synthesize

    snap = build_snapshot(synthesize(1000, seed=2), "generated-2")
    data = sankey_data(snap, Filters(), "EUR")
    vias = len([n for n in data.nodes if n.kind == "via"])
    assert vias > MAX_NODES_PER_COLUMN + 1
    fig = sankey_figure(snap, data, "ru", "EUR")
    labels = list(fig.data[0].node.label)
    assert len(labels) <= 3 * (MAX_NODES_PER_COLUMN + 1)
    assert f"Другие операторы и исполнители ({vias - MAX_NODES_PER_COLUMN})" in labels
    # A merged band names three projects and counts the rest, in Russian.
    assert max(len(text) for text in fig.data[0].link.customdata) < 2000
    assert any("…и ещё" in text for text in fig.data[0].link.customdata)


@pytest.mark.parametrize(("lang", "words"), [("en", "across Kazakhstan"),
                                             ("ru", "по всему Казахстану"),
                                             ("kk", "бүкіл Қазақстан бойынша")])
def test_money_to_nationwide_sites_flows_to_the_country_not_to_a_region(
        lang: str, words: str) -> None:
    from atlas.flows import band_filters
    from tests.pointless import NATIONAL_PROJECT, pointless_snapshot

    snap = pointless_snapshot()
    data = sankey_data(snap, Filters(projects=(NATIONAL_PROJECT,)), "EUR")
    (country,) = [n for n in data.nodes if n.kind == "region" and n.key == ""]
    labels = list(sankey_figure(snap, data, lang, "EUR").data[0].node.label)
    assert any(label.startswith(words + " · ") for label in labels), labels
    band = next(b for b in data.bands if b.target == country)
    assert band_filters(band, set(), Filters()).regions == ()


def test_a_band_whose_route_is_our_reading_is_lighter_and_says_why(dataset: DataSet) -> None:
    from atlas.charts.sankey import INFERRED_ALPHA, STATED_ALPHA

    def bands(data: DataSet) -> dict[str, tuple[str, str]]:
        snap = build_snapshot(data, "t")
        trace = sankey_figure(snap, sankey_data(snap, Filters(donors=("eu",))), "kk").data[0]
        return {text.split("<br>")[0]: (colour, text)
                for colour, text in zip(trace.link.color, trace.link.customdata, strict=True)}

    colour, text = bands(dataset)["Еуропалық Одақ → Маңғыстау облысының Азаматтық альянсы"]
    assert colour.endswith(f",{INFERRED_ALPHA})") and "<i>болжам: " in text
    flows = dataset["funding_flows"]
    flows.loc[flows["flow_id"] == "f-abd-eu", "route_qualifier"] = "stated"
    colour, text = bands(dataset)["Еуропалық Одақ → Маңғыстау облысының Азаматтық альянсы"]
    assert colour.endswith(f",{STATED_ALPHA})") and "болжам" not in text
