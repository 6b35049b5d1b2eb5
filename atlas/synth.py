"""Generated data sets of any size, shaped like the bundled one, for measuring the atlas at scale.

``synthesize(10_000)`` returns the bundled five projects plus generated projects until the data
set holds exactly 10,000 sites (about five a project, so about 2,000 projects). It is seeded,
so one size and seed always give the same data, and it is written in the ``geodata/`` format
(``write_synthetic``), so ``atlas validate`` and ``atlas build-store`` run on it unchanged.

What it imitates, because a uniform toy set would hide the costs real data has:
- organizations with a long tail: a few donors fund most projects, a few implementers run
  many, most run one or two (Zipf weights);
- sites inside their project's stated region, clustered on a pool of settlements per region
  (so many sites overlap, as real ones do in cities and district centres);
- money in EUR, KZT and USD across 2013 to 2024, some without a year (no rate: unknown when
  converted), some unknown amounts, some chains (a grant passed on as sub-grants);
- results with qualifiers (exact, approximate, at least, derived), a breakdown of the headline
  reach, and some results that apply to named sites only;
- one to three SDGs per project.

Every generated id starts with ``syn-`` and every generated text says it is generated.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.dataset import DataSet, read_dataset, typed_frame, write_dataset
from atlas.model import TABLES_BY_NAME

SOURCE_ID = "syn-generated"
HOMELESS_SHARE = 0.15  # generated organizations with no known home place
SITES_PER_PROJECT = 5  # the bundled set has 21 sites for 5 projects
FIRST_YEAR, LAST_YEAR = 2013, 2024  # the years the bundled rate table covers

_DONOR_KINDS = ("multilateral_donor", "foundation", "company", "government_body",
                "state_grant_operator")
_CURRENCY_WEIGHTS = {"EUR": 0.45, "KZT": 0.4, "USD": 0.15}
# Typical budgets per currency (median of a log-normal).
_BUDGET_MEDIAN = {"EUR": 250_000.0, "KZT": 40_000_000.0, "USD": 200_000.0}

_THEMES = ("rural development", "civic participation", "youth", "environment", "water",
           "women's entrepreneurship", "public spaces", "local self-government", "education",
           "health")
_WORDS = {
    "en": ("Village", "Community", "Youth", "Water", "Green", "Open", "Steppe", "Together",
           "Future", "Local", "Civic", "Bright"),
    "ru": ("Село", "Сообщество", "Молодёжь", "Вода", "Зелёный", "Открытый", "Степь", "Вместе",
           "Будущее", "Местный", "Гражданский", "Светлый"),
    "kk": ("Ауыл", "Қауымдастық", "Жастар", "Су", "Жасыл", "Ашық", "Дала", "Бірге", "Болашақ",
           "Жергілікті", "Азаматтық", "Жарқын"),
}
_SETTLEMENTS_PER_REGION = 150
# Ten times the largest size measured: a typo of three zeros must not fill the machine's memory.
MAX_SITES = 1_000_000


@dataclass(frozen=True)
class SynthSize:
    """How much a generated set holds besides the bundled data."""

    projects: int
    sites: int
    donors: int
    implementers: int
    partners: int


def plan_size(total_sites: int, base_sites: int) -> SynthSize:
    """Projects and organizations for a set of ``total_sites`` sites (bundled ones included)."""
    if total_sites > MAX_SITES:
        raise ValueError(f"a generated set holds at most {MAX_SITES:,} sites")
    extra = total_sites - base_sites
    if extra < 1:
        raise ValueError(f"a generated set needs more than the bundled {base_sites} sites")
    projects = max(1, round(extra / SITES_PER_PROJECT))
    return SynthSize(
        projects=projects, sites=extra,
        donors=max(8, min(60, projects // 40)),
        implementers=max(20, projects // 6),
        partners=max(10, projects // 10),
    )


def _zipf_choice(rng: np.random.Generator, n: int, size: int, a: float = 1.1) -> np.ndarray:
    """``size`` indices into ``range(n)`` with a long tail: index 0 the most frequent."""
    weights = 1.0 / np.arange(1, n + 1) ** a
    return rng.choice(n, size=size, p=weights / weights.sum())


def _settlements(rng: np.random.Generator, regions: gpd.GeoDataFrame,
                 per_region: int) -> dict[str, np.ndarray]:
    """A pool of points strictly inside each region (rejection sampling in its bounds)."""
    pools = {}
    for code, geom in zip(regions["code"], regions.geometry, strict=True):
        inner = geom.buffer(-0.02) if geom.area > 0.05 else geom
        if inner.is_empty:
            inner = geom
        shapely.prepare(inner)
        minx, miny, maxx, maxy = inner.bounds
        found: list[np.ndarray] = []
        count = 0
        while count < per_region:
            x = rng.uniform(minx, maxx, per_region * 4)
            y = rng.uniform(miny, maxy, per_region * 4)
            ok = shapely.contains_xy(inner, x, y)
            found.append(np.column_stack([x[ok], y[ok]]))
            count += int(ok.sum())
        pools[code] = np.round(np.concatenate(found)[:per_region], 5)
    return pools


def _names(prefix: str, number: np.ndarray, what: dict[str, str]) -> dict[str, list[str]]:
    return {f"{prefix}_{lang}": [f"{what[lang]} {n}" for n in number] for lang in what}


def _table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as the table ``name``: the spec's columns (missing ones empty) and dtypes."""
    spec = TABLES_BY_NAME[name]
    # Missing columns as empty objects (a reindex would make them float NaN, not text).
    missing = {c: None for c in spec.column_names if c not in df.columns}
    return typed_frame(spec, df.assign(**missing)[spec.column_names])


def synthesize(total_sites: int, seed: int = 0, base: DataSet | None = None,
               regions: gpd.GeoDataFrame | None = None,
               pointless_share: float = 0.0) -> DataSet:
    """The bundled data set (or ``base``) plus generated projects up to ``total_sites`` sites.

    ``pointless_share`` of the generated sites (0 to 1) have no point: half of them cover
    their whole region, half the whole country (0 keeps a seed's data as it always was).
    """
    if not 0.0 <= pointless_share <= 1.0:
        raise ValueError("the share of sites without a point is between 0 and 1")
    from atlas import geo
    from atlas.paths import geodata_dir

    if base is None:
        base, problems = read_dataset(geodata_dir())
        if problems:
            raise ValueError(f"the bundled data set has problems: {problems[0]}")
    size = plan_size(total_sites, len(base["sites"]))
    if seed < 0:
        raise ValueError("the seed is a whole number >= 0")
    regions = geo.load_regions("full") if regions is None else regions
    rng = np.random.default_rng(seed)
    n = size.projects

    # Organizations: donors, implementers (NGOs), partners (akimats), beneficiary groups.
    org_parts = []
    for count, prefix, kinds, label in (
            (size.donors, "donor", _DONOR_KINDS, {"en": "Generated donor", "ru": "Донор (генер.)",
                                                 "kk": "Донор (генер.)"}),
            (size.implementers, "ngo", ("ngo",), {"en": "Generated NGO", "ru": "НКО (генер.)",
                                                 "kk": "ҮЕҰ (генер.)"}),
            (size.partners, "akimat", ("local_authority",),
             {"en": "Generated akimat", "ru": "Акимат (генер.)", "kk": "Әкімдік (генер.)"})):
        number = np.arange(1, count + 1)
        org_parts.append(pd.DataFrame({
            "org_id": [f"syn-{prefix}-{i:05d}" for i in number],
            **_names("name", number, label),
            "kind": [kinds[i % len(kinds)] for i in range(count)],
            "source_ids": SOURCE_ID,
        }))
    # Homes (where money-flow lines start), drawn apart so that adding them left the rest of a
    # seed's data as it was: most organizations sit in a town of the bundled places, a few have
    # no known home (as real ones do).
    homes_rng = np.random.default_rng([seed, 1])
    towns = base["places"].loc[base["places"]["country"] == "KZ", "place_id"].to_numpy()
    for part in org_parts:
        home = homes_rng.choice(towns, len(part)).astype(object)
        homeless = homes_rng.random(len(part)) < HOMELESS_SHARE
        home[homeless] = None
        basis = np.full(len(part), "Generated: a town of the bundled set", dtype=object)
        basis[homeless] = None
        part["home_place_id"] = home
        part["home_basis"] = basis
    donors = org_parts[0]["org_id"].to_numpy()
    ngos = org_parts[1]["org_id"].to_numpy()
    akimats = org_parts[2]["org_id"].to_numpy()
    group_ids = np.array([f"syn-group-{i:06d}" for i in range(1, n + 1)])
    has_chain = rng.random(n) < 0.25
    groups = pd.DataFrame({
        "org_id": group_ids[has_chain],
        **_names("name", np.flatnonzero(has_chain) + 1,
                 {"en": "Generated beneficiary group", "ru": "Группа получателей (генер.)",
                  "kk": "Алушылар тобы (генер.)"}),
        "kind": "beneficiary_group", "source_ids": SOURCE_ID,
    })
    organizations = pd.concat([*org_parts, groups], ignore_index=True)

    # Projects.
    pid = np.array([f"syn-p{i:06d}" for i in range(1, n + 1)])
    number = np.arange(1, n + 1)
    word = rng.integers(0, len(_WORDS["en"]), (n, 2))
    titles = {f"title_{lang}": [f"{words[a]} {words[b]} {i}" for (a, b), i
                                in zip(word, number, strict=True)]
              for lang, words in _WORDS.items()}
    start = rng.integers(FIRST_YEAR, LAST_YEAR + 1, n)
    length = rng.integers(1, 5, n)
    end = np.minimum(start + length, 2026)
    status = np.where(end < 2025, "completed", np.where(start > 2024, "planned", "ongoing"))
    currency = rng.choice(list(_CURRENCY_WEIGHTS), n, p=list(_CURRENCY_WEIGHTS.values()))
    median = np.array([_BUDGET_MEDIAN[c] for c in currency])
    budget = np.round(median * rng.lognormal(0.0, 0.9, n), -2)
    budget_q = rng.choice(["exact", "approximate", "unknown"], n, p=[0.75, 0.15, 0.10])
    budget = np.where(budget_q == "unknown", np.nan, budget)
    projects = pd.DataFrame({
        "project_id": pid, **titles,
        "summary_en": "Generated project for measuring the atlas at scale.",
        "summary_ru": "Сгенерированный проект для замеров атласа.",
        "summary_kk": "Атласты өлшеуге арналған жасанды жоба.",
        "status": status, "status_as_of": "2026-12",
        "start": start.astype(str), "end": end.astype(str),
        "themes": [_THEMES[i] for i in rng.integers(0, len(_THEMES), n)],
        "budget_amount": budget,
        "budget_currency": np.where(budget_q == "unknown", "", currency),
        "budget_qualifier": budget_q,
        "source_ids": SOURCE_ID,
    })

    # Sites: every project gets one, the rest spread at random; each inside its region.
    per_project = 1 + rng.multinomial(size.sites - n, np.full(n, 1 / n))
    codes = regions["code"].to_numpy()
    # Cities and populous regions hold more projects.
    region_weight = np.where(np.isin(codes, ["KAZ004", "KAZ006", "KAZ017"]), 3.0, 1.0)
    home_region = rng.choice(codes, n, p=region_weight / region_weight.sum())
    pools = _settlements(rng, regions, _SETTLEMENTS_PER_REGION)
    site_project = np.repeat(np.arange(n), per_project)
    site_region = home_region[site_project]
    # One project in ten also works in a second region.
    second = rng.choice(codes, n)
    spills = (rng.random(size.sites) < 0.3) & (rng.random(n) < 0.1)[site_project]
    site_region = np.where(spills, second[site_project], site_region)
    pick = _zipf_choice(rng, _SETTLEMENTS_PER_REGION, size.sites, a=0.8)
    xy = np.empty((size.sites, 2))
    for code in codes:
        here = site_region == code
        xy[here] = pools[code][pick[here]]
    site_ids = np.array([f"syn-s{i:07d}" for i in range(1, size.sites + 1)])
    settlement_no = pick + 1
    sites = pd.DataFrame({
        "site_id": site_ids, "project_id": pid[site_project],
        "name_en": [f"Settlement {c[-2:]}-{s}" for c, s in zip(site_region, settlement_no,
                                                                strict=True)],
        "name_ru": [f"Посёлок {c[-2:]}-{s}" for c, s in zip(site_region, settlement_no,
                                                            strict=True)],
        "name_kk": [f"Елді мекен {c[-2:]}-{s}" for c, s in zip(site_region, settlement_no,
                                                               strict=True)],
        "level": "settlement", "region_code": site_region,
        "lon": xy[:, 0], "lat": xy[:, 1], "precision": "settlement",
        "location_basis": "Generated point inside the stated region",
        "source_ids": SOURCE_ID,
    })
    if pointless_share:
        _remove_points(sites, np.random.default_rng([seed, 2]), pointless_share)

    # Participants: a funder, a lead, sometimes a co-implementer and a partner akimat.
    donor = donors[_zipf_choice(rng, len(donors), n)]
    lead = ngos[_zipf_choice(rng, len(ngos), n)]
    co = ngos[_zipf_choice(rng, len(ngos), n)]
    has_co = (rng.random(n) < 0.3) & (co != lead)
    has_partner = rng.random(n) < 0.4
    partner = akimats[rng.integers(0, len(akimats), n)]
    known_budget = ~np.isnan(budget)
    co_donor = donors[rng.integers(0, len(donors), n)]
    has_cofin = known_budget & (rng.random(n) < 0.2) & (co_donor != donor)
    participants = pd.concat([
        pd.DataFrame({"project_id": pid, "org_id": donor, "role": "funder"}),
        pd.DataFrame({"project_id": pid, "org_id": lead, "role": "lead"}),
        pd.DataFrame({"project_id": pid[has_co], "org_id": co[has_co],
                      "role": "co_implementer"}),
        pd.DataFrame({"project_id": pid[has_partner], "org_id": partner[has_partner],
                      "role": "partner"}),
        pd.DataFrame({"project_id": pid[has_cofin], "org_id": co_donor[has_cofin],
                      "role": "funder"}),
        pd.DataFrame({"project_id": pid[has_chain], "org_id": group_ids[has_chain],
                      "role": "recipient"}),
    ], ignore_index=True).assign(source_ids=SOURCE_ID)

    # Flows: the donor's grant (a share of a known budget, in its currency), sometimes a
    # second donor's co-financing, and for one project in four a chain to a recipient group.
    grant_share = np.where(known_budget, rng.uniform(0.5, 0.95, n), np.nan)
    grant_amount = np.round(budget * grant_share, 0)
    grant_q = np.where(known_budget, np.where(budget_q == "approximate", "approximate",
                                              rng.choice(["exact", "derived"], n, p=[0.9, 0.1])),
                       rng.choice(["unknown", "at_least"], n))
    unknown_amount = grant_q == "unknown"
    at_least = grant_q == "at_least"
    grant_amount = np.where(unknown_amount, np.nan, grant_amount)
    grant_amount = np.where(at_least, np.round(median * 0.3, 0), grant_amount)
    grant_currency = np.where(unknown_amount, "", currency)
    no_year = rng.random(n) < 0.05
    grant_year = np.where(no_year, pd.NA, start).astype(object)
    chain_amount = np.where(np.isnan(grant_amount), np.round(median * 0.1, 0),
                            np.round(np.nan_to_num(grant_amount) * 0.2, 0))
    cofin_amount = np.round(np.nan_to_num(budget) * 0.04, 0)
    flows = pd.concat([
        pd.DataFrame({"flow_id": [f"syn-f{i:06d}-grant" for i in number], "project_id": pid,
                      "from_org_id": donor, "to_org_id": lead, "kind": "grant",
                      "amount": grant_amount, "currency": grant_currency, "qualifier": grant_q,
                      "basis": np.where(grant_q == "derived", "Generated: share of the budget",
                                        ""),
                      "year": grant_year, "status": "committed"}),
        pd.DataFrame({"flow_id": [f"syn-f{i:06d}-cofin" for i in number[has_cofin]],
                      "project_id": pid[has_cofin], "from_org_id": co_donor[has_cofin],
                      "to_org_id": lead[has_cofin], "kind": "co_financing",
                      "amount": cofin_amount[has_cofin], "currency": currency[has_cofin],
                      "qualifier": "exact", "year": start[has_cofin].astype(object),
                      "status": "committed"}),
        pd.DataFrame({"flow_id": [f"syn-f{i:06d}-support" for i in number[has_chain]],
                      "project_id": pid[has_chain], "from_org_id": lead[has_chain],
                      "to_org_id": group_ids[has_chain], "kind": "financial_support",
                      "amount": chain_amount[has_chain], "currency": currency[has_chain],
                      "qualifier": "at_least", "year": (start[has_chain] + 1).astype(object),
                      "status": "disbursed"}),
    ], ignore_index=True).assign(source_ids=SOURCE_ID)

    # Results: headline reach (some per named sites), a breakdown, and an output count.
    reach_q = rng.choice(["exact", "approximate", "at_least", "derived"], n,
                         p=[0.5, 0.25, 0.2, 0.05])
    reach = np.round(rng.lognormal(6.0, 1.2, n), 0) + 1
    has_reach = rng.random(n) < 0.9
    first_site = np.concatenate([[0], np.cumsum(per_project)[:-1]])
    named_sites = has_reach & (per_project > 2) & (rng.random(n) < 0.15)
    # Only projects with more than two sites name two of them: the first two of the project.
    reach_sites = np.full(n, "", dtype=object)
    named_first = first_site[named_sites]
    reach_sites[named_sites] = [f"{site_ids[f]};{site_ids[f + 1]}" for f in named_first]
    women = np.round(reach * rng.uniform(0.3, 0.7, n), 0)
    results = pd.concat([
        pd.DataFrame({"result_id": [f"syn-r{i:06d}-reach" for i in number[has_reach]],
                      "project_id": pid[has_reach], "indicator": "people_reached",
                      "label_en": "People reached", "label_ru": "Охвачено человек",
                      "label_kk": "Қамтылған адамдар", "value": reach[has_reach],
                      "unit": "people", "qualifier": reach_q[has_reach],
                      "basis": np.where(reach_q[has_reach] == "derived",
                                        "Generated: sum of the activities' participants", ""),
                      "site_ids": reach_sites[has_reach], "counts_as_reach": True}),
        pd.DataFrame({"result_id": [f"syn-r{i:06d}-women" for i in number[has_reach]],
                      "project_id": pid[has_reach], "indicator": "people_reached",
                      "label_en": "of whom women", "label_ru": "из них женщин",
                      "label_kk": "оның ішінде әйелдер", "value": women[has_reach],
                      "unit": "people", "qualifier": "approximate",
                      "parent_result_id": [f"syn-r{i:06d}-reach" for i in number[has_reach]],
                      "counts_as_reach": True}),
        pd.DataFrame({"result_id": [f"syn-r{i:06d}-events" for i in number],
                      "project_id": pid, "indicator": "events", "label_en": "Events held",
                      "label_ru": "Проведено мероприятий", "label_kk": "Өткізілген іс-шаралар",
                      "value": rng.integers(1, 40, n).astype(float), "unit": "events",
                      "qualifier": "exact", "counts_as_reach": False}),
    ], ignore_index=True).assign(source_ids=SOURCE_ID)

    # SDGs: one to three distinct goals per project.
    goal_count = rng.choice([1, 2, 3], n, p=[0.3, 0.45, 0.25])
    goals = np.argsort(rng.random((n, 17)), axis=1)[:, :3] + 1
    rows = np.repeat(np.arange(n), goal_count)
    rank = np.concatenate([np.arange(1, k + 1) for k in goal_count])
    project_sdgs = pd.DataFrame({
        "project_id": pid[rows], "goal": goals[rows, rank - 1], "rank": rank,
        "rationale": "Generated",
    })

    sources = pd.DataFrame({
        "source_id": [SOURCE_ID], "title": ["Generated data set for measuring the atlas"],
        "publisher": ["atlas synth"], "language": ["en"],
        "note": [f"atlas synth: {total_sites} sites, seed {seed}. Not real projects."],
    })

    generated = {
        "sources": sources, "organizations": organizations, "projects": projects,
        "project_sdgs": project_sdgs, "participants": participants, "sites": sites,
        "funding_flows": flows, "results": results,
    }
    out: DataSet = {}
    for name, df in base.items():
        if name in generated:
            out[name] = pd.concat([df, _table(name, generated[name])], ignore_index=True)
        else:
            out[name] = df.copy()
    return out


def _remove_points(sites: pd.DataFrame, rng: np.random.Generator, share: float) -> None:
    """Make ``share`` of ``sites`` whole-region or nationwide sites (in place), drawn with
    their own generator so the rest of a seed's data stays as it was."""
    chosen = np.flatnonzero(rng.random(len(sites)) < share)
    national = chosen[rng.random(len(chosen)) < 0.5]
    whole_region = np.setdiff1d(chosen, national)
    sites["lon"] = sites["lon"].astype(float)
    sites["lat"] = sites["lat"].astype(float)
    for rows, extent in ((whole_region, "region"), (national, "national")):
        at = sites.index[rows]
        sites.loc[at, ["lon", "lat"]] = np.nan
        sites.loc[at, ["level", "precision"]] = extent
        sites.loc[at, "location_basis"] = f"Generated site covering the whole {extent}"
    sites.loc[sites.index[national], "region_code"] = ""
    sites.loc[sites.index[national], ["name_en", "name_ru", "name_kk"]] = \
        ["Across Kazakhstan", "По всему Казахстану", "Бүкіл Қазақстан бойынша"]


def write_synthetic(total_sites: int, folder: Path, seed: int = 0,
                    pointless_share: float = 0.0) -> DataSet:
    """Generate a data set and write it to ``folder`` in the ``geodata/`` format, with the
    boundary files next to it, so ``ATLAS_GEODATA=folder`` runs the atlas on it."""
    from atlas.paths import geodata_dir

    data = synthesize(total_sites, seed, pointless_share=pointless_share)
    folder.mkdir(parents=True, exist_ok=True)
    write_dataset(data, folder)
    for name in ("regions_full.geojson", "regions_display.geojson"):
        shutil.copyfile(geodata_dir() / name, folder / name)
    (folder / "README.md").write_text(
        f"Generated by `atlas synth {total_sites} --seed {seed}`: the bundled data set plus "
        "generated projects for measuring the atlas at scale. Not real projects.\n",
        encoding="utf-8")
    return data
