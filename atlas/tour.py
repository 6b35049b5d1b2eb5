"""A presentation tour: an opening step for the whole view, then one step per project or region.

The tour follows the filters the presenter chose (only EU projects, say) and an order the
presenter can change; every step says what the map shows (its filters), where to move the map
(its bounds) and the figures to read out, all already in the viewer's language. The same steps
drive the Present page and the slide deck, so the talk and the handout tell the same story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from atlas.cards import (
    SdgBadge,
    SourceLink,
    budget_figure,
    filters_in_words,
    period_text,
    project_records,
    project_source_ids,
    sdg_goals,
    source_links,
    status_text,
    view_sources,
)
from atlas.figures import Figure, derived_note, format_figure, total
from atlas.i18n import localized, localized_note, t
from atlas.maps.explorer import Bounds, MapOptions, padded_bounds
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    Filters,
    Summary,
    matching_projects,
    project_funding,
    project_index,
    project_reach,
    summarize,
)
from atlas.snapshot import Snapshot

TourBy = Literal["project", "region"]
TOUR_BY: tuple[TourBy, ...] = ("project", "region")
StepKind = Literal["overview", "project", "region"]


@dataclass(frozen=True)
class KeyFigure:
    """One figure read out at a step: its label and its text with qualifier and unit."""

    label: str
    value: str  # compact: "≈ 3,000", "300+", "unknown"
    note: str = ""  # "derived" where we computed the figure
    # Where we computed it, what from: "derived: the projects' figures added up; ..."
    derivation: str = ""


def key_figure(label: str, figure: Figure, lang: str, unit: str = "",
               basis: str = "") -> KeyFigure:
    """A figure to read out: compact text in large type, with "derived" beside it if so and
    what it was derived from (``basis``, in ``lang``)."""
    note = derived_note(figure, lang)
    return KeyFigure(label, format_figure(figure, lang, unit, compact=True), note,
                     t("derived_how", lang, basis=basis) if note and basis else note)


def derivations(figures: Sequence[KeyFigure]) -> list[str]:
    """One line per distinct derivation of ``figures``, naming the figures it is about:
    "Funding, People reached — derived: each project's figure shared ..."."""
    labels: dict[str, list[str]] = {}
    for figure in figures:
        if figure.derivation:
            labels.setdefault(figure.derivation, []).append(figure.label)
    return [f"{', '.join(names)} — {text}" for text, names in labels.items()]


def derivation_basis(filters: Filters, lang: str, *, many: bool) -> str:
    """What a step's funding or reach is derived from, when it is: with a region chosen, each
    project's figure is shared among its sites (``view_figures``); else the figures the
    sources state, some worked out from them, added up over the projects (``many``)."""
    if filters.regions:
        return t("derived_basis_region_shares", lang)
    return t("derived_basis_projects" if many else "derived_basis_project", lang)


# A headline value is set in type sized for the longest value of its length class, so that
# it shows whole in its box (value and unit, "≈ 3 000 (есептелген)"), never cut with "…".
HEADLINE_LENGTHS = (5, 8, 11, 14, 18, 24)


def headline_length(value: str) -> int:
    """The length class a headline value is set for: the shortest that holds it (values
    longer than the last class get its size and may wrap between words)."""
    return next((n for n in HEADLINE_LENGTHS if len(value) <= n), HEADLINE_LENGTHS[-1])


@dataclass(frozen=True)
class TourStep:
    """What one step of the tour shows."""

    kind: StepKind
    key: str  # the project id or region code; "" for the opening step
    title: str
    subtitle: str
    filters: Filters  # what the map draws at this step
    bounds: Bounds | None  # where the map moves; None means the whole country
    figures: tuple[KeyFigure, ...]
    donors: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    sdgs: tuple[SdgBadge, ...] = ()
    items: tuple[str, ...] = ()  # a region's projects, or a project's regions
    sources: tuple[SourceLink, ...] = ()

    def map_options(self, base: MapOptions) -> MapOptions:
        """How to draw this step's map: moved to its bounds. A project's or a region's map
        fills its regions lightly instead of shading them (one class would be the darkest
        blue and hide the markers on it), and folds its legend (it would cover the sites the
        step is about; the presenter opens it on demand)."""
        overview = self.kind == "overview"
        return replace(base, bounds=self.bounds, shade_regions=overview,
                       legend_closed=not overview)


def _view_site_rows(snap: Snapshot, project_ids: Sequence[str], filters: Filters) -> np.ndarray:
    """Rows of ``snap.sites`` (table order) of these projects, within the chosen regions."""
    index = project_index(snap)
    rows = np.sort(np.concatenate([index.rows("sites", p) for p in project_ids]
                                  or [np.array([], dtype=np.intp)]))
    if filters.regions:
        codes = snap.sites["region_code"].to_numpy(dtype=object)[rows]
        rows = rows[pd.Series(codes, dtype=object).isin(filters.regions).to_numpy()]
    return rows


def tour_keys(snap: Snapshot, filters: Filters, by: TourBy) -> list[str]:
    """The steps a tour can take, in their default order.

    Projects in title order (as in the projects table); regions that have matching sites from
    west to east, so the tour crosses the country in one direction. Read from the indexes:
    the view's whole summary (every project's funding) is not needed to name its steps.
    """
    project_ids = matching_projects(snap, filters)
    if by == "project" and not filters.regions:
        return project_ids
    rows = _view_site_rows(snap, project_ids, filters)
    if by == "project":
        # With a region filter, the projects that have a site there.
        present = set(snap.sites["project_id"].to_numpy(dtype=object)[rows].tolist())
        return [p for p in project_ids if p in present]
    codes = set(pd.Series(snap.sites["region_code"].to_numpy(dtype=object)[rows], dtype=object)
                .dropna().tolist())
    regions = snap.regions.loc[snap.regions["code"].isin(codes)]
    west = regions.geometry.bounds["minx"]
    return list(regions.assign(_west=west).sort_values(["_west", "code"])["code"])


def ordered_keys(available: Sequence[str], order: Sequence[str] | None) -> list[str]:
    """The presenter's order: the chosen keys that are still available, in their order.

    With no chosen order, every available key in its default order. A key left out of a chosen
    order stays out (the presenter removed it); one that no longer matches the filters is
    dropped.
    """
    if order is None:
        return list(available)
    allowed = set(available)
    return [k for k in dict.fromkeys(order) if k in allowed]


def move(order: Sequence[str], key: str, offset: int) -> list[str]:
    """``order`` with ``key`` moved ``offset`` places (clamped at either end)."""
    keys = list(order)
    if key not in keys:
        return keys
    i = keys.index(key)
    j = max(0, min(len(keys) - 1, i + offset))
    keys.insert(j, keys.pop(i))
    return keys


def parse_order(text: str | None) -> list[str] | None:
    """An order from its URL form ``a,b,c``; None (the default order) when absent."""
    if text is None:
        return None
    return [k for k in (part.strip() for part in text.split(",")) if k]


def format_order(order: Sequence[str]) -> str:
    """The URL form of an order."""
    return ",".join(order)


def view_figures(snap: Snapshot, filters: Filters, summary: Summary) -> tuple[Figure, Figure]:
    """Funding and people reached of a view, marked derived only where we computed them.

    The summary sums equal site shares, so its totals are always marked derived; without a
    region filter the same sums come from the projects' own figures, which keep "exact" where
    the sources state them (GLocal's 400,000 EUR from the EU is stated, not computed).
    """
    if filters.regions:
        return summary.funding, summary.people_reached
    funding = total(project_funding(snap, p, filters.donors, summary.currency)
                    for p in summary.project_ids) if summary.project_ids else Figure.unknown()
    reach = total(project_reach(snap, p) for p in summary.project_ids) \
        if summary.project_ids else Figure.unknown()
    return funding, reach


def _headline(snap: Snapshot, filters: Filters, summary: Summary,
              lang: str) -> list[KeyFigure]:
    funding, reach = view_figures(snap, filters, summary)
    basis = derivation_basis(filters, lang, many=True)
    return [
        key_figure(t("kpi_funding", lang), funding, lang, summary.currency, basis),
        KeyFigure(t("kpi_projects", lang), str(len(summary.project_ids))),
        KeyFigure(t("kpi_sites", lang), str(summary.sites)),
        key_figure(t("kpi_reach", lang), reach, lang, basis=basis),
    ]


def _sites_bounds(snap: Snapshot, summary: Summary, filters: Filters) -> Bounds | None:
    rows = _view_site_rows(snap, summary.project_ids, filters)
    lon = snap.sites["lon"].to_numpy(dtype=float)[rows]
    lat = snap.sites["lat"].to_numpy(dtype=float)[rows]
    placed = ~(np.isnan(lon) | np.isnan(lat))
    # A whole-region site is shown by its region's outline: the view takes in the region.
    whole = snap.sites["precision"].to_numpy(dtype=object)[rows] == "region"
    codes = set(snap.sites["region_code"].to_numpy(dtype=object)[rows][whole].tolist())
    outlines = snap.regions.loc[snap.regions["code"].isin(codes)].geometry.bounds
    xs = np.concatenate([lon[placed], outlines["minx"], outlines["maxx"]])
    ys = np.concatenate([lat[placed], outlines["miny"], outlines["maxy"]])
    if not len(xs):
        return None  # nationwide only (or nothing): the whole country
    return padded_bounds((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))


def _unnamed_orgs(snap: Snapshot) -> frozenset[str]:
    """Organizations standing for money whose source is not named."""
    def build() -> frozenset[str]:
        orgs = snap.table("organizations")
        return frozenset(orgs.loc[orgs["kind"] == "unspecified", "org_id"].tolist())

    return snap.derived("tour.unnamed_orgs", build)


def _org_names(snap: Snapshot, project_ids: Sequence[str], roles: Sequence[str],
               lang: str) -> tuple[str, ...]:
    """The organizations with these roles in these projects, in participants-table order."""
    index = project_index(snap)
    parts = snap.table("participants")
    rows = np.sort(np.concatenate([index.rows("participants", p) for p in project_ids]
                                  or [np.array([], dtype=np.intp)]))
    chosen_roles = parts["role"].to_numpy(dtype=object)[rows]
    org_ids = parts["org_id"].to_numpy(dtype=object)[rows]
    wanted = set(roles)
    names = snap.organization_names(lang)
    unnamed = _unnamed_orgs(snap)
    # Named organizations first; "co-financing, source not named" last.
    ids = sorted(dict.fromkeys(o for o, r in zip(org_ids.tolist(), chosen_roles.tolist(),
                                                 strict=True) if r in wanted),
                 key=lambda o: o in unnamed)
    return tuple(names[o] for o in ids)


def overview_step(snap: Snapshot, filters: Filters, lang: str, currency: str) -> TourStep:
    """The opening step: the whole country with the headline figures of the chosen view."""
    summary = summarize(snap, filters, currency)
    regions = snap.region_names(lang)
    return TourStep(
        kind="overview", key="", title=t("app_title", lang),
        subtitle=f"{t('filters', lang)}: {filters_in_words(snap, filters, lang)}",
        filters=filters, bounds=None,
        figures=tuple(_headline(snap, filters, summary, lang)),
        donors=_org_names(snap, summary.project_ids, FUNDING_ROLES, lang),
        implementers=_org_names(snap, summary.project_ids, IMPLEMENTING_ROLES, lang),
        items=tuple(sorted(regions[c] for c in summary.regions["code"])),
        sources=tuple(view_sources(snap, summary.project_ids, lang)),
    )


def _project_badges(snap: Snapshot, project_id: str, lang: str) -> tuple[SdgBadge, ...]:
    """A project's goals as its card shows them (main goal first), without the rest of the
    card: a step needs only its title, goals and sources."""
    names = snap.table("sdgs").set_index("goal")
    rows = snap.table("project_sdgs").iloc[project_index(snap).rows("sdgs", project_id)]
    return tuple(SdgBadge(int(r["goal"]), localized(names.loc[r["goal"]], "name", lang),
                          names.at[r["goal"], "colour"], r["targets"].replace(";", ", "),
                          localized_note(r, lang, "rationale"))
                 for r in rows.sort_values("rank").to_dict("records"))


def project_step(snap: Snapshot, filters: Filters, project_id: str, lang: str,
                 currency: str) -> TourStep:
    """One project: its sites (within the chosen regions), budget, money counted, reach."""
    step_filters = replace(filters, projects=(project_id,))
    summary = summarize(snap, step_filters, currency)
    project = project_records(snap)[project_id]
    budget = budget_figure(project)
    funding, reach = view_figures(snap, step_filters, summary)
    basis = derivation_basis(step_filters, lang, many=False)
    figures = [
        # A derived budget says how in the data (budget_basis), as the project's card does.
        key_figure(t("card_budget", lang), budget, lang, project["budget_currency"] or "",
                   localized_note(project, lang, "budget_basis").removesuffix(".")
                   or t("derived_basis_project", lang)),
        key_figure(t("col_funding", lang), funding, lang, currency, basis),
        key_figure(t("kpi_reach", lang), reach, lang, basis=basis),
        KeyFigure(t("kpi_sites", lang), str(summary.sites)),
    ]
    regions = snap.region_names(lang)
    return TourStep(
        kind="project", key=project_id, title=localized(project, "title", lang),
        subtitle=f"{period_text(project, lang)} · {status_text(project, lang)}",
        filters=step_filters, bounds=_sites_bounds(snap, summary, step_filters),
        figures=tuple(figures),
        donors=_org_names(snap, [project_id], FUNDING_ROLES, lang),
        implementers=_org_names(snap, [project_id], IMPLEMENTING_ROLES, lang),
        sdgs=_project_badges(snap, project_id, lang),
        items=tuple(regions[c] for c in summary.regions["code"]),
        sources=tuple(source_links(snap, project_source_ids(snap, project_id), lang)),
    )


def region_step(snap: Snapshot, filters: Filters, code: str, lang: str,
                currency: str) -> TourStep:
    """One region: the matching projects' money and reach there, and which projects."""
    step_filters = replace(filters, regions=(code,))
    summary = summarize(snap, step_filters, currency)
    projects = project_records(snap)
    region = snap.regions.loc[snap.regions["code"] == code]
    west, south, east, north = (float(v) for v in region.total_bounds)
    sdg_names = snap.table("sdgs").set_index("goal")
    by_project = sdg_goals(snap)
    goals = sorted({g for p in summary.project_ids for g in by_project.get(p, ())})
    badges = tuple(SdgBadge(int(g), localized(sdg_names.loc[g], "name", lang),
                            sdg_names.at[g, "colour"], "", "") for g in goals)
    return TourStep(
        kind="region", key=code, title=snap.region_names(lang)[code],
        subtitle=f"{t('filters', lang)}: {filters_in_words(snap, filters, lang)}",
        filters=step_filters,
        bounds=(west, south, east, north),
        figures=tuple(_headline(snap, step_filters, summary, lang)),
        donors=_org_names(snap, summary.project_ids, FUNDING_ROLES, lang),
        implementers=_org_names(snap, summary.project_ids, IMPLEMENTING_ROLES, lang),
        sdgs=badges,
        items=tuple(localized(projects[p], "title", lang) for p in summary.project_ids),
        sources=tuple(view_sources(snap, summary.project_ids, lang)),
    )


def tour_steps(snap: Snapshot, filters: Filters, by: TourBy = "project",
               order: Sequence[str] | None = None, lang: str = "en",
               currency: str = "EUR") -> list[TourStep]:
    """The opening step, then one step per project (or region) in the presenter's order."""
    keys = ordered_keys(tour_keys(snap, filters, by), order)
    make = project_step if by == "project" else region_step
    return [overview_step(snap, filters, lang, currency),
            *(make(snap, filters, key, lang, currency) for key in keys)]


def step_label(snap: Snapshot, by: TourBy, key: str, lang: str) -> str:
    """A step's name in lists (project title or region name)."""
    if by == "region":
        return snap.region_names(lang).get(key, key)
    projects = project_records(snap)
    return localized(projects[key], "title", lang) if key in projects else key

