"""The Excel download: readable sheets, numbers as numbers, unknown never 0, no formulas."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from atlas.dataset import DataSet
from atlas.i18n import LANGUAGES, t
from atlas.query import Filters, matching_projects, summarize
from atlas.snapshot import Snapshot, build_snapshot
from atlas.workbook import view_workbook

SHEETS = ("xl_sheet_projects", "xl_sheet_sites", "xl_sheet_flows", "xl_sheet_results",
          "xl_sheet_sources", "xl_sheet_about")


def load(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(wb: Workbook, key: str, lang: str = "en") -> list[dict[str, Any]]:
    """A sheet's rows as dicts keyed by header."""
    values = list(wb[t(key, lang)].iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, r, strict=True)) for r in values[1:]]


@pytest.fixture(scope="module")
def eu_book(snap: Snapshot) -> Workbook:
    return load(view_workbook(snap, Filters(donors=("eu",)), "en", "EUR"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheets_are_localized_and_short(snap: Snapshot, lang: str) -> None:
    wb = load(view_workbook(snap, Filters(), lang))
    assert wb.sheetnames == [t(k, lang) for k in SHEETS]
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_headers_in_russian(snap: Snapshot) -> None:
    wb = load(view_workbook(snap, Filters(donors=("eu",)), "ru", "KZT"))
    header = [c.value for c in wb["Финансовые потоки"][1]]
    assert header[:4] == ["Проект", "От кого", "Кому", "Вид"]
    assert "Сумма в KZT" in header and "Источник курса" in header
    projects = [c.value for c in wb["Проекты"][1]]
    assert "Проект" in projects and "Доноры" in projects and "Учтённое финансирование (KZT)" \
        in projects
    # Organization and region names follow the language, qualifiers are words.
    flows = rows(wb, "xl_sheet_flows", "ru")
    assert {"Европейский Союз"} <= {r["От кого"] for r in flows}
    assert {"точно", "расчёт"} <= {r["Сумма по источнику – точность"] for r in flows}
    sites = rows(wb, "xl_sheet_sites", "ru")
    assert "Карагандинская область" in {r["Регион"] for r in sites}


def test_eu_funding_flows(eu_book: Workbook, snap: Snapshot) -> None:
    flows = rows(eu_book, "xl_sheet_flows")
    glocal = [r for r in flows if r["From"] == "European Union" and r["Year"] == 2024]
    assert len(glocal) == 1
    row = glocal[0]
    assert row["To"] == 'Civil Society Development Association "ARGO"'
    assert row["Amount as stated"] == 400_000 and isinstance(row["Amount as stated"], int | float)
    assert row["Currency"] == "EUR" and row["Amount as stated – qualifier"] == "exact"
    assert row["Amount in EUR"] == 400_000
    assert row["In the totals?"] == t("xl_counted", "en")
    # Summing the counted column gives the headline total.
    counted = sum(r["Counted in the totals (EUR)"] or 0 for r in flows)
    assert counted == pytest.approx(summarize(snap, Filters(donors=("eu",))).funding.value)
    # Co-financing is in the sheet but not in the EU total; a sub-flow is not counted again.
    how = {r["In the totals?"] for r in flows}
    assert t("xl_not_selected", "en") in how and t("xl_upstream", "en") in how


def test_rate_and_source_in_another_currency(snap: Snapshot) -> None:
    wb = load(view_workbook(snap, Filters(donors=("eu",)), "en", "KZT"))
    row = next(r for r in rows(wb, "xl_sheet_flows")
               if r["From"] == "European Union" and r["Year"] == 2024)
    assert row["Rate (1 unit = … KZT)"] == pytest.approx(469 / 0.924128)
    assert row["Amount in KZT"] == pytest.approx(400_000 * 469 / 0.924128)
    assert "European Central Bank" in row["Rate source"]
    # A KZT amount without a year has no rate: not converted, never guessed.
    no_year = next(r for r in rows(wb, "xl_sheet_flows") if r["Amount as stated"] == 12_000_000)
    assert no_year["Amount in KZT"] == 12_000_000  # same currency: nothing to convert
    eur = load(view_workbook(snap, Filters(donors=("eu",)), "en", "EUR"))
    no_year = next(r for r in rows(eur, "xl_sheet_flows") if r["Amount as stated"] == 12_000_000)
    assert no_year["Amount in EUR"] is None
    assert no_year["Amount in EUR – qualifier"] == "unknown"
    assert no_year["Rate source"] == t("no_rate", "en")


def test_unknown_grant_is_empty_and_unknown(snap: Snapshot) -> None:
    wb = load(view_workbook(snap, Filters(donors=("tco",))))
    flows = rows(wb, "xl_sheet_flows")
    tco = [r for r in flows if r["From"] == "Tengizchevroil LLP"]
    assert len(tco) == 1
    row = tco[0]
    assert row["Amount as stated"] is None and row["Amount as stated – qualifier"] == "unknown"
    assert row["Amount in EUR"] is None and row["Amount in EUR – qualifier"] == "unknown"
    assert row["Counted in the totals (EUR)"] is None
    assert row["Counted in the totals (EUR) – qualifier"] == "unknown"
    project = rows(wb, "xl_sheet_projects")[0]
    assert project["Budget"] is None and project["Budget – qualifier"] == "unknown"


def test_numbers_stay_numbers(eu_book: Workbook) -> None:
    ws = eu_book[t("xl_sheet_projects", "en")]
    header = [c.value for c in ws[1]]
    budget = [r[header.index("Budget")] for r in ws.iter_rows(min_row=2)]
    assert budget and all(c.data_type == "n" for c in budget)
    assert sum(c.value for c in budget) == 458_412 + 428_000 + 470_000
    sites = rows(eu_book, "xl_sheet_sites")
    assert len(sites) == 19  # 7 pilot villages of Auyldy birlese damytu + 12 in the east
    assert all(isinstance(r["Longitude"], float) for r in sites)


def test_results_breakdowns_and_sources(eu_book: Workbook) -> None:
    results = rows(eu_book, "xl_sheet_results")
    pensioners = [r for r in results if r["Breakdown of"] and r["Value"] == 800]
    assert len(pensioners) == 1 and pensioners[0]["Unit"] == "people"
    service = next(r for r in results if r["Value"] == 3000)
    assert service["Value – qualifier"] == "approximate"
    # The breakdown follows the result it breaks down.
    assert results.index(pensioners[0]) > results.index(service)
    sources = rows(eu_book, "xl_sheet_sources")
    assert "https://argonet.org/proekt-glocal-nachalo-bolshix-izmenenij" in \
        {r["Link"] for r in sources}
    about = {r["Item"]: r["Value"] for r in rows(eu_book, "xl_sheet_about")}
    assert about["Filters: Donor"] == "European Union"
    assert about["Currency"] == "EUR" and about["Data version"] == "test"


def test_project_ids_restrict_rows(snap: Snapshot) -> None:
    everything = matching_projects(snap, Filters())
    assert "glocal" in everything
    wb = load(view_workbook(snap, Filters(), "en", "EUR", project_ids=["glocal"]))
    projects = rows(wb, "xl_sheet_projects")
    assert [r["Project"] for r in projects] == ["GLocal"]
    assert {r["Project"] for r in rows(wb, "xl_sheet_sites")} == {"GLocal"}
    assert len(rows(wb, "xl_sheet_sites")) == 2
    assert {r["Project"] for r in rows(wb, "xl_sheet_flows")} == {"GLocal"}
    assert {r["Project"] for r in rows(wb, "xl_sheet_results")} <= {"GLocal"}
    about = {r["Item"]: r["Value"] for r in rows(wb, "xl_sheet_about")}
    assert about[t("xl_selected", "en")] == "GLocal"


def test_formula_looking_names_are_text(dataset: DataSet) -> None:
    hostile = '=HYPERLINK("http://evil.example","click")'
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = hostile
    orgs.loc[orgs["org_id"] == "argo", "name_en"] = "@SUM(1+1)\x07"
    snap = build_snapshot(dataset, "hostile")
    wb = load(view_workbook(snap, Filters(donors=("eu",))))
    ws = wb[t("xl_sheet_flows", "en")]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    evil = [c for c in cells if c.value == hostile]
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)
    assert any(c.value == "@SUM(1+1)" and c.quotePrefix for c in cells)  # control char dropped
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows()
                   for c in row)


def test_no_projects_still_gives_headers(snap: Snapshot) -> None:
    wb = load(view_workbook(snap, Filters(sdgs=(14,))))
    ws = wb[t("xl_sheet_projects", "en")]
    assert ws.max_row == 1 and ws["A1"].value == "Project"


def _goal_names_one_by_one(snap: Snapshot, project_id: str, lang: str) -> str:
    """The goals cell as it was computed, filtering the goals table for each row."""
    from atlas.i18n import localized

    sdgs = snap.table("project_sdgs")
    names = snap.table("sdgs").set_index("goal")
    goals = sdgs.loc[sdgs["project_id"] == project_id].sort_values("rank")["goal"]
    return "; ".join(f"{int(g)}. {localized(names.loc[g], 'name', lang)}" for g in goals)


def test_goals_sites_per_project_and_titles_agree_with_the_row_by_row_rules() -> None:
    from atlas.synth import synthesize

    many = build_snapshot(synthesize(300, seed=3), "many")
    book = openpyxl.load_workbook(io.BytesIO(view_workbook(many, Filters(), "ru")))
    rows = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(many.sites) == 300
    goals, split = header.index(t("col_sdgs", "ru")), header.index(t("xl_split", "ru"))
    sites = many.sites
    expected = [(_goal_names_one_by_one(many, pid, "ru") or None,
                 t("xl_split_rule", "ru", n=int((sites["project_id"] == pid).sum())))
                for pid in sites["project_id"]]
    assert sorted((r[goals], r[split]) for r in body) == sorted(expected)


def _cells(data: bytes) -> dict[str, Any]:
    """Everything a reader sees of a workbook: each sheet's cells (value, type, number format,
    text marker), column widths, frozen header and filter range; not the export time."""
    wb = load(data)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.data_type, c.number_format, bool(c.quotePrefix))
                 for row in ws.iter_rows() for c in row if c.value is not None]
        if ws.title in {t("xl_sheet_about", lang) for lang in LANGUAGES}:
            exported = {t("xl_exported", lang) for lang in LANGUAGES}
            stamp = {c[0].replace("A", "B") for c in cells if c[1] in exported}
            cells = [c for c in cells if c[0] not in stamp]
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        out[ws.title] = (cells, widths, ws.freeze_panes, ws.auto_filter.ref)
    return out


def _generated_views(snap: Snapshot) -> list[tuple[Filters, list[str] | None]]:
    donor = snap.table("funding_flows")["from_org_id"].value_counts().index[0]
    region = str(snap.sites["region_code"].value_counts().index[0])
    some = list(snap.table("projects")["project_id"].iloc[::11])
    return [(Filters(), None), (Filters(donors=(donor,)), None),
            (Filters(regions=(region,)), None), (Filters(), some)]


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_generated_workbooks_agree_with_the_cell_by_cell_workbook(seed: int) -> None:
    from tests.test_exports import generated
    from tests.workbook_reference import workbook_cell_by_cell

    snap = generated(seed)
    settings = (("en", "EUR"), ("ru", "KZT"), ("kk", "USD"))
    for i, (filters, ids) in enumerate(_generated_views(snap)):
        lang, currency = settings[(i + seed) % len(settings)]
        assert _cells(view_workbook(snap, filters, lang, currency, ids)) == \
            _cells(workbook_cell_by_cell(snap, filters, lang, currency, ids))


def test_bundled_workbooks_agree_with_the_cell_by_cell_workbook(snap: Snapshot,
                                                                dataset: DataSet) -> None:
    from tests.workbook_reference import workbook_cell_by_cell

    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = '=HYPERLINK("http://evil.example","x")'
    orgs.loc[orgs["org_id"] == "argo", "name_en"] = " @SUM(1+1)\x07 <b>&amp;</b> "
    hostile = build_snapshot(dataset, "hostile")
    for data, filters, lang, currency in ((snap, Filters(), "en", "EUR"),
                                          (snap, Filters(donors=("eu",)), "ru", "KZT"),
                                          (snap, Filters(sdgs=(14,)), "kk", "EUR"),
                                          (hostile, Filters(), "en", "USD")):
        assert _cells(view_workbook(data, filters, lang, currency)) == \
            _cells(workbook_cell_by_cell(data, filters, lang, currency))


def test_a_sheet_too_long_to_use_keeps_its_first_rows_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas import workbook
    from tests.test_exports import generated

    monkeypatch.setattr(workbook, "MAX_SHEET_ROWS", 100)
    many = generated(2)
    wb = load(view_workbook(many, Filters(), "ru", "KZT"))
    ws = wb[t("xl_sheet_sites", "ru")]
    note = t("xl_rows_left_out", "ru", kept="100", total="300", left="200")
    assert [c.value for c in ws["A"]][:101][-1] is not None  # the first 100 sites are there
    assert ws.auto_filter.ref == "A1:U101"
    assert ws["A102"].value is None and ws["A103"].value == note
    assert ws.max_row == 103
    about = {r[t("xl_item", "ru")]: r[t("xl_value", "ru")] for r in rows(wb, "xl_sheet_about",
                                                                        "ru")}
    assert about[t("xl_sheet_sites", "ru")] == note
    # A sheet within the limit is whole and says nothing.
    assert t("xl_sheet_flows", "ru") not in about
    assert len(rows(wb, "xl_sheet_projects", "ru")) == len(matching_projects(many, Filters()))


def test_text_longer_than_a_cell_holds_is_cut_with_a_mark(dataset: DataSet) -> None:
    # Excel holds at most 32,767 characters in a cell and calls a longer one damage.
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = "E" * 40_000
    wb = load(view_workbook(build_snapshot(dataset, "long"), Filters(donors=("eu",))))
    donors = [r["Donors"] for r in rows(wb, "xl_sheet_projects")]
    long = [d for d in donors if "E" * 100 in d]
    assert long and all(len(d) == 32_767 and d.endswith("…") for d in long)


def test_the_workbook_is_streamed_not_built_cell_by_cell(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # An openpyxl cell object per cell (then a second pass over all of them) made a workbook
    # of 10,000 sites take minutes and 100,000 sites gigabytes.
    from openpyxl.cell.cell import Cell

    from tests.test_exports import generated

    made = 0
    real = Cell.__init__

    def counting(self: Cell, *args: Any, **kwargs: Any) -> None:
        nonlocal made
        made += 1
        real(self, *args, **kwargs)

    monkeypatch.setattr(Cell, "__init__", counting)
    data = view_workbook(generated(2), Filters(), "en")
    monkeypatch.undo()
    cells = sum(1 for ws in load(data).worksheets for row in ws.iter_rows() for c in row
                if c.value is not None)
    assert cells > 6000
    assert made < cells / 10


def test_the_atlas_own_reader_reads_the_streamed_workbook_back(dataset: DataSet) -> None:
    # A second, strict reader (the importer's) sees the same cells openpyxl sees.
    import zipfile

    from atlas.xlsx_cells import Limits
    from atlas.xlsx_cells import Workbook as CellReader

    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", "name_en"] = "  <EU> & \"friends\"  "
    data = view_workbook(build_snapshot(dataset, "odd"), Filters(), "en", "KZT")
    reader = CellReader(zipfile.ZipFile(io.BytesIO(data)),
                        Limits(data_rows=10_000, columns=100, cells=100_000))
    read = reader.read(reader.sheets)
    wb = load(data)
    assert [s.title for s in reader.sheets] == wb.sheetnames
    for ref, ws in zip(reader.sheets, wb.worksheets, strict=True):
        mine = {(n, c.column + 1): c.value for n, cells in read[ref.part] for c in cells}
        theirs = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                  if c.value is not None}
        assert mine == theirs
    # Spaces at either end of a text are kept (the flows sheet names the EU alone).
    assert any(c.value == "  <EU> & \"friends\"  " for ref in reader.sheets
               for _, cells in read[ref.part] for c in cells)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_site_without_a_point_has_empty_coordinates_and_says_why(lang: str) -> None:
    from tests.pointless import pointless_snapshot

    wb = load(view_workbook(pointless_snapshot(), Filters(), lang))
    sites = rows(wb, "xl_sheet_sites", lang)
    precision = t("col_precision", lang)
    lon, lat = t("xl_lon", lang), t("xl_lat", lang)
    for extent in ("national", "region"):
        (row,) = [r for r in sites if r[precision] == t(f"precision_{extent}", lang)]
        assert (row[lon], row[lat]) == (None, None)
    assert all(isinstance(r[lon], float) for r in sites
               if r[precision] not in (t("precision_national", lang),
                                       t("precision_region", lang)))
