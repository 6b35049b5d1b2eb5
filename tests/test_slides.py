"""The slide deck, read back with python-pptx: slide count, titles, figures, maps, badges."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from atlas.maps.explorer import MapOptions
from atlas.query import Filters
from atlas.slides import slide_deck
from atlas.snapshot import Snapshot
from tests.browser.support import unavailable

EU = Filters(donors=("eu",))
TODAY = date(2026, 12, 2)


def _texts(slide) -> str:  # type: ignore[no-untyped-def]
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _pictures(slide) -> list:  # type: ignore[no-untyped-def, type-arg]
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def test_deck_has_title_overview_one_slide_per_project_and_sources(snap: Snapshot) -> None:
    deck = Presentation(io.BytesIO(slide_deck(snap, EU, MapOptions(), today=TODAY)))
    slides = list(deck.slides)
    assert len(slides) == 1 + 1 + 3 + 1
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)
    titles = [s.shapes.title.text for s in slides]
    assert titles == ["Kazakhstan Project Atlas", "Overview",
                      "Auyldy birlese damytu (Developing the village together), Mangystau",
                      "GLocal",
                      "Greater stakeholder engagement at the local level in East and Central "
                      "Kazakhstan", "Sources"]
    opening = _texts(slides[0])
    assert "Filters: Donor: European Union" in opening
    assert "1,232,570 EUR" in opening and "derived" in opening and "3,000+" in opening
    assert "2026-12-02" in opening
    assert len(_pictures(slides[1])) == 1  # the overview map
    for slide in slides[2:5]:
        assert len(_pictures(slide)) == 1  # the project's map
    glocal = _texts(slides[3])
    assert "428,000 EUR" in glocal and "Budget" in glocal and "People reached" in glocal
    assert "17 · Partnerships for the Goals" in glocal
    assert 'Civil Society Development Association "ARGO"' in glocal
    # The EU's 400,000 as stated: exact, not marked derived.
    assert "Funding counted\n400,000 EUR Kazakhstan" not in glocal
    assert "400,000 EUR\nderived" not in glocal
    notes = slides[3].notes_slide.notes_text_frame.text
    assert "Funding counted: 400,000 EUR" in notes and "People reached: unknown" in notes
    assert "https://argonet.org/proekt-glocal-nachalo-bolshix-izmenenij" in notes
    assert "derived" in slides[0].notes_slide.notes_text_frame.text
    # "derived" in a figure's box is said in full on the slide: from what.
    assert ("— derived: the projects' figures added up, some worked out from what the sources "
            "state") in opening
    sources = _texts(slides[5])
    assert "Проект GLocal: начало больших изменений" in sources
    links = [r.hyperlink.address for s in slides[5].shapes if s.has_text_frame
             for p in s.text_frame.paragraphs for r in p.runs if r.hyperlink.address]
    assert "https://argonet.org/proekt-glocal-nachalo-bolshix-izmenenij" in links


def test_badges_keep_the_official_sdg_colours(snap: Snapshot) -> None:
    deck = Presentation(io.BytesIO(slide_deck(snap, Filters(), MapOptions(), "project",
                                              ["glocal"], today=TODAY)))
    glocal = list(deck.slides)[2]
    sdgs = snap.table("sdgs").set_index("goal")
    fills = {s.text_frame.text.split(" · ")[0]: str(s.fill.fore_color.rgb)
             for s in glocal.shapes if s.shape_type == 1}  # MSO_SHAPE_TYPE.AUTO_SHAPE
    assert fills == {str(g): sdgs.at[g, "colour"].lstrip("#").upper() for g in (17, 16, 11)}


def test_region_tour_in_the_presenters_order_and_language(snap: Snapshot) -> None:
    deck = Presentation(io.BytesIO(slide_deck(
        snap, EU, MapOptions(lang="ru", currency="KZT"), "region", ["KAZ008", "KAZ014"],
        today=TODAY)))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == ["Атлас проектов Казахстана", "Обзор", "Восточно-Казахстанская область",
                      "Мангистауская область", "Источники"]
    assert "Проекты здесь" in _texts(list(deck.slides)[2])
    assert "KZT" in _texts(list(deck.slides)[0])


def test_deck_opens_in_libreoffice(snap: Snapshot, tmp_path: Path) -> None:
    """LibreOffice (headless) converts the deck to PDF: one page per slide, the words intact."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        unavailable("LibreOffice is not installed")
    deck = tmp_path / "talk.pptx"
    deck.write_bytes(slide_deck(snap, EU, MapOptions(lang="kk", currency="KZT"), today=TODAY))
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=240)
    pages = PdfReader(tmp_path / "talk.pdf").pages
    assert len(pages) == 6
    assert "Қазақстан жобалар атласы" in pages[0].extract_text()
    assert "GLocal" in pages[3].extract_text()


def test_a_long_tour_keeps_its_first_steps_and_says_how_many_it_left_out(
        snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    # The cap is 30 steps; two make the rule visible on the five bundled projects.
    import atlas.slides as slides

    monkeypatch.setattr(slides, "MAX_DECK_STEPS", 2)
    full = Presentation(io.BytesIO(slide_deck(snap, Filters(), MapOptions(), today=TODAY)))
    monkeypatch.setattr(slides, "MAX_DECK_STEPS", 30)
    every = Presentation(io.BytesIO(slide_deck(snap, Filters(), MapOptions(), today=TODAY)))
    titles = [s.shapes.title.text for s in full.slides]
    every_titles = [s.shapes.title.text for s in every.slides]
    assert len(every_titles) == 1 + 1 + 5 + 1
    assert titles == every_titles[:4] + ["Sources"]
    overview = _texts(list(full.slides)[1])
    assert "first 2 of 5 steps in order; the other 3 were left out" in overview
    assert "left out" not in _texts(list(every.slides)[1])


@pytest.mark.parametrize("lang, words", [("ru", "первые 30 из 2000 шагов"),
                                         ("kk", "2000 қадамның алғашқы 30 қадамы"),
                                         ("en", "the first 30 of 2000 steps")])
def test_the_left_out_note_is_in_the_decks_language(lang: str, words: str) -> None:
    from atlas.slides import left_out_note

    assert words in left_out_note(2000, lang)
    assert left_out_note(30, lang) == ""


def test_a_view_of_many_organizations_names_a_few_and_counts_the_rest(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A slide listing every donor of thousands of projects shrank the list to unreadable type.
    import atlas.slides as slides
    from atlas.tour import overview_step
    from tests.test_exports import generated

    snap = generated(2)
    monkeypatch.setattr(slides, "MAX_DECK_STEPS", 1)
    donors = overview_step(snap, Filters(), "ru", "EUR").donors
    assert len(donors) > slides.MAX_NAMES_ON_SLIDE
    deck = Presentation(io.BytesIO(slide_deck(snap, Filters(), MapOptions(lang="ru"),
                                              today=TODAY)))
    title = _texts(list(deck.slides)[0])
    more = len(donors) - slides.MAX_NAMES_ON_SLIDE
    assert "; ".join(donors[:slides.MAX_NAMES_ON_SLIDE]) + f"; …и ещё {more}" in title
    assert donors[slides.MAX_NAMES_ON_SLIDE] not in title


def test_the_deck_draws_each_map_once(snap: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    # geopandas asks the canvas to redraw after plotting; with a drawing canvas attached
    # before the map was drawn, every map of the deck was drawn twice.
    from matplotlib.figure import Figure as MplFigure

    draws = 0
    real = MplFigure.draw

    def counting(self: MplFigure, renderer: object) -> None:
        nonlocal draws
        draws += 1
        real(self, renderer)  # type: ignore[arg-type]

    monkeypatch.setattr(MplFigure, "draw", counting)
    slide_deck(snap, Filters(), MapOptions(), today=TODAY)
    assert draws == 1 + 5  # the overview map and one per project


def test_slide_maps_name_sites_by_the_collision_rule(snap: Snapshot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.maps import labels, static

    calls: list[int] = []

    def counted(candidates, frame=None):  # type: ignore[no-untyped-def]
        calls.append(len(candidates))
        return labels.place_labels(candidates, frame)

    monkeypatch.setattr(static, "place_labels", counted)
    slide_deck(snap, Filters(donors=("eu",)), MapOptions(), order=["glocal"])
    assert calls  # the GLocal slide's map named its sites through the rule
