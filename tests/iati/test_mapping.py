"""IATI activities -> atlas rows: one small explicit file per rule, then the two real samples."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from atlas import geo
from atlas.dataset import DataSet, parse_table, read_dataset
from atlas.i18n import t
from atlas.iati.mapping import (
    ISO_3166_2_KZ,
    MAX_PER_KIND,
    IatiMapping,
    MappedRow,
    map_activities,
    slug,
)
from atlas.iati.read import IatiRefused
from atlas.model import TABLES, TABLES_BY_NAME
from atlas.paths import geodata_dir
from atlas.query import Filters, summarize
from atlas.snapshot import build_snapshot
from atlas.validate import MAX_TEXT, validate

DATA = Path(__file__).parent / "data"
REPORTER = ('<reporting-org ref="XM-TEST" type="40"><narrative>Test Donor</narrative>'
            "</reporting-org>")
KARAGANDA = "49.80187 73.10211"  # latitude longitude, as IATI writes it


@pytest.fixture(scope="module")
def store() -> DataSet:
    data, problems = read_dataset(geodata_dir())
    assert not problems
    return data


@pytest.fixture(scope="module")
def regions() -> Any:
    return geo.load_regions("full")


def activity(body: str, identifier: str = "XM-TEST-1", country: str | None = "KZ",
             attrs: str = 'default-currency="EUR"') -> str:
    recipient = f'<recipient-country code="{country}" percentage="100"/>' if country else ""
    return (f'<iati-activity {attrs} last-updated-datetime="2024-05-01T10:00:00">'
            f"<iati-identifier>{identifier}</iati-identifier>{REPORTER}"
            f"<title><narrative>Activity {identifier}</narrative></title>"
            f"{recipient}{body}</iati-activity>")


def xml(*activities: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
            'generated-datetime="2024-06-01T09:00:00Z">' + "".join(activities)
            + "</iati-activities>").encode()


def mapped(store: DataSet, regions: Any, *activities: str, country: str = "KZ",
           data: DataSet | None = None) -> IatiMapping:
    return map_activities(xml(*activities), "test.xml", data if data is not None else store,
                          regions, country=country)


def rows_of(m: IatiMapping, entity: str) -> list[dict[str, str]]:
    return [r.values for r in m.rows if r.entity == entity]


def codes(m: IatiMapping) -> list[str]:
    return [n.code for n in m.notes]


def note(m: IatiMapping, code: str) -> Any:
    return next(n for n in m.notes if n.code == code)


def merged(store: DataSet, rows: list[MappedRow]) -> DataSet:
    """The bundled data with the mapped rows added (a row with an existing key replaces it),
    each table read through the CSV parser as an import would."""
    out = dict(store)
    for spec in TABLES:
        mine = [r.values for r in rows if r.entity == spec.name]
        if not mine:
            continue
        text = io.StringIO()
        writer = csv.DictWriter(text, spec.column_names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(mine)
        new, problems = parse_table(spec, text.getvalue(), spec.file_name)
        assert not problems, problems
        keys = list(spec.key)
        old = store[spec.name]
        replaced = old.set_index(keys).index.isin(new.set_index(keys).index)
        out[spec.name] = pd.concat([old[~replaced], new], ignore_index=True)
    return out


# --- which activities are kept --------------------------------------------------------------


def test_keeps_the_country_and_points_inside_it_and_counts_the_rest(store, regions) -> None:
    located = f'<location><point srsName="x"><pos>{KARAGANDA}</pos></point></location>'
    m = mapped(store, regions, activity("", "XM-TEST-KZ"),
               activity("", "XM-TEST-KG", country="KG"),
               activity(located, "XM-TEST-POINT", country=None),
               activity("", "XM-TEST-KG2", country="KG"))
    assert (m.activities_read, m.activities_kept) == (4, 2)
    assert {p["iati_identifier"] for p in rows_of(m, "projects")} == {"XM-TEST-KZ",
                                                                      "XM-TEST-POINT"}
    left = note(m, "iati_map_left_out_country")
    assert dict(left.params)["count"] == 2 and "KG" in dict(left.params)["countries"]
    assert left.severity == "left_out"


def test_another_country_is_mapped_for_the_report_but_refused(store, regions) -> None:
    m = mapped(store, regions, activity("", country="AF"), country="AF")
    assert m.activities_kept == 1
    assert note(m, "iati_map_country_not_drawn").severity == "rejected"


def test_activity_with_an_unusable_identifier_is_left_out_by_name(store, regions) -> None:
    m = mapped(store, regions, activity("", "XM-TEST Sierra Leone-1"))
    assert m.activities_kept == 0
    assert "Sierra Leone" in t("iati_map_identifier_unusable", "en",
                               **dict(note(m, "iati_map_identifier_unusable").params))


def test_a_refused_file_raises_the_readers_refusal(store, regions) -> None:
    with pytest.raises(IatiRefused):
        map_activities(b"<iati-activities version='2.03'><iati-activity>", "x.xml", store,
                       regions)
    with pytest.raises(IatiRefused):
        map_activities(b"<iati-activities version='1.05'/>", "x.xml", store, regions)


def test_a_hostile_file_name_does_not_reach_the_source_title(store, regions) -> None:
    m = map_activities(xml(activity(f"<location><point><pos>{KARAGANDA}</pos></point>"
                                    "</location>")), "../<script>x</script>\x00.xml", store,
                       regions)
    title = rows_of(m, "sources")[0]["title"]
    assert "<" not in title and "\x00" not in title and "/" not in title
    assert validate(merged(store, m.rows), regions) == []


# --- source, project --------------------------------------------------------------------------


def test_one_source_per_file_cited_by_every_row(store, regions) -> None:
    m = mapped(store, regions, activity(f'<location><point><pos>{KARAGANDA}</pos></point>'
                                        '</location>'))
    [source] = rows_of(m, "sources")
    assert source["source_id"] == "iati-xm-test"
    assert source["title"] == "IATI activity file test.xml"
    assert (source["publisher"], source["date"], source["language"]) == \
        ("Test Donor", "2024-06-01", "en")
    for row in m.rows:
        if "source_ids" in row.values:
            assert row.values["source_ids"] == "iati-xm-test", row


def test_titles_by_language_and_a_foreign_one_in_english_with_a_note(store, regions) -> None:
    body = ('<description type="2"><narrative>Objectives</narrative></description>'
            '<description type="1"><narrative xml:lang="fr">Eau potable</narrative>'
            '</description>')
    m = mapped(store, regions, activity(body).replace(
        "<narrative>Activity XM-TEST-1</narrative>",
        '<narrative xml:lang="kk">Таза су</narrative><narrative xml:lang="ru">Чистая вода'
        '</narrative><narrative xml:lang="en">Clean water</narrative>'))
    [project] = rows_of(m, "projects")
    assert (project["title_en"], project["title_ru"], project["title_kk"]) == \
        ("Clean water", "Чистая вода", "Таза су")
    assert project["summary_en"] == "Eau potable"  # type 1 (general) preferred
    assumed = note(m, "iati_map_language_assumed")
    assert dict(assumed.params)["language"] == "fr" and assumed.severity == "assumed"


def test_status_dates_and_period_basis(store, regions) -> None:
    body = ('<activity-status code="5"/><activity-date type="1" iso-date="2017-01-01"/>'
            '<activity-date type="2" iso-date="2017-01-15"/>'
            '<activity-date type="3" iso-date="2020-06-30T00:00:00"/>')
    m = mapped(store, regions, activity(body))
    [project] = rows_of(m, "projects")
    assert (project["status"], project["start"], project["end"]) == \
        ("unknown", "2017-01-15", "2020-06-30")
    assert project["period_basis"] == \
        "IATI activity-date: actual start 2017-01-15; planned end 2020-06-30"
    assert project["status_as_of"] == "2024-05-01"
    assert "Cancelled" in project["note"]
    assert dict(note(m, "iati_map_status").params)["status"] == "unknown"


def test_budget_revised_replaces_original_and_mixed_currencies_stay_unknown(store, regions
                                                                            ) -> None:
    def budget(kind: int, start: str, value: int, currency: str = "EUR") -> str:
        return (f'<budget type="{kind}"><period-start iso-date="{start}-01-01"/>'
                f'<period-end iso-date="{start}-12-31"/>'
                f'<value currency="{currency}" value-date="{start}-01-01">{value}</value>'
                "</budget>")
    m = mapped(store, regions, activity(budget(2, "2019", 150) + budget(1, "2019", 100)
                                        + budget(1, "2020", 50)))
    [project] = rows_of(m, "projects")
    # Two periods added up: a figure we computed, and it says how.
    assert (project["budget_amount"], project["budget_currency"],
            project["budget_qualifier"]) == ("200", "EUR", "derived")
    assert project["budget_basis"].startswith("sum of the 2 budget periods")
    # One stated budget is as stated: no basis, which would mark it as derived.
    m = mapped(store, regions, activity(budget(1, "2019", 100)))
    [project] = rows_of(m, "projects")
    assert (project["budget_amount"], project["budget_qualifier"], project["budget_basis"]) \
        == ("100", "exact", "")
    assert "IATI budget from 2019-01-01 to 2019-12-31" in project["note"]
    m = mapped(store, regions, activity(budget(1, "2019", 100) + budget(1, "2020", 50, "USD")))
    [project] = rows_of(m, "projects")
    assert (project["budget_amount"], project["budget_qualifier"]) == ("", "unknown")
    assert "iati_map_budget_currencies" in codes(m)


def test_sectors_and_themes(store, regions) -> None:
    m = mapped(store, regions, activity('<sector code="15150"/><sector vocabulary="2" '
                                        'code="151"/>'))
    [project] = rows_of(m, "projects")
    assert project["sectors"] == "15150"
    assert "participation" in project["themes"].lower()
    assert "iati_map_sector_vocabulary" in codes(m)


def test_same_file_again_gives_identical_rows_and_keeps_the_project_id(store, regions
                                                                       ) -> None:
    body = (f'<location><point><pos>{KARAGANDA}</pos></point></location>'
            '<participating-org role="1" ref="XM-DAC-41114" type="40"><narrative>UNDP'
            '</narrative></participating-org>')
    first = mapped(store, regions, activity(body))
    assert first.rows == mapped(store, regions, activity(body)).rows
    data = merged(store, first.rows)
    again = mapped(store, regions, activity(body), data=data)
    assert rows_of(again, "projects") == rows_of(first, "projects")
    assert not rows_of(again, "organizations")  # now matched in the atlas by its identifier


def test_project_id_is_a_collision_safe_slug(store, regions) -> None:
    assert slug("GB-1-Ab/C") == "gb-1-ab-c"
    long_one = "XM-" + "A" * 300
    assert len(slug(long_one)) <= 100 and slug(long_one) != slug(long_one + "B")
    m = mapped(store, regions, activity("", "XM-TEST-A"), activity("", "xm-test-a"))
    assert [p["project_id"] for p in rows_of(m, "projects")] == ["xm-test-a", "xm-test-a-2"]


# --- organizations and participants ---------------------------------------------------------


def test_bodies_matched_by_ref_then_by_name_never_twice(store, regions) -> None:
    data = dict(store)
    orgs = store["organizations"].copy()
    orgs.loc[orgs["org_id"] == "eu", "iati_ref"] = "XI-IATI-EC_INTPA"
    data["organizations"] = orgs
    body = ('<participating-org role="1" ref="XI-IATI-EC_INTPA"><narrative>EC</narrative>'
            '</participating-org>'
            '<participating-org role="4" type="22"><narrative xml:lang="ru">  ассоциация '
            'развития гражданского общества «арго» </narrative></participating-org>'
            '<participating-org role="4" ref="KZ-BIN-1" type="22"><narrative>New NGO'
            '</narrative></participating-org>'
            '<participating-org role="2" ref="KZ-BIN-1"/>'
            '<transaction><transaction-type code="3"/><value value-date="2019-03-01">10'
            '</value><provider-org ref="XI-IATI-EC_INTPA"/><receiver-org><narrative>new ngo'
            '</narrative></receiver-org></transaction>'
            '<participating-org role="4"/>')
    m = mapped(store, regions, activity(body), data=data)
    orgs_new = rows_of(m, "organizations")
    assert [(o["org_id"], o["iati_ref"], o["kind"], o["iati_type"]) for o in orgs_new] == \
        [("kz-bin-1", "KZ-BIN-1", "ngo", "22")]
    roles = {(p["org_id"], p["role"], p["role_as_stated"]) for p in rows_of(m, "participants")}
    assert roles == {("eu", "funder", "Funding"), ("argo", "lead", "Implementing"),
                     ("kz-bin-1", "co_implementer", "Implementing"),
                     ("kz-bin-1", "partner", "Accountable")}
    [flow] = rows_of(m, "funding_flows")
    assert (flow["from_org_id"], flow["to_org_id"]) == ("eu", "kz-bin-1")
    assert note(m, "iati_map_org_unnamed").severity == "not_placed"


def test_roles_extending_and_text_roles_and_accountable_funder(store, regions) -> None:
    body = ('<participating-org role="Funding" ref="XM-A"><narrative>A</narrative>'
            '</participating-org><participating-org role="2" ref="XM-A"/>'
            '<participating-org role="3" ref="XM-B"><narrative>B</narrative>'
            '</participating-org><participating-org role="Implementing" ref="XM-C">'
            '<narrative>C</narrative></participating-org>'
            '<participating-org role="9" ref="XM-D"/>')
    m = mapped(store, regions, activity(body))
    assert {(p["org_id"], p["role"]) for p in rows_of(m, "participants")} == \
        {("xm-a", "funder"), ("xm-b", "grant_operator"), ("xm-c", "lead")}
    assert "iati_map_role_unknown" in codes(m)


# --- funding flows --------------------------------------------------------------------------


PARTIES = ('<provider-org ref="XM-DONOR"><narrative>Donor</narrative></provider-org>'
           '<receiver-org ref="XM-NGO"><narrative>NGO</narrative></receiver-org>')


def tx(kind: str, value: str, date: str = "2019-03-01", currency: str = "",
       parties: str = PARTIES) -> str:
    cur = f' currency="{currency}"' if currency else ""
    return (f'<transaction><transaction-type code="{kind}"/>'
            f'<transaction-date iso-date="2019-12-31"/>'
            f'<value{cur} value-date="{date}">{value}</value>{parties}</transaction>')


def test_flows_from_transactions(store, regions) -> None:
    m = mapped(store, regions, activity(
        tx("2", "100") + tx("3", "80") + tx("4", "5") + tx("3", "-3")
        + tx("3", "7", currency="GBP") + tx("D", "9", date="1900-01-01") + tx("3", "1,5")))
    flows = rows_of(m, "funding_flows")
    assert [(f["flow_id"], f["amount"], f["currency"], f["status"], f["year"])
            for f in flows] == [("xm-test-1-t2", "80", "EUR", "disbursed", "2019"),
                                ("xm-test-1-t5", "7", "GBP", "disbursed", "2019"),
                                ("xm-test-1-t6", "9", "EUR", "disbursed", "")]
    assert flows[0]["year_basis"] == "IATI value-date 2019-03-01"
    found = codes(m)
    for code in ("iati_map_commitment_superseded", "iati_map_transaction_type",
                 "iati_map_transaction_negative", "iati_map_transaction_not_converted",
                 "iati_map_year_implausible", "iati_map_transaction_value_bad"):
        assert code in found, code
    assert dict(note(m, "iati_map_transaction_type").params)["name"] == "Expenditure"


def test_commitments_stay_where_nothing_was_disbursed(store, regions) -> None:
    m = mapped(store, regions, activity(tx("2", "100")))
    assert [f["status"] for f in rows_of(m, "funding_flows")] == ["committed"]


def test_flow_parties_fall_back_with_a_note_and_currency_is_required(store, regions) -> None:
    body = ('<participating-org role="4" ref="XM-IMP"><narrative>Imp</narrative>'
            '</participating-org>' + tx("3", "10", parties="")
            + tx("3", "10", currency="XYZ"))
    m = mapped(store, regions, activity(body, attrs=""))
    assert rows_of(m, "funding_flows") == []
    assert "iati_map_transaction_no_currency" in codes(m)
    assert "iati_map_transaction_currency_unknown" in codes(m)
    itself = '<provider-org ref="XM-SELF"/><receiver-org ref="XM-SELF"/>'
    m = mapped(store, regions, activity(body + tx("3", "10", parties=itself)))
    [flow] = rows_of(m, "funding_flows")
    assert (flow["from_org_id"], flow["to_org_id"]) == ("xm-test", "xm-imp")
    assert "iati_map_transaction_to_itself" in codes(m)
    # A body met only in a transaction that is not placed gets no row.
    assert {o["org_id"] for o in rows_of(m, "organizations")} == {"xm-test", "xm-imp"}
    assert {"iati_map_provider_assumed", "iati_map_receiver_assumed"} <= set(codes(m))


# --- sites -----------------------------------------------------------------------------------


def test_pos_is_latitude_first_and_the_region_is_computed(store, regions) -> None:
    body = (f'<location ref="K1"><name><narrative>Karaganda</narrative></name>'
            f'<location-id vocabulary="G1" code="609655"/><point><pos>{KARAGANDA}</pos>'
            '</point><exactness code="2"/><location-class code="2"/></location>')
    m = mapped(store, regions, activity(body))
    [site] = rows_of(m, "sites")
    assert (site["lon"], site["lat"], site["region_code"], site["precision"]) == \
        ("73.10211", "49.80187", "KAZ011", "settlement")
    assert site["location_basis"] == ("IATI location K1: point given by the publisher, "
                                      "exactness approximate, GeoNames 609655")


def test_swapped_point_is_kept_as_given_and_refused(store, regions) -> None:
    m = mapped(store, regions, activity('<location><point><pos>73.10211 49.80187</pos>'
                                        '</point></location>'))
    [site] = rows_of(m, "sites")
    assert (site["lon"], site["lat"]) == ("49.80187", "73.10211")  # never swapped back
    assert note(m, "iati_map_point_swapped").severity == "rejected"
    problems = validate(merged(store, m.rows), regions)
    assert any("look swapped" in p.message for p in problems)


def test_point_outside_is_not_placed_and_the_project_gets_a_national_site(store, regions
                                                                          ) -> None:
    m = mapped(store, regions, activity('<location><point><pos>42.87 74.59</pos></point>'
                                        '</location>'))  # Bishkek
    [site] = rows_of(m, "sites")
    assert (site["precision"], site["level"], site["lon"], site["region_code"]) == \
        ("national", "national", "", "")
    assert "iati_map_point_outside" in codes(m) and "iati_map_national_site" in codes(m)
    assert validate(merged(store, m.rows), regions) == []


def test_a_point_with_its_country_as_administrative_code_stays_a_point(store, regions
                                                                      ) -> None:
    body = ('<location><administrative vocabulary="A4" level="0" code="KZ"/>'
            f'<point><pos>{KARAGANDA}</pos></point></location>'
            '<location><administrative vocabulary="A4" level="0" code="KZ"/></location>')
    m = mapped(store, regions, activity(body))
    assert [(s["precision"], s["region_code"]) for s in rows_of(m, "sites")] == \
        [("settlement", "KAZ011"), ("national", "")]


def test_region_and_country_locations_have_no_point(store, regions) -> None:
    body = ('<location><administrative vocabulary="A4" level="1" code="KZ-47"/></location>'
            '<location><feature-designation code="PCLI"/><point><pos>48 67</pos></point>'
            '</location><location><name><narrative>Somewhere</narrative></name></location>')
    m = mapped(store, regions, activity(body))
    sites = rows_of(m, "sites")
    assert [(s["precision"], s["region_code"], s["lon"], s["name_en"]) for s in sites] == \
        [("region", "KAZ014", "", "Mangystau Region"), ("national", "", "", "Kazakhstan")]
    assert {"iati_map_national_point_dropped", "iati_map_location_unplaced"} <= set(codes(m))
    assert validate(merged(store, m.rows), regions) == []


# --- SDGs and results -------------------------------------------------------------------------


def test_sdgs_from_tags_and_sectors(store, regions) -> None:
    body = ('<tag vocabulary="3" code="16.7"/><tag vocabulary="2" code="5"/>'
            '<sector vocabulary="9" code="1.1.1"/><tag vocabulary="3" code="16.10"/>'
            '<tag vocabulary="2" code="18"/><sector vocabulary="7" code="4"/>')
    m = mapped(store, regions, activity(body))
    assert [(s["goal"], s["targets"], s["rank"]) for s in rows_of(m, "project_sdgs")] == \
        [("16", "16.7;16.10", "1"), ("5", "", "2"), ("1", "1.1", "3"), ("4", "", "4")]
    assert rows_of(m, "project_sdgs")[0]["rationale"] == \
        "Stated by the publisher in the IATI file (tag vocabulary 3)"
    assert "iati_map_sdg_bad" in codes(m)


def test_results_actuals_only(store, regions) -> None:
    body = ('<result type="1"><title><narrative>Output</narrative></title>'
            '<indicator measure="1"><title><narrative>People trained</narrative></title>'
            '<baseline year="2018" value="0"/><period><period-start iso-date="2019-01-01"/>'
            '<period-end iso-date="2019-12-31"/><target value="100"/><actual value="120"/>'
            '</period></indicator><indicator measure="5"><title><narrative>Quality'
            '</narrative></title><period><period-end iso-date="2019-12-31"/>'
            '<actual value="3"/></period></indicator></result>')
    m = mapped(store, regions, activity(body))
    [result] = rows_of(m, "results")
    assert (result["result_id"], result["indicator"], result["label_en"], result["value"],
            result["unit"], result["as_of"], result["counts_as_reach"]) == \
        ("xm-test-1-r1-1", "people-trained", "People trained", "120", "units", "2019-12-31",
         "false")
    assert dict(note(m, "iati_map_result_targets").params)["count"] == 2
    assert "iati_map_result_measure" in codes(m)


# --- hierarchy --------------------------------------------------------------------------------


def test_parent_and_two_children_are_one_project_counted_once(store, regions) -> None:
    point = f'<location><point><pos>{KARAGANDA}</pos></point></location>'
    parent = activity(point + '<related-activity type="2" ref="XM-TEST-C2"/>'
                      + tx("3", "1000", parties='<provider-org ref="XM-D"><narrative>D'
                           '</narrative></provider-org><receiver-org ref="XM-I"><narrative>I'
                           '</narrative></receiver-org>'), "XM-TEST-P")
    chain = ('<provider-org ref="XM-I"/><receiver-org ref="XM-S"><narrative>S</narrative>'
             '</receiver-org>')
    again = '<provider-org ref="XM-D"/><receiver-org ref="XM-I"/>'
    budget = ('<budget type="1"><period-start iso-date="2019-01-01"/><period-end '
              'iso-date="2019-12-31"/><value value-date="2019-01-01">{}</value></budget>')
    child1 = activity('<related-activity type="1" ref="XM-TEST-P"/>' + point
                      + budget.format(600) + tx("3", "600", parties=chain), "XM-TEST-C1")
    child2 = activity(budget.format(400) + tx("3", "400", parties=again), "XM-TEST-C2")
    m = mapped(store, regions, child1, parent, child2)
    [project] = rows_of(m, "projects")
    assert project["project_id"] == "xm-test-p"
    assert (project["budget_amount"], project["budget_qualifier"], project["budget_basis"]) \
        == ("1000", "derived", "sum of the budgets of 2 child activities")
    assert [(p["phase"], p["label_en"]) for p in rows_of(m, "phases")] == \
        [("1", "Activity XM-TEST-C1"), ("2", "Activity XM-TEST-C2")]
    assert {s["phase"] for s in rows_of(m, "sites")} == {"", "1"}
    assert "iati_map_child_flow_at_parent" in codes(m)
    data = merged(store, m.rows)
    assert not validate(data, regions)
    summary = summarize(build_snapshot(data, "t"), Filters(projects=("xm-test-p",)), "EUR")
    assert summary.funding.value == pytest.approx(1000)


def test_child_of_a_parent_in_the_atlas_is_its_phase_and_stays_unchanged(store, regions
                                                                         ) -> None:
    data = dict(store)
    projects = store["projects"].copy()
    projects.loc[projects["project_id"] == "glocal", "iati_identifier"] = "XM-TEST-GLOCAL"
    data["projects"] = projects
    child = activity('<related-activity type="1" ref="XM-TEST-GLOCAL"/>'
                     f'<location><point><pos>{KARAGANDA}</pos></point></location>',
                     "XM-TEST-PART")
    m = mapped(store, regions, child, data=data)
    assert rows_of(m, "projects") == []
    [phase] = rows_of(m, "phases")
    assert (phase["project_id"], phase["phase"]) == ("glocal", "1")
    assert rows_of(m, "sites")[0]["project_id"] == "glocal"
    again = mapped(store, regions, child, data=merged(data, m.rows))
    assert again.rows == m.rows


def test_activities_naming_each_other_as_parent_stay_projects(store, regions) -> None:
    m = mapped(store, regions,
               activity('<related-activity type="1" ref="XM-TEST-B"/>', "XM-TEST-A"),
               activity('<related-activity type="1" ref="XM-TEST-A"/>', "XM-TEST-B"))
    assert len(rows_of(m, "projects")) == 2
    assert "iati_map_hierarchy_cycle" in codes(m)


def test_every_kazakh_unit_has_its_iso_3166_2_code() -> None:
    numeric = {k: v for k, v in ISO_3166_2_KZ.items() if k[3:].isdigit()}
    assert sorted(numeric.values()) == sorted(geo.UNITS)
    assert geo.UNITS[ISO_3166_2_KZ["KZ-47"]].name_en == "Mangystau Region"
    assert geo.UNITS[ISO_3166_2_KZ["KZ-71"]].name_en == "Astana (city)"
    assert geo.UNITS[ISO_3166_2_KZ["KZ-62"]].name_en == "Ulytau Region"


def test_child_of_an_absent_parent_is_its_own_project(store, regions) -> None:
    m = mapped(store, regions, activity('<related-activity type="1" ref="XM-ELSEWHERE"/>'))
    assert len(rows_of(m, "projects")) == 1
    assert dict(note(m, "iati_map_parent_absent").params)["parent"] == "XM-ELSEWHERE"


# --- the atlas's own export comes back as the rows it was written from --------------------


def test_an_activity_exported_by_the_atlas_comes_back_as_its_rows(store, regions) -> None:
    ns = 'xmlns:atlas="urn:kz-project-atlas:iati:1"'
    exported = (
        f'<iati-activity {ns} atlas:project_id="glocal" atlas:status="ongoing" '
        'atlas:budget_qualifier="unknown" atlas:source_ids="argo-glocal-2024" '
        'atlas:start="2024-04">'
        "<iati-identifier>XX-ATLAS-glocal</iati-identifier>"
        "<title><narrative>GLocal</narrative><narrative xml:lang=\"ru\">ГЛокал</narrative>"
        "</title><recipient-country code=\"KZ\"/>"
        '<participating-org role="1" atlas:project_id="glocal" atlas:org_id="eu" '
        'atlas:role="funder" atlas:source_ids="argo-glocal-2024"><narrative>EU</narrative>'
        "</participating-org>"
        '<location atlas:site_id="s-x" atlas:project_id="glocal" atlas:level="settlement" '
        'atlas:region_code="KAZ011" atlas:lon="73.10211" atlas:lat="49.80187" '
        'atlas:precision="settlement" atlas:location_basis="typed" '
        'atlas:source_ids="argo-glocal-2024"><name><narrative>Karaganda</narrative></name>'
        f"<point><pos>{KARAGANDA}</pos></point></location>"
        '<atlas:row table="phases" project_id="glocal" phase="1" label_en="First" '
        'source_ids="argo-glocal-2024"/>'
        '<atlas:row table="rates" year="2030" currency="EUR" per_usd="1" source="x"/>'
        "</iati-activity>")
    m = map_activities(xml(exported, exported.replace("XX-ATLAS-glocal", "XX-ATLAS-again")),
                       "export.xml", store, regions)
    by_entity = {r.entity: r.values for r in m.rows}
    assert sorted(r.entity for r in m.rows) == ["participants", "phases", "projects", "sites"]
    project = by_entity["projects"]
    assert (project["project_id"], project["iati_identifier"], project["start"],
            project["title_en"], project["title_ru"]) == ("glocal", "", "2024-04", "GLocal",
                                                          "ГЛокал")
    assert (by_entity["sites"]["site_id"], by_entity["sites"]["name_en"]) == ("s-x",
                                                                              "Karaganda")
    assert by_entity["participants"]["org_id"] == "eu"  # the atlas's body, not a new one
    assert "iati_map_restored" in codes(m)


# --- bounds, validation, samples --------------------------------------------------------------


def test_elements_per_activity_are_capped(store, regions) -> None:
    m = mapped(store, regions, activity(tx("3", "1") * (MAX_PER_KIND + 5)))
    assert len(rows_of(m, "funding_flows")) == MAX_PER_KIND
    assert dict(note(m, "iati_map_capped").params)["count"] == 5


def test_text_longer_than_the_atlas_holds_is_cut_with_a_note(store, regions) -> None:
    m = mapped(store, regions, activity('<description><narrative>' + "word " * 2000
                                        + "</narrative></description>"))
    summary = rows_of(m, "projects")[0]["summary_en"]
    assert len(summary) == MAX_TEXT and summary.endswith("…")
    assert dict(note(m, "iati_map_text_cut").params)["max"] == MAX_TEXT


def test_markup_is_kept_for_the_validator_to_refuse(store, regions) -> None:
    m = mapped(store, regions, activity('<description><narrative>&lt;script&gt;x&lt;/script'
                                        '&gt;</narrative></description>'))
    assert rows_of(m, "projects")[0]["summary_en"] == "<script>x</script>"
    assert any(p.field == "summary_en" and "markup" in p.message
               for p in validate(merged(store, m.rows), regions))


def test_mapped_rows_validate_with_the_bundled_data(store, regions) -> None:
    body = (f'<activity-status code="2"/><activity-date type="2" iso-date="2020-01-01"/>'
            '<participating-org role="1" ref="XM-DAC-41114" type="40"><narrative>UNDP'
            '</narrative></participating-org><participating-org role="4" type="22">'
            '<narrative>Local NGO</narrative></participating-org>'
            f'<location><point><pos>{KARAGANDA}</pos></point><exactness code="1"/>'
            '</location><tag vocabulary="2" code="16"/>' + tx("2", "100", currency="USD")
            + '<result><indicator measure="1"><title><narrative>Plans made</narrative>'
            '</title><period><period-end iso-date="2021-12-31"/><actual value="4"/></period>'
            '</indicator></result>')
    m = mapped(store, regions, activity(body))
    assert {r.entity for r in m.rows} >= {"sources", "projects", "organizations",
                                          "participants", "sites", "funding_flows",
                                          "project_sdgs", "results"}
    for row in m.rows:
        assert set(row.values) == set(TABLES_BY_NAME[row.entity].column_names)
    assert validate(merged(store, m.rows), regions) == []


def test_every_note_reads_in_three_languages(store, regions) -> None:
    m = map_activities((DATA / "dportal-real-100-activities-2020.xml").read_bytes(),
                       "d.xml", store, regions, country="CD")
    for n in m.notes:
        for lang in ("en", "ru", "kk"):
            assert t(n.code, lang, **dict(n.params))


def test_annotated_example(store, regions) -> None:
    m = map_activities((DATA / "activity-standard-example-annotated-2.03.xml").read_bytes(),
                       "annotated.xml", store, regions, country="AF")
    assert (m.version, m.activities_read, m.activities_kept) == ("2.03", 1, 1)
    entities = {r.entity for r in m.rows}
    assert entities >= {"sources", "projects", "organizations", "participants",
                        "funding_flows", "sites", "results"}
    assert "iati_map_country_not_drawn" in codes(m)
    # Kazakhstan: the example is about Afghanistan, so nothing is kept, and the report says so.
    m = map_activities((DATA / "activity-standard-example-annotated-2.03.xml").read_bytes(),
                       "annotated.xml", store, regions)
    assert (m.activities_kept, m.rows) == (0, [])
    assert "iati_map_left_out_country" in codes(m)


def test_annotated_example_moved_to_kazakhstan_validates(store, regions) -> None:
    text = (DATA / "activity-standard-example-annotated-2.03.xml").read_text(encoding="utf-8")
    text = text.replace('code="AF" percentage="25"', 'code="KZ" percentage="25"') \
        .replace("31.616944 65.716944", KARAGANDA)
    m = map_activities(text.encode(), "kz.xml", store, regions)
    assert m.activities_kept == 1
    assert [s["region_code"] for s in rows_of(m, "sites")] == ["KAZ011"]
    assert "iati_map_point_outside" in codes(m)  # the example's Phnom Penh location
    assert validate(merged(store, m.rows), regions) == []


def test_hundred_real_activities_for_each_country_they_are_about(store, regions) -> None:
    content = (DATA / "dportal-real-100-activities-2020.xml").read_bytes()
    for country in ("CD", "SL", "GN", "CG", "UG", "SS", "LR", "BI", "BF", "298"):
        m = map_activities(content, "real.xml", store, regions, country=country)
        assert m.activities_read == 100 and m.activities_kept > 0, country
        projects = rows_of(m, "projects")
        assert len(projects) + len(rows_of(m, "phases")) == m.activities_kept
        assert {r.entity for r in m.rows} >= {"sources", "projects", "sites"}
        assert "iati_map_left_out_version" in codes(m)
        assert all(f["amount"] and not f["amount"].startswith("-")
                   for f in rows_of(m, "funding_flows"))
