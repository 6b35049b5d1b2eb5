"""Speed and size numbers for the atlas (`make bench`): printed, never asserted.

Store build time, snapshot build, summary query, map HTML size (with and without the inlined
Leaflet/jQuery), map build time, the presenting exports (PNG, PDF, PPTX, HTML: time and size),
the first render of the explorer page and of a Present step (Streamlit AppTest), a
10,000-site synthetic sites layer, and the import check (a child process within its budget).
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


def _shared_strings_workbook(count: int) -> bytes:
    """A hostile workbook: one cell referring to the last of ``count`` shared strings."""
    import io
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet '
                           'name="results" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}"><Relationship '
                                      f'Id="rId1" Type="{rels}/worksheet" Target="sheet.xml"/>'
                                      f'<Relationship Id="rId2" Type="{rels}/sharedStrings" '
                                      'Target="strings.xml"/></Relationships>',
        "xl/sheet.xml": f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="s"><v>'
                        f"{count - 1}</v></c></row></sheetData></worksheet>",
        "xl/strings.xml": f'<sst xmlns="{main}">' + "<si><t>a</t></si>" * count + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def import_check(tmp: Path) -> None:
    """Spawn cost of the budgeted child, and the check of a full and of a hostile file."""
    import io
    import threading

    import openpyxl

    from atlas import budget, importing
    from atlas.model import TABLES_BY_NAME
    from atlas.store import build_store_from_geodata

    methods: list[budget.Method] = ["fork", "forkserver"]
    for method in methods:
        costs = budget.spawn_cost(method, preload=("atlas.importing", "atlas.validate"))
        print(f"import check, child start ({method}): first {costs[0] * 1000:.0f} ms, then "
              f"median {statistics.median(costs[1:]) * 1000:.0f} ms")
    store, _ = build_store_from_geodata(tmp / "import.sqlite")
    columns = TABLES_BY_NAME["results"].column_names
    row = {"project_id": "efca-public-spaces", "indicator": "x", "label_en": "x", "value": 3,
           "unit": "projects", "qualifier": "exact", "source_ids": "efca-public-spaces-2020"}
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "results"
    ws.append(columns)
    for i in range(importing.MAX_ROWS):
        ws.append([f"r-bench-{i}" if c == "result_id" else row.get(c) for c in columns])
    full = io.BytesIO()
    book.save(full)
    shared = _shared_strings_workbook(2_000_000)
    idle = threading.Event()
    for label, threaded in (("fork", False), ("fork server", True)):
        if threaded:  # the Streamlit server has threads: its checks use the fork server
            threading.Thread(target=idle.wait, daemon=True).start()
        for name, content in (("5,000-row results.xlsx", full.getvalue()),
                              ("2,000,000 shared strings", shared)):
            started = time.perf_counter()
            report = importing.check_upload(store, "results.xlsx", content)
            seconds = time.perf_counter() - started
            outcome = report.summary() if not report.problems else report.problems[0].message
            print(f"import check ({label}), {name} ({len(content) / 1024:.0f} KB): "
                  f"{seconds:.2f} s; {outcome[:70]}")
    idle.set()


if __name__ == "__main__":
    main()
    import_check(Path(tempfile.mkdtemp()))
