"""The explorer builds its map once per view and its site downloads only when clicked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import atlas.ui.explorer as explorer_page
from tests.pages.support import open_page, run


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Count the calls the explorer page makes to its module's ``name``."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(explorer_page, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(explorer_page, name, counted)
    return calls


def test_a_rerun_that_changes_nothing_on_the_map_reuses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    explorer_page.shared_map.clear()
    builds = _counting(monkeypatch, "explorer_map")
    at = run(open_page())
    assert len(builds) == 1
    run(at)  # a rerun with the same view: the same map
    at.button[0].click()  # any widget click is a rerun
    run(at)
    assert len(builds) == 1
    at.multiselect(key="f_donor").set_value(["eu"])
    run(at)
    assert len(builds) == 2  # another view, another map
    # The language is part of the map (tooltips, legend): its own map too.
    run(open_page(lang="ru"))
    assert len(builds) == 3


def test_site_downloads_are_built_only_when_clicked(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _counting(monkeypatch, "filtered_sites")
    at = run(open_page())
    run(at)
    assert built == []
    labels = [b.label for b in at.get("download_button")]
    assert labels, "the explorer shows its download buttons"
