"""``atlas import FILE [--entity NAME] [--dry-run] [--country KZ]``: the spreadsheet and IATI
import from the command line.

Prints the row-by-row report (counts, then one line per new, changed or rejected row) and applies
it in one transaction unless ``--dry-run``. Exit 1 on any rejected row or refused file (nothing
is written then), 0 when the import was applied or the dry run is clean.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from atlas.dataset import Problem
from atlas.importing import (
    IMPORTABLE,
    ImportRefused,
    ImportReport,
    apply_import,
    check_upload,
    describe,
    printable,
    shown_name,
    size_limit,
    size_problem,
)

STORE_HELP = ("the store: an SQLite file, or a database URL such as "
              "postgresql+psycopg://user@host/atlas (default: ATLAS_DATABASE_URL if set, else "
              ".atlas/atlas.sqlite)")


def command_line_user() -> str:
    """The name recorded in the history for changes made from the command line."""
    return f"{getpass.getuser()} (command line)"


def add_import_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``import`` command to the ``atlas`` parser's subparsers."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "import", help="import rows from a CSV, Excel, GeoJSON or IATI activity XML file; exit 1 "
        "on any rejected row")
    p.add_argument("file", help="the .csv, .xlsx, .geojson or IATI activity .xml file")
    p.add_argument("--entity", choices=IMPORTABLE,
                   help="the table the file is for (default: the sheet or file name)")
    p.add_argument("--dry-run", action="store_true",
                   help="check the file and print the report; write nothing")
    p.add_argument("--country", default="KZ", type=str.upper, metavar="CODE",
                   help="IATI files: keep the activities for this ISO 3166 country (default KZ; "
                        "the map draws Kazakhstan only)")
    p.set_defaults(func=cmd_import)
    return p


def _read(path: Path) -> bytes | Problem:
    """The bytes of the file, or the refusal of a file over the size limit."""
    too_big = size_problem(shown_name(path.name), path.stat().st_size)
    if too_big:
        return too_big
    with path.open("rb") as handle:
        # Never read more than the cap, whatever the file grew to since stat().
        return handle.read(size_limit(path.name) + 1)


def cmd_import(args: argparse.Namespace) -> int:
    """Run ``atlas import``; returns the exit code."""
    from atlas.store import InvalidData, StaleEdit, open_store

    path = Path(args.file)
    try:
        content = _read(path)
    except OSError as exc:
        print(f"atlas: cannot read {printable(str(path))}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    store_arg = getattr(args, "store", None)
    store = open_store(store_arg or None)
    # The file is parsed in a child process within the import budget, never in this one.
    report = (ImportReport(content.file, problems=[content]) if isinstance(content, Problem)
              else check_upload(store, path.name, content, args.entity,
                                country=getattr(args, "country", "KZ")))
    for line in report.lines():
        print(line)
    if not report.ok:
        print("nothing written: fix the rows above and import the file again")
        return 1
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    if not report.changes():
        print("nothing to change: every row is already in the atlas as it is")
        return 0
    try:
        applied = apply_import(store, report, command_line_user())
    except StaleEdit as exc:
        print(f"refused, nothing written: {exc} since the file was checked; run the import "
              "again to compare with the current data")
        return 1
    except InvalidData as exc:
        print("refused by the store's checks, nothing written:")
        for problem in exc.problems:
            print(describe(problem))
        return 1
    except ImportRefused as exc:
        print(f"refused, nothing written: {exc}")
        return 1
    print(f"applied as change #{applied.change_id}: {applied.rows} row(s) written; "
          f"data version {applied.data_version}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m atlas.importing_cli [--store S] FILE ...``: the command on its own."""
    parser = argparse.ArgumentParser(prog="atlas-import")
    parser.add_argument("--store", help=STORE_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    add_import_parser(sub)
    args = parser.parse_args(["import", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
