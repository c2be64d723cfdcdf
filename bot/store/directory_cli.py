"""``waitingroom directory``: the shell around ``bot.directory.cli`` and ``bot.directory.hsds``
for the live directory in WAITINGROOM_DB (check, search, export, import).

The words are for leads, so they live here, as in the other command-line tools.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.directory import Directory, DirectoryError, Gazetteer, hsds, live, load_directory
from bot.directory import cli as directory_cli
from bot.directory.editing import EntryProblems, body_of, check_change
from bot.directory.hours import LONDON

from .directory import Change
from .store import Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
CLI_USER = "command line"


async def live_directory(store: Store, seed: Directory | None, at: datetime) -> Directory | None:
    """Seed the store with shipped entries it lacks, then build what people are offered."""
    if seed is not None:
        await store.directory.seed(
            [
                Change(entry_id, body, "seed", origin, str(body.get("source") or ""))
                for entry_id, body, origin in live.seed_bodies(seed)
            ],
            at,
        )
    stored = await store.directory.entries()
    if not stored:
        return None
    places = seed.places if seed is not None else Gazetteer()
    built, problems = live.build(((e.body, e.origin) for e in stored), places)
    for problem in problems:
        print(f"left out: {problem}", file=sys.stderr)
    return built


def _seed() -> Directory | None:
    try:
        return load_directory()
    except DirectoryError as error:
        print("The shipped directory files have problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    """Folders of YAML are read as before; everything else works on the live directory."""
    action = args.directory_action
    if action in ("check", "search") and getattr(args, "path", None) is not None:
        return directory_cli.run(args)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration: {error}", file=sys.stderr)
        return EXIT_USAGE
    return asyncio.run(_run(args, settings.db_path))


async def _run(args: argparse.Namespace, db_path: Path) -> int:
    async with Store(db_path) as store:
        seed = _seed()
        directory = await live_directory(store, seed, store.clock())
        if directory is None:
            print(
                "The live directory is empty and the shipped files did not load.", file=sys.stderr
            )
            return EXIT_INVALID
        action = args.directory_action
        if action in ("check", "search"):
            return directory_cli.run(args, directory)
        if action == "export":
            return _export(args, directory)
        return await _import(args, store, directory)


def _export(args: argparse.Namespace, directory: Directory) -> int:
    document = hsds.export(directory.entries)
    if args.format == "hsds-csv":
        if args.path is None:
            print("--format hsds-csv: give a folder to write the CSV files in", file=sys.stderr)
            return EXIT_USAGE
        args.path.mkdir(parents=True, exist_ok=True)
        for name, text in hsds.to_csv(document).items():
            (args.path / name).write_text(text, encoding="utf-8")
        print(f"Wrote {len(document['services'])} services to {args.path}/", file=sys.stderr)
        return EXIT_OK
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.path is None:
        sys.stdout.write(text)
    else:
        args.path.write_text(text, encoding="utf-8")
        print(f"Wrote {len(document['services'])} services to {args.path}", file=sys.stderr)
    return EXIT_OK


def read_document(path: Path) -> object:
    """An HSDS JSON file, or a CSV package (folder or zip), as the nested JSON shape."""
    if not path.exists():
        raise hsds.HsdsProblems([f"{path}: no such file or folder"])
    if path.is_dir():
        files = {p.name: p.read_text(encoding="utf-8-sig") for p in path.glob("*.csv")}
        return hsds.from_csv(files)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as package:
            files = {
                Path(name).name: package.read(name).decode("utf-8-sig")
                for name in package.namelist()
                if name.endswith(".csv")
            }
        return hsds.from_csv(files)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise hsds.HsdsProblems([f"{path.name}: not JSON: {error}"]) from None
    except UnicodeDecodeError:
        raise hsds.HsdsProblems([f"{path.name}: not a text file"]) from None


async def _import(args: argparse.Namespace, store: Store, directory: Directory) -> int:
    path: Path = args.path
    today = datetime.now(LONDON).date()
    source = f"Open Referral UK import from {path.name}, {date.isoformat(today)}"
    try:
        document = await asyncio.to_thread(read_document, path)
        plan = hsds.plan_import(
            document, directory.entries, source=source, today=today, places=directory.places
        )
        check_change(directory.entries, plan.entries)
    except (hsds.HsdsProblems, UnicodeDecodeError, OSError) as error:
        problems = getattr(error, "problems", [str(error)])
        print(f"Nothing imported: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except EntryProblems as error:
        print(f"Nothing imported: {error}", file=sys.stderr)
        return EXIT_INVALID
    verb = "Would add" if args.dry_run else "Added"
    print(
        f"{verb} {len(plan.added)}, "
        f"{'change' if args.dry_run else 'changed'} {len(plan.changed)}, "
        f"{'close' if args.dry_run else 'closed'} {len(plan.closed)}; "
        f"{plan.unchanged} unchanged."
    )
    for entry in plan.added:
        print(f"  added: {entry.id} ({entry.name}), unverified")
    for old, new, parts in plan.changed:
        print(f"  changed: {old.id}: {', '.join(parts)}; now {new.status.value}")
    for entry in plan.closed:
        print(f"  closed: {entry.id} ({entry.name})")
    if args.dry_run or not plan.entries:
        return EXIT_OK
    changes = [
        Change(e.id, body_of(e), "import", f"import:{path.name}", note=source) for e in plan.entries
    ]
    await store.directory.save(changes, CLI_USER, store.clock())
    return EXIT_OK
