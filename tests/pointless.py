"""The bundled data plus two sites without a point: one nationwide, one for a whole region."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from atlas.dataset import DataSet, frame_from_records, read_dataset
from atlas.model import SITES
from atlas.paths import geodata_dir
from atlas.snapshot import Snapshot, build_snapshot

NATIONAL_SITE = "s-glocal-nationwide"
NATIONAL_PROJECT = "glocal"
REGION_SITE = "s-abd-karaganda-region"
REGION_PROJECT = "auyldy-birlese-damytu"  # its other sites are in Mangystau (KAZ014)
REGION_CODE = "KAZ011"  # Karaganda Region, where the project has no point


def _site(**values: Any) -> dict[str, Any]:
    base = {"level": "", "district_en": "", "region_code": "", "lon": None, "lat": None,
            "location_basis": "stated in the source as the whole area", "phase": None,
            "note": ""}
    return {**base, **values}


POINTLESS_ROWS = [
    _site(site_id=NATIONAL_SITE, project_id=NATIONAL_PROJECT, name_en="Across Kazakhstan",
          name_ru="По всему Казахстану", name_kk="Бүкіл Қазақстан бойынша", level="national",
          precision="national", source_ids="argo-glocal-2024"),
    _site(site_id=REGION_SITE, project_id=REGION_PROJECT, name_en="Karaganda Region (whole)",
          name_ru="Карагандинская область (вся)", name_kk="Қарағанды облысы (толық)",
          level="region", region_code=REGION_CODE, precision="region",
          source_ids="eeas-mangystau-2018"),
]


def with_pointless_sites(data: DataSet) -> DataSet:
    """A copy of ``data`` with the two sites of ``POINTLESS_ROWS`` added."""
    out = {name: df.copy() for name, df in data.items()}
    added = frame_from_records(SITES, POINTLESS_ROWS)
    out["sites"] = pd.concat([out["sites"], added], ignore_index=True)
    return out


_SNAPSHOT: list[Snapshot] = []


def pointless_snapshot() -> Snapshot:
    """A snapshot of the bundled data with ``POINTLESS_ROWS`` (built once per test run)."""
    if not _SNAPSHOT:
        data, problems = read_dataset(geodata_dir())
        assert problems == []
        _SNAPSHOT.append(build_snapshot(with_pointless_sites(data), "pointless"))
    return _SNAPSHOT[0]


# A NaN or Infinity as a JavaScript value; not the same letters inside base64 text.
_BARE_NAN = re.compile(r"(?<![A-Za-z0-9+/])(NaN|-?Infinity)(?![A-Za-z0-9+/=])")


def has_nan(html: str) -> bool:
    """Whether a NaN or an Infinity reaches the page as a value (a point nowhere)."""
    return bool(_BARE_NAN.search(html))
