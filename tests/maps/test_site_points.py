"""``site_points`` (whole-column) against the row-by-row computation it replaced."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import query
from atlas.figures import format_figure, total
from atlas.i18n import localized, t
from atlas.maps import style
from atlas.maps.explorer import (
    LARGE_PRINT_SCALE,
    MapOptions,
    project_colours,
    site_points,
)
from atlas.query import (
    Filters,
    donor_ids,
    donor_ranking,
    filtered_site_shares,
    primary_donor,
)
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize


def reference_points(snap: Snapshot, shares: pd.DataFrame, options: MapOptions) -> list[dict]:  # type: ignore[type-arg]
    """The old loop: one group per (project, lon, lat), each figure summed with ``total``."""
    lang = options.lang
    sites = snap.sites.set_index("site_id")
    projects = snap.table("projects").set_index("project_id")
    colours = project_colours(snap, shares["project_id"], options.colour_by)
    rows = []
    for (pid, lon, lat), group in shares.assign(
        lon=[sites.at[s, "lon"] for s in shares["site_id"]],
        lat=[sites.at[s, "lat"] for s in shares["site_id"]],
    ).groupby(["project_id", "lon", "lat"], sort=True):
        funding = total(group["funding"])
        reach = total(group["reach"])
        site_rows = [sites.loc[s] for s in group["site_id"]]
        names = [localized(r, "name", lang) for r in site_rows]
        rows.append({
            "site_ids": list(group["site_id"]), "project_ids": [pid], "project_id": pid,
            "reach_value": reach.value, "fill": colours[pid][1],
            "name": ", ".join(names),
            "title": localized(projects.loc[pid], "title", lang),
            "funding_text": format_figure(funding, lang, options.currency),
            "reach_text": format_figure(reach, lang),
            "precision_text": t(f"precision_{site_rows[0]['precision']}", lang),
            "label": names[0] + (f" +{len(names) - 1}" if len(names) > 1 else ""),
            "lon": lon, "lat": lat,
        })
    largest = max((r["reach_value"] for r in rows if r["reach_value"] is not None),
                  default=0.0)
    enlarge = LARGE_PRINT_SCALE if options.large_print else 1.0
    for r in rows:
        known = r["reach_value"] is not None
        r["radius"] = round(enlarge * style.reach_radius(r["reach_value"] if known else None,
                                                         largest), 2)
        r["dash"] = None if known else "3 3"
        r["fill_opacity"] = 0.85 if known else 0.35
    return rows


def _records(points: pd.DataFrame) -> list[dict]:  # type: ignore[type-arg]
    """Rows as dicts, a missing reach or dash as None (a column may hold it as NaN)."""
    rows = points.to_dict("records")
    for row in rows:
        for key in ("reach_value", "dash"):
            if row[key] != row[key]:
                row[key] = None
    return rows


@pytest.fixture(scope="module")
def synthetic() -> Snapshot:
    data = synthesize(300, seed=11)
    # Two sites of one project at one place, so merged markers are compared too.
    sites = data["sites"]
    sites.loc[sites.index[-1], ["lon", "lat"]] = sites.loc[sites.index[-2], ["lon", "lat"]].values
    sites.loc[sites.index[-1], "project_id"] = sites.loc[sites.index[-2], "project_id"]
    return build_snapshot(data, "synthetic")


@pytest.mark.parametrize("options", [
    MapOptions(), MapOptions(lang="ru", currency="KZT", colour_by="sdg"),
    MapOptions(lang="kk", currency="USD", large_print=True)], ids=["en", "ru", "kk"])
def test_whole_column_points_match_the_row_by_row_loop(synthetic: Snapshot,
                                                        options: MapOptions) -> None:
    shares = filtered_site_shares(synthetic, Filters(), options.currency)
    points = site_points(synthetic, shares, options)
    expected = reference_points(synthetic, shares, options)
    assert len(points) == len(expected) > 250
    assert any(len(r["site_ids"]) > 1 for r in expected)
    for got, want in zip(_records(points), expected, strict=True):
        geometry = got.pop("geometry")
        assert (geometry.x, geometry.y) == (want.pop("lon"), want.pop("lat"))
        assert got == want
    # Every qualifier the figures can carry reached the texts.
    texts = set(points["funding_text"]) | set(points["reach_text"])
    assert any(text.startswith("≈") for text in texts) or options.lang != "en"


def test_bundled_points_match_the_row_by_row_loop(snap: Snapshot) -> None:
    for filters in (Filters(), Filters(donors=("eu",))):
        shares = filtered_site_shares(snap, filters)
        points = site_points(snap, shares, MapOptions())
        expected = reference_points(snap, shares, MapOptions())
        got = [{k: v for k, v in r.items() if k != "geometry"} for r in _records(points)]
        assert got == [{k: v for k, v in w.items() if k not in ("lon", "lat")}
                       for w in expected]


def reference_colours(snap: Snapshot, project_ids: list[str],
                      colour_by: str) -> dict[str, tuple[object, str]]:
    """The old loop: each project's rows of project_sdgs, or its primary_donor, one by one."""
    out: dict[str, tuple[object, str]] = {}
    if colour_by == "sdg":
        sdgs = snap.table("project_sdgs")
        colours = dict(zip(snap.table("sdgs")["goal"], snap.table("sdgs")["colour"],
                           strict=True))
        for pid in dict.fromkeys(project_ids):
            rows = sdgs.loc[sdgs["project_id"] == pid].sort_values("rank")
            goal = None if rows.empty else int(rows["goal"].iloc[0])
            out[pid] = (goal, colours.get(goal, style.UNCOLOURED) if goal else style.UNCOLOURED)
    else:
        donors = donor_ids(snap)
        palette = style.donor_palette(donor_ranking(snap))
        for pid in dict.fromkeys(project_ids):
            donor = primary_donor(snap, pid, set(donors))
            out[pid] = (donor, palette.get(donor, style.UNCOLOURED) if donor
                        else style.UNCOLOURED)
    return out


@pytest.mark.parametrize("colour_by", ["donor", "sdg"])
def test_project_colours_match_the_per_project_loop(synthetic: Snapshot, snap: Snapshot,
                                                    colour_by: str) -> None:
    for data in (synthetic, snap):
        project_ids = list(filtered_site_shares(data, Filters())["project_id"])
        got = project_colours(data, project_ids, colour_by)  # type: ignore[arg-type]
        assert got == reference_colours(data, project_ids, colour_by)
    assert len({key for key, _ in got.values()}) > 1


@pytest.mark.parametrize("colour_by", ["donor", "sdg"])
def test_project_colours_read_each_table_once_per_snapshot(
        colour_by: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A lookup of each project's rows in turn made 20,000 projects take minutes (sdg) or
    # seconds (donor): the colours come from one index per snapshot.
    snap = build_snapshot(synthesize(300, seed=5), "colours")
    reads: list[str] = []
    table = Snapshot.table

    def counted(self: Snapshot, name: str) -> pd.DataFrame:
        reads.append(name)
        return table(self, name)

    flow_lookups: list[str] = []
    counted_flows = query.counted_flows

    def counted_flow_lookup(snap: Snapshot, project_id: str, *args: object) -> object:
        flow_lookups.append(project_id)
        return counted_flows(snap, project_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Snapshot, "table", counted)
    monkeypatch.setattr(query, "counted_flows", counted_flow_lookup)
    project_ids = list(snap.tables["projects"]["project_id"])
    assert len(project_ids) > 50
    project_colours(snap, project_ids, colour_by)  # type: ignore[arg-type]
    project_colours(snap, project_ids, colour_by)  # type: ignore[arg-type]
    assert max(reads.count(name) for name in set(reads)) <= 4, sorted(reads)
    assert len(flow_lookups) <= 1
