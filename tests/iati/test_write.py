"""The IATI writer: the export validates against the official 2.03 schema, says what the atlas
knows (narratives in three languages, qualifiers, IATI point order) and leaves unknowns out,
and carries every row so an import can restore it exactly."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lxml import etree

from atlas.cli import main
from atlas.dataset import DataSet, format_cell, split_ids
from atlas.i18n import LANGUAGES, string_keys, t
from atlas.iati.read import iter_activities, narratives
from atlas.iati.write import (
    ATLAS_NS,
    PLACEHOLDER_PUBLISHER,
    REPORTING_ORG_SETTING,
    Publisher,
    PublisherSettingError,
    activities_xml,
    configured_publisher,
    export_notes,
    publisher_from_setting,
)
from atlas.model import TABLES_BY_NAME
from atlas.snapshot import Snapshot, build_snapshot
from atlas.synth import synthesize
from tests.iati.schema import validate_against_schema

A = f"{{{ATLAS_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
ABD = "auyldy-birlese-damytu"  # derived budget, an at-least flow without a year
PS = "efca-public-spaces"  # unknown budget, month dates, phases
PUBLISHER = Publisher("KZ-BIN-000000000001", "ARGO", "22")


def parse(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(xml, parser)


def export(snap: Snapshot, ids: list[str] | None = None, **kwargs: Any) -> bytes:
    chosen = list(snap.table("projects")["project_id"]) if ids is None else ids
    return activities_xml(snap, chosen, generated=WHEN, **kwargs)


def activity(root: etree._Element, project_id: str) -> etree._Element:
    found = [a for a in root.iter("iati-activity") if a.get(f"{A}project_id") == project_id]
    assert len(found) == 1
    return found[0]


def texts(element: etree._Element | None) -> dict[str, str]:
    """Narratives by language ("en" where xml:lang is left to the activity's default)."""
    assert element is not None
    return {n.get(XML_LANG, "en"): n.text or "" for n in element.findall("narrative")}


@pytest.fixture(scope="module")
def bundled_root(snap: Snapshot) -> etree._Element:
    return parse(export(snap))


def test_the_bundled_export_is_valid_iati_2_03(snap: Snapshot) -> None:
    xml = export(snap, publisher=PUBLISHER)
    assert validate_against_schema(xml) == []
    root = parse(xml)
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-03-04T05:06:07+00:00"
    assert len(root.findall("iati-activity")) == 5
    # The import side's own reader takes the file as it is.
    assert len(list(iter_activities(xml))) == 5


def test_one_project_element_by_element(bundled_root: etree._Element, snap: Snapshot) -> None:
    ps = activity(bundled_root, PS)
    assert ps.get(XML_LANG) == "en"
    assert ps.get("last-updated-datetime") == "2026-03-04T05:06:07+00:00"
    assert ps.findtext("iati-identifier") == f"{PLACEHOLDER_PUBLISHER.ref}-{PS}"
    assert ps.find("other-identifier").attrib == {"ref": PS, "type": "A1"}
    project = snap.table("projects").set_index("project_id").loc[PS]
    assert texts(ps.find("title")) == {lang: project[f"title_{lang}"] for lang in LANGUAGES}
    assert texts(ps.find("description[@type='1']")) == {
        lang: project[f"summary_{lang}"] for lang in LANGUAGES}
    assert ps.find("activity-status").get("code") == "2"  # ongoing: implementation
    dates = {d.get("type"): d.get("iso-date") for d in ps.findall("activity-date")}
    assert dates == {"2": "2018-09-01", "3": "2020-10-31"}  # a month: its first / last day
    assert "Stated as 2018-09" in texts(ps.find("activity-date[@type='2']"))["en"]
    assert ps.find("recipient-country").attrib == {"code": "KZ", "percentage": "100"}
    # Unknown budget: no <budget> at all (never 0), and the activity says why.
    assert ps.find("budget") is None
    assert "not known" in texts(ps.find("description[@type='4']"))["en"]
    roles = {p.get(f"{A}org_id"): p.get("role") for p in ps.findall("participating-org")}
    assert roles == {"akimats-mangystau": "1", "efca": "4", "initiative-groups-mangystau": "4",
                     "tco": "1"}
    tco = ps.find("participating-org[@role='1'][@type='70']")
    assert texts(tco)["en"] == "Tengizchevroil LLP"
    assert {t.get("code") for t in ps.findall("tag[@vocabulary='2']")} == {"10", "11", "16"}
    assert [t.get("code") for t in ps.findall("tag[@vocabulary='3']")] == ["11.7", "16.7", "10.2"]


def test_pos_is_latitude_then_longitude(bundled_root: etree._Element, snap: Snapshot) -> None:
    sites = snap.table("sites").set_index("site_id")
    locations = bundled_root.findall("iati-activity/location")
    assert len(locations) == len(sites)
    for location in locations:
        site = sites.loc[location.get("ref")]
        lat, lon = (float(v) for v in location.findtext("point/pos").split())
        assert (lat, lon) == (site["lat"], site["lon"])
        assert location.find("point").get("srsName") == \
            "http://www.opengis.net/def/crs/EPSG/0/4326"
        assert texts(location.find("name")) == {
            lang: site[f"name_{lang}"] for lang in LANGUAGES}
    kuryk = next(x for x in locations if x.get("ref") == "s-ps-kuryk")
    assert kuryk.findtext("point/pos") == "43.18032 51.68116"


def test_geonames_id_only_when_the_point_is_the_place(bundled_root: etree._Element) -> None:
    by_ref = {x.get("ref"): x for x in bundled_root.findall("iati-activity/location")}
    assert by_ref["s-ps-kuryk"].find("location-id").attrib == {"vocabulary": "G1",
                                                                "code": "609919"}
    assert by_ref["s-ps-kuryk"].find("exactness").get("code") == "2"
    assert by_ref["s-ps-kuryk"].find("location-class").get("code") == "2"
    # Borankul is shown at its district centre, Beineu: Beineu's geonameid is not Borankul's.
    assert by_ref["s-ps-borankul"].find("location-id") is None
    assert by_ref["s-wko-region"].find("location-class").get("code") == "1"
    assert by_ref["s-wko-region"].find("feature-designation").get("code") == "ADM1"


def test_qualifiers_go_to_narratives_next_to_their_figures(bundled_root: etree._Element) -> None:
    abd = activity(bundled_root, ABD)
    budget = abd.find("budget")
    assert budget.find("value").attrib == {"currency": "EUR", "value-date": "2017-01-01"}
    assert budget.findtext("value") == "458412"
    assert texts(abd.find("description[@type='4']"))["en"].startswith(
        "Budget 458412 EUR: qualifier derived; basis: 928,412 EUR total budget")
    at_least = abd.find("transaction[@ref='f-abd-entrepreneurs']")
    assert at_least.find("transaction-type").get("code") == "3"  # disbursed
    assert at_least.find("value").attrib["currency"] == "KZT"
    note = texts(at_least.find("description"))["en"]
    assert "qualifier at_least; basis: More than 32 mln KZT" in note
    assert "no year" in note  # dated at the project's start, and it says so
    assert at_least.get(f"{A}year") is None
    committed = abd.find("transaction[@ref='f-abd-eu']")
    assert committed.find("transaction-type").get("code") == "2"
    assert committed.find("transaction-date").get("iso-date") == "2017-01-01"
    assert committed.find("provider-org").get(f"{A}org_id") == "eu"
    assert texts(committed.find("receiver-org"))["ru"] == "Гражданский альянс Мангистауской области"
    result = abd.find("result[@atlas:result_id='r-abd-entrepreneurs']", {"atlas": ATLAS_NS})
    indicator = result.find("indicator")
    assert "qualifier derived" in texts(indicator.find("description"))["en"]
    assert indicator.find("period/actual").get("value") == "22"
    assert "qualifier derived" in texts(indicator.find("period/actual/comment"))["en"]


def test_unknown_amounts_are_left_out_never_zero(bundled_root: etree._Element) -> None:
    ps = activity(bundled_root, PS)
    assert ps.findall("transaction") == []  # all three flows of Public Spaces are unknown
    kept = ps.findall(f"{A}row[@table='funding_flows']")
    assert sorted(r.get("flow_id") for r in kept) == ["f-ps-akimats", "f-ps-mini-projects",
                                                       "f-ps-tco"]
    assert all(r.get("amount") is None and r.get("qualifier") == "unknown" for r in kept)
    values = [v.text for v in bundled_root.iter("value")] + [
        a.get("value") for a in bundled_root.iter("actual")]
    assert values and all(float(v) > 0 for v in values)


def _rows_from_export(xml: bytes) -> dict[str, list[dict[str, str]]]:
    """The atlas rows an import restores by the module's conventions (atlas:* attributes,
    en/ru/kk narratives, <atlas:row> elements)."""
    found: dict[str, list[dict[str, str]]] = defaultdict(list)

    def row(element: etree._Element, table: str,
            narrated: dict[str, etree._Element | None]) -> None:
        values = {c.name: element.get(f"{A}{c.name}", "")
                  for c in TABLES_BY_NAME[table].columns}
        for field, holder in narrated.items():
            given = narratives(holder)
            for lang in LANGUAGES:
                values[f"{field}_{lang}"] = given.get(lang, "")
        found[table].append(values)

    for act in parse(xml).iter("iati-activity"):
        row(act, "projects", {"title": act.find("title"),
                              "summary": act.find("description[@type='1']")})
        for org in act.findall("participating-org"):
            row(org, "participants", {})
        for location in act.findall("location"):
            row(location, "sites", {"name": location.find("name")})
        for flow in act.findall("transaction"):
            row(flow, "funding_flows", {})
        for result in act.findall("result"):
            row(result, "results", {"label": result.find("title")})
        for tag in act.findall("tag[@vocabulary='2']"):
            row(tag, "project_sdgs", {})
        for extra in act.findall(f"{A}row"):
            spec = TABLES_BY_NAME[extra.get("table")]
            found[spec.name].append({c.name: extra.get(c.name, "") for c in spec.columns})
    return found


def _as_text(frame: Any, table: str) -> list[dict[str, str]]:
    spec = TABLES_BY_NAME[table]
    return [{c.name: format_cell(c, r[c.name]) for c in spec.columns}
            for r in frame.to_dict("records")]


def _key(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(row.items()))


def test_every_row_of_the_exported_projects_can_be_restored(snap: Snapshot) -> None:
    restored = _rows_from_export(export(snap))
    for table in ("projects", "participants", "sites", "funding_flows", "results",
                  "project_sdgs", "phases"):
        expected = _as_text(snap.table(table), table)
        assert sorted(map(_key, restored[table])) == sorted(map(_key, expected)), table
    for table in ("organizations", "sources"):
        # Each activity repeats the bodies and sources it names: one of each is enough.
        assert {_key(r) for r in restored[table]} == {
            _key(r) for r in _as_text(snap.table(table), table)}, table


def test_generated_identifiers_are_marked_and_said(snap: Snapshot, dataset: DataSet) -> None:
    dataset["projects"].loc[dataset["projects"]["project_id"] == "glocal",
                            "iati_identifier"] = "XI-IATI-EC_INTPA-2023/447-123"
    own = build_snapshot(dataset, "own-id")
    root = parse(export(own, publisher=PUBLISHER))
    glocal = activity(root, "glocal")
    assert glocal.findtext("iati-identifier") == "XI-IATI-EC_INTPA-2023/447-123"
    assert glocal.find("iati-identifier").get(f"{A}generated") is None
    wko = activity(root, "wko-rural-ngo-capacity")
    assert wko.findtext("iati-identifier") == "KZ-BIN-000000000001-wko-rural-ngo-capacity"
    assert wko.find("iati-identifier").get(f"{A}generated") == "true"
    assert wko.find("reporting-org").attrib == {"ref": PUBLISHER.ref, "type": "22"}
    notes = dict(export_notes(own, list(own.table("projects")["project_id"]),
                              publisher=PUBLISHER))
    assert notes["iati_note_generated_ids"]["count"] == 4
    assert "glocal" not in notes["iati_note_generated_ids"]["projects"]
    assert "iati_note_placeholder_publisher" not in notes


def test_export_notes_name_what_iati_cannot_hold(snap: Snapshot) -> None:
    ids = list(snap.table("projects")["project_id"])
    notes = dict(export_notes(snap, ids))
    assert notes["iati_note_placeholder_publisher"] == {"ref": "XX-ATLAS",
                                                        "setting": REPORTING_ORG_SETTING}
    assert notes["iati_note_generated_ids"]["count"] == 5
    # 2 budgets, 14 flows, 30 results: 15 narrated (derived, at least, approximate), 7 unknown
    # (3 budgets? no: 2 unknown budgets + 5 unknown flows).
    assert notes["iati_note_qualifiers"] == {"count": 15}
    assert notes["iati_note_unknown_left_out"] == {"count": 7}
    assert notes["iati_note_value_dates"] == {"count": 9}
    assert export_notes(snap, []) == [("iati_note_no_projects", {})]
    for code, params in notes.items():
        assert code in string_keys()
        for lang in LANGUAGES:
            assert t(code, lang, **params)


def test_publisher_setting() -> None:
    assert publisher_from_setting(None) is None
    assert publisher_from_setting("  ") is None
    assert publisher_from_setting("XM-DAC-41114|UNDP|40") == Publisher("XM-DAC-41114", "UNDP",
                                                                        "40")
    assert publisher_from_setting("KZ-BIN-1|ARGO").type == "90"
    for bad in ("no-bar", "XM DAC|UNDP|40", "XM-DAC-41114|UNDP|4x", "XM-DAC-41114|UNDP|99",
                "|UNDP|40",
                "<x>|UNDP|40", "a|b|c|d"):
        with pytest.raises(PublisherSettingError):
            publisher_from_setting(bad)
    assert configured_publisher({REPORTING_ORG_SETTING: "XM-DAC-41114|UNDP|40"}) == \
        Publisher("XM-DAC-41114", "UNDP", "40")


HOSTILE = "<script>alert(1)</script> ]]> & \x00\x07\x1b end \ud800"


def test_hostile_text_comes_out_escaped_and_valid(dataset: DataSet) -> None:
    orgs = dataset["organizations"]
    orgs.loc[orgs["org_id"] == "eu", ["name_en", "name_kk"]] = [HOSTILE, "]]>"]
    projects = dataset["projects"]
    projects.loc[projects["project_id"] == "glocal", "title_ru"] = "<![CDATA[x]]> \x0c"
    snap = build_snapshot(dataset, "hostile")
    xml = export(snap, publisher=Publisher("XM-DAC-41114", "A & <B>\x01", "40"))
    assert validate_against_schema(xml) == []
    assert b"<script>" not in xml and b"\x00" not in xml and b"\x07" not in xml
    root = parse(xml)
    eu = activity(root, "glocal").find("participating-org[@atlas:org_id='eu']",
                                       {"atlas": ATLAS_NS})
    names = texts(eu)
    assert names["en"] == "<script>alert(1)</script> ]]> & \ufffd\ufffd\ufffd end \ufffd"
    assert names["kk"] == "]]>"
    assert texts(activity(root, "glocal").find("title"))["ru"] == "<![CDATA[x]]> \ufffd"
    assert root.find(".//reporting-org/narrative").text == "A & <B>\ufffd"


def test_amounts_are_plain_decimals_and_infinity_is_no_amount(dataset: DataSet) -> None:
    flows = dataset["funding_flows"]
    flows.loc[flows["flow_id"] == "f-glocal-eu", "amount"] = 1e20
    flows.loc[flows["flow_id"] == "f-glocal-cofinancing", "amount"] = float("inf")
    snap = build_snapshot(dataset, "big")
    xml = export(snap, ["glocal"])
    assert validate_against_schema(xml) == []
    glocal = activity(parse(xml), "glocal")
    assert glocal.findtext("transaction[@ref='f-glocal-eu']/value") == "1" + "0" * 20
    assert glocal.find("transaction[@ref='f-glocal-cofinancing']") is None


def test_a_site_without_a_point_has_no_point(dataset: DataSet) -> None:
    sites = dataset["sites"]
    at = sites.index[sites["site_id"] == "s-wko-region"][0]
    sites.loc[at, ["lon", "lat"]] = np.nan
    sites.loc[at, "precision"] = "region"
    national = sites.index[sites["site_id"] == "s-wko-burlin"][0]
    sites.loc[national, ["lon", "lat"]] = np.nan
    sites.loc[national, ["precision", "level", "region_code", "district_en"]] = [
        "national", "national", "", ""]
    snap = build_snapshot(dataset, "pointless")
    xml = export(snap, ["wko-rural-ngo-capacity"])
    assert validate_against_schema(xml) == []
    location = parse(xml).find(".//location[@ref='s-wko-region']")
    assert location.find("point") is None
    assert location.get(f"{A}precision") == "region"
    assert location.get(f"{A}region_code") == "KAZ020"
    assert location.find("administrative").attrib == {"vocabulary": "A4", "level": "0",
                                                      "code": "KZ"}
    assert location.find("exactness").get("code") == "2"
    country = parse(xml).find(".//location[@ref='s-wko-burlin']")
    assert country.find("point") is None and country.get(f"{A}region_code") is None
    assert country.find("feature-designation").get("code") == "PCLI"
    assert country.find("location-class").get("code") == "1"


def test_sector_shares_sum_to_exactly_100(dataset: DataSet) -> None:
    projects = dataset["projects"]
    projects.loc[projects["project_id"] == "glocal", "sectors"] = "15150;15112;43040"
    snap = build_snapshot(dataset, "sectors")
    xml = export(snap, ["glocal"])
    assert validate_against_schema(xml) == []
    sectors = activity(parse(xml), "glocal").findall("sector")
    assert [(s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in sectors] == [
        ("1", "15150", "33.34"), ("1", "15112", "33.33"), ("1", "43040", "33.33")]


def test_a_project_without_dates_or_participants_is_still_valid(dataset: DataSet) -> None:
    projects = dataset["projects"]
    projects.loc[projects["project_id"] == "glocal", ["start", "end", "status"]] = \
        ["", "", "unknown"]
    parts = dataset["participants"]
    dataset["participants"] = parts.loc[parts["project_id"] != "glocal"]
    snap = build_snapshot(dataset, "bare")
    xml = export(snap, ["glocal"])
    assert validate_against_schema(xml) == []
    glocal = activity(parse(xml), "glocal")
    date = glocal.find("activity-date")
    assert date.get(f"{A}placeholder") == "true" and date.get("iso-date") == "2026-03-04"
    assert glocal.find("participating-org").get(f"{A}placeholder") == "true"


def test_the_generated_1000_site_set_exports_valid() -> None:
    snap = build_snapshot(synthesize(1000, seed=3), "synth-1k")
    ids = list(snap.table("projects")["project_id"])
    started = time.perf_counter()
    xml = activities_xml(snap, ids, generated=WHEN)
    seconds = time.perf_counter() - started
    assert validate_against_schema(xml) == []
    root = parse(xml)
    assert len(root.findall("iati-activity")) == len(ids)
    assert len(root.findall("iati-activity/location")) == 1000
    print(f"IATI export of {len(ids)} projects / 1,000 sites: {seconds:.2f} s, "
          f"{len(xml) / 1e6:.1f} MB")


def test_cli_export_iati(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORTING_ORG_SETTING, "XM-DAC-41114|UNDP|40")
    out = tmp_path / "eu.xml"
    assert main(["export", "--format", "iati", "--donor", "eu", "--out", str(out)]) == 0
    xml = out.read_bytes()
    assert validate_against_schema(xml) == []
    root = parse(xml)
    assert {a.get(f"{A}project_id") for a in root.iter("iati-activity")} == {
        ABD, "eu-tald-east-central", "glocal"}
    assert {r.get("ref") for r in root.iter("reporting-org")} == {"XM-DAC-41114"}
    captured = capsys.readouterr()
    assert "wrote 3 IATI activities" in captured.out
    assert "stable atlas identifier" in captured.err
    # Without --out the file goes to standard output, and the notes stay on stderr.
    assert main(["export", "--format", "iati", "--region", "Kyzylorda"]) == 0
    captured = capsys.readouterr()
    assert validate_against_schema(captured.out.encode()) == []
    assert "<iati-identifier atlas:generated=\"true\">XM-DAC-41114-glocal<" in captured.out
    assert "note: " in captured.err and "note: " not in captured.out
    # No project in view: IATI has no empty file, so nothing is written, and it says why.
    empty = tmp_path / "none.xml"
    assert main(["export", "--format", "iati", "--status", "planned", "--out", str(empty)]) == 1
    assert "no activity" in capsys.readouterr().err and not empty.exists()
    # A target that cannot be written: one line, no traceback, nothing left behind.
    assert main(["export", "--format", "iati", "--out", str(tmp_path)]) == 1
    assert "could not write" in capsys.readouterr().err
    assert not tmp_path.with_name(tmp_path.name + ".part").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eu.xml"]


def test_cli_refuses_a_malformed_publisher_setting(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REPORTING_ORG_SETTING, "UNDP")
    assert main(["export", "--format", "iati"]) == 2
    assert REPORTING_ORG_SETTING in capsys.readouterr().err
    assert main(["export", "--format", "csv"]) == 2  # csv still needs --out
    assert "--out is required" in capsys.readouterr().err


def test_every_source_with_a_web_address_is_a_document_link(
        bundled_root: etree._Element, snap: Snapshot) -> None:
    glocal = activity(bundled_root, "glocal")
    links = glocal.findall("document-link")
    cited = split_ids(snap.table("projects").set_index("project_id").at["glocal",
                                                                        "source_ids"])
    assert [x.get(f"{A}source_id") for x in links] == cited
    assert all(x.get("url", "").startswith("http") for x in links)
    assert all(x.find("category").get("code") == "A12" for x in links)


def test_ids_are_taken_once_unknown_ones_skipped_and_dangling_bodies_named(
        dataset: DataSet) -> None:
    flows = dataset["funding_flows"]
    flows.loc[flows["flow_id"] == "f-glocal-eu", "to_org_id"] = "ghost-body"
    snap = build_snapshot(dataset, "dangling")
    xml = export(snap, ["glocal", "no-such-project", "glocal"])
    assert validate_against_schema(xml) == []
    root = parse(xml)
    assert len(root.findall("iati-activity")) == 1
    receiver = root.find(".//transaction[@ref='f-glocal-eu']/receiver-org")
    assert receiver.get(f"{A}org_id") == "ghost-body" and texts(receiver) == {"en": "ghost-body"}
    assert export(snap, []).count(b"<iati-activity ") == 0


def test_ru_kk_notes_go_out_as_narratives_and_come_back(dataset: DataSet) -> None:
    sites, sdgs = dataset["sites"], dataset["project_sdgs"]
    site = sites.index[(sites["project_id"] == "glocal") & (sites["location_basis"] != "")][0]
    sites.loc[site, ["location_basis_ru", "location_basis_kk"]] = ["Точка по GeoNames",
                                                                   "GeoNames нүктесі"]
    goal = sdgs.index[sdgs["project_id"] == "glocal"][0]
    sdgs.loc[goal, "rationale_ru"] = "Потому что проект про города"
    snap = build_snapshot(dataset, "notes-ru-kk")
    xml = export(snap, ["glocal"])
    assert validate_against_schema(xml) == []
    act = activity(parse(xml), "glocal")
    location = next(e for e in act.findall("location") if e.get("ref") == sites.at[site, "site_id"])
    assert texts(location.find("description")) == {
        "en": sites.at[site, "location_basis"], "ru": "Точка по GeoNames",
        "kk": "GeoNames нүктесі"}
    tag = next(e for e in act.findall("tag[@vocabulary='2']")
               if e.get("code") == str(sdgs.at[goal, "goal"]))
    assert texts(tag)["ru"] == "Потому что проект про города"
    restored = _rows_from_export(xml)
    assert {(r["location_basis_ru"], r["location_basis_kk"]) for r in restored["sites"]} >= {
        ("Точка по GeoNames", "GeoNames нүктесі")}
    assert "Потому что проект про города" in {r["rationale_ru"] for r in restored["project_sdgs"]}
