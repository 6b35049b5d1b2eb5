"""The flows layer of a large view: site legs grouped by donor, start and region, bounded
tooltips, and the same output as before on a small view (atlas.maps.flows)."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections import defaultdict

import numpy as np
import pytest

from atlas.figures import Figure, total
from atlas.flows import FlowMap, flow_legs
from atlas.i18n import localized, t
from atlas.maps import flows as flows_module
from atlas.maps.assets import offline_map
from atlas.maps.flows import (
    GROUPED_ARC_STEPS,
    MAX_FLOW_LINES,
    TOOLTIP_ITEMS,
    _drawn_lines,
    _merge,
    _Names,
    arc,
    flow_features,
    flows_layer,
    flows_legend,
)
from atlas.query import Filters
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.maps.conftest import layer_data


@pytest.fixture(scope="module", params=[1, 7])
def generated(request: pytest.FixtureRequest) -> Snapshot:
    return build_snapshot(synthesize(1000, seed=request.param), f"generated-{request.param}")


def _reference_arc(start: tuple[float, float], end: tuple[float, float], bend: float,
                   steps: int = 24) -> list[tuple[float, float]]:
    """The arc as it was computed point by point before it was vectorised."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + dy * bend, my - dx * bend
    points = []
    for i in range(steps + 1):
        u = i / steps
        a, b, c = (1 - u) ** 2, 2 * (1 - u) * u, u**2
        points.append((round(a * x0 + b * cx + c * x1, 5), round(a * y0 + b * cy + c * y1, 5)))
    return points


def test_vectorised_arcs_equal_the_point_by_point_ones() -> None:
    rng = random.Random(5)
    for _ in range(500):
        start = (rng.uniform(40, 90), rng.uniform(38, 57))
        end = (rng.uniform(40, 90), rng.uniform(38, 57))
        bend = rng.choice([0.12, 0.18])
        assert list(arc(start, end, bend).coords) == _reference_arc(start, end, bend)


def test_names_equal_the_row_by_row_lookup(generated: Snapshot) -> None:
    for lang in ("en", "ru", "kk"):
        names = _Names(generated, lang)
        sites = generated.sites.set_index("site_id")
        for s in sites.index[:400]:
            assert names.site(s) == localized(sites.loc[s], "name", lang)
        projects = generated.table("projects").set_index("project_id")
        for p in projects.index:
            assert names.project(p) == localized(projects.loc[p], "title", lang)
        places = generated.table("places").set_index("place_id")
        for p in places.index:
            assert names.place(p) == localized(places.loc[p], "name", lang)
        counts = generated.sites.groupby("project_id").size().to_dict()
        assert all(names.site_count(p) == n for p, n in counts.items())


def test_small_views_keep_one_line_per_merged_leg(snap: Snapshot) -> None:
    flow_map = flow_legs(snap, Filters())
    lines, grouped = _drawn_lines(snap, flow_map)
    assert not grouped and len(lines) == len(_merge(flow_map.legs)) <= MAX_FLOW_LINES
    features = flow_features(snap, flow_map, "en")
    assert not features["grouped"].any()
    legend = flows_legend(snap, flow_map, features, "en", "EUR")
    assert "grouped" not in legend.note


def _site_regions(snap: Snapshot) -> dict[str, str]:
    return dict(zip(snap.sites["site_id"], snap.sites["region_code"], strict=True))


@pytest.mark.parametrize("currency", ["EUR", "KZT"])
def test_grouped_site_lines_carry_the_honest_total_of_their_legs(
        generated: Snapshot, currency: str) -> None:
    flow_map = flow_legs(generated, Filters(), currency)
    assert len(_merge(flow_map.legs)) > MAX_FLOW_LINES  # else this tests nothing
    lines, grouped = _drawn_lines(generated, flow_map)
    assert grouped
    region = _site_regions(generated)
    # Brute force: every site leg, by donor, start anchor and region of its site.
    expected: dict[tuple[object, ...], list[Figure]] = defaultdict(list)
    sites: dict[tuple[object, ...], set[str]] = defaultdict(set)
    for leg in flow_map.legs:
        if leg.kind == "site":
            key = (leg.donor_id, leg.start, region[leg.to_id])
            expected[key].append(leg.figure)
            sites[key].add(leg.to_id)
    got = {(ln.donor_id, ln.start, ln.region): ln for ln in lines if ln.kind == "site"}
    assert set(got) == set(expected)
    qualifiers = set()
    for key, figures in expected.items():
        want, line = total(figures), got[key]
        assert line.figure == want
        assert line.sites == len(sites[key])
        qualifiers.add(want.qualifier.value)
        points = np.array(sorted({leg.end for leg in line.legs}))
        assert line.end == pytest.approx(tuple(points.mean(axis=0)), abs=1e-5)
    assert len(qualifiers) > 1  # exact, approximate, at least...: each kept
    # Per donor and region, the grouped lines hold all the money of the legs.
    by_donor_region: dict[tuple[object, str], list[Figure]] = defaultdict(list)
    for leg in flow_map.legs:
        if leg.kind == "site":
            by_donor_region[(leg.donor_id, region[leg.to_id])].append(leg.figure)
    drawn: dict[tuple[object, str], list[Figure]] = defaultdict(list)
    for ln in lines:
        if ln.kind == "site":
            drawn[(ln.donor_id, str(ln.region))].append(ln.figure)
    for key, figures in by_donor_region.items():
        want, have = total(figures), total(drawn[key])
        assert have.qualifier == want.qualifier and have.derived == want.derived
        assert have.value == pytest.approx(want.value)
    # Funding and partner legs are merged as on a small view.
    assert sorted(len(ln.legs) for ln in lines if ln.kind != "site") == sorted(
        len(ln.legs) for ln in _merge(leg for leg in flow_map.legs if leg.kind != "site"))
    features = flow_features(generated, flow_map, "en", currency)
    money = features.loc[features["kind"] == "site", "amount"].dropna()
    assert sorted(money) == pytest.approx(sorted(
        ln.figure.value for ln in lines if ln.kind == "site" and ln.figure.value is not None))


def _rows(tooltip: str) -> list[str]:
    return tooltip.split("<br>")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_grouped_tooltips_are_bounded_and_count_the_rest(generated: Snapshot, lang: str) -> None:
    flow_map = flow_legs(generated, Filters())
    lines, _ = _drawn_lines(generated, flow_map)
    features = flow_features(generated, flow_map, lang)
    assert features["grouped"].all()
    longest = max(len(ln.legs) for ln in lines)
    assert longest > TOOLTIP_ITEMS + 1
    for tip in features["tooltip"]:
        assert len(_rows(tip)) <= TOOLTIP_ITEMS + 5, tip
    more = re.escape(t("list_more", lang, n=999)).replace("999", r"(\d+)")
    counted = [int(m.group(1)) for tip in features["tooltip"] for m in re.finditer(more, tip)]
    assert counted and max(counted) >= 1
    site = features.loc[features["kind"] == "site"].iloc[0]
    head = re.sub(r"<[^>]+>", "", _rows(site["tooltip"])[0])
    assert "→" in head and head != site["tooltip"]
    # Every site line says which projects it stands for, or how many more there are.
    site_lines = [ln for ln in lines if ln.kind == "site"]
    want = sorted(max(len({leg.project_id for leg in ln.legs}) - TOOLTIP_ITEMS, 0)
                  for ln in site_lines)
    got = []
    for tip in features.loc[features["kind"] == "site", "tooltip"]:
        found = re.search(more, tip)
        got.append(int(found.group(1)) if found else 0)
    assert sorted(got) == want


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_legend_states_the_grouping_rule(generated: Snapshot, lang: str) -> None:
    flow_map = flow_legs(generated, Filters())
    features = flow_features(generated, flow_map, lang)
    legend = flows_legend(generated, flow_map, features, lang, "EUR")
    rule = t("flow_grouped_rule", lang, limit=MAX_FLOW_LINES, n=TOOLTIP_ITEMS)
    assert rule in legend.note
    assert all(len(s.label) < 600 for s in legend.swatches)


def test_threshold_decides_between_merged_and_grouped(
        snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    flow_map = flow_legs(snap, Filters())
    merged = len(_merge(flow_map.legs))
    monkeypatch.setattr(flows_module, "MAX_FLOW_LINES", merged)
    assert _drawn_lines(snap, flow_map)[1] is False
    monkeypatch.setattr(flows_module, "MAX_FLOW_LINES", merged - 1)
    lines, grouped = _drawn_lines(snap, flow_map)
    assert grouped and len(lines) < merged
    # The bundled EU money still reaches its regions whole when grouped.
    eu = [ln for ln in lines if ln.kind == "site" and ln.donor_id == "eu"]
    assert total(ln.figure for ln in eu).value == pytest.approx(total(
        leg.figure for leg in flow_map.legs if leg.kind == "site" and leg.donor_id == "eu"
    ).value)


def test_grouped_layer_sends_line_ends_and_stays_small(generated: Snapshot) -> None:
    flow_map = flow_legs(generated, Filters())
    features = flow_features(generated, flow_map, "en")
    fmap = offline_map()
    flows_layer(features).add_to(fmap)
    html = fmap.get_root().render()
    [data] = layer_data(html)
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(lines) == (~features["kind"].str.startswith("anchor")).sum()
    assert all(len(f["geometry"]["coordinates"]) == 2 and f["properties"]["bend"]
               for f in lines)
    # Before grouping, one feature was a 25-point arc with every project in its tooltip.
    assert len(json.dumps(data)) / len(data["features"]) < 700


def test_browser_curve_is_the_arc_of_the_printed_map(generated: Snapshot) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    flow_map = flow_legs(generated, Filters())
    features = flow_features(generated, flow_map, "en")
    fmap = offline_map()
    layer = flows_layer(features)
    layer.add_to(fmap)
    html = fmap.get_root().render()
    script = html[html.index(f"var {layer.get_name()} = L.geoJSON("):]
    script = script[:script.index(".addTo(")]
    # The layer's own filter function, run on its own data by a stand-in for Leaflet.
    program = ("var out; var L = {geoJSON: function (data, options) {"
               "data.features.forEach(function (f) { options.filter(f); }); out = data; "
               "return {}; }}; " + script.replace(f"var {layer.get_name()} = ", "") +
               "; process.stdout.write(JSON.stringify(out));")
    result = subprocess.run([node], input=program, capture_output=True, text=True,
                            check=True, timeout=60)
    drawn = json.loads(result.stdout)["features"]
    lines = features.loc[~features["kind"].str.startswith("anchor")]
    for feature, geometry in zip(drawn, lines.geometry, strict=False):
        got = np.array(feature["geometry"]["coordinates"])
        assert got.shape == (GROUPED_ARC_STEPS + 1, 2)
        assert np.allclose(got, np.array(geometry.coords), atol=1e-5)


def test_empty_flow_map_draws_nothing(snap: Snapshot) -> None:
    features = flow_features(snap, FlowMap(), "en")
    assert features.empty


def test_donors_past_the_palette_share_one_named_grey_line() -> None:
    from atlas.maps.style import QUALITATIVE, UNCOLOURED
    from atlas.query import donor_ranking

    snap = build_snapshot(synthesize(3000, seed=1), "generated-many-donors")
    assert len(donor_ranking(snap)) > len(QUALITATIVE)
    flow_map = flow_legs(snap, Filters())
    features = flow_features(snap, flow_map, "ru")
    legend = flows_legend(snap, flow_map, features, "ru", "EUR")
    lines = [s for s in legend.swatches if s.shape == "line" and s.size == 4]
    coloured = [s for s in lines if s.colour != UNCOLOURED]
    assert len({s.colour for s in coloured}) == len(coloured) <= len(QUALITATIVE)
    [grey] = [s for s in lines if s.colour == UNCOLOURED]
    assert grey.label.startswith("Другие доноры (")
