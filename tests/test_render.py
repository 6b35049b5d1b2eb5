"""The self-contained HTML export: everything inline, the right title and figures."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from atlas.cards import filters_in_words
from atlas.cli import main
from atlas.maps.assets import external_references
from atlas.maps.explorer import MapOptions
from atlas.query import Filters
from atlas.render import standalone_map_html
from atlas.snapshot import Snapshot
from tests.maps.conftest import site_layers
from tests.pointless import NATIONAL_PROJECT, REGION_PROJECT, has_nan, pointless_snapshot


def test_html_export_is_self_contained_with_title_and_figures(snap: Snapshot) -> None:
    html = standalone_map_html(snap, Filters(donors=("eu",)), MapOptions(flows=True),
                               today=date(2026, 11, 23))
    assert external_references(html) == []
    # No URL the browser would load (links a reader may click, like Leaflet's, are not loads).
    assert not re.search(r"""(?:src|href)=["']https?://(?!leafletjs\.com)""", html)
    assert "<title>Kazakhstan Project Atlas</title>" in html
    assert "1,232,570 EUR" in html and "Donor: European Union" in html and "2026-11-23" in html
    assert '"layer": "flow"' in html and "Money flows" in html
    assert site_layers(html)[0]["n"] >= 5  # the compact sites layer


def test_filters_in_words(snap: Snapshot) -> None:
    assert filters_in_words(snap, Filters(), "en") == "All"
    words = filters_in_words(snap, Filters(donors=("eu",), sdgs=(16,), years=(2017, 2020)), "ru")
    assert "Европейский Союз" in words and "16 " in words and "2017–2020" in words


def test_cli_render_html(tmp_path: Path) -> None:
    out = tmp_path / "atlas.html"
    assert main(["render", "--format", "html", "--donor", "European Union", "--lang", "kk",
                 "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Қазақстан жобалар атласы" in html and external_references(html) == []


def test_cli_render_png_pdf_and_pptx(tmp_path: Path) -> None:
    import io

    from PIL import Image
    from pptx import Presentation
    from pypdf import PdfReader

    png, pdf, pptx = tmp_path / "map.png", tmp_path / "map.pdf", tmp_path / "talk.pptx"
    assert main(["render", "--format", "png", "--donor", "eu", "--width", "3600",
                 "--out", str(png)]) == 0
    assert Image.open(png).size == (3600, 2025)
    assert main(["render", "--format", "pdf", "--lang", "ru", "--currency", "KZT",
                 "--out", str(pdf)]) == 0
    assert "Атлас проектов Казахстана" in PdfReader(pdf).pages[0].extract_text()
    assert main(["render", "--format", "pptx", "--donor", "European Union", "--tour", "region",
                 "--order", "KAZ011,KAZ999", "--out", str(pptx)]) == 0
    deck = Presentation(io.BytesIO(pptx.read_bytes()))
    # Title, overview, Karaganda (the unknown code is dropped), sources.
    assert [s.shapes.title.text for s in deck.slides] == \
        ["Kazakhstan Project Atlas", "Overview", "Karaganda Region", "Sources"]


def test_cli_render_refuses_a_tiny_image(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["render", "--format", "png", "--width", "200",
                 "--out", str(tmp_path / "x.png")]) == 2
    assert "too small" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_export_filename_says_what_it_shows() -> None:
    from atlas.render import export_filename

    assert export_filename("pptx", Filters(donors=("eu",), sdgs=(16,))) == "atlas-eu-sdg16.pptx"
    assert export_filename("png", Filters()) == "atlas-all.png"


@pytest.mark.parametrize("fmt", ["png", "pdf", "pptx", "html"])
def test_every_export_draws_sites_without_a_point(fmt: str) -> None:
    from atlas.render import export_bytes

    snap = pointless_snapshot()
    for filters in (Filters(), Filters(projects=(NATIONAL_PROJECT, REGION_PROJECT))):
        data = export_bytes(snap, filters, MapOptions(flows=True), fmt,  # type: ignore[arg-type]
                            width_px=1600, today=date(2026, 12, 3))
        assert data
        if fmt == "png":
            assert Image.open(io.BytesIO(data)).size == (1600, 900)
        if fmt == "pptx":
            deck = Presentation(io.BytesIO(data))
            assert len(deck.slides) >= 4
        if fmt == "html":
            html = data.decode("utf-8")
            assert not has_nan(html) and "Projects nationwide: 1" in html
