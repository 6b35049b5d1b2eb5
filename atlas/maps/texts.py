"""Names and titles of a snapshot's rows in the viewer's language, as whole columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas import listing
from atlas.snapshot import Snapshot


def localized_column(table: pd.DataFrame, field: str, lang: str) -> pd.Series:
    """``field_<lang>`` of every row, English where the translation is missing (as
    ``localized`` does for one record)."""
    if f"{field}_{lang}" not in table.columns:
        return table[f"{field}_en"].fillna("").astype(str)
    return listing.localized_column(table, f"{field}_{lang}", f"{field}_en")


def _rows(snap: Snapshot, table: str) -> pd.DataFrame:
    return snap.sites if table == "sites" else snap.table(table)


def localized_texts(snap: Snapshot, table: str, field: str, lang: str) -> np.ndarray:
    """``localized_column`` of a snapshot table as a read-only object array, made once per
    snapshot and language (every map of a view needs the same 100,000 site names)."""
    def build() -> np.ndarray:
        texts = localized_column(_rows(snap, table), field, lang).to_numpy(dtype=object)
        texts.flags.writeable = False
        return texts

    return snap.derived(("maps.localized_texts", table, field, lang), build)


def localized_by_id(snap: Snapshot, table: str, key: str, field: str,
                    lang: str) -> dict[str, str]:
    """Id (column ``key``) -> localized ``field`` of a snapshot table, made once per snapshot
    and language; shared, so it must not be modified."""
    def build() -> dict[str, str]:
        ids = _rows(snap, table)[key].astype(str).tolist()
        return dict(zip(ids, localized_texts(snap, table, field, lang).tolist(), strict=True))

    return snap.derived(("maps.localized_by_id", table, key, field, lang), build)
