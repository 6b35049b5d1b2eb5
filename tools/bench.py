"""Speed and size of the atlas at scale (`make bench`, `make bench-quick`): printed, never asserted.

For each size (the bundled set, then generated sets of 1,000, 10,000 and 100,000 sites made by
``atlas synth``) it measures the path a user waits on:

- server: build-store (validate + write), store load + snapshot, ``summarize`` and the map build
  for the whole view and after a filter change (a donor, then an SDG), the map's HTML payload,
  the PNG and PPTX exports, and the first render of every page in Streamlit's AppTest (in a
  fresh process: the first page pays for loading the store), plus a filter change on the map page;
- browser (not with ``--quick``): the app served as ``make run`` serves it, opened in headless
  Chromium: page open to map drawn, page open to the script's end, bytes over the websocket, and
  the server's peak memory;
- the baseline: the naive map most Streamlit apps draw (one ``folium.Marker`` per site, its
  tooltip included), built in Python and opened from disk in the same Chromium; every time is also
  printed as a ratio against the baseline's open-to-drawn time, and the payload against its HTML.

Generated sets are kept in ``.atlas/bench/`` (git-ignored), made again when the generator changes.
The import check (a child process within its time and memory budget) is measured once at the end,
and so are the store's operations on SQLite and on PostgreSQL side by side at 10,000 sites
(build, load, a save, an import, a backup and a restore; PostgreSQL on a throwaway server,
skipped without its binaries).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / ".atlas" / "bench"
SIZES = (1_000, 10_000, 100_000)
BUNDLED = 0  # size key of the bundled data set
BROWSER_TIMEOUT = 300.0  # seconds a page may take before the bench gives up on it


@dataclass
class Figures:
    """What one size measured: name -> seconds (or bytes for names ending in "bytes")."""

    size: int
    values: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def put(self, name: str, value: float | None) -> None:
        self.values[name] = value
        shown = "gave up" if value is None else (
            f"{value / 1024:,.0f} KB" if name.endswith("bytes") else f"{value:.3f} s")
        print(f"  {name}: {shown}", flush=True)


T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def dataset_for(size: int) -> Path:
    """The data folder of a size: geodata/ for the bundled set, else a generated set (cached)."""
    if size == BUNDLED:
        return ROOT / "geodata"
    from atlas.synth import write_synthetic

    # A generated set holds the bundled data in the model's columns: any change to these makes
    # a new set (a cached one of older columns would not even load).
    inputs = [ROOT / "atlas" / "synth.py", ROOT / "atlas" / "model.py",
              *sorted((ROOT / "geodata").glob("*.csv"))]
    code = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:10]
    folder = BENCH_DIR / f"syn-{size}-{code}"
    if not (folder / "README.md").exists():
        for old in BENCH_DIR.glob(f"syn-{size}-*"):
            shutil.rmtree(old, ignore_errors=True)
        start = time.perf_counter()
        write_synthetic(size, folder)
        print(f"  generated {folder.name} in {time.perf_counter() - start:.1f} s", flush=True)
    return folder


@contextmanager
def geodata(folder: Path) -> Iterator[None]:
    """Point the atlas at ``folder`` (boundaries and data) for the duration."""
    old = os.environ.get("ATLAS_GEODATA")
    os.environ["ATLAS_GEODATA"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("ATLAS_GEODATA", None)
        else:
            os.environ["ATLAS_GEODATA"] = old


def busiest(snap: Any) -> tuple[str, int]:
    """The donor and the SDG with the most projects: a realistic first filter change."""
    from atlas.query import FUNDING_ROLES, donor_ids

    parts = snap.table("participants")
    funders = parts.loc[parts["role"].isin(FUNDING_ROLES) & parts["org_id"].isin(donor_ids(snap))]
    donor = funders["org_id"].value_counts().index[0]
    goal = snap.table("project_sdgs")["goal"].value_counts().index[0]
    return str(donor), int(goal)


def server_side(size: int, folder: Path, store: Path, figures: Figures,
                quick: bool) -> tuple[str, int]:
    """Store, queries, map and exports, in this process; returns the filter change it used."""
    from atlas.cli import load_snapshot
    from atlas.maps.explorer import MapOptions, explorer_map
    from atlas.query import Filters, summarize
    from atlas.render import export_bytes
    from atlas.store import build_store_from_geodata

    repeat = 1 if quick or size >= 100_000 else 3
    builds = []
    for i in range(repeat):
        target = store if i == repeat - 1 else store.with_suffix(f".{i}.sqlite")
        _, seconds = build_store_from_geodata(target, folder)
        builds.append(seconds)
    figures.put("build-store", statistics.median(builds))
    opened, snap = timed(lambda: load_snapshot(store), repeat)
    figures.put("store load + snapshot", opened)
    donor, goal = busiest(snap)
    views = {"all": Filters(), "donor": Filters(donors=(donor,)),
             "donor+sdg": Filters(donors=(donor,), sdgs=(goal,))}
    for name, filters in views.items():
        seconds, _ = timed(lambda f=filters: summarize(snap, f), repeat)  # type: ignore[misc]
        figures.put(f"summarize, {name}", seconds)
    for name, filters in views.items():
        seconds, fmap = timed(lambda f=filters: explorer_map(  # type: ignore[misc]
            snap, f, MapOptions()).get_root().render(), repeat)
        figures.put(f"map build, {name}", seconds)
        if name == "all":
            figures.put("map payload bytes", len(str(fmap).encode()))
    for fmt in ("png", "pptx"):
        seconds, payload = timed(lambda fmt=fmt: export_bytes(  # type: ignore[misc]
            snap, Filters(), MapOptions(), fmt), 1)
        figures.put(f"export {fmt}", seconds)
        figures.put(f"export {fmt} file bytes", len(payload))
    figures.notes.append(f"filter change: donor {donor}, SDG {goal}")
    return donor, goal


def app_pages(store: Path, folder: Path, figures: Figures, donor: str, goal: int) -> None:
    """First render of every page in a fresh process (AppTest), and a filter change."""
    env = {**os.environ, "ATLAS_STORE": str(store), "ATLAS_GEODATA": str(folder)}
    out = subprocess.run([sys.executable, __file__, "--apptest", donor, str(goal)], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if out.returncode:
        print(out.stderr[-3000:])
        figures.notes.append("AppTest run failed")
        return
    for name, seconds in json.loads(out.stdout.strip().splitlines()[-1]).items():
        figures.put(name, seconds)


def apptest_child(donor: str, goal: int) -> None:
    """(Child process) render each page once and print the seconds as one JSON line."""
    from streamlit.testing.v1 import AppTest

    results: dict[str, float] = {}
    pages = ["streamlit_app.py", *sorted(str(p.relative_to(ROOT))
                                         for p in (ROOT / "pages").glob("*.py"))]

    def run(page: str) -> tuple[float, Any]:
        app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=900)
        if page != "streamlit_app.py":
            app.switch_page(page)
        start = time.perf_counter()
        app.run()
        seconds = time.perf_counter() - start
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].message}")
        return seconds, app

    results["page Map, cold (loads the store)"], _ = run("streamlit_app.py")
    for page in pages:
        label = Path(page).stem.split("_", 1)[-1] if page != "streamlit_app.py" else "Map"
        results[f"page {label}, first render"], app = run(page)
    _, app = run("streamlit_app.py")
    for name, key, value in (("donor", "f_donor", [donor]), ("sdg", "f_sdg", [goal])):
        app.multiselect(key=key).set_value(value)
        start = time.perf_counter()
        app.run()
        results[f"page Map, filter change ({name})"] = time.perf_counter() - start
    print(json.dumps(results))


# --- the browser ---------------------------------------------------------------------------

SITES_DRAWN_JS = """
() => {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const win = frame && frame.contentWindow;
  const map = win && win.map;
  if (!map || !map._loaded || map._animatingZoom) return null;
  if (win.atlasSitesDrawn !== undefined) return win.atlasSitesDrawn ? 'drawn' : null;
  let regions = 0, sites = 0;
  map.eachLayer(l => {
    if (l.feature && l.feature.properties.layer === 'region') regions++;
    if (l instanceof win.L.CircleMarker && l._point) sites++;
  });
  return regions >= 20 && sites > 0 ? 'drawn' : null;
}
"""
SCRIPT_DONE_JS = """
() => document.querySelector('[data-testid="stApp"]') &&
      !document.querySelector('[data-testid="stStatusWidget"]') &&
      document.querySelectorAll('[data-testid="stMetric"]').length >= 4
"""


def _poll(page: Any, script: str, timeout: float) -> float | None:
    """Seconds until ``script`` returns something truthy in the page, or None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if page.evaluate(script):
                return time.perf_counter() - start
        except Exception:  # a frame navigating mid-check: try again
            pass
        page.wait_for_timeout(50)
    return None


@contextmanager
def served(store: Path, folder: Path) -> Iterator[tuple[str, int]]:
    """The app as ``make run`` serves it, on a free port; yields its URL and process id."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ATLAS_STORE": str(store), "ATLAS_GEODATA": str(folder)}
    log = open(store.with_suffix(".log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "atlas.ui.serve", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def peak_memory(pid: int) -> float | None:
    """A process's peak resident memory in bytes (VmHWM), or None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class _Counter:
    """Bytes of the websocket frames a page received."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, data: str | bytes) -> None:
        self.total += len(data if isinstance(data, bytes) else data.encode())


def browser_side(store: Path, folder: Path, browser: Any, figures: Figures) -> None:
    """Open the served app twice (the first also loads the store) and time what the user sees."""
    with served(store, folder) as (url, pid):
        for label in ("cold", "warm"):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            received = _Counter()
            page.on("websocket", lambda ws, counter=received: ws.on(
                "framereceived", counter.add))
            start = time.perf_counter()
            page.goto(url)
            drawn = _poll(page, SITES_DRAWN_JS, BROWSER_TIMEOUT)
            figures.put(f"browser {label}: page open to map drawn",
                        None if drawn is None else time.perf_counter() - start)
            done = _poll(page, SCRIPT_DONE_JS, BROWSER_TIMEOUT)
            figures.put(f"browser {label}: page open to script end",
                        None if done is None else time.perf_counter() - start)
            figures.put(f"browser {label}: websocket bytes", received.total)
            context.close()
        figures.put("server peak memory bytes", peak_memory(pid))


def naive_baseline(snap: Any, browser: Any, figures: Figures, tmp: Path) -> None:
    """One folium.Marker per site with its tooltip: built, written, and drawn from disk."""
    import folium

    from atlas.maps.assets import offline_map

    sites = snap.sites

    def build() -> str:
        fmap = offline_map(location=[48, 67], zoom_start=5)
        for s in sites.itertuples():
            folium.Marker([s.lat, s.lon], tooltip=f"{s.name_en} ({s.project_id})").add_to(fmap)
        return str(fmap.get_root().render())

    seconds, html = timed(build, 1)
    figures.put("baseline: folium.Marker map build", seconds)
    figures.put("baseline: map payload bytes", len(str(html).encode()))
    path = tmp / "naive.html"
    path.write_text(str(html), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    count = len(sites)
    try:
        page.goto(path.as_uri(), timeout=BROWSER_TIMEOUT * 1000)
        drawn = _poll(page, f"() => document.querySelectorAll('.leaflet-marker-icon').length "
                            f">= {count}", BROWSER_TIMEOUT)
    except Exception as exc:  # a page too big to load in time is a result, not a crash
        figures.notes.append(f"baseline page did not load in {BROWSER_TIMEOUT:.0f} s "
                             f"({type(exc).__name__})")
        drawn = None
    figures.put("baseline: page open to map drawn",
                None if drawn is None else time.perf_counter() - start)
    page.close()


# --- the report ------------------------------------------------------------------------------

def ratios(figures: Figures) -> None:
    """Every browser time against the baseline's, the payload against the baseline's HTML."""
    base_time = figures.values.get("baseline: page open to map drawn")
    base_bytes = figures.values.get("baseline: map payload bytes")
    for name, value in figures.values.items():
        if value is None or name.startswith("baseline"):
            continue
        base = base_bytes if name.endswith("bytes") and "payload" in name else \
            None if name.endswith("bytes") else base_time
        if base:
            print(f"  {name}: {value / base:.2f} x the naive Marker map")


def table(all_figures: list[Figures]) -> None:
    """One Markdown table: a row per measure, a column per size."""
    names: list[str] = []
    for figures in all_figures:
        names += [n for n in figures.values if n not in names]
    heads = ["bundled (21)" if f.size == BUNDLED else f"{f.size:,}" for f in all_figures]
    print("\n| measure | " + " | ".join(heads) + " |")
    print("|---|" + "---|" * len(heads))
    for name in names:
        cells = []
        for figures in all_figures:
            value = figures.values.get(name, "")
            if value is None:
                cells.append("gave up")
            elif value == "":
                cells.append("")
            elif name.endswith("bytes"):
                cells.append(f"{float(value) / 1024 / 1024:.2f} MB")
            else:
                cells.append(f"{float(value):.2f} s")
        print(f"| {name.removesuffix(' bytes')} | " + " | ".join(cells) + " |")
    for figures in all_figures:
        for note in figures.notes:
            print(f"- {figures.size:,}: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="10,000 sites only, server side only (no browser, no baseline)")
    parser.add_argument("--sizes", help="comma-separated site counts (0 = the bundled set)")
    # (internal) the AppTest child: the donor and SDG of the filter change
    parser.add_argument("--apptest", nargs=2, metavar=("DONOR", "GOAL"), help=argparse.SUPPRESS)
    parser.add_argument("--no-import", action="store_true", help="skip the import-check bench")
    parser.add_argument("--no-engines", action="store_true",
                        help="skip the SQLite / PostgreSQL comparison")
    args = parser.parse_args()
    if args.apptest:
        apptest_child(args.apptest[0], int(args.apptest[1]))
        return
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else \
        [10_000] if args.quick else [BUNDLED, *SIZES]
    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    started = time.perf_counter()
    playwright = browser = None
    if not args.quick:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    results = []
    try:
        for size in sizes:
            print(f"\n== {'bundled data set' if size == BUNDLED else f'{size:,} sites'} ==",
                  flush=True)
            folder = dataset_for(size)
            figures = Figures(size)
            store = tmp / f"atlas-{size}.sqlite"
            with geodata(folder):
                donor, goal = server_side(size, folder, store, figures, args.quick)
                app_pages(store, folder, figures, donor, goal)
                if browser is not None:
                    browser_side(store, folder, browser, figures)
                    from atlas.cli import load_snapshot

                    naive_baseline(load_snapshot(store), browser, figures, tmp)
                    ratios(figures)
            results.append(figures)
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    table(results)
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    if not args.quick and not args.no_import:
        import_check(tmp)
    if not args.no_import:
        iati_check(tmp)
    if not args.no_engines:
        engines_check(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


# --- the import check ------------------------------------------------------------------------

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

    print("\n== import check ==")
    methods: list[budget.Method] = ["fork", "forkserver"]
    for method in methods:
        costs = budget.spawn_cost(method, preload=("atlas.importing", "atlas.validate"))
        print(f"import check, child start ({method}): first {costs[0] * 1000:.0f} ms, then "
              f"median {statistics.median(costs[1:]) * 1000:.0f} ms")
    store, _ = build_store_from_geodata(tmp / "import.sqlite", ROOT / "geodata")
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


def iati_check(tmp: Path) -> None:
    """The IATI import as staff wait on it (check in the budgeted child, then apply), on the 100
    real activities, the official example, and the export of a generated 1,000-site atlas."""
    from atlas import importing
    from atlas.iati.write import activities_xml
    from atlas.snapshot import build_snapshot
    from atlas.store import build_store_from_geodata

    print("\n== IATI import ==")
    samples = ROOT / "tests" / "iati" / "data"
    generated_folder = dataset_for(1_000)
    with geodata(generated_folder):
        from atlas.dataset import read_dataset

        snap = build_snapshot(read_dataset(generated_folder)[0], "bench")
        started = time.perf_counter()
        exported = activities_xml(snap, list(snap.table("projects")["project_id"]))
        print(f"IATI export of {len(snap.table('projects')):,} projects "
              f"({len(snap.table('sites')):,} sites): {time.perf_counter() - started:.2f} s, "
              f"{len(exported) / 1024 / 1024:.1f} MB")
    files = [
        ("100 real activities (dportal), --country CD",
         (samples / "dportal-real-100-activities-2020.xml").read_bytes(), "CD"),
        ("the annotated 2.03 example, --country AF",
         (samples / "activity-standard-example-annotated-2.03.xml").read_bytes(), "AF"),
        ("the 1,000-site atlas's export, into the bundled atlas", exported, "KZ"),
    ]
    for label, content, country in files:
        store, _ = build_store_from_geodata(tmp / f"iati-{country}.sqlite", ROOT / "geodata")
        started = time.perf_counter()
        report = importing.check_upload(store, "activities.xml", content, country=country)
        checked = time.perf_counter() - started
        outcome = report.summary().split(": ", 1)[-1] + (
            f"; refused: {report.problems[0].code or report.problems[0].message[:60]}"
            if report.problems else "")
        applied = ""
        if report.ok and report.changes():
            started = time.perf_counter()
            change = importing.apply_import(store, report, "bench")
            applied = (f"; applied {change.rows:,} rows in "
                       f"{time.perf_counter() - started:.2f} s")
        print(f"IATI import check, {label} ({len(content) / 1024:.0f} KB): {checked:.2f} s"
              f"{applied}; {outcome[:90]}")


# --- SQLite and PostgreSQL side by side --------------------------------------------------------

ENGINES_SIZE = 10_000


def store_operations(where: str, folder: Path, tmp: Path) -> dict[str, float]:
    """Seconds of the store's operations on the store at ``where`` (an SQLite file or an empty
    database's URL): build from ``folder``, load, a save of one row (median of 3), an import of
    the example workbook (check, then apply), a backup and its restore."""
    from atlas import auth, editing, importing
    from atlas.backup import restore_backup, write_backup
    from atlas.store import SqlStore, build_store, store_location

    out: dict[str, float] = {}
    out["build-store"] = build_store(where, folder).seconds
    store = SqlStore(store_location(where))
    out["store load"], data = timed(store.load, 3)
    account = auth.add_user(store, "bench", "editor", "a bench password 42")
    project = data["projects"].sort_values("project_id").iloc[0].to_dict()
    saves = []
    for i in range(3):
        version = store.row_version("projects", (project["project_id"],)).version
        started = time.perf_counter()
        editing.save_row(store, account, "projects", {**project, "title_en": f"Bench {i}"},
                         version)
        saves.append(time.perf_counter() - started)
    out["a save (one row)"] = statistics.median(saves)
    content = (ROOT / "examples" / "import" / "kuryk-mini-projects.xlsx").read_bytes()
    started = time.perf_counter()
    report = importing.plan_from_store(store, importing.read_upload("kuryk.xlsx", content))
    out["an import: check"] = time.perf_counter() - started
    started = time.perf_counter()
    importing.apply_import(store, report, "bench")
    out["an import: apply"] = time.perf_counter() - started
    engine = "postgresql" if "://" in where else "sqlite"
    backup = write_backup(where, tmp / f"engines-backup-of-{engine}.sqlite", force=True)
    out["backup"] = backup.seconds
    assert backup.target is not None
    out["restore (checks, then replaces)"] = restore_backup(backup.target, where).seconds
    store.engine.dispose()
    return out


def engines_check(tmp: Path) -> None:
    """The store's operations at ENGINES_SIZE sites, on SQLite and on PostgreSQL (a throwaway
    server, as the tests start one), in one table."""
    from tools.pgserver import started_server

    print(f"\n== the store on SQLite and on PostgreSQL, {ENGINES_SIZE:,} sites ==")
    folder = dataset_for(ENGINES_SIZE)
    with geodata(folder):
        sqlite = store_operations(str(tmp / "engines.sqlite"), folder, tmp)
        postgres: dict[str, float] | None = None
        skipped = ""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            skipped = "skipped: no PostgreSQL (the psycopg driver is not installed)"
        if not skipped:
            try:
                with started_server() as server:
                    server.admin('CREATE DATABASE "bench"')
                    postgres = store_operations(server.url("bench"), folder, tmp)
            except RuntimeError as exc:
                skipped = f"skipped: no PostgreSQL ({str(exc).splitlines()[0]})"
    print("\n| measure | SQLite | PostgreSQL |\n|---|---|---|")
    for name, seconds in sqlite.items():
        other = f"{postgres[name]:.2f} s" if postgres else "skipped"
        print(f"| {name} | {seconds:.2f} s | {other} |")
    if skipped:
        print(skipped)


if __name__ == "__main__":
    main()
