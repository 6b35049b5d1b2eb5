"""Speed and size numbers for the atlas (`make bench`): printed, never asserted.

Store build time, snapshot build, summary query, map HTML size (with and without the inlined
Leaflet/jQuery), map build time, the presenting exports (PNG, PDF, PPTX, HTML: time and size),
the first render of the explorer page and of a Present step (Streamlit AppTest), and a
10,000-site synthetic sites layer.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    from atlas.dataset import read_dataset
    from atlas.flows import sankey_data
    from atlas.maps.assets import asset_links, offline_map
    from atlas.maps.explorer import MapOptions, explorer_map
    from atlas.maps.sites import sites_layer
    from atlas.paths import REPO_ROOT, geodata_dir
    from atlas.query import Filters, summarize
    from atlas.snapshot import build_snapshot
    from atlas.store import build_store_from_geodata

    tmp = Path(tempfile.mkdtemp())
    builds = []
    for i in range(3):
        _, seconds = build_store_from_geodata(tmp / f"s{i}.sqlite", geodata_dir())
        builds.append(seconds)
    print(f"store build (validate + write SQLite), median of 3: {statistics.median(builds):.3f} s")

    data, _ = read_dataset(geodata_dir())
    t, snap = timed(lambda: build_snapshot(data, "bench"), 3)
    print(f"snapshot build: {t:.3f} s")
    t, _ = timed(lambda: summarize(snap, Filters()))  # type: ignore[arg-type]
    print(f"summary, all projects: {t * 1000:.1f} ms")
    t, fmap = timed(lambda: explorer_map(snap, Filters(), MapOptions()), 3)  # type: ignore[arg-type]
    html = fmap.get_root().render()  # type: ignore[attr-defined]
    js, css = asset_links()
    assets = sum(len(uri) for _, uri in (*js, *css))
    print(f"explorer map build: {t:.3f} s")
    print(f"explorer map HTML: {len(html.encode()) / 1024:.0f} KB in all, "
          f"{(len(html.encode()) - assets) / 1024:.0f} KB without the inlined Leaflet/jQuery "
          f"({assets / 1024:.0f} KB)")
    t, with_flows = timed(  # type: ignore[arg-type]
        lambda: explorer_map(snap, Filters(), MapOptions(flows=True)), 3)
    flows_html = with_flows.get_root().render()  # type: ignore[attr-defined]
    print(f"explorer map with the flows layer: built in {t:.3f} s, "
          f"+{(len(flows_html.encode()) - len(html.encode())) / 1024:.0f} KB of HTML")
    t, _ = timed(lambda: sankey_data(snap, Filters(), "KZT"))  # type: ignore[arg-type]
    print(f"Sankey bands, all projects: {t * 1000:.1f} ms")
    display = (REPO_ROOT / "geodata" / "regions_display.geojson").stat().st_size
    full = (REPO_ROOT / "geodata" / "regions_full.geojson").stat().st_size
    print(f"regions: display {display / 1024:.0f} KB, full {full / 1024:.0f} KB")

    from atlas.render import export_bytes

    eu = Filters(donors=("eu",))
    for fmt, options in (("png", MapOptions()), ("pdf", MapOptions()),
                         ("pptx", MapOptions(lang="ru", currency="KZT")),
                         ("html", MapOptions(flows=True))):
        t, payload = timed(lambda fmt=fmt, options=options: export_bytes(  # type: ignore[misc]
            snap, eu, options, fmt), 3)
        print(f"export {fmt} (EU view): {t:.2f} s, {len(payload) / 1024:.0f} KB")  # type: ignore[arg-type]
    t, payload = timed(lambda: export_bytes(snap, Filters(), MapOptions(), "pptx"), 1)
    print(f"export pptx, all 5 projects (8 slides): {t:.2f} s, "
          f"{len(payload) / 1024:.0f} KB")  # type: ignore[arg-type]

    rng = np.random.default_rng(0)
    n = 10_000
    points = gpd.GeoDataFrame(
        {"site_ids": [[f"s{i}"] for i in range(n)], "project_ids": [["p"]] * n,
         "radius": rng.uniform(5, 24, n).round(1), "fill": ["#003399"] * n,
         "fill_opacity": [0.8] * n, "dash": [None] * n, "tooltip": ["site"] * n},
        geometry=gpd.points_from_xy(rng.uniform(50, 85, n), rng.uniform(41, 54, n)),
        crs="EPSG:4326")

    def big() -> str:
        m = offline_map()
        sites_layer(points).add_to(m)
        return str(m.get_root().render())

    t, big_html = timed(big, 3)
    print(f"10,000-site canvas layer: built in {t:.2f} s, "
          f"{len(str(big_html).encode()) / 1024 / 1024:.1f} MB HTML")

    from streamlit.testing.v1 import AppTest

    os.environ["ATLAS_STORE"] = str(tmp / "app.sqlite")
    os.chdir(REPO_ROOT)
    firsts = []
    for _ in range(3):
        app = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=120)
        start = time.perf_counter()
        app.run()
        firsts.append(time.perf_counter() - start)
        assert not app.exception
    runs = ", ".join(f"{x:.2f}" for x in firsts)
    print(f"explorer page, first render (AppTest; the first run also builds the store): "
          f"median {statistics.median(firsts):.2f} s (runs: {runs})")
    steps = []
    for step in range(4):
        app = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=120)
        app.switch_page("pages/7_Present.py")
        for key, value in {"play": "1", "donor": "eu", "step": str(step)}.items():
            app.query_params[key] = value
        start = time.perf_counter()
        app.run()
        steps.append(time.perf_counter() - start)
        assert not app.exception
    print(f"Present page, one step of the EU tour (AppTest): median "
          f"{statistics.median(steps):.2f} s (steps 0-3: "
          f"{', '.join(f'{x:.2f}' for x in steps)})")


if __name__ == "__main__":
    main()
