"""The explorer's filter lists say how many projects each choice gives, in every language
(AppTest on the bundled data): counts from ``query.choice_counts``, choices with none last."""

from __future__ import annotations

import pytest

from atlas.figures import format_number
from atlas.i18n import LANGUAGES, t
from atlas.query import Filters, choice_counts
from atlas.snapshot import Snapshot
from tests.pages.support import open_page, run


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_choice_says_how_many_projects_it_gives(app_snap: Snapshot, lang: str) -> None:
    at = run(open_page(lang=lang))
    at.multiselect(key="f_sdg").set_value([8])
    at = run(at)
    counts = choice_counts(app_snap, Filters(sdgs=(8,)))["donors"]
    donors = at.multiselect(key="f_donor")
    names = app_snap.organization_names(lang)
    shown = list(donors.options)
    assert shown, "the donor list is empty"
    for label in shown:
        donor = next(d for d, name in names.items() if label.endswith(f") {name}"))
        n = format_number(counts.get(donor, 0), lang)
        assert label == t("choice_count", lang, name=names[donor], n=n)
    # Choices that give no project come after all that give some.
    given = [not label.startswith("(0)") for label in shown]
    assert given == sorted(given, reverse=True)
    assert any(given) and not all(given)  # the ministry (MISD) gives none with SDG 8


def test_a_choice_stays_chosen_when_its_count_changes() -> None:
    at = run(open_page(lang="ru"))
    at.multiselect(key="f_donor").set_value(["eu"])
    at = run(at)
    before = [o for o in at.multiselect(key="f_donor").options if o.endswith("Европейский Союз")]
    at.multiselect(key="f_region").set_value(["KAZ011"])
    at = run(at)
    after = [o for o in at.multiselect(key="f_donor").options if o.endswith("Европейский Союз")]
    assert before != after  # the EU's count follows the region filter
    assert at.multiselect(key="f_donor").value == ["eu"]


def test_select_all_is_not_offered_in_english_on_any_page_language() -> None:
    # Streamlit writes "Select all" in English only; choosing every item is choosing none.
    at = run(open_page(lang="kk"))
    for key in ("f_donor", "f_sdg", "f_region", "f_impl", "f_status"):
        assert at.multiselect(key=key).proto.select_all == 0, key
