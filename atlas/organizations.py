"""Organizations as the atlas sees them: who each one is, what it funds or carries out, where.

Money an organization gives is counted as the map counts it with that organization chosen as
donor: once per project, at its highest flow (``query.counted_flows``). Money it receives is
every flow into it, converted with the flow's year; an amount not stated stays unknown.
An organization with no flow from (or to) it has ``None`` there: nothing is recorded, which is
not the same as an unknown amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from atlas.cards import ROLE_ORDER
from atlas.dataset import is_missing, split_ids
from atlas.figures import Figure, total
from atlas.i18n import localized
from atlas.money import Conversion
from atlas.query import (
    FUNDING_ROLES,
    IMPLEMENTING_ROLES,
    CountedFlow,
    counted_flows,
    donor_ids,
    flow_conversion,
    implementer_ids,
)
from atlas.snapshot import Snapshot

ROLE_GROUPS = ("all", "donors", "implementers")
_ASSUMED = ("assumed", "not stated")


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
    basis = str(org.get("home_basis") or "")
    place_id = org.get("home_place_id")
    assumed = any(word in basis.lower() for word in _ASSUMED)
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
    projects = snap.table("projects").set_index("project_id")
    project_ids.sort(key=lambda p: localized(projects.loc[p], "title", lang))

    received = []
    for f in inflows.sort_values(["project_id", "flow_id"]).to_dict("records"):
        c = flow_conversion(snap, f, currency)
        received.append(Received(f["flow_id"], f["project_id"], f["from_org_id"], c.converted, c))

    given: list[Given] = []
    involvements = []
    sites = snap.sites
    for pid in project_ids:
        counted = counted_flows(snap, pid, (org_id,), currency)
        gets = set(inflows.loc[inflows["project_id"] == pid, "flow_id"])
        given.extend(Given(c, bool(gets)) for c in counted)
        into = [r.figure for r in received if r.project_id == pid]
        involvements.append(Involvement(
            project_id=pid,
            title=localized(projects.loc[pid], "title", lang),
            roles=_roles(mine.loc[mine["project_id"] == pid]),
            gives=total(c.figure for c in counted) if counted else None,
            receives=total(into) if into else None,
            region_codes=tuple(sorted(set(sites.loc[sites["project_id"] == pid,
                                                    "region_code"]))),
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
        regions=tuple(sorted(region_names.get(c, c) for c in codes)),
        note=str(org.get("note") or ""),
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
        return first, p.name.strip("«»\"' ").casefold()  # «ARGO» files under A

    return sorted(profiles, key=key)


def in_role_group(profile: OrganizationProfile, group: str) -> bool:
    """Donors fund or operate grants; implementers lead or co-implement; "all" is everyone."""
    if group == "donors":
        return any(r in FUNDING_ROLES for r in profile.roles)
    if group == "implementers":
        return any(r in IMPLEMENTING_ROLES for r in profile.roles)
    return True


def matches_search(profile: OrganizationProfile, query: str) -> bool:
    """True when ``query`` is part of the name in any language or of the acronym."""
    needle = query.strip().casefold()
    if not needle:
        return True
    haystack = [*profile.names.values(), profile.acronym, profile.name]
    return any(needle in text.casefold() for text in haystack)


def filter_profiles(profiles: list[OrganizationProfile], kinds: tuple[str, ...] = (),
                    group: str = "all", query: str = "") -> list[OrganizationProfile]:
    """The profiles of the chosen kinds (all when none), role group and search text."""
    return [p for p in profiles
            if (not kinds or p.kind in kinds) and in_role_group(p, group)
            and matches_search(p, query)]
