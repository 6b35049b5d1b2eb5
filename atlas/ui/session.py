"""Who is logged in: the login form, logout, and the gate every editing page passes.

The gate is a convenience for the pages; the real check is made again by ``atlas.editing``
for every action, against the store, so hiding a button is never the only protection.

A login also starts a session in the store (``atlas.auth.start_session``) whose token the
browser keeps as an HttpOnly cookie (set through ``atlas.ui.serve``), so a reload of the page
does not log staff out: a new page load reads the cookie and resumes the session if the store
still holds it. Logout ends it in the store and clears the cookie.
"""

from __future__ import annotations

import contextlib
import json

import sqlalchemy as sa
import streamlit as st

from atlas.auth import (
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    Account,
    LoginRefused,
    PermissionDenied,
    Role,
    authenticate,
    end_session,
    resume_session,
    session_is_current,
    start_session,
    token_digest,
)
from atlas.i18n import t
from atlas.store import StoreError
from atlas.ui import serve
from atlas.ui.data import current_store

ACCOUNT_KEY = "atlas_account"
ENDED_KEY = "atlas_session_ended"
SESSION_KEY = "atlas_session_digest"  # the digest of this login's session token
_HANDOFF = "atlas_session_handoff"  # the one-time code the browser exchanges for the cookie
_FORGET = "atlas_session_forget"  # the cookie is to be cleared (after a logout)
_TRIED = "atlas_session_tried"  # the digest of the cookie already tried in this page session
# Store trouble while starting, resuming or ending a session: the login itself still holds.
_SESSION_TROUBLE = (StoreError, PermissionDenied, sa.exc.OperationalError)


def session_cookie() -> str:
    """The session token this browser sent with the page ("" if none)."""
    try:
        value = st.context.cookies.get(serve.SESSION_COOKIE)
    except Exception:  # no client context (a bare script run)
        return ""
    return value if isinstance(value, str) else ""


def _resume() -> Account | None:
    """The account of the session cookie, tried once per page session and cookie."""
    token = session_cookie()
    if not token:
        return None
    digest = token_digest(token)
    if st.session_state.get(_TRIED) == digest:
        return None
    st.session_state[_TRIED] = digest
    try:
        account = resume_session(current_store(), token)
    except _SESSION_TROUBLE:
        return None
    if account is not None:
        st.session_state[ACCOUNT_KEY] = account
        st.session_state[SESSION_KEY] = digest
    return account


def current_account() -> Account | None:
    """The account logged in in this browser session (or in its session cookie), if any."""
    account = st.session_state.get(ACCOUNT_KEY)
    if isinstance(account, Account):
        return account
    return _resume()


def _remember(account: Account) -> None:
    """Start a session in the store for a fresh login and hand its token to the browser."""
    try:
        token = start_session(current_store(), account)
    except _SESSION_TROUBLE:  # a read-only store: logged in until the page is reloaded
        return
    st.session_state[SESSION_KEY] = token_digest(token)
    st.session_state[_HANDOFF] = serve.hand_off(token)
    st.session_state.pop(_FORGET, None)


def _logout() -> None:
    st.session_state.pop(ACCOUNT_KEY, None)
    st.session_state.pop(_HANDOFF, None)
    digest = st.session_state.pop(SESSION_KEY, None)
    if digest:
        with contextlib.suppress(*_SESSION_TROUBLE):
            end_session(current_store(), digest)
        st.session_state[_FORGET] = True


def _post(path: str, body: dict[str, str]) -> None:
    """Have the browser post ``body`` to one of the atlas's own routes (a script without
    anything to show)."""
    url = serve.route_path(st.get_option("server.baseUrlPath"), path)
    script = (f"<script>fetch({json.dumps(url)}, {{method: 'POST', credentials: 'same-origin',"
              f" headers: {{'Content-Type': 'application/json', "
              f"{json.dumps(serve.SESSION_HEADER)}: '1'}}, "
              f"body: {json.dumps(json.dumps(body))}}});</script>")
    st.html(script, unsafe_allow_javascript=True)


def cookie_bridge() -> None:
    """Hand a fresh login's code to the browser (until it is exchanged), or clear the cookie
    after a logout."""
    code = st.session_state.get(_HANDOFF)
    if code and serve.is_pending(code):
        _post(serve.SET_PATH, {"code": code})
    elif code:
        st.session_state.pop(_HANDOFF, None)
    if st.session_state.pop(_FORGET, False):
        _post(serve.END_PATH, {})


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
            account = authenticate(current_store(), name, password, client=client_address())
        except LoginRefused as exc:
            st.error(t("login_refused", lang, reason=t(exc.code, lang, **exc.params)))
            return
        except StoreError as exc:  # read-only, replaced, full: a login writes its counters
            st.error(t(exc.code, lang, **exc.params))
            return
        st.session_state[ACCOUNT_KEY] = account
        _remember(account)
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
    cookie_bridge()
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
