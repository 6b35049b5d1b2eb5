"""The README names every page, command and setting; geodata/README names every data file."""

from __future__ import annotations

import re
from pathlib import Path

from atlas.cli import build_parser
from atlas.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_every_page() -> None:
    pages = [REPO_ROOT / "streamlit_app.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]
    for page in pages:
        assert str(page.relative_to(REPO_ROOT)) in README, page


def test_readme_names_every_command() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"atlas {name}" in README, name


def test_readme_names_every_setting() -> None:
    settings = set()
    for path in (REPO_ROOT / "atlas").rglob("*.py"):
        settings |= set(re.findall(r"environ\.get\(\"(ATLAS_\w+)\"", path.read_text()))
    assert settings and all(f"`{s}`" in README for s in settings), settings


def test_readme_gives_the_two_setup_commands_and_the_makefile_has_them() -> None:
    assert "make run" in README and "make test" in README
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()


def test_readme_screenshot_exists() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (REPO_ROOT / image).is_file(), image


def test_geodata_readme_names_every_file() -> None:
    text = (REPO_ROOT / "geodata" / "README.md").read_text(encoding="utf-8")
    for path in Path(REPO_ROOT / "geodata").iterdir():
        if path.suffix in (".csv", ".geojson"):
            assert f"`{path.name}`" in text, path.name
