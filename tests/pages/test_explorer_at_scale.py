"""The explorer on a generated store of more than a thousand sites: counts read as numbers in
the reader's language (grouped thousands), and the page answers without an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.figures import format_number
from atlas.i18n import LANGUAGES
from atlas.query import Filters, summarize
from atlas.snapshot import Snapshot, build_snapshot
from atlas.store import open_store
from atlas.synth import synthesize
from tests.pages.support import metric, open_page, run


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's store holds a generated set of over a thousand sites."""
    path = tmp_path_factory.mktemp("atlas-scale") / "atlas.sqlite"
    open_store(path).replace_all(synthesize(1100, seed=5), reason="scale test")
    return path


@pytest.fixture(scope="module")
def scale_snap(store_file: Path) -> Snapshot:
    store = open_store(store_file)
    return build_snapshot(store.load(), store.data_version())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_and_project_counts_group_thousands(scale_snap: Snapshot, lang: str) -> None:
    at = run(open_page(lang=lang))
    summary = summarize(scale_snap, Filters())
    assert summary.sites >= 1000
    assert metric(at, "kpi_sites", lang) == format_number(summary.sites, lang)
    assert metric(at, "kpi_projects", lang) == format_number(len(summary.project_ids), lang)
    assert not at.exception and not at.error
