"""Who is logged in: the login form, logout, and the gate every editing page passes.

The gate is a convenience for the pages; the real check is made again by ``atlas.editing``
for every action, against the store, so hiding a button is never the only protection.
"""

from __future__ import annotations

import streamlit as st

from atlas.auth import (
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    Account,
    LoginRefused,
    Role,
    authenticate,
    session_is_current,
)
from atlas.i18n import t
from atlas.store import StoreError
from atlas.ui.data import current_store

ACCOUNT_KEY = "atlas_account"
ENDED_KEY = "atlas_session_ended"


def current_account() -> Account | None:
    """The account logged in in this browser session, if any."""
    account = st.session_state.get(ACCOUNT_KEY)
    return account if isinstance(account, Account) else None


def _logout() -> None:
    st.session_state.pop(ACCOUNT_KEY, None)


def client_address() -> str:
    """The address of this browser's connection as the server saw it ("" if unknown or local):
    failed logins are counted per client as well as per name."""
    try:
        return str(st.context.ip_address or "")
    except Exception:  # no client context (a bare script run): count by name only
        return ""


def login_form(lang: str) -> None:
    """The login form (name, password); a refusal says why and how long to wait."""
    with st.form("login", clear_on_submit=False):
        st.subheader(t("login_title", lang))
        # The limits only spare the browser a useless upload; the server bounds its own work.
        name = st.text_input(t("login_name", lang), key="login_name",
                             max_chars=MAX_NAME_LENGTH)
        password = st.text_input(t("login_password", lang), type="password",
                                 key="login_password", max_chars=MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("login_button", lang))
    if submitted:
        try:
            st.session_state[ACCOUNT_KEY] = authenticate(current_store(), name, password,
                                                         client=client_address())
        except LoginRefused as exc:
            st.error(t("login_refused", lang, reason=t(exc.code, lang, **exc.params)))
            return
        except StoreError as exc:  # read-only, replaced, full: a login writes its counters
            st.error(t(exc.code, lang, **exc.params))
            return
        st.session_state.pop(ENDED_KEY, None)
        st.rerun()


def account_box(lang: str) -> None:
    """In the sidebar: who is logged in, with a logout button."""
    account = current_account()
    if account is None:
        return
    with st.sidebar:
        st.caption(t("logged_in_as", lang, name=account.name, role=t(f"role_{account.role}",
                                                                     lang)))
        st.button(t("logout", lang), on_click=_logout, key="logout")


def require_login(lang: str, role: Role = "editor") -> Account:
    """The logged-in account with ``role``, else the login form (or a refusal) and stop.

    A session whose account got a new password (or was removed) since its login is logged
    out here, before anything is drawn; every action checks the same again in ``require``.
    """
    account = current_account()
    if account is not None and not session_is_current(current_store(), account):
        _logout()
        st.session_state[ENDED_KEY] = True
        account = None
    if account is None:
        if st.session_state.get(ENDED_KEY):
            st.warning(t("auth_session_ended", lang))
        st.info(t("login_needed", lang))
        login_form(lang)
        st.stop()
    assert account is not None
    if role == "admin" and not account.is_admin:
        st.error(t("admin_only", lang))
        st.stop()
    account_box(lang)
    return account
