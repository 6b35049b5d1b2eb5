"""Leaflet served from an installed package as data URIs: no CDN, no internet.

folium's defaults point at CDNs and streamlit-folium does not bundle Leaflet, so a default
map is blank offline. The XStatic packages on PyPI carry the files (versions and licences are
listed in ``ASSETS``); we inline them, with Leaflet's CSS images inlined too, so the same map
works inside Streamlit, in an exported HTML file and with the network unplugged.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

import folium

from atlas.maps.controls import MetricScale


@dataclass(frozen=True)
class Asset:
    """One third-party file we ship inside the map."""

    name: str
    package: str  # the XStatic distribution that carries it
    module: str  # importable package holding its data folder
    path: str
    kind: str  # "js" or "css"
    licence: str

    @property
    def version(self) -> str:
        return metadata.version(self.package)

    def read_bytes(self) -> bytes:
        return resources.files(self.module).joinpath("data", self.path).read_bytes()


# No jQuery (folium's default): only folium's Popup and keep_in_front call it, our maps use
# neither, and inlined it was 117 KB of every map page.
ASSETS = (
    Asset("leaflet", "XStatic-Leaflet", "xstatic.pkg.leaflet", "leaflet.js", "js", "BSD-2-Clause"),
    Asset("leaflet_css", "XStatic-Leaflet", "xstatic.pkg.leaflet", "leaflet.css", "css",
          "BSD-2-Clause"),
)

_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>images/[^)'\"]+)(?P=q)\)")


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _css_with_inlined_images(asset: Asset) -> bytes:
    css = asset.read_bytes().decode("utf-8")
    folder = resources.files(asset.module).joinpath("data")

    def inline(match: re.Match[str]) -> str:
        image = folder.joinpath(match.group("path")).read_bytes()
        return f"url({_data_uri('image/png', image)})"

    return _CSS_URL.sub(inline, css).encode("utf-8")


@cache
def asset_links() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(default_js, default_css) for folium: name -> data URI, computed once per process."""
    js, css = [], []
    for asset in ASSETS:
        if asset.kind == "js":
            js.append((asset.name, _data_uri("text/javascript", asset.read_bytes())))
        else:
            css.append((asset.name, _data_uri("text/css", _css_with_inlined_images(asset))))
    return tuple(js), tuple(css)


def offline_map(lang: str = "en", **kwargs: object) -> folium.Map:
    """A folium Map whose every script and stylesheet is inlined; no tiles unless asked.

    ``control_scale=True`` gives our metric scale bar in ``lang`` (Leaflet's own writes
    "km" and "mi" in English).
    """
    kwargs.setdefault("tiles", None)
    scale = bool(kwargs.pop("control_scale", False))
    fmap = folium.Map(**kwargs)  # type: ignore[arg-type]
    js, css = asset_links()
    # Instance attributes shadow folium's CDN class defaults for this map only.
    fmap.default_js = list(js)
    fmap.default_css = list(css)
    if scale:
        MetricScale(lang).add_to(fmap)
    return fmap


EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
                          re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Places where HTML would make the browser fetch something from another host."""
    return [m.group(0) for m in EXTERNAL_URL.finditer(html)]
