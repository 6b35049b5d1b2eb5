"""The presentation tour: steps follow the filters and the presenter's order, figures match."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.cards import project_card
from atlas.figures import format_figure
from atlas.maps.explorer import padded_bounds
from atlas.query import FUNDING_ROLES, IMPLEMENTING_ROLES, Filters, summarize
from atlas.snapshot import Snapshot
from atlas.tour import (
    HEADLINE_LENGTHS,
    TOUR_BY,
    format_order,
    headline_length,
    move,
    ordered_keys,
    parse_order,
    tour_keys,
    tour_steps,
)

EU = Filters(donors=("eu",))
EU_PROJECTS = ["auyldy-birlese-damytu", "glocal", "eu-tald-east-central"]  # by English title


def test_project_tour_follows_the_filters(snap: Snapshot) -> None:
    assert tour_keys(snap, EU, "project") == EU_PROJECTS
    assert len(tour_keys(snap, Filters(), "project")) == 5


def test_region_tour_runs_west_to_east(snap: Snapshot) -> None:
    # Mangystau, Kyzylorda, Karaganda, East Kazakhstan: the EU's four regions.
    assert tour_keys(snap, EU, "region") == ["KAZ014", "KAZ013", "KAZ011", "KAZ008"]


def test_presenter_order_and_left_out_steps() -> None:
    available = ["a", "b", "c"]
    assert ordered_keys(available, None) == available
    assert ordered_keys(available, ["c", "a"]) == ["c", "a"]  # b was left out
    assert ordered_keys(available, ["x", "b", "b"]) == ["b"]  # x no longer matches
    assert move(["a", "b", "c"], "c", -1) == ["a", "c", "b"]
    assert move(["a", "b", "c"], "a", -1) == ["a", "b", "c"]
    assert move(["a", "b", "c"], "a", 5) == ["b", "c", "a"]


def test_order_round_trips_through_the_url() -> None:
    assert parse_order(None) is None
    assert parse_order("") == []
    assert parse_order(format_order(["glocal", "eu-tald-east-central"])) == \
        ["glocal", "eu-tald-east-central"]


def test_steps_open_with_the_whole_view_then_one_per_project(snap: Snapshot) -> None:
    steps = tour_steps(snap, EU, "project", ["glocal", "auyldy-birlese-damytu"])
    assert [s.kind for s in steps] == ["overview", "project", "project"]
    assert [s.key for s in steps[1:]] == ["glocal", "auyldy-birlese-damytu"]
    overview = steps[0]
    assert overview.bounds is None
    assert "European Union" in overview.subtitle
    figures = {f.label: f for f in overview.figures}
    assert figures["Funding"].value == "1,232,570 EUR"
    assert figures["Funding"].note == "derived"  # 412,570 is derived from a joint budget
    assert figures["Projects"].value == "3" and figures["Sites"].value == "19"
    assert figures["People reached"].value == "3,000+"


def test_project_step_moves_to_its_sites_with_its_figures(snap: Snapshot) -> None:
    step = tour_steps(snap, Filters(), "project", ["glocal"])[1]
    assert step.title == "GLocal"
    assert step.filters.projects == ("glocal",)
    sites = snap.sites.loc[snap.sites["project_id"] == "glocal"]
    west, south, east, north = sites.total_bounds
    assert step.bounds == padded_bounds((west, south, east, north))
    figures = {f.label: f.value for f in step.figures}
    assert figures["Budget"] == "428,000 EUR"
    # Without a donor filter the project's money counted is everything entering it.
    expected = summarize(snap, Filters(projects=("glocal",))).funding
    assert figures["Funding counted"] == format_figure(expected, "en", "EUR", compact=True)
    assert [b.goal for b in step.sdgs] == [17, 16, 11]
    assert step.donors[0] == "European Union"  # named donors before unnamed co-financing
    assert step.sources and step.map_options(_options()).shade_regions is False


def test_unknown_stays_unknown(snap: Snapshot) -> None:
    step = tour_steps(snap, Filters(), "project", ["wko-rural-ngo-capacity"],
                      currency="KZT")[1]
    figures = {f.label: f for f in step.figures}
    assert figures["Budget"].value == "unknown"  # never 0
    assert figures["People reached"].value == "unknown"
    # The ministry's amount is not stated: counted as at least the 5 × 570,000 passed on.
    assert figures["Funding counted"].value == "2,850,000+ KZT"
    assert figures["Funding counted"].note == "derived"


def test_region_step(snap: Snapshot) -> None:
    step = tour_steps(snap, EU, "region", ["KAZ011"], lang="ru", currency="KZT")[1]
    assert step.title == "Карагандинская область"
    assert step.filters.regions == ("KAZ011",)
    assert len(step.items) == 2  # GLocal and the EU's East and Central project
    assert dict((f.label, f.value) for f in step.figures)["Проекты"] == "2"
    assert step.map_options(_options()).shade_regions is False  # its region filled lightly
    assert tour_steps(snap, EU)[0].map_options(_options()).shade_regions is True


def test_steps_speak_the_language(snap: Snapshot) -> None:
    steps = tour_steps(snap, EU, "project", lang="kk")
    assert steps[0].title == "Қазақстан жобалар атласы"
    assert "Еуропалық Одақ" in steps[0].subtitle


def test_no_match_leaves_only_the_opening_step(snap: Snapshot) -> None:
    steps = tour_steps(snap, Filters(sdgs=(14,)), "project")
    assert len(steps) == 1 and steps[0].figures[0].value == "unknown"


def _options():  # type: ignore[no-untyped-def]
    from atlas.maps.explorer import MapOptions

    return MapOptions()


def test_region_step_counts_only_the_share_in_that_region(snap: Snapshot) -> None:
    step = tour_steps(snap, EU, "region", ["KAZ008"])[1]
    figures = {f.label: f for f in step.figures}
    # East Kazakhstan's equal-site share of the EU's East and Central grant (derived).
    assert figures["Funding"].value == "210,000 EUR" and figures["Funding"].note == "derived"


def _bounds_by_scan(snap: Snapshot, project_ids: list[str], filters: Filters) -> object:
    """A step's bounds as they were found: the sites table filtered for the step's projects."""
    sites = snap.sites.loc[snap.sites["project_id"].isin(project_ids)]
    if filters.regions:
        sites = sites.loc[sites["region_code"].isin(filters.regions)]
    if sites.empty:
        return None
    west, south, east, north = (float(v) for v in sites.total_bounds)
    return padded_bounds((west, south, east, north))


def _org_names_by_scan(snap: Snapshot, project_ids: list[str], roles: tuple[str, ...],
                       lang: str) -> tuple[str, ...]:
    parts = snap.table("participants")
    chosen = parts.loc[parts["project_id"].isin(project_ids) & parts["role"].isin(roles)]
    names = snap.organization_names(lang)
    kinds = snap.table("organizations").set_index("org_id")["kind"]
    ids = sorted(dict.fromkeys(chosen["org_id"]), key=lambda o: kinds[o] == "unspecified")
    return tuple(names[o] for o in ids)


def _goals_by_scan(snap: Snapshot, project_ids: list[str]) -> list[int]:
    sdgs = snap.table("project_sdgs")
    return sorted(int(g) for g in set(sdgs.loc[sdgs["project_id"].isin(project_ids), "goal"]))


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_generated_steps_agree_with_the_table_scans(seed: int) -> None:
    from tests.test_exports import generated, views

    snap = generated(seed)
    for i, filters in enumerate(views(snap)[:4]):
        lang = ("en", "ru", "kk")[(i + seed) % 3]
        for by in TOUR_BY:
            for step in tour_steps(snap, filters, by, tour_keys(snap, filters, by)[:6], lang):
                ids = summarize(snap, step.filters).project_ids
                assert step.donors == _org_names_by_scan(snap, ids, FUNDING_ROLES, lang)
                assert step.implementers == _org_names_by_scan(snap, ids, IMPLEMENTING_ROLES,
                                                               lang)
                if step.kind == "project":
                    assert step.bounds == _bounds_by_scan(snap, ids, step.filters)
                    card = project_card(snap, step.key, lang)
                    assert (step.title, step.sdgs, step.sources) == \
                        (card.title, tuple(card.sdgs), tuple(card.sources))
                if step.kind == "region":
                    assert [b.goal for b in step.sdgs] == _goals_by_scan(snap, ids)


def test_steps_read_their_projects_sites_from_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each step filtered the whole sites table for its project's sites: a tour of a data set
    # of 100,000 sites scanned it once per step.
    from tests.test_exports import generated

    snap = generated(2)
    scans = 0
    real = pd.Series.isin

    def counting(series: pd.Series, values: object) -> pd.Series:
        nonlocal scans
        scans += len(series) == len(snap.sites)
        return real(series, values)

    monkeypatch.setattr(pd.Series, "isin", counting)
    steps = tour_steps(snap, Filters(), "project", tour_keys(snap, Filters(), "project")[:10])
    assert len(steps) == 11
    assert scans == 0


def _keys_by_summary(snap: Snapshot, filters: Filters, by: str) -> list[str]:
    """The tour's keys as they were found: from the view's whole summary."""
    summary = summarize(snap, filters)
    if by == "project":
        return summary.project_ids
    codes = set(summary.regions["code"])
    regions = snap.regions.loc[snap.regions["code"].isin(codes)]
    west = regions.geometry.bounds["minx"]
    return list(regions.assign(_west=west).sort_values(["_west", "code"])["code"])


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_generated_tour_keys_agree_with_the_views_summary(seed: int) -> None:
    from tests.test_exports import generated, views

    snap = generated(seed)
    for filters in [*views(snap), Filters(regions=("KAZ011", "KAZ014"), sdgs=(4, 5))]:
        for by in TOUR_BY:
            assert tour_keys(snap, filters, by) == _keys_by_summary(snap, filters, by)


def test_naming_the_steps_does_not_total_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    # The keys came from the view's whole summary (every project's funding and reach); a deck
    # of 100,000 sites summarized the whole view twice before its first step.
    import atlas.tour as tour
    from tests.test_exports import generated

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("summarize called")

    monkeypatch.setattr(tour, "summarize", refuse)
    snap = generated(2)
    assert tour_keys(snap, Filters(), "project")
    assert tour_keys(snap, Filters(regions=("KAZ011",)), "region") == ["KAZ011"]


def test_a_project_step_takes_in_the_regions_it_covers_whole_and_no_invented_point() -> None:
    from tests.pointless import (
        NATIONAL_PROJECT,
        NATIONAL_SITE,
        REGION_CODE,
        REGION_PROJECT,
        pointless_snapshot,
    )

    snap = pointless_snapshot()
    (step,) = [s for s in tour_steps(snap, Filters(), "project", [REGION_PROJECT], "en")
               if s.kind == "project"]
    assert step.bounds is not None
    west, south, east, north = step.bounds
    region = snap.regions.loc[snap.regions["code"] == REGION_CODE]
    r_west, r_south, r_east, r_north = (float(v) for v in region.total_bounds)
    assert west <= r_west and south <= r_south and east >= r_east and north >= r_north
    # The nationwide site adds nothing to the view: its project's points decide it.
    (national,) = [s for s in tour_steps(snap, Filters(), "project", [NATIONAL_PROJECT], "en")
                   if s.kind == "project"]
    points = snap.sites.loc[(snap.sites["project_id"] == NATIONAL_PROJECT)
                            & (snap.sites["site_id"] != NATIONAL_SITE)]
    p_west, p_south, p_east, p_north = (float(v) for v in points.total_bounds)
    assert national.bounds == padded_bounds((p_west, p_south, p_east, p_north))


def test_a_long_headline_value_gets_a_longer_class_never_a_cut() -> None:
    assert headline_length("3") == HEADLINE_LENGTHS[0]
    assert headline_length("1 232 570 EUR") == 14
    assert headline_length("≈ 3 000 (есептелген)") == 24
    # Longer than every class: the last (smallest type); the page lets it wrap, never "…".
    assert headline_length("x" * 60) == HEADLINE_LENGTHS[-1]
    lengths = [headline_length("x" * n) for n in range(1, 40)]
    assert lengths == sorted(lengths)
    assert all(n >= len("x" * k) for k, n in enumerate(lengths, start=1) if k <= 24)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("by", TOUR_BY)
def test_a_derived_figure_says_what_it_is_derived_from(snap: Snapshot, by: str,
                                                       lang: str) -> None:
    from atlas.figures import Figure, derived_note
    from atlas.tour import derivations

    word = derived_note(Figure(1.0, derived=True), lang)
    steps = tour_steps(snap, Filters(), by, lang=lang)  # type: ignore[arg-type]
    derived = [(s, f) for s in steps for f in s.figures if f.note]
    assert len(derived) >= len(steps) - 1  # nearly every step has one
    for step, figure in derived:
        # "derived: <what from>", never the bare word ("расчёт" said nothing of what from).
        assert figure.derivation.startswith(f"{word}: ")
        assert len(figure.derivation) > len(word) + 20, figure.derivation
        assert any(figure.label in line.split(" — ")[0].split(", ")
                   and line.endswith(figure.derivation) for line in derivations(step.figures))
    # A figure stated as such has none.
    assert all(not f.derivation for s in steps for f in s.figures if not f.note)


def test_figures_derived_alike_share_one_line(snap: Snapshot) -> None:
    from atlas.tour import derivations

    step = tour_steps(snap, Filters(), "region", ["KAZ014"], lang="ru")[1]
    assert derivations(step.figures) == [
        "Финансирование, Охват людей — расчёт: показатель каждого проекта поровну разделён "
        "между его точками; сложены доли показанных точек"]
    overview = tour_steps(snap, Filters(), "project", lang="en")[0]
    assert derivations(overview.figures) == [
        "Funding — derived: the projects' figures added up, some worked out from what the "
        "sources state"]
    budget = {f.label: f for f in tour_steps(snap, Filters(), "project",
                                             ["auyldy-birlese-damytu"])[1].figures}["Budget"]
    # A derived budget says how in the data's own words, as the project's card does.
    assert budget.derivation.startswith("derived: 928,412 EUR total budget of both EU projects")
