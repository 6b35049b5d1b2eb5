"""The upload route keeps no more than the app reads: config limits and per-session bounds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from atlas.importing import MAX_UPLOAD_BYTES as MAX_BYTES
from atlas.paths import REPO_ROOT
from atlas.ui import upload_guard

MB = 1024 * 1024


def _config() -> dict[str, dict[str, object]]:
    return tomllib.loads(Path(REPO_ROOT / ".streamlit" / "config.toml").read_text())


def test_the_server_takes_no_bigger_file_than_the_importer_reads() -> None:
    assert _config()["server"]["maxUploadSize"] * MB == MAX_BYTES  # type: ignore[operator]


def test_a_browser_may_not_push_megabytes_of_widget_state() -> None:
    assert _config()["server"]["maxWidgetStateSize"] <= 2  # type: ignore[operator]


def _file(file_id: str, size: int) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name=f"{file_id}.csv", type="text/csv",
                           data=b"x" * size)


@pytest.fixture
def manager() -> MemoryUploadedFileManager:
    upload_guard.install()
    return MemoryUploadedFileManager("/_stcore/upload_file")


def test_a_session_keeps_only_its_newest_files(manager: MemoryUploadedFileManager) -> None:
    for i in range(15):
        manager.add_file("s1", _file(f"f{i}", MAX_BYTES))
    kept = manager.file_storage["s1"]
    assert list(kept) == ["f13", "f14"]
    assert manager._total_bytes == 2 * MAX_BYTES
    assert manager._file_count == 2
    # The app still finds the file its uploader asked for.
    assert [f.file_id for f in manager.get_files("s1", ["f14"])] == ["f14"]


def test_replacing_a_file_keeps_it(manager: MemoryUploadedFileManager) -> None:
    manager.add_file("s1", _file("a", 10))
    manager.add_file("s1", _file("a", 20))
    assert manager._total_bytes == 20 and manager._file_count == 1


def test_all_sessions_together_stay_in_bounds(manager: MemoryUploadedFileManager) -> None:
    sessions = upload_guard.MAX_BYTES_ALL_SESSIONS // MAX_BYTES + 10
    for s in range(sessions):
        manager.add_file(f"s{s}", _file("f", MAX_BYTES))
    assert manager._total_bytes <= upload_guard.MAX_BYTES_ALL_SESSIONS
    assert manager._total_bytes == sum(len(f.data) for files in manager.file_storage.values()
                                       for f in files.values())
    # The oldest sessions' files went first; the newest session still has its file.
    assert "s0" not in manager.file_storage
    assert manager.get_files(f"s{sessions - 1}", ["f"])


def test_files_streamlit_removed_are_forgotten(manager: MemoryUploadedFileManager) -> None:
    for s in range(50):
        manager.add_file(f"s{s}", _file("f", 1))
        manager.remove_session_files(f"s{s}")
    manager.add_file("last", _file("f", 1))
    assert len(manager.__dict__["_atlas_order"]) == 1
