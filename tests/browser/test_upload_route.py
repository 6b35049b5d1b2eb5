"""Streamlit's upload route, attacked as an anonymous visitor would: no file bigger than the
importer reads is taken, and one open session cannot park more than a couple of files.

The session id comes from the page's own websocket (its NewSession message), the XSRF token
from its cookie: what a script that opened the map page has.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from atlas.importing import MAX_UPLOAD_BYTES as MAX_BYTES
from atlas.store import open_store
from atlas.ui import upload_guard
from tests.browser.support import poll

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("atlas-upload-route") / "atlas.sqlite"
    open_store(path)
    return path


def _session_ids(payload: Any) -> list[str]:
    if not isinstance(payload, bytes):
        return []
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # not every frame is a whole ForwardMsg; those are not the one we want
        return []
    if msg.HasField("new_session") and msg.new_session.initialize.session_id:
        return [msg.new_session.initialize.session_id]
    return []


def _uploaded_bytes(app_url: str) -> int:
    """What the server holds in uploaded files, from its own metrics endpoint."""
    text = requests.get(f"{app_url}/_stcore/metrics", timeout=10).text
    found = re.findall(r'cache_memory_bytes\{[^}]*UploadedFileManager[^}]*\}\s+(\d+)', text)
    return int(found[0]) if found else 0


def test_an_anonymous_session_cannot_park_uploads(guarded: tuple[Any, Any], app_url: str,
                                                 browser: Any) -> None:
    page, _ = guarded
    ids: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived",
                                         lambda payload: ids.extend(_session_ids(payload))))
    page.goto(app_url)
    session_id = poll(page, lambda: ids and ids[0], 60, "the session's NewSession message")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = cookies["_streamlit_xsrf"]

    def put(size: int) -> int:
        url = f"{app_url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}"
        files = {"file": ("big.csv", b"a" * size, "text/csv")}
        reply = requests.put(url, files=files, headers={"X-Xsrftoken": token},
                             cookies=cookies, timeout=60)
        return reply.status_code

    # One byte over the importer's limit is refused by the route itself.
    assert put(MAX_BYTES + 1) == 413
    # Files within the limit are taken, but the session keeps only its newest ones.
    statuses = [put(MAX_BYTES - 4096) for _ in range(12)]
    assert statuses == [204] * 12
    held = _uploaded_bytes(app_url)
    assert 0 < held <= upload_guard.MAX_BYTES_PER_SESSION, held
