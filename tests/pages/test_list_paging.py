"""Long lists a page at a time (AppTest on a generated set of 300 sites, 61 projects):
"rows X–Y of N" in every language, page and sort kept in the URL, hostile page numbers,
downloads made only when clicked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from atlas import organizations, tour
from atlas.figures import format_number
from atlas.i18n import LANGUAGES, localized, localized_note, t
from atlas.listing import PROJECT_SORTS, list_view, project_list
from atlas.organizations import ORGANIZATION_SORTS, organization_list
from atlas.snapshot import Snapshot
from atlas.store import open_store
from atlas.synth import synthesize
from atlas.ui import organizations_page, present_page, projects_page, sources_page
from atlas.ui.text import md
from tests.pages.support import open_page, plain, run

PROJECTS = "pages/2_Projects.py"
SIZE = projects_page.PAGE_SIZE


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's store holds a generated set, larger than one page of every list."""
    path = tmp_path_factory.mktemp("atlas-paging") / "atlas.sqlite"
    open_store(path).replace_all(synthesize(300, seed=3), reason="paging test")
    return path


def opened(page_file: str, **params: str) -> AppTest:
    """``page_file`` with URL parameters (``page`` among them: ``open_page`` takes ``page``
    as the page file)."""
    at = open_page(page_file)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def projects(**params: str) -> AppTest:
    return opened(PROJECTS, **params)


def listed(at: AppTest) -> list[str]:
    return [str(b.key).removeprefix("p_open_") for b in at.button
            if str(b.key).startswith("p_open_")]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def expected_ids(snap: Snapshot, sort: str = "title", lang: str = "en",
                 currency: str = "EUR") -> list[str]:
    return list(list_view(project_list(snap, lang, currency), "", PROJECT_SORTS[sort])
                ["project_id"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_projects_come_a_page_at_a_time(app_snap: Snapshot, lang: str) -> None:
    total = len(app_snap.table("projects"))
    assert total > 2 * SIZE
    at = run(projects(lang=lang))
    every = expected_ids(app_snap, lang=lang)
    assert listed(at) == every[:SIZE]
    rows = t("list_rows", lang, first=1, last=SIZE, total=format_number(total, lang))
    assert rows in captions(at)
    at.button(key="p_page_next").click()
    run(at)
    assert listed(at) == every[SIZE:2 * SIZE]
    assert at.query_params.get("page") == "2"
    at.number_input(key="p_page_box").set_value(3)
    run(at)
    assert listed(at) == every[2 * SIZE:]
    assert at.button(key="p_page_next").disabled
    at.button(key="p_page_prev").click()
    run(at)
    assert listed(at) == every[SIZE:2 * SIZE]


@pytest.mark.parametrize(("page", "shown"), [("999999999999", 3), ("-4", 1), ("0", 1),
                                             ("2.5", 1), ("two", 1), ("3", 3)])
def test_page_from_url_is_brought_into_range(app_snap: Snapshot, page: str, shown: int) -> None:
    at = run(projects(page=page))
    every = expected_ids(app_snap)
    assert listed(at) == every[(shown - 1) * SIZE:shown * SIZE]
    assert at.query_params.get("page") == (None if shown == 1 else str(shown))


def test_sort_and_page_from_url_and_a_new_search_starts_at_page_one(app_snap: Snapshot) -> None:
    at = run(projects(sort="budget", page="2", cur="KZT"))
    assert at.selectbox(key="p_sort").value == "budget"
    assert listed(at) == expected_ids(app_snap, "budget", currency="KZT")[SIZE:2 * SIZE]
    at.text_input(key="p_q").set_value("a")
    run(at)
    assert "page" not in at.query_params
    assert at.query_params.get("sort") == "budget" and at.query_params.get("q") == "a"
    at.selectbox(key="p_sort").set_value("title")
    run(at)
    assert "sort" not in at.query_params


def test_a_project_off_the_page_opens_by_id(app_snap: Snapshot) -> None:
    last = expected_ids(app_snap)[-1]
    at = run(projects(project=last))
    assert at.subheader and listed(at) == []
    at.button(key="p_close").click()
    run(at)
    assert len(listed(at)) == SIZE


def test_downloads_are_made_only_when_clicked(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        raise AssertionError("the downloads were made without a click")

    monkeypatch.setattr(projects_page, "list_exports", counting)
    at = run(projects())
    at.button(key="p_page_next").click()
    run(at)
    assert made == []
    buttons = at.get("download_button")
    assert len(buttons) == 4  # CSV, GeoJSON, Excel, IATI
    assert all(b.proto.HasField("deferred_file_id") for b in buttons)


# --- organizations ---------------------------------------------------------------------------

ORGS = "pages/3_Organizations.py"
ORG_SIZE = organizations_page.PAGE_SIZE


def organizations_app(**params: str) -> AppTest:
    return opened(ORGS, **params)


def org_names(at: AppTest, lang: str = "en") -> list[str]:
    return [plain(x) for x in at.table[0].value[t("org_col_name", lang)]]


def expected_orgs(snap: Snapshot, sort: str = "role", lang: str = "en",
                  currency: str = "EUR") -> list[str]:
    every = list_view(organization_list(snap, lang, currency), "", ORGANIZATION_SORTS[sort])
    return list(every["name"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_organizations_come_a_page_at_a_time(app_snap: Snapshot, lang: str) -> None:
    total = len(app_snap.table("organizations"))
    assert total > ORG_SIZE
    every = expected_orgs(app_snap, lang=lang)
    at = run(organizations_app(lang=lang))
    assert org_names(at, lang) == every[:ORG_SIZE]
    rows = t("list_rows", lang, first=1, last=ORG_SIZE, total=format_number(total, lang))
    assert rows in captions(at)
    at.button(key="org_page_next").click()
    run(at)
    assert org_names(at, lang) == every[ORG_SIZE:]
    assert at.query_params.get("page") == "2"


def test_organization_sort_and_hostile_page_from_url(app_snap: Snapshot) -> None:
    at = run(organizations_app(sort="gives", page="-3", cur="KZT"))
    assert org_names(at) == expected_orgs(app_snap, "gives", currency="KZT")[:ORG_SIZE]
    assert "page" not in at.query_params and at.query_params.get("sort") == "gives"
    at = run(organizations_app(sort="projects", page="999999999999"))
    assert org_names(at) == expected_orgs(app_snap, "projects")[ORG_SIZE:]
    assert at.query_params.get("page") == "2"


def test_an_organization_on_the_second_page_opens(app_snap: Snapshot) -> None:
    listed = organization_list(app_snap, "en", "EUR")
    at = run(organizations_app(page="2"))
    second = list(listed["org_id"])[ORG_SIZE + 1]
    at.selectbox(key="w_org_open_en").set_value(second)
    run(at)
    assert at.query_params.get("org") == second
    picker = at.selectbox(key="w_org_pick_en")
    assert picker.value == second
    assert set(picker.options) <= set(listed["name"])
    assert len(picker.options) == len(listed) - ORG_SIZE


def test_only_the_page_is_drawn_and_no_profile_is_made_for_the_list(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The list pages do per-row work only for the rows they show: project rows for the
    page's projects, and no organization profile at all until one is opened."""
    asked: list[int] = []
    real_rows = projects_page.project_rows

    def counting_rows(snap: Snapshot, ids: list[str], *args: Any) -> Any:
        asked.append(len(ids))
        return real_rows(snap, ids, *args)

    def no_profile(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a profile was made for the list")

    monkeypatch.setattr(projects_page, "project_rows", counting_rows)
    run(projects())
    assert asked and max(asked) <= SIZE
    monkeypatch.setattr(organizations, "organization_profile", no_profile)
    monkeypatch.setattr(organizations_page, "organization_profile", no_profile, raising=False)
    run(organizations_app())


# --- the Present page's steps ----------------------------------------------------------------

PRESENT = "pages/7_Present.py"
STEPS = present_page.STEPS_PAGE


def step_numbers(at: AppTest) -> list[int]:
    """The numbers of the listed steps, the opening (0) left out."""
    heads = [m.value.split("\\.", 1)[0] for m in at.markdown if "\\." in m.value[:6]]
    return [int(h) for h in heads if h.isdigit() and h != "0"]


def test_preparing_lists_the_steps_a_page_at_a_time(app_snap: Snapshot) -> None:
    total = len(app_snap.table("projects"))
    at = run(open_page(PRESENT, lang="ru"))
    assert step_numbers(at) == list(range(1, STEPS + 1))
    note = t("tour_steps_page", "ru", first=1, last=STEPS, total=format_number(total, "ru"))
    assert note in captions(at)
    at.button(key="t_steps_page_next").click()
    run(at)
    assert step_numbers(at) == list(range(STEPS + 1, 2 * STEPS + 1))
    first_here = [str(b.key).removeprefix("t_up_") for b in at.button
                  if str(b.key).startswith("t_up_")][0]
    at.button(key=f"t_up_{first_here}").click()  # onto the page before
    run(at)
    order = str(at.query_params.get("order")).split(",")
    assert order.index(first_here) == STEPS - 1


def test_left_out_steps_are_counted_and_only_the_first_named(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(present_page, "MAX_LEFT_OUT", 2)
    at = run(open_page(PRESENT))
    for _ in range(3):
        out = [b for b in at.button if str(b.key).startswith("t_out_")][0]
        out.click()
        run(at)
    backs = [b for b in at.button if str(b.key).startswith("t_back_")]
    assert len(backs) == 2
    assert t("tour_left_out_more", "en", n=1) in captions(at)


def test_presenting_makes_only_the_step_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tour.project_step

    def counting(snap: Snapshot, filters: Any, key: str, *args: Any) -> Any:
        made.append(key)
        return real(snap, filters, key, *args)

    monkeypatch.setattr(tour, "project_step", counting)
    monkeypatch.setattr(present_page, "project_step", counting, raising=False)
    at = run(opened(PRESENT, play="1", step="5"))
    assert len(made) == 1
    assert at.query_params.get("step") == "5"


# --- the Sources page's sites table ----------------------------------------------------------

def test_sites_table_comes_a_page_at_a_time(app_snap: Snapshot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources_page, "SITES_PAGE", 100)
    at = run(opened("pages/1_Sources.py", lang="kk"))
    regions = app_snap.region_names("kk")
    reference = [tuple(md(x) for x in (localized(s, "name", "kk"), regions[s["region_code"]],
                                       t(f"precision_{s['precision']}", "kk"),
                                       localized_note(s, "kk", "location_basis")))
                 for s in app_snap.sites.to_dict("records")]
    total = len(reference)
    assert total > 200

    def shown() -> list[tuple[object, ...]]:
        return [tuple(r) for r in at.table[1].value.itertuples(index=False)]

    assert shown() == reference[:100]
    assert t("list_rows", "kk", first=1, last=100, total=format_number(total, "kk")) in \
        captions(at)
    at.button(key="src_sites_page_next").click()
    run(at)
    assert shown() == reference[100:200]
