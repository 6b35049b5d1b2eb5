"""Every URL parameter of every page, set to values no page writes: no page shows an exception.

The pages are found by glob (``streamlit_app.py``, ``pages/*.py``); each must declare its
parameters with ``atlas.ui.state.declare_page``, and may read only those (every read is noted
in the session, so a page reading an undeclared parameter fails here). The staff pages are run
with an admin logged in, so their whole content is fuzzed, not only the login form.

Every (page, parameter, hostile value) is run, in rounds: in round r, the page's i-th parameter
holds the ((i + r) mod n)-th hostile value, so n rounds hold every parameter at every value
(parsing one parameter never looks at another). One page run per pair would take a few
hundred runs of pages that take a second each. A failing round is taken apart: each of its
parameters is run alone, and the failure names the page, parameter and value that fail.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
)
from streamlit.testing.v1 import AppTest

from atlas import auth
from atlas.auth import Account
from atlas.i18n import t
from atlas.store import open_store
from atlas.ui.session import ACCOUNT_KEY
from atlas.ui.state import PAGE_PARAMS, READ
from tests.pages.support import MAIN, ROOT, open_page

PAGE_FILES = [MAIN, *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("pages/*.py"))]
STAFF_PAGES = {"pages/4_Edit.py", "pages/5_History.py", "pages/6_Import.py"}
PRESENT = "pages/7_Present.py"
ADMIN = Account("root", "admin")

# One value of each kind an address bar can hold that no page writes: empty, numbers that are
# not whole or not in range, half and reversed year spans, 100,000 characters, control and
# right-to-left characters with markup, the same parameter repeated with mixed values, and
# repeated 400 times. (Streamlit drops a whole query string over 512 Ki characters or 1,000
# fields, so the values are sized for a round to stay under both.)
HOSTILE: dict[str, str | list[str]] = {
    "empty": "",
    "minus-one": "-1",
    "overflow": "1e309",
    "nan": "nan",
    "one-year": "2015",
    "reversed-years": "2020-2015",
    "open-years": "2015-",
    "negative-year": "-2015",
    "ancient-date": "0001-01-01",
    "huge": "9" * 100_000,
    "control-unicode": "\x00\x1b[2J ж\u202e<script>alert(1)</script>",
    "repeated": ["bogus", "-1", "2018", "bogus"],
    "many": ["bogus", "-1"] * 200,
}
LABELS = list(HOSTILE)
# Every parameter at once at one value: a few of them (the rounds hold the rest; "huge" on
# every parameter would be over Streamlit's limit, and so test nothing).
ALL_AT_ONCE = ("empty", "control-unicode", "repeated")


def _page_module(page: str) -> str:
    """The atlas.ui module a page file runs (``from atlas.ui.x import render_x``)."""
    tree = ast.parse((ROOT / page).read_text())
    modules = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module and node.module.startswith("atlas.ui.")]
    assert len(modules) == 1, (page, modules)
    return modules[0]


def declared(page: str) -> list[str]:
    """The URL parameters ``page`` declares (importing its module declares them)."""
    importlib.import_module(_page_module(page))
    return list(PAGE_PARAMS.get(page, {}))


def _round(page: str, r: int, fixed: dict[str, str]) -> dict[str, str]:
    """Round ``r`` of ``page``: parameter name -> label of its hostile value."""
    names = [n for n in declared(page) if n not in fixed]
    return {name: LABELS[(i + r) % len(LABELS)] for i, name in enumerate(names)}


def _cases() -> list[Any]:
    cases = []
    for page in PAGE_FILES:
        modes = [{}, {"play": "1"}] if page == PRESENT else [{}]
        for fixed in modes:
            mode = "-play" if fixed else ""
            for r in range(len(LABELS)):
                cases.append(pytest.param(page, fixed, _round(page, r, fixed),
                                          id=f"{page}{mode}-round{r}"))
            for label in ALL_AT_ONCE:
                labels = {n: label for n in declared(page) if n not in fixed}
                cases.append(pytest.param(page, fixed, labels, id=f"{page}{mode}-all-{label}"))
    return cases


@pytest.fixture(scope="module", autouse=True)
def admin(store_file: Path) -> None:
    auth.add_user(open_store(store_file), ADMIN.name, ADMIN.role, "root-password-333")


@pytest.fixture(autouse=True)
def no_component_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest scans every installed package for v2 components on each run (a third of a
    second); the atlas has none, so the fuzz skips the scan."""
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components",
                        lambda self, **_: None)


def run_page(page: str, params: dict[str, Any]) -> AppTest:
    at = open_page(page)
    at.query_params.update(params)
    if page in STAFF_PAGES:
        at.session_state[ACCOUNT_KEY] = ADMIN
    at.run()
    return at


def test_every_page_file_declares_its_parameters() -> None:
    assert len(PAGE_FILES) >= 8
    for page in PAGE_FILES:
        declared(page)
        assert page in PAGE_PARAMS, f"{page} declares no URL parameters (declare_page)"


@pytest.mark.parametrize("page", PAGE_FILES)
def test_a_page_reads_what_it_declares(page: str) -> None:
    """What the page reads is what it declares: no undeclared read, no stale declaration."""
    read: set[str] = set()
    for params in ({}, {"play": "1"}) if page == "pages/7_Present.py" else ({},):
        at = run_page(page, params)
        assert not at.exception, [e.value for e in at.exception]
        read |= set(at.session_state[READ])
    assert read == set(declared(page))


def test_no_module_reads_the_url_by_hand() -> None:
    """Only atlas/ui/state.py touches st.query_params; pages go through its parameters."""
    files = [ROOT / MAIN, *ROOT.glob("pages/*.py"), *ROOT.glob("atlas/**/*.py")]
    for path in files:
        if path.name == "state.py" and path.parent.name == "ui":
            continue
        tree = ast.parse(path.read_text())
        uses = [node.lineno for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr == "query_params"]
        assert not uses, f"{path.relative_to(ROOT)}:{uses} reads st.query_params"


def _failure(page: str, params: dict[str, Any]) -> str | None:
    """What went wrong on ``page`` with ``params`` (None: nothing)."""
    at = run_page(page, params)
    if at.exception:
        return "; ".join(str(e.value)[:300] for e in at.exception)
    if not at.title:
        return "the page drew no title"
    read = at.session_state.get(READ, set())
    undeclared = set(read) - set(declared(page))
    return f"read undeclared parameters {sorted(undeclared)}" if undeclared else None


@pytest.mark.parametrize(("page", "fixed", "labels"), _cases())
def test_hostile_url_never_raises(page: str, fixed: dict[str, str],
                                  labels: dict[str, str]) -> None:
    params = {**fixed, **{n: HOSTILE[v] for n, v in labels.items()}}
    query = urlencode(params, doseq=True)
    assert len(query) <= CLIENT_STATE_QUERY_STRING_MAX_LENGTH, "Streamlit would drop it all"
    assert query.count("&") < CLIENT_STATE_QUERY_STRING_MAX_FIELDS, "Streamlit would drop it all"
    if _failure(page, params) is None:
        return
    alone = {f"{page}?{name}={label}": _failure(page, {**fixed, name: HOSTILE[label]})
             for name, label in labels.items()}
    failing = {case: why for case, why in alone.items() if why}
    pytest.fail(f"fails with {failing}" if failing
                else f"{page} fails only with all of {labels} (plus {fixed})")


def notices(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if "metric" in c.value or "years" in c.value]


def test_the_page_says_which_parameters_it_did_not_understand() -> None:
    at = run_page(MAIN, {"metric": "bogus", "years": "2015-", "lang": "ru", "donor": "eu"})
    assert notices(at) == [t("url_ignored", "ru", params="years, metric")]
    at.run()  # a rerun that changes nothing (the map reports a value): the note stays
    assert notices(at) == [t("url_ignored", "ru", params="years, metric")]
    at.radio(key="o_metric").set_value("reach").run()  # the viewer moves on: it goes
    assert not notices(at) and not at.exception
    at = run_page(MAIN, {"metric": "bogus", "lang": "ru"})
    at.switch_page("pages/1_Sources.py").run()  # nor does it follow to another page
    assert not notices(at) and not at.exception
    at = run_page(MAIN, {"metric": "reach", "years": "2019", "lang": "ru", "donor": "eu"})
    assert not notices(at)


def test_presenting_keeps_the_known_steps_of_a_hostile_tour() -> None:
    at = run_page(PRESENT, {"play": "1", "donor": "eu", "by": "bogus", "auto": "1e309",
                            "order": "nope, glocal ,nope,glocal," + "x" * 10_000, "step": "99"})
    assert not at.exception
    assert at.title[0].value == "GLocal"  # the one known step, and a step past the end: the last
    assert any("Step 2 of 2" in m.value for m in at.markdown)
    assert "t_pause" not in [b.key for b in at.button]  # auto=1e309: stepped by hand
    at = run_page(PRESENT, {"play": "1", "donor": "eu", "order": "nope", "step": "-1"})
    assert at.title[0].value == "Kazakhstan Project Atlas"  # no known step: the whole tour
    assert any("Step 1 of 4" in m.value for m in at.markdown)


def test_ids_that_do_not_exist_open_nothing() -> None:
    at = run_page("pages/2_Projects.py", {"project": "nope"})
    assert at.title[0].value == t("projects_title", "en") and "project" not in at.query_params
    at = run_page("pages/3_Organizations.py", {"org": "nope"})
    assert at.title[0].value == t("nav_organizations", "en") and "org" not in at.query_params
    at = run_page(MAIN, {"project": "nope"})
    assert "project" not in at.query_params
    at = run_page("pages/4_Edit.py", {"table": "nope", "row": "nope"})
    assert not at.exception and at.selectbox(key="e_table").value == "projects"
    assert at.query_params.get("table") == "projects" and "row" not in at.query_params


def test_history_dates_out_of_range_are_left_empty() -> None:
    at = run_page("pages/5_History.py", {"from": "0001-01-01", "to": "2025-02-30", "q": "a\x00b"})
    assert not at.exception
    assert at.date_input(key="h_from").value is None and at.date_input(key="h_to").value is None
    assert at.text_input(key="h_q").value == "ab"
    assert "from" not in at.query_params and "to" not in at.query_params
