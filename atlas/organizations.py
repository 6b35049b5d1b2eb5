"""Organizations as the atlas sees them: who each one is, what it funds or carries out, where.

Money an organization gives is counted as the map counts it with that organization chosen as
donor: once per project, at its highest flow (``query.counted_flows``). Money it receives is
every flow into it, converted with the flow's year; an amount not stated stays unknown.
An organization with no flow from (or to) it has ``None`` there: nothing is recorded, which is
not the same as an unknown amount.

The list of every organization (``organization_list``) is built from whole columns; both it and
the full profile (``organization_profile``, made only for the one opened) read each flow's
figures from the query's flow book (``query.flow_book``), where every flow is converted once
per snapshot and currency, the same figures the map and money pages count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.cards import ROLE_ORDER
from atlas.dataset import is_missing, split_ids
from atlas.figures import Figure, total
from atlas.i18n import LANGUAGES, localized, localized_note, t
from atlas.listing import SEARCH, SortOrder, collation_key, fold, localized_column, query_words
from atlas.money import Conversion
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    CountedFlow,
    donor_ids,
    flow_book,
    implementer_ids,
)
from atlas.snapshot import Snapshot

ROLE_GROUPS = ("all", "donors", "implementers")
_ASSUMED = ("assumed", "not stated")

ORGANIZATION_SORTS: Mapping[str, SortOrder] = {
    "role": SortOrder(("role_rank", "name_key"), (True, True)),
    "name": SortOrder(("name_key",), (True,)),
    "gives": SortOrder(("gives_value", "role_rank", "name_key"), (False, True, True)),
    "receives": SortOrder(("receives_value", "role_rank", "name_key"), (False, True, True)),
    "projects": SortOrder(("project_count", "role_rank", "name_key"), (False, True, True)),
}
ORGANIZATION_SORT_DEFAULT = "role"


@dataclass(frozen=True)
class Received:
    """One flow into an organization: from whom, in which project, how much."""

    flow_id: str
    project_id: str
    from_org_id: str
    figure: Figure  # in the display currency; unknown without an amount or a rate
    conversion: Conversion


@dataclass(frozen=True)
class Given:
    """A flow counted as this organization's money, and whether it passes money on."""

    flow: CountedFlow
    passed_on: bool  # the organization also receives money in this project


@dataclass(frozen=True)
class Involvement:
    """An organization's part in one project."""

    project_id: str
    title: str
    roles: tuple[str, ...]  # role codes in ROLE_ORDER
    gives: Figure | None  # None: no flow from it in this project
    receives: Figure | None  # None: no flow to it in this project
    region_codes: tuple[str, ...]


@dataclass(frozen=True)
class Home:
    """Where an organization is based, and how we know (or that we assumed it)."""

    place: str  # the place name in the chosen language; "" when not recorded
    region: str  # the region's name when the place is in Kazakhstan
    country: str
    basis: str
    assumed: bool


@dataclass(frozen=True)
class OrganizationProfile:
    """Everything the organizations view shows about one organization, in one language."""

    org_id: str
    name: str
    acronym: str
    kind: str
    home: Home
    roles: tuple[str, ...]
    projects: list[Involvement]
    gives: Figure | None  # None: no flow from it is recorded
    given: list[Given]
    receives: Figure | None  # None: no flow to it is recorded
    received: list[Received]
    received_by_source: dict[str, Figure]
    region_codes: tuple[str, ...]
    regions: tuple[str, ...]  # names in the chosen language, alphabetical
    note: str
    source_ids: tuple[str, ...]
    is_donor: bool = False  # a choice of the map's donor filter
    is_implementer: bool = False  # a choice of the map's implementer filter
    names: dict[str, str] = field(default_factory=dict)  # every language, for search


def _home(snap: Snapshot, org: dict[str, object], lang: str) -> Home:
    # Whether the home is assumed is read from the English basis, which every row has.
    assumed = any(word in str(org.get("home_basis") or "").lower() for word in _ASSUMED)
    basis = localized_note(org, lang, "home_basis")
    place_id = org.get("home_place_id")
    if is_missing(place_id):
        return Home("", "", "", basis, assumed)
    places = snap.table("places").set_index("place_id")
    if place_id not in places.index:
        return Home(str(place_id), "", "", basis, assumed)
    place = places.loc[place_id]
    region = snap.region_names(lang).get(str(place["region_code"] or ""), "")
    return Home(localized(place, "name", lang), region, str(place["country"]), basis, assumed)


def _roles(parts: pd.DataFrame) -> tuple[str, ...]:
    present = set(parts["role"])
    return tuple(r for r in ROLE_ORDER if r in present)


def _received(flow: CountedFlow) -> Received:
    """A flow of the flow book as money its recipient receives: its stated amount converted."""
    assert flow.conversion is not None  # the flow book converts every flow
    return Received(flow.flow_id, flow.project_id, flow.from_org_id, flow.conversion.converted,
                    flow.conversion)


def _region_codes(snap: Snapshot, project_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per project of ``project_ids``, the codes of the regions of its sites, sorted."""
    sites = snap.sites
    mine = sites.loc[sites["project_id"].isin(list(project_ids)), ["project_id", "region_code"]]
    codes: dict[str, set[str]] = defaultdict(set)
    for pid, code in zip(mine["project_id"].to_list(), mine["region_code"].to_list(),
                         strict=True):
        codes[pid].add(code)
    return {pid: tuple(sorted(c)) for pid, c in codes.items()}


def _titles(snap: Snapshot, project_ids: Iterable[str], lang: str) -> dict[str, str]:
    """The titles of these projects in ``lang``."""
    projects = snap.table("projects")
    mine = projects.loc[projects["project_id"].isin(list(project_ids))]
    return {str(p["project_id"]): localized(p, "title", lang) for p in mine.to_dict("records")}


def organization_profile(snap: Snapshot, org_id: str, lang: str = "en",
                         currency: str = "EUR") -> OrganizationProfile:
    """One organization: kind, home, roles, projects, money given and received, regions."""
    orgs = snap.table("organizations").set_index("org_id", drop=False)
    org = orgs.loc[org_id].to_dict()
    parts = snap.table("participants")
    mine = parts.loc[parts["org_id"] == org_id]
    flows = snap.table("funding_flows")
    inflows = flows.loc[flows["to_org_id"] == org_id]
    outflows = flows.loc[flows["from_org_id"] == org_id]
    project_ids = list(dict.fromkeys(
        list(mine["project_id"]) + list(outflows["project_id"]) + list(inflows["project_id"])))
    titles = _titles(snap, project_ids, lang)
    project_ids.sort(key=titles.__getitem__)

    flows_of = flow_book(snap, currency).flows
    received = [_received(c) for pid in sorted(set(inflows["project_id"]))
                for c in flows_of.get(pid, ()) if c.to_org_id == org_id]
    regions_of = _region_codes(snap, project_ids)
    roles_of = {pid: _roles(rows) for pid, rows in mine.groupby("project_id", sort=False)}
    gets_of = set(inflows["project_id"])
    into_of: dict[str, list[Figure]] = defaultdict(list)
    for r in received:
        into_of[r.project_id].append(r.figure)
    given: list[Given] = []
    involvements = []
    for pid in project_ids:
        # With one donor chosen, a flow counts when it starts at that donor: nothing upstream
        # of the donor can be another chosen donor (``query.counted_flows`` with ``(org_id,)``).
        counted = [c for c in flows_of.get(pid, ()) if c.from_org_id == org_id]
        given.extend(Given(c, pid in gets_of) for c in counted)
        into = into_of.get(pid, [])
        involvements.append(Involvement(
            project_id=pid,
            title=titles[pid],
            roles=roles_of.get(pid, ()),
            gives=total(c.figure for c in counted) if counted else None,
            receives=total(into) if into else None,
            region_codes=regions_of.get(pid, ()),
        ))

    by_source: dict[str, list[Figure]] = {}
    for r in received:
        by_source.setdefault(r.from_org_id, []).append(r.figure)
    region_names = snap.region_names(lang)
    codes = sorted({c for i in involvements for c in i.region_codes})
    return OrganizationProfile(
        org_id=org_id,
        name=localized(org, "name", lang),
        acronym=str(org.get("acronym") or ""),
        kind=str(org["kind"]),
        home=_home(snap, org, lang),
        roles=_roles(mine),
        projects=involvements,
        gives=total(g.flow.figure for g in given) if given else None,
        given=given,
        receives=total(r.figure for r in received) if received else None,
        received=received,
        received_by_source={o: total(fs) for o, fs in by_source.items()},
        region_codes=tuple(codes),
        regions=tuple(sorted(region_names.get(c, c) if c else t("where_national", lang)
                             for c in codes)),
        note=localized_note(org, lang, "note"),
        source_ids=tuple(split_ids(org.get("source_ids"))),
        is_donor=org_id in donor_ids(snap),
        is_implementer=org_id in implementer_ids(snap),
        names={k: str(org.get(f"name_{k}") or "") for k in ("en", "ru", "kk")},
    )


def organization_profiles(snap: Snapshot, lang: str = "en",
                          currency: str = "EUR") -> list[OrganizationProfile]:
    """Every organization's profile: funders first, then operators, implementers, partners,
    recipients (by their first role in ``ROLE_ORDER``), each group in name order for ``lang``."""
    ids = list(snap.table("organizations")["org_id"])
    profiles = [organization_profile(snap, o, lang, currency) for o in ids]

    def key(p: OrganizationProfile) -> tuple[int, str]:
        first = min((ROLE_ORDER.index(r) for r in p.roles), default=len(ROLE_ORDER))
        return first, collation_key(p.name, lang)

    return sorted(profiles, key=key)


def in_role_group(profile: OrganizationProfile, group: str) -> bool:
    """Donors fund or operate grants; implementers lead or co-implement; "all" is everyone."""
    if group == "donors":
        return any(r in FUNDING_ROLES for r in profile.roles)
    if group == "implementers":
        return any(r in IMPLEMENTING_ROLES for r in profile.roles)
    return True


def matches_search(profile: OrganizationProfile, query: str) -> bool:
    """True when every word of ``query`` is part of the name in some language or of the
    acronym (as the list's search reads them)."""
    text = fold("\n".join([*profile.names.values(), profile.acronym, profile.name]))
    return all(word in text for word in query_words(query))


def filter_profiles(profiles: list[OrganizationProfile], kinds: tuple[str, ...] = (),
                    group: str = "all", query: str = "") -> list[OrganizationProfile]:
    """The profiles of the chosen kinds (all when none), role group and search text."""
    return [p for p in profiles
            if (not kinds or p.kind in kinds) and in_role_group(p, group)
            and matches_search(p, query)]


# --- the list of every organization, from whole columns ---------------------------------------

def _value(figure: Figure | None) -> float:
    """A figure's value to sort by; NaN (sorted last) when unknown or nothing is recorded."""
    return math.nan if figure is None or figure.value is None else float(figure.value)


def organization_list(snap: Snapshot, lang: str = "en", currency: str = "EUR") -> pd.DataFrame:
    """The list frame of every organization, in ``organization_profiles``' order: id, name
    in ``lang``, acronym, kind, roles, money given and received (Figure, or None when no flow
    is recorded) and their values to sort by, number of projects, region names, role groups,
    the map filters it is a choice of, and the search text (names in every language and the
    acronym). The flows' figures come from the query's flow book (no flow is converted here)."""
    orgs = snap.table("organizations")
    parts = snap.table("participants")
    flows = snap.table("funding_flows")
    ids = orgs["org_id"].astype(str).to_list()

    present: dict[str, set[str]] = defaultdict(set)
    for org, role in zip(parts["org_id"].to_list(), parts["role"].to_list(), strict=True):
        present[org].add(role)
    roles = [tuple(r for r in ROLE_ORDER if r in present.get(o, ())) for o in ids]

    gives: dict[str, list[Figure]] = defaultdict(list)
    receives: dict[str, list[Figure]] = defaultdict(list)
    book = flow_book(snap, currency).flows
    # In project-id order, as the profiles add them up.
    for pid in sorted(book):
        for c in book[pid]:
            # One donor chosen: each of its flows counts (see organization_profile).
            gives[c.from_org_id].append(c.figure)
            assert c.conversion is not None  # the flow book converts every flow
            receives[c.to_org_id].append(c.conversion.converted)

    pairs = pd.concat([
        parts[["org_id", "project_id"]],
        flows[["from_org_id", "project_id"]].set_axis(["org_id", "project_id"], axis=1),
        flows[["to_org_id", "project_id"]].set_axis(["org_id", "project_id"], axis=1),
    ], ignore_index=True).drop_duplicates()
    project_count = pairs.groupby("org_id")["project_id"].nunique()
    sites = snap.sites[["project_id", "region_code"]].drop_duplicates()
    org_regions = pairs.merge(sites, on="project_id")[["org_id", "region_code"]]
    codes: dict[str, set[str]] = defaultdict(set)
    for org, code in zip(org_regions["org_id"].to_list(), org_regions["region_code"].to_list(),
                         strict=True):
        codes[org].add(code)
    region_names = snap.region_names(lang)

    name = localized_column(orgs, f"name_{lang}", "name_en")
    given = [total(gives[o]) if o in gives else None for o in ids]
    received = [total(receives[o]) if o in receives else None for o in ids]
    donors, implementers = set(donor_ids(snap)), set(implementer_ids(snap))
    searched = [fold("\n".join(x for x in texts if x)) for texts in zip(
        *[orgs[f"name_{k}"].fillna("").astype(str) for k in LANGUAGES],
        orgs["acronym"].fillna("").astype(str), name, strict=True)]
    frame = pd.DataFrame({
        "org_id": ids,
        "name": name.to_numpy(),
        "acronym": orgs["acronym"].fillna("").astype(str).to_numpy(),
        "kind": orgs["kind"].astype(str).to_numpy(),
        "roles": pd.Series(roles, dtype=object).to_numpy(),
        "gives": pd.Series(given, dtype=object).to_numpy(),
        "receives": pd.Series(received, dtype=object).to_numpy(),
        "gives_value": [_value(f) for f in given],
        "receives_value": [_value(f) for f in received],
        "project_count": [int(project_count.get(o, 0)) for o in ids],
        "regions": pd.Series([tuple(sorted(region_names.get(c, c) if c
                                           else t("where_national", lang)
                                           for c in codes.get(o, ())))
                              for o in ids], dtype=object).to_numpy(),
        "is_funding": [any(r in FUNDING_ROLES for r in rs) for rs in roles],
        "is_implementing": [any(r in IMPLEMENTING_ROLES for r in rs) for rs in roles],
        "is_donor": [o in donors for o in ids],
        "is_implementer": [o in implementers for o in ids],
        "role_rank": [min((ROLE_ORDER.index(r) for r in rs), default=len(ROLE_ORDER))
                      for rs in roles],
        "name_key": [collation_key(n, lang) for n in name.to_list()],
        SEARCH: searched,
    })
    return frame.sort_values(["role_rank", "name_key"], kind="stable").reset_index(drop=True)


def filter_list(frame: pd.DataFrame, kinds: tuple[str, ...] = (),
                group: str = "all") -> pd.DataFrame:
    """The rows of an ``organization_list`` of the chosen kinds (all when none) and role
    group (``in_role_group``)."""
    keep = np.ones(len(frame), dtype=bool)
    if kinds:
        keep &= frame["kind"].isin(kinds).to_numpy(bool)
    if group == "donors":
        keep &= frame["is_funding"].to_numpy(bool)
    elif group == "implementers":
        keep &= frame["is_implementing"].to_numpy(bool)
    return frame.loc[keep]
