"""The flows layer as generated text: lines, widths, anchors, legend and escaping."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from atlas.dataset import DataSet
from atlas.flows import flow_legs
from atlas.maps.assets import offline_map
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.maps.flows import MAX_WEIGHT, MIN_WEIGHT, arc, flow_features, flow_weight, flows_layer
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from tests.maps.conftest import HOSTILE, layer_data, site_layers, tooltips


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


def _argo_away_from_the_eu_entry(data: DataSet) -> Snapshot:
    """ARGO sits in Astana, where the EU enters the map, so its grants have no line; these
    tests of lines move it to Almaty."""
    orgs = data["organizations"]
    orgs.loc[orgs["org_id"] == "argo", "home_place_id"] = "almaty"
    return build_snapshot(data, "argo-in-almaty")


def test_eu_grants_to_argo_merge_into_one_line(dataset: DataSet) -> None:
    snap = _argo_away_from_the_eu_entry(dataset)
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


def test_converted_amounts_say_rate_and_year(dataset: DataSet) -> None:
    snap = _argo_away_from_the_eu_entry(dataset)
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


def test_names_cannot_run_template_code_on_the_server(dataset: DataSet) -> None:
    # branca compiles each rendered script as a Jinja template again: data that reached it
    # as "{{ ... }}" ran on the server (7*7 came out as 49).
    code = "{{ 7*7 }}{% for i in range(3) %}L{% endfor %}{# hidden #}"
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "argo", "name_en"] = f"ARGO {code}"
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = f"EU {code}"
    snap = build_snapshot(dataset, "t")
    html = explorer_map(snap, Filters(donors=("eu",)), MapOptions(flows=True)) \
        .get_root().render()
    assert any(f"ARGO {code}" in tip for tip in tooltips(html))
    [legend] = [json.loads(m.group(1)) for m in
                re.finditer(r"div\.innerHTML = (\".*\");$", html, re.M)]
    assert f"EU {code}" in legend
    assert "49" not in legend and "LLL" not in html


def test_a_route_that_is_our_reading_is_dashed_and_says_why(dataset: DataSet) -> None:
    from atlas.maps.flows import flows_legend, inferred_dash
    head = "<b>European Union → Civil Alliance of Mangystau Region</b>"

    def eu_line(data: DataSet) -> dict[str, object]:
        snap = build_snapshot(data, "t")
        features = flow_features(snap, flow_legs(snap, Filters(donors=("eu",))), "en", "EUR")
        rows = features.loc[features["tooltip"].str.startswith(head)]
        assert len(rows) == 1
        return dict(rows.iloc[0])

    line = eu_line(dataset)
    assert line["inferred"] and line["dash"] == inferred_dash(float(line["weight"]))  # type: ignore[arg-type]
    assert "<i>our reading, not stated: The source does not say who receives this money" \
        in str(line["tooltip"])
    flows = dataset["funding_flows"]
    flows.loc[flows["flow_id"] == "f-abd-eu", "route_qualifier"] = "stated"
    line = eu_line(dataset)
    assert not line["inferred"] and pd.isna(line["dash"])
    assert "our reading" not in str(line["tooltip"])
    snap = build_snapshot(dataset, "t")
    legs = flow_legs(snap, Filters())
    legend = flows_legend(snap, legs, flow_features(snap, legs, "ru", "EUR"), "ru", "EUR")
    assert "не взяты из источников" in legend.note


def test_a_wide_inferred_line_keeps_visible_gaps() -> None:
    from atlas.maps.flows import inferred_dash
    for weight in (1.0, 6.0, 14.0):
        dash, gap = (float(x) for x in inferred_dash(weight).split())
        assert gap > weight and dash > weight  # round caps add weight/2 at each end
