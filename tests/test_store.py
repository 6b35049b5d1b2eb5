"""Building, loading and writing the store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from atlas.dataset import DataSet, read_dataset, write_dataset
from atlas.model import TABLES_BY_NAME
from atlas.store import (
    InvalidData,
    RowChange,
    _row_json,
    build_store_from_geodata,
    content_hash,
    open_store,
    row_key,
)
from atlas.synth import synthesize

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def test_load_then_export_is_lossless(empty_location: str, tmp_path: Path) -> None:
    store, seconds = build_store_from_geodata(empty_location, GEODATA)
    assert seconds < 60
    out = tmp_path / "export"
    write_dataset(store.load(), out)
    for path in GEODATA.glob("*.csv"):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_write_bumps_the_version(empty_location: str, dataset: DataSet) -> None:
    store, _ = build_store_from_geodata(empty_location, GEODATA)
    first = store.data_version()
    assert first.startswith("1-") and first.endswith(content_hash(dataset))
    second = store.replace_all(dataset, reason="test")
    assert second.startswith("2-") and second != first


def test_invalid_data_writes_nothing(empty_location: str, tmp_path: Path) -> None:
    bad = tmp_path / "geodata"
    data, _ = read_dataset(GEODATA)
    data["project_sdgs"].loc[0, "goal"] = 18
    write_dataset(data, bad)
    for geojson in GEODATA.glob("*.geojson"):
        (bad / geojson.name).write_bytes(geojson.read_bytes())
    with pytest.raises(InvalidData) as excinfo:
        build_store_from_geodata(empty_location, bad)
    assert "SDG 18" in str(excinfo.value)
    if "://" in empty_location:  # the database: still without a single table
        engine = sa.create_engine(empty_location)
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
        engine.dispose()
    else:
        assert not Path(empty_location).exists()


def test_open_store_builds_once(empty_location: str) -> None:
    store = open_store(empty_location)
    assert not store.is_empty()
    if "://" not in empty_location:
        assert Path(empty_location).exists()
    again = open_store(empty_location)
    assert again.data_version() == store.data_version()
    assert len(again.load()["sites"]) == len(store.load()["sites"])


def test_a_batch_writes_and_records_each_row_as_a_single_save_would(empty_location: str
                                                                     ) -> None:
    # Rows are typed once per table for a whole import; each must land (and be recorded in the
    # history) exactly as the row-by-row form of the same row.
    store, _ = build_store_from_geodata(empty_location)
    extra = synthesize(60, seed=4)
    known = set(store.load()["projects"]["project_id"])
    changes = []
    for table in ("sources", "places", "organizations", "projects", "sites", "funding_flows",
                  "results", "project_sdgs", "participants"):
        frame = extra[table]
        if "project_id" in frame.columns:
            frame = frame[~frame["project_id"].isin(known)]
        spec_key = {"sources": "source_id", "places": "place_id", "organizations": "org_id"}
        if table in spec_key:
            have = set(store.load()[table][spec_key[table]])
            frame = frame[~frame[spec_key[table]].isin(have)]
        spec = TABLES_BY_NAME[table]
        changes += [RowChange(table, row_key(spec, r), r, new=True)
                    for r in frame.to_dict("records")]
    assert len({c.table for c in changes}) >= 6 and len(changes) > 100
    applied = store.apply_changes(changes, user="t", kind="import", summary="batch")
    record = store.change(applied.change_id)
    assert record is not None
    data = store.load()
    stored = {(name, row_key(TABLES_BY_NAME[name], r)): r
              for name in {c.table for c in changes} for r in data[name].to_dict("records")}
    for change, (table, key, before, after) in zip(changes, record.rows, strict=True):
        spec = TABLES_BY_NAME[table]
        assert (table, key, before) == (change.table, change.key, None)
        assert after == json.loads(_row_json(spec, change.after or {}))
        assert json.loads(_row_json(spec, stored[(table, key)])) == after


def test_a_load_runs_with_the_garbage_collector_paused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Tens of thousands of row tuples set off collections that walk the whole heap and free
    nothing: a load pauses the collector, and turns it back on after."""
    import gc

    from atlas import store as store_module

    store, _ = build_store_from_geodata(tmp_path / "s.sqlite", GEODATA)
    real = store_module.frame_from_columns
    seen: list[bool] = []

    def watched(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "frame_from_columns", watched)
    assert gc.isenabled()
    data = store.load()
    assert seen and not any(seen) and gc.isenabled()
    assert len(data["projects"]) == len(read_dataset(GEODATA)[0]["projects"])


def test_an_error_while_rows_are_read_is_raised_as_for_the_statement(tmp_path: Path) -> None:
    """The load reads the driver's rows itself: a driver error in the middle of them (here the
    second row's integer overflow) is still SQLAlchemy's error, and the store still works."""
    import sqlalchemy as sa

    store, _ = build_store_from_geodata(tmp_path / "s.sqlite", GEODATA)
    sql = "SELECT abs(x) FROM (SELECT 1 AS x UNION ALL SELECT -9223372036854775808)"
    with store.engine.connect() as conn, pytest.raises(sa.exc.OperationalError,
                                                       match="integer overflow"):
        store._fetch_all(conn, sql)
    with store.engine.connect() as conn, pytest.raises(sa.exc.OperationalError,
                                                       match="integer overflow"):
        conn.exec_driver_sql(sql).all()  # what SQLAlchemy's own reading raises
    assert len(store.load()["projects"]) > 0
