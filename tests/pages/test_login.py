"""The login form and the admin's account forms in Streamlit's AppTest, in the reader's
language: refusals of a login, the end of a session whose password was changed, and refused
passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import auth
from atlas.i18n import t
from atlas.store import open_store
from atlas.ui import session
from tests.pages.support import open_page, run

PAGE = "pages/4_Edit.py"
PASSWORDS = {"dana": "dana-password-1", "erlan": "erlan-password-22"}
ROLES = {"dana": "editor", "erlan": "admin"}


@pytest.fixture(scope="module", autouse=True)
def accounts(store_file: Path) -> None:
    store = open_store(store_file)
    for name, password in PASSWORDS.items():
        auth.add_user(store, name, ROLES[name], password)


def log_in(name: str, password: str, lang: str) -> AppTest:
    at = run(open_page(PAGE, lang=lang))
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    return run(at)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_refused_login_reads_in_the_readers_language(lang: str) -> None:
    name = f"nobody-{lang}"  # an unknown name is refused like a known one
    at = log_in(name, "a-wrong-password", lang)
    assert [e.value for e in at.error] == [
        t("login_refused", lang, reason=t("auth_login_wrong", lang))]
    for _ in range(auth.NAME_RULE.free - 1):
        at = log_in(name, "a-wrong-password", lang)
    waits = {t("login_refused", lang, reason=t("auth_login_wait", lang, seconds=s))
             for s in (1, 2)}
    assert [e.value for e in log_in(name, "a-wrong-password", lang).error][0] in waits


def test_a_new_password_logs_the_older_session_out(store_file: Path) -> None:
    at = log_in("dana", PASSWORDS["dana"], "kk")
    assert at.selectbox(key="e_table") and not at.warning
    auth.set_password(open_store(store_file), "dana", "dana-new-password-1")
    run(at)
    assert [w.value for w in at.warning] == [t("auth_session_ended", "kk")]
    assert {x.key for x in at.text_input} == {"login_name", "login_password"}
    assert not at.selectbox
    at.text_input(key="login_name").input("dana")
    at.text_input(key="login_password").input("dana-new-password-1")
    at.button[0].click()
    run(at)
    assert at.selectbox(key="e_table") and not at.warning


@pytest.mark.parametrize(("password", "code", "values"), [
    ("aaaaaaaaaaaa", "auth_pw_distinct", {"n": auth.MIN_DISTINCT_CHARACTERS}),
    ("qwertyuiop", "auth_pw_run", {}),
    ("пароль2024", "auth_pw_common", {}),
])
def test_an_admin_reads_password_refusals_in_their_language(
        store_file: Path, password: str, code: str, values: dict[str, int]) -> None:
    at = log_in("erlan", PASSWORDS["erlan"], "kk")
    at.text_input(key="acc_new_name").input("gulnar")
    at.text_input(key="acc_new_pw").input(password)
    at.text_input(key="acc_new_pw2").input(password)
    at.button(key="acc_add_go").click()
    run(at)
    assert [e.value.replace("\\", "") for e in at.error] == [
        t("acc_failed", "kk", reason=t(code, "kk", **values))]
    assert "gulnar" not in [u[0] for u in auth.list_users(open_store(store_file))]


def test_failed_logins_are_counted_per_client_address(monkeypatch: pytest.MonkeyPatch) -> None:
    class Context:
        ip_address: str | None = "203.0.113.9"

    fake = type("FakeStreamlit", (), {"context": Context()})
    monkeypatch.setattr(session, "st", fake)
    assert session.client_address() == "203.0.113.9"
    Context.ip_address = None  # a local connection: counted by name only
    assert session.client_address() == ""


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("page", ["pages/4_Edit.py", "pages/5_History.py"])
def test_the_login_notice_shows_the_public_no_command(page: str, lang: str) -> None:
    """The public meets the login gate: it says in their language to ask the administrator,
    never which shell command makes an account (that is in the README)."""
    at = run(open_page(page, lang=lang))
    notices = [e.value for e in [*at.info, *at.warning, *at.markdown, *at.caption]]
    assert t("login_needed", lang) in notices
    for notice in notices:
        assert "atlas user" not in notice and "`" not in notice and "--role" not in notice
