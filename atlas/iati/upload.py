"""An IATI activity file as an import: its activities mapped to the atlas's rows
(``atlas.iati.mapping``), then checked row by row like any spreadsheet (``plan_import``).

The report is the spreadsheet one: new, changed, unchanged and rejected rows, each named by its
activity identifier and element rather than a row number, and applying it is all or nothing,
recorded in the history and undoable. What the file holds that the atlas cannot place (or
leaves out, or had to assume) comes with the report as notes; a "rejected" note refuses the
import until the file is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from atlas.dataset import DataSet, Problem
from atlas.i18n import t
from atlas.iati.mapping import IatiMapping, IatiNote, map_activities
from atlas.iati.read import IatiRefused
from atlas.importing import ImportReport, ReportNote, Sheet, Upload, plan_import, shown_name
from atlas.model import TABLES

UNIT = "activity"


def _note(note: IatiNote) -> ReportNote:
    return ReportNote(note.code, note.params, t(note.code, "en", **dict(note.params)),
                      note.activity, note.element, note.severity)


def upload_of(filename: str, mapping: IatiMapping) -> Upload:
    """The mapped rows as the sheets of an upload, one per table, in the tables' order; each
    row's origin (activity and element) stands where a spreadsheet has its row number."""
    upload = Upload(filename, 0)
    by_entity: dict[str, list] = {}
    for row in mapping.rows:
        by_entity.setdefault(row.entity, []).append(row)
    for spec in TABLES:
        rows = by_entity.get(spec.name)
        if not rows:
            continue
        header = spec.column_names
        sheet = Sheet(spec.name, filename, header, [], UNIT, needs_rates=False)
        for number, row in enumerate(rows, start=1):
            sheet.rows.append((number, [row.values.get(c, "") for c in header]))
            sheet.origins[number] = row.origin
        upload.sheets.append(sheet)
    return upload


def _coded(file: str, code: str, params: tuple[tuple[str, Any], ...],
           english: str | None = None, element: str | None = None) -> Problem:
    """A problem of the file with its message code (English from the same code by default)."""
    return Problem(file, None, element, english or t(code, "en", **dict(params)), code=code,
                   params=params)


def plan_iati(filename: str, content: bytes, data: DataSet,
              versions: Mapping[str, Mapping[tuple[str, ...], int]],
              regions: gpd.GeoDataFrame, *, country: str = "KZ") -> ImportReport:
    """What importing the IATI activity file would do to ``data``; writes nothing."""
    name = shown_name(filename)
    try:
        mapping = map_activities(content, name, data, regions, country=country)
    except IatiRefused as exc:
        return ImportReport(name, problems=[Problem(name, None, None, str(exc), code=exc.code,
                                                    params=tuple(exc.params.items()))])
    notes = [_note(n) for n in mapping.notes]
    kept_notes = [n for n in notes if n.severity != "rejected"]
    if not mapping.rows:
        report = ImportReport(name, problems=[_coded(
            name, "iati_nothing_kept",
            (("read", mapping.activities_read), ("country", country)))])
        report.coded_notes = kept_notes
        return report
    report = plan_import(data, versions, upload_of(name, mapping), regions)
    report.problems.extend(_coded(name, n.code, n.params, n.english_line(), n.element)
                           for n in notes if n.severity == "rejected")
    params = (("kept", mapping.activities_kept), ("read", mapping.activities_read),
              ("country", country))
    report.coded_notes = [ReportNote("iati_kept", params, t("iati_kept", "en", **dict(params)),
                                     severity="summary"), *kept_notes]
    return report
