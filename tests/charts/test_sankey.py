"""The Sankey figure is built from the bands: nodes, values, colours and escaped text."""

from __future__ import annotations

import re

import pytest

from atlas.charts.sankey import (
    LINE_LENGTH,
    band_label,
    escape,
    inferred_band_notes,
    label_lines,
    node_names,
    sankey_figure,
    sankey_rows,
)
from atlas.dataset import DataSet
from atlas.flows import fold_sankey, sankey_data
from atlas.i18n import t
from atlas.model import Qualifier
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import HOSTILE


def _lines(label: str) -> list[str]:
    """A node label's lines (plotly breaks them with <br>)."""
    return label.split("<br>")


def unwrapped(hover: str) -> str:
    """A hover text as one run of words: its lines joined, bold and italic tags left out."""
    return re.sub(r"</?[bi]>", "", hover).replace("<br>", " ")


def test_nodes_and_values_for_the_eu(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",)), "EUR")
    fig = sankey_figure(snap, data, "en", "EUR")
    trace = fig.data[0]
    labels = [_lines(label) for label in trace.node.label]
    # Names, not acronyms (EU, ARGO); the amount on a line of its own.
    assert labels[0] == ["European Union", "1,232,570 EUR"]
    assert ["Civil Society Development", 'Association "ARGO"'] in labels
    assert ["Karaganda Region", "410,000 EUR"] in labels
    assert sum(v for v, s in zip(trace.link.value, trace.link.source, strict=True)
               if s == 0) == pytest.approx(1_232_570)
    assert trace.node.color[0] == "#003399"  # the EU's own blue


def test_labels_follow_language_and_currency(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(donors=("eu",)), "KZT")
    fig = sankey_figure(snap, data, "kk", "KZT")
    assert any("Қарағанды" in label and "KZT" in label for label in fig.data[0].node.label)
    assert "KZT" in fig.layout.title.text
    label = band_label(snap, data.bands[0], "ru", "KZT")
    assert label.startswith("Европейский Союз → Ассоциация развития гражданского общества "
                            "«АРГО»: ") and label.endswith("KZT")


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
    labels = [" ".join(_lines(label)) for label in fig.data[0].node.label]
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
    assert any(_lines(label)[0] == words for label in labels), labels
    band = next(b for b in data.bands if b.target == country)
    assert band_filters(band, set(), Filters()).regions == ()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_nodes_are_named_in_words_never_by_acronym(snap: Snapshot, lang: str) -> None:
    data = sankey_data(snap, Filters(), "EUR")
    trace = sankey_figure(snap, data, lang, "EUR").data[0]
    names = snap.organization_names(lang)
    full = node_names(snap, data.nodes, lang)
    for node, label, hover in zip(data.nodes, trace.node.label, trace.node.customdata,
                                  strict=True):
        # The label is the start of the node's name in the viewer's language (an acronym
        # such as "EU" or "MISD" never is), with the amount on a line of its own.
        lines = _lines(label)[:-1] if node.kind != "via" else _lines(label)
        shown = " ".join(lines).removesuffix(" …")
        assert escape(full[node.id]).startswith(shown) and len(shown) > 5, label
        if node.kind != "region":
            # The tooltip names the organization in full, however its label was cut.
            assert unwrapped(hover).startswith(escape(names[node.key]) + " "), hover
    assert any("…" in label for label in trace.node.label)


def test_a_long_name_is_cut_between_words() -> None:
    name = "Ministry of Information and Social Development of the Republic of Kazakhstan"
    lines = label_lines(name)
    assert lines == ["Ministry of Information", "and Social Development …"]
    assert all(len(line) <= LINE_LENGTH for line in lines)
    assert label_lines("European Union") == ["European Union"]
    assert label_lines("Abcdefghijklmnopqrstuvwxyzabcdefgh", 10, 1) == ["Abcdefgh …"]


def test_hover_says_which_figures_are_derived(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(), "EUR")
    for lang in ("en", "ru", "kk"):
        texts = [unwrapped(text) for text in
                 sankey_figure(snap, data, lang, "EUR").data[0].link.customdata]
        for band, text in zip(fold_sankey(data).data.bands, texts, strict=True):
            split = band.target.kind == "region" and band.figure.derived
            assert (escape(t("sankey_basis_split", lang)) in text) == split, text
            bound = band.figure.qualifier is Qualifier.AT_LEAST and band.figure.derived
            assert (escape(t("sankey_basis_at_least", lang)) in text) == bound, text
            other = band.figure.derived and not split and not bound
            assert (escape(t("sankey_basis_calculated", lang)) in text) == other, text
    assert any(b.figure.derived for b in data.bands)


def test_the_table_holds_the_same_flows_as_the_diagram(snap: Snapshot) -> None:
    data = sankey_data(snap, Filters(), "EUR")
    trace = sankey_figure(snap, data, "kk", "EUR").data[0]
    nodes = fold_sankey(data).data.nodes
    names = node_names(snap, nodes, "kk")
    drawn = sorted((names[nodes[s].id], names[nodes[d].id], round(v, 2)) for s, d, v in zip(
        trace.link.source, trace.link.target, trace.link.value, strict=True))
    rows = sankey_rows(snap, data, "kk")
    assert sorted((r.source, r.target, round(r.value, 2)) for r in rows) == drawn
    assert [r.value for r in rows] == sorted((r.value for r in rows), reverse=True)


def test_a_band_whose_route_is_our_reading_is_lighter_and_says_why(dataset: DataSet) -> None:
    from atlas.charts.sankey import INFERRED_ALPHA, STATED_ALPHA

    def band(data: DataSet, name: str) -> tuple[str, str]:
        snap = build_snapshot(data, "t")
        trace = sankey_figure(snap, sankey_data(snap, Filters(donors=("eu",))), "kk").data[0]
        return next((colour, unwrapped(text)) for colour, text in zip(
            trace.link.color, trace.link.customdata, strict=True)
            if unwrapped(text).startswith(name + " "))

    name = "Еуропалық Одақ → Маңғыстау облысының Азаматтық альянсы"
    colour, text = band(dataset, name)
    reading = "біздің түсінігіміз, дереккөзде көрсетілмеген"
    assert colour.endswith(f",{INFERRED_ALPHA})") and f"{reading}: " in text
    flows = dataset["funding_flows"]
    flows.loc[flows["flow_id"] == "f-abd-eu", "route_qualifier"] = "stated"
    colour, text = band(dataset, name)
    assert colour.endswith(f",{STATED_ALPHA})") and reading not in text


# The words of each language for a route that is our reading, as the card says them.
OUR_READING = {"en": "our reading, not stated",
               "ru": "наше прочтение, в источнике не указано",
               "kk": "біздің түсінігіміз, дереккөзде көрсетілмеген"}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_derived_lower_bound_and_a_route_of_our_reading_have_different_words(
        snap: Snapshot, lang: str) -> None:
    # The ministry's band to CISC is both: its amount is at least what CISC passes on, and
    # that the ministry pays CISC is our reading.
    data = sankey_data(snap, Filters(), "EUR")
    bands = fold_sankey(data).data.bands
    routes = inferred_band_notes(snap, bands, lang)
    texts = [unwrapped(text) for text in
             sankey_figure(snap, data, lang, "EUR").data[0].link.customdata]
    derived = t("sankey_basis_at_least", lang)
    derived_word = derived.split(":")[0]  # "Derived", "Расчёт", "Есептелген"
    assert OUR_READING[lang] not in derived and derived_word not in OUR_READING[lang]
    seen = set()
    for band, route, text in zip(bands, routes, texts, strict=True):
        bound = band.figure.qualifier is Qualifier.AT_LEAST and band.figure.derived
        ours = bool(route)
        assert (escape(derived) in text) == bound, text
        assert (f"{escape(OUR_READING[lang])}: " in text) == ours, text
        seen.add((bound, ours))
    # Every kind is in the bundled data: derived only, our reading only, both.
    assert {(True, True), (False, True), (False, False)} <= seen, seen
    # The phone's table says the same in short.
    rows = {(r.source, r.target): r.note for r in sankey_rows(snap, data, lang)}
    names = node_names(snap, fold_sankey(data).data.nodes, lang)
    ministry = next(b for b in bands if b.source.key == "misd" and b.target.key == "cisc")
    note = rows[names[ministry.source.id], names[ministry.target.id]]
    assert note == f"{t('sankey_note_at_least', lang)}; {t('sankey_note_our_reading', lang)}"


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_our_reading_is_said_in_the_same_words_on_the_card_the_map_and_the_sankey(
        lang: str) -> None:
    words = OUR_READING[lang]
    assert t("role_inferred", lang, role="R") == f"R ({words})"  # the card's partner line
    assert t("inferred_because", lang, basis="B") == f"{words}: B"  # card, map, Sankey hover
    assert words in t("legend_flow_inferred", lang)  # the flows layer's legend
    assert words in t("sankey_inferred_band", lang)  # the Sankey's subtitle
    # The arithmetic kind never borrows the word of a reading.
    for key in ("sankey_basis_at_least", "sankey_basis_split", "sankey_basis_calculated",
                "sankey_note_at_least", "sankey_note_split", "sankey_note_calculated"):
        assert words.split(",")[0] not in t(key, lang), key


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_hover_lines_are_short_enough_to_stay_inside_the_plot(snap: Snapshot, lang: str) -> None:
    """Plotly never wraps a tooltip: each line is broken between words here, nothing lost."""
    from atlas.charts.sankey import HOVER_LINE_LENGTH, hover_lines

    trace = sankey_figure(snap, sankey_data(snap, Filters(), "EUR"), lang, "EUR").data[0]
    for text in [*trace.node.customdata, *trace.link.customdata]:
        for line in re.sub(r"</?[bi]>", "", text).split("<br>"):
            assert len(line) <= HOVER_LINE_LENGTH or " " not in line, line
    words = "Ministry of Information and Social Development of the Republic of Kazakhstan"
    assert hover_lines(words, "i") == ("<i>Ministry of Information and Social</i><br>"
                                       "<i>Development of the Republic of Kazakhstan</i>")
    assert hover_lines("a" * 60) == "a" * 60  # a word longer than a line stays whole
