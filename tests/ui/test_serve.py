"""The server's cookie routes (``atlas.ui.serve``): a one-time code becomes an HttpOnly,
SameSite=Strict session cookie once, only for the page itself, and logout clears it.

The routes are driven through a bare Starlette app with raw ASGI calls (no HTTP client)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from atlas.ui import serve

HOST = "127.0.0.1:8501"
PAGE = {"origin": f"http://{HOST}", "host": HOST, serve.SESSION_HEADER.lower(): "1",
        "content-type": "application/json"}


def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, list[str]]:
    """POST to the cookie routes; (status, Set-Cookie headers)."""
    from starlette.applications import Starlette

    app = Starlette(routes=serve.session_routes(None))
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 8501),
             "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
             "http_version": "1.1", "root_path": ""}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    cookies = [v.decode() for k, v in start["headers"] if k == b"set-cookie"]
    return start["status"], cookies


def code_body(code: str) -> bytes:
    return json.dumps({"code": code}).encode()


def test_a_code_is_exchanged_once_for_an_httponly_strict_cookie() -> None:
    code = serve.hand_off("the-token")
    assert "the-token" not in code and serve.is_pending(code)
    status, cookies = post("/_atlas/session", code_body(code), PAGE)
    assert status == 204
    (cookie,) = cookies
    parts = [p.strip().lower() for p in cookie.split(";")]
    assert parts[0] == f"{serve.SESSION_COOKIE}=the-token"
    assert "httponly" in parts and "samesite=strict" in parts and "path=/" in parts
    assert "secure" not in parts  # plain http (a local server): a Secure cookie would be lost
    assert not serve.is_pending(code)
    assert post("/_atlas/session", code_body(code), PAGE) == (410, [])  # used up


def test_a_code_expires() -> None:
    code = serve.hand_off("late-token", clock=100.0)
    assert serve.is_pending(code, clock=100.0 + serve.HANDOFF_SECONDS - 1)
    assert not serve.is_pending(code, clock=100.0 + serve.HANDOFF_SECONDS)
    assert serve.take(code, clock=100.0 + serve.HANDOFF_SECONDS) is None


@pytest.mark.parametrize("headers", [
    {**PAGE, "origin": "http://evil.example"},  # another site's page
    {k: v for k, v in PAGE.items() if k != "origin"},
    {k: v for k, v in PAGE.items() if k != serve.SESSION_HEADER.lower()},  # a plain form
    {**PAGE, "origin": "null"},
])
def test_only_the_page_itself_may_set_or_clear_the_cookie(headers: dict[str, str]) -> None:
    code = serve.hand_off("kept-token")
    assert post("/_atlas/session", code_body(code), headers) == (403, [])
    assert post("/_atlas/session/end", b"{}", headers) == (403, [])
    assert serve.is_pending(code)  # a refused try does not use the code up


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"code": 5}', b'{"other": 1}',
                                  b'{"code": "' + b"x" * 5000 + b'"}'])
def test_a_malformed_exchange_sets_nothing(body: bytes) -> None:
    status, cookies = post("/_atlas/session", body, PAGE)
    assert status in (400, 410) and cookies == []


def test_logout_clears_the_cookie() -> None:
    status, (cookie,) = post("/_atlas/session/end", b"{}", PAGE)
    parts = [p.strip().lower() for p in cookie.split(";")]
    assert status == 204 and parts[0] in (f"{serve.SESSION_COOKIE}=", f'{serve.SESSION_COOKIE}=""')
    assert "max-age=0" in parts and "httponly" in parts


def test_waiting_codes_are_bounded() -> None:
    codes = [serve.hand_off(f"t{i}") for i in range(serve.MAX_PENDING + 5)]
    assert not serve.is_pending(codes[0]) and serve.is_pending(codes[-1])
    assert len(serve._pending) <= serve.MAX_PENDING


def test_the_routes_sit_before_streamlits_catch_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_server

    catch_all = Route("/{path:path}", lambda r: None)
    monkeypatch.setattr(starlette_server, "create_starlette_app",
                        lambda runtime: Starlette(routes=[catch_all]))
    serve.install_session_routes()
    serve.install_session_routes()  # twice is once
    app = starlette_server.create_starlette_app(None)
    paths = [getattr(r, "path", "") for r in app.router.routes]
    assert paths == ["/_atlas/session", "/_atlas/session/end", "/{path:path}"]
