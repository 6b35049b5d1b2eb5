"""Bounds on what Streamlit's upload route keeps in memory.

Streamlit's ``/_stcore/upload_file/<session>/<file id>`` route takes a file for any active
session, under any file id the client makes up, and keeps it in memory until the session ends.
``server.maxUploadSize`` (set to the importer's limit in ``.streamlit/config.toml``) caps one
file, not how many: a script holding one anonymous session open could park gigabytes. The app
reads at most one file per session (the Import page's uploader), so each session keeps only its
newest few files, and all sessions together at most ``MAX_BYTES_ALL_SESSIONS``; older files are
dropped, oldest first. A file dropped from under an honest editor is simply uploaded again.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from atlas.importing import MAX_UPLOAD_BYTES

MAX_FILES_PER_SESSION = 2  # the file in the uploader and the one replacing it
MAX_BYTES_PER_SESSION = 2 * MAX_UPLOAD_BYTES
# Six of the largest (IATI) files, or 24 spreadsheets of the 5 MB limit, in all sessions.
MAX_BYTES_ALL_SESSIONS = 6 * MAX_UPLOAD_BYTES

_install_lock = threading.Lock()
_MARK = "_atlas_bounded"


def bound_uploads(manager: Any, session_id: str) -> None:
    """Drop the oldest stored files until ``session_id`` and the whole manager are in bounds.

    ``manager`` is Streamlit's MemoryUploadedFileManager; call with its lock not held.
    """
    with manager._lock:
        order: dict[tuple[str, str], int] = manager.__dict__.setdefault("_atlas_order", {})
        # Files removed by Streamlit itself (a DELETE, a session that ended) leave their entry.
        for session, file_id in [k for k in order
                                 if k[1] not in manager.file_storage.get(k[0], {})]:
            del order[(session, file_id)]
        storage = manager.file_storage.get(session_id, {})

        def drop(session: str, file_id: str) -> None:
            files = manager.file_storage.get(session, {})
            removed = files.pop(file_id, None)
            order.pop((session, file_id), None)
            if removed is not None:
                manager._total_bytes -= len(removed.data)
                manager._file_count -= 1
            if not files:
                manager.file_storage.pop(session, None)

        def oldest(session: str | None) -> tuple[str, str] | None:
            known = [(n, key) for key, n in order.items()
                     if session is None or key[0] == session]
            return min(known)[1] if known else None

        while len(storage) > MAX_FILES_PER_SESSION or (
                len(storage) > 1 and sum(len(f.data) for f in storage.values())
                > MAX_BYTES_PER_SESSION):
            victim = oldest(session_id)
            if victim is None:
                break
            drop(*victim)
        while manager._total_bytes > MAX_BYTES_ALL_SESSIONS:
            victim = oldest(None)
            if victim is None:
                break
            drop(*victim)


def install() -> None:
    """Make every MemoryUploadedFileManager of this process keep its uploads in bounds.

    Called by the server launcher (``python -m atlas.ui.serve``) before the first session, and
    again by every page (harmless), so a server started with plain ``streamlit run`` is
    bounded from its first page run on.
    """
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    with _install_lock:
        if getattr(MemoryUploadedFileManager.add_file, _MARK, False):
            return
        original = MemoryUploadedFileManager.add_file
        counter = itertools.count()

        def add_file(self: Any, session_id: str, file: Any) -> None:
            original(self, session_id, file)
            with self._lock:
                order = self.__dict__.setdefault("_atlas_order", {})
                order[(session_id, file.file_id)] = next(counter)
            bound_uploads(self, session_id)

        setattr(add_file, _MARK, True)
        MemoryUploadedFileManager.add_file = add_file  # type: ignore[method-assign]
