"""The flows layer as generated text: lines, widths, anchors, legend and escaping."""

from __future__ import annotations

import pytest

from atlas.dataset import DataSet
from atlas.flows import flow_legs
from atlas.maps.assets import offline_map
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.maps.flows import MAX_WEIGHT, MIN_WEIGHT, arc, flow_features, flow_weight, flows_layer
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import HOSTILE, layer_data, site_layers


def test_width_is_proportional_to_the_amount() -> None:
    assert flow_weight(None, 100) == MIN_WEIGHT
    assert flow_weight(100, 100) == MAX_WEIGHT
    half = flow_weight(50, 100)
    assert half - MIN_WEIGHT == pytest.approx((MAX_WEIGHT - MIN_WEIGHT) / 2)


def test_arc_runs_from_start_to_end_and_bends() -> None:
    line = arc((50.0, 45.0), (70.0, 45.0))
    coords = list(line.coords)
    assert coords[0] == (50.0, 45.0) and coords[-1] == (70.0, 45.0)
    # Eastward: bends to the right of travel, i.e. south.
    assert min(y for _, y in coords) < 45.0 and max(y for _, y in coords) == 45.0


def test_eu_grants_to_argo_merge_into_one_line(snap: Snapshot) -> None:
    features = flow_features(snap, flow_legs(snap, Filters(donors=("eu",))), "en", "EUR")
    funding = features.loc[features["kind"] == "funding"]
    assert len(funding) == 2  # EU -> ARGO (two grants, one line), EU -> Civil Alliance
    widest = funding.iloc[0]
    assert widest["weight"] == MAX_WEIGHT
    assert "Total: <b>820,000 EUR</b>" in widest["tooltip"]
    assert "GLocal: 400,000 EUR" in widest["tooltip"]
    assert "enters the map at Astana" in widest["tooltip"]
    anchors = features.loc[features["kind"].str.startswith("anchor")]
    assert "anchor_entry" in set(anchors["kind"])


def test_converted_amounts_say_rate_and_year(snap: Snapshot) -> None:
    features = flow_features(snap, flow_legs(snap, Filters(donors=("eu",)), "KZT"), "ru", "KZT")
    tips = " ".join(features["tooltip"])
    assert "400\u00a0000 EUR (2024) →" in tips and "1 EUR = " in tips


def test_layer_sits_between_regions_and_sites(snap: Snapshot) -> None:
    html = explorer_map(snap, Filters(donors=("eu",)), MapOptions(flows=True)) \
        .get_root().render()
    layers = [{f["properties"].get("layer") for f in fc["features"]}
              for fc in layer_data(html)]
    assert layers == [{"region"}, {"flow"}]
    # The sites layer (compact arrays, not GeoJSON) comes last, so it is drawn on top.
    assert len(site_layers(html)) == 1
    assert html.rindex("L.geoJSON(") < html.index("L.featureGroup()")
    assert "Money flows" in html and "enters the map at Astana" in html
    without = explorer_map(snap, Filters(donors=("eu",)), MapOptions()).get_root().render()
    assert "Money flows" not in without and {"flow"} not in [
        {f["properties"].get("layer") for f in fc["features"]} for fc in layer_data(without)]


def test_tooltips_cannot_break_out(dataset: DataSet) -> None:
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "argo", "name_en"] = HOSTILE
    snap = build_snapshot(dataset, "t")
    fmap = offline_map()
    flows_layer(flow_features(snap, flow_legs(snap, Filters()), "en")).add_to(fmap)
    html = fmap.get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_flows_refuse_projected_crs(snap: Snapshot) -> None:
    features = flow_features(snap, flow_legs(snap, Filters()), "en")
    with pytest.raises(ValueError):
        flows_layer(features.to_crs(3857))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_flow_names_are_whole_columns_made_once_per_snapshot(lang: str) -> None:
    # _Names looked every site, place and project up row by row on every map with flows:
    # seconds at 100,000 sites, twice per map.
    from atlas.i18n import localized
    from atlas.maps.flows import _Names
    from atlas.synth import synthesize

    data = synthesize(300, seed=7)
    sites = data["sites"]
    sites[f"name_{lang}"] = sites[f"name_{lang}"].astype(object)
    sites.loc[sites.index[:5], f"name_{lang}"] = ""  # falls back to English
    snap = build_snapshot(data, "names")
    names = _Names(snap, lang)
    for table, key, field, got in (("sites", "site_id", "name", names.sites),
                                   ("places", "place_id", "name", names.places),
                                   ("projects", "project_id", "title", names.projects)):
        rows = snap.sites if table == "sites" else snap.table(table)
        assert got == {r[key]: localized(r, field, lang) for r in rows.to_dict("records")}
    again = _Names(snap, lang)
    assert again.sites is names.sites and again.projects is names.projects
