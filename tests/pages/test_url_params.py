"""The URL parameter kinds of ``atlas.ui.state``: what each makes of good values, and that none
raises or strays from its kind, whatever list of strings the address bar holds."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from atlas.ui.state import (
    MAX_TEXT_LENGTH,
    Day,
    Flag,
    IdList,
    ManyOf,
    OneOf,
    Param,
    Text,
    WholeNumber,
    YearSpan,
)

# Values an address bar can hold that no page writes.
HOSTILE = ["", " ", "-1", "0", "1", "+7", "1e309", "nan", "inf", "-inf", "0x10", "1_0", "١٢",
           "2015-", "-2015", "2020-2015", "2015", "2015-2020", "9999-0000", "--", "-", ",",
           "a,,b,", "99999999999999999999999999", "1" * 5000, "x" * 100_000, "ж" * 300,
           "\x00", "\x1b[2J", "\u202etxet", "\ud7ff", "<script>alert(1)</script>",
           "../../etc/passwd", "None", "null", "[]", "{}", "2015-02-30", "0001-01-01",
           "9999-12-31", "2024-1-1", "new", "project", "EUR", "en"]

SPECS: list[tuple[Param, Any]] = [
    # (parameter, a check its every value passes)
    (OneOf("metric", ("funding", "reach"), "funding"), lambda v: v in ("funding", "reach")),
    (OneOf("project").among(["glocal", "new"]), lambda v: v in (None, "glocal", "new")),
    (ManyOf("sdg", cast=int).among(range(1, 18)),
     lambda v: isinstance(v, list) and len(set(v)) == len(v) and set(v) <= set(range(1, 18))),
    (ManyOf("donor").among(["eu", "usaid"]),
     lambda v: isinstance(v, list) and set(v) <= {"eu", "usaid"}),
    (WholeNumber("step").within(0, 4), lambda v: isinstance(v, int) and 0 <= v <= 4),
    (WholeNumber("auto", low=0, high=600), lambda v: isinstance(v, int) and 0 <= v <= 600),
    (YearSpan("years").within(2010, 2024),
     lambda v: isinstance(v, tuple) and len(v) == 2 and 2010 <= v[0] <= v[1] <= 2024),
    (Flag("play"), lambda v: isinstance(v, bool)),
    (Day("from"), lambda v: v is None or date(2000, 1, 1) <= v <= date(2100, 12, 31)),
    (Text("q"), lambda v: isinstance(v, str) and len(v) <= MAX_TEXT_LENGTH
     and not any(ord(c) < 32 for c in v)),
    (IdList("order").among(["a", "b", "c"]),
     lambda v: v is None or (v and set(v) <= {"a", "b", "c"} and len(set(v)) == len(v))),
]


def _raw_lists() -> list[list[str]]:
    """Single hostile values, repeated ones, many of them, and seeded random unicode."""
    lists = [[v] for v in HOSTILE] + [[], HOSTILE, HOSTILE[::-1], ["1"] * 100_000]
    rng = random.Random(20240611)
    alphabet = "0123456789-,+. eEnaxж\x00\x7f\u202e\U0001f600"
    for _ in range(300):
        lists.append(["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
                      for _ in range(rng.randint(1, 3))])
    return lists


RAW_LISTS = _raw_lists()


@pytest.mark.parametrize(("param", "check"), SPECS, ids=[p.name for p, _ in SPECS])
def test_parse_never_raises_and_keeps_to_its_kind(param: Param, check: Any) -> None:
    for raw in RAW_LISTS:
        parsed = param.parse(raw)
        assert check(parsed.value), (param.name, raw[:3], parsed)


def test_absent_gives_the_default_without_a_notice() -> None:
    for param, _ in SPECS:
        parsed = param.parse([])
        assert parsed.value == param.fallback and not parsed.ignored, param.name


def test_one_of() -> None:
    metric = OneOf("metric", ("funding", "reach", "projects"), "funding")
    assert metric.parse(["reach"]) == ("reach", False)
    assert metric.parse([" reach "]) == ("reach", False)
    assert metric.parse(["bogus"]) == ("funding", True)
    assert metric.parse(["bogus", "projects"]) == ("projects", True)
    assert metric.parse(["reach", "projects"]) == ("reach", False)
    assert OneOf("project").parse(["glocal"]) == (None, True)  # no choices bound: unknown


def test_many_of() -> None:
    sdg = ManyOf("sdg", cast=int).among([11, 16])
    assert sdg.parse(["16", "11", "16"]) == ([16, 11], False)
    assert sdg.parse(["16", "nan", "1e309", "99"]) == ([16], True)
    assert sdg.parse(["1" * 5000]) == ([], True)


def test_whole_number_is_brought_into_its_range() -> None:
    step = WholeNumber("step").within(0, 3)
    assert step.parse(["2"]) == (2, False)
    assert step.parse(["-1"]) == (0, False)
    assert step.parse(["99"]) == (3, False)
    for bad in ("1e309", "nan", "1.5", "", "2 3", "9" * 13):
        assert step.parse([bad]) == (0, True), bad
    assert WholeNumber("auto", default=5, low=0, high=600).parse(["x"]) == (5, True)


def test_year_span() -> None:
    years = YearSpan("years").within(2010, 2024)
    assert years.parse(["2015-2020"]) == ((2015, 2020), False)
    assert years.parse(["2015"]) == ((2015, 2015), False)
    assert years.parse(["2020-2015"]) == ((2015, 2020), False)
    assert years.parse(["2000-2015"]) == ((2010, 2015), False)
    for bad in ("2015-", "-2015", "1900-1950", "3000", "2015-2020-2024", "twenty"):
        assert years.parse([bad]) == ((2010, 2024), True), bad


def test_flag_day_and_text() -> None:
    assert Flag("play").parse(["1"]) == (True, False)
    assert Flag("play").parse(["yes"]) == (False, True)
    assert Day("from").parse(["2025-03-01"]) == (date(2025, 3, 1), False)
    for bad in ("2025-02-30", "0001-01-01", "9999-12-31", "20250301", "2025-W01-1"):
        assert Day("from").parse([bad]) == (None, True), bad
    assert Text("q").parse(["Mangystau"]) == ("Mangystau", False)
    assert Text("q").parse(["a\x00b\x1bc"]) == ("abc", True)
    assert Text("q").parse(["ж" * 100_000]).value == "ж" * MAX_TEXT_LENGTH


def test_id_list() -> None:
    order = IdList("order").among(["a", "b", "c"])
    assert order.parse(["c,a"]) == (["c", "a"], False)
    assert order.parse(["c,zz,c, a ,"]) == (["c", "a"], True)
    assert order.parse(["zz,yy"]) == (None, True)
    assert order.parse([","]) == (None, True)
    assert order.parse(["a," * 100_000]) == (["a"], True)  # more ids than a tour can have
