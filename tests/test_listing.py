"""Lists a page at a time: search, sort and paging over whole columns, checked against a
row-by-row reference (the search text, ``project_detail.search_projects``,
``budget_conversion``) on a generated set."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from atlas import listing
from atlas.dataset import is_missing
from atlas.i18n import LANGUAGES
from atlas.listing import (
    MAX_WORDS,
    PROJECT_SORTS,
    SEARCH,
    SortOrder,
    fold,
    list_page,
    list_view,
    page_number,
    project_list,
    project_search_texts,
    projects_in,
    query_words,
    search,
)
from atlas.project_detail import budget_conversion, search_projects
from atlas.query import Filters, matching_projects, project_years
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize

BY_NAME = SortOrder(("name",), (True,))
BY_SIZE = SortOrder(("size", "name"), (False, True))


def frame(n: int) -> pd.DataFrame:
    """``n`` rows: ids r0.., names counting down, sizes with gaps, a search text."""
    return pd.DataFrame({
        "id": [f"r{i}" for i in range(n)],
        "name": [f"name {n - i:04d}" for i in range(n)],
        "size": [float("nan") if i % 3 == 0 else float(i % 7) for i in range(n)],
        SEARCH: [fold(f"Row {i} {'even' if i % 2 == 0 else 'odd'} Ёлка") for i in range(n)],
    })


@pytest.fixture(scope="module")
def generated() -> Snapshot:
    return build_snapshot(synthesize(300, seed=3), "generated")


def test_pages_cover_the_list_once_in_order() -> None:
    rows = frame(103)
    pages = [list_page(rows, "", BY_NAME, p, 10) for p in range(1, 12)]
    assert [p.pages for p in pages] == [11] * 11
    seen = [i for p in pages for i in p.ids]
    assert seen == list(rows.sort_values("name")["id"])
    assert (pages[0].first, pages[0].last) == (1, 10)
    assert (pages[-1].first, pages[-1].last, len(pages[-1].rows)) == (101, 103, 3)
    assert all(p.total == 103 for p in pages)


@pytest.mark.parametrize("page", [0, -1, -10**30, 10**30, 12, True])
def test_hostile_page_numbers_are_brought_into_range(page: int) -> None:
    got = list_page(frame(103), "", BY_NAME, page, 10)
    expected = 1 if page < 12 else 11
    assert got.page == expected and len(got.rows) == (10 if expected == 1 else 3)


def test_page_size_must_hold_a_row() -> None:
    with pytest.raises(ValueError):
        page_number(10, 1, 0)


def test_empty_result_is_one_empty_page() -> None:
    got = list_page(frame(20), "no such words", BY_NAME, 5, 10)
    assert (got.total, got.page, got.pages, got.first, got.last) == (0, 1, 1, 0, 0)
    assert got.rows.empty and got.ids == []
    empty = list_page(frame(0), "", BY_SIZE, 1, 10)
    assert (empty.total, empty.pages) == (0, 1)


def test_sort_puts_missing_last_and_keeps_ties_in_list_order() -> None:
    rows = frame(30)
    got = list_view(rows, "", BY_SIZE)
    sizes = list(got["size"])
    known = [s for s in sizes if not math.isnan(s)]
    assert known == sorted(known, reverse=True)
    assert all(math.isnan(s) for s in sizes[len(known):])
    # Rows of one size come in name order, rows without one too.
    for size in set(known):
        names = list(got.loc[got["size"] == size, "name"])
        assert names == sorted(names)
    assert list(got.loc[got["size"].isna(), "name"]) == \
        sorted(rows.loc[rows["size"].isna(), "name"])
    # With no second key, rows that tie keep the frame's order.
    by_size_only = list_view(rows, "", SortOrder(("size",), (False,)))
    for size in [*set(known), None]:
        same = by_size_only["size"].isna() if size is None else by_size_only["size"] == size
        ids = list(by_size_only.loc[same, "id"])
        assert ids == sorted(ids, key=lambda i: int(i[1:]))


def test_search_needs_every_word_folded() -> None:
    rows = frame(10)
    assert list(search(rows, "EVEN  row")["id"]) == ["r0", "r2", "r4", "r6", "r8"]
    assert len(search(rows, "елка")) == 10  # ё is read as е, both ways
    assert len(search(rows, "ЁЛКА odd")) == 5
    assert len(search(rows, "   ")) == 10
    assert search(rows, "row 3")["id"].tolist() == ["r3"]


def test_query_work_is_bounded() -> None:
    words = " ".join(f"w{i}" for i in range(500))
    assert len(query_words(words)) == MAX_WORDS
    assert query_words("a A a b") == ["a", "b"]
    assert query_words("x" * 10_000) == ["x" * 200]


@pytest.mark.parametrize("query", ["", "water", "eu", "НПО", "argo", "a b", "ё", "the of",
                                   "Алматы", "zzzz"])
def test_project_search_agrees_with_the_row_by_row_search(generated: Snapshot,
                                                          query: str) -> None:
    listed = project_list(generated, "en", "EUR")
    ids = list(listed["project_id"])
    assert list(search(listed, query)["project_id"]) == search_projects(generated, query, ids)


def test_both_project_searches_look_at_the_same_words(generated: Snapshot) -> None:
    letters = list("aeiontrsldcgumphbykf")
    query = " ".join([*letters, "zzzz"])  # the word past MAX_WORDS is not looked at
    assert len(letters) == MAX_WORDS
    listed = project_list(generated, "en", "EUR")
    found = list(search(listed, query)["project_id"])
    assert found != [] and found == search_projects(generated, query, list(listed["project_id"]))


def _ref_search_texts(snap: Snapshot) -> dict[str, str]:
    """The search text of each project, one whole-table scan per project."""
    orgs = snap.table("organizations").set_index("org_id")
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    texts = {}
    for p in snap.table("projects").to_dict("records"):
        pid = p["project_id"]
        org_ids = (set(parts.loc[parts["project_id"] == pid, "org_id"])
                   | set(flows.loc[flows["project_id"] == pid, "from_org_id"])
                   | set(flows.loc[flows["project_id"] == pid, "to_org_id"]))
        fields = [p[f"{name}_{lang}"] for name in ("title", "summary") for lang in LANGUAGES]
        for o in sorted(org_ids & set(orgs.index)):
            fields += [orgs.at[o, f"name_{lang}"] for lang in LANGUAGES]
            fields.append(orgs.at[o, "acronym"])
        texts[pid] = fold("\n".join(str(f) for f in fields if not is_missing(f)))
    return texts


@pytest.fixture(scope="module")
def awkward() -> Snapshot:
    """A generated set with cells a search text must survive: missing (None, NaN, ""), case
    and combining marks that fold into one form, a flow to an organization nobody lists, an
    organization with no text at all."""
    data = synthesize(300, seed=5)
    projects, orgs = data["projects"], data["organizations"]
    projects.loc[0, "title_ru"] = "\u0301Ударение в начале, ЁЛКА"
    projects.loc[1, ["summary_en", "summary_kk"]] = [None, float("nan")]
    orgs.loc[0, ["name_ru", "acronym"]] = ["Е\u0308ЛКА И ЁЖ", None]
    orgs.loc[1, ["name_en", "name_ru", "name_kk", "acronym"]] = ["", None, float("nan"), ""]
    flows = data["funding_flows"]
    flows.loc[0, "to_org_id"] = "nobody-lists-this-org"
    return build_snapshot(data, "awkward")


@pytest.mark.parametrize("which", ["generated", "awkward"])
def test_search_texts_agree_with_the_row_by_row_reference(
        which: str, request: pytest.FixtureRequest) -> None:
    snap: Snapshot = request.getfixturevalue(which)
    assert dict(project_search_texts(snap)) == _ref_search_texts(snap)


def test_the_list_and_search_projects_share_one_search_text_per_project(
        awkward: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = project_list(awkward, "en", "EUR")
    texts = project_search_texts(awkward)
    assert dict(zip(listed["project_id"], listed[SEARCH], strict=True)) == dict(texts)
    with pytest.raises(TypeError):
        texts["glocal"] = "shared by every caller, so nobody may change it"  # type: ignore[index]
    # Built once per snapshot: another language's list and the row-by-row search read it.
    def built_again(snap: Snapshot) -> None:
        raise AssertionError("the search texts were built a second time")

    monkeypatch.setattr(listing, "_project_search_texts", built_again)
    assert project_search_texts(awkward) is texts
    ids = list(project_list(awkward, "kk", "KZT")["project_id"])
    assert search_projects(awkward, "ёлка", ids) == [
        pid for pid in ids if "елка" in texts[pid]] != []


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_project_list_default_order_is_the_filters_order(generated: Snapshot, lang: str) -> None:
    listed = project_list(generated, lang, "EUR")
    ids = matching_projects(generated, Filters())
    assert list(listed["project_id"]) == ids
    donor = Filters(donors=("eu",))
    assert list(projects_in(listed, matching_projects(generated, donor))["project_id"]) == \
        matching_projects(generated, donor)


@pytest.mark.parametrize("currency", ["EUR", "KZT", "USD"])
def test_budget_and_start_keys_agree_with_the_row_by_row_conversion(generated: Snapshot,
                                                                    currency: str) -> None:
    listed = project_list(generated, "ru", currency).set_index("project_id")
    projects = generated.table("projects").set_index("project_id")
    unknown = 0
    for pid, row in listed.iterrows():
        converted = budget_conversion(generated, projects.loc[pid], currency).converted
        if converted.is_known:
            assert row["budget"] == pytest.approx(converted.value)
        else:
            unknown += 1
            assert math.isnan(row["budget"])
        start, _ = project_years(projects.loc[pid])
        assert (math.isnan(row["start"]) if start is None else row["start"] == start)
    assert 0 < unknown < len(listed)  # both kinds are there to compare


def test_project_sorts(generated: Snapshot) -> None:
    listed = project_list(generated, "kk", "KZT")
    by_budget = list_view(listed, "", PROJECT_SORTS["budget"])
    budgets = [b for b in by_budget["budget"] if not math.isnan(b)]
    assert budgets == sorted(budgets, reverse=True)
    titles = list(list_view(listed, "", PROJECT_SORTS["title"])["title_key"])
    assert titles == sorted(titles)
    newest = [s for s in list_view(listed, "", PROJECT_SORTS["newest"])["start"]
              if not math.isnan(s)]
    assert newest == sorted(newest, reverse=True)


@pytest.mark.parametrize("query", ["(.*", "[", "\\", "^$", "a|b", "%s {0}"])
def test_search_reads_pattern_characters_as_text(query: str) -> None:
    rows = pd.DataFrame({"id": ["plain", "has"], SEARCH: ["nothing here", fold(f"x {query} y")]})
    assert list(search(rows, query)["id"]) == ["has"]


def test_names_sort_in_the_readers_alphabet() -> None:
    from atlas.listing import collation_key

    kk = ["Үй", "Іс", "қала", "Ана", "Әке", "бала", "Ғалым", "Ұйым", "Яблоко", "Кітап", "Өзен",
          "Ою", "Ңа", "Нан", "«ARGO»", "zebra", "Һ", "Шағын"]
    assert sorted(kk, key=lambda n: collation_key(n, "kk")) == [
        "«ARGO»", "zebra", "Ана", "Әке", "бала", "Ғалым", "Кітап", "қала", "Нан", "Ңа", "Ою",
        "Өзен", "Ұйым", "Үй", "Һ", "Шағын", "Іс", "Яблоко"]
    ru = ["ёлка", "Ель", "ежевика", "Яма", "арбуз", "Жук"]
    assert sorted(ru, key=lambda n: collation_key(n, "ru")) == [
        "арбуз", "ежевика", "ёлка", "Ель", "Жук", "Яма"]
