"""Start the app: ``python -m atlas.ui.serve [streamlit options]`` (what ``make run`` does).

The same as ``streamlit run streamlit_app.py``, except that the bounds on Streamlit's upload
route (``atlas.ui.upload_guard``) hold from the server's first request, not from the first page
run: an upload needs only an open session, not a page that has run; that the server warms
up while it starts (``atlas.ui.data.warm_up``), so the first visitor does not wait for it; and
that the server has the two routes that keep a staff login across reloads.

Streamlit cannot set a cookie, and a session token must never travel in a URL. So after a
login the page hands the token to ``hand_off``, which keeps it here for a minute under a
random one-time code, and gives the browser only the code; the browser posts the code to
``/_atlas/session``, which answers with the token as an HttpOnly, SameSite=Strict cookie.
Later page loads read the cookie (``st.context.cookies``). ``/_atlas/session/end`` clears it at
logout. Both routes refuse requests from other sites (an Origin other than the page's own, or
without the page's header, which a cross-site form cannot add).
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from atlas.auth import SESSION_LIFETIME
from atlas.paths import REPO_ROOT
from atlas.ui import data, upload_guard

SESSION_COOKIE = "atlas_session"
SET_PATH, END_PATH = "_atlas/session", "_atlas/session/end"
SESSION_HEADER = "X-Atlas-Session"  # a header a cross-site form cannot send
HANDOFF_SECONDS = 60.0  # how long a one-time code waits for its browser
MAX_PENDING = 1000  # codes waiting at once; the oldest are dropped beyond
MAX_BODY_BYTES = 1024

_pending: dict[str, tuple[str, float]] = {}  # one-time code -> (session token, deadline)
_pending_lock = threading.Lock()
_MARK = "_atlas_session_routes"


def _forget_stale(now: float) -> None:
    for code in [c for c, (_, deadline) in _pending.items() if deadline <= now]:
        del _pending[code]
    while len(_pending) >= MAX_PENDING:
        del _pending[next(iter(_pending))]


def hand_off(token: str, clock: float | None = None) -> str:
    """A one-time code the browser exchanges for ``token`` as a cookie, within a minute."""
    now = time.monotonic() if clock is None else clock
    code = secrets.token_urlsafe(24)
    with _pending_lock:
        _forget_stale(now)
        _pending[code] = (token, now + HANDOFF_SECONDS)
    return code


def is_pending(code: str, clock: float | None = None) -> bool:
    """True while ``code`` has not been exchanged and has not expired."""
    now = time.monotonic() if clock is None else clock
    with _pending_lock:
        found = _pending.get(code)
    return found is not None and found[1] > now


def take(code: str, clock: float | None = None) -> str | None:
    """The token of a pending code, which is used up by this; None if unknown or expired."""
    now = time.monotonic() if clock is None else clock
    with _pending_lock:
        found = _pending.pop(code, None)
    return found[0] if found is not None and found[1] > now else None


def route_path(base_url: str | None, path: str) -> str:
    """The absolute path of an atlas route under Streamlit's ``server.baseUrlPath``."""
    base = (base_url or "").strip("/")
    return f"/{base}/{path}" if base else f"/{path}"


def from_the_page(headers: Any) -> bool:
    """True for a request the atlas page itself made: its own header, and an Origin that is
    the host it was sent to (a browser always sends Origin with a POST)."""
    if headers.get(SESSION_HEADER.lower()) != "1":
        return False
    origin, host = headers.get("origin"), headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


async def _small_body(request: Any) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return body


def _cookie_path() -> str:
    from streamlit import config

    return route_path(config.get_option("server.baseUrlPath"), "")


async def set_session_cookie(request: Any) -> Any:
    """POST ``{"code": ...}``: the code's session token as an HttpOnly cookie."""
    from starlette.responses import Response

    if not from_the_page(request.headers):
        return Response(status_code=403)
    body = await _small_body(request)
    try:
        code = json.loads(body or b"")["code"]
    except (ValueError, KeyError, TypeError):
        return Response(status_code=400)
    token = take(code) if isinstance(code, str) else None
    if token is None:
        return Response(status_code=410)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME),
                        path=_cookie_path(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


async def clear_session_cookie(request: Any) -> Any:
    """POST: the session cookie removed (the page ended the session in the store first)."""
    from starlette.responses import Response

    if not from_the_page(request.headers):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(SESSION_COOKIE, path=_cookie_path(), httponly=True,
                           samesite="strict", secure=request.url.scheme == "https")
    return response


def session_routes(base_url: str | None) -> list[Any]:
    """The two cookie routes, under Streamlit's base path."""
    from starlette.routing import Route

    return [Route(route_path(base_url, SET_PATH), set_session_cookie, methods=["POST"]),
            Route(route_path(base_url, END_PATH), clear_session_cookie, methods=["POST"])]


def install_session_routes() -> None:
    """Put the cookie routes first in every Starlette app Streamlit's server makes (before
    its catch-all for static files)."""
    from streamlit import config
    from streamlit.web.server.starlette import starlette_server

    original = starlette_server.create_starlette_app
    if getattr(original, _MARK, False):
        return

    def create_app(runtime: Any) -> Any:
        app = original(runtime)
        app.router.routes[:0] = session_routes(config.get_option("server.baseUrlPath"))
        return app

    setattr(create_app, _MARK, True)
    starlette_server.create_starlette_app = create_app  # type: ignore[assignment]


def main(argv: Sequence[str] | None = None) -> None:
    """Install the upload bounds and the session routes, start warming up, then hand over to
    Streamlit's command line."""
    from streamlit.web import cli

    # Run as ``-m``, this file is ``__main__``: the routes must use the codes of the module
    # the pages import, ``atlas.ui.serve``.
    from atlas.ui.serve import install_session_routes as install_routes

    upload_guard.install()
    install_routes()
    threading.Thread(target=data.warm_up, name="atlas-warm-up", daemon=True).start()
    args = ["run", str(REPO_ROOT / "streamlit_app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main.main(args=args, prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    main()
