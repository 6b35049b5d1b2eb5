"""The ``atlas`` command: validate, build the store, summarise and export, for scripts."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from atlas.dataset import read_dataset, replace_dataset
from atlas.importing_cli import STORE_HELP, add_import_parser
from atlas.paths import geodata_dir
from atlas.query import Filters, donor_ids, implementer_ids, summarize
from atlas.snapshot import Snapshot, build_snapshot


class NotFound(ValueError):
    """A name or code on the command line matches nothing (or too much)."""


def _normal(text: str) -> str:
    return " ".join(str(text).casefold().replace("«", "").replace("»", "").replace('"', "").split())


def resolve(query: str, candidates: dict[str, list[str]], what: str) -> str:
    """The id whose id, code or any name equals ``query`` (else contains it, if unique)."""
    q = _normal(query)
    exact = [i for i, names in candidates.items() if q in {_normal(n) for n in names if n}]
    if len(exact) == 1:
        return exact[0]
    partial = [i for i, names in candidates.items() if any(q in _normal(n) for n in names if n)]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFound(f"no {what} matches {query!r}")
    raise NotFound(f"{query!r} matches several {what}s: {', '.join(sorted(partial))}")


def _org_candidates(snap: Snapshot, ids: Sequence[str]) -> dict[str, list[str]]:
    orgs = snap.table("organizations").set_index("org_id")
    return {i: [i, orgs.at[i, "acronym"], orgs.at[i, "name_en"], orgs.at[i, "name_ru"],
                orgs.at[i, "name_kk"]] for i in ids}


def _region_candidates(snap: Snapshot) -> dict[str, list[str]]:
    out = {}
    for r in snap.regions.itertuples():
        names = [r.code, r.name_en, r.name_ru, r.name_kk]
        short = [str(n).replace(" Region", "").replace(" (city)", "").replace(" область", "")
                 .replace(" облысы", "").replace("город ", "").replace(" қаласы", "")
                 for n in names[1:]]
        out[r.code] = names + short
    return out


def filters_from_args(snap: Snapshot, args: argparse.Namespace) -> Filters:
    """Filters from ``--donor/--sdg/--region/--implementer/--year-from/--year-to/--status``."""
    for goal in args.sdg or []:
        if not 1 <= goal <= 17:
            raise NotFound(f"SDG {goal} does not exist (goals are 1 to 17)")
    years = None
    if args.year_from is not None or args.year_to is not None:
        years = (args.year_from or 1991, args.year_to or 2100)
    return Filters(
        donors=tuple(resolve(d, _org_candidates(snap, donor_ids(snap)), "donor")
                     for d in args.donor or []),
        sdgs=tuple(args.sdg or []),
        regions=tuple(resolve(r, _region_candidates(snap), "region") for r in args.region or []),
        implementers=tuple(resolve(i, _org_candidates(snap, implementer_ids(snap)), "implementer")
                           for i in args.implementer or []),
        years=years,
        statuses=tuple(args.status or []),
    )


def load_snapshot(path: Path | str | None = None) -> Snapshot:
    """A snapshot of the store, a file or a database URL (built from geodata/ first if it
    does not exist yet)."""
    from atlas.store import open_store

    store = open_store(path)
    return build_snapshot(store.load(), store.data_version())


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--donor", action="append", help="donor id, acronym or name (repeatable)")
    parser.add_argument("--sdg", action="append", type=int, help="SDG goal 1..17 (repeatable)")
    parser.add_argument("--region", action="append", help="region code or name (repeatable)")
    parser.add_argument("--implementer", action="append", help="implementer id or name")
    parser.add_argument("--year-from", type=int, help="projects running in or after this year")
    parser.add_argument("--year-to", type=int, help="projects running in or before this year")
    parser.add_argument("--status", action="append",
                        choices=["planned", "ongoing", "completed", "unknown"])


def cmd_validate(args: argparse.Namespace) -> int:
    from atlas.validate import validate

    folder = Path(args.geodata) if args.geodata else geodata_dir()
    data, problems = read_dataset(folder)
    problems += validate(data, folder=folder.name)
    for problem in problems:
        print(problem)
    counts = ", ".join(f"{len(df)} {name}" for name, df in data.items())
    print(f"{len(problems)} problem(s) in {folder} ({counts})", file=sys.stderr)
    return 1 if problems else 0


def cmd_build_store(args: argparse.Namespace) -> int:
    from atlas.store import InvalidData, build_store

    try:
        result = build_store(args.store, force=args.force, if_missing=args.if_missing)
    except InvalidData as exc:
        for problem in exc.problems:
            print(problem)
        print(f"atlas: {geodata_dir()} has {len(exc.problems)} problem(s); the store was not "
              "built or changed", file=sys.stderr)
        return 1
    if not result.built:
        print(f"store exists: {result.path}")
        return 0
    if result.backup is not None:
        print(f"kept a copy of the previous store: {result.backup}")
    print(f"built {result.path} (data version {result.data_version}) in {result.seconds:.2f} s")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from atlas.backup import BackupError
    from atlas.store import StoreUpgradeFailed, default_backup_file, upgrade_store

    target = Path(args.backup) if args.backup else default_backup_file(args.store)
    try:
        result = upgrade_store(args.store, target)
    except (BackupError, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"atlas: the backup could not be written to {target} ({detail}); nothing was "
              "upgraded", file=sys.stderr)
        return 1
    except StoreUpgradeFailed as exc:
        print(f"atlas: {exc}; the backup written first is {target}", file=sys.stderr)
        return 1
    if not result.upgraded:
        print(f"{result.where} is at revision {result.after}, this version's: nothing to do")
        return 0
    print(f"backed up {result.where} to {result.backup}")
    print(f"upgraded {result.where} from {result.before} to {result.after} "
          f"in {result.seconds:.2f} s")
    return 0


def cmd_export_data(args: argparse.Namespace) -> int:
    from atlas.store import open_store

    store = open_store(args.store)
    out = Path(args.out) if args.out else geodata_dir()
    try:
        files = replace_dataset(store.load(), out)
    except OSError as exc:
        print(f"atlas: could not write {out}: {exc.strerror or exc}; its files are unchanged",
              file=sys.stderr)
        return 1
    print(f"wrote {len(files)} files to {out}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from atlas.backup import BackupError, write_backup
    from atlas.store import store_location

    try:
        report = write_backup(store_location(args.store), Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"atlas: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"atlas: could not write {args.file}: {exc.strerror or exc}; nothing was written",
              file=sys.stderr)
        return 1
    print(f"wrote {report.target}: {report.tables} tables, {report.rows:,} rows, "
          f"{report.bytes / 1024 / 1024:.1f} MB in {report.seconds:.1f} s")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from atlas.backup import BackupError, restore_backup

    try:
        report = restore_backup(Path(args.file), args.store)
    except BackupError as exc:
        print(f"atlas: {exc}; the store was not changed", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"atlas: could not read {args.file}: {exc.strerror or exc}; the store was not "
              "changed", file=sys.stderr)
        return 1
    if report.kept is not None:
        print(f"kept a copy of the replaced store: {report.kept}")
    print(f"restored {args.file} into {report.where}: {report.rows:,} rows, data version "
          f"{report.data_version}, in {report.seconds:.1f} s")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    snap = load_snapshot(args.store)
    summary = summarize(snap, filters_from_args(snap, args), "EUR")
    result = summary.as_json(snap.region_names("en"))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            if key != "regions":
                print(f"{key}: {value}")
        for region in result["regions"]:
            print(f"  {region['code']} {region['name_en']}: {region['projects']} project(s), "
                  f"EUR {region['funding_eur']}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from atlas.exports import filtered_sites, write_sites

    if args.format == "iati":
        return _export_iati(args)
    if not args.out:
        print(f"atlas: --out is required for --format {args.format}", file=sys.stderr)
        return 2
    snap = load_snapshot(args.store)
    gdf = filtered_sites(snap, filters_from_args(snap, args), args.lang)
    write_sites(gdf, args.format, Path(args.out))
    print(f"wrote {len(gdf)} site(s) to {args.out}")
    return 0


def _export_iati(args: argparse.Namespace) -> int:
    """The filtered projects as IATI 2.03 activity XML (to --out, else to standard output);
    what the export says (generated identifiers, qualifiers in narratives...) goes to stderr."""
    from atlas.i18n import t
    from atlas.iati.write import (
        PublisherSettingError,
        configured_publisher,
        export_notes,
        write_activities,
    )
    from atlas.query import matching_projects

    try:
        publisher = configured_publisher()
    except PublisherSettingError as exc:
        print(f"atlas: {exc}", file=sys.stderr)
        return 2
    snap = load_snapshot(args.store)
    project_ids = matching_projects(snap, filters_from_args(snap, args))
    if not project_ids:  # IATI has no empty activity file: the schema needs one activity
        print(f"atlas: {t('iati_note_no_projects', 'en')} Nothing was written.", file=sys.stderr)
        return 1
    if args.out:
        # Written beside the target and moved over it at the end: a failure leaves no half file.
        target = Path(args.out)
        part = target.with_name(target.name + ".part")
        try:
            with part.open("wb") as out:
                written = write_activities(out, snap, project_ids, publisher=publisher)
            part.replace(target)
        except OSError as exc:
            part.unlink(missing_ok=True)
            print(f"atlas: could not write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {written} IATI activit{'y' if written == 1 else 'ies'} to {args.out}")
    else:
        write_activities(sys.stdout.buffer, snap, project_ids, publisher=publisher)
        sys.stdout.flush()
    for code, params in export_notes(snap, project_ids, publisher=publisher):
        print(f"note: {t(code, 'en', **params)}", file=sys.stderr)
    return 0


def _new_password(name: str, read: Callable[[str], str]) -> str:
    """Ask twice (never on the command line, where it would stay in the shell history)."""
    from atlas.auth import check_password_rules

    first = read(f"password for {name}: ")
    check_password_rules(name, first)
    if read("the same again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_user(args: argparse.Namespace, read: Callable[[str], str] | None = None) -> int:
    from atlas import auth
    from atlas.store import open_store

    read = read or getpass.getpass
    store = open_store(args.store)
    try:
        if args.action == "add":
            auth.add_user(store, args.name, args.role, _new_password(args.name, read))
            print(f"account {args.name} ({args.role}) created")
        elif args.action == "password":
            auth.set_password(store, args.name, _new_password(args.name, read))
            print(f"password of {args.name} changed")
        elif args.action == "role":
            auth.set_role(store, args.name, args.role)
            print(f"{args.name} is now {args.role}")
        elif args.action == "remove":
            auth.remove_user(store, args.name)
            print(f"account {args.name} removed")
        elif args.action == "unlock":
            if args.all == bool(args.name):
                raise ValueError("give either a NAME or --all")
            if args.all:
                print(f"cleared {auth.unlock_all(store)} failed-login counter(s)")
            else:
                cleared = auth.unlock(store, args.name)
                print(f"cleared the failed logins of {args.name}" if cleared
                      else f"no failed logins counted for {args.name}")
        else:
            for name, role, created in auth.list_users(store):
                print(f"{name}\t{role}\t{created}")
    except ValueError as exc:
        print(f"atlas: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from atlas.maps.explorer import MapOptions
    from atlas.render import export_bytes
    from atlas.tour import parse_order

    snap = load_snapshot(args.store)
    options = MapOptions(metric=args.metric, colour_by=args.colour, lang=args.lang,
                         currency=args.currency, flows=args.flows)
    if args.width < 1000:
        raise NotFound(f"--width {args.width} is too small; the image is at least 1000 px wide")
    payload = export_bytes(snap, filters_from_args(snap, args), options, args.format,
                           by=args.tour, order=parse_order(args.order), width_px=args.width)
    Path(args.out).write_bytes(payload)
    print(f"wrote {args.out} ({len(payload) / 1024:.0f} KB, opens offline)")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from atlas.synth import write_synthetic

    out = Path(args.out)
    try:
        data = write_synthetic(args.sites, out, seed=args.seed,
                               pointless_share=args.pointless_share)
    except ValueError as exc:  # a size or seed out of range, or a bundled set with problems
        print(f"atlas: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"atlas: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(df)} {name}" for name, df in data.items())
    print(f"wrote {out} ({counts}); use it with ATLAS_GEODATA={out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed so the docs test can list every command)."""
    parser = argparse.ArgumentParser(prog="atlas", description=__doc__)
    parser.add_argument("--store", help=STORE_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the data set; exit 1 on any problem")
    p.add_argument("--geodata", help="folder to check (default geodata/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build-store", help="create the store from geodata/")
    p.add_argument("--if-missing", action="store_true", help="do nothing if the store exists")
    p.add_argument("--force", action="store_true",
                   help="rebuild even a store holding accounts or edits, or a damaged one "
                        "(a backup copy is kept next to it first)")
    p.set_defaults(func=cmd_build_store)

    p = sub.add_parser("upgrade", help="bring the store to this version's schema, in place, "
                       "after writing a backup of it")
    p.add_argument("--backup", metavar="FILE",
                   help="the backup file to write first (default: atlas-backup-<time>.sqlite "
                        "next to an SQLite store; for a database, in the default store's "
                        "folder)")
    p.set_defaults(func=cmd_upgrade)

    p = sub.add_parser("export-data", help="write the store back to the geodata/ format")
    p.add_argument("--out", help="folder to write (default geodata/)")
    p.set_defaults(func=cmd_export_data)

    p = sub.add_parser("backup", help="write a consistent copy of the store (an SQLite file) "
                       "while the app runs")
    p.add_argument("file", help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the store's content with a backup, after "
                       "checking it (a copy of the replaced content is kept)")
    p.add_argument("file", help="a backup written by `atlas backup`")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("summary", help="headline figures for a filtered view")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _add_filters(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("export", help="write the filtered sites with their project fields, or "
                       "the filtered projects as IATI 2.03 activity XML")
    p.add_argument("--format", choices=["geojson", "csv", "iati"], required=True,
                   help="iati: one IATI activity per project; the reporting organisation is "
                        "the setting ATLAS_IATI_PUBLISHER ('<org identifier>|<name>|<type>')")
    p.add_argument("--out", help="file to write (iati: standard output when left out)")
    p.add_argument("--lang", choices=["en", "ru", "kk"], default="en")
    _add_filters(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("render", help="export the map for presenting: png, pdf, pptx or html")
    p.add_argument("--format", choices=["png", "pdf", "pptx", "html"], required=True,
                   help="png: map image; pdf: map page; pptx: slide deck; html: offline map")
    p.add_argument("--out", required=True)
    p.add_argument("--lang", choices=["en", "ru", "kk"], default="en")
    p.add_argument("--currency", choices=["EUR", "KZT", "USD"], default="EUR")
    p.add_argument("--flows", action="store_true", help="draw the money-flows layer")
    p.add_argument("--metric", choices=["funding", "reach", "projects"], default="funding",
                   help="what shades the regions")
    p.add_argument("--colour", choices=["donor", "sdg"], default="donor",
                   help="what colours the sites")
    p.add_argument("--tour", choices=["project", "region"], default="project",
                   help="pptx: one slide per project or per region")
    p.add_argument("--order", help="pptx: the steps to show, in order (comma-separated "
                                   "project ids or region codes; default all)")
    p.add_argument("--width", type=int, default=3200, help="png: width in pixels")
    _add_filters(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("user", help="staff accounts: add, password, role, remove, unlock, list")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="create an account (prompts for the password)")
    a.add_argument("name")
    a.add_argument("--role", choices=["editor", "admin"], required=True)
    a = actions.add_parser("password", help="set a new password (prompts for it)")
    a.add_argument("name")
    a = actions.add_parser("role", help="change an account's role")
    a.add_argument("name")
    a.add_argument("role", choices=["editor", "admin"])
    a = actions.add_parser("remove", help="delete an account")
    a.add_argument("name")
    a = actions.add_parser("unlock", help="forget the failed logins counted for a name, so it "
                           "may try again at once")
    a.add_argument("name", nargs="?")
    a.add_argument("--all", action="store_true",
                   help="forget every counted failed login, of every name and client")
    actions.add_parser("list", help="list the accounts")
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("synth", help="write a generated data set of N sites (the bundled data "
                       "plus generated projects) in the geodata/ format, for measuring")
    p.add_argument("sites", type=int, help="sites in all, e.g. 10000")
    p.add_argument("--out", required=True, help="folder to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--pointless-share", type=float, default=0.0,
                   help="share (0 to 1) of generated sites without a point: half whole-region, "
                   "half nationwide (default 0)")
    p.set_defaults(func=cmd_synth)

    add_import_parser(sub)  # the import command lives with the import code
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``atlas`` console script."""
    from atlas.store import BuildRefused, StoreError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except NotFound as exc:
        print(f"atlas: {exc}", file=sys.stderr)
        return 2
    except (StoreError, BuildRefused) as exc:
        # A damaged, busy, read-only or replaced store: one line saying what to do, no trace.
        print(f"atlas: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
