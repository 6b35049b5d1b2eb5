"""A process holding one store open, as an app server does, driven by lines on its standard
input: for the tests that run several processes on one store.

    python -m tests.store_worker URL USER BUSY_SECONDS

Each command line gets one JSON line back (with the seconds it took):
    read             {"version", "title"}: the data version and the first project's English title
    prepare          remembers the first project and its row version, as an open Edit form does
    save TITLE       saves the prepared project with that title ({"change"}, {"stale": by whom}
                     or {"error": code})
    import FILE      imports a file as USER ({"change"}, {"stale"}, {"error"}, {"refused"})
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from atlas import editing
from atlas import store as store_module
from atlas.auth import Account
from atlas.importing import ImportRefused, apply_import, plan_from_store, read_upload
from atlas.store import SqlStore, StaleEdit, StoreError


def first_project(store: SqlStore) -> dict[str, Any]:
    projects = store.load()["projects"].sort_values("project_id")
    return editing.normalized_row("projects", projects.iloc[0].to_dict())


def main() -> None:
    url, user, busy = sys.argv[1], sys.argv[2], float(sys.argv[3])
    store_module.BUSY_SECONDS = busy
    store = SqlStore(url)
    account = Account(user, "editor")
    prepared: tuple[dict[str, Any], int] | None = None
    print(json.dumps({"ready": store.data_version()}), flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        started = time.monotonic()
        out: dict[str, Any] = {}
        try:
            if command == "read":
                out = {"version": store.data_version(), "title": first_project(store)["title_en"]}
            elif command == "prepare":
                row = first_project(store)
                prepared = (row, store.row_version("projects", (row["project_id"],)).version)
                out = {"version": prepared[1]}
            elif command == "save":
                assert prepared is not None
                row, version = prepared
                applied = editing.save_row(store, account, "projects",
                                           {**row, "title_en": argument}, version)
                out = {"change": applied.change_id}
            elif command == "import":
                path = Path(argument)
                report = plan_from_store(store, read_upload(path.name, path.read_bytes()))
                out = {"change": apply_import(store, report, user).change_id}
            else:
                out = {"unknown": command}
        except StaleEdit as exc:
            out = {"stale": exc.changed_by}
        except StoreError as exc:
            out = {"error": exc.code}
        except ImportRefused as exc:
            out = {"refused": str(exc)}
        except Exception as exc:  # reported to the test, which then fails with it
            out = {"exception": repr(exc)}
        out["seconds"] = round(time.monotonic() - started, 3)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
