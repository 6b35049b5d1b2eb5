"""Write the example import files under examples/import/ (run: python tools/make_examples.py).

``kuryk-mini-projects.xlsx`` is the demo of the staff-editing issue: a "results" sheet adding two
results of the Public Spaces project (efca-public-spaces) at its Kuryk site (s-ps-kuryk), for
trying the import. The figures are made up and every label and note says so: undo the import
after trying it. The file is the .xlsx template of results with these rows filled in, so it also
carries the "help" sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.importing import example_workbook
from atlas.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples" / "import"
_NOTE = ("An example row for trying the spreadsheet import, not from a source: the number is "
         "made up. Undo this import after trying it.")

KURYK_RESULTS: list[dict[str, Any]] = [
    {
        "result_id": "r-example-kuryk-mini-projects",
        "project_id": "efca-public-spaces",
        "indicator": "mini_projects",
        "label_en": "EXAMPLE (import test): mini-projects in Kuryk",
        "label_ru": "ПРИМЕР (проверка импорта): мини-проекты в Курыке",
        "label_kk": "МЫСАЛ (импортты тексеру): Құрықтағы шағын жобалар",
        "value": 3,
        "unit": "projects",
        "qualifier": "exact",
        "site_ids": "s-ps-kuryk",
        "phase": 2,
        "counts_as_reach": False,
        "source_ids": "efca-public-spaces-2020",
        "note": _NOTE,
    },
    {
        "result_id": "r-example-kuryk-participants",
        "project_id": "efca-public-spaces",
        "indicator": "participants",
        "label_en": "EXAMPLE (import test): residents of Kuryk who took part in the mini-projects",
        "label_ru": "ПРИМЕР (проверка импорта): жители Курыка, участвовавшие в мини-проектах",
        "label_kk": "МЫСАЛ (импортты тексеру): шағын жобаларға қатысқан Құрық тұрғындары",
        "value": 40,
        "unit": "people",
        "qualifier": "approximate",
        "site_ids": "s-ps-kuryk",
        "phase": 2,
        "counts_as_reach": False,
        "source_ids": "efca-public-spaces-2020",
        "note": _NOTE,
    },
]


def write_examples(folder: Path = EXAMPLES) -> list[Path]:
    """Write every example file into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kuryk-mini-projects.xlsx"
    path.write_bytes(example_workbook("results", KURYK_RESULTS))
    return [path]


if __name__ == "__main__":
    for written in write_examples():
        print(f"wrote {written.relative_to(REPO_ROOT)}")
