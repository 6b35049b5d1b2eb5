from __future__ import annotations

from pathlib import Path

import pytest

from atlas.dataset import DataSet, read_dataset, write_dataset
from atlas.store import InvalidData, build_store_from_geodata, content_hash, open_store

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def test_load_then_export_is_lossless(tmp_path: Path) -> None:
    store, seconds = build_store_from_geodata(tmp_path / "s.sqlite", GEODATA)
    assert seconds < 60
    out = tmp_path / "export"
    write_dataset(store.load(), out)
    for path in GEODATA.glob("*.csv"):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_write_bumps_the_version(tmp_path: Path, dataset: DataSet) -> None:
    store, _ = build_store_from_geodata(tmp_path / "s.sqlite", GEODATA)
    first = store.data_version()
    assert first.startswith("1-") and first.endswith(content_hash(dataset))
    second = store.replace_all(dataset, reason="test")
    assert second.startswith("2-") and second != first


def test_invalid_data_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "geodata"
    data, _ = read_dataset(GEODATA)
    data["project_sdgs"].loc[0, "goal"] = 18
    write_dataset(data, bad)
    for geojson in GEODATA.glob("*.geojson"):
        (bad / geojson.name).write_bytes(geojson.read_bytes())
    target = tmp_path / "s.sqlite"
    with pytest.raises(InvalidData) as excinfo:
        build_store_from_geodata(target, bad)
    assert "SDG 18" in str(excinfo.value)
    assert not target.exists()


def test_open_store_builds_once(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "atlas.sqlite"
    store = open_store(target)
    assert target.exists() and not store.is_empty()
    assert open_store(target).data_version() == store.data_version()
